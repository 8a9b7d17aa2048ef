"""Writes of the catalogue domain: each ``<entity>_<action>``, atomic, audited.

R3.2 basic catalogue (目录清单) and implementation lists (实施清单), R3.3 the
same name, code, type and legal basis everywhere (they live on the catalogue
entry's published version and every item version pins one), R3.4 and R3.8
complete guides, R3.5 versions with review before publishing, R3.6 handling
variants, R3.7 special-service tags, R4.3/R4.4 suspension, R6.5 bundles.

Every catalogue row is audited, so every row created, changed or deleted here
gets its own audit entry — the child rows of a guide (variants, materials,
steps, fees, FAQs) included.

Every write that changes whether an item is public or what the portal lists
about it (create, publish, classification, suspend, resume, cancel) ends with
``search_row_refresh([item.pk])``: the portal's search row of the item is
rewritten in the same transaction, and the cached portal pages of the item
and the counts are renamed (search_index.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models
from django.db.models import Max
from django.utils import timezone

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import audit_append, diff, service_transaction
from yiwang.domains.catalog import policies
from yiwang.domains.catalog.errors import (
    Conflict,
    GuideIncomplete,
    PermissionDenied,
    ValidationFailed,
)
from yiwang.domains.catalog.guide import SCALAR_FIELDS, GuideDoc, missing_elements
from yiwang.domains.catalog.models import (
    Audience,
    Bundle,
    BundleMember,
    CatalogEntry,
    CatalogEntryVersion,
    Faq,
    Fee,
    HandlingKind,
    ItemType,
    ItemVersion,
    Lifecycle,
    LimitUnit,
    MaterialSpec,
    ServiceItem,
    StepSpec,
    SuspendReason,
    Tag,
    Topic,
    Variant,
    VersionStatus,
)
from yiwang.domains.catalog.search import search_keys
from yiwang.domains.catalog.search_index import search_row_refresh
from yiwang.domains.orgs.models import Agency, Division, DivisionLevel, Window
from yiwang.domains.orgs.policies import in_subtree

__all__ = [
    "DEFAULT_ITEM_TYPES",
    "DEFAULT_TAGS",
    "LOCAL_ELEMENTS",
    "bundle_create",
    "catalog_entry_create",
    "catalog_entry_revise",
    "catalog_entry_version_legal_review",
    "catalog_entry_version_publish",
    "catalog_entry_version_review",
    "catalog_entry_version_submit",
    "catalog_entry_version_update",
    "item_types_sync_defaults",
    "item_version_discard",
    "item_version_publish",
    "item_version_review",
    "item_version_revise",
    "item_version_submit",
    "item_version_update",
    "service_item_cancel",
    "service_item_create",
    "service_item_resume",
    "service_item_set_classification",
    "service_item_suspend",
    "tags_sync_defaults",
    "topic_create",
    "validate_guide",
]

# --- settings --------------------------------------------------------------------


def basic_code_pattern() -> re.Pattern[str]:
    return re.compile(getattr(settings, "YIWANG_BASIC_CODE_PATTERN", r"^[0-9A-Z]{12}$"))


def implementation_code_pattern() -> re.Pattern[str]:
    return re.compile(
        getattr(
            settings,
            "YIWANG_IMPLEMENTATION_CODE_PATTERN",
            r"^[0-9A-HJ-NPQRTUWXY]{18}[0-9A-Z]{1,22}$",
        )
    )


# --- helpers ---------------------------------------------------------------------


def _fail(fields: dict[str, str], code: str) -> ValidationFailed:
    return ValidationFailed("；".join(fields.values()), code=code, fields=fields)


def _require(refusal: Exception | None) -> None:
    if refusal is not None:
        raise refusal


def _text(
    errors: dict[str, str],
    key: str,
    value: Any,
    *,
    label: str,
    max_length: int | None,
    required: bool = False,
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[key] = f"{label}应为文字"
        return ""
    text = value.strip()
    if required and not text:
        errors[key] = f"请填写{label}"
    elif max_length is not None and len(text) > max_length:
        errors[key] = f"{label}不能超过{max_length}个字"
    return text


def _status_label(status: str) -> str:
    return str(VersionStatus(status).label)


OPEN_STATUSES = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.LEGAL_REVIEW,
    VersionStatus.APPROVED,
    VersionStatus.REJECTED,
)
EDITABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.REJECTED)


def _state_conflict(what: str, status: str, action: str) -> Conflict:
    return Conflict(f"{what}{_status_label(status)}，不能{action}", code="version_state")


# --- reference data (R3.1, R3.7) ---------------------------------------------------

# (code, name, is_power): Guangdong's numbering (STANDARDS.md); a table, since
# provinces number them differently.
DEFAULT_ITEM_TYPES: tuple[tuple[str, str, bool], ...] = (
    ("01", "行政许可", True),
    ("07", "行政确认", True),
    ("09", "行政裁决", True),
    ("05", "行政给付", True),
    ("08", "行政奖励", True),
    ("20", "其他行政权力", True),
    ("21", "公共服务", False),
)

DEFAULT_TAGS: tuple[tuple[str, str, str], ...] = (
    ("quanyu", "全域通办", "在本市任一政务服务场所均可办理"),
    ("mashang", "马上办", "材料齐全、符合法定形式的当场办结"),
    ("jiujin", "就近办", "在镇（街道）、村（社区）便民服务场所就近办理"),
    ("wangshang", "网上办", "全程网上办理"),
    ("zhangshang", "掌上办", "通过移动端办理"),
    ("mianzheng", "免证办", "以电子证照或共享数据代替纸质证明材料"),
    ("miaoban", "智能秒办秒批", "系统自动审批，即时办结"),
    ("bangban", "帮办代办", "提供帮办代办服务"),
    ("zhengyin", "政银合作", "可在合作银行网点办理"),
    ("kuasheng", "跨省通办", "可在外省受理、异地办理"),
    ("shengnei", "省内通办", "可在省内其他地区受理、异地办理"),
)


@service_transaction
def item_types_sync_defaults(*, actor: Actor = SYSTEM) -> int:
    """Create the default item types that are missing (by code or name); an
    administrator's own numbering is left as it is. Returns how many were made."""
    created = 0
    for order, (code, name, is_power) in enumerate(DEFAULT_ITEM_TYPES, start=1):
        if ItemType.objects.filter(models.Q(code=code) | models.Q(name=name)).exists():
            continue
        row = ItemType.objects.create(code=code, name=name, is_power=is_power, order=order)
        audit_append(
            actor=actor,
            action="catalog.item_type_create",
            obj=row,
            change={"code": code, "name": name, "is_power": is_power, "order": order},
        )
        created += 1
    return created


@service_transaction
def tags_sync_defaults(*, actor: Actor = SYSTEM) -> int:
    """Create the R3.7 special-service tags that are missing."""
    created = 0
    for order, (code, name, description) in enumerate(DEFAULT_TAGS, start=1):
        if Tag.objects.filter(models.Q(code=code) | models.Q(name=name)).exists():
            continue
        row = Tag.objects.create(code=code, name=name, description=description, order=order)
        audit_append(
            actor=actor,
            action="catalog.tag_create",
            obj=row,
            change={"code": code, "name": name, "description": description, "order": order},
        )
        created += 1
    return created


def reference_sync_on_migrate(**kwargs: Any) -> None:
    from django.db import connections

    connection = connections[kwargs.get("using") or "default"]
    tables = set(connection.introspection.table_names())
    if ItemType._meta.db_table not in tables or Tag._meta.db_table not in tables:
        return  # migrated only part of the way (e.g. back to zero)
    item_types_sync_defaults()
    tags_sync_defaults()


_TOPIC_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@service_transaction
def topic_create(
    *, actor: Actor, kind: str, code: str, name: str, audience: str, order: int = 0
) -> Topic:
    """A portal browsing axis: a life event (persons) or a theme (legal persons)."""
    if not actor.has_permission("catalog.publish"):
        raise PermissionDenied("您没有维护主题分类的权限（需政务服务中心管理员）")
    errors: dict[str, str] = {}
    code = (code or "").strip().lower()
    if not _TOPIC_CODE.match(code):
        errors["code"] = "代码须为1至32位小写字母、数字、下划线或连字符"
    name = _text(errors, "name", name, label="名称", max_length=32, required=True)
    if kind not in Topic.Kind.values:
        errors["kind"] = "请选择类别（人生事件或主题）"
    if audience not in Audience.values:
        errors["audience"] = "请选择服务对象（自然人、法人）"
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 32767:
        errors["order"] = "排序须为0至32767的整数"
    if errors:
        raise _fail(errors, "topic_invalid")
    if Topic.objects.filter(code=code).exists():
        raise _fail({"code": f"主题分类代码 {code} 已被使用"}, "topic_code_taken")
    try:
        with service_transaction():
            topic = Topic.objects.create(
                kind=kind, code=code, name=name, audience=audience, order=order
            )
    except IntegrityError as exc:
        raise Conflict(f"主题分类代码 {code} 已被使用", code="topic_code_taken") from exc
    audit_append(
        actor=actor,
        action="catalog.topic_create",
        obj=topic,
        change={"kind": kind, "code": code, "name": name, "audience": audience, "order": order},
    )
    return topic


# --- basic catalogue (R3.2, R3.3, R3.5) ---------------------------------------------

_LEVELS = [lv.value for lv in DivisionLevel]
_LEVEL_LABELS = dict(DivisionLevel.choices)
ENTRY_FIELDS = ("name", "item_type_code", "legal_basis", "exercise_levels")


def _legal_basis_clean(errors: dict[str, str], value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors["legal_basis"] = "设定依据应为列表（每条含法律法规名称、条款）"
        return []
    out: list[dict[str, str]] = []
    for i, ref in enumerate(value, start=1):
        if not isinstance(ref, Mapping):
            errors["legal_basis"] = f"设定依据第{i}条格式有误"
            return []
        unknown = set(ref) - {"title", "article", "text", "url"}
        if unknown:
            errors["legal_basis"] = f"设定依据第{i}条含未知字段：{'、'.join(sorted(unknown))}"
            return []
        item: dict[str, str] = {}
        for key, label, limit in (
            ("title", "法律法规名称", 200),
            ("article", "条款", 100),
            ("text", "条款内容", 5000),
            ("url", "链接", 500),
        ):
            if key in ref or key == "title":
                item[key] = _text(
                    errors,
                    "legal_basis",
                    ref.get(key),
                    label=f"设定依据第{i}条的{label}",
                    max_length=limit,
                    required=key == "title",
                )
        out.append(item)
    return out


def _levels_clean(errors: dict[str, str], value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        errors["exercise_levels"] = "请选择行使层级（省、市、县、乡镇、村中的一个或多个）"
        return []
    bad = [v for v in value if v not in _LEVELS]
    if bad:
        errors["exercise_levels"] = f"行使层级有误：{'、'.join(map(str, bad))}"
        return []
    return [lv for lv in _LEVELS if lv in value]


def _entry_values(
    errors: dict[str, str],
    *,
    name: Any,
    item_type_code: Any,
    legal_basis: Any,
    exercise_levels: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": _text(errors, "name", name, label="事项名称", max_length=200, required=True),
        "legal_basis": _legal_basis_clean(errors, legal_basis),
        "exercise_levels": _levels_clean(errors, exercise_levels),
    }
    item_type = ItemType.objects.filter(code=str(item_type_code or "").strip()).first()
    if item_type is None:
        errors["item_type_code"] = f"事项类型代码 {item_type_code or '（空）'} 不存在"
    values["item_type"] = item_type
    return values


def _entry_version_state(v: CatalogEntryVersion) -> dict[str, Any]:
    return {
        "entry": v.entry_id,
        "number": v.number,
        "status": v.status,
        "name": v.name,
        "item_type": v.item_type_id,
        "legal_basis": v.legal_basis,
        "exercise_levels": v.exercise_levels,
        "change_reason": v.change_reason,
    }


def _entry_label(entry: CatalogEntry, version: CatalogEntryVersion | None = None) -> str:
    return f"「{version.name}」" if version is not None else f"基本目录事项 {entry.basic_code}"


@service_transaction
def catalog_entry_create(
    *,
    actor: Actor,
    basic_code: str,
    owner: Agency,
    name: str,
    item_type_code: str,
    legal_basis: list[dict[str, Any]],
    exercise_levels: list[str],
    parent: CatalogEntry | None = None,
    reason: str = "",
) -> CatalogEntryVersion:
    """A new basic-catalogue entry with its first version as a draft (R3.2).
    ``parent`` makes it a sub-item (子项) of a main item (R3.6)."""
    _require(policies.edit_refusal(actor, owner.pk, owner.name))
    errors: dict[str, str] = {}
    code = (basic_code or "").strip().upper()
    if not basic_code_pattern().match(code):
        errors["basic_code"] = f"基本编码 {code or '（空）'} 格式不正确（应为12位数字或大写字母）"
    values = _entry_values(
        errors,
        name=name,
        item_type_code=item_type_code,
        legal_basis=legal_basis,
        exercise_levels=exercise_levels,
    )
    why = _text(errors, "reason", reason, label="编制理由", max_length=500)
    if not owner.active:
        errors["owner"] = f"「{owner.name}」已停用"
    if parent is not None:
        if parent.parent_id is not None:
            errors["parent"] = "子项不能再设子项"
        elif parent.lifecycle == Lifecycle.CANCELLED:
            errors["parent"] = "主项已取消"
    if errors:
        raise _fail(errors, "entry_invalid")
    if CatalogEntry.objects.filter(basic_code=code).exists():
        raise _fail({"basic_code": f"基本编码 {code} 已被使用"}, "basic_code_taken")
    try:
        with service_transaction():
            entry = CatalogEntry.objects.create(basic_code=code, owner=owner, parent=parent)
    except IntegrityError as exc:
        raise Conflict(f"基本编码 {code} 已被使用", code="basic_code_taken") from exc
    audit_append(
        actor=actor,
        action="catalog.entry_create",
        obj=entry,
        change={"basic_code": code, "owner": owner.pk, "parent": getattr(parent, "pk", None)},
    )
    version = CatalogEntryVersion.objects.create(
        entry=entry,
        number=1,
        name=values["name"],
        item_type=values["item_type"],
        legal_basis=values["legal_basis"],
        exercise_levels=values["exercise_levels"],
        change_reason=why,
    )
    audit_append(
        actor=actor,
        action="catalog.entry_version_create",
        obj=version,
        change=_entry_version_state(version),
    )
    return version


def _open_entry_version(entry: CatalogEntry) -> CatalogEntryVersion | None:
    return entry.versions.filter(status__in=OPEN_STATUSES).order_by("-number").first()


def _entry_changes(
    errors: dict[str, str], base: CatalogEntryVersion, changes: Mapping[str, Any]
) -> dict[str, Any]:
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        errors["changes"] = f"基本目录不能修改：{'、'.join(sorted(unknown))}"
        return {}
    return _entry_values(
        errors,
        name=changes.get("name", base.name),
        item_type_code=changes.get("item_type_code", base.item_type.code),
        legal_basis=changes.get("legal_basis", base.legal_basis),
        exercise_levels=changes.get("exercise_levels", base.exercise_levels),
    )


@service_transaction
def catalog_entry_revise(
    *, actor: Actor, entry: CatalogEntry, reason: str, **changes: Any
) -> CatalogEntryVersion:
    """A change to the general catalogue: a written request (``reason``) makes
    a new draft from the current version; it then goes through the centre's
    review and the legal review again (R3.5). ``changes``: any of name,
    item_type_code, legal_basis, exercise_levels."""
    entry = CatalogEntry.objects.select_for_update().select_related("owner").get(pk=entry.pk)
    _require(policies.edit_refusal(actor, entry.owner_id, entry.owner.name))
    if entry.lifecycle == Lifecycle.CANCELLED:
        raise Conflict(f"基本目录事项 {entry.basic_code} 已取消", code="lifecycle_state")
    pending = _open_entry_version(entry)
    if pending is not None:
        raise Conflict(
            f"「{pending.name}」第{pending.number}版{_status_label(pending.status)}，"
            "尚未发布；请先处理该版本",
            code="draft_exists",
        )
    base = entry.current or entry.versions.select_related("item_type").order_by("-number").first()
    assert base is not None
    errors: dict[str, str] = {}
    why = _text(
        errors, "reason", reason, label="变更理由（书面申请）", max_length=500, required=True
    )
    values = _entry_changes(errors, base, changes)
    if errors:
        raise _fail(errors, "entry_invalid")
    number = (entry.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CatalogEntryVersion.objects.create(
        entry=entry,
        number=number,
        name=values["name"],
        item_type=values["item_type"],
        legal_basis=values["legal_basis"],
        exercise_levels=values["exercise_levels"],
        change_reason=why,
    )
    audit_append(
        actor=actor,
        action="catalog.entry_version_create",
        obj=version,
        change={**_entry_version_state(version), "from": base.pk},
    )
    return version


def _locked_entry_version(version: CatalogEntryVersion) -> CatalogEntryVersion:
    return (
        CatalogEntryVersion.objects.select_for_update()
        .select_related("entry", "entry__owner", "entry__owner__division", "item_type")
        .get(pk=version.pk)
    )


@service_transaction
def catalog_entry_version_update(
    *, actor: Actor, version: CatalogEntryVersion, reason: str | None = None, **changes: Any
) -> CatalogEntryVersion:
    """Change a draft (or returned) entry version in place."""
    v = _locked_entry_version(version)
    _require(policies.edit_refusal(actor, v.entry.owner_id, v.entry.owner.name))
    if v.status not in EDITABLE_STATUSES:
        raise Conflict(
            f"「{v.name}」第{v.number}版{_status_label(v.status)}，已提交或已发布的版本不能修改",
            code="version_immutable",
        )
    errors: dict[str, str] = {}
    values = _entry_changes(errors, v, changes)
    why = v.change_reason
    if reason is not None:
        why = _text(errors, "reason", reason, label="变更理由", max_length=500)
    if errors:
        raise _fail(errors, "entry_invalid")
    before = _entry_version_state(v)
    v.name = values["name"]
    v.item_type = values["item_type"]
    v.legal_basis = values["legal_basis"]
    v.exercise_levels = values["exercise_levels"]
    v.change_reason = why
    v.status = VersionStatus.DRAFT
    after = _entry_version_state(v)
    if before == after:
        return v
    v.save()
    audit_append(
        actor=actor, action="catalog.entry_version_update", obj=v, change=diff(before, after)
    )
    return v


def _entry_transition(
    actor: Actor, v: CatalogEntryVersion, to: str, action: str, note: str = ""
) -> CatalogEntryVersion:
    before = v.status
    v.status = to
    v.save(update_fields=["status"])
    audit_append(actor=actor, action=action, obj=v, change={"status": [before, to], "note": note})
    return v


@service_transaction
def catalog_entry_version_submit(
    *, actor: Actor, version: CatalogEntryVersion
) -> CatalogEntryVersion:
    v = _locked_entry_version(version)
    _require(policies.edit_refusal(actor, v.entry.owner_id, v.entry.owner.name))
    if v.status not in EDITABLE_STATUSES:
        raise _state_conflict(f"「{v.name}」第{v.number}版", v.status, "提交")
    if v.item_type.is_power and not v.legal_basis:
        raise _fail(
            {"legal_basis": "行政权力事项须列明设定依据（法律法规名称和条款）"}, "entry_invalid"
        )
    return _entry_transition(actor, v, VersionStatus.SUBMITTED, "catalog.entry_version_submit")


def _decision_note(note: str, approve: bool) -> str:
    errors: dict[str, str] = {}
    text = _text(
        errors,
        "note",
        note,
        label="审核意见" if approve else "退回理由",
        max_length=500,
        required=not approve,
    )
    if errors:
        raise _fail(errors, "version_state")
    return text


@service_transaction
def catalog_entry_version_review(
    *, actor: Actor, version: CatalogEntryVersion, approve: bool, note: str = ""
) -> CatalogEntryVersion:
    """The service centre's review; approval sends it on to the legal review."""
    v = _locked_entry_version(version)
    _require(policies.centre_refusal(actor, "catalog.review", v.entry.owner.division))
    if v.status != VersionStatus.SUBMITTED:
        raise _state_conflict(f"「{v.name}」第{v.number}版", v.status, "审核")
    text = _decision_note(note, approve)
    if approve:
        return _entry_transition(
            actor, v, VersionStatus.LEGAL_REVIEW, "catalog.entry_version_approve", text
        )
    return _entry_transition(actor, v, VersionStatus.REJECTED, "catalog.entry_version_reject", text)


@service_transaction
def catalog_entry_version_legal_review(
    *, actor: Actor, version: CatalogEntryVersion, approve: bool, note: str = ""
) -> CatalogEntryVersion:
    """The legal review (合法性审查) of the setting basis: the second review of a
    general-catalogue change (R3.5)."""
    v = _locked_entry_version(version)
    _require(policies.legal_refusal(actor, v.entry.owner.division))
    if v.status != VersionStatus.LEGAL_REVIEW:
        raise _state_conflict(f"「{v.name}」第{v.number}版", v.status, "进行合法性审查")
    text = _decision_note(note, approve)
    if approve:
        return _entry_transition(
            actor, v, VersionStatus.APPROVED, "catalog.entry_version_legal_approve", text
        )
    return _entry_transition(
        actor, v, VersionStatus.REJECTED, "catalog.entry_version_legal_reject", text
    )


@service_transaction
def catalog_entry_version_publish(
    *, actor: Actor, version: CatalogEntryVersion
) -> CatalogEntryVersion:
    """Publish an approved entry version: the previous one is superseded, the
    validity windows meet without overlapping."""
    v = _locked_entry_version(version)
    _require(policies.centre_refusal(actor, "catalog.publish", v.entry.owner.division))
    if v.status != VersionStatus.APPROVED:
        raise _state_conflict(f"「{v.name}」第{v.number}版", v.status, "发布")
    entry = CatalogEntry.objects.select_for_update().get(pk=v.entry_id)
    if entry.lifecycle == Lifecycle.CANCELLED:
        raise Conflict(f"基本目录事项 {entry.basic_code} 已取消", code="lifecycle_state")
    now = timezone.now()
    previous = (
        CatalogEntryVersion.objects.select_for_update().get(pk=entry.current_id)
        if entry.current_id
        else None
    )
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.valid_to = now
        previous.save(update_fields=["status", "valid_to"])
        audit_append(
            actor=actor,
            action="catalog.entry_version_supersede",
            obj=previous,
            change={"status": [VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED], "by": v.pk},
        )
    v.status = VersionStatus.PUBLISHED
    v.valid_from = now
    v.valid_to = None
    v.save(update_fields=["status", "valid_from", "valid_to"])
    audit_append(
        actor=actor,
        action="catalog.entry_version_publish",
        obj=v,
        change={"status": [VersionStatus.APPROVED, VersionStatus.PUBLISHED]},
    )
    entry.current = v
    entry.save(update_fields=["current"])
    audit_append(
        actor=actor,
        action="catalog.entry_set_current",
        obj=entry,
        change={"current": [getattr(previous, "pk", None), v.pk]},
    )
    return v


# --- the guide document (R3.4, R3.6, R3.8) -------------------------------------------

LIST_KEYS = ("variants", "materials", "steps", "fees", "faqs")
GUIDE_KEYS = frozenset(SCALAR_FIELDS) | frozenset(LIST_KEYS) | {"window_ids"}

# Local "personal elements" (个性化要素): a version marked local_only may change
# these only, and the local centre's review is the only one (R3.5).
LOCAL_ELEMENTS = frozenset(
    {
        "address",
        "hours",
        "consult_phone",
        "complaint_phone",
        "window_ids",
        "faqs",
        "mobile_url",
        "appointment",
        "online_payment",
        "express_delivery",
        "enters_centre",
        "online",
        "online_depth",
        "onsite_trips",
        "promised_limit",
        "promised_unit",
        "promised_note",
    }
)

RESULT_TYPES = ("证照", "批文", "其他")
DELIVERY_WAYS = {"window": "窗口领取", "mail": "邮寄送达", "electronic": "电子送达"}
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PHONE_CHARS = re.compile(r"^[0-9０-９\-—－ ()（）+＋,，、;；/:：\u4e00-\u9fff A-Za-z]*$")
_DIGIT_RUN = re.compile(r"\d{3,}")
_TEXT_LIMIT = 20000
_URL = URLValidator(schemes=["http", "https"])


def _label(model: type[models.Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return str(field.verbose_name)


def _int(
    errors: dict[str, str],
    key: str,
    value: Any,
    *,
    label: str,
    nullable: bool = False,
    maximum: int = 2_147_483_647,
) -> int | None:
    if value is None or value == "":
        if nullable:
            return None
        errors[key] = f"请填写{label}"
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        errors[key] = f"{label}应为整数"
        return 0
    if value < 0:
        errors[key] = f"{label}不能为负数"
        return 0
    if value > maximum:
        errors[key] = f"{label}不能大于{maximum}"
        return 0
    return value


def _bool(errors: dict[str, str], key: str, value: Any, *, label: str) -> bool:
    if not isinstance(value, bool):
        errors[key] = f"{label}应为“是”或“否”"
        return False
    return value


def _choice(
    errors: dict[str, str],
    key: str,
    value: Any,
    *,
    label: str,
    choices: Sequence[tuple[str, str]] | Mapping[str, str],
    blank: bool = True,
) -> str:
    options = dict(choices)
    text = value.strip() if isinstance(value, str) else value
    if text in ("", None) and blank:
        return ""
    if text not in options:
        errors[key] = f"{label}应为：{'、'.join(str(v) for v in options.values())}"
        return ""
    return str(text)


def _phone(errors: dict[str, str], key: str, value: Any, *, label: str) -> str:
    text = _text(errors, key, value, label=label, max_length=100)
    if key in errors or not text:
        return text
    if not _PHONE_CHARS.match(text) or not _DIGIT_RUN.search(text):
        errors[key] = f"{label}应为电话号码（可附说明），如 0510-12345678 或 12345"
    return text


def _scalar(errors: dict[str, str], key: str, value: Any) -> Any:
    field: Any = ItemVersion._meta.get_field(key)
    label = str(field.verbose_name)
    if key in ("audience",):
        return _choice(errors, key, value, label=label, choices=Audience.choices)
    if key == "handling_kind":
        return _choice(errors, key, value, label=label, choices=HandlingKind.choices)
    if key in ("statutory_unit", "promised_unit"):
        return _choice(errors, key, value, label=label, choices=LimitUnit.choices, blank=False)
    if key == "result_type":
        return _choice(errors, key, value, label=label, choices=[(t, t) for t in RESULT_TYPES])
    if key in ("consult_phone", "complaint_phone"):
        return _phone(errors, key, value, label=label)
    if key == "delivery_ways":
        if not isinstance(value, list | tuple):
            errors[key] = f"{label}应为列表"
            return []
        bad = [w for w in value if w not in DELIVERY_WAYS]
        if bad:
            errors[key] = f"{label}应为：{'、'.join(DELIVERY_WAYS.values())}"
            return []
        return [w for w in DELIVERY_WAYS if w in value]
    if key == "online_depth":
        return _int(errors, key, value, label=label, maximum=4)
    if key == "mobile_url":
        text = _text(errors, key, value, label=label, max_length=200)
        if text and key not in errors:
            try:
                _URL(text)
            except DjangoValidationError:
                errors[key] = f"{label}应为以 http:// 或 https:// 开头的网址"
        return text
    if isinstance(field, models.BooleanField):
        return _bool(errors, key, value, label=label)
    if isinstance(field, models.PositiveSmallIntegerField):
        return _int(errors, key, value, label=label, maximum=32767)
    if isinstance(field, models.PositiveIntegerField):
        return _int(errors, key, value, label=label, nullable=bool(field.null))
    if isinstance(field, models.TextField):
        return _text(errors, key, value, label=label, max_length=_TEXT_LIMIT)
    if isinstance(field, models.CharField):
        return _text(errors, key, value, label=label, max_length=field.max_length)
    raise AssertionError(f"unhandled guide element {key}")  # pragma: no cover


def _code(errors: dict[str, str], key: str, value: Any, *, label: str, max_length: int) -> str:
    text = _text(errors, key, value, label=label, max_length=max_length, required=True)
    if text and key not in errors and not _CODE_RE.match(text):
        errors[key] = f"{label}只能由字母、数字、点、下划线和连字符组成"
    return text


def _rows(errors: dict[str, str], key: str, value: Any, label: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(r, Mapping) for r in value):
        errors[key] = f"{label}应为列表"
        return []
    return list(value)


def _unknown_keys(
    errors: dict[str, str], key: str, row: Mapping[str, Any], allowed: set[str], where: str
) -> None:
    extra = set(row) - allowed
    if extra:
        errors[key] = f"{where}含未知字段：{'、'.join(sorted(extra))}"


def _variants_clean(errors: dict[str, str], value: Any) -> list[dict[str, Any]]:
    out = []
    seen: set[str] = set()
    for i, row in enumerate(_rows(errors, "variants", value, "办理项"), start=1):
        where = f"办理项第{i}项"
        k = f"variants[{i - 1}]"
        _unknown_keys(errors, k, row, {"code", "name", "form_schema"}, where)
        code = _code(errors, f"{k}.code", row.get("code"), label=f"{where}的编码", max_length=48)
        name = _text(
            errors,
            f"{k}.name",
            row.get("name"),
            label=f"{where}的名称",
            max_length=100,
            required=True,
        )
        schema = row.get("form_schema", {})
        if schema is None:
            schema = {}
        if not isinstance(schema, Mapping):
            errors[f"{k}.form_schema"] = f"{where}的申请表结构应为 JSON Schema 对象"
            schema = {}
        elif schema:
            if schema.get("type", "object") != "object":
                errors[f"{k}.form_schema"] = f"{where}的申请表结构顶层应为 object"
            if not isinstance(schema.get("properties", {}), Mapping):
                errors[f"{k}.form_schema"] = f"{where}的申请表结构 properties 应为对象"
        if code in seen:
            errors[f"{k}.code"] = f"办理项编码 {code} 重复"
        seen.add(code)
        out.append({"code": code, "name": name, "form_schema": dict(schema)})
    return out


_MATERIAL_TEXT = (
    ("page_format", 32),
    ("source_note", 200),
    ("acceptance_standard", 500),
    ("legal_basis", 500),
    ("filling_notes", _TEXT_LIMIT),
    ("certificate_type_code", 32),
)
_PLEDGE_LIMIT = 1000


def _materials_clean(errors: dict[str, str], value: Any) -> list[dict[str, Any]]:
    out = []
    seen: set[str] = set()
    allowed = {
        "code",
        "name",
        "kind",
        "form",
        "necessity",
        "copies",
        "source",
        "variant",
        "pledge_text",
        *(k for k, _ in _MATERIAL_TEXT),
    }
    for i, row in enumerate(_rows(errors, "materials", value, "申请材料"), start=1):
        where = f"申请材料第{i}项"
        k = f"materials[{i - 1}]"
        _unknown_keys(errors, k, row, allowed, where)
        m: dict[str, Any] = {
            "code": _code(
                errors, f"{k}.code", row.get("code"), label=f"{where}的编码", max_length=48
            ),
            "name": _text(
                errors,
                f"{k}.name",
                row.get("name"),
                label=f"{where}的名称",
                max_length=200,
                required=True,
            ),
        }
        for key, choices in (
            ("kind", MaterialSpec.Kind.choices),
            ("form", MaterialSpec.Form.choices),
            ("necessity", MaterialSpec.Necessity.choices),
            ("source", MaterialSpec.Source.choices),
        ):
            m[key] = _choice(
                errors,
                f"{k}.{key}",
                row.get(key),
                label=f"{where}的{_label(MaterialSpec, key)}",
                choices=choices,
                blank=False,
            )
        m["copies"] = _int(
            errors, f"{k}.copies", row.get("copies", 1), label=f"{where}的份数", maximum=999
        )
        for key, limit in _MATERIAL_TEXT:
            m[key] = _text(
                errors,
                f"{k}.{key}",
                row.get(key, ""),
                label=f"{where}的{_label(MaterialSpec, key)}",
                max_length=limit,
            )
        pledge = _text(
            errors,
            f"{k}.pledge_text",
            row.get("pledge_text", ""),
            label=f"{where}的{_label(MaterialSpec, 'pledge_text')}",
            max_length=_PLEDGE_LIMIT,
        )
        if pledge:  # 告知承诺 allowed (trust level D); absent otherwise, as guide_doc_of gives it
            m["pledge_text"] = pledge
        variant = row.get("variant") or ""
        if not isinstance(variant, str):
            errors[f"{k}.variant"] = f"{where}的所属办理项应为办理项编码"
            variant = ""
        if variant.strip():
            m["variant"] = variant.strip()
        if m["code"] in seen:
            errors[f"{k}.code"] = f"申请材料编码 {m['code']} 重复"
        seen.add(m["code"])
        out.append(m)
    return out


def _steps_clean(errors: dict[str, str], value: Any) -> list[dict[str, Any]]:
    out = []
    seen: set[str] = set()
    allowed = {"code", "name", "role_code", "time_limit", "time_unit", "is_special", "description"}
    for i, row in enumerate(_rows(errors, "steps", value, "办理环节"), start=1):
        where = f"办理环节第{i}步"
        k = f"steps[{i - 1}]"
        _unknown_keys(errors, k, row, allowed, where)
        s: dict[str, Any] = {
            "code": _code(
                errors, f"{k}.code", row.get("code"), label=f"{where}的编码", max_length=32
            ),
            "name": _text(
                errors,
                f"{k}.name",
                row.get("name"),
                label=f"{where}的名称",
                max_length=64,
                required=True,
            ),
            "role_code": _text(
                errors,
                f"{k}.role_code",
                row.get("role_code"),
                label=f"{where}的办理角色",
                max_length=32,
            ),
            "time_limit": _int(
                errors, f"{k}.time_limit", row.get("time_limit"), label=f"{where}的时限"
            ),
            "time_unit": _choice(
                errors,
                f"{k}.time_unit",
                row.get("time_unit", LimitUnit.WORKING_DAYS),
                label=f"{where}的时限单位",
                choices=LimitUnit.choices,
                blank=False,
            ),
            "is_special": _bool(
                errors,
                f"{k}.is_special",
                row.get("is_special", False),
                label=f"{where}是否特别程序",
            ),
            "description": _text(
                errors,
                f"{k}.description",
                row.get("description", ""),
                label=f"{where}的说明",
                max_length=500,
            ),
        }
        if s["code"] in seen:
            errors[f"{k}.code"] = f"办理环节编码 {s['code']} 重复"
        seen.add(s["code"])
        out.append(s)
    return out


def _fees_clean(errors: dict[str, str], value: Any) -> list[dict[str, Any]]:
    out = []
    allowed = {"name", "standard", "legal_basis", "reducible", "reduction_note"}
    for i, row in enumerate(_rows(errors, "fees", value, "收费项目"), start=1):
        where = f"收费项目第{i}项"
        k = f"fees[{i - 1}]"
        _unknown_keys(errors, k, row, allowed, where)
        out.append(
            {
                "name": _text(
                    errors,
                    f"{k}.name",
                    row.get("name"),
                    label=f"{where}的名称",
                    max_length=200,
                    required=True,
                ),
                "standard": _text(
                    errors,
                    f"{k}.standard",
                    row.get("standard"),
                    label=f"{where}的收费标准",
                    max_length=300,
                    required=True,
                ),
                "legal_basis": _text(
                    errors,
                    f"{k}.legal_basis",
                    row.get("legal_basis"),
                    label=f"{where}的收费依据",
                    max_length=500,
                    required=True,
                ),
                "reducible": _bool(
                    errors,
                    f"{k}.reducible",
                    row.get("reducible", False),
                    label=f"{where}是否允许减免",
                ),
                "reduction_note": _text(
                    errors,
                    f"{k}.reduction_note",
                    row.get("reduction_note", ""),
                    label=f"{where}的减免说明",
                    max_length=300,
                ),
            }
        )
    return out


def _faqs_clean(errors: dict[str, str], value: Any) -> list[dict[str, Any]]:
    out = []
    for i, row in enumerate(_rows(errors, "faqs", value, "常见问题"), start=1):
        where = f"常见问题第{i}条"
        k = f"faqs[{i - 1}]"
        _unknown_keys(errors, k, row, {"question", "answer"}, where)
        out.append(
            {
                "question": _text(
                    errors,
                    f"{k}.question",
                    row.get("question"),
                    label=f"{where}的问题",
                    max_length=300,
                    required=True,
                ),
                "answer": _text(
                    errors,
                    f"{k}.answer",
                    row.get("answer"),
                    label=f"{where}的解答",
                    max_length=_TEXT_LIMIT,
                    required=True,
                ),
            }
        )
    return out


def _window_ids_clean(errors: dict[str, str], value: Any) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        errors["window_ids"] = "办理窗口应为窗口编号列表"
        return []
    ids = sorted(set(value))
    found = set(Window.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [str(i) for i in ids if i not in found]
    if missing:
        errors["window_ids"] = f"办理窗口不存在：{'、'.join(missing)}"
        return []
    return ids


_LIST_CLEANERS = {
    "variants": _variants_clean,
    "materials": _materials_clean,
    "steps": _steps_clean,
    "fees": _fees_clean,
    "faqs": _faqs_clean,
}


def _consistency(errors: dict[str, str], doc: Mapping[str, Any]) -> None:
    """Rules across elements of the whole (merged) guide."""
    statutory, promised = doc.get("statutory_limit"), doc.get("promised_limit")
    same_unit = doc.get("statutory_unit", LimitUnit.WORKING_DAYS) == doc.get(
        "promised_unit", LimitUnit.WORKING_DAYS
    )
    if (
        statutory is not None
        and promised is not None
        and same_unit
        and "promised_limit" not in errors
        and "statutory_limit" not in errors
        and promised > statutory
    ):
        errors["promised_limit"] = f"承诺办结时限（{promised}）不能超过法定办结时限（{statutory}）"
    if promised is not None and "promised_limit" not in errors:
        for i, step in enumerate(doc.get("steps") or []):
            if (
                not step.get("is_special")
                and step.get("time_unit", LimitUnit.WORKING_DAYS)
                == doc.get("promised_unit", LimitUnit.WORKING_DAYS)
                and isinstance(step.get("time_limit"), int)
                and step["time_limit"] > promised
            ):
                errors[f"steps[{i}].time_limit"] = (
                    f"办理环节“{step.get('name', '')}”的时限（{step['time_limit']}）"
                    f"超过承诺办结时限（{promised}）"
                )
    variant_codes = {v.get("code") for v in doc.get("variants") or []}
    for i, m in enumerate(doc.get("materials") or []):
        if m.get("variant") and m["variant"] not in variant_codes:
            errors[f"materials[{i}].variant"] = (
                f"申请材料“{m.get('name', '')}”所属的办理项 {m['variant']} 不存在"
            )
    if doc.get("fees") and doc.get("charges_fee") is False:
        errors["fees"] = "不收费的事项不应列明收费项目（请勾选“是否收费”或删除收费项目）"
    if doc.get("online_depth") and doc.get("online") is False:
        errors["online_depth"] = "未开通网上办理的事项，网上办理深度应为0"


def validate_guide(guide: Mapping[str, Any], *, base: Mapping[str, Any] | None = None) -> GuideDoc:
    """Check a (partial) guide document and return it cleaned (texts stripped,
    defaults filled in the rows). ``base`` is the whole guide the keys of
    ``guide`` replace, for the checks across elements. Raises
    ValidationFailed(code="guide_invalid") naming every problem."""
    errors: dict[str, str] = {}
    if not isinstance(guide, Mapping):
        raise _fail({"guide": "办事指南应为对象"}, "guide_invalid")
    unknown = set(guide) - GUIDE_KEYS
    if unknown:
        errors["guide"] = f"办事指南含未知要素：{'、'.join(sorted(unknown))}"
    clean: dict[str, Any] = {}
    for key, value in guide.items():
        if key in unknown:
            continue
        if key in _LIST_CLEANERS:
            clean[key] = _LIST_CLEANERS[key](errors, value)
        elif key == "window_ids":
            clean[key] = _window_ids_clean(errors, value)
        else:
            clean[key] = _scalar(errors, key, value)
    merged = {**(base or {}), **clean}
    _consistency(errors, merged)
    if errors:
        raise _fail(errors, "guide_invalid")
    return clean  # type: ignore[return-value]


# --- writing a version's rows ---------------------------------------------------------

_SCALAR_DEFAULTS: dict[str, Any] = {}
for _name in SCALAR_FIELDS:
    _f: Any = ItemVersion._meta.get_field(_name)
    _SCALAR_DEFAULTS[_name] = (
        _f.get_default() if _f.has_default() else ("" if not _f.null else None)
    )


def _material_change(m: MaterialSpec) -> dict[str, Any]:
    return {
        "version": m.version_id,
        "code": m.code,
        "name": m.name,
        "necessity": m.necessity,
        "variant": m.variant_id,
    }


def _delete_rows(actor: Actor, rows: Sequence[models.Model], action: str) -> None:
    for row in rows:
        pk = row.pk
        otype = f"{row._meta.app_label}.{row._meta.model_name}"
        summary = {"version": getattr(row, "version_id", None), "row": str(row)}
        row.delete()
        audit_append(
            actor=actor, action=action, object_type=otype, object_id=str(pk), change=summary
        )


def _create_variants(actor: Actor, version: ItemVersion, docs: list[dict[str, Any]]) -> None:
    for order, d in enumerate(docs, start=1):
        v = Variant.objects.create(
            version=version,
            code=d["code"],
            name=d["name"],
            form_schema=d.get("form_schema") or {},
            order=order,
        )
        audit_append(
            actor=actor,
            action="catalog.variant_create",
            obj=v,
            change={"version": version.pk, "code": v.code, "name": v.name},
        )


def _create_materials(
    actor: Actor,
    version: ItemVersion,
    docs: list[dict[str, Any]],
    files: Mapping[str, tuple[Any, Any]] | None = None,
) -> None:
    variants = {v.code: v for v in Variant.objects.filter(version=version)}
    for order, d in enumerate(docs, start=1):
        blank_form, example = (files or {}).get(d["code"], ("", ""))
        m = MaterialSpec.objects.create(
            version=version,
            variant=variants.get(d.get("variant") or ""),
            code=d["code"],
            name=d["name"],
            kind=d["kind"],
            form=d["form"],
            necessity=d["necessity"],
            copies=d.get("copies", 1),
            page_format=d.get("page_format", ""),
            source=d["source"],
            source_note=d.get("source_note", ""),
            acceptance_standard=d.get("acceptance_standard", ""),
            legal_basis=d.get("legal_basis", ""),
            filling_notes=d.get("filling_notes", ""),
            certificate_type_code=d.get("certificate_type_code", ""),
            pledge_text=d.get("pledge_text", ""),
            blank_form=blank_form or "",
            example=example or "",
            order=order,
        )
        audit_append(
            actor=actor, action="catalog.material_create", obj=m, change=_material_change(m)
        )


def _create_steps(actor: Actor, version: ItemVersion, docs: list[dict[str, Any]]) -> None:
    for order, d in enumerate(docs, start=1):
        s = StepSpec.objects.create(
            version=version,
            code=d["code"],
            name=d["name"],
            role_code=d.get("role_code", ""),
            time_limit=d.get("time_limit", 0),
            time_unit=d.get("time_unit", LimitUnit.WORKING_DAYS),
            is_special=d.get("is_special", False),
            description=d.get("description", ""),
            order=order,
        )
        audit_append(
            actor=actor,
            action="catalog.step_create",
            obj=s,
            change={"version": version.pk, "code": s.code, "name": s.name, "order": order},
        )


def _create_fees(actor: Actor, version: ItemVersion, docs: list[dict[str, Any]]) -> None:
    for order, d in enumerate(docs, start=1):
        f = Fee.objects.create(
            version=version,
            name=d["name"],
            standard=d["standard"],
            legal_basis=d["legal_basis"],
            reducible=d.get("reducible", False),
            reduction_note=d.get("reduction_note", ""),
            order=order,
        )
        audit_append(
            actor=actor,
            action="catalog.fee_create",
            obj=f,
            change={"version": version.pk, "name": f.name, "standard": f.standard},
        )


def _create_faqs(actor: Actor, version: ItemVersion, docs: list[dict[str, Any]]) -> None:
    for order, d in enumerate(docs, start=1):
        q = Faq.objects.create(
            version=version, question=d["question"], answer=d["answer"], order=order
        )
        audit_append(
            actor=actor,
            action="catalog.faq_create",
            obj=q,
            change={"version": version.pk, "question": q.question},
        )


def _material_files(version: ItemVersion) -> dict[str, tuple[Any, Any]]:
    return {
        m.code: (m.blank_form.name if m.blank_form else "", m.example.name if m.example else "")
        for m in MaterialSpec.objects.filter(version=version)
    }


def _replace_lists(
    actor: Actor, version: ItemVersion, merged: Mapping[str, Any], keys: set[str]
) -> None:
    """Replace the child rows named in ``keys`` by those of ``merged``. Replacing
    the variants replaces the materials too (they point at variants)."""
    if "variants" in keys:
        keys = keys | {"materials"}
    files = _material_files(version) if "materials" in keys else {}
    if "materials" in keys:
        _delete_rows(
            actor, list(MaterialSpec.objects.filter(version=version)), "catalog.material_delete"
        )
    if "variants" in keys:
        _delete_rows(actor, list(Variant.objects.filter(version=version)), "catalog.variant_delete")
        _create_variants(actor, version, merged.get("variants") or [])
    if "materials" in keys:
        _create_materials(actor, version, merged.get("materials") or [], files)
    if "steps" in keys:
        _delete_rows(actor, list(StepSpec.objects.filter(version=version)), "catalog.step_delete")
        _create_steps(actor, version, merged.get("steps") or [])
    if "fees" in keys:
        _delete_rows(actor, list(Fee.objects.filter(version=version)), "catalog.fee_delete")
        _create_fees(actor, version, merged.get("fees") or [])
    if "faqs" in keys:
        _delete_rows(actor, list(Faq.objects.filter(version=version)), "catalog.faq_delete")
        _create_faqs(actor, version, merged.get("faqs") or [])


def _version_state(v: ItemVersion) -> dict[str, Any]:
    state = {k: getattr(v, k) for k in SCALAR_FIELDS}
    state.update(
        {
            "item": v.item_id,
            "number": v.number,
            "status": v.status,
            "entry_version": v.entry_version_id,
            "change_reason": v.change_reason,
            "local_only": v.local_only,
        }
    )
    return state


def _doc_of(version: ItemVersion) -> dict[str, Any]:
    # The selectors own the read; imported here to keep one definition.
    from yiwang.domains.catalog.selectors import guide_doc_of

    return dict(guide_doc_of(version))


# --- implementation list (R3.2, R3.4–R3.6, R3.8) ----------------------------------------


def _generated_code(agency: Agency, entry: CatalogEntry) -> str:
    stem = f"{agency.credit_code}{entry.basic_code}"
    taken = set(
        ServiceItem.objects.filter(implementation_code__startswith=stem).values_list(
            "implementation_code", flat=True
        )
    )
    for serial in range(10):
        code = f"{stem}{serial}"
        if code not in taken:
            return code
    raise _fail(
        {"implementation_code": f"以 {stem} 开头的实施编码已用完，请指定实施编码"},
        "item_invalid",
    )


def _implementation_code_clean(
    errors: dict[str, str], code: str | None, agency: Agency, entry: CatalogEntry
) -> str:
    if code is None or not str(code).strip():
        try:
            text = _generated_code(agency, entry)
        except ValidationFailed as exc:
            errors.update(exc.fields)
            return ""
    else:
        text = str(code).strip().upper()
    if not implementation_code_pattern().match(text):
        errors["implementation_code"] = (
            f"实施编码 {text} 格式不正确"
            "（应为实施机构的18位统一社会信用代码加1至22位数字或大写字母）"
        )
    elif not text.startswith(agency.credit_code):
        errors["implementation_code"] = (
            f"实施编码应以实施机构「{agency.name}」的统一社会信用代码 {agency.credit_code} 开头"
        )
    elif ServiceItem.objects.filter(implementation_code=text).exists():
        errors["implementation_code"] = f"实施编码 {text} 已被使用"
    return text


def _codes_of(model: type[Tag] | type[Topic], codes: Sequence[str], label: str) -> list[Any]:
    wanted = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
    rows = {r.code: r for r in model.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in rows]
    if missing:
        raise _fail({label: f"不存在的代码：{'、'.join(missing)}"}, "classification_invalid")
    return [rows[c] for c in wanted]


def _entry_version_for_item(entry: CatalogEntry) -> CatalogEntryVersion:
    if entry.current_id:
        return CatalogEntryVersion.objects.select_related("item_type").get(pk=entry.current_id)
    latest = entry.versions.select_related("item_type").order_by("-number").first()
    if latest is None:  # pragma: no cover - every entry is created with a version
        raise Conflict(f"基本目录事项 {entry.basic_code} 没有版本", code="entry_unpublished")
    return latest


def _refresh_search(item: ServiceItem, name: str) -> None:
    initials, full = search_keys(name)
    item.search_name = name[:200]
    item.search_initials = initials
    item.search_pinyin = full


@service_transaction
def service_item_create(
    *,
    actor: Actor,
    entry: CatalogEntry,
    agency: Agency,
    division: Division,
    guide: GuideDoc,
    implementation_code: str | None = None,
    is_convenience: bool = False,
    tags: Sequence[str] = (),
    topics: Sequence[str] = (),
) -> ItemVersion:
    """An agency's implementation of a catalogue entry in a division, with its
    first guide version as a draft. The implementation code starts with the
    agency's credit code; when not given it is the credit code, the entry's
    basic code and a one-digit serial."""
    _require(policies.edit_refusal(actor, agency.pk, agency.name))
    entry = CatalogEntry.objects.select_for_update().get(pk=entry.pk)
    errors: dict[str, str] = {}
    if entry.lifecycle == Lifecycle.CANCELLED:
        errors["entry"] = f"基本目录事项 {entry.basic_code} 已取消"
    if not agency.active:
        errors["agency"] = f"「{agency.name}」已停用"
    agency_division = Division.objects.only("code", "name").get(pk=agency.division_id)
    if not in_subtree(division.code, agency_division.code):
        errors["division"] = (
            f"实施区划{division.name}不在实施机构「{agency.name}」所在区划"
            f"（{agency_division.name}）内"
        )
    entry_version = _entry_version_for_item(entry)
    levels = entry_version.exercise_levels or []
    if levels and division.level not in levels:
        allowed = "、".join(_LEVEL_LABELS.get(lv, lv) for lv in levels)
        errors["division"] = (
            f"「{entry_version.name}」的行使层级为{allowed}，"
            f"不能在{_LEVEL_LABELS.get(division.level, division.level)}实施"
        )
    if not isinstance(is_convenience, bool):
        errors["is_convenience"] = "便民服务事项应为“是”或“否”"
    code = _implementation_code_clean(errors, implementation_code, agency, entry)
    if errors:
        raise _fail(errors, "item_invalid")
    clean = validate_guide(guide)
    tag_rows = _codes_of(Tag, tags, "tags")
    topic_rows = _codes_of(Topic, topics, "topics")
    if (
        ServiceItem.objects.filter(entry=entry, agency=agency, division=division)
        .exclude(lifecycle=Lifecycle.CANCELLED)
        .exists()
    ):
        raise Conflict(
            f"「{agency.name}」在{division.name}已有「{entry_version.name}」的实施清单事项",
            code="item_exists",
        )
    item = ServiceItem(
        implementation_code=code,
        entry=entry,
        agency=agency,
        division=division,
        is_convenience=is_convenience,
        audience=clean.get("audience") or Audience.BOTH,
    )
    _refresh_search(item, entry_version.name)
    try:
        with service_transaction():
            item.save()
    except IntegrityError as exc:
        raise Conflict(f"实施编码 {code} 已被使用", code="implementation_code_taken") from exc
    item.tags.set(tag_rows)
    item.topics.set(topic_rows)
    audit_append(
        actor=actor,
        action="catalog.item_create",
        obj=item,
        change={
            "implementation_code": code,
            "entry": entry.pk,
            "agency": agency.pk,
            "division": division.code,
            "is_convenience": is_convenience,
            "tags": [t.code for t in tag_rows],
            "topics": [t.code for t in topic_rows],
        },
    )
    scalars = {k: clean.get(k, _SCALAR_DEFAULTS[k]) for k in SCALAR_FIELDS}
    version = ItemVersion.objects.create(
        item=item, number=1, entry_version=entry_version, **scalars
    )
    version.windows.set(clean.get("window_ids") or [])
    _create_variants(actor, version, clean.get("variants") or [])  # type: ignore[arg-type]
    _create_materials(actor, version, clean.get("materials") or [])  # type: ignore[arg-type]
    _create_steps(actor, version, clean.get("steps") or [])  # type: ignore[arg-type]
    _create_fees(actor, version, clean.get("fees") or [])  # type: ignore[arg-type]
    _create_faqs(actor, version, clean.get("faqs") or [])  # type: ignore[arg-type]
    audit_append(
        actor=actor,
        action="catalog.item_version_create",
        obj=version,
        change={**_version_state(version), "window_ids": clean.get("window_ids") or []},
    )
    search_row_refresh([item.pk])
    return version


def _locked_item(item: ServiceItem) -> ServiceItem:
    return (
        ServiceItem.objects.select_for_update()
        .select_related("agency", "division", "entry")
        .get(pk=item.pk)
    )


def _locked_version(version: ItemVersion) -> ItemVersion:
    return (
        ItemVersion.objects.select_for_update()
        .select_related(
            "item",
            "item__agency",
            "item__division",
            "item__entry",
            "entry_version",
            "entry_version__item_type",
        )
        .get(pk=version.pk)
    )


def _version_label(v: ItemVersion) -> str:
    return f"「{v.item.search_name or v.item.implementation_code}」第{v.number}版"


@service_transaction
def item_version_revise(
    *, actor: Actor, item: ServiceItem, reason: str, local_only: bool = False
) -> ItemVersion:
    """A new draft copied from the current version with all its rows (R3.5).
    ``local_only``: the change touches only local personal elements and
    follows the local centre's shorter review."""
    item = _locked_item(item)
    _require(policies.edit_refusal(actor, item.agency_id, item.agency.name))
    if item.lifecycle == Lifecycle.CANCELLED:
        raise Conflict(f"「{item.search_name}」已取消，不能再修订", code="lifecycle_state")
    pending = item.versions.filter(status__in=OPEN_STATUSES).order_by("-number").first()
    if pending is not None:
        raise Conflict(
            f"「{item.search_name}」第{pending.number}版{_status_label(pending.status)}，"
            "尚未发布；同一事项同时只能有一个未发布的版本，请先处理该版本",
            code="draft_exists",
        )
    errors: dict[str, str] = {}
    why = _text(errors, "reason", reason, label="变更理由", max_length=500, required=True)
    if not isinstance(local_only, bool):
        errors["local_only"] = "仅变更个性化要素应为“是”或“否”"
    if errors:
        raise _fail(errors, "item_invalid")
    base_id = item.current_id or item.versions.order_by("-number").values_list("pk", flat=True)[0]
    base = ItemVersion.objects.get(pk=base_id)
    entry_version = (
        CatalogEntryVersion.objects.get(pk=item.entry.current_id)
        if item.entry.current_id
        else base.entry_version
    )
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    copy = {
        f.name: getattr(base, f.name)
        for f in ItemVersion._meta.concrete_fields
        if f.name
        not in {
            "id",
            "item",
            "number",
            "status",
            "entry_version",
            "change_reason",
            "local_only",
            "valid_from",
            "valid_to",
            "created_at",
        }
    }
    version = ItemVersion.objects.create(
        item=item,
        number=number,
        entry_version=entry_version,
        change_reason=why,
        local_only=local_only,
        **copy,
    )
    version.windows.set(list(base.windows.values_list("pk", flat=True)))
    doc = _doc_of(base)
    _create_variants(actor, version, doc["variants"])
    _create_materials(actor, version, doc["materials"], _material_files(base))
    _create_steps(actor, version, doc["steps"])
    _create_fees(actor, version, doc["fees"])
    _create_faqs(actor, version, doc["faqs"])
    audit_append(
        actor=actor,
        action="catalog.item_version_create",
        obj=version,
        change={**_version_state(version), "from": base.pk},
    )
    return version


@service_transaction
def item_version_update(*, actor: Actor, version: ItemVersion, guide: GuideDoc) -> ItemVersion:
    """Change a draft (or returned) version: keys present replace, lists
    replace whole. A version submitted or published is immutable."""
    v = _locked_version(version)
    _require(policies.edit_refusal(actor, v.item.agency_id, v.item.agency.name))
    if v.status not in EDITABLE_STATUSES:
        raise Conflict(
            f"{_version_label(v)}{_status_label(v.status)}，已提交或已发布的版本不能修改；"
            "请修订出新的草稿",
            code="version_immutable",
        )
    base = _doc_of(v)
    clean = validate_guide(guide, base=base)
    if v.local_only:
        changed = [k for k, value in clean.items() if base.get(k) != value]
        outside = [k for k in changed if k not in LOCAL_ELEMENTS]
        if outside:
            names = "、".join(_element_label(k) for k in outside)
            raise _fail({"guide": f"本版本仅变更个性化要素，不能修改：{names}"}, "guide_invalid")
    merged = {**base, **clean}
    before = _version_state(v)
    for key in SCALAR_FIELDS:
        if key in clean:
            setattr(v, key, clean[key])  # type: ignore[literal-required]
    was_rejected = v.status == VersionStatus.REJECTED
    v.status = VersionStatus.DRAFT
    v.save()
    if "window_ids" in clean:
        v.windows.set(clean["window_ids"])
    list_keys = {
        k
        for k in LIST_KEYS
        if k in clean and clean[k] != base.get(k)  # type: ignore[literal-required]
    }
    _replace_lists(actor, v, merged, list_keys)
    change: dict[str, Any] = diff(before, _version_state(v))
    for key in sorted(list_keys):
        change[key] = "replaced"
    if "window_ids" in clean and clean["window_ids"] != base.get("window_ids"):
        change["window_ids"] = [base.get("window_ids"), clean["window_ids"]]
    if change or was_rejected:
        audit_append(actor=actor, action="catalog.item_version_update", obj=v, change=change)
    return v


@service_transaction
def item_version_discard(*, actor: Actor, version: ItemVersion) -> ServiceItem:
    """Throw away a draft (or returned) revision with all its rows. The first
    version of an item never published cannot be discarded: cancel the item
    instead."""
    v = _locked_version(version)
    _require(policies.edit_refusal(actor, v.item.agency_id, v.item.agency.name))
    if v.status not in EDITABLE_STATUSES:
        raise _state_conflict(_version_label(v), v.status, "放弃")
    if not v.item.current_id:
        raise Conflict(
            f"{_version_label(v)}是该事项唯一的版本，不能放弃；不再需要该事项请申请取消",
            code="version_state",
        )
    item = v.item
    _delete_rows(actor, list(MaterialSpec.objects.filter(version=v)), "catalog.material_delete")
    for model, action in (
        (Variant, "catalog.variant_delete"),
        (StepSpec, "catalog.step_delete"),
        (Fee, "catalog.fee_delete"),
        (Faq, "catalog.faq_delete"),
    ):
        _delete_rows(actor, list(model.objects.filter(version=v)), action)  # type: ignore[attr-defined]
    v.windows.clear()
    pk, number = v.pk, v.number
    v.delete()
    audit_append(
        actor=actor,
        action="catalog.item_version_discard",
        object_type="catalog.itemversion",
        object_id=str(pk),
        change={"item": item.pk, "number": number},
    )
    return item


def _element_label(key: str) -> str:
    if key == "window_ids":
        return "办理窗口"
    if key in LIST_KEYS:
        return {
            "variants": "办理项",
            "materials": "申请材料",
            "steps": "办理环节",
            "fees": "收费项目",
            "faqs": "常见问题",
        }[key]
    return _label(ItemVersion, key)


def _missing(v: ItemVersion, entry_version: CatalogEntryVersion) -> list[str]:
    return missing_elements(
        _doc_of(v),  # type: ignore[arg-type]
        convenience=v.item.is_convenience,
        is_power=entry_version.item_type.is_power,
        legal_basis=entry_version.legal_basis,
    )


def _published_entry_version(item: ServiceItem) -> CatalogEntryVersion | None:
    entry = CatalogEntry.objects.get(pk=item.entry_id)
    if not entry.current_id:
        return None
    return CatalogEntryVersion.objects.select_related("item_type").get(pk=entry.current_id)


def _transition(
    actor: Actor, v: ItemVersion, to: str, action: str, note: str = "", **extra: Any
) -> ItemVersion:
    before = v.status
    v.status = to
    v.save()
    audit_append(
        actor=actor, action=action, obj=v, change={"status": [before, to], "note": note, **extra}
    )
    return v


@service_transaction
def item_version_submit(*, actor: Actor, version: ItemVersion) -> ItemVersion:
    """Send a draft to the service centre's review. Refused while any required
    element is missing, naming every one (R3.4, R3.8)."""
    v = _locked_version(version)
    _require(policies.edit_refusal(actor, v.item.agency_id, v.item.agency.name))
    if v.status not in EDITABLE_STATUSES:
        raise _state_conflict(_version_label(v), v.status, "提交")
    if v.item.lifecycle == Lifecycle.CANCELLED:
        raise Conflict(f"「{v.item.search_name}」已取消", code="lifecycle_state")
    pinned = _published_entry_version(v.item) or v.entry_version
    missing = _missing(v, pinned)
    if missing:
        raise GuideIncomplete(missing, action="提交审核")
    extra: dict[str, Any] = {}
    if pinned.pk != v.entry_version_id:
        extra["entry_version"] = [v.entry_version_id, pinned.pk]
        v.entry_version = pinned
    return _transition(actor, v, VersionStatus.SUBMITTED, "catalog.item_version_submit", **extra)


@service_transaction
def item_version_review(
    *, actor: Actor, version: ItemVersion, approve: bool, note: str = ""
) -> ItemVersion:
    """The service centre's review: approve (then publish) or return with a
    reason. A local-only version is reviewed by the local centre (R3.5)."""
    v = _locked_version(version)
    _require(
        policies.centre_refusal(actor, "catalog.review", v.item.division, local_only=v.local_only)
    )
    if v.status != VersionStatus.SUBMITTED:
        raise _state_conflict(_version_label(v), v.status, "审核")
    text = _decision_note(note, approve)
    if approve:
        return _transition(actor, v, VersionStatus.APPROVED, "catalog.item_version_approve", text)
    return _transition(actor, v, VersionStatus.REJECTED, "catalog.item_version_reject", text)


@service_transaction
def item_version_publish(
    *, actor: Actor, version: ItemVersion, valid_from: dt.datetime | None = None
) -> ItemVersion:
    """Publish an approved version (R3.5): it becomes the item's current
    version from ``valid_from`` (now by default); the previous one is
    superseded and valid until then, so validity windows never overlap. The
    version pins the entry's published version, whose name, type and legal
    basis it shows (R3.3). Cases pinned to the old version keep it."""
    v = _locked_version(version)
    _require(
        policies.centre_refusal(actor, "catalog.publish", v.item.division, local_only=v.local_only)
    )
    if v.status != VersionStatus.APPROVED:
        raise _state_conflict(_version_label(v), v.status, "发布")
    item = _locked_item(v.item)
    if item.lifecycle == Lifecycle.CANCELLED:
        raise Conflict(f"「{item.search_name}」已取消，不能发布", code="lifecycle_state")
    pinned = _published_entry_version(item)
    if pinned is None:
        raise Conflict(
            f"基本目录事项「{v.entry_version.name}」（{item.entry.basic_code}）尚未发布，"
            "实施清单事项不能发布",
            code="entry_unpublished",
        )
    missing = _missing(v, pinned)
    if missing:
        raise GuideIncomplete(missing, action="发布")
    now = timezone.now()
    start = valid_from or now
    if timezone.is_naive(start):
        raise _fail({"valid_from": "生效时间须带时区"}, "valid_from_invalid")
    previous = (
        ItemVersion.objects.select_for_update().get(pk=item.current_id) if item.current_id else None
    )
    if previous is not None and previous.valid_from and start < previous.valid_from:
        raise _fail(
            {
                "valid_from": (
                    f"生效时间不能早于上一版本（第{previous.number}版）的生效时间 "
                    f"{timezone.localtime(previous.valid_from):%Y-%m-%d %H:%M}"
                )
            },
            "valid_from_invalid",
        )
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.valid_to = start
        previous.save(update_fields=["status", "valid_to"])
        audit_append(
            actor=actor,
            action="catalog.item_version_supersede",
            obj=previous,
            change={
                "status": [VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED],
                "valid_to": start.isoformat(),
                "by": v.pk,
            },
        )
    before_pin = v.entry_version_id
    v.entry_version = pinned
    v.status = VersionStatus.PUBLISHED
    v.valid_from = start
    v.valid_to = None
    v.save()
    audit_append(
        actor=actor,
        action="catalog.item_version_publish",
        obj=v,
        change={
            "status": [VersionStatus.APPROVED, VersionStatus.PUBLISHED],
            "valid_from": start.isoformat(),
            "entry_version": [before_pin, pinned.pk],
        },
    )
    before_item = {"current": item.current_id, "search_name": item.search_name}
    item.current = v
    item.audience = v.audience or item.audience
    _refresh_search(item, pinned.name)
    item.save()
    audit_append(
        actor=actor,
        action="catalog.item_set_current",
        obj=item,
        change=diff(before_item, {"current": v.pk, "search_name": item.search_name}),
    )
    search_row_refresh([item.pk])
    return v


# --- classification and lifecycle (R3.7, R4.3, R4.4) ------------------------------------


@service_transaction
def service_item_set_classification(
    *,
    actor: Actor,
    item: ServiceItem,
    tags: Sequence[str],
    topics: Sequence[str],
    audience: str | None = None,
) -> ServiceItem:
    """The special-service lists (R3.7), portal topics and audience of an item:
    by its editors or the centre that publishes it."""
    item = _locked_item(item)
    if not policies.may_edit(actor, item.agency_id):
        _require(policies.centre_refusal(actor, "catalog.publish", item.division))
    if audience is not None and audience not in Audience.values:
        raise _fail({"audience": "请选择服务对象（自然人、法人）"}, "classification_invalid")
    tag_rows = _codes_of(Tag, tags, "tags")
    topic_rows = _codes_of(Topic, topics, "topics")
    before = {
        "tags": sorted(item.tags.values_list("code", flat=True)),
        "topics": sorted(item.topics.values_list("code", flat=True)),
        "audience": item.audience,
    }
    after = {
        "tags": sorted(t.code for t in tag_rows),
        "topics": sorted(t.code for t in topic_rows),
        "audience": audience or item.audience,
    }
    if before == after:
        return item
    item.tags.set(tag_rows)
    item.topics.set(topic_rows)
    if audience is not None and audience != item.audience:
        item.audience = audience
        item.save(update_fields=["audience"])
    audit_append(actor=actor, action="catalog.item_classify", obj=item, change=diff(before, after))
    search_row_refresh([item.pk])
    return item


def _lifecycle_label(value: str) -> str:
    return str(Lifecycle(value).label)


@service_transaction
def service_item_suspend(*, actor: Actor, item: ServiceItem, reason: str, note: str) -> ServiceItem:
    """Suspend an item for one of the R4.3 reasons. Its guide stays public
    with the reason; it receives no applications (R4.4)."""
    item = _locked_item(item)
    _require(policies.centre_refusal(actor, "catalog.publish", item.division))
    errors: dict[str, str] = {}
    if reason not in SuspendReason.values:
        errors["reason"] = (
            f"请选择暂停原因：{'、'.join(str(label) for label in SuspendReason.labels)}"
        )
    text = _text(errors, "note", note, label="暂停说明", max_length=500, required=True)
    if errors:
        raise _fail(errors, "lifecycle_state")
    if item.lifecycle != Lifecycle.ACTIVE:
        raise Conflict(
            f"「{item.search_name}」{_lifecycle_label(item.lifecycle)}，不能暂停",
            code="lifecycle_state",
        )
    if not item.current_id:
        raise Conflict(f"「{item.search_name}」尚未发布，无需暂停", code="lifecycle_state")
    item.lifecycle = Lifecycle.SUSPENDED
    item.suspend_reason = reason
    item.suspend_note = text
    item.save(update_fields=["lifecycle", "suspend_reason", "suspend_note"])
    audit_append(
        actor=actor,
        action="catalog.item_suspend",
        obj=item,
        change={
            "lifecycle": [Lifecycle.ACTIVE, Lifecycle.SUSPENDED],
            "reason": reason,
            "note": text,
        },
    )
    search_row_refresh([item.pk])
    return item


@service_transaction
def service_item_resume(*, actor: Actor, item: ServiceItem, note: str = "") -> ServiceItem:
    """Resume a suspended item (R4.3)."""
    item = _locked_item(item)
    _require(policies.centre_refusal(actor, "catalog.publish", item.division))
    errors: dict[str, str] = {}
    text = _text(errors, "note", note, label="恢复说明", max_length=500)
    if errors:
        raise _fail(errors, "lifecycle_state")
    if item.lifecycle != Lifecycle.SUSPENDED:
        raise Conflict(
            f"「{item.search_name}」{_lifecycle_label(item.lifecycle)}，不是暂停状态，无需恢复",
            code="lifecycle_state",
        )
    before = {"reason": item.suspend_reason, "note": item.suspend_note}
    item.lifecycle = Lifecycle.ACTIVE
    item.suspend_reason = ""
    item.suspend_note = ""
    item.save(update_fields=["lifecycle", "suspend_reason", "suspend_note"])
    audit_append(
        actor=actor,
        action="catalog.item_resume",
        obj=item,
        change={
            "lifecycle": [Lifecycle.SUSPENDED, Lifecycle.ACTIVE],
            "suspended": before,
            "note": text,
        },
    )
    search_row_refresh([item.pk])
    return item


@service_transaction
def service_item_cancel(*, actor: Actor, item: ServiceItem, note: str) -> ServiceItem:
    """Cancel an item: gone from applications and the portal's lists; its
    versions stay readable for the cases pinned to them."""
    item = _locked_item(item)
    _require(policies.centre_refusal(actor, "catalog.publish", item.division))
    errors: dict[str, str] = {}
    text = _text(errors, "note", note, label="取消理由", max_length=500, required=True)
    if errors:
        raise _fail(errors, "lifecycle_state")
    if item.lifecycle == Lifecycle.CANCELLED:
        raise Conflict(f"「{item.search_name}」已取消", code="lifecycle_state")
    before = item.lifecycle
    item.lifecycle = Lifecycle.CANCELLED
    item.save(update_fields=["lifecycle"])
    audit_append(
        actor=actor,
        action="catalog.item_cancel",
        obj=item,
        change={"lifecycle": [before, Lifecycle.CANCELLED], "note": text},
    )
    search_row_refresh([item.pk])
    return item


# --- bundles (R6.5) ------------------------------------------------------------------

_BUNDLE_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{2,39}$")


@service_transaction
def bundle_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    division: Division,
    lead_agency: Agency,
    audience: str,
    items: Sequence[ServiceItem],
    description: str = "",
    promised_limit: int | None = None,
) -> Bundle:
    """A "one thing" (一件事) bundle of published items of the division, the
    divisions above it or below it: one form, one set of materials (R6.5)."""
    _require(policies.centre_refusal(actor, "catalog.bundles", division))
    errors: dict[str, str] = {}
    text_code = (code or "").strip()
    pattern = getattr(settings, "YIWANG_BUNDLE_CODE_PATTERN", None)
    if not (re.compile(pattern) if pattern else _BUNDLE_CODE).match(text_code):
        errors["code"] = "一件事编码须为3至40位字母、数字、点、下划线或连字符"
    name = _text(errors, "name", name, label="名称", max_length=100, required=True)
    description = _text(errors, "description", description, label="说明", max_length=_TEXT_LIMIT)
    if audience not in Audience.values:
        errors["audience"] = "请选择服务对象"
    limit = _int(errors, "promised_limit", promised_limit, label="承诺办结时限", nullable=True)
    if not lead_agency.active:
        errors["lead_agency"] = f"「{lead_agency.name}」已停用"
    ids = list(dict.fromkeys(i.pk for i in items))
    rows = {r.pk: r for r in ServiceItem.objects.select_related("division").filter(pk__in=ids)}
    if len(ids) < 2:
        errors["items"] = "一件事至少包含两个事项"
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            errors["items"] = f"事项 {pk} 不存在"
            continue
        label = row.search_name or row.implementation_code
        if row.lifecycle != Lifecycle.ACTIVE or not row.current_id:
            errors["items"] = f"「{label}」不是已发布的在用事项"
        elif not (
            in_subtree(row.division.code, division.code)
            or in_subtree(division.code, row.division.code)
        ):
            errors["items"] = f"「{label}」的实施区划{row.division.name}与{division.name}无隶属关系"
    if errors:
        raise _fail(errors, "bundle_invalid")
    if Bundle.objects.filter(code=text_code).exists():
        raise _fail({"code": f"一件事编码 {text_code} 已被使用"}, "bundle_code_taken")
    try:
        with service_transaction():
            bundle = Bundle.objects.create(
                code=text_code,
                name=name,
                description=description,
                division=division,
                lead_agency=lead_agency,
                audience=audience,
                promised_limit=limit,
            )
    except IntegrityError as exc:
        raise Conflict(f"一件事编码 {text_code} 已被使用", code="bundle_code_taken") from exc
    audit_append(
        actor=actor,
        action="catalog.bundle_create",
        obj=bundle,
        change={
            "code": text_code,
            "name": name,
            "division": division.code,
            "lead_agency": lead_agency.pk,
            "audience": audience,
            "items": ids,
        },
    )
    for order, pk in enumerate(ids, start=1):
        member = BundleMember.objects.create(bundle=bundle, item=rows[pk], order=order)
        audit_append(
            actor=actor,
            action="catalog.bundle_member_add",
            obj=member,
            change={"bundle": bundle.pk, "item": pk, "order": order},
        )
    return bundle
