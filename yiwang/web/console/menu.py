"""The console's navigation: each entry shows only to staff who may use it."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

MENU: list[tuple[str, str, str]] = [
    # (label, url name, permission code)
    ("办件", "console:cases:queue", "cases.view"),
    ("办件", "console:cases:queue", "cases.assist"),
    ("组织机构", "console:orgs:divisions", "orgs.view"),
    ("人员变更", "console:orgs:requests", "orgs.view"),
    ("工作日历", "console:calendar:years", "calendar.edit"),
    ("事项管理", "console:catalog:items", "catalog.edit"),
    ("事项审核", "console:catalog:review", "catalog.review"),
    ("合法性审查", "console:catalog:review", "catalog.legal_review"),
    ("事项导入导出", "console:catalog_excel", "catalog.edit"),
    ("审计日志", "console:audit", "audit.view"),
    ("权责清单", "console:powers:list", "powers.view"),
    ("阳光清单", "console:powers:funds", "sunshine.edit"),
    ("电子证照", "console:certificates:list", "certificates.issue"),
    ("电子证照", "console:certificates:list", "certificates.revoke"),
    ("证照类型", "console:certificates:types", "certificates.types"),
    ("电子印章", "console:certificates:seals", "certificates.seals"),
]


def menu_for(staff: Any) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    seen: set[str] = set()
    for label, name, perm in MENU:
        if staff is None or not staff.has_permission(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if url not in seen:  # one page reached through two permissions shows once
            seen.add(url)
            items.append({"label": label, "url": url})
    return items
