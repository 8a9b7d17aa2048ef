"""A power on the power list as plain data, and its pure rules (R4.1–R4.6).

No Django here: the services, the console forms, the API and the demo data
all speak this dictionary shape (``PowerDoc``), and the rules below — which
reasons fit which request, what a complete power looks like, when a list is
out of date, whether the handling steps follow the flowchart — can be
exercised on their own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from typing import Any, NotRequired, TypedDict


class BasisDoc(TypedDict):
    title: str  # 中华人民共和国行政许可法
    article: NotRequired[str]  # 第十二条
    text: NotRequired[str]


class PowerStepDoc(TypedDict):
    name: str  # 受理 / 审查 / 决定 / 送达 …
    actor_role: NotRequired[str]  # 窗口受理人员 / 承办人 / 分管负责人 …
    time_limit: NotRequired[str]  # 1个工作日
    description: NotRequired[str]


class DutyDoc(TypedDict):
    content: str  # 受理责任：公示应当提交的材料，一次性告知补正材料 …
    basis: NotRequired[str]
    accountability: str  # 追责情形


class PowerDoc(TypedDict, total=False):
    """Every element of a power. ``code`` only when adding; ``entry`` is the
    basic code of the linked catalogue entry ('' for none)."""

    code: str
    name: str
    power_type: str
    basis: list[BasisDoc]
    time_limit: str
    supervision_method: str
    secret: bool
    entry: str
    steps: list[PowerStepDoc]
    duties: list[DutyDoc]


# The elements a change request may change (R4.2 "change elements").
ELEMENTS: dict[str, str] = {
    "name": "权力名称",
    "power_type": "权力类型",
    "basis": "实施依据",
    "time_limit": "办理时限",
    "supervision_method": "监督方式",
    "secret": "是否涉密",
    "entry": "对应目录事项",
    "steps": "运行流程",
    "duties": "责任事项",
}

# R4.2 / R4.3: which listed reasons fit which request. A power is added when
# a law creates it, a reorganisation or a merge/split moves it here, or the
# level above hands it down; cancelled when a law or the level above removes
# it, a reorganisation or merge takes it away, or the market can regulate;
# delegated when the level below handles it better (or a law or
# reorganisation says so); its elements change for a law change, a
# reorganisation, a merge/split or a delegation from above. Suspensions take
# the R4.3 reasons. "other" always needs an explanation.
REASONS_BY_KIND: dict[str, tuple[str, ...]] = {
    "add": ("law_changed", "reorganisation", "merge_split", "delegated_from_above", "other"),
    "cancel": (
        "law_changed",
        "reorganisation",
        "merge_split",
        "cancelled_above",
        "market_can_regulate",
        "other",
    ),
    "delegate": ("better_below", "law_changed", "reorganisation", "other"),
    "change": ("law_changed", "reorganisation", "merge_split", "delegated_from_above", "other"),
    "suspend": ("never_exercised", "no_case_3_years", "off_cycle", "other"),
    "resume": ("",),
}

# Which power states each request may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "add": (),
    "cancel": ("active", "delegated", "suspended"),
    "delegate": ("active", "delegated"),
    "change": ("active", "delegated", "suspended"),
    "suspend": ("active", "delegated"),
    "resume": ("suspended",),
}

_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.]{1,39}$")
_PHONE_RE = re.compile(r"^(1\d{10}|(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?|12345)$")
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}$")

LIMITS = {
    "name": 200,
    "time_limit": 200,
    "supervision_method": 2000,
    "basis.title": 200,
    "basis.article": 100,
    "basis.text": 2000,
    "step.name": 64,
    "step.actor_role": 64,
    "step.time_limit": 64,
    "step.description": 500,
    "duty.content": 2000,
    "duty.basis": 2000,
    "duty.accountability": 2000,
}
MAX_ROWS = 50


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _rows(
    value: Any, field: str, label: str, errors: dict[str, str]
) -> list[Mapping[str, Any]] | None:
    if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
        errors[field] = f"{label}格式不正确"
        return None
    if len(value) > MAX_ROWS:
        errors[field] = f"{label}不能超过{MAX_ROWS}条"
        return None
    return value


def clean_basis(value: Any, errors: dict[str, str]) -> list[BasisDoc]:
    rows = _rows(value, "basis", "实施依据", errors)
    if rows is None:
        return []
    out: list[BasisDoc] = []
    for i, row in enumerate(rows, 1):
        title, article, text = (
            _text(row.get("title")),
            _text(row.get("article")),
            _text(row.get("text")),
        )
        if not title:
            errors["basis"] = f"第{i}条实施依据缺少法律法规名称"
            return []
        for key, val in (("title", title), ("article", article), ("text", text)):
            if len(val) > LIMITS[f"basis.{key}"]:
                errors["basis"] = f"第{i}条实施依据过长"
                return []
        doc: BasisDoc = {"title": title}
        if article:
            doc["article"] = article
        if text:
            doc["text"] = text
        out.append(doc)
    if not out:
        errors["basis"] = "请至少填写一条实施依据（法律、法规、规章名称及条款）"
    return out


def clean_steps(value: Any, errors: dict[str, str]) -> list[PowerStepDoc]:
    rows = _rows(value, "steps", "运行流程", errors)
    if rows is None:
        return []
    out: list[PowerStepDoc] = []
    for i, row in enumerate(rows, 1):
        step: PowerStepDoc = {"name": _text(row.get("name"))}
        if not step["name"]:
            errors["steps"] = f"第{i}个环节缺少环节名称"
            return []
        for key in ("actor_role", "time_limit", "description"):
            val = _text(row.get(key))
            if len(val) > LIMITS[f"step.{key}"]:
                errors["steps"] = f"第{i}个环节的内容过长"
                return []
            if val:
                step[key] = val  # type: ignore[literal-required]
        if len(step["name"]) > LIMITS["step.name"]:
            errors["steps"] = f"第{i}个环节名称过长"
            return []
        out.append(step)
    return out


def clean_duties(value: Any, errors: dict[str, str]) -> list[DutyDoc]:
    rows = _rows(value, "duties", "责任事项", errors)
    if rows is None:
        return []
    out: list[DutyDoc] = []
    for i, row in enumerate(rows, 1):
        content, basis = _text(row.get("content")), _text(row.get("basis"))
        accountability = _text(row.get("accountability"))
        if not content:
            errors["duties"] = f"第{i}条责任事项缺少内容"
            return []
        if not accountability:
            errors["duties"] = f"第{i}条责任事项缺少追责情形"
            return []
        if max(len(content), len(basis), len(accountability)) > LIMITS["duty.content"]:
            errors["duties"] = f"第{i}条责任事项过长"
            return []
        duty: DutyDoc = {"content": content, "accountability": accountability}
        if basis:
            duty["basis"] = basis
        out.append(duty)
    return out


def clean_power_doc(
    doc: Mapping[str, Any],
    *,
    power_types: Collection[str],
    partial: bool = False,
    with_code: bool = False,
) -> tuple[PowerDoc, dict[str, str]]:
    """The cleaned document and the errors by field (Chinese messages).

    ``partial``: only the keys present are checked (a change request);
    otherwise name, type and basis are required (adding a power).
    """
    errors: dict[str, str] = {}
    clean: PowerDoc = {}
    unknown = sorted(set(doc) - set(ELEMENTS) - ({"code"} if with_code else set()))
    if unknown:
        errors["payload"] = f"无法识别的要素：{'、'.join(unknown)}"
    if with_code:
        code = _text(doc.get("code"))
        if not code:
            errors["code"] = "请填写权力编码"
        elif not _CODE_RE.match(code):
            errors["code"] = "权力编码只能由字母、数字、连字符组成，2至40位"
        clean["code"] = code
    present = set(doc) if partial else set(ELEMENTS)
    if "name" in present:
        name = _text(doc.get("name"))
        if not name:
            errors["name"] = "请填写权力名称"
        elif len(name) > LIMITS["name"]:
            errors["name"] = f"权力名称不能超过{LIMITS['name']}个字"
        clean["name"] = name
    if "power_type" in present:
        ptype = _text(doc.get("power_type"))
        if ptype not in power_types:
            errors["power_type"] = "请选择权力类型（行政许可、行政处罚、行政强制等）"
        clean["power_type"] = ptype
    if "basis" in present:
        clean["basis"] = clean_basis(doc.get("basis", []), errors)
    for key in ("time_limit", "supervision_method"):
        if key in present:
            val = _text(doc.get(key))
            if len(val) > LIMITS[key]:
                errors[key] = f"{ELEMENTS[key]}不能超过{LIMITS[key]}个字"
            clean[key] = val  # type: ignore[literal-required]
    if "secret" in present:
        secret = doc.get("secret", False)
        if not isinstance(secret, bool):
            errors["secret"] = "是否涉密应为是或否"
        clean["secret"] = bool(secret)
    if "entry" in present:
        clean["entry"] = _text(doc.get("entry"))
    if "steps" in present:
        clean["steps"] = clean_steps(doc.get("steps", []), errors)
    if "duties" in present:
        clean["duties"] = clean_duties(doc.get("duties", []), errors)
    return clean, errors


def reason_error(kind: str, reason: str, note: str) -> str | None:
    """Why a reason does not fit a request, or None (R4.2, R4.3)."""
    allowed = REASONS_BY_KIND.get(kind)
    if allowed is None:
        return "申请类型无效"
    if kind == "resume":
        return None if note.strip() else "请说明恢复行使的理由"
    if reason not in allowed:
        return "所选事由不适用于此类申请"
    if reason == "other" and not note.strip():
        return "事由为“其他”时请填写具体说明"
    return None


def normalise_step_name(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


def steps_differ(flowchart: list[str], handling: list[str]) -> bool:
    """R4.5: the handling steps of a published guide must follow the power's
    flowchart — the same steps in the same order (whitespace ignored)."""
    return [normalise_step_name(n) for n in flowchart] != [normalise_step_name(n) for n in handling]


def stale_reason(
    *,
    now: dt.datetime,
    reviewed_at: dt.datetime | None,
    basis_changed_at: dt.datetime | None,
    stale_days: int,
    basis_grace_days: int,
) -> str | None:
    """R4.5 "not updated in time": the list entry was last reviewed more than
    ``stale_days`` ago, or its legal basis changed after the last review and
    it has not been updated within ``basis_grace_days``."""
    if (
        basis_changed_at is not None
        and (reviewed_at is None or basis_changed_at > reviewed_at)
        and now - basis_changed_at > dt.timedelta(days=basis_grace_days)
    ):
        days = (now - basis_changed_at).days
        return f"实施依据已于{days}天前变化，清单未随之调整（时限{basis_grace_days}天）"
    if reviewed_at is None:
        return "从未审核确认"
    if now - reviewed_at > dt.timedelta(days=stale_days):
        days = (now - reviewed_at).days
        return f"已{days}天未审核更新（时限{stale_days}天）"
    return None


def contact_error(contact: str) -> str | None:
    text = (contact or "").strip()
    if not text:
        return "请留下联系电话或电子邮箱，以便答复"
    if not (_PHONE_RE.match(text) or _EMAIL_RE.match(text)):
        return "联系方式应为手机号、座机号（如 0510-12345678）或电子邮箱"
    return None


def mask_contact(contact: str) -> str:
    """A contact as it may be shown on screen: 139****1234, z***@example.com."""
    text = (contact or "").strip()
    if "@" in text:
        local, _, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(text) >= 7:
        return text[:3] + "****" + text[-4:]
    return "*" * len(text)
