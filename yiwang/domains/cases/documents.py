"""Notices and decisions of a case as PDFs (R5.3, R5.5, R6.4): rendered from
templates ``documents/case/<kind>.html``, stored with their SM3 digest, each
with a verification code behind a QR code; decisions are signed with the
agency's key (PAdES), so they verify offline.

Runs inside the calling service's transaction: if the service fails, the
row goes with it (a stray file in storage is harmless — it is addressed by
its digest and referenced by nothing)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.audit import audit_append
from yiwang.core.crypto import sm3_hex
from yiwang.domains.cases.models import Case, CaseDocument, DocumentKind

# Short codes in document numbers: 受 (acceptance) style letters keep numbers
# readable on paper.
_NUMBER_CODES: dict[str, str] = {
    DocumentKind.RECEIPT: "JS",
    DocumentKind.ACCEPTANCE: "SL",
    DocumentKind.REFUSAL: "BSL",
    DocumentKind.CORRECTION: "BZ",
    DocumentKind.RETURN: "TJ",
    DocumentKind.SPECIAL: "TB",
    DocumentKind.EXTENSION: "YQ",
    DocumentKind.GRANT: "ZY",
    DocumentKind.DENIAL: "BY",
    DocumentKind.DELIVERY: "SD",
}


def verify_url(code: str) -> str:
    base = getattr(settings, "YIWANG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/verify/{code}/"


def document_issue(
    case: Case,
    kind: str,
    *,
    actor: Actor,
    extra: dict[str, Any] | None = None,
    sign: bool = False,
) -> CaseDocument:
    """Render, (sign,) store and record one document of ``case``."""
    from yiwang.core.documents import qr_svg, render_pdf

    seq = CaseDocument.objects.filter(case=case, kind=kind).count() + 1
    number = f"{case.number}-{_NUMBER_CODES.get(kind, 'WS')}{seq:02d}"
    code = secrets.token_hex(8)
    url = verify_url(code)
    version = case.version
    context: dict[str, Any] = {
        "case": case,
        "kind": kind,
        "title": DocumentKind(kind).label,
        "number": number,
        "agency": case.agency,
        "version": version,
        "issued_at": timezone.localtime(),
        "verify_code": code,
        "verify_url": url,
        "qr": qr_svg(url),
        "to": case.applicant_name,
        **(extra or {}),
    }
    pdf = render_pdf(f"documents/case/{kind}.html", context)
    signed = False
    if sign:
        from yiwang.core.signing import sign_pdf
        from yiwang.domains.orgs.services import agency_signer

        key, cert = agency_signer(case.agency)
        pdf = sign_pdf(
            pdf, key=key, cert=cert, reason=DocumentKind(kind).label, location=case.agency.name
        )
        signed = True
    digest = sm3_hex(pdf)
    path = default_storage.save(f"cases/{case.number}/{number}.pdf", ContentFile(pdf))
    doc = CaseDocument.objects.create(
        case=case,
        kind=kind,
        number=number,
        verify_code=code,
        path=path,
        sm3=digest,
        size=len(pdf),
        signed=signed,
    )
    audit_append(actor=actor, action="case.document_issue", obj=doc, change={"kind": kind})
    return doc


def document_bytes(doc: CaseDocument) -> bytes:
    with default_storage.open(doc.path, "rb") as fh:
        data: bytes = fh.read()
    return data
