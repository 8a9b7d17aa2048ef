"""Writes of the case domain (R5, R6): each ``case_<action>`` (or
``<entity>_<action>``) is one use case, atomic, audited, appended to the
case's timeline, and refused with a Chinese message when the actor may not
do it or the case's state does not allow it.

Every transition locks the case row first (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), asks the pure
state machine (``lifecycle``) and only then writes: two clerks accepting one
case at once get one acceptance and one clear conflict, nothing half-done.

Due dates are derived (``clock_refresh``): acceptance day + the pinned
guide's limits + the pause ledger on the working-day calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import audit_append, service_transaction
from yiwang.core.calendar import get_work_calendar
from yiwang.core.crypto import sm3_hex
from yiwang.core.db import PreparedLookup
from yiwang.core.workdays import Pause, WorkCalendar
from yiwang.domains.cases import documents as case_documents
from yiwang.domains.cases import notify, policies
from yiwang.domains.cases.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from yiwang.domains.cases.forms import form_errors
from yiwang.domains.cases.lifecycle import (
    ACCEPTED,
    ENDED,
    Event,
    Status,
    next_status,
    parent_status,
)
from yiwang.domains.cases.models import (
    AgentAuthorisation,
    AssistRequest,
    AssistStatus,
    Case,
    CaseAttachment,
    CaseDocument,
    CaseEvent,
    CaseKind,
    CaseMaterial,
    CaseNumberSequence,
    CaseStep,
    Channel,
    ClockPause,
    CorrectionNotice,
    Decision,
    Delivery,
    DeliveryWay,
    DocumentKind,
    DocumentStatus,
    Extension,
    MaterialStatus,
    Notification,
    PauseKind,
    SpecialKind,
    SpecialProcedure,
    StepStatus,
)
from yiwang.domains.catalog.models import (
    ItemVersion,
    LimitUnit,
    MaterialSpec,
)
from yiwang.domains.catalog.selectors import item_for_application

__all__ = [
    "agent_authorisation_create",
    "assist_request_answer",
    "assist_request_create",
    "bundle_draft_save",
    "bundle_material_from_certificate",
    "bundle_material_upload",
    "bundle_part_deliver",
    "bundle_submit",
    "case_accept",
    "case_decide",
    "case_deliver",
    "case_document_render",
    "case_documents_sweep",
    "case_draft_save",
    "case_extend",
    "case_flag",
    "case_forward",
    "case_material_check",
    "case_material_from_certificate",
    "case_material_pledge",
    "case_material_remove",
    "case_material_upload",
    "case_prereview",
    "case_refuse",
    "case_request_correction",
    "case_resubmit",
    "case_return",
    "case_step_assign",
    "case_step_claim",
    "case_step_complete",
    "case_submit",
    "case_withdraw",
    "clock_refresh",
    "material_supply",
    "notification_read",
    "special_procedure_finish",
    "special_procedure_start",
]

# Steps whose completion is another use case, not a plain opinion.
DECIDE_STEP = "decide"
CERTIFY_STEP = "certify"
DELIVER_STEP = "deliver"
ACCEPT_STEP = "accept"

# Used when a pinned guide lists no process (it should; the completeness
# check requires one): review, decide, deliver.
DEFAULT_STEPS = (
    ("review", "审查", "reviewer"),
    (DECIDE_STEP, "决定", "approver"),
    (DELIVER_STEP, "送达", "clerk"),
)

MAX_REASON = 2000


# --- small helpers ---------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _lock(case_id: int) -> Case:
    if not isinstance(case_id, int):
        raise NotFound("办件不存在", code="case_not_found")
    case = _CASE_LOCKED.get(case_id)
    if case is None:
        raise NotFound("办件不存在", code="case_not_found")
    return case


# Every case service starts with one of these lookups: compiled once
# (core/db.py), they cost a round trip and the instances, not the query
# building (bench/lifecycle.py).
_CASE_LOCKED: PreparedLookup[Case] = PreparedLookup(
    lambda pk: (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency", "division", "version", "item")
        .filter(pk=pk)
    )
)
_STEP: PreparedLookup[CaseStep] = PreparedLookup(
    lambda pk: CaseStep.objects.select_related("assignee").filter(pk=pk)
)


def _first_step(status: str) -> PreparedLookup[CaseStep]:
    """A case's first step (in route order) that is in ``status``."""
    return PreparedLookup(
        lambda case_id: CaseStep.objects.filter(case_id=case_id, status=status).order_by("order")[
            :1
        ]
    )


_ACTIVE_STEP = _first_step(StepStatus.ACTIVE)
_WAITING_STEP = _first_step(StepStatus.WAITING)


def _label(actor: Actor) -> str:
    return actor.actor_ref().label


def _unit_name(actor: Actor, case: Case) -> str:
    kind = actor.actor_ref().kind
    if kind == "staff":
        agency = getattr(actor, "agency", None)
        return agency.name if agency is not None else ""
    if kind == "api":
        agency = getattr(actor, "agency", None)
        return f"{agency.name}（业务系统）" if agency is not None else ""
    if kind in ("person", "entity"):
        return "申请人"
    return "系统"


def _event(
    case: Case,
    actor: Actor,
    kind: str,
    title: str,
    detail: str = "",
    *,
    public: bool = True,
    document: CaseDocument | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        title=title,
        detail=detail,
        actor_label=_label(actor),
        unit_name=_unit_name(actor, case),
        public=public,
        document=document,
    )


def _notify(case: Case, title: str, body: str = "") -> None:
    """An in-app message now; SMS / e-mail copies by a task that commits with it (R5.7)."""
    note = Notification.objects.create(user_id=case.applicant_id, case=case, title=title, body=body)
    notify.dispatch(notification_id=note.pk)


def _audit(actor: Actor, action: str, obj: Any, change: Mapping[str, Any] | None = None) -> None:
    audit_append(actor=actor, action=action, obj=obj, change=dict(change or {}))


def _reason(text: str | None, what: str = "理由") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(f"请填写{what}", code="reason_required", fields={"reason": "必填"})
    if len(text) > MAX_REASON:
        raise ValidationFailed(f"{what}不能超过 {MAX_REASON} 字", code="reason_required")
    return text


def _move(case: Case, event: Event) -> Status:
    new = next_status(case.status, event)
    case.status = new.value
    return new


# --- case numbers ------------------------------------------------------------------


def _next_number(division_code: str, day: dt.date) -> str:
    """Readable and unique: county-level division code, date, serial —
    e.g. 320281-20260930-00012. The serial comes from a locked sequence row."""
    prefix = (division_code or "000000")[:6]
    if connection.features.can_return_columns_from_insert:
        # The row lock of the UPDATE serialises submitters like FOR UPDATE
        # does, and hands back the serial in the same statement.
        with connection.cursor() as cur:
            cur.execute(_NUMBER_SQL, [prefix, day])
            row = cur.fetchone()
        if row is not None:
            return f"{prefix}-{day:%Y%m%d}-{row[0]:05d}"
    for _ in range(3):
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.get_or_create(division_code=prefix, day=day)
            break
        except IntegrityError:  # another transaction created the row first
            continue
    seq = CaseNumberSequence.objects.select_for_update().get(division_code=prefix, day=day)
    CaseNumberSequence.objects.filter(pk=seq.pk).update(last=F("last") + 1)
    seq.refresh_from_db(fields=["last"])
    return f"{prefix}-{day:%Y%m%d}-{seq.last:05d}"


_NUMBER_SQL = (
    f'UPDATE "{CaseNumberSequence._meta.db_table}" SET "last" = "last" + 1 '
    'WHERE "division_code" = %s AND "day" = %s RETURNING "last"'
)


# --- the clock ---------------------------------------------------------------------


_PAUSE_LEDGER: PreparedLookup[ClockPause] = PreparedLookup(
    lambda case_id: ClockPause.objects.filter(case_id=case_id).order_by("started_on", "pk")
)


def _pauses(case: Case) -> list[Pause]:
    return [Pause(p.started_on, p.ended_on, p.reason) for p in _PAUSE_LEDGER.all(case.pk)]


def clock_refresh(
    case: Case,
    *,
    pauses: list[Pause] | None = None,
    calendar: WorkCalendar | None = None,
    save: bool = True,
) -> Case:
    """Recompute the cached due dates from the acceptance day, the limits and
    the pause ledger (and the approved extensions for the statutory limit).
    Raises CalendarYearNotLoaded when a due date would fall in a year nobody
    has loaded. Saves the case's clock fields unless ``save`` is false (the
    caller saves the case itself); ``pauses`` and ``calendar`` spare the
    queries when the caller has them already."""
    if case.accepted_on is None:
        return case
    cal = calendar if calendar is not None else get_work_calendar()
    if pauses is None:
        pauses = _pauses(case)
    if case.promised_limit is not None:
        promised = cal.deadline(
            case.accepted_on, case.promised_limit, pauses, natural_days=case.promised_natural
        )
        case.promised_due = promised.due
    if case.statutory_limit is not None:
        statutory = cal.deadline(
            case.accepted_on,
            case.statutory_limit + case.extension_days,
            pauses,
            natural_days=case.statutory_natural,
        )
        case.statutory_due = statutory.due
    case.clock_paused = any(p.end is None for p in pauses)
    if not save:
        return case
    Case.objects.filter(pk=case.pk).update(
        promised_due=case.promised_due,
        statutory_due=case.statutory_due,
        clock_paused=case.clock_paused,
    )
    return case


def _step_due(
    step: CaseStep,
    case: Case,
    *,
    pauses: list[Pause] | None = None,
    calendar: WorkCalendar | None = None,
) -> dt.date | None:
    if step.started_on is None:
        return None
    cal = calendar if calendar is not None else get_work_calendar()
    if pauses is None:
        pauses = _pauses(case)
    due = cal.deadline(step.started_on, step.time_limit, pauses, natural_days=step.natural_days)
    return due.due


# --- applying -----------------------------------------------------------------------


def needs_presence(version: ItemVersion) -> bool:
    """Whether an online application still needs one trip to the window
    (R5.6, R6.6): the guide asks for a visit and the item is not handled
    wholly online (depth 4, 全程网办)."""
    return version.onsite_trips > 0 and version.online_depth < 4


def _applicant_of(actor: Actor, applicant: Any | None, item_id: int) -> tuple[Any, str, Any]:
    """(applicant user, channel, authorisation) for who is applying."""
    kind = actor.actor_ref().kind
    if kind in ("person", "entity"):
        user = actor.user  # type: ignore[attr-defined]
        if applicant is not None and applicant.pk != user.pk:
            raise PermissionDenied("只能以本人名义申请", code="case_forbidden")
        return user, Channel.ONLINE, None
    if applicant is None:
        raise ValidationFailed("请指定申请人", code="applicant_required")
    if kind == "api":
        return applicant, Channel.API, None
    if kind == "staff":
        auth = policies.valid_authorisation(actor, applicant, item_id)
        if auth is not None:
            return applicant, Channel.AGENT, auth
        if actor.has_permission("cases.intake"):
            return applicant, Channel.WINDOW, None
        raise PermissionDenied(
            "您既不是窗口受理人员，也没有该申请人的有效代办授权", code="authorisation_invalid"
        )
    raise PermissionDenied("不能代为申请", code="case_forbidden")


def _applicant_identity(user: Any) -> tuple[str, str, str, str]:
    """(kind, name, code, phone) of an applicant account."""
    person = getattr(user, "person", None)
    if person is not None:
        return "person", person.name, person.id_number, person.phone or ""
    entity = getattr(user, "entity", None)
    if entity is not None:
        return "entity", entity.name, entity.credit_code, entity.phone or ""
    raise ValidationFailed("该账户不是实名注册的申请人", code="applicant_required")


def _draft_for(actor: Actor, case_id: int) -> Case:
    case = _lock(case_id)
    policies.require_submitter(actor, case)
    if case.status != Status.DRAFT:
        raise Conflict("申请已提交，不能再修改草稿", code="illegal_transition")
    return case


def case_draft_save(
    *,
    actor: Actor,
    item_id: int,
    variant_code: str = "",
    form_data: Mapping[str, Any] | None = None,
    case_id: int | None = None,
    applicant: Any | None = None,
) -> Case:
    """Create or update a draft application (drafts save and resume, R5.1).
    Only listed, active items take applications (R4.4): the draft is pinned
    to the version valid now and re-pinned when it is submitted."""
    version = item_for_application(item_id=item_id, variant_code=variant_code or None)
    data = dict(form_data or {})
    with service_transaction():
        if case_id is not None:
            case = _draft_for(actor, case_id)
            case.form_data = data
            case.variant_code = variant_code or ""
            case.version = version
            case.save(update_fields=["form_data", "variant_code", "version", "updated_at"])
            _audit(actor, "case.draft_save", case, {"form": sorted(data)})
            return case
        case = new_draft(
            actor,
            applicant,
            item_id,
            kind=CaseKind.SINGLE,
            item=version.item,
            version=version,
            variant_code=variant_code or "",
            title=version.entry_version.name,
            agency=version.item.agency,
            division=version.item.division,
            form_data=data,
            needs_presence=needs_presence(version),
        )
        _audit(actor, "case.draft_create", case, {"item": version.item.implementation_code})
        return case


def new_draft(actor: Actor, applicant: Any | None, item_id: int, **fields: Any) -> Case:
    """A draft case of the applicant (who is applying, through which
    channel, under which authorisation) with ``fields`` (kind, what is
    applied for, agency …). Part of a service's transaction; the caller
    audits it."""
    user, channel, auth = _applicant_of(actor, applicant, item_id)
    kind, name, code, phone = _applicant_identity(user)
    ref = actor.actor_ref()
    return Case.objects.create(
        status=Status.DRAFT,
        channel=channel,
        applicant=user,
        applicant_kind=kind,
        applicant_name=name,
        applicant_code=code,
        contact_phone=phone,
        submitted_by_kind=ref.kind,
        submitted_by_id=ref.id,
        submitted_by_label=ref.label,
        authorisation=auth,
        **fields,
    )


def _material_specs(version: ItemVersion, variant_code: str) -> list[MaterialSpec]:
    specs = list(version.materials.all())
    variant_ids = {v.pk for v in version.variants.all() if v.code == variant_code}
    return [s for s in specs if s.variant_id is None or s.variant_id in variant_ids]


def case_material_upload(
    *,
    actor: Actor,
    case_id: int,
    code: str,
    data: bytes,
    filename: str,
) -> CaseMaterial:
    """Attach a file to one material of the guide (R5.1). The file is checked
    by its real content, size and type before anything is written; a bad file
    is refused with a clear message and the draft keeps everything else.
    Allowed while the case is a draft or waiting for a correction."""
    from yiwang.core.files import store_upload

    info = store_upload(data=data, filename=filename)
    signature, signature_detail, trust = _signature_of(data, info.mime)
    with service_transaction():
        case = _lock(case_id)
        policies.require_submitter(actor, case)
        if case.status not in (Status.DRAFT, Status.CORRECTING, Status.SUPPLEMENTING):
            raise Conflict("当前状态不能上传材料", code="illegal_transition")
        spec = next((s for s in case.version.materials.all() if s.code == code), None)  # type: ignore[union-attr]
        if spec is None:
            raise ValidationFailed(f"该事项没有编码为 {code} 的申请材料", code="material_unknown")
        old = list(CaseMaterial.objects.filter(case=case, code=code, replaced=False))
        material = CaseMaterial.objects.create(
            case=case,
            spec=spec,
            code=spec.code,
            name=spec.name,
            status=MaterialStatus.PROVIDED,
            path=info.path,
            sm3=info.sm3,
            size=info.size,
            mime=info.mime,
            original_name=info.original_name[:200],
            uploaded_by_label=_label(actor),
            trust_level=trust,
            signature=signature,
            signature_detail=signature_detail,
        )
        _audit(
            actor,
            "case.material_upload",
            material,
            {"code": code, "sm3": info.sm3, "trust_level": trust, "signature": signature},
        )
        # Several files may make up one material; a correction replaces the
        # defective ones only when the applicant removes them.
        del old
        return material


def case_material_remove(*, actor: Actor, material_id: int) -> None:
    """Mark an uploaded file as replaced (it stays stored: nothing submitted
    is ever lost)."""
    with service_transaction():
        material = CaseMaterial.objects.filter(pk=material_id).first()
        if material is None:
            raise NotFound("材料不存在", code="case_not_found")
        case = _lock(material.case_id)
        policies.require_submitter(actor, case)
        if case.status not in (Status.DRAFT, Status.CORRECTING, Status.SUPPLEMENTING):
            raise Conflict("当前状态不能删除材料", code="illegal_transition")
        CaseMaterial.objects.filter(pk=material.pk).update(replaced=True)
        material.replaced = True
        _audit(actor, "case.material_remove", material, {"code": material.code})


def _check_complete(case: Case, version: ItemVersion) -> None:
    """Form fits the variant's schema; every required material has a file
    (容缺后补 materials may come later)."""
    variant = next((v for v in version.variants.all() if v.code == case.variant_code), None)
    if variant is None and list(version.variants.all()):
        variant = next(iter(version.variants.all()))
        case.variant_code = variant.code
    errors = form_errors(variant.form_schema if variant else {}, case.form_data)
    if errors:
        raise ValidationFailed(
            "申请表填写有误：" + "；".join(errors.values()), code="form_invalid", fields=errors
        )
    # A file, or a certificate taken from the library (免证办, R5.8) that is
    # still usable now (not revoked or expired since it was chosen).
    have, stale = _materials_given(case, version)
    missing = [
        s
        for s in _material_specs(version, case.variant_code)
        if s.necessity == MaterialSpec.Necessity.REQUIRED
        and s.code not in have
        and s.form != MaterialSpec.Form.PAPER
    ]
    if missing:
        raise ValidationFailed(
            "还缺少申请材料："
            + "、".join(
                s.name + ("（所选电子证照已不可用，请重新选择或上传）" if s.code in stale else "")
                for s in missing
            ),
            code="materials_missing",
            fields={s.code: "请上传" for s in missing},
        )


def _materials_given(case: Case, version: ItemVersion) -> tuple[set[str], set[str]]:
    """(codes given, codes whose only certificate is no longer usable)."""
    from yiwang.domains.cases import providers

    types = {m.code: m.certificate_type_code for m in version.materials.all()}
    have: set[str] = set()
    stale: set[str] = set()
    rows = (
        CaseMaterial.objects.filter(case=case, replaced=False)
        .exclude(path="", certificate_identifier="")
        .values_list("code", "certificate_identifier")
    )
    for code, identifier in rows:
        if identifier and (
            providers.confirm_offer(case.applicant, types.get(code, ""), identifier) is None
        ):
            stale.add(code)
            continue
        have.add(code)
    return have, stale - have


def case_submit(*, actor: Actor, case_id: int, idempotency_key: str = "") -> Case:
    """Submit a draft (R5.1, R5.6). Idempotent: submitting an already
    submitted case with the same key returns it unchanged, so a double click
    or a retried request never makes two cases. The case gets its number and
    is pinned to the version valid now."""
    key = (idempotency_key or "").strip()[:64]
    with service_transaction():
        case = _lock(case_id)
        policies.require_submitter(actor, case)
        if case.status != Status.DRAFT:
            if key and case.idempotency_key == key:
                return case
            raise Conflict("该申请已提交，请勿重复提交", code="illegal_transition")
        if key and Case.objects.filter(applicant=case.applicant, idempotency_key=key).exists():
            raise Conflict("该幂等键已用于另一份申请", code="idempotency_key_reused")
        version = item_for_application(
            item_id=case.item_id,  # type: ignore[arg-type]
            variant_code=case.variant_code or None,
            whole_guide=False,
        )
        case.version = version
        _check_complete(case, version)
        # Deferrable (容缺后补) materials not given now are tracked as owed.
        have = set(
            CaseMaterial.objects.filter(case=case, replaced=False).values_list("code", flat=True)
        )
        for spec in _material_specs(version, case.variant_code):
            if spec.necessity == MaterialSpec.Necessity.DEFERRABLE and spec.code not in have:
                owed = CaseMaterial.objects.create(
                    case=case,
                    spec=spec,
                    code=spec.code,
                    name=spec.name,
                    status=MaterialStatus.DEFERRED,
                    uploaded_by_label=_label(actor),
                )
                _audit(actor, "case.material_defer", owed, {"code": spec.code})
        _move(case, Event.SUBMIT)
        now = timezone.now()
        case.number = _next_number(case.division.code, timezone.localdate(now))
        case.submitted_at = now
        case.idempotency_key = key
        case.needs_presence = needs_presence(version)
        case.save()
        _audit(actor, "case.submit", case, {"number": case.number, "version": version.pk})
        _event(case, actor, "submit", "提交申请", f"办件编号 {case.number}")
        _notify(case, f"您的申请已提交：{case.title}", f"办件编号 {case.number}，请等待受理。")
        return case


def case_apply(
    *,
    actor: Actor,
    item_id: int,
    variant_code: str = "",
    form_data: Mapping[str, Any] | None = None,
    files: Sequence[tuple[str, str, bytes]] = (),
    applicant: Any | None = None,
    idempotency_key: str = "",
    certificates: Mapping[str, str] | None = None,
    certificate_consent: str = "",
    pledges: Sequence[str] = (),
) -> Case:
    """Draft, upload (code, filename, bytes) and submit in one call, for the
    API and window intake. With an idempotency key, a repeat returns the case
    the first call made.

    免证办 (R5.8): ``certificate_consent`` says how the applicant agreed to
    their certificates being used (e.g. "申请人在本单位业务系统中勾选同意");
    with it, every material of the variant that names a certificate type and
    got no file is taken from the applicant's newest usable certificate of
    that type, and ``certificates`` ({material code: identifier}) picks a
    given one. Without consent no certificate is used. ``pledges`` are the
    codes of materials replaced by the applicant's 告知承诺 (trust level D)."""
    key = (idempotency_key or "").strip()[:64]
    user = applicant if applicant is not None else getattr(actor, "user", None)
    if key:
        existing = Case.objects.filter(applicant=user, idempotency_key=key).first()
        if existing is not None:
            return existing
    try:
        with service_transaction():
            case = case_draft_save(
                actor=actor,
                item_id=item_id,
                variant_code=variant_code,
                form_data=form_data,
                applicant=applicant,
            )
            for code, filename, data in files:
                case_material_upload(
                    actor=actor, case_id=case.pk, code=code, data=data, filename=filename
                )
            for code in dict.fromkeys(pledges):
                case_material_pledge(actor=actor, case_id=case.pk, code=code)
            _apply_certificates(
                actor,
                case,
                chosen=dict(certificates or {}),
                consent=certificate_consent,
                uploaded={code for code, _, _ in files} | set(pledges),
            )
            return case_submit(actor=actor, case_id=case.pk, idempotency_key=key)
    except (IntegrityError, Conflict) as exc:
        # Two identical requests raced and the other one made the case: this
        # one's draft is rolled back and the caller gets the other's case.
        if isinstance(exc, Conflict) and exc.code != "idempotency_key_reused":
            raise
        existing = Case.objects.filter(applicant=user, idempotency_key=key).first()
        if not key or existing is None:
            raise
        return existing


def _apply_certificates(
    actor: Actor, case: Case, *, chosen: dict[str, str], consent: str, uploaded: set[str]
) -> None:
    """免证办 for ``case_apply``: the chosen certificates, then the newest
    usable one for every other certificate-type material without a file —
    only under the applicant's recorded consent."""
    from yiwang.domains.cases import providers

    consent = (consent or "").strip()
    if chosen and not consent:
        raise ValidationFailed(
            "调用申请人的电子证照须注明申请人的授权（certificate_consent）",
            code="certificate_consent_required",
            fields={"certificate_consent": "必填"},
        )
    if not consent:
        return
    assert case.version is not None
    specs = {s.code: s for s in _material_specs(case.version, case.variant_code)}
    unknown = sorted(set(chosen) - set(specs))
    if unknown:
        raise ValidationFailed(
            f"该办理项没有编码为 {'、'.join(unknown)} 的申请材料", code="material_unknown"
        )
    for code, spec in specs.items():
        identifier = (chosen.get(code) or "").strip()
        if not identifier:
            if not spec.certificate_type_code or (code in uploaded and code not in chosen):
                continue
            offers = providers.material_offers(case.applicant, spec.certificate_type_code)
            if not offers:
                continue
            identifier = offers[0].identifier
        case_material_from_certificate(
            actor=actor, case_id=case.pk, code=code, identifier=identifier, consent=consent
        )


def case_prereview(*, actor: Actor, case_id: int, opinion: str = "") -> Case:
    """Online pre-review of an item that needs paper or presence (R5.6): the
    applicant is told to come once to the window."""
    with service_transaction():
        case = _lock(case_id)
        policies.require(actor, "cases.accept", case)
        _move(case, Event.PREREVIEW)
        case.save(update_fields=["status", "updated_at"])
        _audit(actor, "case.prereview", case, {"opinion": opinion})
        _event(case, actor, "prereview", "网上预审通过", opinion or "请携带原件到窗口核验办理")
        _notify(case, f"网上预审通过：{case.title}", "请携带原件到窗口办理，只需跑一次。")
        return case


def _make_steps(
    case: Case, actor: Actor, *, pauses: list[Pause], calendar: WorkCalendar
) -> list[CaseStep]:
    specs = [s for s in case.version.steps.all() if not s.is_special]  # type: ignore[union-attr]
    rows: list[tuple[Any, str, str, str, int, bool]] = [
        (s, s.code, s.name, s.role_code, s.time_limit, s.time_unit == LimitUnit.NATURAL_DAYS)
        for s in sorted(specs, key=lambda s: (s.order, s.pk))
    ]
    if not any(r[1] != ACCEPT_STEP for r in rows):
        rows += [(None, c, n, r, 0, False) for c, n, r in DEFAULT_STEPS]
    steps: list[CaseStep] = []
    today = _today()
    started = False
    for order, (spec, code, name, role, limit, natural) in enumerate(rows, start=1):
        step = CaseStep(
            case=case,
            spec=spec,
            code=code,
            name=name,
            role_code=role,
            order=order,
            time_limit=limit,
            natural_days=natural,
        )
        if code == ACCEPT_STEP:
            step.status = StepStatus.DONE
            step.started_on = today
            step.assignee = actor if actor.actor_ref().kind == "staff" else None  # type: ignore[assignment]
            step.claimed_at = step.finished_at = timezone.now()
            step.outcome = "accepted"
        elif not started:
            step.status = StepStatus.ACTIVE
            step.started_on = today
            step.due_on = _step_due(step, case, pauses=pauses, calendar=calendar)
            started = True
        steps.append(step)
    # One INSERT for the whole route; each step's own entry follows.
    CaseStep.objects.bulk_create(steps)
    for step in steps:
        _audit(actor, "case.step_create", step, {"code": step.code, "status": step.status})
    return steps


def case_accept(
    *,
    actor: Actor,
    case_id: int,
    opinion: str = "",
) -> Case:
    """Accept (受理, R5.3): the clock starts the day after today on the
    pinned guide's limits; the steps of its process are laid out; an
    acceptance notice (PDF with case number and verification QR code) is
    issued. 容缺后补 materials stay owed and tracked."""
    with service_transaction():
        case = _lock(case_id)
        policies.require(actor, "cases.accept", case)
        _move(case, Event.ACCEPT)
        version = case.version
        assert version is not None
        now = timezone.now()
        case.accepted_at = now
        case.accepted_on = _today()
        case.promised_limit = version.promised_limit
        case.promised_natural = version.promised_unit == LimitUnit.NATURAL_DAYS
        case.statutory_limit = version.statutory_limit
        case.statutory_natural = version.statutory_unit == LimitUnit.NATURAL_DAYS
        pauses = _pauses(case)
        cal = get_work_calendar()
        clock_refresh(case, pauses=pauses, calendar=cal, save=False)
        case.save()
        _make_steps(case, actor, pauses=pauses, calendar=cal)
        _audit(actor, "case.accept", case, {"opinion": opinion, "due": str(case.promised_due)})
        doc = case_documents.document_issue(case, DocumentKind.ACCEPTANCE, actor=actor)
        owed = list(
            CaseMaterial.objects.filter(case=case, status=MaterialStatus.DEFERRED).values_list(
                "name", flat=True
            )
        )
        detail = f"承诺办结日 {case.promised_due:%Y-%m-%d}" if case.promised_due else ""
        if owed:
            detail += "；容缺受理，待补交：" + "、".join(owed)
        _event(case, actor, "accept", "受理", detail, document=doc)
        _notify(case, f"您的申请已受理：{case.title}", detail)
        return case


def _correction_lines(case: Case, lines: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Each line names a material of the pinned guide (so the notice agrees
    with the guide, R5.4) or the form, with what is wrong."""
    specs = {s.code: s for s in case.version.materials.all()}  # type: ignore[union-attr]
    out: list[dict[str, str]] = []
    bad: dict[str, str] = {}
    for line in lines:
        code = str(line.get("code") or "").strip()
        problem = str(line.get("problem") or "").strip()
        if code == "form":
            name = "申请表"
        elif code in specs:
            name = specs[code].name
        else:
            bad[code or "?"] = "不是本事项办事指南列明的材料"
            continue
        if not problem:
            bad[code] = f"请说明“{name}”需要补正的内容"
            continue
        out.append({"code": code, "name": name, "problem": problem[:500]})
    if bad:
        raise ValidationFailed(
            "补正告知有误：" + "；".join(f"{k}：{v}" for k, v in bad.items()),
            code="correction_invalid",
            fields=bad,
        )
    return out


def case_request_correction(
    *,
    actor: Actor,
    case_id: int,
    lines: Sequence[Mapping[str, Any]],
    note: str = "",
) -> CorrectionNotice:
    """One notice listing every missing or defective material at once (R5.4).
    Before acceptance the case waits for the applicant; during handling the
    clock pauses until the applicant resubmits (Art. 45 practice)."""
    with service_transaction():
        case = _lock(case_id)
        if case.kind == CaseKind.BUNDLE:  # R6.5: each agency corrects its own part
            raise Conflict("“一件事”的补正请在各部门的子件中办理", code="illegal_transition")
        during = case.status == Status.HANDLING
        policies.require(actor, "cases.handle" if during else "cases.accept", case)
        picked = _correction_lines(case, lines)
        note = (note or "").strip()[:MAX_REASON]
        if not picked and not note:
            raise ValidationFailed("补正告知应列明需要补正的全部材料", code="correction_invalid")
        _move(case, Event.REQUEST_CORRECTION)
        case.save(update_fields=["status", "updated_at"])
        notice = CorrectionNotice.objects.create(
            case=case,
            lines=picked,
            note=note,
            during_handling=during,
            issued_by_label=_label(actor),
        )
        _audit(actor, "case.correction_notice", notice, {"lines": picked, "note": note})
        if during:
            pause = ClockPause.objects.create(
                case=case, kind=PauseKind.CORRECTION, reason="补齐补正材料", started_on=_today()
            )
            _audit(actor, "case.clock_pause", pause, {"kind": pause.kind})
            clock_refresh(case)
        for row in CaseMaterial.objects.filter(
            case=case, code__in=[p["code"] for p in picked], replaced=False
        ):
            row.status = MaterialStatus.REJECTED
            row.save(update_fields=["status"])
            _audit(actor, "case.material_reject", row, {"code": row.code})
        _audit(actor, "case.request_correction", case, {"notice": notice.pk})
        doc = case_documents.document_issue(
            case, DocumentKind.CORRECTION, actor=actor, extra={"notice": notice}
        )
        summary = "；".join(f"{p['name']}：{p['problem']}" for p in picked)
        if note:
            summary = f"{summary}；{note}" if summary else note
        _event(case, actor, "request_correction", "一次性告知补正", summary, document=doc)
        _notify(case, f"请补正申请材料：{case.title}", summary)
        return notice


def case_resubmit(
    *, actor: Actor, case_id: int, form_data: Mapping[str, Any] | None = None
) -> Case:
    """The applicant's corrected application comes back (R5.4): the form and
    materials are checked again, the open notice is resolved and, during
    handling, the clock resumes."""
    with service_transaction():
        case = _lock(case_id)
        policies.require_submitter(actor, case)
        if form_data is not None:
            case.form_data = dict(form_data)
        status = Status(case.status)
        if status not in (Status.CORRECTING, Status.SUPPLEMENTING):
            next_status(status, Event.RESUBMIT)  # raises the clear message
        notice = case.corrections.filter(resolved_at__isnull=True).order_by("-pk").first()
        if notice is not None:
            still = [
                line["name"]
                for line in notice.lines
                if line["code"] != "form"
                and not CaseMaterial.objects.filter(
                    case=case, code=line["code"], replaced=False, status=MaterialStatus.PROVIDED
                ).exists()
            ]
            if still:
                raise ValidationFailed(
                    "请先重新上传补正告知中列明的材料：" + "、".join(still),
                    code="materials_missing",
                )
        assert case.version is not None
        _check_complete(case, case.version)
        _move(case, Event.RESUBMIT)
        case.save()
        if notice is not None:
            notice.resolved_at = timezone.now()
            notice.save(update_fields=["resolved_at"])
            _audit(actor, "case.correction_resolved", notice)
        for pause in ClockPause.objects.filter(
            case=case, kind=PauseKind.CORRECTION, ended_on__isnull=True
        ):
            pause.ended_on = _today()
            pause.save(update_fields=["ended_on"])
            _audit(actor, "case.clock_resume", pause)
        clock_refresh(case)
        _audit(actor, "case.resubmit", case)
        _event(case, actor, "resubmit", "补正后重新提交")
        return case


def _end(
    actor: Actor,
    case_id: int,
    event: Event,
    permission: str | None,
    reason: str,
    kind: DocumentKind | None,
    title: str,
) -> Case:
    with service_transaction():
        case = _lock(case_id)
        if permission is None:
            policies.require_submitter(actor, case)
        else:
            policies.require(actor, permission, case)
        text = _reason(reason)
        _move(case, event)
        case.ended_reason = text
        case.concluded_at = timezone.now()
        case.save()
        for step in CaseStep.objects.filter(
            case=case, status__in=[StepStatus.WAITING, StepStatus.ACTIVE]
        ):
            step.status = StepStatus.SKIPPED
            step.save(update_fields=["status"])
            _audit(actor, "case.step_skip", step)
        for pause in ClockPause.objects.filter(case=case, ended_on__isnull=True):
            pause.ended_on = _today()
            pause.save(update_fields=["ended_on"])
            _audit(actor, "case.clock_resume", pause)
        _audit(actor, f"case.{event.value}", case, {"reason": text})
        doc = case_documents.document_issue(case, kind, actor=actor) if kind is not None else None
        _event(case, actor, event.value, title, text, document=doc)
        _notify(case, f"{title}：{case.title}", text)
        _parent_refresh(case, actor)
        return case


def case_refuse(*, actor: Actor, case_id: int, reason: str) -> Case:
    """不予受理 with the reason and the legal remedy (R5.3): a decision
    document is issued."""
    return _end(
        actor, case_id, Event.REFUSE, "cases.accept", reason, DocumentKind.REFUSAL, "不予受理"
    )


def case_return(*, actor: Actor, case_id: int, reason: str) -> Case:
    """退件: the application is sent back with the reason (R5.3)."""
    return _end(actor, case_id, Event.RETURN, "cases.accept", reason, DocumentKind.RETURN, "退件")


def case_withdraw(*, actor: Actor, case_id: int, reason: str) -> Case:
    """The applicant withdraws before the decision (R6.4)."""
    return _end(actor, case_id, Event.WITHDRAW, None, reason, None, "申请人撤回申请")


# --- handling steps ---------------------------------------------------------------------


def _lock_step(step_id: int) -> tuple[Case, CaseStep]:
    found = _STEP.get(step_id) if isinstance(step_id, int) else None
    if found is None:
        raise NotFound("办理环节不存在", code="case_not_found")
    case = _lock(found.case_id)
    # Read again under the case's lock: another handler may have just moved it.
    step = _STEP.get(step_id)
    if step is None:
        raise NotFound("办理环节不存在", code="case_not_found")
    return case, step


def case_step_claim(*, actor: Actor, step_id: int) -> CaseStep:
    """Take an active step (R2.2): only staff holding the step's role at the
    case's agency; one holder at a time — a second claimant gets a conflict."""
    with service_transaction():
        case, step = _lock_step(step_id)
        policies.require_step(actor, case, step)
        if step.status != StepStatus.ACTIVE:
            raise Conflict(f"“{step.name}”环节当前不能办理", code="step_not_active")
        if step.assignee_id is not None:
            if step.assignee_id == int(actor.actor_ref().id):
                return step
            raise Conflict(
                f"“{step.name}”环节已由 {step.assignee.name} 认领",  # type: ignore[union-attr]
                code="step_taken",
            )
        step.assignee = actor  # type: ignore[assignment]
        step.claimed_at = timezone.now()
        step.save(update_fields=["assignee", "claimed_at"])
        _audit(actor, "case.step_claim", step)
        _event(case, actor, "step_claim", f"{step.name}：认领", public=False)
        return step


def case_step_assign(*, actor: Actor, step_id: int, staff: Any) -> CaseStep:
    """A unit head gives an active step to a named handler who holds its role."""
    with service_transaction():
        case, step = _lock_step(step_id)
        policies.require(actor, "cases.assign", case)
        policies.require_step(staff, case, step)
        if step.status != StepStatus.ACTIVE:
            raise Conflict(f"“{step.name}”环节当前不能分派", code="step_not_active")
        step.assignee = staff
        step.claimed_at = timezone.now()
        step.save(update_fields=["assignee", "claimed_at"])
        _audit(actor, "case.step_assign", step, {"staff": staff.pk})
        _event(case, actor, "step_assign", f"{step.name}：分派给 {staff.name}", public=False)
        return step


def _take_active(actor: Actor, case: Case, step: CaseStep) -> None:
    policies.require_step(actor, case, step)
    if step.status != StepStatus.ACTIVE:
        raise Conflict(f"“{step.name}”环节当前不能办理", code="step_not_active")
    if actor.actor_ref().kind != "staff":
        # The platform, or the agency's system pushing a result back (API
        # 回流): it acts for the step as a whole and is nobody's assignee.
        return
    me = int(actor.actor_ref().id)
    if step.assignee_id is not None and step.assignee_id != me:
        raise Conflict(
            f"“{step.name}”环节已由 {step.assignee.name} 认领",  # type: ignore[union-attr]
            code="step_taken",
        )
    if step.assignee_id is None:
        step.assignee = actor  # type: ignore[assignment]
        step.claimed_at = timezone.now()


def _finish_step(actor: Actor, case: Case, step: CaseStep, outcome: str, opinion: str) -> None:
    step.status = StepStatus.DONE
    step.finished_at = timezone.now()
    step.outcome = outcome
    step.opinion = opinion
    step.save()
    _audit(actor, "case.step_complete", step, {"outcome": outcome, "opinion": opinion})
    following = _WAITING_STEP.get(case.pk)
    if following is not None:
        following.status = StepStatus.ACTIVE
        following.started_on = _today()
        following.due_on = _step_due(following, case)
        following.save(update_fields=["status", "started_on", "due_on"])
        _audit(actor, "case.step_start", following)


def _active_step(case: Case) -> CaseStep | None:
    return _ACTIVE_STEP.get(case.pk)


def case_step_complete(
    *, actor: Actor, step_id: int, opinion: str, outcome: str = "pass"
) -> CaseStep:
    """Record a step's opinion and pass the case on (R6.9). The decision,
    and delivery steps are completed by their own use cases."""
    with service_transaction():
        case, step = _lock_step(step_id)
        if case.kind == CaseKind.JOINT_PART:  # R6.2: the co-agency's opinion ends its part
            from yiwang.domains.cases import bundles

            return bundles.joint_part_complete(
                actor=actor, case=case, step=step, opinion=opinion, outcome=outcome
            )
        if case.status != Status.HANDLING and step.code != CERTIFY_STEP:
            next_status(case.status, Event.DECIDE)  # raises with the state's name
        if step.code in (DECIDE_STEP, DELIVER_STEP):
            raise Conflict(f"“{step.name}”环节请使用“作出决定”或“送达”办理", code="step_not_active")
        if ClockPause.objects.filter(
            case=case, kind=PauseKind.SPECIAL, ended_on__isnull=True
        ).exists():
            raise Conflict("特别程序尚未结束，请先记录其结果", code="procedure_open")
        _take_active(actor, case, step)
        if outcome not in ("pass", "return"):
            raise ValidationFailed("环节结论只能是“通过”或“退回”", code="decision_invalid")
        text = _reason(opinion, "办理意见")
        _finish_step(actor, case, step, outcome, text)
        _audit(actor, "case.step", case, {"step": step.code})
        _event(case, actor, f"step_{step.code}", f"{step.name}：完成", text)
        if step.code == CERTIFY_STEP and outcome == "pass" and case.decision == Decision.GRANTED:
            from yiwang.domains.cases.signals import case_certify

            case_certify.send(sender=Case, case=case, actor=actor)  # R7.1: certificates issue
        return step


# --- special procedures, extensions -------------------------------------------------


def special_procedure_start(
    *,
    actor: Actor,
    case_id: int,
    kind: str,
    reason: str,
    started_on: dt.date | None = None,
) -> SpecialProcedure:
    """Record an offline special step (site inspection, expert review,
    hearing, public notice …, R6.1): the clock stops from ``started_on``
    until its result is recorded (Art. 45); the applicant is told in writing."""
    if kind not in SpecialKind.values:
        raise ValidationFailed("特别程序类型不正确", code="validation_failed")
    with service_transaction():
        case = _lock(case_id)
        if case.status != Status.HANDLING:
            raise Conflict("只有办理中的办件可以启动特别程序", code="illegal_transition")
        step = _active_step(case)
        if step is None:
            raise Conflict("当前没有办理中的环节", code="step_not_active")
        _take_active(actor, case, step)
        step.save(update_fields=["assignee", "claimed_at"])
        _audit(actor, "case.step_claim", step)
        text = _reason(reason, "事由")
        day = started_on or _today()
        if case.accepted_on and day < case.accepted_on:
            raise ValidationFailed("特别程序不能早于受理日", code="validation_failed")
        if ClockPause.objects.filter(
            case=case, kind=PauseKind.SPECIAL, ended_on__isnull=True
        ).exists():
            raise Conflict("已有特别程序尚未结束", code="procedure_open")
        name = SpecialKind(kind).label
        pause = ClockPause.objects.create(
            case=case, kind=PauseKind.SPECIAL, reason=name, started_on=day
        )
        _audit(actor, "case.clock_pause", pause, {"kind": kind})
        procedure = SpecialProcedure.objects.create(
            case=case,
            step=step,
            kind=kind,
            reason=text,
            pause=pause,
            started_on=day,
            started_by_label=_label(actor),
        )
        _audit(actor, "case.special_start", procedure, {"kind": kind, "reason": text})
        clock_refresh(case)
        _audit(actor, "case.clock", case, {"paused": True})
        doc = case_documents.document_issue(
            case, DocumentKind.SPECIAL, actor=actor, extra={"procedure": procedure}
        )
        _event(
            case,
            actor,
            "special_start",
            f"特别程序：{name}（暂停计时）",
            f"{text}；自 {day:%Y-%m-%d} 起不计入办理时限",
            document=doc,
        )
        _notify(case, f"您的办件进入特别程序：{name}", "特别程序所需时间不计入办理时限。")
        return procedure


def special_procedure_finish(
    *,
    actor: Actor,
    procedure_id: int,
    result: str,
    ended_on: dt.date | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> SpecialProcedure:
    """Record the result of a special procedure, with its files (inspection
    report, expert opinions … as (filename, bytes)); the clock runs again
    from the day after ``ended_on`` (R6.1). Files are checked like
    applicants' uploads before anything is written."""
    from yiwang.core.files import store_upload

    stored = [store_upload(data=data, filename=name) for name, data in files]
    with service_transaction():
        found = SpecialProcedure.objects.filter(pk=procedure_id).first()
        if found is None:
            raise NotFound("特别程序不存在", code="case_not_found")
        case = _lock(found.case_id)
        procedure = SpecialProcedure.objects.select_related("pause", "step").get(pk=procedure_id)
        if procedure.ended_on is not None:
            raise Conflict("该特别程序已记录结果", code="illegal_transition")
        step = procedure.step or _active_step(case)
        if step is not None:
            policies.require_step(actor, case, step)
        else:
            policies.require(actor, "cases.handle", case)
        text = _reason(result, "特别程序结果")
        day = ended_on or _today()
        if day < procedure.started_on:
            raise ValidationFailed("结束日不能早于开始日", code="validation_failed")
        procedure.ended_on = day
        procedure.result = text
        procedure.finished_by_label = _label(actor)
        procedure.save()
        pause = procedure.pause
        pause.ended_on = day
        pause.save(update_fields=["ended_on"])
        _audit(actor, "case.clock_resume", pause)
        _audit(actor, "case.special_finish", procedure, {"result": text})
        for info in stored:
            attachment = CaseAttachment.objects.create(
                case=case,
                procedure=procedure,
                name=info.original_name[:200],
                path=info.path,
                sm3=info.sm3,
                size=info.size,
                mime=info.mime,
                uploaded_by_label=_label(actor),
            )
            _audit(actor, "case.attachment_add", attachment, {"sm3": info.sm3})
        clock_refresh(case)
        _audit(actor, "case.clock", case, {"promised_due": str(case.promised_due)})
        name = SpecialKind(procedure.kind).label
        due = f"；承诺办结日顺延至 {case.promised_due:%Y-%m-%d}" if case.promised_due else ""
        _event(
            case,
            actor,
            "special_finish",
            f"特别程序结束：{name}",
            f"{text}（{procedure.started_on:%Y-%m-%d} 至 {day:%Y-%m-%d}）{due}",
        )
        return procedure


def case_extend(*, actor: Actor, case_id: int, days: int, reason: str) -> Extension:
    """Extend the statutory limit with the agency head's approval and a
    reason (Art. 42: at most 10 days; 15 for joint handling)."""
    with service_transaction():
        case = _lock(case_id)
        policies.require(actor, "cases.extend", case)
        if case.status not in (Status.HANDLING, Status.SUPPLEMENTING):
            raise Conflict("只有办理中的办件可以延长期限", code="illegal_transition")
        cap = 15 if case.kind in (CaseKind.JOINT, CaseKind.JOINT_PART) else 10
        if not isinstance(days, int) or days < 1 or case.extension_days + days > cap:
            raise ValidationFailed(
                f"延长期限合计不能超过 {cap} 日（已延长 {case.extension_days} 日）",
                code="extension_invalid",
            )
        text = _reason(reason, "延长理由")
        ext = Extension.objects.create(
            case=case, days=days, reason=text, approved_by_label=_label(actor)
        )
        _audit(actor, "case.extension", ext, {"days": days})
        case.extension_days += days
        case.save(update_fields=["extension_days", "updated_at"])
        clock_refresh(case)
        _audit(actor, "case.extend", case, {"days": days})
        doc = case_documents.document_issue(
            case, DocumentKind.EXTENSION, actor=actor, extra={"extension": ext}
        )
        _event(case, actor, "extend", f"延长办理期限 {days} 日", text, document=doc)
        _notify(case, f"办理期限延长 {days} 日：{case.title}", text)
        return ext


# --- decision and delivery -----------------------------------------------------------


def case_decide(*, actor: Actor, case_id: int, decision: str, reason: str) -> Case:
    """Grant or deny with reasons (R6.4). Every step before the decision
    must be done; owed 容缺后补 materials must be in before a grant. The
    decision document is a PDF signed with the agency's key."""
    if decision not in Decision.values:
        raise ValidationFailed("决定只能是准予或不予许可", code="decision_invalid")
    with service_transaction():
        case = _lock(case_id)
        next_status(case.status, Event.DECIDE)
        if case.kind == CaseKind.JOINT:  # R6.2: every co-handling agency first
            from yiwang.domains.cases.bundles import joint_open_parts

            still = joint_open_parts(case)
            if still:
                raise Conflict(
                    "协办/会办单位尚未办结：" + "、".join(still), code="joint_parts_open"
                )
        step = _active_step(case)
        if step is None or step.code != DECIDE_STEP:
            waiting = step.name if step is not None else "前序环节"
            raise Conflict(f"“{waiting}”环节尚未完成，不能作出决定", code="step_not_active")
        _take_active(actor, case, step)
        text = _reason(reason, "决定理由")
        if decision == Decision.GRANTED:
            owed = list(
                CaseMaterial.objects.filter(case=case, status=MaterialStatus.DEFERRED).values_list(
                    "name", flat=True
                )
            )
            if owed:
                raise Conflict(
                    "容缺后补材料尚未补齐：" + "、".join(owed), code="deferred_outstanding"
                )
        if ClockPause.objects.filter(case=case, ended_on__isnull=True).exists():
            raise Conflict(
                "计时暂停中（补正或特别程序未结束），不能作出决定", code="procedure_open"
            )
        _finish_step(actor, case, step, decision, text)
        _move(case, Event.DECIDE)
        case.decision = decision
        case.decision_reason = text
        case.decided_at = timezone.now()
        case.save()
        if decision == Decision.DENIED:
            for later in CaseStep.objects.filter(
                case=case, status__in=[StepStatus.WAITING, StepStatus.ACTIVE], code=CERTIFY_STEP
            ):
                later.status = StepStatus.SKIPPED
                later.save(update_fields=["status"])
                _audit(actor, "case.step_skip", later)
            nxt = CaseStep.objects.filter(case=case, status=StepStatus.WAITING).order_by("order")
            first = nxt.first()
            if first is not None and _active_step(case) is None:
                first.status = StepStatus.ACTIVE
                first.started_on = _today()
                first.save(update_fields=["status", "started_on"])
                _audit(actor, "case.step_start", first)
        _audit(actor, "case.decide", case, {"decision": decision, "reason": text})
        kind = DocumentKind.GRANT if decision == Decision.GRANTED else DocumentKind.DENIAL
        doc = case_documents.document_issue(case, kind, actor=actor, sign=True)
        title = Decision(decision).label
        _event(case, actor, "decide", f"作出决定：{title}", text, document=doc)
        _notify(case, f"您的申请已作出决定（{title}）：{case.title}", text)
        return case


def case_deliver(
    *,
    actor: Actor,
    case_id: int,
    way: str,
    tracking_number: str = "",
    recipient: str = "",
) -> Case:
    """Deliver the result (R6.4): window pickup, mail with a tracking number,
    or electronically; the case concludes."""
    if way not in DeliveryWay.values:
        raise ValidationFailed("送达方式不正确", code="delivery_invalid")
    tracking_number = (tracking_number or "").strip()
    if way == DeliveryWay.MAIL and not tracking_number:
        raise ValidationFailed(
            "邮寄送达请填写快递单号", code="delivery_invalid", fields={"tracking_number": "必填"}
        )
    with service_transaction():
        case = _lock(case_id)
        if case.kind == CaseKind.BUNDLE_PART:  # R6.5: one delivery, by the bundle
            return bundle_part_deliver(actor=actor, case_id=case.pk)
        next_status(case.status, Event.CONCLUDE)
        step = _active_step(case)
        if step is not None and step.code != DELIVER_STEP:
            raise Conflict(f"“{step.name}”环节尚未完成，不能送达", code="step_not_active")
        if step is not None:
            _take_active(actor, case, step)
        else:
            policies.require(actor, "cases.handle", case)
        delivery = Delivery.objects.create(
            case=case,
            way=way,
            tracking_number=tracking_number[:40],
            recipient=(recipient or "").strip()[:64],
            delivered_by_label=_label(actor),
        )
        _audit(actor, "case.delivery", delivery, {"way": way})
        if step is not None:
            _finish_step(actor, case, step, "delivered", DeliveryWay(way).label)
        _move(case, Event.CONCLUDE)
        case.delivery_way = way
        case.concluded_at = timezone.now()
        case.save()
        _audit(actor, "case.conclude", case, {"way": way})
        detail = DeliveryWay(way).label
        if tracking_number:
            detail += f"，快递单号 {tracking_number}"
        _event(case, actor, "deliver", "送达", detail)
        _event(case, actor, "conclude", "办结")
        _notify(case, f"您的办件已办结：{case.title}", detail)
        _parent_refresh(case, actor)
        return case


def case_document_render(*, actor: Actor, document_id: int) -> CaseDocument:
    """Render, sign and store an issued notice or decision (R5.3, R6.4): a
    task worker runs it once the issuing service has committed, the sweep
    for any a worker did not finish. Idempotent: a document already rendered
    is returned as it is. The slow work runs without any lock; only the
    final write locks the row, so two workers racing store one result. A
    failure is recorded on the row (attempts, error) and raised again."""
    doc = (
        CaseDocument.objects.filter(pk=document_id).first()
        if isinstance(document_id, int)
        else None
    )
    if doc is None:
        raise NotFound("文书不存在", code="document_not_found")
    if doc.ready:
        return doc
    try:
        pdf, signed = case_documents.document_pdf(doc)
        path = case_documents.document_store(doc, pdf)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        with service_transaction():
            CaseDocument.objects.filter(pk=doc.pk, status=DocumentStatus.PENDING).update(
                attempts=F("attempts") + 1, error=error
            )
            doc.refresh_from_db()
            _audit(actor, "case.document_render_failed", doc, {"error": error})
        raise
    with service_transaction():
        locked = CaseDocument.objects.select_for_update().get(pk=doc.pk)
        if locked.ready:  # another worker finished first; this file is a stray
            return locked
        locked.path = path
        locked.sm3 = sm3_hex(pdf)
        locked.size = len(pdf)
        locked.signed = signed
        locked.status = DocumentStatus.READY
        locked.rendered_at = timezone.now()
        locked.attempts += 1
        locked.error = ""
        locked.save(
            update_fields=[
                "path",
                "sm3",
                "size",
                "signed",
                "status",
                "rendered_at",
                "attempts",
                "error",
            ]
        )
        _audit(actor, "case.document_render", locked, {"sm3": locked.sm3, "signed": signed})
    return locked


DOCUMENT_SWEEP_AFTER = dt.timedelta(minutes=2)
DOCUMENT_MAX_ATTEMPTS = 5


def case_documents_sweep(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, int]:
    """Render the documents still 生成中 a while after issue (a worker died,
    a font or key was missing): each at most ``DOCUMENT_MAX_ATTEMPTS``
    times; what still fails stays listed with its error for the operator
    (``yiwang tasks status``, the case page)."""
    cutoff = (now or timezone.now()) - DOCUMENT_SWEEP_AFTER
    ids = list(
        CaseDocument.objects.filter(
            status=DocumentStatus.PENDING,
            issued_at__lt=cutoff,
            attempts__lt=DOCUMENT_MAX_ATTEMPTS,
        )
        .order_by("issued_at", "pk")
        .values_list("pk", flat=True)
    )
    rendered = failed = 0
    for pk in ids:
        try:
            case_document_render(actor=actor, document_id=pk)
            rendered += 1
        except Exception:  # recorded on the row; the others still get their turn
            failed += 1
    return {"found": len(ids), "rendered": rendered, "failed": failed}


def material_supply(
    *, actor: Actor, case_id: int, code: str, data: bytes, filename: str
) -> CaseMaterial:
    """Hand in an owed 容缺后补 material after acceptance."""
    from yiwang.core.files import store_upload

    info = store_upload(data=data, filename=filename)
    with service_transaction():
        case = _lock(case_id)
        policies.require_submitter(actor, case)
        row = CaseMaterial.objects.filter(
            case=case, code=code, status=MaterialStatus.DEFERRED
        ).first()
        if row is None:
            raise ValidationFailed("该材料不是待补交的容缺材料", code="material_unknown")
        row.status = MaterialStatus.SUPPLIED
        row.path, row.sm3, row.size, row.mime = info.path, info.sm3, info.size, info.mime
        row.original_name = info.original_name[:200]
        row.uploaded_by_label = _label(actor)
        row.signature, row.signature_detail, row.trust_level = _signature_of(data, info.mime)
        row.save()
        _audit(
            actor,
            "case.material_supply",
            row,
            {"code": code, "sm3": info.sm3, "trust_level": row.trust_level},
        )
        _event(case, actor, "material_supply", f"补交容缺材料：{row.name}")
        return row


# --- assist requests (R6.3) ------------------------------------------------------------


def assist_request_create(
    *, actor: Actor, case_id: int, to_agency: Any, question: str, days: int = 5
) -> AssistRequest:
    """The lead agency asks another agency for an opinion, due in ``days``
    working days (R6.3)."""
    with service_transaction():
        case = _lock(case_id)
        policies.require(actor, "cases.handle", case)
        if case.status not in ACCEPTED or Status(case.status) in ENDED:
            raise Conflict("只有办理中的办件可以发起协办", code="illegal_transition")
        if to_agency.pk == case.agency_id:
            raise ValidationFailed("协办单位不能是本单位", code="assist_invalid")
        if not isinstance(days, int) or not 1 <= days <= 30:
            raise ValidationFailed("答复期限应为 1 至 30 个工作日", code="assist_invalid")
        text = _reason(question, "协办事项")
        due = get_work_calendar().add_working_days(_today(), days)
        req = AssistRequest.objects.create(
            case=case,
            from_agency=case.agency,
            to_agency=to_agency,
            question=text,
            due_on=due,
            asked_by_label=_label(actor),
        )
        _audit(actor, "case.assist_request", req, {"to": to_agency.pk, "due": str(due)})
        _event(case, actor, "assist_request", f"请 {to_agency.name} 协办", text, public=False)
        return req


def assist_request_answer(*, actor: Actor, request_id: int, answer: str) -> AssistRequest:
    """The asked agency answers; the answer returns to the lead's case page."""
    with service_transaction():
        found = AssistRequest.objects.filter(pk=request_id).first()
        if found is None:
            raise NotFound("协办请求不存在", code="case_not_found")
        case = _lock(found.case_id)
        req = AssistRequest.objects.select_related("to_agency").get(pk=request_id)
        if not actor.has_permission("cases.assist", agency_id=req.to_agency_id):
            raise PermissionDenied("您不是被请求协办单位的协办人员", code="case_forbidden")
        if req.status != AssistStatus.OPEN:
            raise Conflict("该协办请求已答复或撤回", code="illegal_transition")
        req.answer = _reason(answer, "协办意见")
        req.status = AssistStatus.ANSWERED
        req.answered_by_label = _label(actor)
        req.answered_at = timezone.now()
        req.save()
        _audit(actor, "case.assist_answer", req)
        title = f"{req.to_agency.name} 答复协办"
        _event(case, actor, "assist_answer", title, req.answer, public=False)
        return req


# --- agents (R6.7) -----------------------------------------------------------------------


def agent_authorisation_create(
    *,
    actor: Actor,
    applicant: Any,
    agent: Any,
    valid_until: dt.date,
    item_id: int | None = None,
    document: tuple[str, bytes] | None = None,
) -> AgentAuthorisation:
    """Record an applicant's authorisation of an agent (帮办代办): by the
    applicant themself, or by a window clerk who saw the signed mandate."""
    kind = actor.actor_ref().kind
    if kind in ("person", "entity"):
        if actor.user.pk != applicant.pk:  # type: ignore[attr-defined]
            raise PermissionDenied("只能以本人名义委托", code="case_forbidden")
    elif not actor.has_permission("cases.intake"):
        raise PermissionDenied("您没有登记代办授权的权限", code="case_forbidden")
    if valid_until < _today():
        raise ValidationFailed("授权有效期不能早于今天", code="authorisation_invalid")
    path = sm3 = ""
    if document is not None:
        from yiwang.core.files import store_upload

        info = store_upload(data=document[1], filename=document[0])
        path, sm3 = info.path, info.sm3
    with service_transaction():
        auth = AgentAuthorisation.objects.create(
            applicant=applicant,
            agent=agent,
            item_id=item_id,
            valid_until=valid_until,
            document_path=path,
            document_sm3=sm3,
        )
        _audit(actor, "case.authorisation_create", auth, {"agent": agent.pk})
        return auth


# --- bundles and parents -----------------------------------------------------------------


def _parent_refresh(case: Case, actor: Actor) -> None:
    """A bundle's parent ends when every part has ended (R6.5), with one
    delivery and one message (``bundles.parent_concluded``). A joint case's
    lead is not driven by its parts (its own decision is the reply, R6.2).
    A parent that ends first (withdrawn …) closes its open parts."""
    from yiwang.domains.cases import bundles

    if case.parent_id is None:
        if case.kind in (CaseKind.BUNDLE, CaseKind.JOINT) and Status(case.status) in ENDED:
            bundles.parts_close(case, actor)
        return
    parent = Case.objects.select_for_update().get(pk=case.parent_id)
    if parent.kind != CaseKind.BUNDLE:
        return
    states = list(Case.objects.filter(parent=parent).values_list("status", flat=True))
    new = parent_status(states)
    if new.value == parent.status:
        return
    parent.status = new.value
    if new in ENDED:
        parent.concluded_at = timezone.now()
    parent.save(update_fields=["status", "concluded_at", "updated_at"])
    _audit(SYSTEM, "case.parent_refresh", parent, {"status": new.value})
    if new == Status.CONCLUDED:
        bundles.parent_concluded(parent)
    elif new in ENDED:
        _event(parent, SYSTEM, new.value, "一件事已终止", "各子件均未办结")
        _notify(parent, f"“一件事”已终止：{parent.title}", parent.status_name)


def notification_read(*, actor: Actor, notification_id: int) -> None:
    user = getattr(actor, "user", None)
    Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- 一件事 (R6.5) and joint handling (R6.2): the work is in ``bundles`` --------------


def bundle_draft_save(
    *,
    actor: Actor,
    bundle_code: str,
    form_data: Mapping[str, Any] | None = None,
    case_id: int | None = None,
    applicant: Any | None = None,
) -> Case:
    """Create or update the draft of a 一件事 application (R6.5): one parent
    case (kind ``bundle``) at the bundle's lead agency and division, holding
    ONE merged form (catalogue ``bundle_merged_form``)."""
    from yiwang.domains.cases import bundles

    return bundles.draft_save(
        actor=actor,
        bundle_code=bundle_code,
        form_data=form_data,
        case_id=case_id,
        applicant=applicant,
    )


def bundle_material_upload(
    *, actor: Actor, case_id: int, key: str, data: bytes, filename: str
) -> CaseMaterial:
    """Upload a file for one entry of the bundle's merged material list (its
    ``key``, R6.5): a material several member items need is uploaded once.
    Checked by content, size and type like any upload; drafts only."""
    from yiwang.domains.cases import bundles

    material: CaseMaterial = bundles.material_upload(
        actor=actor, case_id=case_id, key=key, data=data, filename=filename
    )
    return material


def bundle_material_from_certificate(
    *, actor: Actor, case_id: int, key: str, identifier: str, consent: str = ""
) -> CaseMaterial:
    """免证办 in a 一件事 (R5.8, R6.5): one entry of the merged material list
    that names a certificate type is taken from one of the applicant's
    usable certificates (asked of the providers again now), trust level A;
    choosing is the holder's consent. Each part made at submission gets a
    copy, and the consent is recorded for each part's agency too."""
    from yiwang.domains.cases import bundles

    material: CaseMaterial = bundles.material_from_certificate(
        actor=actor, case_id=case_id, key=key, identifier=identifier, consent=consent
    )
    return material


def bundle_submit(*, actor: Actor, case_id: int, idempotency_key: str = "") -> Case:
    """Submit a 一件事 application (R6.5). The merged form and materials are
    checked, then one part (kind ``bundle_part``) per member item is made at
    its agency, pinned to the item's current version (a suspended member
    refuses the whole bundle, naming it), with its share of the form and
    material rows pointing at the same stored files (same path and SM3),
    its own case number and status ``submitted``: each agency accepts and
    handles its part in parallel with the ordinary services. The parent is
    ``handling`` until every part ends. Idempotent like ``case_submit``."""
    from yiwang.domains.cases import bundles

    return bundles.submit(actor=actor, case_id=case_id, idempotency_key=idempotency_key)


def bundle_part_deliver(*, actor: Actor, case_id: int) -> Case:
    """Conclude a decided bundle part without delivering it on its own
    (R6.5: one delivery): its 送达 step is closed with delivery way
    ``bundle`` and no message goes out; when the last part ends the parent
    concludes with one delivery of all results and one notification.
    ``case_deliver`` on a bundle part comes here."""
    from yiwang.domains.cases import bundles

    return bundles.part_deliver(actor=actor, case_id=case_id)


def case_forward(*, actor: Actor, case_id: int, agency_ids: Sequence[int], note: str) -> list[Case]:
    """Joint handling (联合办理, R6.2): after acceptance the lead agency
    forwards the case to co-handling agencies; each gets a ``joint_part``
    (same item version and materials) with one 会办审查 step (role
    reviewer; 送达 skipped), handled in parallel and completed with
    ``case_step_complete`` (pass = 同意, return = 不同意). The lead's decision
    is refused while a part is open; parts' events are internal, so the
    applicant sees one case and one reply. The statutory limit becomes 45
    working days if it was lower (Art. 42); extensions may then reach 15."""
    from yiwang.domains.cases import bundles

    return bundles.forward(actor=actor, case_id=case_id, agency_ids=agency_ids, note=note)


def case_clock_recompute(*, actor: Actor, case_id: int) -> bool:
    """Recompute one open case's due dates after the calendar changed (a
    year loaded or edited); True when a date moved. Audited only then."""
    with service_transaction():
        case = _lock(case_id)
        if case.accepted_on is None or Status(case.status) in ENDED:
            return False
        before = (case.promised_due, case.statutory_due, case.clock_paused)
        clock_refresh(case)
        after = (case.promised_due, case.statutory_due, case.clock_paused)
        if before == after:
            return False
        _audit(
            actor,
            "case.clock_recompute",
            case,
            {"promised_due": [str(before[0]), str(after[0])]},
        )
        _event(
            case,
            actor,
            "clock",
            "工作日历调整，重新计算办结期限",
            f"承诺办结日 {after[0]:%Y-%m-%d}" if after[0] else "",
        )
        return True


# --- trust of materials, 免证办, flags (R5.8, R7.4, R7.5) ------------------------------------

UNTRUSTED_SIGNER = "签名证书不是由受信任的根证书签发"  # core.signing's problem text


def _signature_of(data: bytes, mime: str) -> tuple[str, str, str]:
    """(signature check, detail, trust level) of an uploaded file (R7.4): a
    PDF carrying a PAdES signature is verified offline. Signed by a platform
    agency's key (its certificate is one of ``orgs.AgencyKey``) and valid →
    A; valid or intact under another signer → C, "签名有效（外部）";
    otherwise C, "签名无效". Unsigned files and other types: C."""
    from yiwang.domains.cases.models import SignatureCheck, TrustLevel

    if mime != "application/pdf":
        return SignatureCheck.NONE, "", TrustLevel.C
    from yiwang.core.signing import verify_pdf
    from yiwang.domains.orgs.models import AgencyKey

    result = verify_pdf(data)
    if result.signatures == 0:
        return SignatureCheck.NONE, "", TrustLevel.C
    when = ""
    if result.signed_at is not None:
        when = f"，签署时间 {timezone.localtime(result.signed_at):%Y-%m-%d %H:%M}"
    if result.valid:
        key = (
            AgencyKey.objects.select_related("agency").filter(serial=result.serial).first()
            if result.serial
            else None
        )
        if key is not None and result.credit_code in ("", key.agency.credit_code):
            detail = f"签署机构：{key.agency.name}{when}"
            return SignatureCheck.PLATFORM, detail[:300], TrustLevel.A
        return SignatureCheck.EXTERNAL, f"签署人：{result.signer}{when}"[:300], TrustLevel.C
    if result.intact and result.problem == UNTRUSTED_SIGNER:
        detail = f"签名完整，签署人：{result.signer}（证书非本平台信任的根证书签发）{when}"
        return SignatureCheck.EXTERNAL, detail[:300], TrustLevel.C
    return SignatureCheck.INVALID, (result.problem or "签名无法校验")[:300], TrustLevel.C


def case_material_check(*, actor: Actor, material_id: int) -> CaseMaterial:
    """A window clerk has checked the original of an uploaded material: it
    becomes trust level B (国办函〔2016〕108号). Needs ``cases.accept`` at the
    case's agency. A material from the certificate library or signed by an
    agency (A) stays A; checking twice changes nothing."""
    from yiwang.domains.cases.models import TrustLevel

    with service_transaction():
        found = CaseMaterial.objects.filter(pk=material_id).only("case_id").first()
        if found is None:
            raise NotFound("材料不存在", code="case_not_found")
        case = _lock(found.case_id)
        policies.require(actor, "cases.accept", case)
        if case.status == Status.DRAFT or Status(case.status) in ENDED:
            raise Conflict("当前状态不能核验材料原件", code="illegal_transition")
        material = CaseMaterial.objects.select_for_update().get(pk=material_id)
        if material.replaced or not material.path:
            raise Conflict("该材料没有可核验的文件", code="material_not_checkable")
        if material.trust_level == TrustLevel.A:
            raise Conflict(
                "该材料来自电子证照库或由部门签发（A级），无需核验原件",
                code="material_not_checkable",
            )
        if material.trust_level == TrustLevel.B:
            return material
        if material.trust_level == TrustLevel.D:
            raise Conflict(
                "该材料由申请人告知承诺（D级），没有原件可核验", code="material_not_checkable"
            )
        before = material.trust_level
        material.trust_level = TrustLevel.B
        material.checked_by_label = _label(actor)
        material.checked_at = timezone.now()
        material.save(update_fields=["trust_level", "checked_by_label", "checked_at"])
        _audit(
            actor,
            "case.material_check",
            material,
            {"code": material.code, "trust_level": [before, TrustLevel.B]},
        )
        _event(case, actor, "material_check", f"核验材料原件：{material.name}", "可信等级 B 级")
        return material


def case_material_from_certificate(
    *, actor: Actor, case_id: int, code: str, identifier: str, consent: str = ""
) -> CaseMaterial:
    """免证办 (R5.8): the applicant (or whoever applies for them) chooses one
    of the applicant's electronic certificates for a material whose guide
    entry names a certificate type. The registered providers are asked
    again now, so a certificate revoked, suspended or expired since the page
    was shown is refused. The material is recorded with trust level A, the
    certificate's identifier and its PDF (path, SM3); choosing is the
    holder's consent, which the certificates domain logs as a use (signal
    ``providers.material_from_certificate``); ``consent`` says how it was
    given when someone else applies for the holder (an agency's system).
    Choosing the same certificate again returns the row already made."""
    from yiwang.domains.cases import providers
    from yiwang.domains.cases.models import TrustLevel

    identifier = (identifier or "").strip()
    with service_transaction():
        case = _lock(case_id)
        policies.require_submitter(actor, case)
        if case.status not in (Status.DRAFT, Status.CORRECTING, Status.SUPPLEMENTING):
            raise Conflict("当前状态不能提交材料", code="illegal_transition")
        spec = next((s for s in case.version.materials.all() if s.code == code), None)  # type: ignore[union-attr]
        if spec is None:
            raise ValidationFailed(f"该事项没有编码为 {code} 的申请材料", code="material_unknown")
        if not spec.certificate_type_code:
            raise ValidationFailed(
                f"“{spec.name}”不能以电子证照代替，请上传文件", code="material_not_certificate"
            )
        same = CaseMaterial.objects.filter(
            case=case, code=spec.code, certificate_identifier=identifier, replaced=False
        ).first()
        offer = providers.confirm_offer(case.applicant, spec.certificate_type_code, identifier)
        if offer is None:
            raise ValidationFailed(
                "该电子证照当前不可用（可能已撤销、注销、暂扣或超出有效期），请上传材料",
                code="certificate_unavailable",
                fields={spec.code: "电子证照不可用"},
            )
        if same is not None:
            return same
        material = CaseMaterial.objects.create(
            case=case,
            spec=spec,
            code=spec.code,
            name=spec.name,
            status=MaterialStatus.PROVIDED,
            path=offer.path,
            sm3=offer.sm3,
            size=offer.size,
            mime="application/pdf" if offer.path else "",
            original_name=f"{offer.name}（电子证照）"[:200],
            uploaded_by_label=_label(actor),
            trust_level=TrustLevel.A,
            certificate_identifier=offer.identifier,
        )
        _audit(
            actor,
            "case.material_from_certificate",
            material,
            {"code": spec.code, "certificate": offer.identifier, "sm3": offer.sm3},
        )
        if case.status != Status.DRAFT:
            _event(
                case,
                actor,
                "material_certificate",
                f"调用电子证照：{spec.name}",
                f"{offer.name} {offer.masked_identifier}（已核验，A级）",
            )
        providers.material_from_certificate.send(
            sender=CaseMaterial,
            actor=actor,
            case=case,
            material=material,
            identifier=offer.identifier,
            consent=(consent or "").strip(),
        )
        return material


def case_material_pledge(*, actor: Actor, case_id: int, code: str) -> CaseMaterial:
    """告知承诺 (trust level D, 国办函〔2016〕108号): instead of a document the
    applicant pledges, in the guide's own words, that the facts hold. Only a
    material whose guide entry has a pledge text allows it. The pledge is
    kept as a PDF (告知承诺书: who, when, which case, the text) in the case's
    files with its SM3, so it is archived and shown like any material; the
    row is trust level D. Pledging the same material again returns the row
    already made."""
    from yiwang.core.documents import render_pdf
    from yiwang.core.files import store_upload
    from yiwang.domains.cases.models import TrustLevel

    with service_transaction():
        case = _lock(case_id)
        policies.require_submitter(actor, case)
        if case.status not in (Status.DRAFT, Status.CORRECTING, Status.SUPPLEMENTING):
            raise Conflict("当前状态不能提交材料", code="illegal_transition")
        assert case.version is not None
        spec = next(
            (s for s in _material_specs(case.version, case.variant_code) if s.code == code), None
        )
        if spec is None:
            raise ValidationFailed(f"该事项没有编码为 {code} 的申请材料", code="material_unknown")
        text = (spec.pledge_text or "").strip()
        if not text:
            raise ValidationFailed(
                f"“{spec.name}”不适用告知承诺，请上传材料",
                code="material_not_pledgeable",
                fields={spec.code: "不适用告知承诺"},
            )
        same = CaseMaterial.objects.filter(
            case=case, code=spec.code, trust_level=TrustLevel.D, replaced=False
        ).first()
        if same is not None:
            return same
        now = timezone.localtime()
        pdf = render_pdf(
            "documents/case/pledge.html",
            {
                "case": case,
                "title": "告知承诺书",
                "agency": case.agency,
                "to": case.agency.name,
                "material": spec.name,
                "pledge": text,
                "pledged_at": now,
                "pledged_by": _label(actor),
                "issued_at": now,
            },
        )
        info = store_upload(data=pdf, filename=f"告知承诺书-{spec.code}.pdf")
        material = CaseMaterial.objects.create(
            case=case,
            spec=spec,
            code=spec.code,
            name=spec.name,
            status=MaterialStatus.PROVIDED,
            path=info.path,
            sm3=info.sm3,
            size=info.size,
            mime=info.mime,
            original_name=f"{spec.name}（告知承诺）"[:200],
            uploaded_by_label=_label(actor),
            trust_level=TrustLevel.D,
        )
        _audit(
            actor,
            "case.material_pledge",
            material,
            {"code": spec.code, "pledge": text, "sm3": info.sm3, "trust_level": TrustLevel.D},
        )
        if case.status != Status.DRAFT:
            _event(case, actor, "material_pledge", f"告知承诺：{spec.name}", "可信等级 D 级")
        return material


def _handler_user_ids(case: Case) -> list[int]:
    """Accounts of the staff handling a case: whoever holds or held one of
    its steps; else those holding the active step's role at the agency; else
    (not accepted yet) those who may accept there."""
    from yiwang.domains.orgs.models import Role, Staff

    ids = set(
        Staff.objects.filter(case_steps__case=case, active=True).values_list("user_id", flat=True)
    )
    if ids:
        return sorted(ids)
    active = case.steps.filter(status=StepStatus.ACTIVE).first()
    if active is not None:
        roles = [active.role_code]
    else:
        roles = [r.code for r in Role.objects.all() if "cases.accept" in (r.permissions or [])]
    ids = set(
        Staff.objects.filter(
            active=True, grants__agency_id=case.agency_id, grants__role__code__in=roles
        ).values_list("user_id", flat=True)
    )
    return sorted(ids)


def case_flag(*, actor: Actor, case_id: int, title: str, detail: str = "") -> CaseEvent:
    """Put a warning on a case for its handlers (not shown to the applicant):
    a timeline entry and an in-app message to each handler. Used by higher
    domains, e.g. when a certificate the case relied on is revoked (R5.8).
    Needs ``cases.handle`` at the case's agency (the platform may always)."""
    with service_transaction():
        case = _lock(case_id)
        policies.require(actor, "cases.handle", case)
        text = _reason(title, "标题")[:200]
        body = (detail or "").strip()[:MAX_REASON]
        event = _event(case, actor, "flag", text, body, public=False)
        users = _handler_user_ids(case)
        for user_id in users:
            Notification.objects.create(
                user_id=user_id, case=case, title=f"{case.number or case.title}：{text}", body=body
            )
        _audit(actor, "case.flag", case, {"title": text, "detail": body, "notified": users})
        return event
