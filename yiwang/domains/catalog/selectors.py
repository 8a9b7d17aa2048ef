"""Reads of the catalogue domain.

- ``item_for_application``: the case domain's gate (R4.4) — only a listed,
  active item with a version valid now receives applications.
- ``guide_doc_of``, ``item_version_missing``, ``version_diff``: a version as a
  guide document, what it lacks, and what changed between two versions (R3.5).
- ``item_version_public``: a pinned version by id (portal search and guides are
  in public.py): published items that are
  active or suspended — a suspended item stays public with its reason (R4.3).
- console lists scoped by the viewer's permissions, in one query each.
- reports: ``same_level_differences`` (平级相同, R3.3) and the merged material
  list and form of a bundle (R6.5).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.errors import NotFound
from yiwang.domains.catalog import policies
from yiwang.domains.catalog.errors import ItemNotAcceptingApplications
from yiwang.domains.catalog.guide import SCALAR_FIELDS, GuideDoc, missing_elements
from yiwang.domains.catalog.models import (
    Audience,
    Bundle,
    CatalogEntry,
    CatalogEntryVersion,
    Faq,
    Fee,
    HandlingKind,
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
from yiwang.domains.orgs.models import Agency, Division, DivisionLevel, Window
from yiwang.domains.orgs.policies import scope_prefixes

PER_PAGE = 20
LIVE = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
LISTED = (Lifecycle.ACTIVE, Lifecycle.SUSPENDED)


def paginate(qs: Any, page: Any, per_page: int = PER_PAGE) -> Page:
    return Paginator(qs, per_page).get_page(page)


def _prefix_q(field: str, prefixes: Sequence[str] | None) -> Q:
    """Rows whose ``field`` (a division code) starts with one of the prefixes;
    None means everywhere, [] nowhere."""
    if prefixes is None:
        return Q()
    cond = Q(pk__in=[])
    for p in prefixes:
        cond |= Q(**{f"{field}__startswith": p})
    return cond


# --- a version as a guide document ---------------------------------------------------


def _application_prefetch() -> list[Prefetch]:
    """What checking and submitting an application reads of its version."""
    return [
        Prefetch("variants", queryset=Variant.objects.order_by("order", "pk")),
        Prefetch("materials", queryset=MaterialSpec.objects.order_by("order", "pk")),
        Prefetch("steps", queryset=StepSpec.objects.order_by("order", "pk")),
    ]


def version_rows_prefetch() -> list[Prefetch]:
    """Prefetches that let ``guide_doc_of`` read a version without further queries."""
    return [
        *_application_prefetch(),
        Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")),
        Prefetch("faqs", queryset=Faq.objects.order_by("order", "pk")),
        Prefetch("windows"),
    ]


def _rows(version: ItemVersion, name: str) -> list[Any]:
    cache = getattr(version, "_prefetched_objects_cache", {})
    if name in cache:
        return list(cache[name])
    return list(getattr(version, name).order_by("order", "pk"))


def guide_doc_of(version: ItemVersion) -> GuideDoc:
    """The version as a GuideDoc: every scalar element and every row, in the
    shape ``service_item_create`` and ``item_version_update`` accept (a round
    trip gives the same document). Six queries, none when prefetched."""
    doc: dict[str, Any] = {k: getattr(version, k) for k in SCALAR_FIELDS}
    doc["delivery_ways"] = list(doc["delivery_ways"] or [])
    variants = _rows(version, "variants")
    codes = {v.pk: v.code for v in variants}
    doc["variants"] = [
        {"code": v.code, "name": v.name, "form_schema": dict(v.form_schema or {})} for v in variants
    ]
    materials = []
    for m in _rows(version, "materials"):
        row: dict[str, Any] = {
            "code": m.code,
            "name": m.name,
            "kind": m.kind,
            "form": m.form,
            "necessity": m.necessity,
            "copies": m.copies,
            "page_format": m.page_format,
            "source": m.source,
            "source_note": m.source_note,
            "acceptance_standard": m.acceptance_standard,
            "legal_basis": m.legal_basis,
            "filling_notes": m.filling_notes,
            "certificate_type_code": m.certificate_type_code,
        }
        if m.pledge_text:  # 告知承诺 is rare: absent when not allowed
            row["pledge_text"] = m.pledge_text
        if m.variant_id:
            row["variant"] = codes.get(m.variant_id, "")
        materials.append(row)
    doc["materials"] = materials
    doc["steps"] = [
        {
            "code": s.code,
            "name": s.name,
            "role_code": s.role_code,
            "time_limit": s.time_limit,
            "time_unit": s.time_unit,
            "is_special": s.is_special,
            "description": s.description,
        }
        for s in _rows(version, "steps")
    ]
    doc["fees"] = [
        {
            "name": f.name,
            "standard": f.standard,
            "legal_basis": f.legal_basis,
            "reducible": f.reducible,
            "reduction_note": f.reduction_note,
        }
        for f in _rows(version, "fees")
    ]
    doc["faqs"] = [{"question": q.question, "answer": q.answer} for q in _rows(version, "faqs")]
    cache = getattr(version, "_prefetched_objects_cache", {})
    if "windows" in cache:
        doc["window_ids"] = sorted(w.pk for w in cache["windows"])
    else:
        doc["window_ids"] = sorted(version.windows.values_list("pk", flat=True))
    return doc  # type: ignore[return-value]


def item_version_missing(version: ItemVersion) -> list[str]:
    """The Chinese names of the required guide elements the version lacks
    (R3.4, R3.8): the same check submit and publish apply, reused by
    supervision (R10.1)."""
    ev = version.entry_version
    entry = version.item.entry
    if entry.current_id and entry.current_id != ev.pk and version.status not in LIVE:
        ev = CatalogEntryVersion.objects.select_related("item_type").get(pk=entry.current_id)
    return missing_elements(
        guide_doc_of(version),
        convenience=version.item.is_convenience,
        is_power=ev.item_type.is_power,
        legal_basis=ev.legal_basis,
    )


# --- the diff of two versions (R3.5) ----------------------------------------------------

_CHOICES: dict[str, dict[str, str]] = {
    "audience": dict(Audience.choices),
    "handling_kind": dict(HandlingKind.choices),
    "statutory_unit": dict(LimitUnit.choices),
    "promised_unit": dict(LimitUnit.choices),
}
DELIVERY_LABELS = {"window": "窗口领取", "mail": "邮寄送达", "electronic": "电子送达"}


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _yes(value: Any) -> str:
    return "是" if value else "否"


def scalar_text(key: str, value: Any) -> str:
    """An element's value as a reader sees it."""
    if value is None:
        return ""
    if key in _CHOICES:
        return _CHOICES[key].get(value, str(value))
    if key == "delivery_ways":
        return "、".join(DELIVERY_LABELS.get(w, w) for w in value or [])
    if isinstance(value, bool):
        return _yes(value)
    return str(value)


def _variant_text(v: Mapping[str, Any]) -> str:
    fields = sorted((v.get("form_schema") or {}).get("properties", {}) or {})
    text = f"{v['name']}（{v['code']}）"
    return f"{text}；申请表字段：{'、'.join(fields)}" if fields else text


def _material_text(m: Mapping[str, Any]) -> str:
    parts = [
        dict(MaterialSpec.Kind.choices).get(m["kind"], m["kind"]),
        dict(MaterialSpec.Form.choices).get(m["form"], m["form"]),
        dict(MaterialSpec.Necessity.choices).get(m["necessity"], m["necessity"]),
        f"{m.get('copies', 1)}份",
        dict(MaterialSpec.Source.choices).get(m["source"], m["source"]),
    ]
    for key in ("page_format", "source_note", "acceptance_standard", "legal_basis"):
        if m.get(key):
            parts.append(f"{_label(MaterialSpec, key)}：{m[key]}")
    if m.get("certificate_type_code"):
        parts.append(f"对应证照类型：{m['certificate_type_code']}")
    if m.get("variant"):
        parts.append(f"仅用于办理项 {m['variant']}")
    if m.get("filling_notes"):
        parts.append(f"填报须知：{m['filling_notes']}")
    return f"{m['name']}（{'，'.join(parts)}）"


def _step_text(s: Mapping[str, Any]) -> str:
    unit = dict(LimitUnit.choices).get(s.get("time_unit", ""), "")
    special = "，特别程序" if s.get("is_special") else ""
    desc = f"，{s['description']}" if s.get("description") else ""
    return f"{s['name']}（{s.get('role_code', '')}，{s['time_limit']}{unit}{special}{desc}）"


def _fee_text(f: Mapping[str, Any]) -> str:
    reduce = f"，可减免：{f.get('reduction_note', '')}" if f.get("reducible") else ""
    return f"{f['name']}：{f['standard']}（依据：{f['legal_basis']}{reduce}）"


def _faq_text(q: Mapping[str, Any]) -> str:
    return f"问：{q['question']} 答：{q['answer']}"


# (guide key, Chinese name of one row, identity of a row, text of a row)
_LISTS: tuple[tuple[str, str, Any, Any], ...] = (
    ("variants", "办理项", lambda r: r["code"], _variant_text),
    ("materials", "申请材料", lambda r: r["code"], _material_text),
    ("steps", "办理环节", lambda r: r["code"], _step_text),
    ("fees", "收费项目", lambda r: r["name"], _fee_text),
    ("faqs", "常见问题", lambda r: r["question"], _faq_text),
)


def _legal_text(refs: Iterable[Mapping[str, Any]]) -> str:
    return "；".join(
        " ".join(x for x in (r.get("title", ""), r.get("article", "")) if x) for r in refs
    )


def version_diff(old: ItemVersion, new: ItemVersion) -> list[dict[str, str]]:
    """Every element that differs between two versions of a guide, in guide
    order: [{"element": Chinese name, "before": text, "after": text}]. Rows of
    the lists are matched by code (fees by name, FAQs by question); a row
    added shows an empty "before", a row removed an empty "after"."""
    out: list[dict[str, str]] = []
    ev_old, ev_new = old.entry_version, new.entry_version
    if ev_old.pk != ev_new.pk:
        for label, a, b in (
            ("事项名称", ev_old.name, ev_new.name),
            ("事项类型", ev_old.item_type.name, ev_new.item_type.name),
            ("设定依据", _legal_text(ev_old.legal_basis), _legal_text(ev_new.legal_basis)),
        ):
            if a != b:
                out.append({"element": label, "before": a, "after": b})
    a_doc: dict[str, Any] = dict(guide_doc_of(old))
    b_doc: dict[str, Any] = dict(guide_doc_of(new))
    for key in SCALAR_FIELDS:
        va, vb = a_doc.get(key), b_doc.get(key)
        if va != vb:
            out.append(
                {
                    "element": _label(ItemVersion, key),
                    "before": scalar_text(key, va),
                    "after": scalar_text(key, vb),
                }
            )
    for key, row_label, ident, text in _LISTS:
        a_rows = {ident(r): r for r in a_doc.get(key) or []}
        b_rows = {ident(r): r for r in b_doc.get(key) or []}
        for k in list(a_rows) + [k for k in b_rows if k not in a_rows]:
            ra, rb = a_rows.get(k), b_rows.get(k)
            if ra == rb:
                continue
            name = (rb or ra or {}).get("name") or (rb or ra or {}).get("question") or k
            out.append(
                {
                    "element": f"{row_label}“{name}”",
                    "before": text(ra) if ra else "",
                    "after": text(rb) if rb else "",
                }
            )
        a_order = [ident(r) for r in a_doc.get(key) or []]
        b_order = [ident(r) for r in b_doc.get(key) or []]
        common_a = [k for k in a_order if k in b_rows]
        common_b = [k for k in b_order if k in a_rows]
        if common_a != common_b:
            out.append(
                {
                    "element": f"{row_label}顺序",
                    "before": "→".join(str(a_rows[k].get("name", k)) for k in common_a),
                    "after": "→".join(str(b_rows[k].get("name", k)) for k in common_b),
                }
            )
    if a_doc.get("window_ids") != b_doc.get("window_ids"):
        names = {
            w.pk: str(w) for w in list(old.windows.select_related("hall")) + list(new.windows.all())
        }
        out.append(
            {
                "element": "办理窗口",
                "before": "、".join(names.get(i, str(i)) for i in a_doc.get("window_ids") or []),
                "after": "、".join(names.get(i, str(i)) for i in b_doc.get("window_ids") or []),
            }
        )
    return out


# --- applications (R4.4) -----------------------------------------------------------------


def _item_label(item: ServiceItem) -> str:
    return f"「{item.search_name or item.implementation_code}」"


def item_for_application(
    *, item_id: int, variant_code: str | None = None, whole_guide: bool = True
) -> ItemVersion:
    """The version of an item that an application made now is pinned to.

    Refused (ItemNotAcceptingApplications, code "item_not_accepting") when the
    item is not on the implementation list, is suspended or cancelled, its
    catalogue entry is cancelled, no version is valid now, or the handling
    variant does not exist (R4.4). The version comes with its item, entry
    version, variants, materials and steps loaded, and with ``whole_guide``
    its fees, questions and windows too (the pages show them; submitting
    does not need them)."""
    item = (
        ServiceItem.objects.select_related("entry").filter(pk=item_id).first()
        if isinstance(item_id, int)
        else None
    )
    if item is None:
        raise ItemNotAcceptingApplications("该事项不在实施清单中，不能受理申请")
    label = _item_label(item)
    if item.lifecycle == Lifecycle.CANCELLED or item.entry.lifecycle == Lifecycle.CANCELLED:
        raise ItemNotAcceptingApplications(f"{label}已取消，不能受理申请")
    if item.lifecycle == Lifecycle.SUSPENDED:
        reason = SuspendReason(item.suspend_reason).label if item.suspend_reason else "暂停"
        note = f"：{item.suspend_note}" if item.suspend_note else ""
        raise ItemNotAcceptingApplications(f"{label}已暂停办理（{reason}{note}），暂不受理申请")
    now = timezone.now()
    version = (
        ItemVersion.objects.select_related(
            "item",
            "item__agency",
            "item__division",
            "item__entry",
            "entry_version",
            "entry_version__item_type",
        )
        .prefetch_related(*(version_rows_prefetch() if whole_guide else _application_prefetch()))
        .filter(item=item, status__in=LIVE, valid_from__lte=now)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .order_by("-valid_from")
        .first()
    )
    if version is None:
        raise ItemNotAcceptingApplications(f"{label}尚未发布办事指南，不能受理申请")
    if variant_code:
        codes = [v.code for v in version.variants.all()]
        if variant_code not in codes:
            raise ItemNotAcceptingApplications(
                f"{label}没有办理项 {variant_code}（可选：{'、'.join(codes) or '无'}）"
            )
    return version


# --- the portal (public) ----------------------------------------------------------------


def item_version_public(*, version_id: int) -> ItemVersion:
    """Any published or superseded version by its id — a case pinned to an old
    version reads the old content — with every row loaded."""
    version = (
        ItemVersion.objects.select_related(
            "item", "item__agency", "item__division", "entry_version", "entry_version__item_type"
        )
        .prefetch_related(*version_rows_prefetch())
        .filter(pk=version_id, status__in=LIVE)
        .first()
    )
    if version is None:
        raise NotFound("该版本不存在或尚未发布", code="version_not_found")
    return version


def tags_all() -> list[Tag]:
    return list(Tag.objects.order_by("order", "code"))


def topics_all(kind: str = "") -> list[Topic]:
    qs = Topic.objects.order_by("kind", "order", "code")
    return list(qs.filter(kind=kind) if kind else qs)


# --- console lists ------------------------------------------------------------------------


def _latest_version_subquery(field: str) -> Subquery:
    return Subquery(
        ItemVersion.objects.filter(item=OuterRef("pk")).order_by("-number").values(field)[:1]
    )


def editor_agency_ids(actor: Actor) -> list[int] | None:
    """Agencies whose items the actor compiles; None = all (the platform)."""
    if policies.is_system(actor):
        return None
    if hasattr(actor, "agencies_with"):
        return list(actor.agencies_with("catalog.edit"))
    agency_id = getattr(actor, "agency_id", None)
    return [agency_id] if agency_id is not None else []


def items_for_editor(
    actor: Actor,
    *,
    q: str = "",
    lifecycle: str = "",
    status: str = "",
    page: Any = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """Items of the agencies where the viewer compiles, each with the number
    and status of its latest version (``latest_number``, ``latest_status``).
    One query plus the count."""
    ids = editor_agency_ids(actor)
    qs = ServiceItem.objects.select_related("agency", "division", "current")
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    qs = qs.annotate(
        latest_number=_latest_version_subquery("number"),
        latest_status=_latest_version_subquery("status"),
    )
    if q:
        qs = qs.filter(Q(search_name__icontains=q) | Q(implementation_code__icontains=q.upper()))
    if lifecycle:
        qs = qs.filter(lifecycle=lifecycle)
    if status:
        qs = qs.filter(latest_status=status)
    return paginate(qs.order_by("search_name", "pk"), page, per_page)


def items_for_console(
    actor: Actor,
    *,
    q: str = "",
    lifecycle: str = "",
    status: str = "",
    page: Any = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """Items the viewer works on: those of the agencies where they compile and
    those in the divisions of the centres where they review or publish. Each
    with ``latest_number`` and ``latest_status``; one query plus the count."""
    ids = editor_agency_ids(actor)
    qs = ServiceItem.objects.select_related("agency", "division", "current")
    if ids is not None:
        prefixes = sorted(
            set(policies.centre_scope_prefixes(actor, "catalog.publish") or [])
            | set(policies.centre_scope_prefixes(actor, "catalog.review") or [])
        )
        qs = qs.filter(Q(agency_id__in=ids) | _prefix_q("division__code", prefixes))
    qs = qs.annotate(
        latest_number=_latest_version_subquery("number"),
        latest_status=_latest_version_subquery("status"),
    )
    if q:
        qs = qs.filter(Q(search_name__icontains=q) | Q(implementation_code__icontains=q.upper()))
    if lifecycle:
        qs = qs.filter(lifecycle=lifecycle)
    if status:
        qs = qs.filter(latest_status=status)
    return paginate(qs.order_by("search_name", "pk"), page, per_page)


def editor_agencies(actor: Actor) -> list[Agency]:
    """Active agencies where the actor compiles items (all for the platform)."""
    ids = editor_agency_ids(actor)
    qs = Agency.objects.select_related("division").filter(active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(qs.order_by("division__code", "name"))


def divisions_for_agencies(agencies: Sequence[Agency]) -> list[Division]:
    """Divisions an item of these agencies may be implemented in: each agency's
    division and the towns below it (villages are left out). One query."""
    if not agencies:
        return []
    from yiwang.domains.orgs.policies import subtree_prefix

    cond = Q(pk__in=[])
    for a in agencies:
        cond |= Q(code__startswith=subtree_prefix(a.division.code))
    levels = [lv.value for lv in DivisionLevel if lv != DivisionLevel.VILLAGE]
    return list(Division.objects.filter(cond, level__in=levels).order_by("code"))


def windows_for_item(item: ServiceItem) -> list[Window]:
    """Windows an item's guide may name: those serving its agency and those of
    the halls in its division. One query."""
    return list(
        Window.objects.select_related("hall")
        .filter(Q(agencies=item.agency_id) | Q(hall__division_id=item.division_id), active=True)
        .distinct()
        .order_by("hall__name", "number")
    )


def entries_for_new_item(*, q: str = "", limit: int = 200) -> list[CatalogEntry]:
    """Active catalogue entries with a published version (what an agency may
    implement), by name or basic code."""
    qs = CatalogEntry.objects.select_related("current", "current__item_type").filter(
        lifecycle=Lifecycle.ACTIVE, current__isnull=False
    )
    if q:
        qs = qs.filter(Q(current__name__icontains=q) | Q(basic_code__icontains=q.upper()))
    return list(qs.order_by("basic_code")[:limit])


def item_for_console(item_id: int) -> ServiceItem:
    item = (
        ServiceItem.objects.select_related("agency", "division", "entry", "current")
        .prefetch_related("tags", "topics")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound("事项不存在", code="item_not_found")
    return item


def item_versions(item: ServiceItem) -> list[ItemVersion]:
    return list(
        ItemVersion.objects.select_related("entry_version").filter(item=item).order_by("-number")
    )


def item_version_detail(version_id: int) -> ItemVersion:
    version = (
        ItemVersion.objects.select_related(
            "item",
            "item__agency",
            "item__division",
            "item__entry",
            "entry_version",
            "entry_version__item_type",
        )
        .prefetch_related(*version_rows_prefetch())
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise NotFound("版本不存在", code="version_not_found")
    return version


def open_version(item: ServiceItem) -> ItemVersion | None:
    """The item's version that is not yet published, if any."""
    return (
        ItemVersion.objects.filter(
            item=item,
            status__in=[
                VersionStatus.DRAFT,
                VersionStatus.SUBMITTED,
                VersionStatus.APPROVED,
                VersionStatus.REJECTED,
            ],
        )
        .order_by("-number")
        .first()
    )


def review_queue(
    actor: Actor, *, stage: str = VersionStatus.SUBMITTED, page: Any = 1, per_page: int = PER_PAGE
) -> Page:
    """Item versions waiting for the viewer's centre: ``submitted`` ones to
    review (catalog.review), ``approved`` ones to publish (catalog.publish),
    in the divisions at and below the viewer's centres. One query plus the count."""
    permission = "catalog.publish" if stage == VersionStatus.APPROVED else "catalog.review"
    prefixes = policies.centre_scope_prefixes(actor, permission)
    qs = (
        ItemVersion.objects.select_related(
            "item", "item__agency", "item__division", "entry_version"
        )
        .filter(status=stage)
        .filter(_prefix_q("item__division__code", prefixes))
        .order_by("created_at", "pk")
    )
    return paginate(qs, page, per_page)


def entry_queue(
    actor: Actor, *, stage: str = VersionStatus.SUBMITTED, page: Any = 1, per_page: int = PER_PAGE
) -> Page:
    """Catalogue-entry versions waiting for the viewer: ``submitted`` (centre
    review), ``legal_review`` (legal review), ``approved`` (publish)."""
    if stage == VersionStatus.LEGAL_REVIEW:
        prefixes = (
            None if policies.is_system(actor) else scope_prefixes(actor, "catalog.legal_review")
        )
    else:
        permission = "catalog.publish" if stage == VersionStatus.APPROVED else "catalog.review"
        prefixes = policies.centre_scope_prefixes(actor, permission)
    qs = (
        CatalogEntryVersion.objects.select_related(
            "entry", "entry__owner", "entry__owner__division", "item_type"
        )
        .filter(status=stage)
        .filter(_prefix_q("entry__owner__division__code", prefixes))
        .order_by("created_at", "pk")
    )
    return paginate(qs, page, per_page)


def entries_for_editor(
    actor: Actor, *, q: str = "", page: Any = 1, per_page: int = PER_PAGE
) -> Page:
    """Catalogue entries owned by the agencies where the viewer compiles, with
    the latest version's number and status."""
    ids = editor_agency_ids(actor)
    qs = CatalogEntry.objects.select_related("owner", "current", "current__item_type")
    if ids is not None:
        qs = qs.filter(owner_id__in=ids)
    latest = CatalogEntryVersion.objects.filter(entry=OuterRef("pk")).order_by("-number")
    qs = qs.annotate(
        latest_number=Subquery(latest.values("number")[:1], output_field=IntegerField()),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_name=Subquery(latest.values("name")[:1]),
    )
    if q:
        qs = qs.filter(Q(latest_name__icontains=q) | Q(basic_code__icontains=q.upper()))
    return paginate(qs.order_by("basic_code"), page, per_page)


def entry_detail(entry_id: int) -> CatalogEntry:
    entry = (
        CatalogEntry.objects.select_related("owner", "owner__division", "current", "parent")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound("基本目录事项不存在", code="entry_not_found")
    return entry


def entry_versions(entry: CatalogEntry) -> list[CatalogEntryVersion]:
    return list(entry.versions.select_related("item_type").order_by("-number"))


def entry_version_detail(version_id: int) -> CatalogEntryVersion:
    v = (
        CatalogEntryVersion.objects.select_related(
            "entry", "entry__owner", "entry__owner__division", "item_type"
        )
        .filter(pk=version_id)
        .first()
    )
    if v is None:
        raise NotFound("基本目录版本不存在", code="entry_version_not_found")
    return v


# --- same level, same item (平级相同, R3.3) ------------------------------------------------


def _limit_text(v: ItemVersion) -> str:
    if v.promised_limit is None:
        return "未设定"
    return f"{v.promised_limit}{LimitUnit(v.promised_unit).label}"


def _key_elements(v: ItemVersion) -> dict[str, str]:
    materials = sorted(m.name for m in v.materials.all())
    return {
        "承诺办结时限": _limit_text(v),
        "申请材料数量": str(len(materials)),
        "申请材料": "、".join(materials) or "无",
        "收费": "；".join(sorted(f"{f.name}：{f.standard}" for f in v.fees.all()))
        or ("收费（未列明）" if v.charges_fee else "不收费"),
        "办理环节": "→".join(s.name for s in v.steps.all()) or "无",
    }


def same_level_differences(
    division_level: str, entry: CatalogEntry | None = None, *, within: Any = None
) -> list[dict[str, Any]]:
    """Catalogue entries whose published implementations in divisions of one
    level differ in key elements that do not depend on the name: promised
    limit, the number and names of materials, fees, steps (平级相同, R3.3).

    Each result: {"entry", "name", "basic_code", "items": [{"item",
    "division", "agency", "elements"}], "differences": [{"element",
    "values": [{"division", "agency", "value"}]}]}. ``within`` limits the
    report to the divisions under one division (e.g. the counties of a city).
    Three queries however many items."""
    qs = (
        ServiceItem.objects.filter(
            division__level=division_level,
            lifecycle__in=LISTED,
            current__isnull=False,
        )
        .select_related("division", "agency", "entry", "current", "current__entry_version")
        .prefetch_related(
            Prefetch("current__materials", queryset=MaterialSpec.objects.order_by("order")),
            Prefetch("current__fees", queryset=Fee.objects.order_by("order")),
            Prefetch("current__steps", queryset=StepSpec.objects.order_by("order")),
        )
        .order_by("entry__basic_code", "division__code", "pk")
    )
    if entry is not None:
        qs = qs.filter(entry=entry)
    if within is not None:
        from yiwang.domains.orgs.policies import subtree_prefix

        qs = qs.filter(division__code__startswith=subtree_prefix(within.code))
    groups: dict[int, list[ServiceItem]] = defaultdict(list)
    for item in qs:
        groups[item.entry_id].append(item)
    report: list[dict[str, Any]] = []
    for items in groups.values():
        if len(items) < 2:
            continue
        rows: list[dict[str, Any]] = [
            {
                "item": it,
                "division": it.division.name,
                "agency": it.agency.name,
                "elements": _key_elements(it.current),  # type: ignore[arg-type]
            }
            for it in items
        ]
        differences = []
        for element in rows[0]["elements"]:
            values = {r["elements"][element] for r in rows}
            if len(values) > 1:
                differences.append(
                    {
                        "element": element,
                        "values": [
                            {
                                "division": r["division"],
                                "agency": r["agency"],
                                "value": r["elements"][element],
                            }
                            for r in rows
                        ],
                    }
                )
        if differences:
            first = items[0]
            report.append(
                {
                    "entry": first.entry,
                    "name": first.current.entry_version.name,  # type: ignore[union-attr]
                    "basic_code": first.entry.basic_code,
                    "items": rows,
                    "differences": differences,
                }
            )
    return report


# --- bundles (R6.5) ----------------------------------------------------------------------

_NECESSITY_RANK: dict[str, int] = {
    MaterialSpec.Necessity.REQUIRED: 0,
    MaterialSpec.Necessity.DEFERRABLE: 1,
    MaterialSpec.Necessity.OPTIONAL: 2,
}


def _bundle_members(bundle: Bundle) -> list[tuple[Any, ItemVersion, Variant | None]]:
    """(member, current version, chosen variant) of each member in order."""
    members = list(
        bundle.members.select_related("item", "item__current")
        .prefetch_related(
            Prefetch("item__current__variants", queryset=Variant.objects.order_by("order")),
            Prefetch(
                "item__current__materials",
                queryset=MaterialSpec.objects.select_related("variant").order_by("order"),
            ),
        )
        .order_by("order", "pk")
    )
    out = []
    for m in members:
        version = m.item.current
        if version is None:
            continue
        variants = list(version.variants.all())
        chosen = next((v for v in variants if v.code == m.variant_code), None)
        if chosen is None and variants:
            chosen = variants[0]
        out.append((m, version, chosen))
    return out


def material_key(m: MaterialSpec | Mapping[str, Any]) -> str:
    """Materials are the same when they name the same certificate type, or
    else have the same name (spaces ignored)."""
    get = m.get if isinstance(m, Mapping) else lambda k, d="": getattr(m, k, d)
    code = (get("certificate_type_code", "") or "").strip()
    if code:
        return f"cert:{code}"
    return "name:" + "".join((get("name", "") or "").split())


def _name_key(m: MaterialSpec) -> str:
    return "name:" + "".join(m.name.split())


def bundle_merged_materials(bundle: Bundle) -> list[dict[str, Any]]:
    """One material list for the bundle: a material several members need is
    asked once, listing the members that need it (R6.5). Each entry: key,
    name, kind, form, necessity (the strictest), copies (the most), source,
    certificate_type_code, items [{"item_id", "item_name", "material_code"}]."""
    merged: dict[str, dict[str, Any]] = {}
    members = []
    for member, version, variant in _bundle_members(bundle):
        wanted = [
            m
            for m in version.materials.all()
            if m.variant_id is None or (variant is not None and m.variant_id == variant.pk)
        ]
        members.append((member, wanted))
    # A certificate type asked twice in one item (父亲身份证, 母亲身份证) stands for
    # two documents: materials of that type merge by name only, in every member.
    ambiguous = {
        code
        for _, wanted in members
        for code, n in Counter(m.certificate_type_code for m in wanted).items()
        if code and n > 1
    }
    for member, wanted in members:
        for m in wanted:
            key = _name_key(m) if m.certificate_type_code in ambiguous else material_key(m)
            row = merged.get(key)
            if row is None:
                row = merged[key] = {
                    "key": key,
                    "name": m.name,
                    "kind": m.kind,
                    "form": m.form,
                    "necessity": m.necessity,
                    "copies": m.copies,
                    "source": m.source,
                    "certificate_type_code": m.certificate_type_code,
                    "acceptance_standard": m.acceptance_standard,
                    "items": [],
                }
            elif _NECESSITY_RANK.get(m.necessity, 9) < _NECESSITY_RANK.get(row["necessity"], 9):
                row["necessity"] = m.necessity
            row["copies"] = max(row["copies"], m.copies)
            row["items"].append(
                {
                    "item_id": member.item_id,
                    "item_name": member.item.search_name,
                    "material_code": m.code,
                }
            )
    return list(merged.values())


def bundle_merged_form(bundle: Bundle) -> dict[str, Any]:
    """One application form (JSON Schema) for the bundle: a field with the same
    property name and type in several members is asked once; a name used with
    different types is kept apart per member (``name__<item id>``).
    ``x-members`` maps each property to the member items that use it."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    members_of: dict[str, list[int]] = {}
    for member, _version, variant in _bundle_members(bundle):
        schema = (variant.form_schema if variant is not None else {}) or {}
        props = schema.get("properties") or {}
        needed = set(schema.get("required") or [])
        for name, spec in props.items():
            key = name
            if key in properties and properties[key].get("type") != spec.get("type"):
                key = f"{name}__{member.item_id}"
            if key not in properties:
                properties[key] = dict(spec)
                members_of[key] = []
            if member.item_id not in members_of[key]:
                members_of[key].append(member.item_id)
            if name in needed and key not in required:
                required.append(key)
    return {
        "type": "object",
        "title": bundle.name,
        "properties": properties,
        "required": required,
        "x-members": members_of,
    }


def bundles_public(*, division_code: str = "", page: Any = 1, per_page: int = PER_PAGE) -> Page:
    qs = Bundle.objects.select_related("division", "lead_agency").filter(lifecycle=Lifecycle.ACTIVE)
    if division_code:
        qs = qs.filter(division__code=division_code)
    return paginate(qs.order_by("code"), page, per_page)


def items_of_bundle(bundle: Bundle) -> list[ServiceItem]:
    return [
        m.item
        for m in bundle.members.select_related("item", "item__agency").order_by("order", "pk")
    ]


def item_has_open_version(item: ServiceItem) -> bool:
    return ItemVersion.objects.filter(
        item=item, status__in=[s for s in VersionStatus.values if s not in LIVE]
    ).exists()


__all__ = [
    "DELIVERY_LABELS",
    "LISTED",
    "LIVE",
    "PER_PAGE",
    "bundle_merged_form",
    "bundle_merged_materials",
    "bundles_public",
    "divisions_for_agencies",
    "editor_agencies",
    "editor_agency_ids",
    "entries_for_editor",
    "entries_for_new_item",
    "entry_detail",
    "entry_queue",
    "entry_version_detail",
    "entry_versions",
    "guide_doc_of",
    "item_for_application",
    "item_for_console",
    "item_has_open_version",
    "item_version_detail",
    "item_version_missing",
    "item_version_public",
    "item_versions",
    "items_for_console",
    "items_for_editor",
    "items_of_bundle",
    "material_key",
    "open_version",
    "paginate",
    "review_queue",
    "same_level_differences",
    "scalar_text",
    "tags_all",
    "topics_all",
    "version_diff",
    "version_rows_prefetch",
    "windows_for_item",
]
