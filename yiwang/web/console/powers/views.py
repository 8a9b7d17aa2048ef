"""Console pages of the power and responsibility lists and the sunshine lists
(R4.1–R4.7): the list, a power's page, change requests and the reform-office
and approval queues, comments to answer, the violations report, and the
sunshine-list editors.

Views read through the selectors, check the input's shape with a form and
call one service; a refused call (DomainError) is shown as it is.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiwang.core.errors import DomainError, NotFound
from yiwang.domains.catalog import powers as services
from yiwang.domains.catalog import powers_selectors as selectors
from yiwang.domains.catalog.models import (
    FundList,
    PowerChangeKind,
    PowerChangeRequest,
    PowerComment,
    PowerCommentStatus,
    PowerStatus,
    PowerType,
    ReliefList,
)
from yiwang.domains.orgs.selectors import division_by_code
from yiwang.web.auth import staff_required
from yiwang.web.console.common import found as _found
from yiwang.web.console.common import need as _need
from yiwang.web.console.common import put_errors as _put_errors
from yiwang.web.console.powers import forms


def _form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    context.setdefault("submit_label", "提交")
    return render(request, "console/powers/form.html", context)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the list and one power ----------------------------------------------------------


@staff_required
def power_list(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "powers.view")
    power_type = request.GET.get("type") or ""
    status = request.GET.get("status") or ""
    q = (request.GET.get("q") or "").strip()[:64]
    page = selectors.power_list_for_viewer(
        viewer=staff,
        power_type=power_type if power_type in PowerType.values else None,
        status=status if status in PowerStatus.values else None,
        q=q or None,
        page=request.GET.get("page"),
    )
    query = urlencode(
        {k: v for k, v in {"type": power_type, "status": status, "q": q}.items() if v}
    )
    return render(
        request,
        "console/powers/list.html",
        {
            "page": page,
            "types": PowerType.choices,
            "statuses": PowerStatus.choices,
            "power_type": power_type,
            "status": status,
            "q": q,
            "query": f"{query}&" if query else "",
            "counts": selectors.power_request_counts(staff),
            "can_add": bool(selectors.request_agencies_for(staff)),
            "perms_edit": staff.has_permission("powers.edit"),
        },
    )


@staff_required
def power_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "powers.view")
    view = _found(selectors.power_detail_for_viewer, viewer=staff, pk=pk)
    return render(request, "console/powers/detail.html", {"v": view, "power": view.power})


@staff_required
def power_new(request: HttpRequest) -> HttpResponse:
    """A department asks to add a power (R4.2)."""
    staff = _need(request, "powers.edit")
    agencies = selectors.request_agencies_for(staff)
    if not agencies:
        raise DjangoPermissionDenied("您没有为任何部门提出权责清单调整申请的权限")
    form = forms.PowerDocForm(request.POST or None, kind="add", agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
        try:
            req = services.power_change_request(
                actor=staff,
                kind=PowerChangeKind.ADD,
                agency=agency,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                data=form.doc(),
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已提交新增申请，待审改办审核")
            return redirect("console:powers:request", pk=req.pk)
    return _form_page(
        request,
        title="申请新增权力事项",
        intro="提交后依次由审改办审核、本级政府审定，审定后才列入权责清单。",
        form=form,
        back_url=reverse("console:powers:list"),
    )


@staff_required
def power_request_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A department asks to change, cancel, delegate, suspend or resume a
    power (R4.2, R4.3)."""
    staff = _need(request, "powers.edit")
    view = _found(selectors.power_detail_for_viewer, viewer=staff, pk=pk)
    power = view.power
    if kind not in dict(view.kinds):
        raise Http404("该权力事项当前不能提出此类申请")
    back = reverse("console:powers:detail", args=[power.pk])
    if kind == PowerChangeKind.CHANGE:
        form: Any = forms.PowerDocForm(
            request.POST or None,
            kind=kind,
            initial=forms.PowerDocForm.initial_from(selectors.power_doc_of(power)),
        )
    elif kind == PowerChangeKind.DELEGATE:
        targets = selectors.delegate_targets(power)
        form = forms.DelegateForm(request.POST or None, targets=targets)
    else:
        form = forms.SimpleRequestForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra: dict[str, Any] = {}
        if kind == PowerChangeKind.CHANGE:
            extra["data"] = form.doc()
        if kind == PowerChangeKind.DELEGATE:
            extra["target_agency"] = next((a for a in targets if a.pk == data["target"]), None)
        try:
            req = services.power_change_request(
                actor=staff,
                kind=kind,
                power=power,
                reason=data.get("reason", ""),
                note=data.get("note", ""),
                **extra,
            )
        except DomainError as exc:
            _put_errors(form, exc, {"target_agency": "target", "payload": "name"})
        else:
            messages.success(request, "已提交申请，待审改办审核")
            return redirect("console:powers:request", pk=req.pk)
    return _form_page(
        request,
        title=f"申请{PowerChangeKind(kind).label}：{power.name}",
        intro="审改办审核、本级政府审定之后才生效；在此之前清单保持不变。",
        form=form,
        back_url=back,
    )


def _power_action(request: HttpRequest, pk: int, fn: Any, done: str, **kwargs: Any) -> HttpResponse:
    staff = _need(request, "powers.view")
    view = _found(selectors.power_detail_for_viewer, viewer=staff, pk=pk)
    try:
        fn(actor=staff, power=view.power, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("console:powers:detail", pk=pk)


@staff_required
@require_POST
def power_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _power_action(request, pk, services.power_publish, "已向社会公布")


@staff_required
@require_POST
def power_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    note = (request.POST.get("note") or "")[:500]
    return _power_action(request, pk, services.power_confirm, "已确认清单内容现行有效", note=note)


@staff_required
@require_POST
def power_basis_changed(request: HttpRequest, pk: int) -> HttpResponse:
    note = (request.POST.get("note") or "")[:500]
    return _power_action(
        request, pk, services.power_basis_changed, "已记录依据变化，请及时调整清单", note=note
    )


# --- change requests and the queues ---------------------------------------------------


@staff_required
def requests(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "powers.view")
    counts = selectors.power_request_counts(staff)
    tab = request.GET.get("tab") or next((t for t in ("review", "decide") if counts[t]), "mine")
    if tab not in selectors.REQUEST_TABS:
        raise Http404("没有这个列表")
    page = selectors.power_requests_for_viewer(viewer=staff, tab=tab, page=request.GET.get("page"))
    empty = {
        "review": "没有待审改办审核的申请。",
        "decide": "没有待审定的申请。",
        "mine": "本部门没有调整申请。",
        "all": "没有调整申请。",
    }[tab]
    return render(
        request,
        "console/powers/requests.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(k, label, counts.get(k, 0)) for k, label in selectors.REQUEST_TABS.items()],
            "empty": empty,
            "query": f"tab={tab}&",
            "perms_edit": staff.has_permission("powers.edit"),
        },
    )


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "powers.view")
    view = _found(selectors.power_request_detail, viewer=staff, pk=pk)
    return render(request, "console/powers/request.html", {"v": view, "req": view.request})


def _request_or_404(staff: Any, pk: int) -> PowerChangeRequest:
    return _found(selectors.power_request_detail, viewer=staff, pk=pk).request


@staff_required
@require_POST
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The reform office passes or sends back a request."""
    staff = _need(request, "powers.reform_review")
    req = _request_or_404(staff, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.power_change_review(
            actor=staff, request=req, approve=approve, note=(request.POST.get("note") or "")[:500]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已审核通过，转本级政府审定" if approve else "已退回")
    return redirect("console:powers:request", pk=pk)


@staff_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The government approves (the change takes effect) or sends back."""
    staff = _need(request, "powers.approve")
    req = _request_or_404(staff, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.power_change_decide(
            actor=staff, request=req, approve=approve, note=(request.POST.get("note") or "")[:500]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已审定，权责清单已调整" if approve else "已退回")
    return redirect("console:powers:request", pk=pk)


@staff_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "powers.view")
    req = _request_or_404(staff, pk)
    try:
        services.power_change_withdraw(actor=staff, request=req)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回")
    return redirect("console:powers:request", pk=pk)


# --- comments and complaints (R4.6) ----------------------------------------------------


@staff_required
def comments(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "powers.edit")
    status = request.GET.get("status", PowerCommentStatus.PENDING)
    if status not in (*PowerCommentStatus.values, "all"):
        status = PowerCommentStatus.PENDING
    page = selectors.power_comments_for_viewer(
        viewer=staff, status=None if status == "all" else status, page=request.GET.get("page")
    )
    return render(
        request,
        "console/powers/comments.html",
        {
            "page": page,
            "status": status,
            "tabs": [*PowerCommentStatus.choices, ("all", "全部")],
            "query": f"status={status}&",
        },
    )


@staff_required
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "powers.edit")
    comment: PowerComment = _found(selectors.power_comment_for_viewer, viewer=staff, pk=pk)
    form = forms.ReplyForm(request.POST or None, initial={"reply": comment.reply})
    if request.method == "POST" and form.is_valid():
        try:
            services.power_comment_reply(
                actor=staff, comment=comment, reply=form.cleaned_data["reply"]
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已答复")
            return redirect("console:powers:comments")
    return render(
        request,
        "console/powers/reply.html",
        {"comment": comment, "form": form},
    )


# --- violations (R4.5) -------------------------------------------------------------------


@staff_required
def violations(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "powers.view")
    kind = request.GET.get("kind") or ""
    report = selectors.power_violations(viewer=staff, kind=kind or None)
    return render(
        request,
        "console/powers/violations.html",
        {
            "report": report,
            "kind": kind,
            "kinds": [
                (k, label, report.counts[k]) for k, label in selectors.VIOLATION_KINDS.items()
            ],
            "perms_edit": staff.has_permission("powers.edit"),
        },
    )


# --- sunshine lists (R4.7) -----------------------------------------------------------------


@staff_required
def funds(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "sunshine.edit")
    year = _int(request.GET.get("year"))
    page = selectors.fund_list_for_editor(viewer=staff, year=year, page=request.GET.get("page"))
    return render(
        request,
        "console/powers/funds.html",
        {
            "page": page,
            "year": year,
            "years": selectors.fund_years(published_only=False),
            "query": f"year={year}&" if year else "",
        },
    )


@staff_required
def fund_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff = _need(request, "sunshine.edit")
    row: FundList | None = (
        _found(selectors.fund_row_for_editor, viewer=staff, pk=pk) if pk is not None else None
    )
    agencies = selectors.sunshine_agencies_for(staff)
    initial = (
        {
            f: getattr(row, f)
            for f in ("year", "project", "budget", "management_rules", "allocation", "performance")
        }
        if row
        else {}
    )
    form = forms.FundForm(
        request.POST or None, agencies=agencies, edit=row is not None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if row is None:
                agency_id = data.pop("agency")
                agency = next(a for a in agencies if a.pk == agency_id)
                row = services.fund_list_create(actor=staff, agency=agency, **data)
            else:
                services.fund_list_update(actor=staff, row=row, **data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已保存（公布后向社会公开）")
            return redirect(f"{reverse('console:powers:funds')}?year={row.year}")
    return _form_page(
        request,
        title="修改财政专项资金清单" if row else "新增财政专项资金清单",
        form=form,
        back_url=reverse("console:powers:funds"),
        submit_label="保存",
    )


@staff_required
@require_POST
def fund_publish(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "sunshine.edit")
    row = _found(selectors.fund_row_for_editor, viewer=staff, pk=pk)
    publish = request.POST.get("publish") != "0"
    try:
        services.fund_list_publish(actor=staff, row=row, published=publish)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已公布" if publish else "已撤回公布")
    return redirect(f"{reverse('console:powers:funds')}?year={row.year}")


@staff_required
def relief(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "sunshine.edit")
    year = _int(request.GET.get("year"))
    page = selectors.relief_list_for_editor(viewer=staff, year=year, page=request.GET.get("page"))
    return render(
        request,
        "console/powers/relief.html",
        {
            "page": page,
            "year": year,
            "years": selectors.relief_years(published_only=False),
            "query": f"year={year}&" if year else "",
        },
    )


@staff_required
def relief_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff = _need(request, "sunshine.edit")
    row: ReliefList | None = (
        _found(selectors.relief_row_for_editor, viewer=staff, pk=pk) if pk is not None else None
    )
    agencies = selectors.sunshine_agencies_for(staff)
    initial = (
        {
            "year": row.year,
            "division": row.division.code,
            "project": row.project,
            "content": row.content,
            "beneficiaries": row.beneficiaries,
            "funds": row.funds,
        }
        if row
        else {}
    )
    form = forms.ReliefForm(
        request.POST or None, agencies=agencies, edit=row is not None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            division = division_by_code(data.pop("division").strip())
        except NotFound:
            form.add_error("division", "没有这个行政区划代码")
        else:
            try:
                if row is None:
                    agency_id = data.pop("agency")
                    agency = next(a for a in agencies if a.pk == agency_id)
                    row = services.relief_list_create(
                        actor=staff, agency=agency, division=division, **data
                    )
                else:
                    services.relief_list_update(actor=staff, row=row, division=division, **data)
            except DomainError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, "已保存（公布后向社会公开）")
                return redirect(f"{reverse('console:powers:relief')}?year={row.year}")
    return _form_page(
        request,
        title="修改扶贫项目资金清单" if row else "新增扶贫项目资金清单",
        form=form,
        back_url=reverse("console:powers:relief"),
        submit_label="保存",
    )


@staff_required
@require_POST
def relief_publish(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "sunshine.edit")
    row = _found(selectors.relief_row_for_editor, viewer=staff, pk=pk)
    publish = request.POST.get("publish") != "0"
    try:
        services.relief_list_publish(actor=staff, row=row, published=publish)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已公布" if publish else "已撤回公布")
    return redirect(f"{reverse('console:powers:relief')}?year={row.year}")
