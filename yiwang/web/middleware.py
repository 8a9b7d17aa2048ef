"""Request context for the audit chain: where a write came from (R14.5)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yiwang.core.audit import audit_context


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = (
            "api"
            if request.path.startswith("/api/")
            else ("console" if request.path.startswith("/console/") else "portal")
        )
        token = audit_context.set({"ip": client_ip(request), "channel": channel})
        try:
            return self.get_response(request)
        finally:
            audit_context.reset(token)
