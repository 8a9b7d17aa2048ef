"""Who may do what in the organisations domain (R2.2, R2.4).

Services call these to refuse with a clear message; selectors and pages call
the same functions to decide which buttons to show, so the rule lives once.
A ``*_refusal`` function returns the error a service would raise, or None.
"""

from __future__ import annotations

from typing import Any

from yiwang.core.actors import Actor
from yiwang.core.checkdigits import division_parent_prefix
from yiwang.core.errors import Conflict, DomainError, PermissionDenied
from yiwang.domains.orgs.models import ChangeStatus, StaffChangeRequest


def is_system(actor: Actor) -> bool:
    return actor.actor_ref().kind == "system"


def subtree_prefix(code: str) -> str:
    """Every division below ``code`` (and the division itself) has a code that
    starts with this prefix: a province's two digits, a city's four, a
    county's six, a town's nine."""
    return division_parent_prefix(code)


def in_subtree(code: str, root_code: str) -> bool:
    return code.startswith(subtree_prefix(root_code))


def _grants_with_divisions(actor: Any) -> list[Any]:
    grants = getattr(actor, "grants", None)
    if grants is None:
        return []
    cache = getattr(actor, "_prefetched_objects_cache", {})
    if "grants" in cache:
        return list(grants.all())
    return list(grants.select_related("role", "agency__division"))


def scope_prefixes(actor: Actor, permission: str) -> list[str] | None:
    """Division-code prefixes where the actor holds ``permission`` through a
    grant: the subtree of each granting agency's division. None means
    everywhere (the platform itself); an empty list means nowhere."""
    if is_system(actor):
        return None
    if not getattr(actor, "active", False):
        return []
    prefixes = {
        subtree_prefix(g.agency.division.code)
        for g in _grants_with_divisions(actor)
        if permission in g.role.permissions
    }
    return sorted(prefixes)


def covers(prefixes: list[str] | None, code: str) -> bool:
    return prefixes is None or any(code.startswith(p) for p in prefixes)


def manage_refusal(actor: Actor, division_code: str) -> DomainError | None:
    """orgs.manage, and only inside the subtree of the actor's own level (R1.3)."""
    prefixes = scope_prefixes(actor, "orgs.manage")
    if prefixes == []:
        return PermissionDenied("您没有维护区划、机构、大厅与窗口的权限")
    if not covers(prefixes, division_code):
        return PermissionDenied(
            f"行政区划 {division_code} 不在您所在政务服务中心的管辖范围内",
            code="division_out_of_scope",
        )
    return None


def may_manage(actor: Actor, division_code: str) -> bool:
    return manage_refusal(actor, division_code) is None


# --- the staff change workflow (R2.4) ------------------------------------------


def _status_label(req: StaffChangeRequest) -> str:
    return ChangeStatus(req.status).label


def _staff_id(actor: Actor) -> int | None:
    ref = actor.actor_ref()
    return int(ref.id) if ref.kind == "staff" else None


def request_refusal(actor: Actor, agency_id: int) -> DomainError | None:
    if _staff_id(actor) is None:
        return PermissionDenied("只有工作人员可以提出人员及权限变更申请")
    if not actor.has_permission("orgs.staff_request", agency_id=agency_id):
        return PermissionDenied("您没有在该单位提出人员及权限变更申请的权限（需单位管理员）")
    return None


def approve_refusal(actor: Actor, req: StaffChangeRequest) -> DomainError | None:
    """The unit head of the request's agency decides; never on their own
    request nor on a change to themselves."""
    staff_id = _staff_id(actor)
    if staff_id is None or not actor.has_permission("orgs.staff_approve", agency_id=req.agency_id):
        return PermissionDenied("只有该单位负责人可以审批人员及权限变更")
    if req.requested_by_id == staff_id:
        return PermissionDenied("不能审批本人提出的申请", code="request_self")
    if req.target_id is not None and req.target_id == staff_id:
        return PermissionDenied("不能审批针对本人的变更申请", code="request_self")
    if req.status != ChangeStatus.PENDING:
        return Conflict(f"该申请{_status_label(req)}，不能再审批", code="request_state")
    return None


def apply_refusal(actor: Actor, req: StaffChangeRequest) -> DomainError | None:
    """The unit administrator makes the change, and only after approval."""
    if _staff_id(actor) is None or not actor.has_permission(
        "orgs.staff_apply", agency_id=req.agency_id
    ):
        return PermissionDenied("只有该单位管理员可以执行人员及权限变更")
    if req.status != ChangeStatus.APPROVED:
        return Conflict(
            f"该申请{_status_label(req)}，只有经单位负责人批准的申请才能执行",
            code="request_state",
        )
    return None


def withdraw_refusal(actor: Actor, req: StaffChangeRequest) -> DomainError | None:
    """The requester may take back a request that has not been applied — also
    an approved one, which is the way out when its target changed meanwhile
    and it can no longer be applied."""
    if _staff_id(actor) != req.requested_by_id:
        return PermissionDenied("只有申请人本人可以撤回申请")
    if req.status not in (ChangeStatus.PENDING, ChangeStatus.APPROVED):
        return Conflict(f"该申请{_status_label(req)}，不能撤回", code="request_state")
    return None


def can_view_request(actor: Actor, req: StaffChangeRequest) -> bool:
    if is_system(actor):
        return True
    staff_id = _staff_id(actor)
    if staff_id is not None and staff_id in (req.requested_by_id, req.target_id):
        return True
    if any(
        actor.has_permission(code, agency_id=req.agency_id)
        for code in ("orgs.staff_request", "orgs.staff_approve", "orgs.staff_apply")
    ):
        return True
    centre_agency = getattr(req.filed_with, "agency_id", None) if req.filed_with_id else None
    return centre_agency is not None and actor.has_permission(
        "orgs.staff_filings", agency_id=centre_agency
    )
