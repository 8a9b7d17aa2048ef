"""Console pages (政务服务管理平台) for staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.web.auth import staff_required


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "console/home.html")
