"""Who may do what in the catalogue (R2.2, R3.5).

Services call the ``*_refusal`` functions to refuse with a clear message;
pages call the ``may_*`` functions to decide which buttons to show, so each
rule lives once.

- 编制 (catalog.edit): held at the agency that owns the entry or implements
  the item.
- 审核 / 发布 / 一件事 (catalog.review, catalog.publish, catalog.bundles): held
  at the managing agency of a service centre whose division is the item's
  division or one above it. A version that changes only local "personal
  elements" (``local_only``) is reviewed and published by the local centre
  only — the nearest one at or above the item's division (R3.5).
- 合法性审查 (catalog.legal_review): held at an agency of the entry owner's
  division or one above it.
"""

from __future__ import annotations

from typing import Any

from yiwang.core.actors import Actor
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.domains.orgs.models import Division, ServiceCentre
from yiwang.domains.orgs.policies import covers, is_system, scope_prefixes, subtree_prefix
from yiwang.domains.orgs.selectors import division_path

__all__ = [
    "centre_refusal",
    "centre_scope_prefixes",
    "centres_above",
    "edit_refusal",
    "is_system",
    "legal_refusal",
    "may_centre",
    "may_edit",
    "may_legal_review",
]

PERMISSION_LABELS = {
    "catalog.edit": "编制事项",
    "catalog.review": "审核事项",
    "catalog.publish": "发布事项、调整事项状态",
    "catalog.bundles": "维护“一件事”",
    "catalog.legal_review": "合法性审查",
}


def edit_refusal(actor: Actor, agency_id: int, agency_name: str = "") -> DomainError | None:
    if actor.has_permission("catalog.edit", agency_id=agency_id):
        return None
    where = f"「{agency_name}」" if agency_name else "该单位"
    return PermissionDenied(f"您没有编制{where}事项的权限（需该单位的事项编制人员）")


def may_edit(actor: Actor, agency_id: int) -> bool:
    return edit_refusal(actor, agency_id) is None


def centres_above(division: Division) -> list[ServiceCentre]:
    """Service centres of the division and of every division above it, the
    nearest first. Two queries."""
    path = division_path(division)
    ids = [d.pk for d in path]
    by_division = {
        c.division_id: c
        for c in ServiceCentre.objects.select_related("division", "agency").filter(
            division_id__in=ids
        )
    }
    return [by_division[i] for i in reversed(ids) if i in by_division]


def centre_refusal(
    actor: Actor,
    permission: str,
    division: Division,
    *,
    local_only: bool = False,
    centres: list[ServiceCentre] | None = None,
) -> DomainError | None:
    """The actor holds ``permission`` at a centre at or above ``division``
    (only the nearest one when ``local_only``)."""
    if is_system(actor):
        return None
    label = PERMISSION_LABELS.get(permission, permission)
    if centres is None:
        centres = centres_above(division)
    if not centres:
        return PermissionDenied(
            f"{division.name}及其上级均未设立政务服务中心，无人可以{label}", code="scope"
        )
    candidates = centres[:1] if local_only else centres
    if any(actor.has_permission(permission, agency_id=c.agency_id) for c in candidates):
        return None
    if local_only:
        return PermissionDenied(
            f"仅变更个性化要素的版本由本级中心（{candidates[0].name}）{label}", code="scope"
        )
    names = "、".join(c.name for c in candidates)
    return PermissionDenied(f"{division.name}的事项由{names}{label}，您没有该权限", code="scope")


def may_centre(
    actor: Actor, permission: str, division: Division, *, local_only: bool = False
) -> bool:
    return centre_refusal(actor, permission, division, local_only=local_only) is None


def legal_refusal(actor: Actor, division: Division) -> DomainError | None:
    if is_system(actor):
        return None
    prefixes = scope_prefixes(actor, "catalog.legal_review")
    if not prefixes:
        return PermissionDenied("您没有合法性审查的权限（需合法性审查人员）")
    if not covers(prefixes, division.code):
        return PermissionDenied(
            f"{division.name}编制的基本目录不在您的合法性审查范围内", code="scope"
        )
    return None


def may_legal_review(actor: Actor, division: Division) -> bool:
    return legal_refusal(actor, division) is None


def _agency_ids_with(actor: Any, permission: str) -> list[int]:
    if hasattr(actor, "agencies_with"):
        return list(actor.agencies_with(permission))
    agency_id = getattr(actor, "agency_id", None)
    if agency_id is not None and actor.has_permission(permission, agency_id=agency_id):
        return [agency_id]
    return []


def centre_scope_prefixes(actor: Actor, permission: str) -> list[str] | None:
    """Division-code prefixes of the centres where the actor holds
    ``permission``: every division at or below those centres. None means
    everywhere (the platform itself); [] means nowhere. One query."""
    if is_system(actor):
        return None
    ids = _agency_ids_with(actor, permission)
    if not ids:
        return []
    codes = ServiceCentre.objects.filter(agency_id__in=ids).values_list("division__code", flat=True)
    return sorted({subtree_prefix(c) for c in codes})
