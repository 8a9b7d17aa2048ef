"""Who may act on a case (R2.2): services call these to refuse with a clear
message; pages call the same functions to decide which actions to offer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.errors import PermissionDenied
from yiwang.domains.cases.models import AgentAuthorisation, Case, CaseStep
from yiwang.domains.orgs.models import RoleGrant


def _kind(actor: Actor) -> str:
    return actor.actor_ref().kind


def may(actor: Actor, permission: str, case: Case) -> bool:
    """``permission`` granted at the case's agency (the platform may do all)."""
    return _kind(actor) == "system" or actor.has_permission(permission, agency_id=case.agency_id)


def require(actor: Actor, permission: str, case: Case) -> None:
    if not may(actor, permission, case):
        raise PermissionDenied(f"您没有在{case.agency.name}办理该操作的权限", code="case_forbidden")


def is_submitter(actor: Actor, case: Case) -> bool:
    """The applicant themself, or whoever submitted for them (the window
    clerk, the authorised agent, the agency's system)."""
    ref = actor.actor_ref()
    if ref.kind in ("person", "entity"):
        return getattr(actor, "user_id", None) == case.applicant_id
    if ref.kind == "system":
        return True
    return ref.kind == case.submitted_by_kind and ref.id == case.submitted_by_id


def require_submitter(actor: Actor, case: Case) -> None:
    if not is_submitter(actor, case):
        raise PermissionDenied("只有申请人或其代办人可以办理该操作", code="case_forbidden")


def holds_step(actor: Actor, case: Case, step: CaseStep) -> bool:
    """Staff holding the step's role at the case's agency (a grant may be
    narrowed to one step code); an active API client of the case's agency."""
    if _kind(actor) == "system":
        return True
    if _kind(actor) == "api":
        # The agency's own business system pushes step results back (回流,
        # R1.4) for its agency's cases only.
        return bool(getattr(actor, "active", False)) and actor.has_permission(
            "cases.handle", agency_id=case.agency_id
        )
    if _kind(actor) != "staff" or not getattr(actor, "active", False):
        return False
    return (
        RoleGrant.objects.filter(
            staff_id=int(actor.actor_ref().id),
            agency_id=case.agency_id,
            role__code=step.role_code,
        )
        .filter(step_code__in=["", step.code])
        .exists()
    )


def require_step(actor: Actor, case: Case, step: CaseStep) -> None:
    if not holds_step(actor, case, step):
        raise PermissionDenied(
            f"您没有“{step.name}”环节的办理权限（需在{case.agency.name}担任相应角色）",
            code="step_forbidden",
        )


def valid_authorisation(actor: Actor, applicant: Any, item_id: int) -> AgentAuthorisation | None:
    """The agent's unrevoked, unexpired authorisation from this applicant for
    this item (or for any item)."""
    if _kind(actor) != "staff":
        return None
    today: dt.date = timezone.localdate()
    return (
        AgentAuthorisation.objects.filter(
            agent_id=int(actor.actor_ref().id),
            applicant=applicant,
            revoked_at__isnull=True,
            valid_until__gte=today,
        )
        .filter(item_id__in=[item_id])
        .first()
        or AgentAuthorisation.objects.filter(
            agent_id=int(actor.actor_ref().id),
            applicant=applicant,
            revoked_at__isnull=True,
            valid_until__gte=today,
            item__isnull=True,
        ).first()
    )
