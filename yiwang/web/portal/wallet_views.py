"""The holder's wallet on the portal (证照夹, R5.8, R7.5): the applicant's
electronic certificates in every status, each one's PDF, the log of every
use (who, when, which case, which purpose), and 授权使用 — granting the
agency handling one of their cases the use of a certificate for that case.

Views only parse input and call ``certificates.wallet``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.core.errors import DomainError, NotFound
from yiwang.domains.cases.providers import mask_identifier
from yiwang.domains.certificates import wallet
from yiwang.domains.certificates.models import Certificate
from yiwang.web.auth import applicant_required
from yiwang.web.files import stream_stored


def _certificate(request: HttpRequest, pk: int) -> Certificate:
    """The holder's own certificate; anybody else's is a 404."""
    try:
        return wallet.certificate_of_holder(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@applicant_required
def wallet_list(request: HttpRequest) -> HttpResponse:
    """/my/certificates/: every certificate of the holder, any status."""
    rows = [
        {"cert": c, "masked": mask_identifier(c.identifier), "uses": c.use_count}
        for c in _with_use_counts(wallet.certificates_of_holder(request.user))
    ]
    return render(request, "portal/wallet/list.html", {"rows": rows})


def _with_use_counts(qs: Any) -> Any:
    from django.db.models import Count, Q

    return qs.annotate(use_count=Count("uses", filter=Q(uses__visible=True)))


def _detail_page(
    request: HttpRequest,
    cert: Certificate,
    *,
    error: str = "",
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/wallet/detail.html",
        {
            "cert": cert,
            "masked": mask_identifier(cert.identifier),
            "uses": wallet.uses_of(cert),
            "cases": wallet.grantable_cases(request.user),
            "usable": wallet.is_usable(cert),
            "error": error,
            "posted": posted or {},
        },
        status=status,
    )


@applicant_required
def wallet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/my/certificates/<id>/: one certificate, its uses, and 授权使用."""
    return _detail_page(request, _certificate(request, pk))


@applicant_required
def wallet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate's PDF (sealed and signed by the issuer)."""
    cert = _certificate(request, pk)
    if not cert.file_path:
        raise Http404("该电子证照没有版式文件")
    return stream_stored(
        cert.file_path,
        mime="application/pdf",
        filename=f"{cert.name}-{cert.number}.pdf",
        download=request.GET.get("download") == "1",
    )


@applicant_required
@require_POST
def wallet_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """授权使用: the holder lets the agency of one of their cases use the
    certificate for that case (logged, shown in the list of uses)."""
    cert = _certificate(request, pk)
    raw = (request.POST.get("case") or "").strip()
    purpose = (request.POST.get("purpose") or "").strip()
    try:
        wallet.certificate_use_grant(
            actor=request.applicant,  # type: ignore[attr-defined]
            certificate_id=cert.pk,
            case_id=int(raw) if raw.isdigit() else 0,
            purpose=purpose,
        )
    except DomainError as exc:
        return _detail_page(
            request,
            _certificate(request, pk),
            error=exc.message,
            posted={"case": raw, "purpose": purpose},
            status=exc.status,
        )
    messages.success(request, "已授权，办理机构可在该办件中使用此电子证照。")
    return redirect("portal:wallet_detail", pk=cert.pk)
