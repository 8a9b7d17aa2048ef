"""Portal pages (互联网政务服务门户) for applicants."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.web.auth import applicant_required, attach_applicant


def home(request: HttpRequest) -> HttpResponse:
    attach_applicant(request)
    return render(request, "portal/home.html")


@applicant_required
def my_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/my_home.html")
