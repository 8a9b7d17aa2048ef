"""Working-day arithmetic and the deadline clock behind the time limits of R6.4
and their supervision (R10.2); Administrative Licensing Law Art. 42, 45, 82.
Pure: the calendar is built from the package."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.core.errors import CalendarYearNotLoaded, ValidationFailed
from yiwang.core.workdays import (
    DayInfo,
    Pause,
    WorkCalendar,
    exceptions_from_package,
    package_years,
)

D = dt.date
YEARS = (2024, 2025, 2026)


def _package_calendar() -> WorkCalendar:
    exceptions: dict[dt.date, DayInfo] = {}
    for y in YEARS:
        exceptions.update(exceptions_from_package(y))
    return WorkCalendar(frozenset(YEARS), exceptions)


CAL = _package_calendar()


# --- the acceptance facts ------------------------------------------------------


def test_one_working_day_after_national_day_eve():
    """Issue 2 acceptance: add_working_days(2026-09-30, 1) is 2026-10-08."""
    assert CAL.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_make_up_days_are_working_days():
    """Issue 2 acceptance: 2026-10-10 (Saturday) and 2026-09-20 (Sunday) are make-up days."""
    assert D(2026, 10, 10).weekday() == 5
    assert CAL.is_working_day(D(2026, 10, 10))
    assert CAL.is_working_day(D(2026, 9, 20))
    assert not CAL.is_working_day(D(2026, 10, 11))
    assert not CAL.is_working_day(D(2026, 10, 5))  # a Monday inside the holiday
    assert CAL.is_working_day(D(2026, 10, 12))


def test_five_day_limit_from_national_day_eve():
    """Art. 82: 10-08, 10-09, 10-10 (make-up), 10-12, 10-13."""
    d = CAL.deadline(D(2026, 9, 30), 5)
    assert d.due == D(2026, 10, 13)
    assert [s.day for s in d.steps if s.kind in ("counted", "makeup")] == [
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
        D(2026, 10, 12),
        D(2026, 10, 13),
    ]


def test_pause_of_three_working_days():
    """Art. 45: a special procedure 2026-10-12..14 holds the clock for 3 working days."""
    pause = Pause(D(2026, 10, 12), D(2026, 10, 14), "专家评审")
    d = CAL.deadline(D(2026, 9, 30), 5, [pause])
    assert d.due == D(2026, 10, 16)
    assert d.paused_days(0) == 3


def test_explain_names_holidays_make_up_days_and_pauses():
    """The clock explains its date in Chinese: skipped holidays by name, counted
    make-up days, and pauses counted in working days."""
    pause = Pause(D(2026, 10, 12), D(2026, 10, 14), "专家评审")
    lines = CAL.deadline(D(2026, 9, 30), 5, [pause]).explain()
    assert lines == [
        "起算日 2026-09-30（当日不计入），时限 5 个工作日。",
        "不计入：2026-10-01 至 2026-10-07 国庆节（7 天）。",
        "不计入：2026-10-11 休息日（1 天）。",
        "计入：2026-10-10（星期六）国庆节调休上班，为工作日。",
        "暂停计时：2026-10-12 至 2026-10-14（专家评审），期间 3 个工作日不计入。",
        "截止日 2026-10-16。",
    ]


def test_explain_pause_over_a_weekend_counts_only_working_days():
    pause = Pause(D(2026, 6, 5), D(2026, 6, 8), "补齐补正")  # Fri..Mon
    d = CAL.deadline(D(2026, 6, 1), 10, [pause])
    assert d.paused_days(0) == 2
    assert d.due == CAL.add_working_days(D(2026, 6, 1), 12)
    assert "暂停计时：2026-06-05 至 2026-06-08（补齐补正），期间 2 个工作日不计入。" in d.explain()


def test_open_pause_has_no_due_date_yet():
    """R6.4: while a correction is open the due date is unknown, and says so."""
    d = CAL.deadline(D(2026, 3, 2), 5, [Pause(D(2026, 3, 5), None, "补齐补正")])
    assert d.due is None
    assert d.counted == 2
    assert d.explain()[-2:] == [
        "暂停计时：2026-03-05 起至今（补齐补正），尚未结束。",
        "计时暂停中：已计 2 个工作日，尚余 3 个工作日，恢复后重新计算截止日。",
    ]


def test_pause_after_the_limit_changes_nothing():
    """R6.4: a pause opened after the limit ran out changes nothing."""
    late = Pause(D(2026, 4, 1), None, "补齐补正")
    d = CAL.deadline(D(2026, 3, 2), 5, [late])
    assert d.due == D(2026, 3, 9)
    assert not any("暂停" in line for line in d.explain())


def test_unloaded_year_is_refused_in_chinese():
    """Issue 2: a deadline in a year nobody loaded is refused, never guessed."""
    with pytest.raises(CalendarYearNotLoaded) as info:
        CAL.add_working_days(D(2026, 12, 28), 10)
    assert info.value.year == 2027
    assert "2027年的工作日历尚未载入" in info.value.message
    with pytest.raises(CalendarYearNotLoaded):
        CAL.is_working_day(D(2027, 1, 4))
    with pytest.raises(CalendarYearNotLoaded):
        CAL.add_working_days(D(2027, 1, 4), 0)
    with pytest.raises(CalendarYearNotLoaded):
        CAL.deadline(D(2026, 12, 20), 20, natural_days=True)


def test_negative_budget_and_inverted_pause_are_refused():
    """R6.4: nonsense input is refused in Chinese."""
    with pytest.raises(ValidationFailed):
        CAL.add_working_days(D(2026, 3, 2), -1)
    with pytest.raises(ValidationFailed):
        CAL.deadline(D(2026, 3, 2), 3, [Pause(D(2026, 3, 5), D(2026, 3, 4), "x")])


def test_working_days_between():
    """R10.2: elapsed working days, as supervision measures them."""
    assert CAL.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert CAL.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert CAL.working_days_between(D(2026, 10, 1), D(2026, 10, 1)) == 0
    assert CAL.next_working_day(D(2026, 9, 30)) == D(2026, 10, 8)


def test_natural_days_move_off_a_holiday():
    """Natural-day limits count every day; a due date on a holiday moves on."""
    d = CAL.deadline(D(2026, 9, 24), 7, natural_days=True)
    assert d.due == D(2026, 10, 8)  # 10-01 is National Day
    lines = d.explain()
    assert lines[0] == "起算日 2026-09-24（当日不计入），时限 7 个自然日。"
    assert "期满日 2026-10-01 为国庆节，顺延至下一个工作日。" in lines
    plain = CAL.deadline(D(2026, 3, 2), 3, natural_days=True)
    assert plain.due == D(2026, 3, 5)


def test_package_years_and_beyond():
    """The package covers 2004–2026; 2027 must be entered by hand."""
    assert package_years() == range(2004, 2027)
    with pytest.raises(ValidationFailed) as info:
        exceptions_from_package(2027)
    assert "2027年请依据国务院办公厅的通知手工录入" in info.value.message


def test_package_2026_contents():
    """R6.4: the 2026 schedule as the package gives it, named in Chinese."""
    ex = exceptions_from_package(2026)
    assert ex[D(2026, 10, 10)] == DayInfo(True, "国庆节调休上班")
    assert ex[D(2026, 10, 1)] == DayInfo(False, "国庆节")
    assert ex[D(2026, 1, 1)].name == "元旦"
    assert all(i.is_working_day == (d.weekday() >= 5) for d, i in ex.items() if i.is_working_day)


# --- properties ------------------------------------------------------------------

starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2025, 12, 31))
budgets = st.integers(min_value=0, max_value=60)


@given(d=starts, n=budgets, m=budgets)
def test_add_n_then_m_is_add_n_plus_m(d, n, m):
    """R6.4: adding n then m working days is adding n + m."""
    assert CAL.add_working_days(CAL.add_working_days(d, n), m) == CAL.add_working_days(d, n + m)


@given(d=starts, n=budgets)
def test_between_inverts_add(d, n):
    """R6.4: the elapsed working days up to add(d, n) are n."""
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@given(d=starts, n=st.integers(min_value=1, max_value=60))
def test_result_is_a_working_day_and_the_first_one(d, n):
    """R6.4: a due date is a working day, and the first one that completes n."""
    due = CAL.add_working_days(d, n)
    assert CAL.is_working_day(due)
    assert due > d
    # No earlier day would do: one day before, fewer than n have elapsed.
    assert CAL.working_days_between(d, due - dt.timedelta(days=1)) == n - 1


@settings(max_examples=200)
@given(
    d=starts,
    n=st.integers(min_value=1, max_value=40),
    data=st.data(),
    length=st.integers(min_value=0, max_value=30),
)
def test_pause_of_k_working_days_moves_due_by_k(d, n, data, length):
    """R6.4: a pause of k working days inside the counting window moves the
    deadline by exactly k working days (Art. 45)."""
    plain = CAL.add_working_days(d, n)
    # The pause begins after the start day and no later than the plain due date.
    offset = data.draw(st.integers(min_value=1, max_value=(plain - d).days), label="offset")
    p_start = d + dt.timedelta(days=offset)
    p_end = p_start + dt.timedelta(days=length)
    k = CAL.working_days_between(p_start - dt.timedelta(days=1), p_end)
    result = CAL.deadline(d, n, [Pause(p_start, p_end, "特别程序")])
    assert result.due == CAL.add_working_days(plain, k)
    assert result.paused_days(0) == k


@given(d=starts, n=st.integers(min_value=1, max_value=60))
def test_natural_days(d, n):
    """Natural-day mode: the n-th calendar day, or the first working day after it."""
    due = CAL.deadline(d, n, natural_days=True).due
    nominal = d + dt.timedelta(days=n)
    assert due is not None and due >= nominal
    assert CAL.is_working_day(due)
    day = nominal
    while day < due:
        assert not CAL.is_working_day(day)
        day += dt.timedelta(days=1)


@given(d=starts, n=st.integers(min_value=1, max_value=40), length=st.integers(0, 20))
def test_natural_days_pause_moves_by_its_length(d, n, length):
    """R6.4: in natural-day mode a pause moves the count by its length in days."""
    p_start = d + dt.timedelta(days=1)
    p_end = p_start + dt.timedelta(days=length)
    with_pause = CAL.deadline(d, n, [Pause(p_start, p_end, "公示")], natural_days=True)
    shifted = CAL.deadline(d + dt.timedelta(days=length + 1), n, natural_days=True)
    assert with_pause.due == shifted.due


@given(d=starts, n=st.integers(min_value=1, max_value=60))
def test_explain_ends_with_the_due_date(d, n):
    """R10.2: the explanation ends with the date and counts exactly n days."""
    result = CAL.deadline(d, n)
    assert result.explain()[-1] == f"截止日 {result.due:%Y-%m-%d}。"
    counted = [s for s in result.steps if s.kind in ("counted", "makeup")]
    assert len(counted) == n
