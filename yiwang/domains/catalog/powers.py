"""Writes of the power and responsibility lists and the sunshine lists
(R4.1–R4.7): each ``<entity>_<action>``, keyword-only, atomic, audited.

The power list changes only through a change request (R4.2, R4.3): a
department asks (add, cancel, delegate, change elements, suspend, resume)
for one of the listed reasons → the reform office (审改办) reviews → the
government approves, and only then does the list change. A resume reviewed
by the reform office is due within two days (setting YIWANG_POWER_RESUME_DAYS);
the violations report shows it when late. Anyone may comment on or complain
about a published power (R4.6); its agency replies. The sunshine lists
(R4.7) are kept by the finance and rural-revitalisation offices and
published row by row.

The error codes (``DomainError.code``) raised here are listed, each with its
Chinese meaning, in ``POWER_CODES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError
from django.utils import timezone

from yiwang.core.actors import Actor, ActorRef
from yiwang.core.audit import audit_append, diff, service_transaction
from yiwang.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from yiwang.core.pii import blind_index
from yiwang.domains.catalog import powers_policies as pp
from yiwang.domains.catalog.models import (
    CatalogEntry,
    Duty,
    FundList,
    Power,
    PowerChangeKind,
    PowerChangeRequest,
    PowerChangeStatus,
    PowerComment,
    PowerCommentKind,
    PowerCommentStatus,
    PowerStatus,
    PowerStep,
    PowerType,
    ReliefList,
)
from yiwang.domains.catalog.powerdoc import (
    ALLOWED_FROM,
    ELEMENTS,
    PowerDoc,
    clean_power_doc,
    contact_error,
    reason_error,
)
from yiwang.domains.catalog.powers_selectors import (
    power_doc_of,
    power_settings,
    reason_label,
)
from yiwang.domains.catalog.search import search_keys
from yiwang.domains.orgs.models import Agency, Division, Staff
from yiwang.domains.orgs.policies import in_subtree

POWER_CODES: dict[str, str] = {
    "power_invalid": "权力事项信息有误",
    "power_code_taken": "权力编码已被使用",
    "power_reason_invalid": "申请事由不适用",
    "power_request_open": "该权力事项已有未办结的调整申请",
    "power_request_state": "调整申请当前状态不允许此操作",
    "power_state": "权力事项当前状态不允许此操作",
    "power_secret": "涉密权力事项不予公开",
    "power_not_found": "权力事项不存在或未公开",
    "power_not_in_force": "权力事项不在清单内或已暂停、取消，不得办理",
    "comment_invalid": "意见投诉内容有误",
    "comment_limit": "提交过于频繁",
    "fund_invalid": "财政专项资金清单信息有误",
    "relief_invalid": "扶贫项目资金清单信息有误",
}


class _PublicActor:
    """A member of the public who is not logged in (comments, R4.6)."""

    def actor_ref(self) -> ActorRef:
        return ActorRef("public", "anonymous", "公众（未登录）")

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool:
        return False


PUBLIC: Actor = _PublicActor()


# --- helpers -----------------------------------------------------------------------


def _require(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def _fail(fields: dict[str, str], code: str) -> ValidationFailed:
    return ValidationFailed("；".join(fields.values()), code=code, fields=fields)


def _error_code(errors: dict[str, str]) -> str:
    if "已在清单" in errors.get("code", ""):
        return "power_code_taken"
    if set(errors) <= {"reason", "note"}:
        return "power_reason_invalid"
    return "power_invalid"


def _staff_of(actor: Actor) -> Staff | None:
    sid = pp.staff_id(actor)
    return Staff.objects.filter(pk=sid).first() if sid is not None else None


def _division_code(division_id: int) -> str:
    return Division.objects.only("code").get(pk=division_id).code


def _text(
    errors: dict[str, str],
    field: str,
    value: Any,
    *,
    label: str,
    max_length: int,
    required: bool = False,
    min_length: int = 0,
) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors[field] = f"请填写{label}"
    elif len(text) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字"
    elif text and len(text) < min_length:
        errors[field] = f"{label}至少{min_length}个字"
    return text


def _entry_for(basic_code: str) -> CatalogEntry | None:
    if not basic_code:
        return None
    entry = CatalogEntry.objects.filter(basic_code=basic_code).first()
    if entry is None:
        raise _fail({"entry": f"基本目录中没有基本编码为 {basic_code} 的事项"}, "power_invalid")
    return entry


def _power_state(power: Power) -> dict[str, Any]:
    return {
        "code": power.code,
        "name": power.name,
        "power_type": power.power_type,
        "agency": power.agency_id,
        "division": power.division_id,
        "status": power.status,
        "secret": power.secret,
        "suspend_reason": power.suspend_reason,
        "entry": power.entry_id,
    }


def _write_steps(actor: Actor, power: Power, doc: PowerDoc) -> None:
    """Replace the power's flowchart steps and/or duties with those of ``doc``
    (when present), one audit entry per row removed or added."""
    if "steps" in doc:
        for old in list(power.steps.all()):
            pk, name = old.pk, old.name
            old.delete()
            audit_append(
                actor=actor,
                action="catalog.power_step_delete",
                object_type="catalog.powerstep",
                object_id=str(pk),
                change={"power": power.code, "name": name},
            )
        for i, s in enumerate(doc["steps"], 1):
            step = PowerStep.objects.create(
                power=power,
                order=i,
                name=s["name"],
                actor_role=s.get("actor_role", ""),
                time_limit=s.get("time_limit", ""),
                description=s.get("description", ""),
            )
            audit_append(
                actor=actor,
                action="catalog.power_step_create",
                obj=step,
                change={"power": power.code, "order": i, "name": step.name},
            )
    if "duties" in doc:
        for old_duty in list(power.duties.all()):
            pk = old_duty.pk
            old_duty.delete()
            audit_append(
                actor=actor,
                action="catalog.duty_delete",
                object_type="catalog.duty",
                object_id=str(pk),
                change={"power": power.code},
            )
        for i, d in enumerate(doc["duties"], 1):
            duty = Duty.objects.create(
                power=power,
                order=i,
                content=d["content"],
                basis=d.get("basis", ""),
                accountability=d["accountability"],
            )
            audit_append(
                actor=actor,
                action="catalog.duty_create",
                obj=duty,
                change={"power": power.code, "order": i},
            )


def _set_search(power: Power) -> None:
    power.search_initials, power.search_pinyin = search_keys(power.name)


# --- change requests (R4.2, R4.3) --------------------------------------------------


def _open_request_exists(power: Power) -> bool:
    return PowerChangeRequest.objects.filter(
        power=power,
        status__in=[PowerChangeStatus.PENDING, PowerChangeStatus.REFORM_APPROVED],
    ).exists()


def _code_taken(code: str) -> bool:
    if Power.objects.filter(code=code).exists():
        return True
    return PowerChangeRequest.objects.filter(
        kind=PowerChangeKind.ADD,
        status__in=[PowerChangeStatus.PENDING, PowerChangeStatus.REFORM_APPROVED],
        payload__power__code=code,
    ).exists()


@service_transaction
def power_change_request(
    *,
    actor: Actor,
    kind: str,
    reason: str = "",
    note: str = "",
    power: Power | None = None,
    agency: Agency | None = None,
    data: Mapping[str, Any] | None = None,
    target_agency: Agency | None = None,
) -> PowerChangeRequest:
    """A department asks to change the power list (R4.2, R4.3). Nothing on the
    list changes until the request is reviewed and approved.

    - ``add``: ``agency`` (the body that will exercise it) and ``data``, a full
      PowerDoc with its code;
    - ``cancel`` / ``suspend`` / ``resume``: ``power``;
    - ``delegate``: ``power`` and ``target_agency`` one division level below;
    - ``change``: ``power`` and ``data`` with only the elements to change.

    ``reason`` is one of the R4.2 reasons (PowerChangeReason) or, to suspend,
    the R4.3 ones (SuspendReason); a resume needs only ``note``.
    """
    if kind not in PowerChangeKind.values:
        raise _fail({"kind": "申请类型应为新增、取消、下放、变更、暂停或恢复"}, "power_invalid")
    errors: dict[str, str] = {}
    reason = (reason or "").strip() if kind != PowerChangeKind.RESUME else ""
    note = _text(errors, "note", note, label="说明", max_length=1000)
    if (why := reason_error(kind, reason, note)) is not None:
        errors["reason" if kind != PowerChangeKind.RESUME else "note"] = why
    payload: dict[str, Any] = {}
    if kind == PowerChangeKind.ADD:
        if agency is None:
            raise _fail({"agency": "请选择实施主体"}, "power_invalid")
        if power is not None:
            raise _fail({"power": "新增申请不针对已有权力事项"}, "power_invalid")
        _require(pp.request_refusal(actor, agency.pk))
        if not agency.active:
            errors["agency"] = f"实施主体「{agency.name}」已停用"
        doc, doc_errors = clean_power_doc(
            data or {}, power_types=PowerType.values, partial=False, with_code=True
        )
        errors.update(doc_errors)
        if "code" not in errors and _code_taken(doc["code"]):
            errors["code"] = f"权力编码 {doc['code']} 已在清单中或已有人申请新增"
        if errors:
            raise _fail(errors, _error_code(errors))
        _entry_for(doc.get("entry", ""))
        payload = {"power": dict(doc), "agency_name": agency.name}
        division_id = agency.division_id
        summary = f"新增：{doc['name']}"
    else:
        if power is None:
            raise _fail({"power": "请选择权力事项"}, "power_invalid")
        power = Power.objects.select_for_update().select_related("agency").get(pk=power.pk)
        agency = power.agency
        _require(pp.request_refusal(actor, power.agency_id))
        if power.status not in ALLOWED_FROM[kind]:
            raise Conflict(
                f"权力事项「{power.name}」当前{power.get_status_display()}，"
                f"不能申请{PowerChangeKind(kind).label}",
                code="power_state",
            )
        if _open_request_exists(power):
            raise Conflict(
                f"权力事项「{power.name}」已有未办结的调整申请，请待其办结后再提出",
                code="power_request_open",
            )
        division_id = power.division_id
        payload = {"status_before": power.status}
        if kind == PowerChangeKind.CHANGE:
            doc, doc_errors = clean_power_doc(
                data or {}, power_types=PowerType.values, partial=True
            )
            errors.update(doc_errors)
            current = power_doc_of(power)
            changes = {k: v for k, v in doc.items() if current.get(k) != v}
            if not doc_errors and not changes:
                errors["payload"] = "没有需要变更的要素（与现行内容相同）"
            if errors:
                raise _fail(errors, _error_code(errors))
            _entry_for(str(changes.get("entry", "")))
            payload["changes"] = changes
            payload["before"] = {k: current.get(k) for k in changes}
            summary = f"变更：{power.name}（{'、'.join(ELEMENTS[k] for k in changes)}）"
        elif kind == PowerChangeKind.DELEGATE:
            if target_agency is None:
                errors["target_agency"] = "请选择下放后的实施主体"
            else:
                target = Agency.objects.select_related("division").get(pk=target_agency.pk)
                if not target.active:
                    errors["target_agency"] = f"「{target.name}」已停用"
                elif target.division.parent_id != power.division_id:
                    errors["target_agency"] = (
                        "下放只能下放到下一级区划的实施主体"
                        f"（「{target.name}」不在本区划的直接下级区划）"
                    )
                else:
                    payload.update(
                        {
                            "agency": target.pk,
                            "agency_name": target.name,
                            "division": target.division.code,
                            "division_name": target.division.name,
                            "from_agency_name": power.agency.name,
                        }
                    )
            if errors:
                raise _fail(errors, _error_code(errors))
            summary = f"下放：{power.name} → {payload['agency_name']}"
        else:
            if errors:
                raise _fail(errors, _error_code(errors))
            if kind == PowerChangeKind.RESUME:
                payload["resume_to"] = (
                    PowerStatus.DELEGATED if power.delegated_from_id else PowerStatus.ACTIVE
                )
            summary = f"{PowerChangeKind(kind).label}：{power.name}"
    requester = _staff_of(actor)
    req = PowerChangeRequest.objects.create(
        kind=kind,
        power=power,
        agency=agency,
        division_id=division_id,
        reason=reason,
        note=note,
        payload=payload,
        summary=summary[:300],
        requested_by=requester,
        requester=actor.actor_ref().label[:100],
    )
    audit_append(
        actor=actor,
        action="catalog.power_change_request",
        obj=req,
        change={
            "kind": kind,
            "reason": reason,
            "reason_label": reason_label(kind, reason),
            "note": note,
            "power": power.code if power else payload["power"]["code"],
        },
    )
    return req


def _locked(request: PowerChangeRequest) -> PowerChangeRequest:
    return (
        PowerChangeRequest.objects.select_for_update().select_related("division").get(pk=request.pk)
    )


@service_transaction
def power_change_review(
    *, actor: Actor, request: PowerChangeRequest, approve: bool, note: str = ""
) -> PowerChangeRequest:
    """The reform office (审改办) reviews a request (R4.2): approve passes it on
    for approval; reject ends it (a reason is required). A resume passed by
    the reform office is due within the set days (R4.3)."""
    req = _locked(request)
    _require(pp.review_refusal(actor, req, req.division.code))
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, label="审核意见", max_length=500)
    if not approve and not note:
        errors["note"] = "退回时请填写审核意见"
    if errors:
        raise _fail(errors, "power_invalid")
    now = timezone.now()
    req.reviewed_by = _staff_of(actor)
    req.reviewed_at = now
    req.review_note = note
    if approve:
        req.status = PowerChangeStatus.REFORM_APPROVED
        if req.kind == PowerChangeKind.RESUME:
            req.resume_due_at = now + dt.timedelta(days=power_settings().resume_days)
    else:
        req.status = PowerChangeStatus.REJECTED
    req.save()
    audit_append(
        actor=actor,
        action="catalog.power_change_review" if approve else "catalog.power_change_review_reject",
        obj=req,
        change={"status": req.status, "note": note},
    )
    return req


def _apply_add(actor: Actor, req: PowerChangeRequest, now: dt.datetime) -> Power:
    doc: PowerDoc = req.payload["power"]
    if Power.objects.filter(code=doc["code"]).exists():
        raise Conflict(f"权力编码 {doc['code']} 已在清单中", code="power_code_taken")
    agency = Agency.objects.get(pk=req.agency_id)
    if not agency.active:
        raise Conflict(f"实施主体「{agency.name}」已停用，不能新增", code="power_state")
    power = Power(
        code=doc["code"],
        name=doc["name"],
        power_type=doc["power_type"],
        basis=doc.get("basis", []),
        agency=agency,
        division_id=agency.division_id,
        time_limit=doc.get("time_limit", ""),
        supervision_method=doc.get("supervision_method", ""),
        secret=doc.get("secret", False),
        entry=_entry_for(doc.get("entry", "")),
        reviewed_at=now,
    )
    _set_search(power)
    try:
        with service_transaction():
            power.save()
    except IntegrityError as exc:
        raise Conflict(f"权力编码 {doc['code']} 已在清单中", code="power_code_taken") from exc
    _write_steps(actor, power, doc)
    audit_append(
        actor=actor,
        action="catalog.power_create",
        obj=power,
        change={**_power_state(power), "request": req.pk},
    )
    return power


def _apply(actor: Actor, req: PowerChangeRequest, now: dt.datetime) -> Power:
    if req.kind == PowerChangeKind.ADD:
        return _apply_add(actor, req, now)
    assert req.power_id is not None
    power = Power.objects.select_for_update().get(pk=req.power_id)
    if power.status not in ALLOWED_FROM[req.kind]:
        raise Conflict(
            f"权力事项「{power.name}」当前{power.get_status_display()}，该申请已不能生效",
            code="power_state",
        )
    before = _power_state(power)
    payload = req.payload or {}
    if req.kind == PowerChangeKind.CANCEL:
        power.status = PowerStatus.CANCELLED
    elif req.kind == PowerChangeKind.DELEGATE:
        target = Agency.objects.get(pk=payload["agency"])
        if not target.active:
            raise Conflict(f"「{target.name}」已停用，不能下放", code="power_state")
        if power.delegated_from_id is None:
            power.delegated_from_id = power.agency_id
        power.agency = target
        power.division_id = target.division_id
        power.status = PowerStatus.DELEGATED
        power.reviewed_at = now
    elif req.kind == PowerChangeKind.SUSPEND:
        power.status = PowerStatus.SUSPENDED
        power.suspend_reason = req.reason
        power.suspend_note = req.note[:500]
    elif req.kind == PowerChangeKind.RESUME:
        power.status = PowerStatus.DELEGATED if power.delegated_from_id else PowerStatus.ACTIVE
        power.suspend_reason = ""
        power.suspend_note = ""
    elif req.kind == PowerChangeKind.CHANGE:
        changes: PowerDoc = payload.get("changes", {})
        for key in ("name", "power_type", "basis", "time_limit", "supervision_method", "secret"):
            if key in changes:
                setattr(power, key, changes[key])  # type: ignore[literal-required]
        if "entry" in changes:
            power.entry = _entry_for(changes["entry"])
        if "name" in changes:
            _set_search(power)
        if power.secret:
            power.published_at = None  # a power that became secret is withdrawn
        power.reviewed_at = now
        _write_steps(actor, power, changes)
    power.save()
    audit_append(
        actor=actor,
        action=f"catalog.power_{req.kind}",
        obj=power,
        change={**diff(before, _power_state(power)), "request": req.pk},
    )
    return power


@service_transaction
def power_change_decide(
    *, actor: Actor, request: PowerChangeRequest, approve: bool, note: str = ""
) -> PowerChangeRequest:
    """The government approves (or sends back) a request the reform office
    passed (R4.2). Approval applies it: add creates the power, cancel
    cancels it, delegate moves its executing body one level down, change
    updates its elements, suspend and resume switch its state (R4.3)."""
    req = _locked(request)
    _require(pp.decide_refusal(actor, req, req.division.code))
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, label="审定意见", max_length=500)
    if not approve and not note:
        errors["note"] = "退回时请填写审定意见"
    if errors:
        raise _fail(errors, "power_invalid")
    now = timezone.now()
    if approve:
        power = _apply(actor, req, now)
        req.power = power
        req.status = PowerChangeStatus.APPROVED
    else:
        req.status = PowerChangeStatus.REJECTED
    req.approved_by = _staff_of(actor)
    req.approved_at = now
    req.approval_note = note
    req.save()
    change: dict[str, Any] = {"status": req.status, "note": note}
    if approve and req.resume_due_at is not None:
        change["late"] = now > req.resume_due_at
    audit_append(
        actor=actor,
        action="catalog.power_change_approve" if approve else "catalog.power_change_decide_reject",
        obj=req,
        change=change,
    )
    return req


@service_transaction
def power_change_withdraw(*, actor: Actor, request: PowerChangeRequest) -> PowerChangeRequest:
    req = _locked(request)
    _require(pp.withdraw_refusal(actor, req))
    req.status = PowerChangeStatus.WITHDRAWN
    req.save(update_fields=["status"])
    audit_append(
        actor=actor,
        action="catalog.power_change_withdraw",
        obj=req,
        change={"status": req.status},
    )
    return req


# --- keeping the list public and current (R4.1, R4.5) ------------------------------------


def _locked_power(power: Power) -> Power:
    return Power.objects.select_for_update().select_related("division").get(pk=power.pk)


@service_transaction
def power_publish(*, actor: Actor, power: Power) -> Power:
    """Publish an approved power on the public list (R4.1). Secret powers are
    never published."""
    power = _locked_power(power)
    _require(pp.publish_refusal(actor, power, power.division.code))
    power.published_at = timezone.now()
    power.save(update_fields=["published_at", "updated_at"])
    audit_append(
        actor=actor,
        action="catalog.power_publish",
        obj=power,
        change={"published_at": power.published_at.isoformat()},
    )
    return power


@service_transaction
def power_confirm(*, actor: Actor, power: Power, note: str = "") -> Power:
    """The department or the reform office confirms the entry is current
    (the yearly review, R4.5); this also settles a recorded basis change."""
    power = _locked_power(power)
    _require(pp.maintain_refusal(actor, power, power.division.code))
    if power.status == PowerStatus.CANCELLED:
        raise Conflict("已取消的权力事项无需审核确认", code="power_state")
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, label="说明", max_length=500)
    if errors:
        raise _fail(errors, "power_invalid")
    power.reviewed_at = timezone.now()
    power.save(update_fields=["reviewed_at", "updated_at"])
    audit_append(
        actor=actor,
        action="catalog.power_confirm",
        obj=power,
        change={"reviewed_at": power.reviewed_at.isoformat(), "note": note},
    )
    return power


@service_transaction
def power_basis_changed(
    *, actor: Actor, power: Power, note: str, when: dt.datetime | None = None
) -> Power:
    """Record that a law the power rests on changed (R4.5): the list must be
    updated (a change request approved, or a confirmation) within the grace
    period, else the violations report shows it."""
    power = _locked_power(power)
    _require(pp.maintain_refusal(actor, power, power.division.code))
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, label="依据变化情况", max_length=500, required=True)
    if errors:
        raise _fail(errors, "power_invalid")
    now = timezone.now()
    when = when or now
    if when > now:
        raise _fail({"when": "依据变化时间不能晚于现在"}, "power_invalid")
    power.basis_changed_at = when
    power.save(update_fields=["basis_changed_at", "updated_at"])
    audit_append(
        actor=actor,
        action="catalog.power_basis_changed",
        obj=power,
        change={"basis_changed_at": when.isoformat(), "note": note},
    )
    return power


# --- public comments and complaints (R4.6) --------------------------------------------


@service_transaction
def power_comment_submit(
    *,
    actor: Actor = PUBLIC,
    power: Power,
    kind: str,
    content: str,
    contact: str,
    name: str = "",
) -> PowerComment:
    """Anyone may comment on or complain about a published power; no login is
    needed. A contact (phone or e-mail) is required for the reply, stored
    encrypted and shown masked; one contact may leave only a few per day,
    and the same text twice is refused."""
    power = Power.objects.select_related("agency").get(pk=power.pk)
    if power.secret or power.published_at is None:
        raise NotFound("该权力事项不存在或未公开", code="power_not_found")
    errors: dict[str, str] = {}
    if kind not in PowerCommentKind.values:
        errors["kind"] = "请选择意见建议或投诉"
    content = _text(
        errors, "content", content, label="内容", max_length=1000, required=True, min_length=5
    )
    name = _text(errors, "name", name, label="姓名", max_length=32)
    contact = (contact or "").strip()
    if (why := contact_error(contact)) is not None:
        errors["contact"] = why
    if errors:
        raise _fail(errors, "comment_invalid")
    index = blind_index(contact)
    since = timezone.now() - dt.timedelta(hours=24)
    recent = PowerComment.objects.filter(contact_index=index, created_at__gte=since)
    if recent.filter(power=power, content=content).exists():
        raise Conflict("您已提交过相同内容，请勿重复提交", code="comment_limit")
    limit = power_settings().comment_daily_limit
    if recent.count() >= limit:
        raise Conflict(f"同一联系方式24小时内最多提交{limit}条，请稍后再试", code="comment_limit")
    comment = PowerComment.objects.create(
        power=power,
        kind=kind,
        content=content,
        name=name,
        contact=contact,
        contact_index=index,
    )
    audit_append(
        actor=actor,
        action="catalog.power_comment_submit",
        obj=comment,
        change={"power": power.code, "kind": kind},
    )
    return comment


@service_transaction
def power_comment_reply(*, actor: Actor, comment: PowerComment, reply: str) -> PowerComment:
    """The power's agency answers (R4.6); a later reply replaces the earlier one."""
    comment = PowerComment.objects.select_for_update().select_related("power").get(pk=comment.pk)
    _require(pp.reply_refusal(actor, comment, comment.power.agency_id))
    errors: dict[str, str] = {}
    reply = _text(
        errors, "reply", reply, label="答复内容", max_length=2000, required=True, min_length=2
    )
    if errors:
        raise _fail(errors, "comment_invalid")
    before = {"status": comment.status, "reply": comment.reply}
    comment.reply = reply
    comment.status = PowerCommentStatus.REPLIED
    comment.replied_by = _staff_of(actor)
    comment.replied_at = timezone.now()
    comment.save()
    audit_append(
        actor=actor,
        action="catalog.power_comment_reply",
        obj=comment,
        change=diff(before, {"status": comment.status, "reply": reply}),
    )
    return comment


# --- sunshine lists (R4.7) --------------------------------------------------------------


def _year(errors: dict[str, str], value: Any, label: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors["year"] = f"请填写{label}（四位数字）"
        return 0
    if not 2000 <= year <= 2100:
        errors["year"] = f"{label}应在2000至2100之间"
    return year


def _amount(errors: dict[str, str], field: str, value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}应为数字（万元）"
        return Decimal("0")
    if not amount.is_finite() or amount < 0:
        errors[field] = f"{label}不能为负数"
    elif amount >= Decimal("1000000000000"):
        errors[field] = f"{label}过大"
    elif amount != amount.quantize(Decimal("0.01")):
        errors[field] = f"{label}最多保留两位小数"
    return amount if field not in errors else Decimal("0")


_FUND_FIELDS = ("year", "project", "budget", "management_rules", "allocation", "performance")


def _fund_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {
        "year": _year(errors, values.get("year"), "预算年度"),
        "project": _text(
            errors,
            "project",
            values.get("project"),
            label="项目名称",
            max_length=200,
            required=True,
        ),
        "budget": _amount(errors, "budget", values.get("budget"), "预算金额"),
        "management_rules": _text(
            errors,
            "management_rules",
            values.get("management_rules", ""),
            label="管理办法",
            max_length=5000,
        ),
        "allocation": _text(
            errors, "allocation", values.get("allocation", ""), label="分配情况", max_length=5000
        ),
        "performance": _text(
            errors,
            "performance",
            values.get("performance", ""),
            label="绩效情况",
            max_length=5000,
        ),
    }
    if errors:
        raise _fail(errors, "fund_invalid")
    return clean


def _fund_state(row: FundList) -> dict[str, Any]:
    return {
        "year": row.year,
        "agency": row.agency_id,
        "project": row.project,
        "budget": str(row.budget),
        "management_rules": row.management_rules,
        "allocation": row.allocation,
        "performance": row.performance,
        "published": row.published,
    }


def _fund_save(row: FundList) -> None:
    try:
        with service_transaction():
            row.save()
    except IntegrityError as exc:
        raise _fail(
            {"project": f"{row.year}年度该部门已有同名专项资金项目「{row.project}」"},
            "fund_invalid",
        ) from exc


@service_transaction
def fund_list_create(
    *,
    actor: Actor,
    year: int,
    agency: Agency,
    project: str,
    budget: Decimal | str,
    management_rules: str = "",
    allocation: str = "",
    performance: str = "",
) -> FundList:
    """A row of the fiscal special-fund list of a budget year (R4.7), not yet
    published."""
    agency = Agency.objects.select_related("division").get(pk=agency.pk)
    _require(pp.sunshine_refusal(actor, agency, agency.division.code))
    clean = _fund_values(
        {
            "year": year,
            "project": project,
            "budget": budget,
            "management_rules": management_rules,
            "allocation": allocation,
            "performance": performance,
        }
    )
    row = FundList(agency=agency, division_id=agency.division_id, **clean)
    _fund_save(row)
    audit_append(actor=actor, action="catalog.fund_list_create", obj=row, change=_fund_state(row))
    return row


@service_transaction
def fund_list_update(*, actor: Actor, row: FundList, **changes: Any) -> FundList:
    """Change a row (also once published: the list is kept current)."""
    unknown = set(changes) - set(_FUND_FIELDS)
    if unknown:
        raise _fail({"payload": f"无法识别的字段：{'、'.join(sorted(unknown))}"}, "fund_invalid")
    row = FundList.objects.select_for_update().select_related("agency__division").get(pk=row.pk)
    _require(pp.sunshine_refusal(actor, row.agency, row.agency.division.code))
    before = _fund_state(row)
    clean = _fund_values({**{f: getattr(row, f) for f in _FUND_FIELDS}, **changes})
    for key, value in clean.items():
        setattr(row, key, value)
    after = _fund_state(row)
    if after == before:
        return row
    _fund_save(row)
    audit_append(
        actor=actor, action="catalog.fund_list_update", obj=row, change=diff(before, after)
    )
    return row


@service_transaction
def fund_list_publish(*, actor: Actor, row: FundList, published: bool = True) -> FundList:
    row = FundList.objects.select_for_update().select_related("agency__division").get(pk=row.pk)
    _require(pp.sunshine_refusal(actor, row.agency, row.agency.division.code))
    if row.published == published:
        raise Conflict("该条目已公布" if published else "该条目尚未公布", code="fund_invalid")
    row.published = published
    row.published_at = timezone.now() if published else None
    row.save()
    audit_append(
        actor=actor,
        action="catalog.fund_list_publish" if published else "catalog.fund_list_unpublish",
        obj=row,
        change={"published": published},
    )
    return row


_RELIEF_FIELDS = ("year", "project", "content", "beneficiaries", "funds", "division")


def _relief_values(values: Mapping[str, Any], agency: Agency) -> dict[str, Any]:
    errors: dict[str, str] = {}
    division = values.get("division")
    clean: dict[str, Any] = {
        "year": _year(errors, values.get("year"), "年度"),
        "project": _text(
            errors,
            "project",
            values.get("project"),
            label="项目名称",
            max_length=200,
            required=True,
        ),
        "content": _text(
            errors, "content", values.get("content", ""), label="建设内容", max_length=5000
        ),
        "funds": _amount(errors, "funds", values.get("funds"), "资金规模"),
    }
    try:
        beneficiaries = int(values.get("beneficiaries"))  # type: ignore[arg-type]
        if beneficiaries < 0 or beneficiaries > 100_000_000:
            raise ValueError
        clean["beneficiaries"] = beneficiaries
    except (TypeError, ValueError):
        errors["beneficiaries"] = "受益人数应为不小于0的整数"
    if not isinstance(division, Division):
        errors["division"] = "请选择实施地区"
    elif not in_subtree(division.code, agency.division.code):
        errors["division"] = f"实施地区应在「{agency.name}」所在区划范围内"
    else:
        clean["division"] = division
    if errors:
        raise _fail(errors, "relief_invalid")
    return clean


def _relief_state(row: ReliefList) -> dict[str, Any]:
    return {
        "year": row.year,
        "agency": row.agency_id,
        "division": row.division_id,
        "project": row.project,
        "content": row.content,
        "beneficiaries": row.beneficiaries,
        "funds": str(row.funds),
        "published": row.published,
    }


@service_transaction
def relief_list_create(
    *,
    actor: Actor,
    year: int,
    agency: Agency,
    division: Division,
    project: str,
    beneficiaries: int,
    funds: Decimal | str,
    content: str = "",
) -> ReliefList:
    """A row of the poverty-relief list (R4.7), not yet published."""
    agency = Agency.objects.select_related("division").get(pk=agency.pk)
    _require(pp.sunshine_refusal(actor, agency, agency.division.code))
    clean = _relief_values(
        {
            "year": year,
            "project": project,
            "content": content,
            "beneficiaries": beneficiaries,
            "funds": funds,
            "division": division,
        },
        agency,
    )
    row = ReliefList.objects.create(agency=agency, **clean)
    audit_append(
        actor=actor, action="catalog.relief_list_create", obj=row, change=_relief_state(row)
    )
    return row


@service_transaction
def relief_list_update(*, actor: Actor, row: ReliefList, **changes: Any) -> ReliefList:
    unknown = set(changes) - set(_RELIEF_FIELDS)
    if unknown:
        raise _fail({"payload": f"无法识别的字段：{'、'.join(sorted(unknown))}"}, "relief_invalid")
    row = (
        ReliefList.objects.select_for_update()
        .select_related("agency__division", "division")
        .get(pk=row.pk)
    )
    _require(pp.sunshine_refusal(actor, row.agency, row.agency.division.code))
    before = _relief_state(row)
    clean = _relief_values({**{f: getattr(row, f) for f in _RELIEF_FIELDS}, **changes}, row.agency)
    for key, value in clean.items():
        setattr(row, key, value)
    after = _relief_state(row)
    if after == before:
        return row
    row.save()
    audit_append(
        actor=actor, action="catalog.relief_list_update", obj=row, change=diff(before, after)
    )
    return row


@service_transaction
def relief_list_publish(*, actor: Actor, row: ReliefList, published: bool = True) -> ReliefList:
    row = ReliefList.objects.select_for_update().select_related("agency__division").get(pk=row.pk)
    _require(pp.sunshine_refusal(actor, row.agency, row.agency.division.code))
    if row.published == published:
        raise Conflict("该条目已公布" if published else "该条目尚未公布", code="relief_invalid")
    row.published = published
    row.published_at = timezone.now() if published else None
    row.save()
    audit_append(
        actor=actor,
        action="catalog.relief_list_publish" if published else "catalog.relief_list_unpublish",
        obj=row,
        change={"published": published},
    )
    return row
