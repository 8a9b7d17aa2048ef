"""Reads of the organisations domain, scoped by the viewer's permissions.

Each list is one query (plus the count a page needs); the division tree is
read by code prefix, never walked row by row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from yiwang.core.actors import Actor
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.core.models import AuditEntry
from yiwang.core.pii import mask_id_number, mask_phone
from yiwang.domains.orgs import policies
from yiwang.domains.orgs.models import (
    Agency,
    AgencyKey,
    ApiClient,
    ChangeKind,
    ChangeStatus,
    Division,
    DivisionLevel,
    Hall,
    Role,
    RoleGrant,
    ServiceCentre,
    Staff,
    StaffChangeRequest,
    Window,
)

PER_PAGE = 20


def paginate(qs: Any, page: Any, per_page: int = PER_PAGE) -> Page:
    return Paginator(qs, per_page).get_page(page)


# --- logins and tokens -----------------------------------------------------------


def staff_for_user(user_id: int) -> Staff | None:
    """The active staff member behind a login, with grants (and the divisions
    of the granting agencies) loaded in one go, so permission and scope checks
    during the request cost no further queries."""
    staff = (
        Staff.objects.select_related("agency", "agency__division")
        .prefetch_related(
            Prefetch(
                "grants",
                queryset=RoleGrant.objects.select_related("role", "agency", "agency__division"),
            )
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


def api_clients_for_agency(agency: Agency) -> list[ApiClient]:
    return list(ApiClient.objects.filter(agency=agency).order_by("-created_at"))


# --- divisions ---------------------------------------------------------------------


def _with_counts(qs: QuerySet[Division]) -> QuerySet[Division]:
    children = (
        Division.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agencies = (
        Agency.objects.filter(division=OuterRef("pk"), active=True)
        .order_by()
        .values("division")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        child_count=Coalesce(Subquery(children, output_field=IntegerField()), 0),
        agency_count=Coalesce(Subquery(agencies, output_field=IntegerField()), 0),
    )


def division_by_code(code: str) -> Division:
    division = Division.objects.select_related("parent").filter(code=code).first()
    if division is None:
        raise NotFound(f"行政区划 {code} 不存在", code="division_not_found")
    return division


def division_children(parent: Division | None) -> list[Division]:
    """Direct children (the top level when ``parent`` is None), each with
    ``child_count`` and ``agency_count``: one query."""
    qs = (
        Division.objects.filter(parent=parent)
        if parent
        else Division.objects.filter(parent__isnull=True)
    )
    return list(_with_counts(qs).order_by("code"))


def division_path(division: Division) -> list[Division]:
    """The division and its ancestors, top first (breadcrumbs): one query."""
    node: Division | None = (
        Division.objects.select_related("parent__parent__parent__parent")
        .filter(pk=division.pk)
        .first()
    )
    path: list[Division] = []
    while node is not None:
        path.append(node)
        node = node.parent
    return list(reversed(path))


@dataclass
class DivisionNode:
    division: Division
    children: list[DivisionNode] = field(default_factory=list)


def division_tree(
    root: Division | None = None, *, down_to: str = DivisionLevel.COUNTY
) -> list[DivisionNode]:
    """The subtree under ``root`` (everything when None) down to a level, as
    nested nodes: one query by code prefix. Stopping at the county keeps the
    answer small; towns and villages are read per division on demand."""
    levels = [lv.value for lv in DivisionLevel]
    keep = levels[: levels.index(down_to) + 1]
    qs = Division.objects.filter(level__in=keep)
    if root is not None:
        qs = qs.filter(code__startswith=policies.subtree_prefix(root.code))
    rows = list(_with_counts(qs).order_by("code"))
    nodes = {d.pk: DivisionNode(d) for d in rows}
    top: list[DivisionNode] = []
    for d in rows:
        parent = nodes.get(d.parent_id) if d.parent_id else None
        if parent is not None and (root is None or d.pk != root.pk):
            parent.children.append(nodes[d.pk])
        else:
            top.append(nodes[d.pk])
    return top


def division_list(
    *,
    parent_code: str | None = None,
    level: str | None = None,
    page: Any = 1,
    per_page: int = PER_PAGE,
) -> Page:
    qs = Division.objects.select_related("parent").order_by("code")
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if level:
        qs = qs.filter(level=level)
    return paginate(qs, page, per_page)


def division_choices_for_manager(actor: Actor) -> list[Division]:
    """Divisions the actor may manage (for form drop-downs): one query."""
    prefixes = policies.scope_prefixes(actor, "orgs.manage")
    qs = Division.objects.order_by("code")
    if prefixes is not None:
        cond = Q(pk__in=[])
        for p in prefixes:
            cond |= Q(code__startswith=p)
        qs = qs.filter(cond)
    return list(qs)


# --- agencies ----------------------------------------------------------------------


def agency_list(
    *,
    division: Division | None = None,
    subtree: bool = True,
    kind: str | None = None,
    q: str | None = None,
    active: bool | None = True,
    page: Any = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """Agencies are public information (R2.1): filter by division (with its
    subtree by default), kind and a name search; a page of 20."""
    qs = Agency.objects.select_related("division", "parent").order_by("division__code", "name")
    if division is not None:
        if subtree:
            qs = qs.filter(division__code__startswith=policies.subtree_prefix(division.code))
        else:
            qs = qs.filter(division=division)
    if kind:
        qs = qs.filter(kind=kind)
    if q and q.strip():
        term = q.strip()
        qs = qs.filter(
            Q(name__contains=term) | Q(short_name__contains=term) | Q(credit_code=term.upper())
        )
    if active is not None:
        qs = qs.filter(active=active)
    return paginate(qs, page, per_page)


def agency_detail(*, pk: int | None = None, credit_code: str | None = None) -> Agency:
    """One agency with its division, parent and (if it runs one) service centre."""
    qs = Agency.objects.select_related("division", "parent", "service_centre")
    agency = (
        qs.filter(pk=pk).first()
        if pk is not None
        else qs.filter(credit_code=(credit_code or "").strip().upper()).first()
    )
    if agency is None:
        raise NotFound(
            f"统一社会信用代码为 {credit_code} 的机构不存在" if credit_code else "机构不存在",
            code="agency_not_found",
        )
    return agency


def agency_children(agency: Agency) -> list[Agency]:
    return list(agency.children.order_by("name"))


def agency_windows(agency: Agency) -> list[Window]:
    """The windows where this agency serves, with their halls: one query."""
    return list(
        Window.objects.filter(agencies=agency)
        .select_related("hall", "hall__division")
        .order_by("hall__name", "number")
    )


def halls_for_division(division: Division) -> list[Hall]:
    """Halls located in this division, with their windows and the agencies
    serving there: three queries whatever the number of halls."""
    return list(
        Hall.objects.filter(division=division)
        .select_related("centre")
        .prefetch_related(
            Prefetch(
                "windows",
                queryset=Window.objects.order_by("number").prefetch_related("agencies"),
            )
        )
        .order_by("name")
    )


def hall_detail(pk: int) -> Hall:
    hall = (
        Hall.objects.select_related("centre", "division")
        .prefetch_related(
            Prefetch(
                "windows", queryset=Window.objects.order_by("number").prefetch_related("agencies")
            )
        )
        .filter(pk=pk)
        .first()
    )
    if hall is None:
        raise NotFound("服务大厅不存在", code="hall_not_found")
    return hall


def agencies_for_hall(hall: Hall) -> list[Agency]:
    """Active agencies that may serve at a hall's windows: those of the hall's
    division, the divisions above it and the divisions below it."""
    path_ids = [d.pk for d in division_path(Division(pk=hall.division_id))]
    hall_code = Division.objects.only("code").get(pk=hall.division_id).code
    return list(
        Agency.objects.filter(active=True)
        .filter(
            Q(division_id__in=path_ids)
            | Q(division__code__startswith=policies.subtree_prefix(hall_code))
        )
        .select_related("division")
        .order_by("division__code", "name")
    )


def centre_for_division(division: Division) -> ServiceCentre | None:
    return ServiceCentre.objects.select_related("agency").filter(division=division).first()


def filing_centre_for(agency: Agency) -> ServiceCentre | None:
    """The service centre a staff change of this agency is filed with: its own
    division's, or the nearest one above (R2.4). Two queries."""
    return centre_above(Division(pk=agency.division_id))


def centre_above(division: Division) -> ServiceCentre | None:
    """The service centre of this division, or of the nearest division above
    that has one (a town's halls belong to its county's centre)."""
    path = division_path(division)
    ids = [d.pk for d in path]
    centres = {
        c.division_id: c
        for c in ServiceCentre.objects.select_related("agency").filter(division_id__in=ids)
    }
    for division_id in reversed(ids):
        if division_id in centres:
            return centres[division_id]
    return None


# --- staff -------------------------------------------------------------------------


STAFF_FIELD_LABELS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "phone": "手机号码",
    "title": "职务",
}


def mask_field(field: str, value: str) -> str:
    """A staff field as it may be shown or logged: identifiers masked."""
    if not value:
        return ""
    if field == "id_number":
        return mask_id_number(value)
    if field == "phone":
        return mask_phone(value)
    return value


@dataclass
class StaffRow:
    staff: Staff
    id_number: str
    phone: str
    roles: list[str]


def may_view_staff(viewer: Actor, agency: Agency) -> bool:
    """Staff of a unit are seen by those holding orgs.view there, and by the
    service centres whose area covers the unit (management and filings)."""
    if viewer.has_permission("orgs.view", agency_id=agency.pk):
        return True
    code = agency.division.code
    for perm in ("orgs.manage", "orgs.staff_filings"):
        prefixes = policies.scope_prefixes(viewer, perm)
        if prefixes != [] and policies.covers(prefixes, code):
            return True
    return False


def staff_list_for_agency(
    *, viewer: Actor, agency: Agency, include_inactive: bool = True
) -> list[StaffRow]:
    """The unit's staff with their roles. ID numbers and phones are masked
    unless the viewer's role needs them (accounts.view_pii). Two queries."""
    if not may_view_staff(viewer, agency):
        raise PermissionDenied("您无权查看该单位的工作人员")
    show_pii = viewer.has_permission("accounts.view_pii")
    qs = (
        Staff.objects.filter(agency=agency)
        .prefetch_related(
            Prefetch(
                "grants",
                queryset=RoleGrant.objects.select_related("role", "agency").order_by("role__code"),
            )
        )
        .order_by("-active", "name")
    )
    if not include_inactive:
        qs = qs.filter(active=True)
    rows = []
    for s in qs:
        roles = [
            g.role.name if g.agency_id == agency.pk else f"{g.role.name}（{g.agency.name}）"
            for g in s.grants.all()
        ]
        rows.append(
            StaffRow(
                staff=s,
                id_number=s.id_number if show_pii else mask_id_number(s.id_number),
                phone=(s.phone if show_pii else mask_phone(s.phone)) if s.phone else "",
                roles=roles,
            )
        )
    return rows


def staff_choices(agency: Agency, *, active: bool | None = None) -> list[Staff]:
    qs = Staff.objects.filter(agency=agency).order_by("name")
    if active is not None:
        qs = qs.filter(active=active)
    return list(qs.only("id", "name", "title", "active", "agency_id"))


def roles_all() -> list[Role]:
    return list(Role.objects.order_by("code"))


# --- staff change requests (R2.4) --------------------------------------------------

TABS: dict[str, str] = {
    "approve": "待我审批",
    "apply": "待我执行",
    "mine": "我提交的",
    "filings": "备案",
}


def _agencies_with(viewer: Actor, code: str) -> list[int]:
    fn = getattr(viewer, "agencies_with", None)
    return list(fn(code)) if fn else []


def _viewer_id(viewer: Actor) -> int | None:
    ref = viewer.actor_ref()
    return int(ref.id) if ref.kind == "staff" else None


def _tab_filter(viewer: Actor, tab: str) -> Q:
    me = _viewer_id(viewer)
    if tab == "approve":
        return (
            Q(
                status=ChangeStatus.PENDING,
                agency_id__in=_agencies_with(viewer, "orgs.staff_approve"),
            )
            & ~Q(requested_by_id=me)
            & (Q(target__isnull=True) | ~Q(target_id=me))
        )
    if tab == "apply":
        return Q(
            status=ChangeStatus.APPROVED, agency_id__in=_agencies_with(viewer, "orgs.staff_apply")
        )
    if tab == "mine":
        return Q(requested_by_id=me)
    if tab == "filings":
        return Q(
            status=ChangeStatus.APPLIED,
            filed_with__agency_id__in=_agencies_with(viewer, "orgs.staff_filings"),
        )
    raise NotFound("没有这个列表", code="tab_not_found")


def change_requests_for_viewer(*, viewer: Actor, tab: str = "approve", page: Any = 1) -> Page:
    """The requests the viewer may act on or follow, for one tab — to approve
    as unit head, to apply as unit administrator, their own, or the filings
    of their service centre. One query for the page (and one for its count)."""
    qs = (
        StaffChangeRequest.objects.filter(_tab_filter(viewer, tab))
        .select_related(
            "agency", "target", "requested_by", "decided_by", "applied_by", "filed_with"
        )
        .defer("payload")
        .order_by("-requested_at", "-pk")
    )
    return paginate(qs, page)


def change_request_counts(viewer: Actor) -> dict[str, int]:
    """How many requests each tab holds: one query."""
    agg = StaffChangeRequest.objects.aggregate(
        **{tab: Count("pk", filter=_tab_filter(viewer, tab)) for tab in TABS}
    )
    return {tab: int(agg[tab] or 0) for tab in TABS}


TIMELINE_LABELS = {
    "orgs.staff_change_request": "提出申请",
    "orgs.staff_change_approve": "单位负责人批准",
    "orgs.staff_change_reject": "单位负责人驳回",
    "orgs.staff_change_withdraw": "申请人撤回",
    "orgs.staff_change_apply": "单位管理员执行并备案",
}


@dataclass
class TimelineItem:
    at: Any
    actor: str
    action: str
    note: str


def _timeline_item(entry: AuditEntry) -> TimelineItem:
    try:
        change = json.loads(entry.change or "{}")
    except ValueError:
        change = {}
    if entry.action == "orgs.staff_change_apply":
        note = f"已向{change.get('filed_with_name', '政务服务中心')}备案"
    elif entry.action == "orgs.staff_change_request":
        note = str(change.get("reason", ""))
    else:
        note = str(change.get("note", ""))
    return TimelineItem(
        at=entry.at,
        actor=entry.actor_label,
        action=TIMELINE_LABELS.get(entry.action, entry.action),
        note=note,
    )


@dataclass
class RequestView:
    request: StaffChangeRequest
    details: list[tuple[str, str]]
    timeline: list[TimelineItem]
    can_approve: bool
    can_apply: bool
    can_withdraw: bool


def _details(req: StaffChangeRequest) -> list[tuple[str, str]]:
    """The requested change in words, with identifiers masked."""
    payload = json.loads(req.payload or "{}")
    if req.kind == ChangeKind.CREATE_STAFF:
        roles = {r.code: r.name for r in Role.objects.filter(code__in=payload.get("roles", []))}
        return [
            ("姓名", payload.get("name", "")),
            ("公民身份号码", mask_id_number(payload.get("id_number", ""))),
            ("手机号码", mask_phone(payload["phone"]) if payload.get("phone") else "—"),
            ("职务", payload.get("title") or "—"),
            ("登录名", payload.get("login_name", "")),
            ("初始角色", "、".join(roles.get(c, c) for c in payload.get("roles", [])) or "无"),
        ]
    if req.kind == ChangeKind.UPDATE_STAFF:
        return [
            (
                STAFF_FIELD_LABELS[f],
                f"{mask_field(f, payload['base'].get(f, '')) or '（空）'} → "
                f"{mask_field(f, v) or '（空）'}",
            )
            for f, v in payload.get("changes", {}).items()
        ]
    if req.kind in (ChangeKind.GRANT_ROLE, ChangeKind.REVOKE_ROLE):
        role = Role.objects.filter(code=payload.get("role")).first()
        return [
            ("角色", role.name if role else payload.get("role", "")),
            ("授权单位", req.agency.name),
        ]
    return []


def change_request_detail(*, viewer: Actor, pk: int) -> RequestView:
    """One request with its masked content, its history from the audit chain
    and the actions this viewer may take."""
    req = (
        StaffChangeRequest.objects.select_related(
            "agency",
            "agency__division",
            "target",
            "requested_by",
            "decided_by",
            "applied_by",
            "filed_with",
        )
        .filter(pk=pk)
        .first()
    )
    if req is None or not policies.can_view_request(viewer, req):
        raise NotFound("变更申请不存在或您无权查看", code="request_not_found")
    timeline = [
        _timeline_item(e)
        for e in AuditEntry.objects.filter(
            object_type="orgs.staffchangerequest", object_id=str(req.pk)
        ).order_by("id")
    ]
    return RequestView(
        request=req,
        details=_details(req),
        timeline=timeline,
        can_approve=policies.approve_refusal(viewer, req) is None,
        can_apply=policies.apply_refusal(viewer, req) is None,
        can_withdraw=policies.withdraw_refusal(viewer, req) is None,
    )


def request_agencies_for(viewer: Actor) -> list[Agency]:
    """Agencies where the viewer may file change requests (unit administrator)."""
    ids = _agencies_with(viewer, "orgs.staff_request")
    return list(Agency.objects.filter(pk__in=ids, active=True).order_by("name"))


# --- document-signing keys ---------------------------------------------------------


def agency_keys(agency: Agency) -> QuerySet[AgencyKey]:
    """The agency's signing keys, newest first, without their sealed private
    keys (for listing and for tracing which certificate signed a document)."""
    return AgencyKey.objects.filter(agency=agency).defer("private_key").order_by("-created_at")


def agency_key_by_serial(serial: str) -> AgencyKey | None:
    """The key whose certificate has this serial (hex), active or retired."""
    return (
        AgencyKey.objects.select_related("agency")
        .defer("private_key")
        .filter(serial=serial.lower().lstrip("0") or "0")
        .first()
    )
