"""Writes of the organisations domain: each ``<entity>_<action>``, atomic, audited.

R1.3 divisions and their service centres, R2.1 agencies, R2.2 roles granted
per agency, R2.4 the staff change workflow: a unit administrator requests,
the unit head approves, the unit administrator applies, and the change is
filed with the same-level service centre. Nothing changes before it is applied.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils import timezone

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import audit_append, diff, service_transaction
from yiwang.core.checkdigits import (
    credit_code_error,
    division_code_error,
    division_level_of,
    normalize_credit_code,
    normalize_resident_id,
    resident_id_error,
)
from yiwang.core.crypto import sm3_hex
from yiwang.core.pii import blind_index, mask_id_number
from yiwang.domains.orgs import policies
from yiwang.domains.orgs.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.domains.orgs.models import (
    Agency,
    AgencyKey,
    AgencyKind,
    ApiClient,
    ChangeKind,
    ChangeStatus,
    Division,
    DivisionLevel,
    Hall,
    HallLevel,
    Role,
    RoleGrant,
    ServiceCentre,
    Staff,
    StaffChangeRequest,
    Window,
    WindowKind,
)
from yiwang.domains.orgs.permissions import DEFAULT_ROLES
from yiwang.domains.orgs.selectors import STAFF_FIELD_LABELS, filing_centre_for, mask_field

# --- roles ---------------------------------------------------------------------


@service_transaction
def roles_sync_defaults(*, actor: Actor = SYSTEM) -> int:
    """Create or update the default roles from the permission catalogue."""
    changed = 0
    for code, (name, perms, description) in DEFAULT_ROLES.items():
        role = Role.objects.filter(code=code).first()
        after = {"name": name, "permissions": sorted(perms), "description": description}
        if role is None:
            role = Role.objects.create(code=code, **after)
            audit_append(actor=actor, action="orgs.role_create", obj=role, change=after)
            changed += 1
            continue
        before = {
            "name": role.name,
            "permissions": sorted(role.permissions),
            "description": role.description,
        }
        if before != after:
            for key, value in after.items():
                setattr(role, key, value)
            role.save()
            audit_append(
                actor=actor, action="orgs.role_update", obj=role, change=diff(before, after)
            )
            changed += 1
    return changed


def roles_sync_on_migrate(**kwargs: Any) -> None:
    roles_sync_defaults()


# --- helpers -------------------------------------------------------------------


def _fail(fields: dict[str, str], code: str) -> ValidationFailed:
    return ValidationFailed("；".join(fields.values()), code=code, fields=fields)


def _require(refusal: Exception | None) -> None:
    if refusal is not None:
        raise refusal


def _text(value: str | None, *, label: str, max_length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValueError(f"请填写{label}")
    if len(text) > max_length:
        raise ValueError(f"{label}不能超过{max_length}个字")
    return text


def _clean(
    errors: dict[str, str],
    field: str,
    value: str | None,
    *,
    label: str,
    max_length: int,
    required: bool = False,
) -> str:
    try:
        return _text(value, label=label, max_length=max_length, required=required)
    except ValueError as exc:
        errors[field] = str(exc)
        return ""


_PHONE_RE = re.compile(r"^(1\d{10}|(0\d{2,3}-?)?\d{5,8}(-\d{1,6})?)$")


def _phone_error(phone: str) -> str | None:
    if phone and not _PHONE_RE.match(phone):
        return "电话号码格式不正确（手机号为11位数字，座机如 0510-12345678）"
    return None


# --- divisions (R1.3) ----------------------------------------------------------

_LEVEL_ORDER = [lv.value for lv in DivisionLevel]


def normalize_division_code(code: str) -> str:
    """A 12-digit code ending in six zeros names a province, city or county:
    keep the 6-digit GB/T 2260 form so one division has one code."""
    code = (code or "").strip()
    if len(code) == 12 and code.endswith("000000"):
        return code[:6]
    return code


def expected_parent_codes(code: str) -> tuple[str, ...]:
    """The code(s) the parent of a division must have, read off the child's code.

    Besides the plain next level up, two real shapes are allowed: county-level
    units directly under a province (省直辖县级行政单位, city digits 90, e.g.
    429004 仙桃市) and towns of prefecture cities without districts (e.g.
    441900003000 under 东莞市 441900) — both show in the code itself.
    """
    level = division_level_of(code)
    if level == "city":
        return (code[:2] + "0000",)
    if level == "county":
        direct = (code[:2] + "0000",) if code[2:4] == "90" else ()
        return (code[:4] + "00", *direct)
    if level == "town":
        return (code[:6],)
    if level == "village":
        return (code[:9] + "000",)
    return ()


@service_transaction
def division_create(
    *, actor: Actor, code: str, name: str, level: str, parent: Division | None = None
) -> Division:
    code = normalize_division_code(code)
    errors: dict[str, str] = {}
    name = _clean(errors, "name", name, label="区划名称", max_length=64, required=True)
    if level not in _LEVEL_ORDER:
        errors["level"] = "请选择层级（省、市、县、乡镇、村）"
    reason = division_code_error(code, level if level in _LEVEL_ORDER else None)
    if reason:
        errors["code"] = reason
    if errors:
        raise _fail(errors, "division_invalid")

    expected = expected_parent_codes(code)
    if not expected:
        if parent is not None:
            raise _fail({"parent": "省级行政区划没有上级区划"}, "division_invalid")
    elif parent is None:
        raise _fail(
            {"parent": f"请选择上级区划（代码为 {' 或 '.join(expected)}）"}, "division_invalid"
        )
    elif parent.code not in expected:
        raise _fail(
            {
                "parent": (
                    f"上级区划应为代码 {' 或 '.join(expected)} 的区划，"
                    f"而不是 {parent.name}（{parent.code}）：下级代码须以上级代码开头且层级相邻"
                )
            },
            "division_invalid",
        )
    _require(policies.manage_refusal(actor, code))
    if Division.objects.filter(code=code).exists():
        raise _fail({"code": f"行政区划代码 {code} 已存在"}, "division_code_taken")
    try:
        with service_transaction():
            division = Division.objects.create(code=code, name=name, level=level, parent=parent)
    except IntegrityError as exc:
        raise Conflict(f"行政区划代码 {code} 已存在", code="division_code_taken") from exc
    audit_append(
        actor=actor,
        action="orgs.division_create",
        obj=division,
        change={
            "code": code,
            "name": name,
            "level": level,
            "parent": getattr(parent, "code", None),
        },
    )
    return division


@service_transaction
def division_update(*, actor: Actor, division: Division, name: str) -> Division:
    """Rename a division. Its code is its identity (the API, the credit codes
    and every descendant's code rest on it), so it is not edited here."""
    _require(policies.manage_refusal(actor, division.code))
    errors: dict[str, str] = {}
    name = _clean(errors, "name", name, label="区划名称", max_length=64, required=True)
    if errors:
        raise _fail(errors, "division_invalid")
    division = Division.objects.select_for_update().get(pk=division.pk)
    before = {"name": division.name}
    if before == {"name": name}:
        return division
    division.name = name
    division.save(update_fields=["name"])
    audit_append(
        actor=actor,
        action="orgs.division_update",
        obj=division,
        change=diff(before, {"name": name}),
    )
    return division


# --- agencies (R2.1) -----------------------------------------------------------


def _agency_fields(
    *,
    name: str,
    short_name: str,
    kind: str,
    credit_code: str,
    phone: str,
    address: str,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    values = {
        "name": _clean(errors, "name", name, label="机构名称", max_length=128, required=True),
        "short_name": _clean(errors, "short_name", short_name, label="简称", max_length=64),
        "phone": _clean(errors, "phone", phone, label="联系电话", max_length=32),
        "address": _clean(errors, "address", address, label="地址", max_length=200),
        "kind": kind,
        "credit_code": normalize_credit_code(credit_code),
    }
    if kind not in AgencyKind.values:
        errors["kind"] = (
            "请选择机构性质（政府部门、授权组织、公共服务企事业单位或政务服务管理机构）"
        )
    if "phone" not in errors and (reason := _phone_error(values["phone"])):
        errors["phone"] = reason
    reason = credit_code_error(values["credit_code"])
    if reason:
        errors["credit_code"] = reason
    else:
        taken = Agency.objects.filter(credit_code=values["credit_code"])
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        other = taken.only("name").first()
        if other is not None:
            errors["credit_code"] = (
                f"统一社会信用代码 {values['credit_code']} 已被「{other.name}」使用"
            )
    if errors:
        raise _fail(
            errors,
            "credit_code_taken"
            if set(errors) == {"credit_code"} and "已被" in errors["credit_code"]
            else "agency_invalid",
        )
    return values


def _check_parent(agency_pk: int | None, parent: Agency | None, division: Division) -> None:
    if parent is None:
        return
    if not parent.active:
        raise _fail({"parent": f"上级机构「{parent.name}」已停用"}, "agency_invalid")
    parent_division = Division.objects.only("code").get(pk=parent.division_id)
    if not policies.in_subtree(division.code, parent_division.code):
        raise _fail(
            {"parent": f"上级机构「{parent.name}」应在本机构所在区划或其上级区划"},
            "agency_invalid",
        )
    # Walking up from the new parent must never reach the agency itself.
    seen: set[int] = set()
    node: Agency | None = parent
    while node is not None:
        if agency_pk is not None and node.pk == agency_pk:
            raise _fail({"parent": "不能把本机构或其下级机构设为上级机构"}, "agency_cycle")
        if node.pk in seen:
            break
        seen.add(node.pk)
        node = Agency.objects.filter(pk=node.parent_id).first() if node.parent_id else None


def _agency_state(agency: Agency) -> dict[str, Any]:
    return {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "credit_code": agency.credit_code,
        "division": agency.division_id,
        "parent": agency.parent_id,
        "phone": agency.phone,
        "address": agency.address,
        "active": agency.active,
    }


@service_transaction
def agency_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    credit_code: str,
    division: Division,
    parent: Agency | None = None,
    short_name: str = "",
    phone: str = "",
    address: str = "",
) -> Agency:
    _require(policies.manage_refusal(actor, division.code))
    values = _agency_fields(
        name=name,
        short_name=short_name,
        kind=kind,
        credit_code=credit_code,
        phone=phone,
        address=address,
    )
    _check_parent(None, parent, division)
    try:
        with service_transaction():
            agency = Agency.objects.create(division=division, parent=parent, **values)
    except IntegrityError as exc:
        raise Conflict(
            f"统一社会信用代码 {values['credit_code']} 已被使用", code="credit_code_taken"
        ) from exc
    audit_append(actor=actor, action="orgs.agency_create", obj=agency, change=_agency_state(agency))
    return agency


_KEEP: Any = object()


@service_transaction
def agency_update(
    *,
    actor: Actor,
    agency: Agency,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    credit_code: str | None = None,
    division: Division | None = None,
    parent: Agency | None = _KEEP,
    phone: str | None = None,
    address: str | None = None,
) -> Agency:
    """Change an agency; a None argument leaves that field as it is (for
    ``parent`` leave it out to keep it, pass None to clear it)."""
    agency = Agency.objects.select_for_update().select_related("division").get(pk=agency.pk)
    _require(policies.manage_refusal(actor, agency.division.code))
    new_division = division or agency.division
    if new_division.pk != agency.division_id:
        _require(policies.manage_refusal(actor, new_division.code))
    values = _agency_fields(
        name=agency.name if name is None else name,
        short_name=agency.short_name if short_name is None else short_name,
        kind=agency.kind if kind is None else kind,
        credit_code=agency.credit_code if credit_code is None else credit_code,
        phone=agency.phone if phone is None else phone,
        address=agency.address if address is None else address,
        exclude_pk=agency.pk,
    )
    centre = ServiceCentre.objects.filter(agency=agency).first()
    if centre is not None:
        if values["kind"] != AgencyKind.MANAGEMENT:
            raise _fail(
                {"kind": f"本机构是「{centre.name}」的管理机构，性质须为政务服务管理机构"},
                "agency_invalid",
            )
        if new_division.pk != agency.division_id:
            raise _fail(
                {"division": f"本机构是「{centre.name}」的管理机构，不能改变所属区划"},
                "agency_invalid",
            )
    new_parent = agency.parent if parent is _KEEP else parent
    if parent is not _KEEP or new_division.pk != agency.division_id:
        _check_parent(agency.pk, new_parent, new_division)
    before = _agency_state(agency)
    for key, value in values.items():
        setattr(agency, key, value)
    agency.division = new_division
    agency.parent = new_parent
    after = _agency_state(agency)
    if before == after:
        return agency
    try:
        with service_transaction():
            agency.save()
    except IntegrityError as exc:
        raise Conflict("统一社会信用代码已被使用", code="credit_code_taken") from exc
    audit_append(actor=actor, action="orgs.agency_update", obj=agency, change=diff(before, after))
    return agency


@service_transaction
def agency_deactivate(*, actor: Actor, agency: Agency, reason: str = "") -> Agency:
    """Stop an agency. Refused while it still runs a service centre, has
    active sub-agencies or active staff: those go first (staff through the
    change workflow), so no one keeps acting for a closed body."""
    agency = Agency.objects.select_for_update().select_related("division").get(pk=agency.pk)
    _require(policies.manage_refusal(actor, agency.division.code))
    if not agency.active:
        raise Conflict(f"「{agency.name}」已停用", code="request_state")
    centre = ServiceCentre.objects.filter(agency=agency).first()
    if centre is not None:
        raise Conflict(
            f"「{agency.name}」是「{centre.name}」的管理机构，不能停用", code="agency_in_use"
        )
    children = agency.children.filter(active=True).count()
    if children:
        raise Conflict(
            f"「{agency.name}」还有 {children} 个在用的下级机构，请先停用下级机构",
            code="agency_in_use",
        )
    staff = agency.staff.filter(active=True).count()
    if staff:
        raise Conflict(
            f"「{agency.name}」还有 {staff} 名在岗工作人员，请先通过人员变更申请办理离岗",
            code="agency_in_use",
        )
    agency.active = False
    agency.save(update_fields=["active"])
    audit_append(
        actor=actor,
        action="orgs.agency_deactivate",
        obj=agency,
        change={"active": [True, False], "reason": reason.strip()[:200]},
    )
    return agency


@service_transaction
def agency_reactivate(*, actor: Actor, agency: Agency) -> Agency:
    agency = Agency.objects.select_for_update().select_related("division").get(pk=agency.pk)
    _require(policies.manage_refusal(actor, agency.division.code))
    if agency.active:
        raise Conflict(f"「{agency.name}」在用，无需启用", code="request_state")
    agency.active = True
    agency.save(update_fields=["active"])
    audit_append(
        actor=actor, action="orgs.agency_reactivate", obj=agency, change={"active": [False, True]}
    )
    return agency


# --- service centres, halls, windows (R1.3, R12) --------------------------------


@service_transaction
def service_centre_create(
    *, actor: Actor, division: Division, agency: Agency, name: str
) -> ServiceCentre:
    """One centre per division, run by a management agency of that division."""
    _require(policies.manage_refusal(actor, division.code))
    errors: dict[str, str] = {}
    name = _clean(errors, "name", name, label="中心名称", max_length=128, required=True)
    if agency.kind != AgencyKind.MANAGEMENT:
        errors["agency"] = f"「{agency.name}」不是政务服务管理机构，不能管理政务服务中心"
    elif agency.division_id != division.pk:
        errors["agency"] = f"管理机构「{agency.name}」应属于本区划（{division.name}）"
    elif not agency.active:
        errors["agency"] = f"「{agency.name}」已停用"
    if errors:
        raise _fail(errors, "centre_invalid")
    if ServiceCentre.objects.filter(division=division).exists():
        raise Conflict(f"{division.name}已设立政务服务中心", code="centre_exists")
    if ServiceCentre.objects.filter(agency=agency).exists():
        raise Conflict(f"「{agency.name}」已管理另一个政务服务中心", code="centre_exists")
    try:
        with service_transaction():
            centre = ServiceCentre.objects.create(division=division, agency=agency, name=name)
    except IntegrityError as exc:
        raise Conflict(f"{division.name}已设立政务服务中心", code="centre_exists") from exc
    audit_append(
        actor=actor,
        action="orgs.service_centre_create",
        obj=centre,
        change={"division": division.code, "agency": agency.credit_code, "name": name},
    )
    return centre


# Which kind of hall belongs at which level (the glossary: 政务大厅 from the
# county up, 便民服务中心 in towns, 便民服务站/室 in villages).
HALL_LEVELS_FOR: dict[str, tuple[str, ...]] = {
    DivisionLevel.PROVINCE: (HallLevel.HALL,),
    DivisionLevel.CITY: (HallLevel.HALL,),
    DivisionLevel.COUNTY: (HallLevel.HALL,),
    DivisionLevel.TOWN: (HallLevel.TOWN_CENTRE,),
    DivisionLevel.VILLAGE: (HallLevel.VILLAGE_STATION, HallLevel.VILLAGE_ROOM),
}


def _hall_values(
    *,
    centre: ServiceCentre,
    division: Division,
    name: str,
    level: str,
    address: str,
    phone: str,
    hours: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    values = {
        "name": _clean(errors, "name", name, label="大厅名称", max_length=128, required=True),
        "address": _clean(errors, "address", address, label="地址", max_length=200),
        "phone": _clean(errors, "phone", phone, label="咨询电话", max_length=32),
        "hours": _clean(errors, "hours", hours, label="办公时间", max_length=200),
        "level": level,
    }
    if "phone" not in errors and (reason := _phone_error(values["phone"])):
        errors["phone"] = reason
    allowed = HALL_LEVELS_FOR.get(division.level, ())
    if level not in allowed:
        names = "、".join(HallLevel(v).label for v in allowed)
        errors["level"] = (
            f"{division.name}（{division.get_level_display()}）的大厅类别应为：{names}"
        )
    centre_division = Division.objects.only("code", "name").get(pk=centre.division_id)
    if not policies.in_subtree(division.code, centre_division.code):
        errors["division"] = f"{division.name}不在「{centre.name}」所辖区划内"
    if errors:
        raise _fail(errors, "hall_invalid")
    return values


@service_transaction
def hall_create(
    *,
    actor: Actor,
    centre: ServiceCentre,
    division: Division,
    name: str,
    level: str,
    address: str = "",
    phone: str = "",
    hours: str = "",
) -> Hall:
    _require(policies.manage_refusal(actor, division.code))
    values = _hall_values(
        centre=centre,
        division=division,
        name=name,
        level=level,
        address=address,
        phone=phone,
        hours=hours,
    )
    hall = Hall.objects.create(centre=centre, division=division, **values)
    audit_append(
        actor=actor,
        action="orgs.hall_create",
        obj=hall,
        change={"centre": centre.pk, "division": division.code, **values},
    )
    return hall


@service_transaction
def hall_update(
    *,
    actor: Actor,
    hall: Hall,
    name: str,
    level: str,
    address: str = "",
    phone: str = "",
    hours: str = "",
) -> Hall:
    hall = Hall.objects.select_for_update().select_related("division", "centre").get(pk=hall.pk)
    _require(policies.manage_refusal(actor, hall.division.code))
    values = _hall_values(
        centre=hall.centre,
        division=hall.division,
        name=name,
        level=level,
        address=address,
        phone=phone,
        hours=hours,
    )
    before = {k: getattr(hall, k) for k in values}
    if before == values:
        return hall
    for key, value in values.items():
        setattr(hall, key, value)
    hall.save()
    audit_append(actor=actor, action="orgs.hall_update", obj=hall, change=diff(before, values))
    return hall


def _window_values(
    *,
    hall: Hall,
    number: str,
    name: str,
    kind: str,
    agencies: Iterable[Agency],
    exclude_pk: int | None = None,
) -> tuple[dict[str, str], list[Agency]]:
    errors: dict[str, str] = {}
    values = {
        "number": _clean(errors, "number", number, label="窗口号", max_length=16, required=True),
        "name": _clean(errors, "name", name, label="窗口名称", max_length=64, required=True),
        "kind": kind,
    }
    if kind not in WindowKind.values:
        errors["kind"] = "请选择窗口类别"
    served = list({a.pk: a for a in agencies}.values())
    hall_code = hall.division.code
    for agency in served:
        agency_code = Division.objects.only("code").get(pk=agency.division_id).code
        if not agency.active:
            errors["agencies"] = f"「{agency.name}」已停用，不能进驻窗口"
        elif not (
            policies.in_subtree(hall_code, agency_code)
            or policies.in_subtree(agency_code, hall_code)
        ):
            errors["agencies"] = f"「{agency.name}」与「{hall.name}」不在同一区划体系内"
    if values["number"] and "number" not in errors:
        taken = Window.objects.filter(hall=hall, number=values["number"])
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            errors["number"] = f"「{hall.name}」已有 {values['number']} 号窗口"
    if errors:
        code = "window_number_taken" if set(errors) == {"number"} else "window_invalid"
        raise _fail(errors, code)
    return values, served


@service_transaction
def window_create(
    *,
    actor: Actor,
    hall: Hall,
    number: str,
    name: str,
    kind: str,
    agencies: Sequence[Agency] = (),
) -> Window:
    hall = Hall.objects.select_related("division").get(pk=hall.pk)
    _require(policies.manage_refusal(actor, hall.division.code))
    values, served = _window_values(
        hall=hall, number=number, name=name, kind=kind, agencies=agencies
    )
    try:
        with service_transaction():
            window = Window.objects.create(hall=hall, **values)
    except IntegrityError as exc:
        raise Conflict(
            f"「{hall.name}」已有 {values['number']} 号窗口", code="window_number_taken"
        ) from exc
    window.agencies.set(served)
    audit_append(
        actor=actor,
        action="orgs.window_create",
        obj=window,
        change={"hall": hall.pk, **values, "agencies": sorted(a.credit_code for a in served)},
    )
    return window


@service_transaction
def window_update(
    *,
    actor: Actor,
    window: Window,
    number: str,
    name: str,
    kind: str,
    agencies: Sequence[Agency] = (),
    active: bool = True,
) -> Window:
    window = Window.objects.select_for_update().get(pk=window.pk)
    hall = Hall.objects.select_related("division").get(pk=window.hall_id)
    _require(policies.manage_refusal(actor, hall.division.code))
    values, served = _window_values(
        hall=hall, number=number, name=name, kind=kind, agencies=agencies, exclude_pk=window.pk
    )
    before: dict[str, Any] = {k: getattr(window, k) for k in values}
    before["active"] = window.active
    before["agencies"] = sorted(window.agencies.values_list("credit_code", flat=True))
    after: dict[str, Any] = {
        **values,
        "active": bool(active),
        "agencies": sorted(a.credit_code for a in served),
    }
    if before == after:
        return window
    for key, value in values.items():
        setattr(window, key, value)
    window.active = bool(active)
    window.save()
    window.agencies.set(served)
    audit_append(actor=actor, action="orgs.window_update", obj=window, change=diff(before, after))
    return window


# --- staff: shared validation ----------------------------------------------------

_LOGIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,31}$")


def _id_number_clean(
    errors: dict[str, str], value: str | None, *, exclude_staff: int | None = None
) -> str:
    number = normalize_resident_id(value or "")
    reason = resident_id_error(number)
    if reason:
        errors["id_number"] = reason
        return number
    taken = Staff.objects.filter(id_index=blind_index(number))
    if exclude_staff is not None:
        taken = taken.exclude(pk=exclude_staff)
    if taken.exists():
        errors["id_number"] = (
            f"公民身份号码 {mask_id_number(number)} 已登记为工作人员，不能重复登记"
        )
    return number


def _login_clean(errors: dict[str, str], value: str | None) -> str:
    login = (value or "").strip()
    if not _LOGIN_RE.match(login):
        errors["login_name"] = "登录名须以字母开头，由3至32位字母、数字、下划线、点或短横线组成"
    elif get_user_model().objects.filter(username__iexact=login).exists():
        errors["login_name"] = f"登录名 {login} 已被使用"
    return login


def _roles_clean(errors: dict[str, str], codes: Iterable[str]) -> list[Role]:
    wanted = sorted({c.strip() for c in codes if c and c.strip()})
    found = {r.code: r for r in Role.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        errors["roles"] = f"角色不存在：{'、'.join(missing)}"
    return [found[c] for c in wanted if c in found]


def _password_hash(errors: dict[str, str], password: str | None, login: str, name: str) -> str:
    if not password:
        errors["password"] = "请设置初始密码"
        return ""
    user_model = get_user_model()
    probe = user_model(username=login, display_name=name)
    try:
        validate_password(password, user=probe)
    except DjangoValidationError as exc:
        errors["password"] = "；".join(str(m) for m in exc.messages)
        return ""
    return make_password(password)


def _create_staff_rows(
    *,
    actor: Actor,
    agency: Agency,
    name: str,
    id_number: str,
    phone: str,
    title: str,
    login_name: str,
    password_hash: str,
    roles: Sequence[Role],
    action: str,
    request_id: int | None = None,
) -> Staff:
    user_model = get_user_model()
    try:
        with service_transaction():
            user = user_model(username=login_name, display_name=name, password=password_hash)
            user.kind = "staff"
            user.save()
            staff = Staff.objects.create(
                user=user,
                agency=agency,
                name=name,
                id_number=id_number,
                id_index=blind_index(id_number),
                phone=phone,
                title=title,
            )
    except IntegrityError as exc:
        raise Conflict(
            f"登录名 {login_name} 或公民身份号码 {mask_id_number(id_number)} 已被登记",
            code="id_number_taken",
        ) from exc
    change: dict[str, Any] = {
        "agency": agency.pk,
        "name": name,
        "id_number": mask_id_number(id_number),
        "phone": mask_field("phone", phone),
        "title": title,
        "login_name": login_name,
    }
    if request_id is not None:
        change["request"] = request_id
    audit_append(actor=actor, action=action, obj=staff, change=change)
    for role in roles:
        _grant(actor=actor, staff=staff, role=role, agency=agency, request_id=request_id)
    return staff


def _grant(
    *, actor: Actor, staff: Staff, role: Role, agency: Agency, request_id: int | None
) -> RoleGrant:
    grant = RoleGrant.objects.create(staff=staff, role=role, agency=agency)
    change: dict[str, Any] = {"staff": staff.pk, "role": role.code, "agency": agency.pk}
    if request_id is not None:
        change["request"] = request_id
    audit_append(actor=actor, action="orgs.role_grant", obj=grant, change=change)
    return grant


@service_transaction
def staff_bootstrap(
    *,
    actor: Actor,
    agency: Agency,
    name: str,
    id_number: str,
    login_name: str,
    password: str | None = None,
    password_hash: str | None = None,
    phone: str = "",
    title: str = "",
    roles: Sequence[str] = (),
) -> Staff:
    """Create a unit's first staff (its head and administrator) directly.

    Only the platform itself may do this (demo loading, the command line):
    every later change goes through the request → approve → apply workflow.
    ``password_hash`` lets a loader hash one shared password once.
    """
    if not policies.is_system(actor):
        raise PermissionDenied(
            "只有系统（初始化或命令行）可以直接建立人员，其余变更须走人员变更申请",
            code="bootstrap_system_only",
        )
    errors: dict[str, str] = {}
    name = _clean(errors, "name", name, label="姓名", max_length=64, required=True)
    number = _id_number_clean(errors, id_number)
    phone = _clean(errors, "phone", phone, label="手机号码", max_length=32)
    if "phone" not in errors and (reason := _phone_error(phone)):
        errors["phone"] = reason
    title = _clean(errors, "title", title, label="职务", max_length=64)
    login = _login_clean(errors, login_name)
    role_rows = _roles_clean(errors, roles)
    if password_hash is None:
        password_hash = _password_hash(errors, password, login, name)
    if not agency.active:
        errors["agency"] = f"「{agency.name}」已停用"
    if errors:
        raise _fail(errors, "staff_invalid")
    return _create_staff_rows(
        actor=actor,
        agency=agency,
        name=name,
        id_number=number,
        phone=phone,
        title=title,
        login_name=login,
        password_hash=password_hash,
        roles=role_rows,
        action="orgs.staff_bootstrap",
    )


# --- the staff change workflow (R2.4) ----------------------------------------------


def _summary(text: str) -> str:
    return text if len(text) <= 200 else text[:199] + "…"


def _validate_request(
    *, agency: Agency, kind: str, target: Staff | None, data: Mapping[str, Any]
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """Check a requested change against the data as it is now; return the
    payload to store, a summary (no clear identifiers) and the audit detail."""
    errors: dict[str, str] = {}
    if kind == ChangeKind.CREATE_STAFF:
        name = _clean(errors, "name", data.get("name"), label="姓名", max_length=64, required=True)
        number = _id_number_clean(errors, data.get("id_number"))
        phone = _clean(errors, "phone", data.get("phone"), label="手机号码", max_length=32)
        if "phone" not in errors and (reason := _phone_error(phone)):
            errors["phone"] = reason
        title = _clean(errors, "title", data.get("title"), label="职务", max_length=64)
        login = _login_clean(errors, data.get("login_name"))
        roles = _roles_clean(errors, data.get("roles") or ())
        # Only the hash is kept: the clear password never reaches the database.
        pw_hash = _password_hash(errors, data.get("password"), login, name)
        if errors:
            raise _fail(errors, "request_invalid")
        role_names = "、".join(r.name for r in roles) or "无"
        payload = {
            "name": name,
            "id_number": number,
            "phone": phone,
            "title": title,
            "login_name": login,
            "password_hash": pw_hash,
            "roles": [r.code for r in roles],
        }
        detail = {
            "name": name,
            "id_number": mask_id_number(number),
            "phone": mask_field("phone", phone),
            "title": title,
            "login_name": login,
            "roles": payload["roles"],
        }
        summary = (
            f"新增人员 {name}（{mask_id_number(number)}），登录名 {login}，初始角色：{role_names}"
        )
        return payload, _summary(summary), detail

    if target is None:
        raise _fail({"target": "请选择变更对象人员"}, "request_invalid")

    in_unit_only = (ChangeKind.UPDATE_STAFF, ChangeKind.DEACTIVATE, ChangeKind.REACTIVATE)
    if kind in in_unit_only and target.agency_id != agency.pk:
        raise _fail({"target": f"{target.name}不是「{agency.name}」的工作人员"}, "request_invalid")

    if kind == ChangeKind.UPDATE_STAFF:
        changes: dict[str, str] = {}
        base: dict[str, str] = {}
        for field, label in STAFF_FIELD_LABELS.items():
            if field not in data or data[field] is None:
                continue
            if field == "id_number":
                value = _id_number_clean(errors, data[field], exclude_staff=target.pk)
            else:
                value = _clean(
                    errors,
                    field,
                    data[field],
                    label=label,
                    max_length=64 if field != "phone" else 32,
                    required=field == "name",
                )
                if field == "phone" and "phone" not in errors and (r := _phone_error(value)):
                    errors["phone"] = r
            current = getattr(target, field) or ""
            if field not in errors and value != current:
                changes[field] = value
                base[field] = current
        if errors:
            raise _fail(errors, "request_invalid")
        if not changes:
            raise _fail({"target": "所填内容与现有信息相同，没有需要修改的内容"}, "request_invalid")
        labels = "、".join(STAFF_FIELD_LABELS[f] for f in changes)
        detail = {f: [mask_field(f, base[f]), mask_field(f, v)] for f, v in changes.items()}
        return (
            {"changes": changes, "base": base},
            _summary(f"修改 {target.name} 的{labels}"),
            detail,
        )

    if kind in (ChangeKind.GRANT_ROLE, ChangeKind.REVOKE_ROLE):
        role_code = str(data.get("role") or "").strip()
        role = Role.objects.filter(code=role_code).first()
        if role is None:
            raise _fail({"role": "请选择角色"}, "request_invalid")
        exists = RoleGrant.objects.filter(
            staff=target, role=role, agency=agency, step_code=""
        ).exists()
        if kind == ChangeKind.GRANT_ROLE:
            if not target.active:
                raise _fail({"target": f"{target.name}已离岗，不能授予角色"}, "request_invalid")
            if exists:
                raise _fail(
                    {"role": f"{target.name}在「{agency.name}」已有角色「{role.name}」"},
                    "request_invalid",
                )
            summary = f"授予 {target.name} 角色「{role.name}」（{agency.name}）"
        else:
            if not exists:
                raise _fail(
                    {"role": f"{target.name}在「{agency.name}」没有角色「{role.name}」"},
                    "request_invalid",
                )
            summary = f"收回 {target.name} 在「{agency.name}」的角色「{role.name}」"
        return {"role": role.code}, _summary(summary), {"role": role.code}

    if kind == ChangeKind.DEACTIVATE:
        if not target.active:
            raise _fail({"target": f"{target.name}已离岗"}, "request_invalid")
        return {}, _summary(f"{target.name} 离岗（停用账户，权限随之失效）"), {}

    if kind == ChangeKind.REACTIVATE:
        if target.active:
            raise _fail({"target": f"{target.name}在岗，无需复岗"}, "request_invalid")
        return {}, _summary(f"{target.name} 复岗（恢复账户）"), {}

    raise _fail({"kind": "请选择变更类型"}, "request_invalid")


@service_transaction
def staff_change_request(
    *,
    actor: Actor,
    agency: Agency,
    kind: str,
    reason: str,
    target: Staff | None = None,
    data: Mapping[str, Any] | None = None,
) -> StaffChangeRequest:
    """A unit administrator asks for a change to staff or roles (R2.4).

    ``data`` by kind — create_staff: name, id_number, phone, title,
    login_name, password, roles (codes); update_staff: any of name,
    id_number, phone, title; grant_role / revoke_role: role (code, granted
    at ``agency``); deactivate / reactivate: nothing. Nothing changes until
    the request is approved by the unit head and applied.
    """
    _require(policies.request_refusal(actor, agency.pk))
    if not agency.active:
        raise _fail({"agency": f"「{agency.name}」已停用"}, "request_invalid")
    errors: dict[str, str] = {}
    why = _clean(errors, "reason", reason, label="变更事由", max_length=500, required=True)
    if errors:
        raise _fail(errors, "request_invalid")
    if kind not in ChangeKind.values:
        raise _fail({"kind": "请选择变更类型"}, "request_invalid")
    if kind == ChangeKind.CREATE_STAFF:
        target = None
    payload, summary, detail = _validate_request(
        agency=agency, kind=kind, target=target, data=data or {}
    )
    req = StaffChangeRequest.objects.create(
        agency=agency,
        kind=kind,
        target=target,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        summary=summary,
        reason=why,
        requested_by_id=int(actor.actor_ref().id),
    )
    audit_append(
        actor=actor,
        action="orgs.staff_change_request",
        obj=req,
        change={
            "agency": agency.pk,
            "kind": kind,
            "target": getattr(target, "pk", None),
            "summary": summary,
            "detail": detail,
            "reason": why,
        },
    )
    return req


def _locked(req: StaffChangeRequest) -> StaffChangeRequest:
    return StaffChangeRequest.objects.select_for_update().get(pk=req.pk)


def _decide(
    actor: Actor, request: StaffChangeRequest, status: str, note: str, *, rejecting: bool
) -> StaffChangeRequest:
    req = _locked(request)
    _require(policies.approve_refusal(actor, req))
    errors: dict[str, str] = {}
    label = "驳回理由" if rejecting else "审批意见"
    note = _clean(errors, "note", note, label=label, max_length=500, required=rejecting)
    if errors:
        raise _fail(errors, "request_invalid")
    req.status = status
    req.decided_by_id = int(actor.actor_ref().id)
    req.decided_at = timezone.now()
    req.decision_note = note
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_append(
        actor=actor,
        action="orgs.staff_change_reject" if rejecting else "orgs.staff_change_approve",
        obj=req,
        change={"status": [ChangeStatus.PENDING, status], "note": note},
    )
    return req


@service_transaction
def staff_change_approve(
    *, actor: Actor, request: StaffChangeRequest, note: str = ""
) -> StaffChangeRequest:
    """The unit head approves. Approval alone changes nothing (R2.4)."""
    return _decide(actor, request, ChangeStatus.APPROVED, note, rejecting=False)


@service_transaction
def staff_change_reject(
    *, actor: Actor, request: StaffChangeRequest, note: str
) -> StaffChangeRequest:
    """The unit head refuses, with a reason; the request never takes effect (R2.4)."""
    return _decide(actor, request, ChangeStatus.REJECTED, note, rejecting=True)


@service_transaction
def staff_change_withdraw(*, actor: Actor, request: StaffChangeRequest) -> StaffChangeRequest:
    req = _locked(request)
    _require(policies.withdraw_refusal(actor, req))
    before = req.status
    req.status = ChangeStatus.WITHDRAWN
    req.save(update_fields=["status"])
    audit_append(
        actor=actor,
        action="orgs.staff_change_withdraw",
        obj=req,
        change={"status": [before, ChangeStatus.WITHDRAWN]},
    )
    return req


def _stale(message: str) -> Conflict:
    return Conflict(f"{message}；本申请已无法按原内容执行，请撤回后重新提出", code="request_stale")


def _apply_change(actor: Actor, req: StaffChangeRequest) -> dict[str, Any]:
    """Make the approved change, re-checking it against the data as it is now:
    whatever changed since the request was made is refused, never overwritten."""
    payload = json.loads(req.payload or "{}")
    agency = Agency.objects.get(pk=req.agency_id)
    if not agency.active:
        raise _stale(f"「{agency.name}」已停用")

    if req.kind == ChangeKind.CREATE_STAFF:
        errors: dict[str, str] = {}
        _id_number_clean(errors, payload["id_number"])
        if get_user_model().objects.filter(username__iexact=payload["login_name"]).exists():
            errors["login_name"] = f"登录名 {payload['login_name']} 已被使用"
        roles = _roles_clean(errors, payload.get("roles", []))
        if errors:
            raise _stale("；".join(errors.values()))
        staff = _create_staff_rows(
            actor=actor,
            agency=agency,
            name=payload["name"],
            id_number=payload["id_number"],
            phone=payload.get("phone", ""),
            title=payload.get("title", ""),
            login_name=payload["login_name"],
            password_hash=payload["password_hash"],
            roles=roles,
            action="orgs.staff_create",
            request_id=req.pk,
        )
        # Point the request at the new staff member so the record is complete.
        req.target = staff
        req.save(update_fields=["target"])
        return {"staff": staff.pk}

    if req.target_id is None:
        raise _stale("变更对象人员不存在")
    target = Staff.objects.select_for_update().get(pk=req.target_id)

    if req.kind == ChangeKind.UPDATE_STAFF:
        changes: dict[str, str] = payload["changes"]
        base: dict[str, str] = payload["base"]
        moved = [
            STAFF_FIELD_LABELS[f] for f, old in base.items() if (getattr(target, f) or "") != old
        ]
        if moved:
            raise _stale(f"申请提出后，{target.name}的{'、'.join(moved)}已被修改")
        if "id_number" in changes:
            errors = {}
            _id_number_clean(errors, changes["id_number"], exclude_staff=target.pk)
            if errors:
                raise _stale(errors["id_number"])
        for field, value in changes.items():
            setattr(target, field, value)
            if field == "id_number":
                target.id_index = blind_index(value)
        target.save()
        if "name" in changes:
            user = target.user
            user.display_name = changes["name"]
            user.save(update_fields=["display_name"])
        audit_append(
            actor=actor,
            action="orgs.staff_update",
            obj=target,
            change={
                "request": req.pk,
                **{f: [mask_field(f, base[f]), mask_field(f, v)] for f, v in changes.items()},
            },
        )
        return {"fields": sorted(changes)}

    if req.kind in (ChangeKind.GRANT_ROLE, ChangeKind.REVOKE_ROLE):
        role = Role.objects.filter(code=payload["role"]).first()
        if role is None:
            raise _stale(f"角色 {payload['role']} 已不存在")
        existing = RoleGrant.objects.filter(staff=target, role=role, agency=agency, step_code="")
        if req.kind == ChangeKind.GRANT_ROLE:
            if not target.active:
                raise _stale(f"{target.name}已离岗")
            if existing.exists():
                raise _stale(f"{target.name}在「{agency.name}」已有角色「{role.name}」")
            _grant(actor=actor, staff=target, role=role, agency=agency, request_id=req.pk)
            return {"granted": role.code}
        grant = existing.first()
        if grant is None:
            raise _stale(f"{target.name}在「{agency.name}」已没有角色「{role.name}」")
        grant_id = grant.pk
        grant.delete()
        audit_append(
            actor=actor,
            action="orgs.role_revoke",
            object_type="orgs.rolegrant",
            object_id=str(grant_id),
            change={"staff": target.pk, "role": role.code, "agency": agency.pk, "request": req.pk},
        )
        return {"revoked": role.code}

    if req.kind in (ChangeKind.DEACTIVATE, ChangeKind.REACTIVATE):
        want_active = req.kind == ChangeKind.REACTIVATE
        if target.active == want_active:
            raise _stale(f"{target.name}已{'在岗' if want_active else '离岗'}")
        target.active = want_active
        target.save(update_fields=["active"])
        user = target.user
        user.is_active = want_active
        user.save(update_fields=["is_active"])
        audit_append(
            actor=actor,
            action="orgs.staff_reactivate" if want_active else "orgs.staff_deactivate",
            obj=target,
            change={"active": [not want_active, want_active], "request": req.pk},
        )
        return {"active": want_active}

    raise Conflict("未知的变更类型", code="request_invalid")  # pragma: no cover


@service_transaction
def staff_change_apply(*, actor: Actor, request: StaffChangeRequest) -> StaffChangeRequest:
    """The unit administrator makes an approved change and files it with the
    same-level service centre (or the nearest one above). Two administrators
    applying at once: the row lock makes the second see it applied and refuse."""
    req = _locked(request)
    _require(policies.apply_refusal(actor, req))
    agency = Agency.objects.get(pk=req.agency_id)
    centre = filing_centre_for(agency)
    if centre is None:
        raise Conflict(
            f"{agency.name}所在区划及其上级均未设立政务服务中心，无法备案，暂不能执行",
            code="no_filing_centre",
        )
    effect = _apply_change(actor, req)
    now = timezone.now()
    # Conditional on the status as well, so the change is made at most once
    # even where the backend ignores SELECT … FOR UPDATE.
    updated = StaffChangeRequest.objects.filter(pk=req.pk, status=ChangeStatus.APPROVED).update(
        status=ChangeStatus.APPLIED,
        applied_by_id=int(actor.actor_ref().id),
        applied_at=now,
        filed_with=centre,
        filed_at=now,
    )
    if updated != 1:
        raise Conflict("该申请已被他人执行或撤回", code="request_state")
    req.refresh_from_db()
    audit_append(
        actor=actor,
        action="orgs.staff_change_apply",
        obj=req,
        change={
            "status": [ChangeStatus.APPROVED, ChangeStatus.APPLIED],
            "filed_with": centre.pk,
            "filed_with_name": centre.name,
            "effect": effect,
        },
    )
    return req


# --- API clients (R1.4) ------------------------------------------------------------


@service_transaction
def api_client_issue(*, actor: Actor, agency: Agency, name: str) -> tuple[ApiClient, str]:
    """Register an agency's business system and issue its bearer token.

    The token is returned once, here; only its SM3 digest and a short prefix
    (to recognise it in lists) are stored.
    """
    if not actor.has_permission("orgs.api_clients", agency_id=agency.pk) or (
        actor.actor_ref().kind == "api"
    ):
        raise PermissionDenied("您没有为该单位管理接入系统的权限")
    errors: dict[str, str] = {}
    name = _clean(errors, "name", name, label="系统名称", max_length=128, required=True)
    if not agency.active:
        errors["agency"] = f"「{agency.name}」已停用"
    if errors:
        raise _fail(errors, "agency_invalid")
    token = "yw_" + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        agency=agency, name=name, token_prefix=token[:10], token_digest=sm3_hex(token.encode())
    )
    audit_append(
        actor=actor,
        action="orgs.api_client_issue",
        obj=client,
        change={"agency": agency.pk, "name": name, "token_prefix": client.token_prefix},
    )
    return client, token


@service_transaction
def api_client_revoke(*, actor: Actor, client: ApiClient) -> ApiClient:
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if not actor.has_permission("orgs.api_clients", agency_id=client.agency_id) or (
        actor.actor_ref().kind == "api"
    ):
        raise PermissionDenied("您没有为该单位管理接入系统的权限")
    if not client.active:
        raise Conflict(f"接入系统「{client.name}」的令牌已停用", code="request_state")
    client.active = False
    client.save(update_fields=["active"])
    audit_append(
        actor=actor, action="orgs.api_client_revoke", obj=client, change={"active": [True, False]}
    )
    return client


# --- document-signing keys (ARCHITECTURE.md "Trust"; docs/documents.md) ---------------

# An active key this close to its expiry is replaced before it signs again.
AGENCY_KEY_RENEW_DAYS = 30


def _agency_key_issue(actor: Actor, agency: Agency, reason: str) -> AgencyKey:
    """Inside the caller's transaction, with the agency row locked."""
    from yiwang.core import signing

    key = signing.new_private_key()
    cert = signing.issue_agency_certificate(
        agency_name=agency.name, credit_code=agency.credit_code, public_key=key.public_key()
    )
    now = timezone.now()
    retired = []
    for old in AgencyKey.objects.select_for_update().filter(agency=agency, active=True):
        old.active = False
        old.retired_at = now
        old.save(update_fields=["active", "retired_at"])
        audit_append(
            actor=actor,
            action="orgs.agency_key_retire",
            obj=old,
            change={"active": [True, False], "serial": old.serial},
        )
        retired.append(old.serial)
    row = AgencyKey.objects.create(
        agency=agency,
        algorithm=signing.ALGORITHM,
        serial=f"{cert.serial_number:x}",
        fingerprint=signing.fingerprint(cert),
        subject=cert.subject.rfc4514_string()[:300],
        cert_pem=signing.cert_pem(cert),
        private_key=signing.seal_private_key(key),
        valid_from=cert.not_valid_before_utc,
        valid_to=cert.not_valid_after_utc,
    )
    audit_append(
        actor=actor,
        action="orgs.agency_key_issue",
        obj=row,
        change={
            "agency": agency.pk,
            "serial": row.serial,
            "fingerprint": row.fingerprint,
            "valid_to": row.valid_to.isoformat(),
            "replaces": retired,
            "reason": reason,
        },
    )
    return row


@service_transaction
def agency_key_issue(*, actor: Actor, agency: Agency, reason: str = "") -> AgencyKey:
    """Issue a new signing key and certificate for ``agency`` (first issue or
    rotation): the previously active key is retired but kept, so documents it
    signed still verify. Needs orgs.manage over the agency's division."""
    agency = Agency.objects.select_for_update().select_related("division").get(pk=agency.pk)
    _require(policies.manage_refusal(actor, agency.division.code))
    if not agency.active:
        raise Conflict(f"「{agency.name}」已停用，不能签发签名证书", code="request_state")
    reason = _text(reason, label="事由", max_length=200)
    return _agency_key_issue(actor, agency, reason or "签发")


def agency_signer(agency: Agency) -> tuple[Any, Any]:
    """(private key, certificate) the agency signs documents with, as
    ``cryptography`` objects for ``yiwang.core.signing.sign_pdf``. Issues a key
    as the platform (SYSTEM, audited) when the agency has none or its
    certificate expires within AGENCY_KEY_RENEW_DAYS."""
    from yiwang.core import signing

    row = _usable_key(agency)
    if row is None:
        with service_transaction():
            locked = Agency.objects.select_for_update().get(pk=agency.pk)
            row = _usable_key(locked)  # another request may have issued meanwhile
            if row is None:
                row = _agency_key_issue(SYSTEM, locked, "首次签署或证书即将到期，自动签发")
    return signing.open_private_key(row.private_key), signing.load_cert_pem(row.cert_pem)


def _usable_key(agency: Agency) -> AgencyKey | None:
    row = AgencyKey.objects.filter(agency=agency, active=True).first()
    if row is None:
        return None
    if row.valid_to - timezone.now() < dt.timedelta(days=AGENCY_KEY_RENEW_DAYS):
        return None
    return row
