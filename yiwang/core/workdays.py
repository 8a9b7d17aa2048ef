"""Working-day arithmetic on the Chinese official calendar (pure: no Django).

Time limits of the Administrative Licensing Law are counted in working days
(Art. 82), excluding statutory holidays and counting make-up working days
(调休上班). A deadline is never guessed: a day in a year nobody has loaded
raises :class:`CalendarYearNotLoaded`.

The deadline clock is a budget plus a suspension ledger: the due date is
derived from the start date, the budget and the pauses, and explains itself.
Serves the working-day time limits of R6.4, R8.1, R8.4, R8.6, R9.3 and the
time-limit supervision of R10.2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from yiwang.core.errors import CalendarYearNotLoaded, ValidationFailed

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayInfo:
    """A day that differs from the plain Monday–Friday rule."""

    is_working_day: bool
    name: str = ""


@dataclass
class WorkCalendar:
    """Loaded years plus the exceptions to Monday–Friday in them.

    ``exceptions`` maps a date to its :class:`DayInfo`: holidays that fall on
    weekdays and make-up working days that fall on weekends. Weekend holidays
    may be listed too (for their names); they change nothing.
    """

    years: frozenset[int]
    exceptions: Mapping[dt.date, DayInfo] = field(default_factory=dict)

    def _require(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise CalendarYearNotLoaded(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        self._require(day)
        info = self.exceptions.get(day)
        if info is not None:
            return info.is_working_day
        return day.weekday() < 5

    def day_name(self, day: dt.date) -> str:
        info = self.exceptions.get(day)
        return info.name if info else ""

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date of the n-th working day after ``start`` (start itself not counted).

        ``n == 0`` returns ``start``. Only forward counting: time limits run forward.
        """
        due = self.deadline(start, n).due
        assert due is not None  # only an open pause leaves it unknown
        return due

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range (start, end]: what has elapsed from
        ``start`` to ``end`` in the way a time limit counts. Negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count

    def next_working_day(self, day: dt.date) -> dt.date:
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def deadline(
        self,
        start: dt.date,
        budget: int,
        pauses: Iterable[Pause] = (),
        *,
        natural_days: bool = False,
    ) -> Deadline:
        """Due date of a time limit of ``budget`` days that starts the day after ``start``.

        Days inside a pause (a correction, a special procedure, an approved
        extension's wait) are not counted. With ``natural_days`` the budget
        counts calendar days; a due date that falls on a non-working day then
        moves to the next working day. While a pause that the count reaches is
        still open, ``due`` is None: the date cannot be known yet.
        """
        if budget < 0:
            raise ValidationFailed("期限天数不能为负数")
        pause_list = sorted(pauses, key=lambda p: (p.start, p.end or dt.date.max))
        for p in pause_list:
            if p.end is not None and p.end < p.start:
                raise ValidationFailed("暂停区间的结束日不能早于开始日")

        def paused_by(day: dt.date) -> int | None:
            for i, p in enumerate(pause_list):
                if p.start <= day and (p.end is None or day <= p.end):
                    return i
            return None

        steps: list[Step] = []
        counted = 0
        day = start
        if budget == 0:
            # Nothing to count, but a date in an unloaded year is still refused.
            self._require(day)
        while counted < budget:
            day += ONE_DAY
            index = paused_by(day)
            if index is not None:
                if pause_list[index].end is None:
                    return Deadline(start, budget, None, steps, pause_list, natural_days, counted)
                working = natural_days or self.is_working_day(day)
                kind = "paused" if working else "paused_rest"
                steps.append(Step(day, kind, pause_list[index].reason, index))
                continue
            if natural_days:
                counted += 1
                steps.append(Step(day, "counted", self.day_name(day)))
            elif self.is_working_day(day):
                counted += 1
                kind = "makeup" if day.weekday() >= 5 else "counted"
                steps.append(Step(day, kind, self.day_name(day)))
            else:
                steps.append(Step(day, "skipped", self.day_name(day) or "休息日"))
        if natural_days and budget > 0:
            while not self.is_working_day(day):
                steps.append(Step(day, "moved", self.day_name(day) or "休息日"))
                day += ONE_DAY
        return Deadline(start, budget, day, steps, pause_list, natural_days, counted)


@dataclass(frozen=True)
class Pause:
    """A stretch of days, inclusive on both ends, on which the clock does not run.

    ``end`` is None while the pause is still open (e.g. waiting for a correction).
    """

    start: dt.date
    end: dt.date | None
    reason: str


@dataclass(frozen=True)
class Step:
    """One day the clock looked at, and what it did with it.

    ``kind``: counted (a working day, or any day in natural-day mode), makeup
    (a make-up working day on a weekend, counted), skipped (a holiday or rest
    day), paused / paused_rest (a working / rest day inside a pause), moved
    (a natural-day due date on a rest day, moved on). ``note`` is the day's
    name (or the pause's reason); ``pause`` the index of the pause in
    :attr:`Deadline.pauses`.
    """

    day: dt.date
    kind: str
    note: str = ""
    pause: int | None = None


@dataclass
class Deadline:
    start: dt.date
    budget: int
    due: dt.date | None  # None while a pause is still open
    steps: list[Step]
    pauses: list[Pause]
    natural_days: bool = False
    counted: int = 0  # days of the budget used up (all of it once ``due`` is known)

    @property
    def unit(self) -> str:
        return "自然日" if self.natural_days else "工作日"

    def paused_days(self, index: int) -> int:
        """Days of the budget's unit that pause ``index`` held the clock for."""
        return sum(1 for s in self.steps if s.kind == "paused" and s.pause == index)

    def explain(self) -> list[str]:
        """Why this date, in Chinese, one line per fact (shown on the case page)."""
        unit = self.unit
        lines = [f"起算日 {self.start:%Y-%m-%d}（当日不计入），时限 {self.budget} 个{unit}。"]
        for name, days in _group([s for s in self.steps if s.kind == "skipped"]):
            lines.append(f"不计入：{_span(days)} {name}（{len(days)} 天）。")
        for s in self.steps:
            if s.kind == "makeup":
                label = s.note or "调休上班"
                lines.append(
                    f"计入：{s.day:%Y-%m-%d}（星期{_WEEKDAYS[s.day.weekday()]}）{label}，为工作日。"
                )
        for i, p in enumerate(self.pauses):
            if self.due is not None and p.start > self.due:
                continue  # began after the limit ran out: it changes nothing
            if p.end is None:
                lines.append(f"暂停计时：{p.start:%Y-%m-%d} 起至今（{p.reason}），尚未结束。")
                continue
            held = self.paused_days(i)
            lines.append(
                f"暂停计时：{p.start:%Y-%m-%d} 至 {p.end:%Y-%m-%d}（{p.reason}），"
                f"期间 {held} 个{unit}不计入。"
            )
        if self.due is None:
            left = self.budget - self.counted
            lines.append(
                f"计时暂停中：已计 {self.counted} 个{unit}，尚余 {left} 个{unit}，"
                "恢复后重新计算截止日。"
            )
            return lines
        moved = [s for s in self.steps if s.kind == "moved"]
        if moved:
            lines.append(f"期满日 {moved[0].day:%Y-%m-%d} 为{moved[0].note}，顺延至下一个工作日。")
        lines.append(f"截止日 {self.due:%Y-%m-%d}。")
        return lines


_WEEKDAYS = "一二三四五六日"


def _group(steps: list[Step]) -> list[tuple[str, list[dt.date]]]:
    """Consecutive days of the same name, as (name, days)."""
    groups: list[tuple[str, list[dt.date]]] = []
    for s in steps:
        if groups and groups[-1][0] == s.note and groups[-1][1][-1] + ONE_DAY == s.day:
            groups[-1][1].append(s.day)
        else:
            groups.append((s.note, [s.day]))
    return groups


def _span(days: list[dt.date]) -> str:
    if len(days) == 1:
        return f"{days[0]:%Y-%m-%d}"
    return f"{days[0]:%Y-%m-%d} 至 {days[-1]:%Y-%m-%d}"


def package_years() -> range:
    """The years the installed ``chinese-calendar`` package covers."""
    from chinese_calendar import constants

    days = list(constants.holidays) + list(constants.workdays)
    return range(min(days).year, max(days).year + 1)


def exceptions_from_package(year: int) -> dict[dt.date, DayInfo]:
    """The year's holidays and make-up working days as the ``chinese-calendar``
    package knows them. Raises ValidationFailed for a year it does not cover."""
    import chinese_calendar

    covered = package_years()
    if year not in covered:
        raise ValidationFailed(
            f"chinese-calendar 软件包只包含 {covered.start}—{covered.stop - 1} 年的节假日安排，"
            f"{year}年请依据国务院办公厅的通知手工录入",
            code="calendar_year_not_in_package",
        )
    result: dict[dt.date, DayInfo] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        label = _HOLIDAY_NAMES.get(str(name), str(name)) if name else ""
        weekend = day.weekday() >= 5
        if on_holiday and (name or not weekend):
            result[day] = DayInfo(False, label or "法定节假日")
        elif not on_holiday and weekend:
            result[day] = DayInfo(True, f"{label}调休上班" if label else "调休上班")
        day += ONE_DAY
    return result


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}
