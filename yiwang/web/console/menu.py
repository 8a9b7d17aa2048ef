"""The console's navigation: each entry shows only to staff who may use it."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

MENU: list[tuple[str, str, str]] = [
    # (label, url name, permission code)
    ("组织机构", "console:orgs:divisions", "orgs.view"),
    ("人员变更", "console:orgs:requests", "orgs.view"),
    ("工作日历", "console:calendar:years", "calendar.edit"),
    ("审计日志", "console:audit", "audit.view"),
]


def menu_for(staff: Any) -> list[dict[str, str]]:
    items = []
    for label, name, perm in MENU:
        if staff is None or not staff.has_permission(perm):
            continue
        try:
            items.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            continue
    return items
