"""Applicant registration, login and logout pages (filled in by the accounts work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def login_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("待实现", status=501)


def logout_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("待实现", status=501)


def register_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("待实现", status=501)
