"""Reads of the case domain (R5.7, R6.9): work queues scoped to the
viewer's agencies in one query, the case page, the applicant's own cases,
and why a case is due when it is."""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from typing import Any, NamedTuple

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Exists, Func, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.calendar import get_work_calendar
from yiwang.core.pagination import CappedPaginator
from yiwang.core.workdays import Deadline, Pause
from yiwang.domains.cases import policies
from yiwang.domains.cases.errors import NotFound, PermissionDenied
from yiwang.domains.cases.lifecycle import ENDED, Status
from yiwang.domains.cases.models import (
    AssistRequest,
    AssistStatus,
    Case,
    CaseDocument,
    CaseEvent,
    CaseMaterial,
    CaseStep,
    ClockPause,
    CorrectionNotice,
    Notification,
    SpecialProcedure,
    StepStatus,
)
from yiwang.domains.orgs.models import RoleGrant

PER_PAGE = 20

QUEUES: dict[str, str] = {
    "intake": "待受理",
    "correcting": "待补正",
    "handling": "审查中",
    "due_soon": "即将超时",
    "overdue": "已超时",
    "assist": "协办",
}

OPEN_STATUSES = [s.value for s in Status if s not in ENDED and s != Status.DRAFT]


def due_soon_days() -> int:
    return int(getattr(settings, "YIWANG_DUE_SOON_DAYS", 2))


def viewer_agency_ids(viewer: Actor, permission: str = "cases.view") -> list[int] | None:
    """Agencies whose cases the viewer sees; None for the platform itself."""
    if viewer.actor_ref().kind == "system":
        return None
    agencies_with = getattr(viewer, "agencies_with", None)
    if agencies_with is None:
        return []
    ids: list[int] = agencies_with(permission)
    return ids


def _scoped(viewer: Actor) -> QuerySet[Case]:
    ids = viewer_agency_ids(viewer)
    qs = Case.objects.exclude(status=Status.DRAFT)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    return qs


# A case number is "<6-digit division code>-<date>-<serial>": input that
# starts like one is looked up by prefix on the number's index instead of a
# substring scan of every case of the agency (titles and names hold no such text).
_NUMBER_PREFIX = re.compile(r"\d{6}(?:-[\d-]*)?")


def _search(qs: QuerySet[Case], q: str | None) -> QuerySet[Case]:
    text = " ".join((q or "").split())[:64]
    if not text:
        return qs
    if _NUMBER_PREFIX.fullmatch(text):
        qs = qs.filter(number__startswith=text)
        if connection.vendor == "sqlite":
            # SQLite's LIKE ignores case and so never uses an index; the same
            # prefix as a range of the (binary-ordered) number does, once the
            # planner is told the range is narrow (it guesses a quarter of the
            # table and prefers the agency's index). Not on PostgreSQL, whose
            # ordering depends on the collation (the varchar_pattern_ops index
            # serves LIKE there).
            narrow = Func(
                Q(number__gte=text),
                function="likelihood",
                # SQLite wants the probability as a literal, not a parameter.
                template="%(function)s(%(expressions)s, 0.0001)",
                output_field=BooleanField(),
            )
            qs = qs.filter(narrow, number__lt=text[:-1] + chr(ord(text[-1]) + 1))
        return qs
    return qs.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(applicant_name=text))


def _assist_qs(viewer: Actor) -> QuerySet[AssistRequest]:
    ids = viewer_agency_ids(viewer, "cases.assist")
    qs = AssistRequest.objects.filter(status=AssistStatus.OPEN).select_related(
        "case", "from_agency", "to_agency"
    )
    if ids is not None:
        qs = qs.filter(to_agency_id__in=ids)
    return qs.order_by("due_on", "pk")


def _step_roles(viewer: Actor, staff_id: int) -> dict[int, frozenset[str]]:
    """The role codes the viewer holds at each agency, read once per viewer
    object (a request's queue page and its tab counts share it)."""
    cached: dict[int, frozenset[str]] | None = getattr(viewer, "_step_roles_cache", None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        for agency_id, code in RoleGrant.objects.filter(staff_id=staff_id).values_list(
            "agency_id", "role__code"
        ):
            roles.setdefault(agency_id, set()).add(code)
        cached = {a: frozenset(codes) for a, codes in roles.items()}
        with contextlib.suppress(AttributeError):  # an actor without a __dict__
            viewer._step_roles_cache = cached  # type: ignore[attr-defined]
    return cached


def _my_active_step(viewer: Actor, agency_ids: list[int]) -> Q:
    """Cases (of ``agency_ids``, the viewer's) whose active step the viewer
    holds, or may claim: its role granted to the viewer at the case's agency.

    The roles are known before the query, so each group of agencies with the
    same roles gets one EXISTS with the codes as literals: the planner then
    probes the active-step index once per candidate case, where a subquery on
    the grants per case made it hash every active step of the province."""
    ref = viewer.actor_ref()
    staff_id = int(ref.id) if ref.kind == "staff" and ref.id.isdigit() else 0
    held = _step_roles(viewer, staff_id)
    groups: dict[frozenset[str], list[int]] = {}
    for agency_id in agency_ids:
        groups.setdefault(held.get(agency_id, frozenset()), []).append(agency_id)
    active = CaseStep.objects.filter(case=OuterRef("pk"), status=StepStatus.ACTIVE)
    found = Q(pk__in=[])
    for roles, agencies in groups.items():
        mine = Q(assignee_id=staff_id)
        if roles:
            mine |= Q(assignee__isnull=True, role_code__in=sorted(roles))
        match = Q(Exists(active.filter(mine)))
        if len(groups) == 1:
            # The usual case (one agency, or the same roles at each): the
            # queue is already scoped to these agencies.
            return match
        found |= Q(agency_id__in=agencies) & match
    return found


def _status_is(*statuses: Status) -> Q:
    """``status = a OR status = b``, as the queue indexes' conditions are
    written: SQLite uses a partial index only when the query repeats its
    condition, and compares a bound value with the condition's literal only
    in this form (not inside an IN list)."""
    return reduce(operator.or_, (Q(status=s.value) for s in statuses))


def _case_queue_qs(viewer: Actor, queue: str) -> QuerySet[Case]:
    today = timezone.localdate()
    qs = _scoped(viewer)
    running = _status_is(Status.HANDLING, Status.DECIDED)
    if queue == "intake":
        qs = qs.filter(_status_is(Status.SUBMITTED, Status.PREREVIEWED))
        qs = qs.order_by("submitted_at", "pk")
    elif queue == "correcting":
        qs = qs.filter(_status_is(Status.CORRECTING, Status.SUPPLEMENTING))
        qs = qs.order_by("updated_at", "pk")
    elif queue == "handling":
        qs = qs.filter(running)
        ids = viewer_agency_ids(viewer)
        if ids is not None:
            qs = qs.filter(_my_active_step(viewer, ids))
        qs = qs.order_by("promised_due", "pk")
    elif queue == "due_soon":
        horizon = get_work_calendar().add_working_days(today, due_soon_days())
        qs = qs.filter(running, promised_due__gte=today, promised_due__lte=horizon)
        qs = qs.order_by("promised_due", "pk")
    elif queue == "overdue":
        qs = qs.filter(running, promised_due__lt=today)
        qs = qs.order_by("promised_due", "pk")
    else:
        raise NotFound("没有这个工作队列", code="case_not_found")
    return qs.select_related("agency")


def _queue_qs(viewer: Actor, queue: str) -> QuerySet[Any]:
    if queue == "assist":
        return _assist_qs(viewer)
    return _case_queue_qs(viewer, queue)


def case_queue(viewer: Actor, queue: str, *, q: str | None = None, page: Any = 1) -> Page:
    """A page of one work queue (待受理, 待补正, 审查中, 即将超时, 已超时,
    协办), scoped to the viewer's agencies: the count and the rows, one
    query each (R2.2)."""
    qs = _queue_qs(viewer, queue)
    if queue != "assist":
        qs = _search(qs, q)
    return CappedPaginator(qs, PER_PAGE).get_page(page)


def queue_counts(viewer: Actor, *, cap: int = 999) -> dict[str, int]:
    """How many cases each queue holds, capped (a queue past the cap shows
    "999+"): one query per queue, each stopping at the cap."""
    return {
        name: len(_queue_qs(viewer, name).order_by().values_list("pk", flat=True)[: cap + 1])
        for name in QUEUES
    }


def case_search(
    viewer: Actor, *, q: str | None = None, status: str | None = None, page: Any = 1
) -> Page:
    """Every case of the viewer's agencies, newest first, filtered."""
    qs = _search(_scoped(viewer), q)
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("agency").order_by("-submitted_at", "-pk")
    return CappedPaginator(qs, PER_PAGE).get_page(page)


def _detail_qs() -> QuerySet[Case]:
    return Case.objects.select_related(
        "agency", "division", "item", "version", "version__entry_version", "parent", "bundle"
    ).prefetch_related(
        Prefetch("steps", queryset=CaseStep.objects.select_related("assignee").order_by("order")),
        Prefetch(
            "materials",
            queryset=CaseMaterial.objects.filter(replaced=False).order_by("code", "pk"),
        ),
        Prefetch(
            "events", queryset=CaseEvent.objects.select_related("document").order_by("at", "pk")
        ),
        Prefetch("documents", queryset=CaseDocument.objects.order_by("issued_at", "pk")),
        Prefetch("pauses", queryset=ClockPause.objects.order_by("started_on", "pk")),
        Prefetch(
            "special_procedures",
            queryset=SpecialProcedure.objects.prefetch_related("attachments").order_by(
                "started_on", "pk"
            ),
        ),
        Prefetch("corrections", queryset=CorrectionNotice.objects.order_by("-issued_at", "-pk")),
        Prefetch(
            "assist_requests",
            queryset=AssistRequest.objects.select_related("to_agency").order_by("asked_at"),
        ),
        Prefetch("parts", queryset=Case.objects.select_related("agency").order_by("pk")),
    )


def case_for_staff(viewer: Actor, number: str) -> Case:
    """The case page for staff of its agency (or of an agency asked to assist)."""
    case = _detail_qs().filter(number=number).first()
    if case is None:
        raise NotFound(f"办件 {number} 不存在", code="case_not_found")
    ids = viewer_agency_ids(viewer)
    if ids is not None and case.agency_id not in ids:
        assist_ids = viewer_agency_ids(viewer, "cases.assist") or []
        parts = {p.agency_id for p in case.parts.all()}
        asked = {r.to_agency_id for r in case.assist_requests.all()}
        if not (set(assist_ids) & asked) and not (set(ids) & parts):
            raise PermissionDenied("您无权查看该办件", code="case_forbidden")
    return case


def case_for_agency_system(client: Actor, number: str) -> Case:
    """The case as an agency's business system sees it through the API
    (R1.4): only cases of the system's own agency."""
    case = _detail_qs().filter(number=number).first()
    if case is None:
        raise NotFound(f"办件 {number} 不存在", code="case_not_found")
    if not client.has_permission("cases.view", agency_id=case.agency_id):
        raise PermissionDenied("只能查询和办理本单位的办件", code="case_forbidden")
    return case


def case_for_applicant(user: Any, number_or_id: str | int) -> Case:
    """The applicant's own case (by number, or a draft by id)."""
    qs = _detail_qs().filter(applicant=user)
    if isinstance(number_or_id, int) or str(number_or_id).isdigit():
        case = qs.filter(pk=int(number_or_id)).first()
    else:
        case = qs.filter(number=number_or_id).first()
    if case is None:
        raise NotFound("办件不存在", code="case_not_found")
    return case


def cases_of_applicant(user: Any, *, page: Any = 1, drafts: bool = True) -> Page:
    """ "My cases", newest first (R5.7); bundle parts are shown in their parent."""
    qs = Case.objects.filter(applicant=user, parent__isnull=True).select_related("agency")
    if not drafts:
        qs = qs.exclude(status=Status.DRAFT)
    return Paginator(qs.order_by("-created_at", "-pk"), PER_PAGE).get_page(page)


def public_events(case: Case) -> list[CaseEvent]:
    return [e for e in case.events.all() if e.public]


def notifications_of(user: Any, *, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user=user).select_related("case")[:limit])


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@dataclass
class ClockView:
    promised: Deadline | None
    statutory: Deadline | None

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.promised is not None:
            out.append("承诺办结时限：")
            out += self.promised.explain()
        if self.statutory is not None:
            out.append("法定办结时限：")
            out += self.statutory.explain()
        return out


def case_clock(case: Case) -> ClockView:
    """Why the case is due when it is (the case page's explanation)."""
    if case.accepted_on is None:
        return ClockView(None, None)
    cal = get_work_calendar()
    pauses = [Pause(p.started_on, p.ended_on, p.reason) for p in case.pauses.all()]
    promised = statutory = None
    if case.promised_limit is not None:
        promised = cal.deadline(
            case.accepted_on, case.promised_limit, pauses, natural_days=case.promised_natural
        )
    if case.statutory_limit is not None:
        statutory = cal.deadline(
            case.accepted_on,
            case.statutory_limit + case.extension_days,
            pauses,
            natural_days=case.statutory_natural,
        )
    return ClockView(promised, statutory)


def case_actions(viewer: Actor, case: Case) -> list[str]:
    """The actions the viewer may take now (for buttons); the services still
    decide."""
    acts: list[str] = []
    status = Status(case.status)
    if status in (Status.SUBMITTED, Status.PREREVIEWED) and policies.may(
        viewer, "cases.accept", case
    ):
        acts += ["accept", "request_correction", "refuse", "return"]
        if status == Status.SUBMITTED and case.needs_presence:
            acts.append("prereview")
    if status == Status.CORRECTING and policies.may(viewer, "cases.accept", case):
        acts.append("return")
    active = next((s for s in case.steps.all() if s.status == StepStatus.ACTIVE), None)
    if active is not None and policies.holds_step(viewer, case, active):
        open_special = any(p.ended_on is None for p in case.special_procedures.all())
        if active.assignee_id is None:
            acts.append("claim")
        if status == Status.HANDLING:
            if active.code == "decide":
                acts.append("decide")
            elif active.code != "deliver":
                acts += ["complete_step", "request_correction"]
            if open_special:
                acts.append("finish_special")
            elif active.code != "deliver":
                acts.append("start_special")
        if status == Status.DECIDED:
            acts.append("deliver" if active.code == "deliver" else "complete_step")
    if status == Status.HANDLING and policies.may(viewer, "cases.handle", case):
        acts.append("assist")
        if case.kind in ("single", "joint") and case.decided_at is None:
            acts.append("forward")
    if status in (Status.HANDLING, Status.SUPPLEMENTING) and policies.may(
        viewer, "cases.extend", case
    ):
        acts.append("extend")
    if active is not None and policies.may(viewer, "cases.assign", case):
        acts.append("assign")
    # A joint part gives its opinion to the lead, never to the applicant; a
    # bundle's parent is handled through its parts.
    if case.kind == "joint_part":
        acts = [
            a
            for a in acts
            if a not in ("request_correction", "start_special", "extend", "forward", "assist")
        ]
    elif case.kind == "bundle":
        acts = [a for a in acts if a not in ("assist", "extend", "request_correction", "forward")]
    return list(dict.fromkeys(acts))


def overdue_assists(viewer: Actor, today: dt.date | None = None) -> list[AssistRequest]:
    """Open assist requests past their deadline that the viewer's agencies asked."""
    today = today or timezone.localdate()
    ids = viewer_agency_ids(viewer)
    qs = AssistRequest.objects.filter(status=AssistStatus.OPEN, due_on__lt=today)
    if ids is not None:
        qs = qs.filter(from_agency_id__in=ids)
    return list(qs.select_related("case", "to_agency").order_by("due_on"))


def step_assignees(case: Case, step: CaseStep) -> list[Any]:
    """Active staff who hold ``step``'s role at the case's agency (the
    console's 分派 choices; the service checks again)."""
    from yiwang.domains.orgs.models import Staff

    return list(
        Staff.objects.filter(
            Q(grants__step_code="") | Q(grants__step_code=step.code),
            active=True,
            grants__agency_id=case.agency_id,
            grants__role__code=step.role_code,
        )
        .distinct()
        .order_by("name", "pk")
    )


def assist_agencies(case: Case) -> list[Any]:
    """Agencies the case's agency may ask for an opinion (R6.3): every
    active implementing agency but itself."""
    from yiwang.domains.orgs.models import Agency, AgencyKind

    return list(
        Agency.objects.filter(active=True)
        .exclude(pk=case.agency_id)
        .exclude(kind=AgencyKind.MANAGEMENT)
        .select_related("division")
        .order_by("division__code", "name")
    )


# --- 一件事 (R6.5) -----------------------------------------------------------------------


def bundle_draft_of(user: Any, bundle_id: int) -> Case | None:
    """The applicant's latest unsubmitted 一件事 application of this bundle
    (the apply page resumes it), with its uploaded files."""
    return (
        Case.objects.filter(applicant=user, kind="bundle", bundle_id=bundle_id, status=Status.DRAFT)
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=CaseMaterial.objects.filter(replaced=False).order_by("pk"),
            )
        )
        .order_by("-pk")
        .first()
    )


def case_by_idempotency_key(user: Any, key: str) -> Case | None:
    """The applicant's case submitted with this key (a repeated submission
    goes to it instead of starting again)."""
    key = (key or "").strip()[:64]
    if not key:
        return None
    return Case.objects.filter(applicant=user, idempotency_key=key).first()


# --- supervision: cases near or past their deadline ----------------------------------------


class NearDeadline(NamedTuple):
    """One open case whose promised or statutory deadline is near or past:
    what a supervisor needs to act on it. A tuple: a scan makes a million."""

    case_id: int
    number: str
    agency_id: int
    agency_name: str
    status: str
    which: str  # "promised" (承诺) or "statutory" (法定): the deadline that comes first
    due: dt.date
    days_left: int  # working days left; negative: working days overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


# The statuses whose clock runs (the ``case_open_*_due`` partial indexes name
# the same list, so the planner can use them).
CLOCK_RUNNING = [Status.HANDLING.value, Status.DECIDED.value]


def _working_day_index(cal: Any) -> tuple[dt.date, list[int]]:
    """(first day, working days counted up to each day) over the loaded years:
    working days between two dates is then a subtraction."""
    years = sorted(cal.years)
    first = dt.date(years[0], 1, 1)
    last = dt.date(years[-1], 12, 31)
    counts: list[int] = []
    n = 0
    day = first
    while day <= last:
        if day.year in cal.years and cal.is_working_day(day):
            n += 1
        counts.append(n)
        day += dt.timedelta(days=1)
    return first, counts


def cases_near_deadline(
    viewer: Actor,
    *,
    within: int | None = None,
    today: dt.date | None = None,
    chunk_size: int = 5000,
) -> Iterator[NearDeadline]:
    """Every case whose clock runs (办理中, 已决定待送达) and whose promised or
    statutory deadline falls within ``within`` working days from ``today``
    (default: the 即将超时 setting) or has passed, in the viewer's agencies
    (all for the platform). Streams rows from the database in chunks, so a
    province's million open cases never sit in memory at once; in no
    particular order. A case whose clock is stopped (correction, special
    procedure) is not listed: its due date is not known until it runs again."""
    today = today or timezone.localdate()
    days = due_soon_days() if within is None else max(0, int(within))
    cal = get_work_calendar()
    horizon = cal.add_working_days(today, days)
    qs = Case.objects.filter(status__in=CLOCK_RUNNING, clock_paused=False).filter(
        Q(promised_due__lte=horizon) | Q(statutory_due__lte=horizon)
    )
    ids = viewer_agency_ids(viewer)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    from yiwang.domains.orgs.models import Agency

    names = dict(Agency.objects.values_list("pk", "name"))
    first, counts = _working_day_index(cal)

    def working_days(a: dt.date, b: dt.date) -> int:
        """Working days in (a, b], negative when b < a."""
        i, j = (a - first).days, (b - first).days
        if 0 <= i < len(counts) and 0 <= j < len(counts):
            return counts[j] - counts[i]
        return cal.working_days_between(a, b)  # type: ignore[no-any-return]

    rows = qs.values_list(
        "pk", "number", "agency_id", "status", "promised_due", "statutory_due"
    ).iterator(chunk_size=chunk_size)
    for pk, number, agency_id, status, promised, statutory in rows:
        if statutory is not None and (promised is None or statutory < promised):
            which, due = "statutory", statutory
        elif promised is not None:
            which, due = "promised", promised
        else:  # the filter lets no such row through
            continue
        yield NearDeadline(
            case_id=pk,
            number=number or "",
            agency_id=agency_id,
            agency_name=names.get(agency_id, ""),
            status=status,
            which=which,
            due=due,
            days_left=working_days(today, due),
        )
