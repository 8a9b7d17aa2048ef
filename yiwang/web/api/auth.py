"""Bearer-token authentication for agencies' systems (R1.4, R14.3)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from yiwang.domains.orgs.selectors import api_client_for_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        client = api_client_for_token(token)
        if client is None:
            return None
        request.api_client = client  # type: ignore[attr-defined]
        return client
