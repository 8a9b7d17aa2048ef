"""Pages shared by both faces: health check, lockout and error pages."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers and monitors (R14.1)."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown when an account is locked after repeated failed logins."""
    from django.conf import settings

    minutes = int(float(settings.AXES_COOLOFF_TIME) * 60)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "account_locked",
                "message": f"登录失败次数过多，账户已锁定，请{minutes}分钟后再试",
            },
            status=429,
        )
    template = (
        "console/locked.html" if request.path.startswith("/console/") else "portal/locked.html"
    )
    return render(request, template, {"minutes": minutes}, status=429)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "页面不存在", "detail": "您访问的页面不存在或已被移除。"},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "系统繁忙", "detail": "服务器处理出错，请稍后再试；问题已记录。"},
        status=500,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {
            "title": "无权访问",
            "detail": str(exception) if exception else "您没有访问此页面的权限。",
        },
        status=403,
    )
