"""The working-day calendar table: load, edit and read (services and selectors).

Seeded from the ``chinese-calendar`` package for the years it covers; a
centre administrator defines each new year when the State Council publishes
it (around November). Deadlines in a year nobody loaded are refused.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable

from django.db import transaction

from yiwang.core.actors import Actor
from yiwang.core.audit import audit_append, audited
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.core.models import CalendarDay, CalendarYear
from yiwang.core.workdays import DayInfo, WorkCalendar, exceptions_from_package

PERMISSION = "calendar.edit"
_CACHE_SECONDS = 60.0

audited(CalendarYear)
audited(CalendarDay)

_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def _invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


def get_work_calendar() -> WorkCalendar:
    """The calendar as loaded; cached per process for a minute (and dropped at
    once when this process edits it)."""
    global _cached
    now = time.monotonic()
    with _lock:
        if _cached is not None and now - _cached[0] < _CACHE_SECONDS:
            return _cached[1]
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    exceptions = {
        d: DayInfo(w, n)
        for d, w, n in CalendarDay.objects.values_list("date", "is_working_day", "name")
    }
    calendar = WorkCalendar(years, exceptions)
    with _lock:
        _cached = (now, calendar)
    return calendar


def _require(actor: Actor) -> None:
    if not actor.has_permission(PERMISSION):
        raise PermissionDenied("只有政务服务中心管理员可以维护工作日历")


@transaction.atomic
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
    working days (True). Replacing a year recomputes every deadline derived
    from it, since deadlines are never stored as dates alone.
    """
    _require(actor)
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
        rows[day] = (working, (name or "").strip()[:64])
    for old in CalendarDay.objects.filter(date__year=year):
        if old.date not in rows:
            pk = old.pk
            old.delete()
            audit_append(
                actor=actor,
                action="core.calendar_day_remove",
                object_type="core.calendarday",
                object_id=str(pk),
            )
    for day, (working, name) in sorted(rows.items()):
        existing = CalendarDay.objects.filter(date=day).first()
        if existing and (existing.is_working_day, existing.name) == (working, name):
            continue
        obj, _ = CalendarDay.objects.update_or_create(
            date=day, defaults={"is_working_day": working, "name": name}
        )
        before = [existing.is_working_day, existing.name] if existing else None
        audit_append(
            actor=actor,
            action="core.calendar_day_set",
            obj=obj,
            change={"day": [before, [working, name]]},
        )
    cy, created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "note": note[:200]}
    )
    audit_append(
        actor=actor,
        action="core.calendar_year_define",
        obj=cy,
        change={"year": year, "source": source, "days": len(rows), "created": created},
    )
    transaction.on_commit(_invalidate)
    return cy


def calendar_year_load_from_package(*, actor: Actor, year: int) -> CalendarYear:
    """Seed a year from ``chinese-calendar`` (2004 to the package's last year)."""
    exceptions = exceptions_from_package(year)
    return calendar_year_define(
        actor=actor,
        year=year,
        days=[(d, i.is_working_day, i.name) for d, i in exceptions.items()],
        source="package",
        note="依据 chinese-calendar 国务院办公厅节假日安排",
    )
