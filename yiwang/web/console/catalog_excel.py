"""Console page for the catalogue's Excel import and export (R3.2, R3.5).

Upload a workbook → the dry run (预检) lists every problem by sheet, row and
column, page by page → confirm to import it, all or nothing. The uploaded
file and its report wait in the file storage under a random name kept in
the session, so the confirmation imports exactly the file that was checked.
Export downloads the published catalogue (or one division's subtree) in the
same layout, or the blank template. Staff with catalog.edit or
catalog.review only; what each may import is the services' call.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from yiwang.core.errors import DomainError
from yiwang.domains.catalog.excel import (
    MAX_UPLOAD_BYTES,
    ImportReport,
    catalog_workbook_export,
    catalog_workbook_import,
    catalog_workbook_template,
)
from yiwang.domains.catalog.excel_layout import SHEETS, xlsx_content_error
from yiwang.web.auth import staff_required

PERMISSIONS = ("catalog.edit", "catalog.review")
SESSION_KEY = "catalog_excel"
FOLDER = "catalog_imports"
PER_PAGE = 50
STALE_HOURS = 24
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need_permission(request: HttpRequest) -> Any:
    staff = request.staff  # type: ignore[attr-defined]
    if not any(staff.has_permission(p) for p in PERMISSIONS):
        raise DjangoPermissionDenied("只有事项编制人员和政务服务中心审核人员可以导入导出事项")
    return staff


def _paths(staff: Any, token: str) -> tuple[str, str]:
    stem = f"{FOLDER}/{staff.pk}-{token}"
    return f"{stem}.xlsx", f"{stem}.json"


def _pending(request: HttpRequest, staff: Any) -> dict[str, Any] | None:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not pending.get("token"):
        return None
    xlsx, report = _paths(staff, str(pending["token"]))
    if not default_storage.exists(xlsx) or not default_storage.exists(report):
        request.session.pop(SESSION_KEY, None)
        return None
    return pending


def _discard(request: HttpRequest, staff: Any) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict) and pending.get("token"):
        for path in _paths(staff, str(pending["token"])):
            if default_storage.exists(path):
                default_storage.delete(path)


def _sweep() -> None:
    """Remove uploads nobody confirmed or discarded within a day."""
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - dt.timedelta(hours=STALE_HOURS)
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _save_report(staff: Any, token: str, report: ImportReport) -> None:
    _, path = _paths(staff, token)
    if default_storage.exists(path):
        default_storage.delete(path)
    body = json.dumps(report.as_dict(), ensure_ascii=False).encode("utf-8")
    default_storage.save(path, ContentFile(body))


def _load_report(staff: Any, token: str) -> ImportReport:
    _, path = _paths(staff, token)
    with default_storage.open(path, "rb") as f:
        return ImportReport.from_dict(json.loads(f.read().decode("utf-8")))


def _counts(report: ImportReport) -> list[dict[str, Any]]:
    keys = ("created", "updated", "unchanged", "rows")
    return [
        {"sheet": sheet.name, **{k: report.counts[sheet.name].get(k) for k in keys}}
        for sheet in SHEETS
        if report.counts.get(sheet.name)
    ]


def _upload(request: HttpRequest, staff: Any) -> HttpResponse | None:
    upload = request.FILES.get("file")
    error = None
    if upload is None:
        error = "请选择要导入的 Excel 工作簿（.xlsx）"
    elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        error = f"文件超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB，请拆分后分批导入"
    data = b""
    if error is None and upload is not None:
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        error = xlsx_content_error(data, max_bytes=MAX_UPLOAD_BYTES)
    if error is not None:
        messages.error(request, error)
        return None
    publish = bool(request.POST.get("publish")) and staff.has_permission("catalog.publish")
    report = catalog_workbook_import(actor=staff, data=data, dry_run=True, publish=publish)
    _discard(request, staff)
    _sweep()
    token = secrets.token_urlsafe(18)
    xlsx, _ = _paths(staff, token)
    default_storage.save(xlsx, ContentFile(data))
    _save_report(staff, token, report)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": (upload.name or "")[:120] if upload is not None else "",
        "publish": publish,
        "at": timezone.now().isoformat(),
    }
    return redirect("console:catalog_excel")


def _confirm(request: HttpRequest, staff: Any) -> HttpResponse:
    pending = _pending(request, staff)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(request, "没有待导入的文件，或预检结果已过期，请重新上传")
        return redirect("console:catalog_excel")
    xlsx, _ = _paths(staff, pending["token"])
    with default_storage.open(xlsx, "rb") as f:
        data = f.read()
    report = catalog_workbook_import(
        actor=staff, data=data, dry_run=False, publish=bool(pending.get("publish"))
    )
    if report.applied:
        _discard(request, staff)
        messages.success(
            request,
            report.summary()
            + ("已全部发布。" if report.publish else "新增和修改的事项已提交审核。"),
        )
        return redirect("console:catalog_excel")
    # Something changed since the dry run: show the new problems.
    _save_report(staff, pending["token"], report)
    messages.error(request, "导入未执行：数据在预检后发生了变化，发现以下问题，未写入任何数据")
    return redirect("console:catalog_excel")


@staff_required
def page(request: HttpRequest) -> HttpResponse:
    """The upload form, the pending dry-run report and the export forms."""
    staff = _need_permission(request)
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "confirm":
            return _confirm(request, staff)
        if action == "discard":
            _discard(request, staff)
            messages.success(request, "已放弃本次导入")
            return redirect("console:catalog_excel")
        response = _upload(request, staff)
        if response is not None:
            return response
    pending = _pending(request, staff)
    report = _load_report(staff, pending["token"]) if pending else None
    page_obj = (
        Paginator(report.errors, PER_PAGE).get_page(request.GET.get("page"))
        if report is not None and report.errors
        else None
    )
    return render(
        request,
        "console/catalog_excel/page.html",
        {
            "pending": pending,
            "report": report,
            "counts": _counts(report) if report else [],
            "page": page_obj,
            "query": "",
            "may_publish": staff.has_permission("catalog.publish"),
            "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "sheets": SHEETS,
        },
    )


@require_GET
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """Download the published catalogue (``?division=CODE`` for a subtree) or
    the blank template (``?template=1``)."""
    _need_permission(request)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if request.GET.get("template"):
        data, name = catalog_workbook_template(), "事项库导入模板.xlsx"
    else:
        division = request.GET.get("division", "").strip()[:12] or None
        try:
            data = catalog_workbook_export(division_code=division)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("console:catalog_excel")
        name = f"事项库{'-' + division if division else ''}-{stamp}.xlsx"
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)
    return cast(HttpResponse, response)
