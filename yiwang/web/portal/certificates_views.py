"""Public certificate pages (R7.2, R7.4, R7.5): verification by identifier
(the QR code on every certificate leads to /certificates/verify/<identifier>/,
and a form takes a typed identifier) and the public catalogue of certificate
types. Personal data of a person holder is masked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from yiwang.domains.certificates import identifiers, selectors
from yiwang.web.auth import attach_applicant


def verify_form(request: HttpRequest) -> HttpResponse:
    """/certificates/verify/: type an identifier (GET ?identifier=…)."""
    attach_applicant(request)
    typed = identifiers.normalize(request.GET.get("identifier") or "")[:120]
    if typed:
        problem = identifiers.identifier_error(typed)
        if problem is None:
            return redirect(reverse("portal:certificate_verify", args=[typed]))
        return render(
            request,
            "portal/certificates/verify.html",
            {"result": None, "typed": typed, "problem": problem},
            status=400,
        )
    return render(request, "portal/certificates/verify.html", {"result": None, "typed": ""})


def verify(request: HttpRequest, identifier: str) -> HttpResponse:
    """/certificates/verify/<identifier>/: authentic or not, status, issuer."""
    attach_applicant(request)
    result = selectors.certificate_verify(identifier[:120])
    status = 200 if result.found else (400 if not result.well_formed else 404)
    return render(
        request,
        "portal/certificates/verify.html",
        {"result": result, "typed": result.identifier, "problem": result.problem},
        status=status,
    )


def types(request: HttpRequest) -> HttpResponse:
    """/certificates/types/ (?shared=1: shared types only)."""
    attach_applicant(request)
    shared = request.GET.get("shared") == "1"
    return render(
        request,
        "portal/certificates/types.html",
        {"types": selectors.certificate_types_public(shared_only=shared), "shared": shared},
    )
