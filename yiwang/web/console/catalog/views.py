"""Console pages of the catalogue (R3.2–R3.9, R4.3): compiling items and their
guides section by section, the version history with diffs, the centre's
review and publishing queue, the catalogue entries with their dual review,
and the lifecycle actions.

Views read through the selectors, parse input with a form and call one
service; a refused service call (DomainError) is shown as it is.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiwang.core.errors import DomainError
from yiwang.domains.catalog import policies, selectors, services
from yiwang.domains.catalog.models import (
    CatalogEntry,
    ItemType,
    ItemVersion,
    Lifecycle,
    LimitUnit,
    MaterialSpec,
    ServiceItem,
    VersionStatus,
)
from yiwang.domains.orgs.models import Agency, Division, DivisionLevel
from yiwang.web.auth import staff_required
from yiwang.web.console.catalog import forms
from yiwang.web.console.common import found as _found
from yiwang.web.console.common import need as _need
from yiwang.web.console.common import put_errors as _put_errors

CATALOG_PERMISSIONS = ("catalog.edit", "catalog.review", "catalog.publish", "catalog.legal_review")


def _form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    context.setdefault("submit_label", "保存")
    return render(request, "console/catalog/form.html", context)


def _may_view_item(staff: Any, item: ServiceItem) -> bool:
    return (
        policies.may_edit(staff, item.agency_id)
        or policies.may_centre(staff, "catalog.review", item.division)
        or policies.may_centre(staff, "catalog.publish", item.division)
    )


def _item_or_404(staff: Any, pk: int) -> ServiceItem:
    item = _found(selectors.item_for_console, pk)
    if not _may_view_item(staff, item):
        raise DjangoPermissionDenied("该事项不属于您的编制或审核范围")
    return item


def _version_or_404(staff: Any, pk: int) -> ItemVersion:
    version = _found(selectors.item_version_detail, pk)
    if not _may_view_item(staff, version.item):
        raise DjangoPermissionDenied("该事项不属于您的编制或审核范围")
    return version


_LIVE = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
STATUS_BADGES: dict[str, str] = {
    VersionStatus.DRAFT: "",
    VersionStatus.SUBMITTED: "badge-warn",
    VersionStatus.LEGAL_REVIEW: "badge-warn",
    VersionStatus.APPROVED: "badge-warn",
    VersionStatus.PUBLISHED: "badge-ok",
    VersionStatus.SUPERSEDED: "",
    VersionStatus.REJECTED: "badge-danger",
}
LIFECYCLE_BADGES: dict[str, str] = {
    Lifecycle.ACTIVE: "badge-ok",
    Lifecycle.SUSPENDED: "badge-warn",
    Lifecycle.CANCELLED: "badge-danger",
}


def _status(status: str | None) -> dict[str, str]:
    if not status:
        return {"label": "—", "css": ""}
    return {"label": str(VersionStatus(status).label), "css": STATUS_BADGES.get(status, "")}


# --- items -------------------------------------------------------------------------


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    staff = _need(request, *CATALOG_PERMISSIONS)
    if staff.has_permission("catalog.edit"):
        return redirect("console:catalog:items")
    return redirect("console:catalog:review")


@staff_required
def items(request: HttpRequest) -> HttpResponse:
    """事项管理: the items of the viewer's agencies (editors) or of the divisions
    of the viewer's centre (centre staff), with their state."""
    staff = _need(request, "catalog.edit", "catalog.publish", "catalog.review")
    q = request.GET.get("q", "").strip()
    lifecycle = request.GET.get("lifecycle", "")
    status = request.GET.get("status", "")
    page = selectors.items_for_console(
        staff, q=q, lifecycle=lifecycle, status=status, page=request.GET.get("page")
    )
    rows = [
        {
            "item": i,
            "status": _status(i.latest_status),
            "lifecycle_css": LIFECYCLE_BADGES.get(i.lifecycle, ""),
        }
        for i in page
    ]
    query = urlencode(
        {k: v for k, v in (("q", q), ("lifecycle", lifecycle), ("status", status)) if v}
    )
    return render(
        request,
        "console/catalog/items.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "lifecycle": lifecycle,
            "status": status,
            "lifecycles": Lifecycle.choices,
            "statuses": VersionStatus.choices,
            "query": f"{query}&" if query else "",
            "can_create": staff.has_permission("catalog.edit"),
        },
    )


@staff_required
def item_new(request: HttpRequest) -> HttpResponse:
    """A new item from a published catalogue entry: its first draft."""
    staff = _need(request, "catalog.edit")
    q = request.GET.get("q", "").strip()
    entries = selectors.entries_for_new_item(q=q)
    agencies = selectors.editor_agencies(staff)
    divisions = selectors.divisions_for_agencies(agencies)
    form = forms.ItemNewForm(
        request.POST or None, entries=entries, agencies=agencies, divisions=divisions
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.service_item_create(
                actor=staff,
                entry=CatalogEntry.objects.get(pk=data["entry"]),
                agency=Agency.objects.get(pk=data["agency"]),
                division=Division.objects.get(pk=data["division"]),
                guide={},
                implementation_code=data["implementation_code"] or None,
                is_convenience=data["is_convenience"],
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已新建事项草稿，请逐项填写办事指南后提交审核")
            return redirect("console:catalog:version", pk=version.pk)
    return render(
        request,
        "console/catalog/item_new.html",
        {"form": form, "q": q, "entries": entries, "agencies": agencies},
    )


@staff_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, *CATALOG_PERMISSIONS)
    it = _item_or_404(staff, pk)
    versions = selectors.item_versions(it)
    open_version = next(
        (
            v
            for v in versions
            if v.status not in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
        ),
        None,
    )
    can_edit = policies.may_edit(staff, it.agency_id)
    can_publish = policies.may_centre(staff, "catalog.publish", it.division)
    return render(
        request,
        "console/catalog/item.html",
        {
            "item": it,
            "versions": [{"v": v, "status": _status(v.status)} for v in versions],
            "open_version": open_version,
            "lifecycle_css": LIFECYCLE_BADGES.get(it.lifecycle, ""),
            "can_edit": can_edit,
            "can_revise": can_edit and open_version is None and it.lifecycle != Lifecycle.CANCELLED,
            "can_publish": can_publish,
            "can_classify": can_edit or can_publish,
            "revise_form": forms.ReviseForm(),
        },
    )


@staff_required
def item_revise(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.edit")
    it = _item_or_404(staff, pk)
    form = forms.ReviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.item_version_revise(actor=staff, item=it, **form.cleaned_data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"已创建第{version.number}版草稿")
            return redirect("console:catalog:version", pk=version.pk)
    return _form_page(
        request,
        title=f"修订「{it.search_name}」",
        intro="修订会从现行版本复制出一个新草稿；草稿经审核发布后才替代现行版本。",
        form=form,
        submit_label="创建草稿",
        back_url=reverse("console:catalog:item", args=[it.pk]),
    )


@staff_required
def item_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """The differences between any two versions of an item (R3.5)."""
    staff = _need(request, *CATALOG_PERMISSIONS)
    it = _item_or_404(staff, pk)
    versions = selectors.item_versions(it)
    by_pk = {v.pk: v for v in versions}

    def pick(name: str, default: ItemVersion | None) -> ItemVersion | None:
        raw = request.GET.get(name, "")
        if raw.isdigit() and int(raw) in by_pk:
            return by_pk[int(raw)]
        return default

    new = pick("b", versions[0] if versions else None)
    old = pick("a", versions[1] if len(versions) > 1 else new)
    diff = None
    if old is not None and new is not None:
        old = selectors.item_version_detail(old.pk)
        new = selectors.item_version_detail(new.pk)
        diff = selectors.version_diff(old, new)
    return render(
        request,
        "console/catalog/diff.html",
        {"item": it, "versions": versions, "old": old, "new": new, "diff": diff},
    )


def _lifecycle_action(
    request: HttpRequest, pk: int, form_class: Any, service: Any, title: str, done: str, **kw: Any
) -> HttpResponse:
    staff = _need(request, "catalog.publish")
    it = _item_or_404(staff, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=staff, item=it, **form.cleaned_data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("console:catalog:item", pk=it.pk)
    return _form_page(
        request,
        title=f"{title}「{it.search_name}」",
        form=form,
        back_url=reverse("console:catalog:item", args=[it.pk]),
        **kw,
    )


@staff_required
def item_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle_action(
        request,
        pk,
        forms.SuspendForm,
        services.service_item_suspend,
        "暂停",
        "已暂停办理；办事指南仍公开并显示暂停原因，不再受理申请",
        intro="暂停后办事指南仍对外公开并注明暂停原因，但不再受理新的申请（R4.3）。",
        submit_label="暂停办理",
    )


@staff_required
def item_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle_action(
        request,
        pk,
        forms.NoteForm,
        services.service_item_resume,
        "恢复",
        "已恢复办理",
        submit_label="恢复办理",
    )


@staff_required
def item_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle_action(
        request,
        pk,
        forms.CancelForm,
        services.service_item_cancel,
        "取消",
        "已取消该事项；已发布的版本仍可按版本号查阅",
        intro="取消后该事项不再出现在门户列表中，也不再受理申请；已有办件关联的版本仍可查阅。",
        submit_label="取消事项",
    )


@staff_required
def item_classify(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.edit", "catalog.publish")
    it = _item_or_404(staff, pk)
    form = forms.ClassifyForm(
        request.POST or None,
        tags=selectors.tags_all(),
        topics=selectors.topics_all(),
        initial={
            "tags": [t.code for t in it.tags.all()],
            "topics": [t.code for t in it.topics.all()],
            "audience": it.audience,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_item_set_classification(actor=staff, item=it, **form.cleaned_data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已保存特色清单与主题分类")
            return redirect("console:catalog:item", pk=it.pk)
    return _form_page(
        request,
        title=f"特色清单与主题分类「{it.search_name}」",
        form=form,
        back_url=reverse("console:catalog:item", args=[it.pk]),
    )


# --- versions and the guide ---------------------------------------------------------------


_KIND = dict(MaterialSpec.Kind.choices)
_FORM = dict(MaterialSpec.Form.choices)
_NEED = dict(MaterialSpec.Necessity.choices)
_SOURCE = dict(MaterialSpec.Source.choices)
_UNIT = dict(LimitUnit.choices)
_LEVELS = dict(DivisionLevel.choices)


def _list_table(key: str, rows: list[dict[str, Any]], variants: dict[str, str]) -> dict[str, Any]:
    if key == "variants":
        return {
            "headers": ["编码", "名称", "申请表字段"],
            "cells": [
                [
                    r["code"],
                    r["name"],
                    "、".join(
                        str(p.get("title") or n)
                        for n, p in ((r.get("form_schema") or {}).get("properties") or {}).items()
                    )
                    or "—",
                ]
                for r in rows
            ],
        }
    if key == "materials":
        return {
            "headers": ["材料名称", "类型", "形式", "必要性", "份数", "来源", "受理标准", "办理项"],
            "cells": [
                [
                    r["name"]
                    + (
                        f"（可用电子证照 {r['certificate_type_code']}）"
                        if r.get("certificate_type_code")
                        else ""
                    ),
                    _KIND.get(r["kind"], r["kind"]),
                    _FORM.get(r["form"], r["form"]),
                    _NEED.get(r["necessity"], r["necessity"]),
                    str(r["copies"]),
                    _SOURCE.get(r["source"], r["source"])
                    + (f"：{r['source_note']}" if r.get("source_note") else ""),
                    r.get("acceptance_standard") or "—",
                    variants.get(r.get("variant", ""), "全部") if r.get("variant") else "全部",
                ]
                for r in rows
            ],
        }
    if key == "steps":
        return {
            "headers": ["顺序", "环节", "办理角色", "时限", "特别程序", "说明"],
            "cells": [
                [
                    str(i),
                    r["name"],
                    r["role_code"] or "（未设）",
                    f"{r['time_limit']}{_UNIT.get(r['time_unit'], '')}",
                    "是" if r["is_special"] else "否",
                    r.get("description") or "—",
                ]
                for i, r in enumerate(rows, start=1)
            ],
        }
    if key == "fees":
        return {
            "headers": ["收费项目", "收费标准", "收费依据", "减免"],
            "cells": [
                [
                    r["name"],
                    r["standard"],
                    r["legal_basis"],
                    (r.get("reduction_note") or "允许") if r["reducible"] else "否",
                ]
                for r in rows
            ],
        }
    return {
        "headers": ["问题", "解答"],
        "cells": [[r["question"], r["answer"]] for r in rows],
    }


def _sections_for_display(version: ItemVersion, doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    windows = {w.pk: w for w in version.windows.select_related("hall")}
    for key, title, fields in forms.SCALAR_SECTIONS:
        if key == "convenience" and not version.item.is_convenience:
            continue
        rows = []
        for name in fields:
            if name == "window_ids":
                value = "、".join(
                    f"{windows[i].hall.name} {windows[i]}"
                    for i in doc["window_ids"]
                    if i in windows
                )
                rows.append(("办理窗口", value))
                continue
            field: Any = ItemVersion._meta.get_field(name)
            rows.append((str(field.verbose_name), selectors.scalar_text(name, doc.get(name))))
        out.append({"key": key, "title": title, "rows": rows, "list": False})
    variants = {v["code"]: v["name"] for v in doc.get("variants") or []}
    for key, title in forms.LIST_SECTIONS:
        items: list[dict[str, Any]] = doc.get(key) or []
        note = "不收费" if key == "fees" and not doc.get("charges_fee") and not items else ""
        out.append(
            {
                "key": key,
                "title": title,
                "list": True,
                "table": _list_table(key, items, variants),
                "count": len(items),
                "note": note,
            }
        )
    return out


@staff_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """A version of a guide, every section, what is missing, and the actions
    its state allows the viewer."""
    staff = _need(request, *CATALOG_PERMISSIONS)
    v = _version_or_404(staff, pk)
    it = v.item
    doc = dict(selectors.guide_doc_of(v))
    editable = v.status in (VersionStatus.DRAFT, VersionStatus.REJECTED)
    can_edit = editable and policies.may_edit(staff, it.agency_id)
    can_review = v.status == VersionStatus.SUBMITTED and policies.may_centre(
        staff, "catalog.review", it.division, local_only=v.local_only
    )
    can_publish = v.status == VersionStatus.APPROVED and policies.may_centre(
        staff, "catalog.publish", it.division, local_only=v.local_only
    )
    missing = (
        selectors.item_version_missing(v)
        if v.status not in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
        else []
    )
    return render(
        request,
        "console/catalog/version.html",
        {
            "v": v,
            "item": it,
            "status": _status(v.status),
            "sections": _sections_for_display(v, doc),
            "missing": missing,
            "can_edit": can_edit,
            "can_review": can_review,
            "can_publish": can_publish,
            "decision_form": forms.DecisionForm(),
            "publish_form": forms.PublishForm(),
            "legal_basis": v.entry_version.legal_basis,
            "delivery_labels": selectors.DELIVERY_LABELS,
        },
    )


def _editable_version(request: HttpRequest, pk: int) -> tuple[Any, ItemVersion]:
    staff = _need(request, "catalog.edit")
    v = _version_or_404(staff, pk)
    if not policies.may_edit(staff, v.item.agency_id):
        raise DjangoPermissionDenied("您没有编制该事项的权限")
    return staff, v


_ROW_ERROR = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")


@staff_required
def version_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Edit one section of a draft guide."""
    if section not in forms.SECTION_TITLES:
        raise Http404("没有这个栏目")
    staff, v = _editable_version(request, pk)
    if v.status not in (VersionStatus.DRAFT, VersionStatus.REJECTED):
        messages.error(
            request, f"第{v.number}版{v.get_status_display()}，已提交或已发布的版本不能修改"
        )
        return redirect("console:catalog:version", pk=v.pk)
    doc = dict(selectors.guide_doc_of(v))
    back = reverse("console:catalog:version", args=[v.pk]) + f"#s-{section}"
    title = f"{forms.SECTION_TITLES[section]} · 「{v.item.search_name}」第{v.number}版"
    if section in dict(forms.LIST_SECTIONS):
        return _rows_section(request, staff, v, doc, section, title, back)
    form_class = forms.section_form_class(section, selectors.windows_for_item(v.item))
    form = form_class(request.POST or None, initial={k: doc.get(k) for k in form_class.base_fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_version_update(
                actor=staff,
                version=v,
                guide=forms.section_data(form),  # type: ignore[arg-type]
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"已保存“{forms.SECTION_TITLES[section]}”")
            return redirect(back)
    return _form_page(request, title=title, form=form, back_url=back)


def _rows_section(
    request: HttpRequest,
    staff: Any,
    v: ItemVersion,
    doc: dict[str, Any],
    key: str,
    title: str,
    back: str,
) -> HttpResponse:
    kwargs: dict[str, Any] = {}
    if key == "materials":
        kwargs["variants"] = [(x["code"], x["name"]) for x in doc.get("variants") or []]
    initial = [dict(r) for r in doc.get(key) or []]
    if key == "variants":
        for r in initial:
            r["form_schema"] = (
                json.dumps(r["form_schema"], ensure_ascii=False, indent=2)
                if r["form_schema"]
                else ""
            )
    extra_errors: list[str] = []
    if request.method == "POST":
        data = request.POST.copy()
        if "add_row" in data:
            total = f"{key}-TOTAL_FORMS"
            data[total] = str(int(data.get(total, "0") or 0) + 1)
            formset = forms.rows_formset(key, data=data, extra=0, **kwargs)
            formset.is_valid()  # show the rows as typed, without errors of the new one
            for form in formset.forms:
                form._errors = form.errors.__class__()
            formset._non_form_errors = formset.error_class()
            return _rows_page(request, formset, title, back, key, extra_errors)
        formset = forms.rows_formset(key, data=data, initial=initial, extra=0, **kwargs)
        if formset.is_valid():
            rows, positions = forms.rows_of(formset)
            try:
                services.item_version_update(
                    actor=staff,
                    version=v,
                    guide={key: rows},  # type: ignore[misc]
                )
            except DomainError as exc:
                for field, message in (exc.fields or {"": exc.message}).items():
                    m = _ROW_ERROR.match(field)
                    if m and m.group(1) == key and int(m.group(2)) < len(positions):
                        form = formset.forms[positions[int(m.group(2))]]
                        name = m.group(3)
                        form.add_error(name if name in form.fields else None, message)
                    else:
                        extra_errors.append(message)
            else:
                messages.success(request, f"已保存“{forms.SECTION_TITLES[key]}”（{len(rows)}项）")
                return redirect(back)
    else:
        formset = forms.rows_formset(key, initial=initial, extra=0 if initial else 1, **kwargs)
    return _rows_page(request, formset, title, back, key, extra_errors)


def _rows_page(
    request: HttpRequest, formset: Any, title: str, back: str, key: str, extra_errors: list[str]
) -> HttpResponse:
    return render(
        request,
        "console/catalog/rows.html",
        {
            "formset": formset,
            "title": title,
            "back_url": back,
            "key": key,
            "extra_errors": extra_errors,
            "row_title": dict(forms.LIST_SECTIONS)[key],
        },
    )


def _act(request: HttpRequest, v: ItemVersion, fn: Any, done: str, **kw: Any) -> HttpResponse:
    try:
        fn(**kw)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("console:catalog:version", pk=v.pk)


@staff_required
@require_POST
def version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.edit")
    v = _version_or_404(staff, pk)
    return _act(
        request,
        v,
        services.item_version_submit,
        "已提交政务服务中心审核",
        actor=staff,
        version=v,
    )


@staff_required
@require_POST
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.edit")
    v = _version_or_404(staff, pk)
    try:
        it = services.item_version_discard(actor=staff, version=v)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:catalog:version", pk=v.pk)
    messages.success(request, f"已放弃第{v.number}版草稿")
    return redirect("console:catalog:item", pk=it.pk)


@staff_required
@require_POST
def version_review(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.review")
    v = _version_or_404(staff, pk)
    form = forms.DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        v,
        services.item_version_review,
        "审核通过，待发布" if approve else "已退回编制部门",
        actor=staff,
        version=v,
        approve=approve,
        note=note,
    )


@staff_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.publish")
    v = _version_or_404(staff, pk)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "生效时间格式不正确")
        return redirect("console:catalog:version", pk=v.pk)
    return _act(
        request,
        v,
        services.item_version_publish,
        "已发布",
        actor=staff,
        version=v,
        valid_from=form.cleaned_data["valid_from"],
    )


# --- the review queue -------------------------------------------------------------------

REVIEW_TABS = [
    ("items", "事项待审核", "catalog.review"),
    ("publish", "事项待发布", "catalog.publish"),
    ("entries", "目录待审核", "catalog.review"),
    ("legal", "目录合法性审查", "catalog.legal_review"),
    ("entries_publish", "目录待发布", "catalog.publish"),
]


@staff_required
def review(request: HttpRequest) -> HttpResponse:
    """事项审核: what waits for the viewer's centre (and the legal reviewer)."""
    staff = _need(request, "catalog.review", "catalog.publish", "catalog.legal_review")
    tabs = [(k, label) for k, label, perm in REVIEW_TABS if staff.has_permission(perm)]
    tab = request.GET.get("tab") or tabs[0][0]
    if tab not in dict(tabs):
        raise Http404("没有这个队列")
    page_no = request.GET.get("page")
    if tab == "items":
        page = selectors.review_queue(staff, stage=VersionStatus.SUBMITTED, page=page_no)
    elif tab == "publish":
        page = selectors.review_queue(staff, stage=VersionStatus.APPROVED, page=page_no)
    elif tab == "entries":
        page = selectors.entry_queue(staff, stage=VersionStatus.SUBMITTED, page=page_no)
    elif tab == "legal":
        page = selectors.entry_queue(staff, stage=VersionStatus.LEGAL_REVIEW, page=page_no)
    else:
        page = selectors.entry_queue(staff, stage=VersionStatus.APPROVED, page=page_no)
    return render(
        request,
        "console/catalog/review.html",
        {
            "tabs": tabs,
            "tab": tab,
            "page": page,
            "is_items": tab in ("items", "publish"),
            "query": f"tab={tab}&",
        },
    )


# --- the basic catalogue -------------------------------------------------------------------


@staff_required
def entries(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "catalog.edit")
    q = request.GET.get("q", "").strip()
    page = selectors.entries_for_editor(staff, q=q, page=request.GET.get("page"))
    rows = [{"e": e, "status": _status(e.latest_status)} for e in page]
    return render(
        request,
        "console/catalog/entries.html",
        {"page": page, "rows": rows, "q": q, "query": urlencode({"q": q}) + "&" if q else ""},
    )


@staff_required
def entry_new(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "catalog.edit")
    owners = selectors.editor_agencies(staff)
    form = forms.EntryForm(
        request.POST or None, item_types=list(ItemType.objects.all()), owners=owners
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = next(a for a in owners if a.pk == data.pop("owner"))
        try:
            ev = services.catalog_entry_create(actor=staff, owner=owner, **data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已新建基本目录事项草稿")
            return redirect("console:catalog:entry", pk=ev.entry_id)
    return _form_page(
        request,
        title="新建基本目录事项",
        intro="基本目录自上而下统一编制：提交后经政务服务中心审核、合法性审查，方可发布。",
        form=form,
        back_url=reverse("console:catalog:entries"),
    )


def _entry_perms(staff: Any, entry: CatalogEntry) -> dict[str, bool]:
    division = entry.owner.division
    return {
        "can_edit": policies.may_edit(staff, entry.owner_id),
        "can_review": policies.may_centre(staff, "catalog.review", division),
        "can_legal": policies.may_legal_review(staff, division),
        "can_publish": policies.may_centre(staff, "catalog.publish", division),
    }


@staff_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, *CATALOG_PERMISSIONS)
    e = _found(selectors.entry_detail, pk)
    perms = _entry_perms(staff, e)
    if not any(perms.values()):
        raise DjangoPermissionDenied("该基本目录事项不属于您的编制或审核范围")
    versions = selectors.entry_versions(e)
    open_version = next(
        (
            v
            for v in versions
            if v.status not in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
        ),
        None,
    )
    return render(
        request,
        "console/catalog/entry.html",
        {
            "entry": e,
            "versions": [
                {
                    "v": v,
                    "status": _status(v.status),
                    "levels": "、".join(_LEVELS.get(lv, lv) for lv in v.exercise_levels),
                }
                for v in versions
            ],
            "open": open_version,
            "decision_form": forms.DecisionForm(),
            **perms,
        },
    )


@staff_required
def entry_revise(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.edit")
    e = _found(selectors.entry_detail, pk)
    base = e.current or selectors.entry_versions(e)[0]
    form = forms.EntryForm(
        request.POST or None,
        item_types=list(ItemType.objects.all()),
        editing=True,
        initial={**forms.EntryForm.initial_of(base), "reason": ""},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            ev = services.catalog_entry_revise(actor=staff, entry=e, reason=reason, **data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"已提出变更（第{ev.number}版草稿）")
            return redirect("console:catalog:entry", pk=e.pk)
    return _form_page(
        request,
        title=f"变更基本目录「{base.name}」",
        intro="变更须书面说明理由，并重新经中心审核和合法性审查。",
        form=form,
        back_url=reverse("console:catalog:entry", args=[e.pk]),
    )


@staff_required
def entry_version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "catalog.edit")
    ev = _found(selectors.entry_version_detail, pk)
    form = forms.EntryForm(
        request.POST or None,
        item_types=list(ItemType.objects.all()),
        editing=True,
        initial=forms.EntryForm.initial_of(ev),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.catalog_entry_version_update(actor=staff, version=ev, reason=reason, **data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("console:catalog:entry", pk=ev.entry_id)
    return _form_page(
        request,
        title=f"修改「{ev.name}」第{ev.number}版",
        form=form,
        back_url=reverse("console:catalog:entry", args=[ev.entry_id]),
    )


def _entry_act(request: HttpRequest, pk: int, permission: str, fn: Any, done: str, **kw: Any):
    staff = _need(request, permission)
    ev = _found(selectors.entry_version_detail, pk)
    try:
        fn(actor=staff, version=ev, **kw)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("console:catalog:entry", pk=ev.entry_id)


def _decision(request: HttpRequest) -> tuple[bool, str]:
    form = forms.DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return request.POST.get("decision") == "approve", note


@staff_required
@require_POST
def entry_version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_act(
        request, pk, "catalog.edit", services.catalog_entry_version_submit, "已提交中心审核"
    )


@staff_required
@require_POST
def entry_version_review(request: HttpRequest, pk: int) -> HttpResponse:
    approve, note = _decision(request)
    return _entry_act(
        request,
        pk,
        "catalog.review",
        services.catalog_entry_version_review,
        "审核通过，转合法性审查" if approve else "已退回编制部门",
        approve=approve,
        note=note,
    )


@staff_required
@require_POST
def entry_version_legal(request: HttpRequest, pk: int) -> HttpResponse:
    approve, note = _decision(request)
    return _entry_act(
        request,
        pk,
        "catalog.legal_review",
        services.catalog_entry_version_legal_review,
        "合法性审查通过，待发布" if approve else "已退回编制部门",
        approve=approve,
        note=note,
    )


@staff_required
@require_POST
def entry_version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_act(
        request, pk, "catalog.publish", services.catalog_entry_version_publish, "已发布"
    )
