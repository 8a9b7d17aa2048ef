"""The supervision scan ``cases_near_deadline``: open cases whose clock runs
and whose deadline is near or past, scoped to the viewer, streamed."""

from __future__ import annotations

import types
from typing import Any

from yiwang.core.actors import SYSTEM
from yiwang.core.calendar import get_work_calendar
from yiwang.domains.cases import selectors, services
from yiwang.domains.cases.models import Case
from yiwang.domains.cases.tests.test_services import accepted, fresh, submitted


def _scan(viewer: Any, **kw: Any) -> dict[str, selectors.NearDeadline]:
    return {row.number: row for row in selectors.cases_near_deadline(viewer, **kw)}


def test_near_and_past_deadline_in_working_days(case_world):
    """R6.4, R10.1, R10.2: a handling case shows up once its promised
    deadline is within the window (counted in working days on the calendar)
    and stays, with negative days, once it is past; the scan is a stream."""
    w = case_world
    case = accepted(w)
    cal = get_work_calendar()
    due = case.promised_due
    assert due is not None and case.statutory_due is not None and case.statutory_due > due

    stream = selectors.cases_near_deadline(SYSTEM, within=2, today=case.accepted_on)
    assert isinstance(stream, types.GeneratorType)
    assert case.number not in {r.number for r in stream}  # 5 working days left

    two_before = max(d for d in _days_before(due, 4) if cal.working_days_between(d, due) == 2)
    row = _scan(SYSTEM, within=2, today=two_before)[case.number]
    assert (row.case_id, row.agency_id, row.which, row.due) == (
        case.pk,
        w.lx_scj.pk,
        "promised",
        due,
    )
    assert row.agency_name == w.lx_scj.name and row.status == "handling"
    assert row.days_left == 2 and not row.overdue

    after = cal.add_working_days(due, 3)
    row = _scan(SYSTEM, within=2, today=after)[case.number]
    assert row.days_left == -3 and row.overdue


def test_only_running_clocks_in_the_viewers_agencies(case_world):
    """R10.1, R2.2: cases not yet accepted, concluded, or with the clock
    stopped for a correction are not listed; staff see their own agencies'
    cases only, the platform sees all."""
    w = case_world
    running = accepted(w)
    waiting = submitted(w)
    paused = accepted(w)
    services.case_request_correction(
        actor=fresh(w.reviewer),
        case_id=paused.pk,
        lines=[{"code": "application", "problem": "签字不清楚"}],
    )
    assert Case.objects.get(pk=paused.pk).clock_paused
    far = get_work_calendar().add_working_days(running.statutory_due, 5)

    seen = _scan(SYSTEM, within=0, today=far)
    assert running.number in seen
    assert waiting.number not in seen and paused.number not in seen
    assert running.number in _scan(fresh(w.clerk), within=0, today=far)
    assert _scan(fresh(w.outsider), within=0, today=far) == {}


def _days_before(day: Any, n: int) -> list[Any]:
    import datetime as dt

    return [day - dt.timedelta(days=k) for k in range(1, n + 3)]
