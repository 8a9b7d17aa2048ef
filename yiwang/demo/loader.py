"""Load the whole demo city in dependency order; every part is idempotent."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yiwang.core.actors import SYSTEM
from yiwang.core.calendar import calendar_year_load_from_package
from yiwang.core.models import CalendarYear
from yiwang.demo import DEMO_PASSWORD

CALENDAR_YEARS = (2024, 2025, 2026)


def load_calendar() -> int:
    """The package's years, and — so demo deadlines can be computed whenever
    the demo runs — this year and next when the package does not cover them,
    defined with weekends only and labelled as provisional."""
    import datetime as dt

    from yiwang.core.calendar import calendar_package_years, calendar_year_define

    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    package = calendar_package_years()
    this_year = dt.date.today().year
    added = 0
    for year in sorted({*CALENDAR_YEARS, this_year, this_year + 1}):
        if year in loaded:
            continue
        if year in package:
            calendar_year_load_from_package(actor=SYSTEM, year=year)
        else:
            calendar_year_define(
                actor=SYSTEM,
                year=year,
                days=[],
                source="manual",
                note="演示环境临时日历：国务院放假安排公布前仅按周末计算，请管理员及时更新",
            )
        added += 1
    return added


@transaction.atomic
def load_demo() -> dict[str, Any]:
    from yiwang.demo.applicants import load_applicants
    from yiwang.demo.cases import load_cases
    from yiwang.demo.catalog import load_catalog
    from yiwang.demo.certificates import load_certificates
    from yiwang.demo.city import load_city
    from yiwang.demo.powers import load_powers

    years = load_calendar()
    city = load_city()
    applicants = load_applicants()
    catalog = load_catalog()
    # After the catalogue, so powers link to their catalogue entries.
    load_powers()
    cases = load_cases()
    # After the cases: types, links, the granted cases' certificates, legacy ones.
    certificates = load_certificates()
    return {
        "message": f"演示数据已就绪（本次新增日历年度 {years} 个；事项库：基本目录"
        f" {catalog['entries']} 项、实施清单 {catalog['items']} 项、"
        f"一件事 {catalog['bundles']} 个；本次新增演示办件 {cases} 件；"
        f"电子证照：新增类型 {certificates['types']} 个、办件制证 {certificates['issued']} 本、"
        f"存量证照 {certificates['legacy']} 本）。",
        "staff": city.get("accounts", []),
        "applicants": applicants,
        "password": DEMO_PASSWORD,
    }


def format_accounts(summary: dict[str, Any]) -> str:
    lines = ["", f"演示账户（密码均为 {summary['password']}）："]
    lines.append("  工作人员（管理平台 /console/login/）：")
    for a in summary["staff"][:12]:
        lines.append(f"    {a['login']:<18} {a['name']}  {a.get('unit', '')}  {a.get('roles', '')}")
    lines.append("  申请人（门户 /login/，可用身份证号或统一社会信用代码登录）：")
    for a in summary["applicants"][:8]:
        lines.append(f"    {a['login']:<20} {a['name']}")
    return "\n".join(lines)
