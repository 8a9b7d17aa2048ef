"""Error codes of the organisations domain, each with its Chinese message."""

from __future__ import annotations

from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

__all__ = ["Conflict", "NotFound", "PermissionDenied", "ValidationFailed"]
