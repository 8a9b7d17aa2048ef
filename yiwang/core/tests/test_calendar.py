"""The calendar table: defining, replacing and loading years (R6.4, R10.2; only
with calendar.edit: R2.2; every edit audited: R14.3, R14.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.core.calendar import (
    calendar_days_of_year,
    calendar_year_define,
    calendar_year_load_from_package,
    calendar_years_summary,
    get_work_calendar,
)
from yiwang.core.errors import CalendarYearNotLoaded, PermissionDenied, ValidationFailed
from yiwang.core.models import AuditEntry, CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = dt.date

# The 2027 schedule as an administrator would type it (illustrative, not official).
DAYS_2027 = [
    (D(2027, 1, 1), False, "元旦"),
    (D(2027, 2, 6), False, "春节"),
    (D(2027, 2, 7), False, "春节"),
    (D(2027, 2, 8), False, "春节"),
    (D(2027, 2, 9), False, "春节"),
    (D(2027, 2, 10), False, "春节"),
    (D(2027, 2, 11), False, "春节"),
    (D(2027, 2, 12), False, "春节"),
    (D(2027, 2, 14), True, "春节调休上班"),
]


def test_define_year_and_compute_deadlines(admin):
    """A centre administrator defines 2027 by hand; 2027 deadlines become computable."""
    with pytest.raises(CalendarYearNotLoaded):
        get_work_calendar().add_working_days(D(2027, 2, 4), 3)
    calendar_year_define(actor=admin, year=2027, days=DAYS_2027, note="国办发明电〔2026〕X号")
    cal = get_work_calendar()
    # Thu 02-04 +1 = Fri 02-05; 02-06..12 holiday; Sun 02-14 make-up; Mon 02-15.
    assert cal.add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 15)
    assert cal.is_working_day(D(2027, 2, 14))
    assert not cal.is_working_day(D(2027, 1, 1))
    summary = calendar_years_summary()
    assert [(s.year, s.holidays, s.makeup_days, s.source) for s in summary] == [
        (2027, 8, 1, "manual")
    ]


def test_load_2026_from_package(admin):
    """Seeded from chinese-calendar: the acceptance facts hold through the table."""
    calendar_year_load_from_package(actor=admin, year=2026)
    cal = get_work_calendar()
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.is_working_day(D(2026, 10, 10))
    assert cal.deadline(D(2026, 9, 30), 5).due == D(2026, 10, 13)
    assert CalendarYear.objects.get(year=2026).source == "package"
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).is_working_day


def test_load_is_idempotent(admin):
    """Loading a year a second time changes nothing and appends no audit entry."""
    calendar_year_load_from_package(actor=admin, year=2026)
    entries = AuditEntry.objects.count()
    days = list(CalendarDay.objects.values_list("date", "is_working_day", "name"))
    calendar_year_load_from_package(actor=SYSTEM, year=2026)
    assert AuditEntry.objects.count() == entries
    assert list(CalendarDay.objects.values_list("date", "is_working_day", "name")) == days


def test_year_beyond_the_package_is_a_clear_error(admin):
    with pytest.raises(ValidationFailed) as info:
        calendar_year_load_from_package(actor=admin, year=2027)
    assert info.value.code == "calendar_year_not_in_package"
    assert "2004—2026" in info.value.message
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_permission_is_required(clerk):
    """R2.2: an actor without calendar.edit changes nothing."""
    with pytest.raises(PermissionDenied) as info:
        calendar_year_define(actor=clerk, year=2027, days=DAYS_2027)
    assert info.value.message == "只有政务服务中心管理员可以维护工作日历"
    with pytest.raises(PermissionDenied):
        calendar_year_load_from_package(actor=clerk, year=2026)
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize(
    ("year", "days", "message"),
    [
        (1999, [], "年份应在2000年至2100年之间"),
        (2027, [(D(2026, 12, 31), False, "跨年")], "2026-12-31 不属于2027年"),
        (
            2027,
            [(D(2027, 1, 1), False, "元旦"), (D(2027, 1, 1), False, "元旦")],
            "2027-01-01 重复出现",
        ),
        (
            2027,
            [(D(2027, 1, 4), True, "调休上班")],
            "2027-01-04 是周一至周五，本来就是工作日，不能设为调休上班",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_stored(admin, year, days, message):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as info:
        calendar_year_define(actor=admin, year=year, days=days)
    assert info.value.message == message
    assert not CalendarYear.objects.exists()
    assert AuditEntry.objects.count() == before


def test_replacing_a_year_removes_stale_days_and_audits_each_change(admin):
    calendar_year_define(actor=admin, year=2027, days=DAYS_2027)
    first = AuditEntry.objects.order_by("-id").first()
    assert first is not None and first.action == "core.calendar_year_define"
    assert get_work_calendar().add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 15)

    # The State Council moved the make-up day and shortened the holiday.
    revised = [*DAYS_2027[:6], (D(2027, 2, 13), True, "春节调休上班")]
    calendar_year_define(actor=admin, year=2027, days=revised)
    assert [d.date for d in calendar_days_of_year(2027)] == [d for d, _, _ in revised]
    new = AuditEntry.objects.filter(id__gt=first.id).order_by("id")
    actions = [(e.action, e.object_id) for e in new]
    assert actions == [
        ("core.calendar_day_remove", "2027-02-11"),
        ("core.calendar_day_remove", "2027-02-12"),
        ("core.calendar_day_remove", "2027-02-14"),
        ("core.calendar_day_set", "2027-02-13"),
        ("core.calendar_year_define", "2027"),
    ]
    assert all(e.actor_label == "中心管理员" for e in new)
    # The cache follows at once: 02-11 and 02-12 work now, 02-14 (Sunday) rests.
    cal = get_work_calendar()
    assert cal.is_working_day(D(2027, 2, 12))
    assert cal.is_working_day(D(2027, 2, 13))
    assert not cal.is_working_day(D(2027, 2, 14))
    assert cal.add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 12)
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_cache_is_reread_after_another_process_edits(admin):
    """The per-process cache notices an edit made by another process: the
    service stamps loaded_at anew, which this process sees on its next read
    (in its next transaction: real commits here)."""
    calendar_year_define(actor=admin, year=2027, days=DAYS_2027)
    assert get_work_calendar().is_working_day(D(2027, 2, 14))
    # What another process's define leaves in the database (this process's own
    # invalidation does not run).
    CalendarDay.objects.filter(date=D(2027, 2, 14)).delete()
    CalendarYear.objects.filter(year=2027).update(loaded_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert not get_work_calendar().is_working_day(D(2027, 2, 14))


def test_checked_once_per_transaction_and_after_an_edit_in_it(admin):
    """R6.4: within one transaction (a case service computing several due
    dates) the calendar's freshness is checked once; an edit made in that
    transaction is seen at once."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    def checks(queries: CaptureQueriesContext) -> int:
        return sum(
            1
            for q in queries.captured_queries
            if 'MAX("core_calendaryear"."loaded_at")' in q["sql"]
        )

    calendar_year_define(actor=admin, year=2027, days=DAYS_2027)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert get_work_calendar().is_working_day(D(2027, 2, 14))
        assert checks(queries) == 1
        calendar_year_define(
            actor=admin, year=2027, days=[d for d in DAYS_2027 if d[0] != D(2027, 2, 14)]
        )
        assert not get_work_calendar().is_working_day(D(2027, 2, 14))
