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


_BENCH_BYTES: dict[str, bytes] = {}


def bench_bare(request: HttpRequest, key: str) -> HttpResponse:
    """The floor of the portal load benchmark: the bytes of a page stored
    in ``YIWANG_BENCH_BARE_DIR/<key>.html``, returned with no other work.
    Routed only by the bench server's URLs (yiwang.config.bench_urls)."""
    from pathlib import Path

    from django.conf import settings
    from django.http import Http404

    folder = getattr(settings, "YIWANG_BENCH_BARE_DIR", "")
    if not folder:
        raise Http404
    body = _BENCH_BYTES.get(key)
    if body is None:
        try:
            body = (Path(folder) / f"{key}.html").read_bytes()
        except OSError as exc:
            raise Http404 from exc
        _BENCH_BYTES[key] = body
    return HttpResponse(body, content_type="text/html; charset=utf-8")
