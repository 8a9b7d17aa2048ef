"""Working-day arithmetic on the Chinese official calendar (pure: no Django).

Time limits of the Administrative Licensing Law are counted in working days
(Art. 82), excluding statutory holidays and counting make-up working days
(调休上班). A deadline is never guessed: a day in a year nobody has loaded
raises :class:`CalendarYearNotLoaded`.

The deadline clock is a budget plus a suspension ledger: the due date is
derived from the start date, the budget and the pauses, and explains itself.
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
        return self.deadline(start, n).due

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

        Working days inside a pause (a correction, a special procedure, an
        approved extension's wait) are not counted. With ``natural_days`` the
        budget counts calendar days; a due date that falls on a non-working
        day then moves to the next working day.
        """
        if budget < 0:
            raise ValidationFailed("期限天数不能为负数")
        pause_list = sorted(pauses, key=lambda p: p.start)
        for p in pause_list:
            if p.end is not None and p.end < p.start:
                raise ValidationFailed("暂停区间的结束日不能早于开始日")

        def paused_by(day: dt.date) -> Pause | None:
            for p in pause_list:
                if p.start <= day and (p.end is None or day <= p.end):
                    return p
            return None

        steps: list[Step] = []
        counted = 0
        day = start
        while counted < budget:
            day += ONE_DAY
            pause = paused_by(day)
            if pause is not None:
                if pause.end is None:
                    return Deadline(start, budget, None, steps, pause_list, natural_days)
                kind = "paused" if natural_days or self.is_working_day(day) else "paused_rest"
                steps.append(Step(day, kind, pause.reason))
                continue
            if natural_days:
                counted += 1
                steps.append(Step(day, "counted", str(counted)))
                continue
            if self.is_working_day(day):
                counted += 1
                name = self.day_name(day)
                steps.append(Step(day, "counted", f"{counted}" + (f"（{name}）" if name else "")))
            else:
                steps.append(Step(day, "skipped", self.day_name(day) or "休息日"))
        if natural_days and budget > 0:
            while not self.is_working_day(day):
                day += ONE_DAY
                steps.append(Step(day, "moved", "期满日为法定节假日或休息日，顺延"))
        elif budget == 0:
            self._require(day)
        return Deadline(start, budget, day, steps, pause_list, natural_days)


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
    day: dt.date
    kind: str  # counted / skipped / paused / moved
    note: str


@dataclass
class Deadline:
    start: dt.date
    budget: int
    due: dt.date | None  # None while a pause is still open
    steps: list[Step]
    pauses: list[Pause]
    natural_days: bool = False

    def explain(self) -> list[str]:
        """Why this date, in Chinese, one line per fact (shown on the case page)."""
        unit = "自然日" if self.natural_days else "工作日"
        lines = [f"起算日 {self.start:%Y-%m-%d}（当日不计入），时限 {self.budget} 个{unit}。"]
        skipped = [s for s in self.steps if s.kind == "skipped"]
        for name, days in _group(skipped):
            lines.append(f"不计入：{_span(days)} {name}。")
        makeup = [s for s in self.steps if s.kind == "counted" and "调休" in s.note]
        for s in makeup:
            lines.append(f"计入：{s.day:%Y-%m-%d} 为调休上班日。")
        for p in self.pauses:
            paused = [s.day for s in self.steps if s.kind == "paused" and p.start <= s.day]
            if p.end is not None:
                paused = [d for d in paused if d <= p.end]
            end = f"{p.end:%Y-%m-%d}" if p.end else "至今"
            count = f"{len(paused)} 个{unit}"
            lines.append(f"暂停计时：{p.start:%Y-%m-%d} 至 {end}（{p.reason}），共 {count}。")
        if self.due is None:
            lines.append("计时暂停中，恢复后重新计算截止日。")
        else:
            moved = [s for s in self.steps if s.kind == "moved"]
            if moved:
                lines.append("期满日为法定节假日或休息日，顺延至下一个工作日。")
            lines.append(f"截止日 {self.due:%Y-%m-%d}。")
        return lines


def _group(steps: list[Step]) -> list[tuple[str, list[dt.date]]]:
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


def exceptions_from_package(year: int) -> dict[dt.date, DayInfo]:
    """The year's holidays and make-up working days as the ``chinese-calendar``
    package knows them. Raises CalendarYearNotLoaded for a year it does not cover."""
    import chinese_calendar

    result: dict[dt.date, DayInfo] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError as exc:
            raise CalendarYearNotLoaded(year) from exc
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
