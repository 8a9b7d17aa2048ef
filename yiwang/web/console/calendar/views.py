"""Console pages of the working-day calendar behind every time limit (R6.4,
R10.2); only holders of calendar.edit (R2.2); edits audited (R14.3, R14.5).

Views parse the input and call the calendar services; whether a staff member
may edit, and whether a year is valid, is the services' call: a refusal
(DomainError) is shown as it is.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiwang.core import calendar as cal
from yiwang.core.errors import DomainError
from yiwang.core.errors import PermissionDenied as DomainPermissionDenied
from yiwang.web.auth import staff_required
from yiwang.web.console.calendar.forms import DefineYearForm, LoadYearForm, format_days, parse_days

WEEKDAYS = "一二三四五六日"
PER_PAGE = 20


def _need_edit(request: HttpRequest) -> Any:
    staff = request.staff  # type: ignore[attr-defined]
    if not staff.has_permission(cal.PERMISSION):
        raise DjangoPermissionDenied("只有政务服务中心管理员可以维护工作日历")
    return staff


@staff_required
def years(request: HttpRequest) -> HttpResponse:
    _need_edit(request)
    summaries = cal.calendar_years_summary()
    loaded = {s.year for s in summaries}
    covered = cal.calendar_package_years()
    page = Paginator(summaries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/calendar/years.html",
        {
            "page": page,
            "package_first": covered.start,
            "package_last": covered.stop - 1,
            "loadable": [y for y in reversed(covered) if y not in loaded],
            "reloadable": [y for y in reversed(covered) if y in loaded],
        },
    )


@staff_required
def year(request: HttpRequest, year: int) -> HttpResponse:
    _need_edit(request)
    found = cal.calendar_year_get(year)
    days = cal.calendar_days_of_year(year)
    months: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for d in days:
        months[d.date.month].append(
            {
                "date": d.date,
                "weekday": WEEKDAYS[d.date.weekday()],
                "working": d.is_working_day,
                "name": d.name,
            }
        )
    return render(
        request,
        "console/calendar/year.html",
        {
            "year": year,
            "found": found,
            "months": sorted(months.items()),
            "holidays": sum(1 for d in days if not d.is_working_day),
            "makeup_days": sum(1 for d in days if d.is_working_day),
            "in_package": year in cal.calendar_package_years(),
        },
        status=200 if found else 404,
    )


@staff_required
def define(request: HttpRequest) -> HttpResponse:
    staff = _need_edit(request)
    line_errors: list[str] = []
    replacing = None
    if request.method == "POST":
        form = DefineYearForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["year"]
            parsed = parse_days(form.cleaned_data["days"] or "")
            line_errors = parsed.errors
            if not line_errors:
                try:
                    cal.calendar_year_define(
                        actor=staff,
                        year=number,
                        days=parsed.days,
                        source="manual",
                        note=form.cleaned_data["note"] or "",
                    )
                except DomainPermissionDenied as exc:
                    raise DjangoPermissionDenied(exc.message) from exc
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, f"{number}年工作日历已保存")
                    return redirect("console:calendar:year", year=number)
    else:
        initial: dict[str, Any] = {}
        wanted = request.GET.get("year", "")
        if wanted.isdigit():
            initial["year"] = int(wanted)
            replacing = cal.calendar_year_get(int(wanted))
            if replacing is not None:
                initial["note"] = replacing.note
                initial["days"] = format_days(
                    (d.date, d.is_working_day, d.name)
                    for d in cal.calendar_days_of_year(int(wanted))
                )
        form = DefineYearForm(initial=initial)
    status = 200 if request.method == "GET" or not (form.errors or line_errors) else 422
    return render(
        request,
        "console/calendar/define.html",
        {"form": form, "line_errors": line_errors, "replacing": replacing},
        status=status,
    )


@staff_required
@require_POST
def load(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    form = LoadYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要载入的年份")
        return redirect("console:calendar:years")
    number = form.cleaned_data["year"]
    try:
        cal.calendar_year_load_from_package(actor=staff, year=number)
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:calendar:years")
    messages.success(request, f"已从软件包载入{number}年工作日历")
    return redirect(reverse("console:calendar:year", kwargs={"year": number}))
