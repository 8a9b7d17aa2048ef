"""Reads of the power lists and the sunshine lists (R4.1–R4.7).

Public reads show only what is published and not secret; console reads are
scoped by the viewer's grants (the division subtree of the agencies where
they hold ``powers.view``). Lists are one query for the page plus its count.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.errors import Conflict, NotFound
from yiwang.core.models import AuditEntry
from yiwang.domains.catalog import powers_policies as pp
from yiwang.domains.catalog.models import (
    Duty,
    FundList,
    Lifecycle,
    Power,
    PowerChangeKind,
    PowerChangeReason,
    PowerChangeRequest,
    PowerChangeStatus,
    PowerComment,
    PowerCommentStatus,
    PowerStatus,
    PowerStep,
    PowerType,
    ReliefList,
    StepSpec,
    SuspendReason,
    VersionStatus,
)
from yiwang.domains.catalog.powerdoc import ELEMENTS, PowerDoc, stale_reason, steps_differ
from yiwang.domains.orgs.models import Agency, Division
from yiwang.domains.orgs.policies import is_system, scope_prefixes, subtree_prefix

PER_PAGE = 20

# --- settings ------------------------------------------------------------------


@dataclass(frozen=True)
class PowerSettings:
    stale_days: int  # R4.5: a list entry not reviewed for this long is out of date
    basis_grace_days: int  # … or not updated this long after its basis changed
    resume_days: int  # R4.3: resume within this many days of the review
    comment_daily_limit: int  # R4.6: comments per contact per 24 hours


def power_settings() -> PowerSettings:
    return PowerSettings(
        stale_days=int(getattr(settings, "YIWANG_POWER_STALE_DAYS", 365)),
        basis_grace_days=int(getattr(settings, "YIWANG_POWER_BASIS_GRACE_DAYS", 30)),
        resume_days=int(getattr(settings, "YIWANG_POWER_RESUME_DAYS", 2)),
        comment_daily_limit=int(getattr(settings, "YIWANG_POWER_COMMENT_DAILY_LIMIT", 5)),
    )


def paginate(qs: Any, page: Any, per_page: int = PER_PAGE) -> Page:
    return Paginator(qs, per_page).get_page(page)


def reason_label(kind: str, reason: str) -> str:
    if kind == PowerChangeKind.SUSPEND:
        return str(dict(SuspendReason.choices).get(reason, reason))
    if kind == PowerChangeKind.RESUME:
        return "恢复行使"
    return str(dict(PowerChangeReason.choices).get(reason, reason))


# --- the document of a power -----------------------------------------------------


def power_doc_of(power: Power) -> PowerDoc:
    """The power as a PowerDoc (what a change request compares against)."""
    doc: PowerDoc = {
        "code": power.code,
        "name": power.name,
        "power_type": power.power_type,
        "basis": list(power.basis or []),
        "time_limit": power.time_limit,
        "supervision_method": power.supervision_method,
        "secret": power.secret,
        "entry": power.entry.basic_code if power.entry_id else "",  # type: ignore[union-attr]
        "steps": [],
        "duties": [],
    }
    for s in power.steps.all():
        step: dict[str, str] = {"name": s.name}
        for key in ("actor_role", "time_limit", "description"):
            if getattr(s, key):
                step[key] = getattr(s, key)
        doc["steps"].append(step)  # type: ignore[arg-type]
    for d in power.duties.all():
        duty: dict[str, str] = {"content": d.content, "accountability": d.accountability}
        if d.basis:
            duty["basis"] = d.basis
        doc["duties"].append(duty)  # type: ignore[arg-type]
    return doc


def element_text(key: str, value: Any) -> str:
    """One element of a PowerDoc in words, for screens and diffs."""
    if value is None or value == "" or value == []:
        return "（空）"
    if key == "power_type":
        return str(dict(PowerType.choices).get(value, value))
    if key == "secret":
        return "涉密" if value else "不涉密"
    if key == "basis":
        return "；".join(f"《{b.get('title', '')}》{b.get('article', '')}".strip() for b in value)
    if key == "steps":
        return " → ".join(s.get("name", "") for s in value)
    if key == "duties":
        return "；".join(d.get("content", "")[:30] for d in value)
    return str(value)


# --- public reads (R4.1, R4.6) ---------------------------------------------------


def _public_powers() -> QuerySet[Power]:
    return Power.objects.filter(published_at__isnull=False, secret=False)


_LETTERS = re.compile(r"^[a-z]{1,30}$")


def _search(qs: QuerySet[Power], q: str) -> QuerySet[Power]:
    term = q.strip()
    if not term:
        return qs
    cond = Q(name__contains=term) | Q(code__iexact=term)
    low = term.lower()
    if _LETTERS.match(low):
        cond |= Q(search_pinyin__contains=low) | Q(
            search_initials__regex=".*".join(re.escape(c) for c in low)
        )
    return qs.filter(cond)


def power_public_list(
    *,
    power_type: str | None = None,
    agency_id: int | None = None,
    division_code: str | None = None,
    q: str | None = None,
    status: str | None = None,
    page: Any = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """The published power list (R4.1): no secret power, no unpublished one;
    cancelled powers only when asked for. Suspended powers stay listed with
    their reason (R4.3)."""
    qs = _public_powers().select_related("agency", "division").order_by("code")
    if status in PowerStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=PowerStatus.CANCELLED)
    if power_type:
        qs = qs.filter(power_type=power_type)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if division_code:
        qs = qs.filter(division__code__startswith=subtree_prefix(division_code))
    if q:
        qs = _search(qs, q)
    return paginate(qs, page, per_page)


def power_public_agencies() -> list[Agency]:
    """Agencies with at least one published power (the list's filter)."""
    return list(
        Agency.objects.filter(Exists(_public_powers().filter(agency_id=OuterRef("pk"))))
        .select_related("division")
        .order_by("division__code", "name")
    )


def power_public_divisions() -> list[Division]:
    return list(
        Division.objects.filter(
            Exists(_public_powers().filter(division_id=OuterRef("pk")))
        ).order_by("code")
    )


def power_public_detail(code: str) -> Power:
    """One published, non-secret power with its flowchart and duties; secret or
    unpublished powers do not exist for the public."""
    power = (
        _public_powers()
        .select_related("agency", "division", "entry", "delegated_from")
        .prefetch_related(
            Prefetch("steps", queryset=PowerStep.objects.order_by("order", "id")),
            Prefetch("duties", queryset=Duty.objects.order_by("order", "id")),
        )
        .filter(code=code)
        .first()
    )
    if power is None:
        raise NotFound("该权力事项不存在或未公开", code="power_not_found")
    return power


def power_public_comments(power: Power, *, limit: int = 20) -> list[PowerComment]:
    """Answered comments and complaints on a power, newest first (R4.6)."""
    return list(
        PowerComment.objects.filter(power=power, status=PowerCommentStatus.REPLIED).order_by(
            "-replied_at", "-id"
        )[:limit]
    )


def power_for_case(*, code: str) -> Power:
    """R4.4: a case may be handled only under a listed power in force; an
    unlisted, suspended or cancelled power is refused."""
    power = Power.objects.select_related("agency").filter(code=code).first()
    if power is None:
        raise Conflict(f"权力编码 {code} 不在权责清单内，不得办理", code="power_not_in_force")
    if power.status == PowerStatus.SUSPENDED:
        raise Conflict(
            f"权力事项「{power.name}」已暂停（{power.get_suspend_reason_display()}），不得办理",
            code="power_not_in_force",
        )
    if power.status == PowerStatus.CANCELLED:
        raise Conflict(f"权力事项「{power.name}」已取消，不得办理", code="power_not_in_force")
    return power


def power_by_code(code: str) -> Power:
    """Any power by its code (for agency systems acting on their own powers)."""
    power = Power.objects.select_related("agency", "division").filter(code=code).first()
    if power is None:
        raise NotFound(f"权力编码 {code} 不在清单中", code="power_not_found")
    return power


def power_request_for_agency(*, agency_id: int, pk: int) -> PowerChangeRequest:
    req = (
        PowerChangeRequest.objects.select_related("power")
        .filter(pk=pk, agency_id=agency_id)
        .first()
    )
    if req is None:
        raise NotFound("调整申请不存在", code="power_request_not_found")
    return req


# --- console reads -----------------------------------------------------------------


def _division_scope(viewer: Actor, permission: str) -> Q | None:
    """Q over ``division__code`` for the viewer's scope; None = everywhere."""
    prefixes = scope_prefixes(viewer, permission)
    if prefixes is None:
        return None
    cond = Q(pk__in=[])
    for p in prefixes:
        cond |= Q(division__code__startswith=p)
    return cond


def _agencies_with(viewer: Actor, code: str) -> list[int]:
    fn = getattr(viewer, "agencies_with", None)
    if fn is not None:
        return list(fn(code))
    ref = viewer.actor_ref()
    agency_id = getattr(viewer, "agency_id", None)
    if ref.kind == "api" and agency_id is not None:
        return [agency_id]
    return []


def power_list_for_viewer(
    *,
    viewer: Actor,
    power_type: str | None = None,
    agency_id: int | None = None,
    status: str | None = None,
    q: str | None = None,
    page: Any = 1,
) -> Page:
    """Every power in the viewer's scope, secret and unpublished ones
    included, each with ``has_steps``, ``has_duties`` and ``open_requests``."""
    qs = Power.objects.select_related("agency", "division").order_by("code")
    scope = _division_scope(viewer, "powers.view")
    if scope is not None:
        qs = qs.filter(scope)
    if power_type:
        qs = qs.filter(power_type=power_type)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if status in PowerStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = _search(qs, q)
    qs = qs.annotate(
        has_steps=Exists(PowerStep.objects.filter(power_id=OuterRef("pk"))),
        has_duties=Exists(Duty.objects.filter(power_id=OuterRef("pk"))),
        open_requests=Count(
            "change_requests",
            filter=Q(
                change_requests__status__in=[
                    PowerChangeStatus.PENDING,
                    PowerChangeStatus.REFORM_APPROVED,
                ]
            ),
        ),
    )
    return paginate(qs, page)


def may_view_power(viewer: Actor, power: Power) -> bool:
    if is_system(viewer):
        return True
    return pp.in_scope(viewer, "powers.view", power.division.code) or viewer.has_permission(
        "powers.edit", agency_id=power.agency_id
    )


@dataclass
class PowerView:
    power: Power
    requests: list[PowerChangeRequest]
    comments: list[PowerComment]
    open_request: PowerChangeRequest | None
    can_request: bool
    can_publish: bool
    can_maintain: bool
    can_reply: bool
    kinds: list[tuple[str, str]] = field(default_factory=list)


def power_detail_for_viewer(*, viewer: Actor, pk: int) -> PowerView:
    power = (
        Power.objects.select_related("agency", "division", "entry", "delegated_from")
        .prefetch_related(
            Prefetch("steps", queryset=PowerStep.objects.order_by("order", "id")),
            Prefetch("duties", queryset=Duty.objects.order_by("order", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    if power is None or not may_view_power(viewer, power):
        raise NotFound("权力事项不存在或您无权查看", code="power_not_found")
    requests = list(
        PowerChangeRequest.objects.filter(power=power)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:20]
    )
    open_request = next(
        (
            r
            for r in requests
            if r.status in (PowerChangeStatus.PENDING, PowerChangeStatus.REFORM_APPROVED)
        ),
        None,
    )
    from yiwang.domains.catalog.powerdoc import ALLOWED_FROM

    can_request = pp.request_refusal(viewer, power.agency_id) is None and open_request is None
    kinds = [
        (k, str(label))
        for k, label in PowerChangeKind.choices
        if k != PowerChangeKind.ADD and power.status in ALLOWED_FROM[k]
    ]
    return PowerView(
        power=power,
        requests=requests,
        comments=list(PowerComment.objects.filter(power=power).select_related("replied_by")[:20]),
        open_request=open_request,
        can_request=can_request,
        can_publish=pp.publish_refusal(viewer, power, power.division.code) is None,
        can_maintain=pp.maintain_refusal(viewer, power, power.division.code) is None,
        can_reply=viewer.has_permission("powers.edit", agency_id=power.agency_id),
        kinds=kinds if can_request else [],
    )


# --- change requests (R4.2, R4.3) ------------------------------------------------

REQUEST_TABS: dict[str, str] = {
    "review": "待审改办审核",
    "decide": "待审定",
    "mine": "本部门申请",
    "all": "全部",
}

_OPEN = (PowerChangeStatus.PENDING, PowerChangeStatus.REFORM_APPROVED)


def _tab_filter(viewer: Actor, tab: str) -> Q:
    me = pp.staff_id(viewer)
    # Not one's own request (nor, to approve, one's own review).
    mine = Q(requested_by_id=me) if me is not None else Q(pk__in=[])
    reviewed = Q(reviewed_by_id=me) if me is not None else Q(pk__in=[])
    if tab == "review":
        scope = _division_scope(viewer, "powers.reform_review")
        cond = Q(status=PowerChangeStatus.PENDING) & ~mine
        return cond if scope is None else cond & scope
    if tab == "decide":
        scope = _division_scope(viewer, "powers.approve")
        cond = Q(status=PowerChangeStatus.REFORM_APPROVED) & ~mine & ~reviewed
        return cond if scope is None else cond & scope
    if tab == "mine":
        if is_system(viewer):
            return Q()
        return Q(agency_id__in=_agencies_with(viewer, "powers.edit")) | mine
    if tab == "all":
        scope = _division_scope(viewer, "powers.view")
        return Q() if scope is None else scope
    raise NotFound("没有这个列表", code="tab_not_found")


def power_requests_for_viewer(*, viewer: Actor, tab: str = "review", page: Any = 1) -> Page:
    qs = (
        PowerChangeRequest.objects.filter(_tab_filter(viewer, tab))
        .select_related("agency", "division", "power", "requested_by")
        .order_by("-requested_at", "-id")
    )
    return paginate(qs, page)


def power_request_counts(viewer: Actor) -> dict[str, int]:
    """How many requests each work tab holds: one query."""
    tabs = ("review", "decide", "mine")
    agg = PowerChangeRequest.objects.filter(status__in=_OPEN).aggregate(
        **{tab: Count("pk", filter=_tab_filter(viewer, tab)) for tab in tabs}
    )
    return {tab: int(agg[tab] or 0) for tab in tabs}


TIMELINE_LABELS = {
    "catalog.power_change_request": "提出申请",
    "catalog.power_change_review": "审改办审核通过",
    "catalog.power_change_review_reject": "审改办退回",
    "catalog.power_change_approve": "审定通过并生效",
    "catalog.power_change_decide_reject": "审定退回",
    "catalog.power_change_withdraw": "撤回",
}


@dataclass
class TimelineItem:
    at: Any
    actor: str
    action: str
    note: str


@dataclass
class RequestView:
    request: PowerChangeRequest
    reason: str
    details: list[tuple[str, str, str]]  # (element, before, after)
    timeline: list[TimelineItem]
    can_review: bool
    can_decide: bool
    can_withdraw: bool
    resume_overdue: bool


def request_details(req: PowerChangeRequest) -> list[tuple[str, str, str]]:
    """The requested change in words: (element, before, after)."""
    payload = req.payload or {}
    if req.kind == PowerChangeKind.ADD:
        doc = payload.get("power", {})
        rows = [("权力编码", "", doc.get("code", ""))]
        rows += [
            (label, "", element_text(key, doc.get(key)))
            for key, label in ELEMENTS.items()
            if key in doc
        ]
        rows.append(("实施主体", "", payload.get("agency_name", "")))
        return rows
    if req.kind == PowerChangeKind.CHANGE:
        before = payload.get("before", {})
        return [
            (ELEMENTS.get(key, key), element_text(key, before.get(key)), element_text(key, value))
            for key, value in payload.get("changes", {}).items()
        ]
    if req.kind == PowerChangeKind.DELEGATE:
        return [
            (
                "实施主体",
                payload.get("from_agency_name", ""),
                f"{payload.get('agency_name', '')}（{payload.get('division_name', '')}）",
            )
        ]
    labels = dict(PowerStatus.choices)
    after = {
        PowerChangeKind.CANCEL: PowerStatus.CANCELLED,
        PowerChangeKind.SUSPEND: PowerStatus.SUSPENDED,
        PowerChangeKind.RESUME: payload.get("resume_to", PowerStatus.ACTIVE),
    }.get(req.kind, "")  # type: ignore[call-overload]
    return [
        (
            "状态",
            str(labels.get(payload.get("status_before", ""), "")),
            str(labels.get(after, "")),
        )
    ]


def _timeline(req: PowerChangeRequest) -> list[TimelineItem]:
    items = []
    for e in AuditEntry.objects.filter(
        object_type="catalog.powerchangerequest", object_id=str(req.pk)
    ).order_by("id"):
        try:
            change = json.loads(e.change or "{}")
        except ValueError:
            change = {}
        items.append(
            TimelineItem(
                at=e.at,
                actor=e.actor_label,
                action=TIMELINE_LABELS.get(e.action, e.action),
                note=str(change.get("note", "")),
            )
        )
    return items


def may_view_request(viewer: Actor, req: PowerChangeRequest) -> bool:
    if is_system(viewer):
        return True
    if pp.staff_id(viewer) == req.requested_by_id:
        return True
    return any(
        pp.in_scope(viewer, perm, req.division.code)
        for perm in ("powers.view", "powers.reform_review", "powers.approve")
    ) or viewer.has_permission("powers.edit", agency_id=req.agency_id)


def power_request_detail(*, viewer: Actor, pk: int) -> RequestView:
    req = (
        PowerChangeRequest.objects.select_related(
            "agency", "division", "power", "requested_by", "reviewed_by", "approved_by"
        )
        .filter(pk=pk)
        .first()
    )
    if req is None or not may_view_request(viewer, req):
        raise NotFound("调整申请不存在或您无权查看", code="power_request_not_found")
    code = req.division.code
    now = timezone.now()
    return RequestView(
        request=req,
        reason=reason_label(req.kind, req.reason),
        details=request_details(req),
        timeline=_timeline(req),
        can_review=pp.review_refusal(viewer, req, code) is None,
        can_decide=pp.decide_refusal(viewer, req, code) is None,
        can_withdraw=pp.withdraw_refusal(viewer, req) is None,
        resume_overdue=bool(
            req.resume_due_at
            and req.status == PowerChangeStatus.REFORM_APPROVED
            and now > req.resume_due_at
        ),
    )


def request_agencies_for(viewer: Actor) -> list[Agency]:
    """Agencies for which the viewer may file power-list requests."""
    qs = Agency.objects.filter(active=True).select_related("division").order_by("name")
    if not is_system(viewer):
        qs = qs.filter(pk__in=_agencies_with(viewer, "powers.edit"))
    return list(qs)


def delegate_targets(power: Power) -> list[Agency]:
    """Active agencies one division level below the power's division."""
    return list(
        Agency.objects.filter(active=True, division__parent_id=power.division_id)
        .select_related("division")
        .order_by("division__code", "name")
    )


# --- comments (R4.6) ------------------------------------------------------------------


def power_comments_for_viewer(
    *, viewer: Actor, status: str | None = PowerCommentStatus.PENDING, page: Any = 1
) -> Page:
    """Comments and complaints on the powers of the agencies where the viewer
    answers (powers.edit); the contact is shown masked by the template."""
    qs = PowerComment.objects.select_related("power", "power__agency", "replied_by").order_by(
        "created_at", "id"
    )
    if not is_system(viewer):
        qs = qs.filter(power__agency_id__in=_agencies_with(viewer, "powers.edit"))
    if status in PowerCommentStatus.values:
        qs = qs.filter(status=status)
    return paginate(qs, page)


def power_comment_for_viewer(*, viewer: Actor, pk: int) -> PowerComment:
    comment = (
        PowerComment.objects.select_related("power", "power__agency", "power__division")
        .filter(pk=pk)
        .first()
    )
    if comment is None or not (
        is_system(viewer)
        or viewer.has_permission("powers.edit", agency_id=comment.power.agency_id)
        or pp.in_scope(viewer, "powers.view", comment.power.division.code)
    ):
        raise NotFound("意见投诉不存在或您无权查看", code="comment_not_found")
    return comment


# --- violations (R4.5) ----------------------------------------------------------------

VIOLATION_KINDS: dict[str, str] = {
    "not_published": "清单未公布",
    "stale": "清单未及时更新",
    "no_flowchart": "缺少运行流程图",
    "no_duties": "缺少责任事项",
    "steps_mismatch": "办理环节未按内部流程图运行",
    "resume_overdue": "未在审核后按时恢复",
}


@dataclass
class Violation:
    kind: str
    power_id: int
    power_code: str
    power_name: str
    agency_name: str
    detail: str

    @property
    def label(self) -> str:
        return VIOLATION_KINDS[self.kind]


@dataclass
class ViolationReport:
    violations: list[Violation]
    counts: dict[str, int]
    checked: int
    settings: PowerSettings


def power_violations(
    *,
    viewer: Actor | None = None,
    now: Any = None,
    stale_days: int | None = None,
    basis_grace_days: int | None = None,
    kind: str | None = None,
) -> ViolationReport:
    """R4.5: the violations that show in the data, for every power in force in
    the viewer's scope (everything when ``viewer`` is None):

    - not_published: a non-secret power never published;
    - stale: not reviewed within ``stale_days`` (setting YIWANG_POWER_STALE_DAYS,
      365), or not updated within ``basis_grace_days`` after its legal basis
      changed (YIWANG_POWER_BASIS_GRACE_DAYS, 30);
    - no_flowchart: no steps, so no flowchart; no_duties: no responsibility items;
    - steps_mismatch: a published guide of the linked catalogue entry, in the
      power's own division, whose handling steps (StepSpec names, in order)
      are not the power's flowchart;
    - resume_overdue: a resume reviewed by the reform office but not in force
      within the set days (R4.3).

    Whether each case's recorded steps followed the flowchart is the case
    domain's to check once cases exist. Four queries whatever the size.
    """
    conf = power_settings()
    if stale_days is not None or basis_grace_days is not None:
        conf = PowerSettings(
            stale_days=conf.stale_days if stale_days is None else stale_days,
            basis_grace_days=conf.basis_grace_days
            if basis_grace_days is None
            else basis_grace_days,
            resume_days=conf.resume_days,
            comment_daily_limit=conf.comment_daily_limit,
        )
    now = now or timezone.now()
    scope = _division_scope(viewer, "powers.view") if viewer is not None else None
    qs = Power.objects.exclude(status=PowerStatus.CANCELLED).select_related("agency")
    if scope is not None:
        qs = qs.filter(scope)
    powers = list(
        qs.annotate(
            has_steps=Exists(PowerStep.objects.filter(power_id=OuterRef("pk"))),
            has_duties=Exists(Duty.objects.filter(power_id=OuterRef("pk"))),
        ).order_by("code")
    )
    found: list[Violation] = []

    def add(kind: str, p: Power, detail: str) -> None:
        found.append(Violation(kind, p.pk, p.code, p.name, p.agency.name, detail))

    for p in powers:
        if not p.secret and p.published_at is None:
            add("not_published", p, "审定后尚未向社会公布")
        reason = stale_reason(
            now=now,
            reviewed_at=p.reviewed_at,
            basis_changed_at=p.basis_changed_at,
            stale_days=conf.stale_days,
            basis_grace_days=conf.basis_grace_days,
        )
        if reason:
            add("stale", p, reason)
        if not p.has_steps:  # type: ignore[attr-defined]
            add("no_flowchart", p, "未录入运行环节，无法生成运行流程图")
        if not p.has_duties:  # type: ignore[attr-defined]
            add("no_duties", p, "未录入对应的责任事项和追责情形")

    linked = {p.pk: p for p in powers if p.entry_id and p.has_steps}  # type: ignore[attr-defined]
    if linked:
        flow: dict[int, list[str]] = {}
        for power_id, name in (
            PowerStep.objects.filter(power_id__in=list(linked))
            .order_by("power_id", "order", "id")
            .values_list("power_id", "name")
        ):
            flow.setdefault(power_id, []).append(name)
        entry_ids = {p.entry_id for p in linked.values()}
        # entry -> item -> (division, implementation code, step names)
        handling: dict[int, dict[int, tuple[int, str, list[str]]]] = {}
        for entry_id, item_id, division_id, code, name in (
            StepSpec.objects.filter(
                version__item__entry_id__in=entry_ids,
                version__status=VersionStatus.PUBLISHED,
            )
            .exclude(version__item__lifecycle=Lifecycle.CANCELLED)
            .order_by("version__item_id", "order", "id")
            .values_list(
                "version__item__entry_id",
                "version__item_id",
                "version__item__division_id",
                "version__item__implementation_code",
                "name",
            )
        ):
            rows = handling.setdefault(entry_id, {})
            rows.setdefault(item_id, (division_id, code, []))[2].append(name)
        for p in linked.values():
            # The implementations in the power's own division follow its
            # flowchart; other divisions answer to their own power lists.
            for division_id, code, names in handling.get(p.entry_id, {}).values():  # type: ignore[arg-type]
                if division_id == p.division_id and steps_differ(flow.get(p.pk, []), names):
                    add(
                        "steps_mismatch",
                        p,
                        f"实施清单 {code} 的办理环节为「{' → '.join(names)}」，"
                        f"与流程图「{' → '.join(flow.get(p.pk, []))}」不一致",
                    )

    overdue = PowerChangeRequest.objects.filter(
        kind=PowerChangeKind.RESUME,
        status=PowerChangeStatus.REFORM_APPROVED,
        resume_due_at__lt=now,
    ).select_related("power", "power__agency")
    if scope is not None:
        overdue = overdue.filter(scope)
    for req in overdue:
        if req.power is not None:
            add(
                "resume_overdue",
                req.power,
                f"审改办已于{timezone.localtime(req.reviewed_at):%Y-%m-%d %H:%M}审核同意恢复，"
                f"应于{timezone.localtime(req.resume_due_at):%Y-%m-%d %H:%M}前恢复",
            )

    order = list(VIOLATION_KINDS)
    found.sort(key=lambda v: (order.index(v.kind), v.power_code))
    counts = {k: 0 for k in VIOLATION_KINDS}
    for v in found:
        counts[v.kind] += 1
    if kind in VIOLATION_KINDS:
        found = [v for v in found if v.kind == kind]
    return ViolationReport(violations=found, counts=counts, checked=len(powers), settings=conf)


# --- sunshine lists (R4.7) ---------------------------------------------------------------


def fund_years(*, published_only: bool = True) -> list[int]:
    qs = FundList.objects.all()
    if published_only:
        qs = qs.filter(published=True)
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


def fund_list_public(
    *, year: int | None = None, agency_id: int | None = None, page: Any = 1
) -> tuple[Page, Decimal]:
    """The published special-fund list of a budget year and its total budget."""
    qs = FundList.objects.filter(published=True).select_related("agency", "division")
    if year:
        qs = qs.filter(year=year)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    total = qs.aggregate(total=Sum("budget"))["total"] or Decimal("0")
    return paginate(qs.order_by("-year", "agency__name", "project"), page), total


def relief_years(*, published_only: bool = True) -> list[int]:
    qs = ReliefList.objects.all()
    if published_only:
        qs = qs.filter(published=True)
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


def relief_list_public(
    *, year: int | None = None, division_code: str | None = None, page: Any = 1
) -> tuple[Page, dict[str, Any]]:
    """The published poverty-relief list, with its total funds and beneficiaries."""
    qs = ReliefList.objects.filter(published=True).select_related("agency", "division")
    if year:
        qs = qs.filter(year=year)
    if division_code:
        qs = qs.filter(division__code__startswith=subtree_prefix(division_code))
    totals = qs.aggregate(funds=Sum("funds"), beneficiaries=Sum("beneficiaries"))
    return paginate(qs.order_by("-year", "division__code", "project"), page), {
        "funds": totals["funds"] or Decimal("0"),
        "beneficiaries": totals["beneficiaries"] or 0,
    }


def _sunshine_scope(viewer: Actor) -> Q | None:
    if is_system(viewer):
        return None
    cond = Q(agency_id__in=_agencies_with(viewer, "sunshine.edit"))
    for p in scope_prefixes(viewer, "sunshine.edit") or []:
        cond |= Q(division__code__startswith=p) | Q(agency__division__code__startswith=p)
    return cond


def fund_list_for_editor(*, viewer: Actor, year: int | None = None, page: Any = 1) -> Page:
    qs = FundList.objects.select_related("agency", "division").order_by(
        "-year", "agency__name", "project"
    )
    scope = _sunshine_scope(viewer)
    if scope is not None:
        qs = qs.filter(scope)
    if year:
        qs = qs.filter(year=year)
    return paginate(qs, page)


def relief_list_for_editor(*, viewer: Actor, year: int | None = None, page: Any = 1) -> Page:
    qs = ReliefList.objects.select_related("agency", "division").order_by(
        "-year", "division__code", "project"
    )
    scope = _sunshine_scope(viewer)
    if scope is not None:
        qs = qs.filter(scope)
    if year:
        qs = qs.filter(year=year)
    return paginate(qs, page)


def sunshine_agencies_for(viewer: Actor) -> list[Agency]:
    """Agencies whose sunshine rows the viewer may keep (for form drop-downs)."""
    qs = (
        Agency.objects.filter(active=True)
        .select_related("division")
        .order_by("division__code", "name")
    )
    if is_system(viewer):
        return list(qs)
    cond = Q(pk__in=_agencies_with(viewer, "sunshine.edit"))
    for p in scope_prefixes(viewer, "sunshine.edit") or []:
        cond |= Q(division__code__startswith=p)
    return list(qs.filter(cond))


def fund_row_for_editor(*, viewer: Actor, pk: int) -> FundList:
    qs = FundList.objects.select_related("agency", "division").filter(pk=pk)
    scope = _sunshine_scope(viewer)
    row = (qs.filter(scope) if scope is not None else qs).first()
    if row is None:
        raise NotFound("该专项资金清单条目不存在或您无权维护", code="fund_not_found")
    return row


def relief_row_for_editor(*, viewer: Actor, pk: int) -> ReliefList:
    qs = ReliefList.objects.select_related("agency", "division").filter(pk=pk)
    scope = _sunshine_scope(viewer)
    row = (qs.filter(scope) if scope is not None else qs).first()
    if row is None:
        raise NotFound("该扶贫项目资金清单条目不存在或您无权维护", code="relief_not_found")
    return row
