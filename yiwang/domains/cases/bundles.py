"""一件事 applications (R6.5) and joint handling (联合办理, R6.2).

The public entry points are in ``services`` (``bundle_draft_save``,
``bundle_material_upload``, ``bundle_submit``, ``bundle_part_deliver``,
``case_forward``, ``joint_part_complete``); the work is done here with the
services' own helpers (row locks, audit, timeline, notifications).

A bundle application is one parent case (kind ``bundle``) at the bundle's
lead agency holding ONE merged form and ONE set of files: a material that
several member items need is asked once (catalogue ``bundle_merged_form`` /
``bundle_merged_materials``). Submitting it creates one part (kind
``bundle_part``) per member item at that item's agency, pinned to the item's
current version, with its share of the form and ``CaseMaterial`` rows that
point at the parent's stored files (same path and SM3: stored once). Each
agency's clerk accepts and handles its part in parallel with the ordinary
case services.

One delivery: a part's result is not delivered on its own. Its 送达 step is
closed with delivery way ``bundle`` (no ``Delivery`` row, no message to the
applicant) and the part concludes; when the last part ends the parent
concludes (``services._parent_refresh``) with one ``Delivery`` of every
part's result documents (electronic: they are on the parent's page), one
public conclusion event listing each part's outcome, and one notification.

Joint handling: the lead agency, after acceptance, forwards the case to
co-handling agencies (``case_forward``); each gets a ``joint_part`` with
one 会办审查 step (role reviewer) and its 送达 step skipped. The parts'
events are internal (``public=False``) and send the applicant nothing; the
lead's decision waits until every part has ended, and is the one reply. The
statutory limit of a forwarded case is at least 45 working days (Art. 42).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import service_transaction
from yiwang.core.calendar import get_work_calendar
from yiwang.domains.cases import policies, providers
from yiwang.domains.cases import services as s
from yiwang.domains.cases.errors import Conflict, NotFound, ValidationFailed
from yiwang.domains.cases.forms import form_errors
from yiwang.domains.cases.lifecycle import ENDED, Event, Status, next_status
from yiwang.domains.cases.models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseMaterial,
    CaseStep,
    Decision,
    Delivery,
    DeliveryWay,
    MaterialStatus,
    StepStatus,
)
from yiwang.domains.catalog.errors import ItemNotAcceptingApplications
from yiwang.domains.catalog.models import Bundle, ItemVersion, Lifecycle, MaterialSpec
from yiwang.domains.catalog.selectors import (
    bundle_merged_form,
    bundle_merged_materials,
    item_for_application,
)
from yiwang.domains.orgs.models import Agency

BUNDLE_DELIVERY = "bundle"
"""``Case.delivery_way`` of a part whose result goes out with its bundle."""

JOINT_STEP = "joint_review"
JOINT_STEP_NAME = "会办审查"
JOINT_STEP_ROLE = "reviewer"
JOINT_STEP_DAYS = 20
"""Working days a co-handling agency has for its 会办审查 (within the lead's 45)."""

JOINT_STATUTORY_DAYS = 45
"""Art. 42: joint or centralised handling, 45 working days."""


# --- the bundle and its merged lists ---------------------------------------------------


def bundle_for_application(code: str) -> Bundle:
    """An active bundle by its code (NotFound / Conflict otherwise)."""
    bundle = (
        Bundle.objects.select_related("division", "lead_agency")
        .filter(code=(code or "").strip())
        .first()
    )
    if bundle is None:
        raise NotFound(f"“一件事” {code} 不存在", code="bundle_not_found")
    if bundle.lifecycle != Lifecycle.ACTIVE:
        raise ItemNotAcceptingApplications(f"“一件事”{bundle.name}当前不接受申请")
    return bundle


def material_code(key: str) -> str:
    """The parent's ``CaseMaterial.code`` for a merged material key (the key
    itself when it fits the column, else a stable digest of it)."""
    if len(key) <= 48:
        return key
    return "h:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def _owner_of(bundle: Bundle) -> int:
    """The item id used to look up an agent's authorisation: the first member."""
    first = bundle.members.order_by("order", "pk").first()
    return first.item_id if first is not None else 0


def _share(form: Mapping[str, Any], schema: Mapping[str, Any], item_id: int) -> dict[str, Any]:
    """One member's share of the merged form, with its own field names
    (a field kept apart as ``name__<item id>`` goes back to ``name``)."""
    out: dict[str, Any] = {}
    suffix = f"__{item_id}"
    for key, members in (schema.get("x-members") or {}).items():
        if item_id not in members or key not in form:
            continue
        name = key[: -len(suffix)] if key.endswith(suffix) else key
        out[name] = form[key]
    return out


# --- applying ----------------------------------------------------------------------


def draft_save(
    *,
    actor: Actor,
    bundle_code: str,
    form_data: Mapping[str, Any] | None,
    case_id: int | None,
    applicant: Any | None,
) -> Case:
    bundle = bundle_for_application(bundle_code)
    data = dict(form_data or {})
    with service_transaction():
        if case_id is not None:
            case = s._draft_for(actor, case_id)
            if case.kind != CaseKind.BUNDLE or case.bundle_id != bundle.pk:
                raise Conflict("该草稿不是这件“一件事”的申请", code="illegal_transition")
            case.form_data = data
            case.save(update_fields=["form_data", "updated_at"])
            s._audit(actor, "case.draft_save", case, {"form": sorted(data)})
            return case
        case = s.new_draft(
            actor,
            applicant,
            _owner_of(bundle),
            kind=CaseKind.BUNDLE,
            bundle=bundle,
            title=bundle.name,
            agency=bundle.lead_agency,
            division=bundle.division,
            form_data=data,
        )
        s._audit(actor, "case.draft_create", case, {"bundle": bundle.code})
        return case


def material_upload(*, actor: Actor, case_id: int, key: str, data: bytes, filename: str) -> Any:
    from yiwang.core.files import store_upload

    info = store_upload(data=data, filename=filename)
    signature, signature_detail, trust = s._signature_of(data, info.mime)
    with service_transaction():
        case = s._lock(case_id)
        policies.require_submitter(actor, case)
        if case.kind != CaseKind.BUNDLE or case.bundle is None:
            raise ValidationFailed("该办件不是“一件事”申请", code="material_unknown")
        if case.status != Status.DRAFT:
            raise Conflict("申请已提交，请到各子件中补正材料", code="illegal_transition")
        row = next((m for m in bundle_merged_materials(case.bundle) if m["key"] == key), None)
        if row is None:
            raise ValidationFailed("“一件事”材料清单中没有这项材料", code="material_unknown")
        material = CaseMaterial.objects.create(
            case=case,
            code=material_code(key),
            name=row["name"][:200],
            status=MaterialStatus.PROVIDED,
            path=info.path,
            sm3=info.sm3,
            size=info.size,
            mime=info.mime,
            original_name=info.original_name[:200],
            uploaded_by_label=s._label(actor),
            trust_level=trust,
            signature=signature,
            signature_detail=signature_detail,
        )
        s._audit(actor, "case.material_upload", material, {"key": key, "sm3": info.sm3})
        return material


def material_from_certificate(
    *, actor: Actor, case_id: int, key: str, identifier: str, consent: str = ""
) -> CaseMaterial:
    from yiwang.domains.cases.models import TrustLevel

    identifier = (identifier or "").strip()
    with service_transaction():
        case = s._lock(case_id)
        policies.require_submitter(actor, case)
        if case.kind != CaseKind.BUNDLE or case.bundle is None:
            raise ValidationFailed("该办件不是“一件事”申请", code="material_unknown")
        if case.status != Status.DRAFT:
            raise Conflict("申请已提交，请到各子件中补正材料", code="illegal_transition")
        row = next((m for m in bundle_merged_materials(case.bundle) if m["key"] == key), None)
        if row is None:
            raise ValidationFailed("“一件事”材料清单中没有这项材料", code="material_unknown")
        type_code = row.get("certificate_type_code") or ""
        if not type_code:
            raise ValidationFailed(
                f"“{row['name']}”不能以电子证照代替，请上传文件", code="material_not_certificate"
            )
        code = material_code(key)
        same = CaseMaterial.objects.filter(
            case=case, code=code, certificate_identifier=identifier, replaced=False
        ).first()
        offer = providers.confirm_offer(case.applicant, type_code, identifier)
        if offer is None:
            raise ValidationFailed(
                "该电子证照当前不可用（可能已撤销、注销、暂扣或超出有效期），请上传材料",
                code="certificate_unavailable",
                fields={key: "电子证照不可用"},
            )
        if same is not None:
            return same
        material = CaseMaterial.objects.create(
            case=case,
            code=code,
            name=row["name"][:200],
            status=MaterialStatus.PROVIDED,
            path=offer.path,
            sm3=offer.sm3,
            size=offer.size,
            mime="application/pdf" if offer.path else "",
            original_name=f"{offer.name}（电子证照）"[:200],
            uploaded_by_label=s._label(actor),
            trust_level=TrustLevel.A,
            certificate_identifier=offer.identifier,
        )
        s._audit(
            actor,
            "case.material_from_certificate",
            material,
            {"key": key, "certificate": offer.identifier, "sm3": offer.sm3},
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


def _stale_certificates(parent: Case, merged: Sequence[Mapping[str, Any]]) -> set[str]:
    """Codes of the parent's certificate materials no longer usable now."""

    types = {material_code(m["key"]): m.get("certificate_type_code") or "" for m in merged}
    stale: set[str] = set()
    for row in CaseMaterial.objects.filter(case=parent, replaced=False).exclude(
        certificate_identifier=""
    ):
        offer = providers.confirm_offer(
            parent.applicant, types.get(row.code, ""), row.certificate_identifier
        )
        if offer is None:
            stale.add(row.code)
    return stale


def _trust_of(material: CaseMaterial) -> dict[str, Any]:
    """What a shared copy keeps of the original's trust (R5.8, R7.4)."""
    return {
        "trust_level": material.trust_level,
        "certificate_identifier": material.certificate_identifier,
        "signature": material.signature,
        "signature_detail": material.signature_detail,
        "checked_by_label": material.checked_by_label,
        "checked_at": material.checked_at,
    }


def _version_of(bundle: Bundle, member: Any) -> ItemVersion:
    try:
        return item_for_application(
            item_id=member.item_id, variant_code=member.variant_code or None
        )
    except ItemNotAcceptingApplications as exc:
        raise ItemNotAcceptingApplications(
            f"“一件事”{bundle.name}暂不能申请：{exc.message}", fields={"item": exc.message}
        ) from exc


def _variant_code(version: ItemVersion, wanted: str) -> str:
    codes = [v.code for v in version.variants.all()]
    if wanted in codes:
        return wanted
    return codes[0] if codes else ""


def submit(*, actor: Actor, case_id: int, idempotency_key: str) -> Case:
    key = (idempotency_key or "").strip()[:64]
    with service_transaction():
        parent = s._lock(case_id)
        policies.require_submitter(actor, parent)
        if parent.kind != CaseKind.BUNDLE or parent.bundle_id is None:
            raise Conflict("该办件不是“一件事”申请", code="illegal_transition")
        if parent.status != Status.DRAFT:
            if key and parent.idempotency_key == key:
                return parent
            raise Conflict("该申请已提交，请勿重复提交", code="illegal_transition")
        if key and Case.objects.filter(applicant=parent.applicant, idempotency_key=key).exists():
            raise Conflict("该幂等键已用于另一份申请", code="idempotency_key_reused")
        bundle = Bundle.objects.select_related("division", "lead_agency").get(pk=parent.bundle_id)
        if bundle.lifecycle != Lifecycle.ACTIVE:
            raise ItemNotAcceptingApplications(f"“一件事”{bundle.name}当前不接受申请")
        members = list(bundle.members.select_related("item").order_by("order", "pk"))
        # Every member must take applications now, or the whole bundle waits.
        versions = {m.item_id: _version_of(bundle, m) for m in members}
        schema = bundle_merged_form(bundle)
        form = dict(parent.form_data or {})
        errors = form_errors({k: v for k, v in schema.items() if k != "x-members"}, form)
        if errors:
            raise ValidationFailed(
                "申请表填写有误：" + "；".join(errors.values()), code="form_invalid", fields=errors
            )
        merged = bundle_merged_materials(bundle)
        files: dict[str, list[CaseMaterial]] = {}
        stale = _stale_certificates(parent, merged)
        for row in CaseMaterial.objects.filter(case=parent, replaced=False).exclude(path=""):
            if row.certificate_identifier and row.code in stale:
                continue  # revoked or expired since it was chosen: never passed on
            files.setdefault(row.code, []).append(row)
        missing = [
            m
            for m in merged
            if m["necessity"] == MaterialSpec.Necessity.REQUIRED
            and m["form"] != MaterialSpec.Form.PAPER
            and material_code(m["key"]) not in files
        ]
        if missing:
            raise ValidationFailed(
                "还缺少申请材料："
                + "、".join(
                    m["name"]
                    + (
                        "（所选电子证照已不可用，请重新选择或上传）"
                        if material_code(m["key"]) in stale
                        else ""
                    )
                    for m in missing
                ),
                code="materials_missing",
                fields={m["key"]: "请上传" for m in missing},
            )
        now = timezone.now()
        day = timezone.localdate(now)
        parent.number = s._next_number(bundle.division.code, day)
        parts = [
            _make_part(actor, parent, schema, merged, files, m, versions[m.item_id], now)
            for m in members
        ]
        parent.status = Status.HANDLING.value
        parent.submitted_at = now
        parent.idempotency_key = key
        parent.promised_limit = bundle.promised_limit
        parent.save()
        s._audit(
            actor,
            "case.submit",
            parent,
            {"number": parent.number, "parts": [p.number for p in parts]},
        )
        listing = "；".join(f"{p.title}（{p.agency.name}，{p.number}）" for p in parts)
        s._event(
            parent, actor, "submit", "提交“一件事”申请", f"办件编号 {parent.number}；{listing}"
        )
        s._notify(
            parent,
            f"您的“一件事”申请已提交：{parent.title}",
            f"办件编号 {parent.number}，已分送 {len(parts)} 个部门同步办理。",
        )
        return parent


def _make_part(
    actor: Actor,
    parent: Case,
    schema: Mapping[str, Any],
    merged: Sequence[Mapping[str, Any]],
    files: Mapping[str, list[CaseMaterial]],
    member: Any,
    version: ItemVersion,
    now: Any,
) -> Case:
    item = version.item
    share = _share(parent.form_data or {}, schema, item.pk)
    part = Case.objects.create(
        kind=CaseKind.BUNDLE_PART,
        parent=parent,
        status=Status.DRAFT,
        channel=parent.channel,
        item=item,
        version=version,
        bundle_id=parent.bundle_id,
        variant_code=_variant_code(version, member.variant_code),
        title=version.entry_version.name,
        agency=item.agency,
        division=item.division,
        applicant_id=parent.applicant_id,
        applicant_kind=parent.applicant_kind,
        applicant_name=parent.applicant_name,
        applicant_code=parent.applicant_code,
        contact_phone=parent.contact_phone,
        submitted_by_kind=parent.submitted_by_kind,
        submitted_by_id=parent.submitted_by_id,
        submitted_by_label=parent.submitted_by_label,
        authorisation_id=parent.authorisation_id,
        form_data=share,
        needs_presence=s.needs_presence(version),
    )
    specs = {m.code: m for m in version.materials.all()}
    for row in merged:
        for use in row["items"]:
            spec = specs.get(use["material_code"]) if use["item_id"] == item.pk else None
            if spec is None:
                continue
            for f in files.get(material_code(row["key"]), []):
                copy = CaseMaterial.objects.create(
                    case=part,
                    spec=spec,
                    code=spec.code,
                    name=spec.name,
                    status=MaterialStatus.PROVIDED,
                    path=f.path,
                    sm3=f.sm3,
                    size=f.size,
                    mime=f.mime,
                    original_name=f.original_name,
                    uploaded_by_label=f.uploaded_by_label,
                    **_trust_of(f),
                )
                s._audit(actor, "case.material_share", copy, {"code": spec.code, "sm3": f.sm3})
                if f.certificate_identifier:
                    # R5.8: the holder's consent reaches the part's agency too
                    providers.material_from_certificate.send(
                        sender=CaseMaterial,
                        actor=actor,
                        case=part,
                        material=copy,
                        identifier=f.certificate_identifier,
                        consent="",
                    )
    try:
        s._check_complete(part, version)
    except ValidationFailed as exc:
        raise ValidationFailed(
            f"{part.title}（{item.agency.name}）：{exc.message}", code=exc.code, fields=exc.fields
        ) from exc
    have = set(CaseMaterial.objects.filter(case=part).values_list("code", flat=True))
    for spec in s._material_specs(version, part.variant_code):
        if spec.necessity == MaterialSpec.Necessity.DEFERRABLE and spec.code not in have:
            owed = CaseMaterial.objects.create(
                case=part,
                spec=spec,
                code=spec.code,
                name=spec.name,
                status=MaterialStatus.DEFERRED,
                uploaded_by_label=s._label(actor),
            )
            s._audit(actor, "case.material_defer", owed, {"code": spec.code})
    s._move(part, Event.SUBMIT)
    part.number = s._next_number(item.division.code, timezone.localdate(now))
    part.submitted_at = now
    part.save()
    s._audit(
        actor,
        "case.submit",
        part,
        {"number": part.number, "version": version.pk, "parent": parent.number},
    )
    s._event(
        part,
        actor,
        "submit",
        "提交申请（“一件事”子件）",
        f"办件编号 {part.number}；所属“一件事” {parent.title}（{parent.number}）",
    )
    return part


# --- one delivery ------------------------------------------------------------------


def part_deliver(*, actor: Actor, case_id: int) -> Case:
    with service_transaction():
        case = s._lock(case_id)
        if case.kind != CaseKind.BUNDLE_PART:
            raise Conflict("只有“一件事”子件随一件事统一送达", code="illegal_transition")
        next_status(case.status, Event.CONCLUDE)
        step = s._active_step(case)
        if step is not None and step.code != s.DELIVER_STEP:
            raise Conflict(f"“{step.name}”环节尚未完成，不能送达", code="step_not_active")
        if step is not None:
            s._take_active(actor, case, step)
            s._finish_step(actor, case, step, BUNDLE_DELIVERY, "随“一件事”统一送达")
        else:
            policies.require(actor, "cases.handle", case)
        s._move(case, Event.CONCLUDE)
        case.delivery_way = BUNDLE_DELIVERY
        case.concluded_at = timezone.now()
        case.save()
        s._audit(actor, "case.conclude", case, {"way": BUNDLE_DELIVERY})
        s._event(case, actor, "conclude", "办结", "结果随“一件事”统一送达")
        s._parent_refresh(case, actor)
        return case


def parent_concluded(parent: Case) -> None:
    """The bundle's one reply: one delivery of every part's result and one
    event and message naming each part's outcome (called by
    ``services._parent_refresh`` when the last part ends)."""
    parts = list(Case.objects.filter(parent=parent).select_related("agency").order_by("pk"))
    lines = []
    for p in parts:
        if p.status == Status.CONCLUDED:
            outcome = Decision(p.decision).label if p.decision else "已办结"
        else:
            outcome = p.status_name
        lines.append(f"{p.title}（{p.agency.name}）：{outcome}")
    delivery = Delivery.objects.create(
        case=parent,
        way=DeliveryWay.ELECTRONIC,
        recipient=parent.applicant_name[:64],
        delivered_by_label=SYSTEM.actor_ref().label,
    )
    s._audit(
        SYSTEM, "case.delivery", delivery, {"way": DeliveryWay.ELECTRONIC, "parts": len(parts)}
    )
    parent.delivery_way = DeliveryWay.ELECTRONIC
    parent.save(update_fields=["delivery_way", "updated_at"])
    s._audit(SYSTEM, "case.conclude", parent, {"way": DeliveryWay.ELECTRONIC})
    detail = "；".join(lines)
    s._event(parent, SYSTEM, "deliver", "统一送达", f"各部门办理结果文书一并电子送达。{detail}")
    s._event(parent, SYSTEM, "conclude", "一件事全部办结", detail)
    s._notify(parent, f"“一件事”已全部办结：{parent.title}", detail)


# --- joint handling (R6.2) -----------------------------------------------------------


def forward(*, actor: Actor, case_id: int, agency_ids: Sequence[int], note: str) -> list[Case]:
    ids = list(dict.fromkeys(int(i) for i in agency_ids or [] if str(i).strip().isdigit()))
    if not ids:
        raise ValidationFailed(
            "请选择会办单位", code="forward_invalid", fields={"agencies": "必选"}
        )
    with service_transaction():
        case = s._lock(case_id)
        policies.require(actor, "cases.handle", case)
        if case.kind not in (CaseKind.SINGLE, CaseKind.JOINT):
            raise Conflict("子件不能再转联合办理", code="illegal_transition")
        if case.status != Status.HANDLING:
            raise Conflict("只有受理后、作出决定前的办件可以联合办理", code="illegal_transition")
        text = s._reason(note, "会办事项")
        agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids, active=True)}
        bad = [str(i) for i in ids if i not in agencies]
        if bad:
            raise ValidationFailed("会办单位不存在或已停用", code="forward_invalid")
        if case.agency_id in agencies:
            raise ValidationFailed("会办单位不能是牵头单位本身", code="forward_invalid")
        busy = set(
            Case.objects.filter(parent=case, kind=CaseKind.JOINT_PART, agency_id__in=ids)
            .exclude(status__in=[st.value for st in ENDED])
            .values_list("agency_id", flat=True)
        )
        if busy:
            names = "、".join(agencies[i].name for i in busy)
            raise Conflict(f"{names}已在会办中", code="forward_invalid")
        # Art. 42: joint handling may take 45 working days.
        changed = case.statutory_limit is None or case.statutory_limit < JOINT_STATUTORY_DAYS
        if changed:
            case.statutory_limit = JOINT_STATUTORY_DAYS
            case.statutory_natural = False
        case.kind = CaseKind.JOINT
        case.save()
        s.clock_refresh(case)
        s._audit(actor, "case.forward", case, {"agencies": ids, "note": text})
        parts = [_joint_part(actor, case, agencies[i], text) for i in ids]
        names = "、".join(p.agency.name for p in parts)
        s._event(case, actor, "forward", f"联合办理：请 {names} 会办", text, public=False)
        due = f"，法定办结日 {case.statutory_due:%Y-%m-%d}" if case.statutory_due else ""
        s._event(
            case,
            actor,
            "joint",
            "联合办理",
            f"本件由{case.agency.name}牵头，会同{names}联合办理；"
            f"办理时限为{case.statutory_limit}个工作日{due}（《行政许可法》第四十二条）",
        )
        return parts


def _joint_part(actor: Actor, lead: Case, agency: Agency, note: str) -> Case:
    now = timezone.now()
    today = timezone.localdate(now)
    part = Case.objects.create(
        kind=CaseKind.JOINT_PART,
        parent=lead,
        status=Status.HANDLING,
        channel=lead.channel,
        item_id=lead.item_id,
        version_id=lead.version_id,
        variant_code=lead.variant_code,
        title=f"{lead.title}（会办）",
        agency=agency,
        division_id=agency.division_id,
        applicant_id=lead.applicant_id,
        applicant_kind=lead.applicant_kind,
        applicant_name=lead.applicant_name,
        applicant_code=lead.applicant_code,
        contact_phone=lead.contact_phone,
        submitted_by_kind=lead.submitted_by_kind,
        submitted_by_id=lead.submitted_by_id,
        submitted_by_label=lead.submitted_by_label,
        form_data=dict(lead.form_data or {}),
        number=s._next_number(agency.division.code, today),
        submitted_at=lead.submitted_at,
        accepted_at=now,
        accepted_on=today,
        statutory_limit=lead.statutory_limit,
        statutory_natural=lead.statutory_natural,
    )
    s.clock_refresh(part)
    for m in CaseMaterial.objects.filter(case=lead, replaced=False).exclude(path=""):
        copy = CaseMaterial.objects.create(
            case=part,
            spec_id=m.spec_id,
            code=m.code,
            name=m.name,
            status=m.status,
            path=m.path,
            sm3=m.sm3,
            size=m.size,
            mime=m.mime,
            original_name=m.original_name,
            uploaded_by_label=m.uploaded_by_label,
            **_trust_of(m),
        )
        s._audit(actor, "case.material_share", copy, {"code": m.code, "sm3": m.sm3})
    review = CaseStep.objects.create(
        case=part,
        code=JOINT_STEP,
        name=JOINT_STEP_NAME,
        role_code=JOINT_STEP_ROLE,
        order=1,
        status=StepStatus.ACTIVE,
        time_limit=JOINT_STEP_DAYS,
        started_on=today,
        due_on=get_work_calendar().add_working_days(today, JOINT_STEP_DAYS),
    )
    deliver = CaseStep.objects.create(
        case=part,
        code=s.DELIVER_STEP,
        name="送达",
        role_code="clerk",
        order=2,
        status=StepStatus.SKIPPED,
    )
    s._audit(actor, "case.joint_part", part, {"lead": lead.number, "agency": agency.pk})
    for step in (review, deliver):
        s._audit(actor, "case.step_create", step, {"code": step.code, "status": step.status})
    s._event(
        part,
        actor,
        "forward",
        f"收到联合办理：{lead.agency.name}牵头（{lead.number}）",
        note,
        public=False,
    )
    return part


def joint_part_complete(
    *, actor: Actor, case: Case, step: CaseStep, opinion: str, outcome: str
) -> CaseStep:
    """Inside the caller's transaction, with the part locked."""
    if case.kind != CaseKind.JOINT_PART or step.code != JOINT_STEP:
        raise Conflict("该环节不是会办审查", code="step_not_active")
    if outcome not in ("pass", "return"):
        raise ValidationFailed("会办结论只能是“同意”或“不同意”", code="decision_invalid")
    s._take_active(actor, case, step)
    text = s._reason(opinion, "会办意见")
    s._finish_step(actor, case, step, outcome, text)
    s._move(case, Event.DECIDE)
    s._move(case, Event.CONCLUDE)
    now = timezone.now()
    case.decision = Decision.GRANTED if outcome == "pass" else Decision.DENIED
    case.decision_reason = text
    case.decided_at = case.concluded_at = now
    case.save()
    s._audit(actor, "case.joint_opinion", case, {"outcome": outcome, "opinion": text})
    word = "同意" if outcome == "pass" else "不同意"
    s._event(case, actor, "joint_opinion", f"会办意见：{word}", text, public=False)
    assert case.parent_id is not None
    lead = Case.objects.select_related("agency").get(pk=case.parent_id)
    CaseEvent.objects.create(
        case=lead,
        kind="joint_opinion",
        title=f"{case.agency.name} 会办意见：{word}",
        detail=text,
        actor_label=s._label(actor),
        unit_name=case.agency.name,
        public=False,
    )
    return step


def joint_open_parts(case: Case) -> list[str]:
    """Names of the co-handling agencies whose part is still open."""
    return [
        p.agency.name
        for p in Case.objects.filter(parent=case, kind=CaseKind.JOINT_PART)
        .exclude(status__in=[st.value for st in ENDED])
        .select_related("agency")
        .order_by("pk")
    ]


def parts_close(parent: Case, actor: Actor) -> None:
    """A parent that ended before its parts (withdrawn, refused …) takes its
    open parts with it: they are withdrawn, with internal events only."""
    for part in Case.objects.select_for_update().filter(parent=parent).order_by("pk"):
        status = Status(part.status)
        if status in ENDED or status == Status.DECIDED:
            continue
        part.status = Status.WITHDRAWN.value
        part.ended_reason = f"主件{parent.number}已{parent.status_name}"
        part.concluded_at = timezone.now()
        part.save()
        for step in CaseStep.objects.filter(
            case=part, status__in=[StepStatus.WAITING, StepStatus.ACTIVE]
        ):
            step.status = StepStatus.SKIPPED
            step.save(update_fields=["status"])
            s._audit(actor, "case.step_skip", step)
        s._audit(actor, "case.withdraw", part, {"reason": part.ended_reason})
        s._event(part, actor, "withdraw", "随主件终止", part.ended_reason, public=False)
