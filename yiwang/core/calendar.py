"""The working-day calendar table: load, edit and read (services and selectors).

Seeded from the ``chinese-calendar`` package for the years it covers; a
centre administrator defines each new year when the State Council publishes
it (around November). Deadlines in a year nobody loaded are refused.
Serves the working-day time limits of R6.4, R8.1, R8.4, R8.6, R9.3 and the
time-limit supervision of R10.2; every edit is audited (R14.3, R14.5).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.audit import audit_append, audited, service_transaction
from yiwang.core.db import TransactionMemo
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.core.models import CalendarDay, CalendarYear
from yiwang.core.workdays import DayInfo, WorkCalendar, exceptions_from_package, package_years

PERMISSION = "calendar.edit"

audited(CalendarYear)
audited(CalendarDay)

_lock = threading.Lock()
_cached: tuple[tuple[int, object], WorkCalendar] | None = None


# Checked once per transaction: a case service computes several due dates,
# and they should all come from one calendar.
_checked: TransactionMemo[tuple[int, object]] = TransactionMemo("calendar_fingerprint")


def _invalidate() -> None:
    global _cached
    with _lock:
        _cached = None
    _checked.clear(transaction.get_connection())


def _fingerprint() -> tuple[int, object]:
    # Every define stamps loaded_at anew, so (years, newest stamp) changes with
    # every edit in any process, and after a rolled-back edit it changes back.
    conn = transaction.get_connection()
    key = _checked.get(conn)
    if key is None:
        agg = CalendarYear.objects.aggregate(n=Count("year"), last=Max("loaded_at"))
        key = (agg["n"], agg["last"])
        _checked.set(conn, key)
    return key


def get_work_calendar() -> WorkCalendar:
    """The calendar as loaded, cached per process and re-read as soon as any
    process has edited it (one tiny aggregate query per transaction, or per
    call outside one)."""
    global _cached
    key = _fingerprint()
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    exceptions = {
        d: DayInfo(w, n)
        for d, w, n in CalendarDay.objects.values_list("date", "is_working_day", "name")
    }
    calendar = WorkCalendar(years, exceptions)
    with _lock:
        _cached = (key, calendar)
    return calendar


def _require(actor: Actor) -> None:
    if not actor.has_permission(PERMISSION):
        raise PermissionDenied("只有政务服务中心管理员可以维护工作日历")


def _clean_days(
    year: int, days: Iterable[tuple[dt.date, bool, str]]
) -> dict[dt.date, tuple[bool, str]]:
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年份应在2000年至2100年之间")
    rows: dict[dt.date, tuple[bool, str]] = {}
    for day, working, name in days:
        if day.year != year:
            raise ValidationFailed(f"{day:%Y-%m-%d} 不属于{year}年")
        if day in rows:
            raise ValidationFailed(f"{day:%Y-%m-%d} 重复出现")
        if working and day.weekday() < 5:
            raise ValidationFailed(f"{day:%Y-%m-%d} 是周一至周五，本来就是工作日，不能设为调休上班")
        rows[day] = (bool(working), (name or "").strip()[:64])
    return rows


@service_transaction
def calendar_year_define(
    *,
    actor: Actor,
    year: int,
    days: Iterable[tuple[dt.date, bool, str]],
    source: str = "manual",
    note: str = "",
) -> CalendarYear:
    """Load or replace one year's exceptions to Monday–Friday.

    ``days`` lists (date, is_working_day, name): holidays (False) and make-up
    working days (True). Days of the year not listed any more are removed.
    Defining a year exactly as it stands changes and audits nothing.
    Deadlines are derived, never stored, so they follow the new calendar.
    """
    _require(actor)
    rows = _clean_days(year, days)
    note = note[:200]
    current = CalendarYear.objects.select_for_update().filter(year=year).first()
    existing = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    unchanged = (
        current is not None
        and (current.source, current.note) == (source, note)
        and {d: (x.is_working_day, x.name) for d, x in existing.items()} == rows
    )
    if unchanged:
        assert current is not None
        return current

    for day, gone in sorted(existing.items()):
        if day not in rows:
            pk = gone.pk
            before = [gone.is_working_day, gone.name]
            gone.delete()
            audit_append(
                actor=actor,
                action="core.calendar_day_remove",
                object_type="core.calendarday",
                object_id=str(pk),
                change={"day": [before, None]},
            )
    for day, (working, name) in sorted(rows.items()):
        old = existing.get(day)
        if old is not None and (old.is_working_day, old.name) == (working, name):
            continue
        obj, _ = CalendarDay.objects.update_or_create(
            date=day, defaults={"is_working_day": working, "name": name}
        )
        previous = [old.is_working_day, old.name] if old else None
        audit_append(
            actor=actor,
            action="core.calendar_day_set",
            obj=obj,
            change={"day": [previous, [working, name]]},
        )
    cy, created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "note": note, "loaded_at": timezone.now()}
    )
    audit_append(
        actor=actor,
        action="core.calendar_year_define",
        obj=cy,
        change={
            "year": year,
            "source": source,
            "holidays": sum(1 for w, _ in rows.values() if not w),
            "makeup_days": sum(1 for w, _ in rows.values() if w),
            "created": created,
        },
    )
    _invalidate()
    transaction.on_commit(_invalidate)
    return cy


def calendar_year_load_from_package(*, actor: Actor, year: int) -> CalendarYear:
    """Seed a year from ``chinese-calendar`` (2004 to the package's last year).

    A year the package does not cover raises ValidationFailed: define it by
    hand with :func:`calendar_year_define`.
    """
    _require(actor)
    exceptions = exceptions_from_package(year)
    return calendar_year_define(
        actor=actor,
        year=year,
        days=[(d, i.is_working_day, i.name) for d, i in sorted(exceptions.items())],
        source="package",
        note="依据 chinese-calendar 软件包（国务院办公厅节假日安排）",
    )


# --- selectors ---------------------------------------------------------------


@dataclass(frozen=True)
class YearSummary:
    year: int
    source: str
    note: str
    loaded_at: dt.datetime
    holidays: int
    makeup_days: int


def calendar_years_summary() -> list[YearSummary]:
    """Every loaded year with its counts of holidays and make-up working days."""
    counts: dict[int, tuple[int, int]] = {
        row["date__year"]: (row["holidays"], row["makeup"])
        for row in CalendarDay.objects.order_by()
        .values("date__year")
        .annotate(
            holidays=Count("date", filter=Q(is_working_day=False)),
            makeup=Count("date", filter=Q(is_working_day=True)),
        )
    }
    return [
        YearSummary(
            year=y.year,
            source=y.source,
            note=y.note,
            loaded_at=y.loaded_at,
            holidays=counts.get(y.year, (0, 0))[0],
            makeup_days=counts.get(y.year, (0, 0))[1],
        )
        for y in CalendarYear.objects.order_by("-year")
    ]


def calendar_year_get(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def calendar_days_of_year(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def calendar_package_years() -> range:
    """Years that :func:`calendar_year_load_from_package` can load."""
    return package_years()
