"""Who may do what on the power lists and the sunshine lists (R4.1–R4.7).

Services call the ``*_refusal`` functions to refuse with a clear message;
selectors and pages call the same functions to decide which buttons to show,
so each rule lives once. A refusal is the error a service would raise, or
None.

- A department drafts changes to its own powers: ``powers.edit`` at the
  power's agency (for a new power, at the agency that will exercise it).
- The reform office (审改办) reviews and the government approves: the
  ``powers.reform_review`` / ``powers.approve`` role covers the division
  subtree of the agency where it is granted.
- Nobody reviews or approves their own request; the reviewer does not also
  approve.
- Sunshine lists: ``sunshine.edit`` at the row's agency, or over a division
  subtree through a grant at a finance or rural-revitalisation office.
"""

from __future__ import annotations

from yiwang.core.actors import Actor
from yiwang.core.errors import Conflict, DomainError, PermissionDenied
from yiwang.domains.catalog.models import (
    Power,
    PowerChangeRequest,
    PowerChangeStatus,
    PowerComment,
    PowerStatus,
)
from yiwang.domains.orgs.models import Agency
from yiwang.domains.orgs.policies import covers, is_system, scope_prefixes


def staff_id(actor: Actor) -> int | None:
    ref = actor.actor_ref()
    return int(ref.id) if ref.kind == "staff" else None


def in_scope(actor: Actor, permission: str, division_code: str) -> bool:
    """The actor holds ``permission`` over the division (through a grant at
    an agency of that division or one above it)."""
    prefixes = scope_prefixes(actor, permission)
    return prefixes != [] and covers(prefixes, division_code)


def _status(req: PowerChangeRequest) -> str:
    return PowerChangeStatus(req.status).label


def request_refusal(actor: Actor, agency_id: int) -> DomainError | None:
    if not actor.has_permission("powers.edit", agency_id=agency_id):
        return PermissionDenied(
            "您没有为该部门提出权责清单调整申请的权限（需本部门权责清单编制人员）",
            code="permission_denied",
        )
    return None


def review_refusal(actor: Actor, req: PowerChangeRequest, division_code: str) -> DomainError | None:
    """The reform office of the request's division (or one above) reviews."""
    if not in_scope(actor, "powers.reform_review", division_code):
        return PermissionDenied("只有本级或上级审改办可以审核该申请")
    me = staff_id(actor)
    if me is not None and req.requested_by_id == me:
        return PermissionDenied("不能审核本人提出的申请", code="request_self")
    if req.status != PowerChangeStatus.PENDING:
        return Conflict(f"该申请{_status(req)}，不能审核", code="power_request_state")
    return None


def decide_refusal(actor: Actor, req: PowerChangeRequest, division_code: str) -> DomainError | None:
    """The government of the request's division (or one above) approves, after
    the reform office."""
    if not in_scope(actor, "powers.approve", division_code):
        return PermissionDenied("只有本级或上级政府的审定人员可以审定该申请")
    me = staff_id(actor)
    if me is not None and me in (req.requested_by_id, req.reviewed_by_id):
        return PermissionDenied("不能审定本人提出或审核的申请", code="request_self")
    if req.status != PowerChangeStatus.REFORM_APPROVED:
        return Conflict(
            f"该申请{_status(req)}，须经审改办审核通过后才能审定", code="power_request_state"
        )
    return None


def withdraw_refusal(actor: Actor, req: PowerChangeRequest) -> DomainError | None:
    """The requester takes back a request that has not been decided; a
    request filed by an agency's system is withdrawn by that agency."""
    if not is_system(actor):
        me = staff_id(actor)
        if me is not None:
            if me != req.requested_by_id:
                return PermissionDenied("只有申请人本人可以撤回申请")
        elif req.requested_by_id is not None or not actor.has_permission(
            "powers.edit", agency_id=req.agency_id
        ):
            return PermissionDenied("只有申请人本人可以撤回申请")
    if req.status not in (PowerChangeStatus.PENDING, PowerChangeStatus.REFORM_APPROVED):
        return Conflict(f"该申请{_status(req)}，不能撤回", code="power_request_state")
    return None


def maintain_refusal(actor: Actor, power: Power, division_code: str) -> DomainError | None:
    """Publishing a power, confirming it is current, recording that its basis
    changed: the department itself or the reform office over it."""
    if actor.has_permission("powers.edit", agency_id=power.agency_id) or in_scope(
        actor, "powers.reform_review", division_code
    ):
        return None
    return PermissionDenied("只有实施部门或审改办可以维护该权力事项")


def publish_refusal(actor: Actor, power: Power, division_code: str) -> DomainError | None:
    refusal = maintain_refusal(actor, power, division_code)
    if refusal is not None:
        return refusal
    if power.secret:
        return Conflict("涉密权力事项不予公开", code="power_secret")
    if power.status == PowerStatus.CANCELLED:
        return Conflict("已取消的权力事项不再公布", code="power_state")
    if power.published_at is not None:
        return Conflict("该权力事项已公布", code="power_state")
    return None


def reply_refusal(actor: Actor, comment: PowerComment, agency_id: int) -> DomainError | None:
    """The power's agency answers comments and complaints on it (R4.6)."""
    if not actor.has_permission("powers.edit", agency_id=agency_id):
        return PermissionDenied("只有该权力事项的实施部门可以答复")
    return None


def sunshine_refusal(actor: Actor, agency: Agency, division_code: str) -> DomainError | None:
    if actor.has_permission("sunshine.edit", agency_id=agency.pk) or in_scope(
        actor, "sunshine.edit", division_code
    ):
        return None
    return PermissionDenied("您没有编制该单位阳光清单的权限")
