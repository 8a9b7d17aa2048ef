"""Reads of the organisations domain, scoped by the viewer's permissions."""

from __future__ import annotations

from django.db.models import Prefetch

from yiwang.core.crypto import sm3_hex
from yiwang.domains.orgs.models import ApiClient, RoleGrant, Staff


def staff_for_user(user_id: int) -> Staff | None:
    """The active staff member behind a login, with grants loaded in one go so
    permission checks during the request cost no further queries."""
    staff = (
        Staff.objects.select_related("agency", "agency__division")
        .prefetch_related(
            Prefetch("grants", queryset=RoleGrant.objects.select_related("role", "agency"))
        )
        .filter(user_id=user_id, active=True)
        .first()
    )
    if staff is not None:
        staff._grant_cache = [(g.agency_id, g.role.permissions) for g in staff.grants.all()]
    return staff


def api_client_for_token(token: str) -> ApiClient | None:
    """The active client whose token this is; the token itself is never stored."""
    if not token or len(token) > 200:
        return None
    return (
        ApiClient.objects.select_related("agency")
        .filter(token_digest=sm3_hex(token.encode()), active=True, agency__active=True)
        .first()
    )
