"""Small helpers every console view module shares: permission gate, 404 on a
missing record, and domain errors shown on the form that caused them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest

from yiwang.core.errors import DomainError, NotFound


def need(request: HttpRequest, *permissions: str) -> Any:
    """The staff member, if they hold any of the permissions; 403 otherwise."""
    staff = request.staff  # type: ignore[attr-defined]
    if not any(staff.has_permission(p) for p in permissions):
        raise DjangoPermissionDenied("您没有访问此页面的权限")
    return staff


def found(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a selector; its NotFound becomes a 404 page with its message."""
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def put_errors(form: Any, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Attach a service's field errors to the form fields they concern (``aliases``
    maps service field names to form field names); the rest go on top."""
    aliases = aliases or {}
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for field, message in exc.fields.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, message)
