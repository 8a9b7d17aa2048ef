"""The console's audit log (审计日志): who did what to which record, newest
first, and a button that verifies the whole chain now (R14.3, R14.5)."""

from __future__ import annotations

import contextlib
import json
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.core.audit import (
    ACTOR_KINDS,
    audit_entries,
    audit_entry_count_estimate,
    audit_verify,
    audited_models,
    object_type_label,
)
from yiwang.core.pagination import CappedPaginator
from yiwang.web.auth import staff_required

CHANNELS = {"console": "管理平台", "portal": "门户", "api": "接口"}

PERMISSION = "audit.view"
PER_PAGE = 50
# A filtered count stops here: past it the reader should narrow the filter.
COUNT_CAP = 10_000
SHOWN_PROBLEMS = 50


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        return text


def _rows(entries: Any) -> list[dict[str, Any]]:
    rows = []
    for e in entries:
        context: dict[str, Any] = {}
        with contextlib.suppress(ValueError):
            context = json.loads(e.context or "{}")
        rows.append(
            {
                "entry": e,
                "actor_kind": ACTOR_KINDS.get(e.actor_kind, e.actor_kind),
                "object_label": object_type_label(e.object_type),
                "change": _pretty(e.change),
                "change_short": e.change if len(e.change) <= 80 else e.change[:80] + "…",
                "channel": CHANNELS.get(context.get("channel", ""), context.get("channel", "")),
                "ip": context.get("ip", ""),
            }
        )
    return rows


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not staff.has_permission(PERMISSION):
        raise DjangoPermissionDenied("您没有查阅审计日志的权限")
    filters = {
        "action": request.GET.get("action", "").strip()[:64],
        "object_type": request.GET.get("object_type", "").strip()[:64],
        "actor_label": request.GET.get("actor", "").strip()[:128],
    }
    filtered = any(filters.values())
    entries = audit_entries(**filters)
    paginator = CappedPaginator(
        entries,
        PER_PAGE,
        cap=COUNT_CAP,
        known_count=None if filtered else audit_entry_count_estimate(),
    )
    page = paginator.get_page(request.GET.get("page"))
    report = None
    if request.method == "POST" and request.POST.get("verify"):
        report = audit_verify()
    query = urlencode(
        {
            k: v
            for k, v in (
                ("action", filters["action"]),
                ("object_type", filters["object_type"]),
                ("actor", filters["actor_label"]),
            )
            if v
        }
    )
    capped = filtered and paginator.count >= COUNT_CAP
    return render(
        request,
        "console/audit.html",
        {
            "page": page,
            "rows": _rows(page.object_list),
            "filters": filters,
            "filtered": filtered,
            "query": f"{query}&" if query else "",
            "count_label": (
                f"超过 {COUNT_CAP:,} 条，请缩小筛选范围" if capped else f"共 {paginator.count:,} 条"
            ),
            "object_types": [(t, object_type_label(t)) for t in sorted(audited_models())],
            "report": report,
            "problems": report.problems[:SHOWN_PROBLEMS] if report else [],
            "more_problems": max(0, len(report.problems) - SHOWN_PROBLEMS) if report else 0,
        },
    )
