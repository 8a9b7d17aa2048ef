"""Reads of the certificates domain (R7.2, R7.4, R7.5; R5.8 for 免证办)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.pii import blind_index, mask_id_number, mask_name
from yiwang.domains.certificates import documents, identifiers, seals
from yiwang.domains.certificates.errors import NotFound, PermissionDenied
from yiwang.domains.certificates.models import (
    Certificate,
    CertificateStatusChange,
    CertificateType,
    CertificateUse,
    ItemCertificateType,
    Seal,
    SealUse,
    Status,
)

# --- the public catalogue of types (R7.2) ---------------------------------------------


def certificate_types_public(*, shared_only: bool = False) -> QuerySet[CertificateType]:
    qs = CertificateType.objects.filter(active=True).select_related("defining_agency")
    if shared_only:
        qs = qs.filter(shared=True)
    return qs.order_by("code")


def certificate_type_by_code(code: str) -> CertificateType | None:
    return (
        CertificateType.objects.select_related("defining_agency")
        .filter(code=(code or "").strip().upper())
        .first()
    )


# --- the holder's certificates ------------------------------------------------------------


def account_of(holder: Any) -> Any:
    """The User of a Person or Entity (their services act as the applicant)."""
    from yiwang.domains.accounts.models import Entity, Person

    return holder.user if isinstance(holder, Person | Entity) else holder


def _holder_index_of(user: Any) -> str:
    if getattr(user, "kind", "") == "person" and hasattr(user, "person"):
        return blind_index(user.person.id_number)
    if hasattr(user, "entity"):
        return blind_index(user.entity.credit_code)
    return ""


def certificates_of(user: Any) -> QuerySet[Certificate]:
    """Every certificate of ``user`` (issued to the account, or to its ID
    number / credit code before it had one), newest first. ``user`` may also
    be the account's Person or Entity."""
    user = account_of(user)
    index = _holder_index_of(user)
    cond = Q(holder=user)
    if index:
        cond |= Q(holder__isnull=True, holder_index=index)
    return (
        Certificate.objects.filter(cond)
        .select_related("type", "issuer")
        .order_by("-issued_on", "-pk")
    )


def valid_certificates_of(
    user: Any, type_code: str | None = None, *, on: dt.date | None = None
) -> QuerySet[Certificate]:
    """The holder's certificates that are 有效 and inside their validity window
    (R5.8: what 免证办 may offer), optionally of one type code."""
    day = on or timezone.localdate()
    qs = (
        certificates_of(user)
        .filter(status=Status.VALID, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )
    if type_code:
        qs = qs.filter(type__code=type_code.strip().upper())
    return qs


def certificate_for_holder(user: Any, certificate_id: int) -> Certificate:
    cert = certificates_of(user).filter(pk=certificate_id).first()
    if cert is None:
        raise NotFound("电子证照不存在", code="certificate_not_found")
    return cert


def certificate_history(cert: Certificate) -> QuerySet[CertificateStatusChange]:
    return cert.status_changes.order_by("at", "pk")


# --- staff -----------------------------------------------------------------------------


def certificates_issued_by(actor: Actor, agency_id: int) -> QuerySet[Certificate]:
    if not (
        actor.has_permission("certificates.issue", agency_id=agency_id)
        or actor.has_permission("certificates.revoke", agency_id=agency_id)
    ):
        raise PermissionDenied("您无权查看该单位签发的电子证照", code="certificate_forbidden")
    return (
        Certificate.objects.filter(issuer_id=agency_id)
        .select_related("type")
        .order_by("-created_at", "-pk")
    )


def seals_of(actor: Actor, agency_id: int) -> QuerySet[Seal]:
    if not actor.has_permission("certificates.seals", agency_id=agency_id):
        raise PermissionDenied("您无权查看该单位的电子印章", code="seal_forbidden")
    return Seal.objects.filter(agency_id=agency_id).order_by("-valid_from")


def seal_uses(actor: Actor, seal: Seal) -> QuerySet[SealUse]:
    if not actor.has_permission("certificates.seals", agency_id=seal.agency_id):
        raise PermissionDenied("您无权查看该印章的用章记录", code="seal_forbidden")
    return seal.uses.order_by("-used_at", "-pk")


# --- verification (R7.4, R7.5) ---------------------------------------------------------


def mask_holder(name: str, code: str, code_type: str) -> tuple[str, str]:
    """An entity's name and credit code are public; a person's are masked."""
    if code_type == "001":
        return name, code
    return mask_name(name), mask_id_number(code)


@dataclass
class Verification:
    identifier: str
    well_formed: bool
    problem: str = ""  # why the identifier is malformed ("" when well formed)
    found: bool = False
    authentic: bool = False  # the seal's signature over the stored metadata holds
    certificate: Certificate | None = None
    status: str = ""
    status_name: str = ""
    status_at: dt.datetime | None = None
    status_reason: str = ""
    type_name: str = ""
    type_code: str = ""
    issuer: str = ""
    number: str = ""
    holder: str = ""
    holder_code: str = ""
    issued_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    in_window: bool = False

    @property
    def valid(self) -> bool:
        return self.authentic and self.status == Status.VALID and self.in_window

    def as_dict(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "well_formed": self.well_formed,
            "problem": self.problem,
            "found": self.found,
            "authentic": self.authentic,
            "valid": self.valid,
            "status": self.status,
            "status_name": self.status_name,
            "status_at": self.status_at.isoformat() if self.status_at else None,
            "status_reason": self.status_reason,
            "type_name": self.type_name,
            "type_code": self.type_code,
            "issuer": self.issuer,
            "number": self.number,
            "holder": self.holder,
            "holder_code": self.holder_code,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


def seal_signature_holds(cert: Certificate) -> bool:
    if cert.seal is None or not cert.signature:
        return False
    message = documents.signed_message(cert.metadata, cert.file_sm3)
    return seals.verify(cert.signature_algorithm, cert.seal.public_key, message, cert.signature)


def certificate_verify(identifier: str) -> Verification:
    """What the public verification page and API show: authentic or not,
    status (with date and reason when not 有效), type, issuer, masked holder."""
    text = identifiers.normalize(identifier)
    problem = identifiers.identifier_error(text)
    result = Verification(identifier=text, well_formed=problem is None, problem=problem or "")
    if problem:
        return result
    cert = (
        Certificate.objects.select_related("type", "issuer", "seal").filter(identifier=text).first()
    )
    if cert is None:
        return result
    holder, code = mask_holder(cert.holder_name, cert.holder_code, cert.holder_code_type)
    today = timezone.localdate()
    result.found = True
    result.certificate = cert
    result.authentic = seal_signature_holds(cert) and cert.metadata.get("identifier") == text
    result.status = cert.status
    result.status_name = cert.status_name
    result.status_at = cert.status_changed_at
    result.status_reason = cert.status_reason if cert.status != Status.VALID else ""
    result.type_name = cert.type.name
    result.type_code = cert.type.code
    result.issuer = cert.issuer.name
    result.number = cert.number
    result.holder = holder
    result.holder_code = code
    result.issued_on = cert.issued_on
    result.valid_from = cert.valid_from
    result.valid_to = cert.valid_to
    result.in_window = cert.valid_from <= today and (
        cert.valid_to is None or cert.valid_to >= today
    )
    return result


def certificate_sidecar(cert: Certificate) -> dict[str, Any]:
    """The detached signature file handed out beside the PDF (documents.py)."""
    seal = cert.seal
    return documents.sidecar_from(
        cert.metadata,
        cert.file_sm3,
        cert.signature,
        cert.signature_algorithm,
        seal.code if seal else "",
        seal.name if seal else "",
        seal.public_key if seal else "",
    )


class Registry:
    """The platform's records for ``documents.verify_file``: the signature of
    a certificate by identifier, and seals' trusted public keys."""

    def __call__(self, identifier: str) -> dict[str, Any] | None:
        cert = Certificate.objects.select_related("seal").filter(identifier=identifier).first()
        return certificate_sidecar(cert) if cert is not None else None

    def public_key(self, seal_code: str) -> str | None:
        seal = Seal.objects.filter(code=seal_code).first()
        return seal.public_key if seal is not None else None


# --- the staff console (R7.2, R7.3, R7.6) ----------------------------------------------
# Each read is scoped to the agencies where the viewer holds the permission
# concerned, in one query; a record of another agency is PermissionDenied
# (the console shows 403), a missing one NotFound (404).

CONSOLE_PER_PAGE = 20
VIEW_CERTIFICATES = ("certificates.issue", "certificates.revoke")


def _agency_ids(actor: Actor, code: str) -> list[int]:
    """Where a staff member holds ``code``; other actors hold it nowhere here."""
    agencies_with = getattr(actor, "agencies_with", None)
    return list(agencies_with(code)) if agencies_with is not None else []


def console_agencies(actor: Actor, *codes: str) -> list[Any]:
    """The agencies where ``actor`` holds any of ``codes``, by name."""
    from yiwang.domains.orgs.models import Agency

    ids: set[int] = set()
    for code in codes:
        ids.update(_agency_ids(actor, code))
    if not ids:
        return []
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


def certificate_types_for_staff(actor: Actor, *, q: str = "", page: Any = 1) -> Page:
    """证照类型 kept by the viewer's agencies (certificates.types), with how
    many catalogue entries each is linked to."""
    agency_ids = _agency_ids(actor, "certificates.types")
    qs = (
        CertificateType.objects.filter(defining_agency_id__in=agency_ids)
        .select_related("defining_agency")
        .annotate(entry_count=Count("entries"))
        .order_by("code")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q.upper()))
    return Paginator(qs, CONSOLE_PER_PAGE).get_page(page)


def certificate_type_for_staff(actor: Actor, type_id: int) -> CertificateType:
    ctype = CertificateType.objects.select_related("defining_agency").filter(pk=type_id).first()
    if ctype is None:
        raise NotFound("证照类型不存在", code="type_not_found")
    if not actor.has_permission("certificates.types", agency_id=ctype.defining_agency_id):
        raise PermissionDenied("您无权维护该证照类型", code="type_forbidden")
    return ctype


def certificate_type_entries(ctype: CertificateType) -> QuerySet[ItemCertificateType]:
    """The catalogue entries (基本目录事项) whose result is ``ctype``."""
    return ctype.entries.select_related("entry__current").order_by("entry__basic_code")


def catalog_entries_for_link(q: str, *, limit: int = 20) -> list[Any]:
    """Published catalogue entries matching ``q`` (basic code or current
    name), with the type each is linked to now, if any."""
    from yiwang.domains.catalog.models import CatalogEntry

    q = (q or "").strip()
    if not q:
        return []
    return list(
        CatalogEntry.objects.filter(current__isnull=False)
        .filter(Q(basic_code__startswith=q) | Q(current__name__icontains=q))
        .select_related("current", "owner", "certificate_link__type")
        .order_by("basic_code")[:limit]
    )


def catalog_entry_for_link(basic_code: str) -> Any:
    """The catalogue entry with this basic code, or NotFound."""
    from yiwang.domains.catalog.models import CatalogEntry

    entry = (
        CatalogEntry.objects.select_related("current")
        .filter(basic_code=(basic_code or "").strip())
        .first()
    )
    if entry is None:
        raise NotFound("没有这个基本目录事项编码", code="type_not_found")
    return entry


def certificate_types_issuable() -> QuerySet[CertificateType]:
    """Every active type: an issuer may issue a type another agency keeps."""
    return certificate_types_public()


def _holder_code_query(text: str) -> Q | None:
    """A typed ID number or credit code finds its holder through the blind
    index (the code itself is encrypted at rest)."""
    from yiwang.core.checkdigits import credit_code_error, resident_id_error

    code = text.upper()
    if len(code) == 18 and (resident_id_error(code) is None or credit_code_error(code) is None):
        return Q(holder_index=blind_index(code))
    return None


def certificates_for_console(
    actor: Actor,
    agency_id: int,
    *,
    q: str = "",
    type_id: int | None = None,
    status: str = "",
    page: Any = 1,
) -> Page:
    """A page of the certificates ``agency_id`` issued (certificates.issue or
    .revoke there), searched by identifier, number, holder name or holder
    code, filtered by type and status, newest first (R7.3)."""
    qs = certificates_issued_by(actor, agency_id).select_related("type", "seal")
    q = " ".join((q or "").split())[:120]
    if q:
        cond = Q(identifier__icontains=q) | Q(number__icontains=q) | Q(holder_name__icontains=q)
        by_code = _holder_code_query(q)
        if by_code is not None:
            cond |= by_code
        qs = qs.filter(cond)
    if type_id:
        qs = qs.filter(type_id=type_id)
    if status and status in Status.values:
        qs = qs.filter(status=status)
    return Paginator(qs, CONSOLE_PER_PAGE).get_page(page)


def certificate_for_staff(actor: Actor, certificate_id: int) -> Certificate:
    cert = (
        Certificate.objects.select_related("type", "issuer", "seal", "previous", "next_version")
        .filter(pk=certificate_id)
        .first()
    )
    if cert is None:
        raise NotFound("电子证照不存在", code="certificate_not_found")
    if not any(actor.has_permission(c, agency_id=cert.issuer_id) for c in VIEW_CERTIFICATES):
        raise PermissionDenied("您无权查看该电子证照", code="certificate_forbidden")
    return cert


def certificate_uses_for_staff(cert: Certificate) -> QuerySet[CertificateUse]:
    """Every use of the certificate (免证办), the issuer sees all of them."""
    return cert.uses.select_related("agency", "case").order_by("-consented_at", "-pk")


def seal_for_staff(actor: Actor, seal_id: int) -> Seal:
    seal = Seal.objects.select_related("agency").filter(pk=seal_id).first()
    if seal is None:
        raise NotFound("电子印章不存在", code="seal_not_found")
    if not actor.has_permission("certificates.seals", agency_id=seal.agency_id):
        raise PermissionDenied("您无权查看该电子印章", code="seal_forbidden")
    return seal


def seal_uses_page(actor: Actor, seal: Seal, *, page: Any = 1) -> Page:
    """用章记录 of one seal, newest first, a page at a time (R7.6)."""
    qs = seal_uses(actor, seal).select_related("certificate")
    return Paginator(qs, CONSOLE_PER_PAGE).get_page(page)
