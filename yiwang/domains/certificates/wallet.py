"""The holder's wallet (证照夹) and 免证办 (R5.8, R7.5).

- The *material provider* registered with the case domain at app ready
  (``register``): an applicant's valid certificates of a type stand for a
  material whose guide entry names that type (``cases.providers``).
- Every use of a certificate is a ``CertificateUse`` row the holder sees:
  the holder's consent (choosing it on the apply page, or 授权使用 for one
  case in the wallet), and each time an agency reads it for the case.
- When a certificate stops being valid (revoked, cancelled, suspended …)
  ``certificate_revocation_flag_cases`` flags every open case that relied on
  it to its handlers (``cases.services.case_flag``).

Reads for the wallet pages are here too (``certificates_of_holder``,
``uses_of``); they are scoped to the holder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import audit_append, service_transaction
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.domains.cases import providers
from yiwang.domains.cases import services as case_services
from yiwang.domains.cases.lifecycle import ENDED, Status
from yiwang.domains.cases.models import Case, CaseEvent, CaseMaterial
from yiwang.domains.certificates.models import Certificate, CertificateUse
from yiwang.domains.certificates.models import Status as CertificateStatus

__all__ = [
    "certificate_of_holder",
    "certificate_read_for_case",
    "certificate_revocation_flag_cases",
    "certificate_use_by_agency",
    "certificate_use_grant",
    "certificate_use_record",
    "certificates_of_holder",
    "grantable_cases",
    "is_usable",
    "material_offers",
    "register",
    "uses_of",
]

PURPOSE_APPLY = "申请“{title}”时作为“{material}”提交（免证办）"
PURPOSE_READ = "办理“{title}”时调阅核验"
MAX_PURPOSE = 500


# --- the material provider (免证办) ------------------------------------------------------------


def _size(path: str) -> int:
    if not path:
        return 0
    try:
        return int(default_storage.size(path))
    except (OSError, NotImplementedError):
        return 0


def _offer(cert: Certificate) -> providers.MaterialOffer:
    return providers.MaterialOffer(
        identifier=cert.identifier,
        name=cert.name,
        valid_to=cert.valid_to,
        path=cert.file_path,
        sm3=cert.file_sm3,
        size=_size(cert.file_path),
        issuer_name=cert.issuer.name,
        number=cert.number,
    )


def material_offers(user: Any, type_code: str) -> list[providers.MaterialOffer]:
    """The provider: the user's certificates of ``type_code`` usable now
    (status 有效, inside the validity window), newest first."""
    from yiwang.domains.certificates.selectors import valid_certificates_of

    if user is None or not getattr(user, "pk", None):
        return []
    rows = valid_certificates_of(user, type_code=type_code)
    return [_offer(c) for c in rows.select_related("issuer")]


def _on_material_from_certificate(
    sender: Any,
    *,
    actor: Actor,
    case: Case,
    material: CaseMaterial,
    identifier: str,
    consent: str = "",
    **_: Any,
) -> None:
    """The applicant chose a certificate for a material: their consent to
    the case's agency using it for this case (one row, audited). When an
    agency's system applied for them, ``consent`` says how they agreed."""
    cert = Certificate.objects.filter(identifier=identifier).first()
    if cert is None:
        return
    purpose = PURPOSE_APPLY.format(title=case.title, material=material.name)
    if consent:
        purpose = f"{purpose}；申请人授权：{consent}"[:MAX_PURPOSE]
    certificate_use_record(
        actor=actor,
        certificate=cert,
        case=case,
        material_code=material.code,
        purpose=purpose,
        consented_at=timezone.now(),
    )


def register() -> None:
    """Called once from the app's ``ready()``: offer certificates to the
    case domain and log the holder's consent when one is chosen."""
    providers.register_material_provider(material_offers)
    providers.material_from_certificate.connect(
        _on_material_from_certificate,
        dispatch_uid="certificates.wallet.material_from_certificate",
    )


# --- uses -----------------------------------------------------------------------------------------


def certificate_use_record(
    *,
    actor: Actor,
    certificate: Certificate,
    case: Case | None,
    purpose: str,
    consented_at: dt.datetime,
    used_at: dt.datetime | None = None,
    agency: Any | None = None,
    material_code: str = "",
) -> CertificateUse:
    """Log one consent or use of a certificate (who, when, which case, which
    purpose), visible to the holder. Callers check who may do it."""
    text = (purpose or "").strip()
    if not text:
        raise ValidationFailed("请填写用途", code="purpose_required", fields={"purpose": "必填"})
    if len(text) > MAX_PURPOSE:
        raise ValidationFailed(f"用途不能超过 {MAX_PURPOSE} 字", code="purpose_required")
    with service_transaction():
        use = CertificateUse.objects.create(
            certificate=certificate,
            agency=agency if agency is not None else (case.agency if case is not None else None),
            case=case,
            material_code=material_code,
            purpose=text,
            actor_label=actor.actor_ref().label,
            consented_at=consented_at,
            used_at=used_at,
        )
        audit_append(
            actor=actor,
            action="certificates.use_record",
            obj=use,
            change={
                "certificate": certificate.identifier,
                "case": case.number if case is not None else None,
                "purpose": text,
                "used": used_at is not None,
            },
        )
        return use


def is_usable(cert: Certificate, today: dt.date | None = None) -> bool:
    """Status 有效 and inside the validity window (what 免证办 may use)."""
    today = today or timezone.localdate()
    return (
        cert.status == CertificateStatus.VALID
        and cert.valid_from <= today
        and (cert.valid_to is None or cert.valid_to >= today)
    )


def grantable_cases(user: Any) -> list[Case]:
    """The holder's own cases an agency may be granted use for: submitted
    and not ended."""
    ended = [s.value for s in ENDED] + [Status.DRAFT.value]
    return list(
        Case.objects.filter(applicant=user)
        .exclude(status__in=ended)
        .exclude(number__isnull=True)
        .select_related("agency")
        .order_by("-submitted_at", "-pk")[:100]
    )


def certificate_use_grant(
    *, actor: Actor, certificate_id: int, case_id: int, purpose: str = ""
) -> CertificateUse:
    """授权使用 (R5.8): the holder grants the agency handling one of their
    own open cases the use of one of their valid certificates for that case."""
    user = getattr(actor, "user", None)
    if actor.actor_ref().kind not in ("person", "entity") or user is None:
        raise PermissionDenied("只有持证人本人可以授权使用电子证照", code="certificate_forbidden")
    cert = (
        certificates_of_holder(user).filter(pk=certificate_id).first()
        if isinstance(certificate_id, int)
        else None
    )
    if cert is None:
        raise NotFound("电子证照不存在", code="certificate_not_found")
    if not is_usable(cert):
        raise Conflict(
            f"该电子证照当前状态为“{cert.status_name}”或不在有效期内，不能授权使用",
            code="certificate_unavailable",
        )
    case = next((c for c in grantable_cases(user) if c.pk == case_id), None)
    if case is None:
        raise ValidationFailed(
            "请选择本人正在办理的办件", code="case_required", fields={"case": "请选择办件"}
        )
    text = (purpose or "").strip() or f"授权{case.agency.name}办理“{case.title}”时使用"
    return certificate_use_record(
        actor=actor,
        certificate=cert,
        case=case,
        purpose=text,
        consented_at=timezone.now(),
    )


def certificate_use_by_agency(*, actor: Actor, identifier: str, case: Case) -> CertificateUse:
    """An agency's staff read a certificate for a case (R5.8): allowed only
    under the holder's consent for that case and with ``cases.view`` at the
    case's agency; logged once per reader and case (later reads by the same
    person for the same case are covered by that row)."""
    from yiwang.domains.cases import policies

    if not policies.may(actor, "cases.view", case):
        raise PermissionDenied("您无权查看该办件", code="case_forbidden")
    cert = Certificate.objects.filter(identifier=identifier).first()
    if cert is None:
        raise NotFound("电子证照不存在", code="certificate_not_found")
    consent = (
        CertificateUse.objects.filter(certificate=cert, case=case, used_at__isnull=True)
        .order_by("consented_at")
        .first()
    )
    if consent is None:
        raise PermissionDenied("持证人未授权本办件使用该电子证照", code="certificate_no_consent")
    label = actor.actor_ref().label
    done = CertificateUse.objects.filter(
        certificate=cert, case=case, used_at__isnull=False, actor_label=label
    ).first()
    if done is not None:
        return done
    return certificate_use_record(
        actor=actor,
        certificate=cert,
        case=case,
        agency=case.agency,
        material_code=consent.material_code,
        purpose=PURPOSE_READ.format(title=case.title),
        consented_at=consent.consented_at,
        used_at=timezone.now(),
    )


def certificate_read_for_case(
    *, actor: Actor, identifier: str, case_number: str, purpose: str
) -> tuple[Certificate, CertificateUse]:
    """An agency's business system reads a certificate through the API
    (lookup or download, R5.8, R7.5). Every read names the case it is for
    and its purpose, or is refused; the case must be one of the system's
    agency (``cases.view`` there) and the holder must have consented to the
    certificate's use for it (chose it as a material, or granted it in the
    wallet). Each read is its own use row (who, when, which case, purpose),
    shown to the holder."""
    number = (case_number or "").strip()
    text = (purpose or "").strip()
    if not number or not text:
        missing = [w for w, v in (("办件编号", number), ("用途", text)) if not v]
        raise ValidationFailed(
            f"调用电子证照须注明{'和'.join(missing)}：每次调用都记入持证人的用证记录",
            code="certificate_purpose_required",
            fields={k: "必填" for k, v in (("case", number), ("purpose", text)) if not v},
        )
    if len(text) > MAX_PURPOSE:
        raise ValidationFailed(f"用途不能超过 {MAX_PURPOSE} 字", code="purpose_required")
    case = Case.objects.select_related("agency").filter(number=number).first()
    if case is None:
        raise NotFound(f"办件 {number} 不存在", code="case_not_found")
    if not actor.has_permission("cases.view", agency_id=case.agency_id):
        raise PermissionDenied("只能为本单位的办件调用电子证照", code="case_forbidden")
    cert = (
        Certificate.objects.select_related("type", "issuer")
        .filter(identifier=(identifier or "").strip())
        .first()
    )
    if cert is None:
        raise NotFound("电子证照不存在", code="certificate_not_found")
    consent = (
        CertificateUse.objects.filter(certificate=cert, case=case, used_at__isnull=True)
        .order_by("consented_at")
        .first()
    )
    if consent is None:
        raise PermissionDenied("持证人未授权本办件使用该电子证照", code="certificate_no_consent")
    use = certificate_use_record(
        actor=actor,
        certificate=cert,
        case=case,
        agency=case.agency,
        material_code=consent.material_code,
        purpose=text,
        consented_at=consent.consented_at,
        used_at=timezone.now(),
    )
    return cert, use


# --- a certificate stops being valid ------------------------------------------------------------


def cases_relying_on(certificate: Certificate) -> list[int]:
    """Open (submitted, not ended) cases that took a material from this
    certificate or were granted its use."""
    from_materials = CaseMaterial.objects.filter(
        certificate_identifier=certificate.identifier, replaced=False
    ).values_list("case_id", flat=True)
    from_uses = CertificateUse.objects.filter(
        certificate=certificate, case__isnull=False
    ).values_list("case_id", flat=True)
    closed = [s.value for s in ENDED] + [Status.DRAFT.value]
    return list(
        Case.objects.filter(Q(pk__in=from_materials) | Q(pk__in=from_uses))
        .exclude(status__in=closed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def certificate_revocation_flag_cases(
    *, actor: Actor, certificate: Certificate, reason: str = ""
) -> list[int]:
    """Called by the certificate's status change (revoke, cancel, suspend …)
    after it is saved, in the same transaction: every open case that relied
    on it gets a timeline entry its applicant does not see and a message to
    its handlers (R5.8). The flag is written by the platform (the case's
    agency may differ from the issuer); the revoker is named in it. Returns
    the ids of the flagged cases."""
    if certificate.status == CertificateStatus.VALID:
        return []
    word = CertificateStatus(certificate.status).label
    title = f"所依据的电子证照已被{word}"
    detail = (
        f"{certificate.name}（证照编号 {certificate.number}，证照标识 {certificate.identifier}）"
        f"已被{certificate.issuer.name}{word}"
        + (f"，原因：{reason.strip()}" if (reason or "").strip() else "")
        + f"；操作人 {actor.actor_ref().label}。请核实该办件所依据的材料。"
    )
    flagged: list[int] = []
    with service_transaction():
        for case_id in cases_relying_on(certificate):
            # once per case and status change (a repeated call adds nothing)
            if CaseEvent.objects.filter(
                case_id=case_id,
                kind="flag",
                title=title,
                detail__contains=certificate.identifier,
                at__gte=certificate.status_changed_at or certificate.created_at,
            ).exists():
                continue
            case_services.case_flag(actor=SYSTEM, case_id=case_id, title=title, detail=detail)
            flagged.append(case_id)
    return flagged


# --- reads for the wallet pages -------------------------------------------------------------


def certificates_of_holder(user: Any) -> QuerySet[Certificate]:
    """Every certificate of the holder, whatever its status, newest first
    (issued to the account, or to its ID number / credit code)."""
    from yiwang.domains.certificates.selectors import certificates_of

    return certificates_of(user)


def certificate_of_holder(user: Any, certificate_id: int) -> Certificate:
    cert = certificates_of_holder(user).filter(pk=certificate_id).first()
    if cert is None:
        raise NotFound("电子证照不存在", code="certificate_not_found")
    return cert


def uses_of(certificate: Certificate) -> list[CertificateUse]:
    """The holder-visible log of one certificate: consents and uses, newest
    first, with agency and case."""
    return list(
        CertificateUse.objects.filter(certificate=certificate, visible=True)
        .select_related("agency", "case")
        .order_by("-created_at", "-pk")
    )
