"""Notices and decisions of a case as PDFs (R5.3, R5.5, R6.4): rendered from
templates ``documents/case/<kind>.html``, stored with their SM3 digest, each
with a verification code behind a QR code; decisions are signed with the
agency's key (PAdES), so they verify offline.

Issuing and rendering are two steps (docs/adr/0008-documents-by-task.md).
:func:`document_issue` runs inside the calling service's transaction: it
writes the document's row — number, verification code, issue time and the
case's facts as they stand now — and queues the rendering, which commits with
the row or not at all. A task worker then renders, signs and stores the PDF
(``case_document_render``); until it has, the document shows as 生成中.
Rendering a notice takes ~0.1–0.3 s and signing ~0.1 s, which a window clerk
accepting a case no longer waits for, and which more workers spread.

"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django_tasks import task

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import audit_append
from yiwang.core.tasks import enqueue_with_transaction
from yiwang.domains.cases.models import Case, CaseDocument, DocumentKind, DocumentStatus

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


# The case's fields the templates show, kept as they were at issue: due
# dates move with later pauses and extensions, a notice must not.
FACT_FIELDS = (
    "number",
    "title",
    "submitted_at",
    "accepted_at",
    "accepted_on",
    "promised_limit",
    "promised_natural",
    "promised_due",
    "statutory_limit",
    "statutory_natural",
    "statutory_due",
    "extension_days",
    "decision",
    "decision_reason",
    "decided_at",
    "ended_reason",
    "concluded_at",
)


def case_facts(case: Case) -> dict[str, Any]:
    """The case's template fields as JSON (dates as ISO text)."""
    encoder = DjangoJSONEncoder()
    out: dict[str, Any] = {}
    for name in FACT_FIELDS:
        value = getattr(case, name)
        plain = value is None or isinstance(value, bool | int | str)
        out[name] = value if plain else encoder.default(value)
    return out


def case_as_issued(case: Case, facts: dict[str, Any]) -> Case:
    """``case`` with its template fields set back to ``facts`` (not saved)."""
    for name, value in facts.items():
        field = Case._meta.get_field(name) if name in FACT_FIELDS else None
        if isinstance(field, models.Field):
            setattr(case, name, field.to_python(value))
    return case


def _extra_refs(extra: dict[str, Any] | None) -> dict[str, Any]:
    """Rows passed to the template (a correction notice, an extension) by
    reference; plain values as they are."""
    refs: dict[str, Any] = {}
    for key, value in (extra or {}).items():
        if isinstance(value, models.Model):
            refs[key] = {"model": value._meta.label_lower, "pk": value.pk}
        else:
            refs[key] = value
    return refs


def _extra_rows(refs: dict[str, Any]) -> dict[str, Any]:
    from django.apps import apps

    out: dict[str, Any] = {}
    for key, value in refs.items():
        if isinstance(value, dict) and set(value) == {"model", "pk"}:
            out[key] = apps.get_model(value["model"]).objects.get(pk=value["pk"])
        else:
            out[key] = value
    return out


def document_issue(
    case: Case,
    kind: str,
    *,
    actor: Actor,
    extra: dict[str, Any] | None = None,
    sign: bool = False,
) -> CaseDocument:
    """Record one document of ``case`` and queue its rendering (and signing)."""
    seq = CaseDocument.objects.filter(case=case, kind=kind).count() + 1
    number = f"{case.number}-{_NUMBER_CODES.get(kind, 'WS')}{seq:02d}"
    doc = CaseDocument.objects.create(
        case=case,
        kind=kind,
        number=number,
        verify_code=secrets.token_hex(8),
        status=DocumentStatus.PENDING,
        facts={"case": case_facts(case), "extra": _extra_refs(extra)},
        sign=sign,
    )
    audit_append(actor=actor, action="case.document_issue", obj=doc, change={"kind": kind})
    # Rendered now under the immediate backend (tests, one process), so a
    # test reads the PDF right after the service.
    enqueue_with_transaction(render, run_now_if_immediate=True, document_id=doc.pk)
    return doc


def document_pdf(doc: CaseDocument) -> tuple[bytes, bool]:
    """The PDF of ``doc`` from its row and facts: (bytes, signed). Slow
    (fonts, layout, signature): only task workers call it."""
    from yiwang.core.documents import qr_svg, render_pdf

    case = Case.objects.select_related("agency", "version", "version__entry_version").get(
        pk=doc.case_id
    )
    facts = doc.facts or {}
    case_as_issued(case, facts.get("case") or {})
    url = verify_url(doc.verify_code)
    context: dict[str, Any] = {
        "case": case,
        "kind": doc.kind,
        "title": DocumentKind(doc.kind).label,
        "number": doc.number,
        "agency": case.agency,
        "version": case.version,
        "issued_at": timezone.localtime(doc.issued_at),
        "verify_code": doc.verify_code,
        "verify_url": url,
        "qr": qr_svg(url),
        "to": case.applicant_name,
        **_extra_rows(facts.get("extra") or {}),
    }
    pdf = render_pdf(f"documents/case/{doc.kind}.html", context)
    if not doc.sign:
        return pdf, False
    from yiwang.core.signing import sign_pdf
    from yiwang.domains.orgs.services import agency_signer

    key, cert = agency_signer(case.agency)
    pdf = sign_pdf(
        pdf, key=key, cert=cert, reason=DocumentKind(doc.kind).label, location=case.agency.name
    )
    return pdf, True


def document_store(doc: CaseDocument, pdf: bytes) -> str:
    """Store the PDF; returns its path (a stray file left by a failed
    transaction is harmless: nothing references it)."""
    case_number = doc.number.rsplit("-", 1)[0]  # a document's number extends its case's
    return str(default_storage.save(f"cases/{case_number}/{doc.number}.pdf", ContentFile(pdf)))


@task()
def render(*, document_id: int) -> dict[str, Any]:
    """Render, sign and store one issued document (a task worker runs it)."""
    from yiwang.domains.cases.services import case_document_render

    doc = case_document_render(actor=SYSTEM, document_id=document_id)
    return {"document": doc.number, "size": doc.size, "signed": doc.signed}


def document_bytes(doc: CaseDocument) -> bytes:
    """The stored PDF (only for a document that is ready)."""
    with default_storage.open(doc.path, "rb") as fh:
        data: bytes = fh.read()
    return data
