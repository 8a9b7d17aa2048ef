"""Console pages of the organisations domain (R1.3, R2.1, R2.2, R2.4).

Views read through the selectors, validate the input's shape with a form and
call one service; a refused service call (DomainError) is shown to the user
as it is. No rule lives here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiwang.core.errors import DomainError, NotFound
from yiwang.domains.orgs import policies, selectors, services
from yiwang.domains.orgs.models import (
    AgencyKind,
    ApiClient,
    ChangeKind,
    Division,
    Hall,
    RoleGrant,
    Staff,
    StaffChangeRequest,
    Window,
)
from yiwang.web.auth import staff_required
from yiwang.web.console.common import found as _found
from yiwang.web.console.common import need as _need
from yiwang.web.console.common import put_errors as _put_errors
from yiwang.web.console.orgs import forms


def _form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    context.setdefault("submit_label", "保存")
    return render(request, "console/orgs/form.html", context)


def _manage_or_403(staff: Any, code: str) -> None:
    refusal = policies.manage_refusal(staff, code)
    if refusal is not None:
        raise DjangoPermissionDenied(refusal.message)


def _division_or_404(code: str) -> Division:
    return _found(selectors.division_by_code, code)


# --- divisions ---------------------------------------------------------------------


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("console:orgs:divisions")


@staff_required
def divisions(request: HttpRequest) -> HttpResponse:
    """The division tree around the viewer's own city (or province), down to
    the counties; towns and villages open from each division's page."""
    staff = _need(request, "orgs.view")
    path = selectors.division_path(staff.agency.division)
    root = path[1] if len(path) > 1 else path[0]
    return render(
        request,
        "console/orgs/divisions.html",
        {
            "tree": selectors.division_tree(root),
            "tops": selectors.division_children(None),
            "root": root,
        },
    )


@staff_required
def division(request: HttpRequest, code: str) -> HttpResponse:
    staff = _need(request, "orgs.view")
    d = _division_or_404(code)
    centre = selectors.centre_for_division(d)
    return render(
        request,
        "console/orgs/division.html",
        {
            "division": d,
            "path": selectors.division_path(d),
            "children": selectors.division_children(d),
            "centre": centre,
            "centre_above": centre or selectors.centre_above(d),
            "halls": selectors.halls_for_division(d),
            "agencies": selectors.agency_list(
                division=d, subtree=False, active=None, page=request.GET.get("page")
            ),
            "can_manage": policies.may_manage(staff, d.code),
        },
    )


@staff_required
def division_create(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    parent_code = request.GET.get("parent") or request.POST.get("parent") or ""
    parent = _division_or_404(parent_code) if parent_code else None
    if parent is not None:
        _manage_or_403(staff, parent.code)
    form = forms.DivisionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.division_create(actor=staff, parent=parent, **form.cleaned_data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"已新增行政区划 {d.name}（{d.code}）")
            return redirect("console:orgs:division", code=d.code)
    return _form_page(
        request,
        title=f"新增{parent.name}的下级区划" if parent else "新增省级区划",
        form=form,
        hidden={"parent": parent_code},
        back_url=reverse("console:orgs:division", args=[parent.code])
        if parent
        else reverse("console:orgs:divisions"),
    )


@staff_required
def division_edit(request: HttpRequest, code: str) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    d = _division_or_404(code)
    _manage_or_403(staff, d.code)
    form = forms.DivisionEditForm(request.POST or None, initial={"name": d.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.division_update(actor=staff, division=d, name=form.cleaned_data["name"])
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("console:orgs:division", code=d.code)
    return _form_page(
        request,
        title=f"修改区划名称：{d.name}（{d.code}）",
        form=form,
        back_url=reverse("console:orgs:division", args=[d.code]),
    )


# --- agencies ----------------------------------------------------------------------


@staff_required
def agencies(request: HttpRequest) -> HttpResponse:
    _need(request, "orgs.view")
    code = (request.GET.get("division") or "").strip()
    within = Division.objects.filter(code=code).first() if code else None
    kind = request.GET.get("kind") or None
    if kind not in AgencyKind.values:
        kind = None
    q = (request.GET.get("q") or "").strip()[:64]
    page = selectors.agency_list(
        division=within, kind=kind, q=q or None, active=None, page=request.GET.get("page")
    )
    return render(
        request,
        "console/orgs/agencies.html",
        {
            "page": page,
            "within": within,
            "division_code": code,
            "unknown_division": bool(code) and within is None,
            "kind": kind or "",
            "kinds": AgencyKind.choices,
            "q": q,
            "query": urlencode({"q": q, "division": code, "kind": kind or ""}) + "&",
        },
    )


@staff_required
def agency(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.view")
    a = _found(selectors.agency_detail, pk=pk)
    may_staff = selectors.may_view_staff(staff, a)
    may_clients = staff.has_permission("orgs.api_clients", agency_id=a.pk)
    return render(
        request,
        "console/orgs/agency.html",
        {
            "agency": a,
            "path": selectors.division_path(a.division),
            "children": selectors.agency_children(a),
            "windows": selectors.agency_windows(a),
            "staff_rows": selectors.staff_list_for_agency(viewer=staff, agency=a)
            if may_staff
            else None,
            "can_manage": policies.may_manage(staff, a.division.code),
            "can_request": policies.request_refusal(staff, a.pk) is None and a.active,
            "change_kinds": ChangeKind.choices,
            "api_clients": selectors.api_clients_for_agency(a) if may_clients else None,
            "client_form": forms.ApiClientForm() if may_clients else None,
        },
    )


def _agency_args(form: Any) -> dict[str, Any]:
    """Turn the codes typed into the form into rows; unknown codes become
    form errors (these are lookups, not rules)."""
    data = dict(form.cleaned_data)
    d = Division.objects.filter(code=data.pop("division_code").strip()).first()
    if d is None:
        form.add_error("division_code", "没有这个行政区划代码")
    parent_code = data.pop("parent_credit_code").strip().upper()
    parent = None
    if parent_code:
        try:
            parent = selectors.agency_detail(credit_code=parent_code)
        except NotFound:
            form.add_error("parent_credit_code", "没有这个统一社会信用代码的机构")
    data["division"] = d
    data["parent"] = parent
    return data


_AGENCY_ALIASES = {"division": "division_code", "parent": "parent_credit_code"}


@staff_required
def agency_create(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    code = request.GET.get("division", "")
    form = forms.AgencyForm(request.POST or None, initial={"division_code": code})
    if request.method == "POST" and form.is_valid():
        args = _agency_args(form)
        if not form.errors:
            try:
                a = services.agency_create(actor=staff, **args)
            except DomainError as exc:
                _put_errors(form, exc, _AGENCY_ALIASES)
            else:
                messages.success(request, f"已新增机构 {a.name}")
                return redirect("console:orgs:agency", pk=a.pk)
    return _form_page(
        request,
        title="新增机构",
        form=form,
        back_url=reverse("console:orgs:division", args=[code])
        if code
        else reverse("console:orgs:agencies"),
    )


@staff_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    a = _found(selectors.agency_detail, pk=pk)
    _manage_or_403(staff, a.division.code)
    initial = {
        "name": a.name,
        "short_name": a.short_name,
        "kind": a.kind,
        "credit_code": a.credit_code,
        "division_code": a.division.code,
        "parent_credit_code": a.parent.credit_code if a.parent else "",
        "phone": a.phone,
        "address": a.address,
    }
    form = forms.AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        args = _agency_args(form)
        if not form.errors:
            try:
                services.agency_update(actor=staff, agency=a, **args)
            except DomainError as exc:
                _put_errors(form, exc, _AGENCY_ALIASES)
            else:
                messages.success(request, "已保存")
                return redirect("console:orgs:agency", pk=a.pk)
    return _form_page(
        request,
        title=f"编辑机构：{a.name}",
        form=form,
        back_url=reverse("console:orgs:agency", args=[a.pk]),
    )


@staff_required
@require_POST
def agency_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    a = _found(selectors.agency_detail, pk=pk)
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.agency_deactivate(actor=staff, agency=a, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已停用 {a.name}")
    return redirect("console:orgs:agency", pk=a.pk)


@staff_required
@require_POST
def agency_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    a = _found(selectors.agency_detail, pk=pk)
    try:
        services.agency_reactivate(actor=staff, agency=a)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已启用 {a.name}")
    return redirect("console:orgs:agency", pk=a.pk)


@staff_required
@require_POST
def api_client_issue(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    a = _found(selectors.agency_detail, pk=pk)
    form = forms.ApiClientForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写接入系统名称")
        return redirect("console:orgs:agency", pk=a.pk)
    try:
        client, token = services.api_client_issue(
            actor=staff, agency=a, name=form.cleaned_data["name"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:orgs:agency", pk=a.pk)
    # The token is shown on this response only; it is not stored anywhere.
    response = render(
        request, "console/orgs/api_token.html", {"agency": a, "client": client, "token": token}
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_POST
def api_client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    client = ApiClient.objects.filter(pk=pk).first()
    if client is None:
        raise Http404("接入系统不存在")
    try:
        services.api_client_revoke(actor=staff, client=client)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已停用接入系统「{client.name}」的令牌")
    return redirect("console:orgs:agency", pk=client.agency_id)


# --- service centres, halls, windows ---------------------------------------------------


@staff_required
def centre_create(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    d = _division_or_404(request.GET.get("division", ""))
    _manage_or_403(staff, d.code)
    candidates = list(
        selectors.agency_list(division=d, subtree=False, kind=AgencyKind.MANAGEMENT, per_page=100)
    )
    form = forms.CentreForm(
        request.POST or None, agencies=candidates, initial={"name": f"{d.name}政务服务中心"}
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(a for a in candidates if a.pk == form.cleaned_data["agency"])
        try:
            services.service_centre_create(
                actor=staff, division=d, agency=chosen, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已设立政务服务中心")
            return redirect("console:orgs:division", code=d.code)
    return _form_page(
        request,
        title=f"设立{d.name}政务服务中心",
        intro="管理机构须为本区划的政务服务管理机构；如尚无，请先新增机构并选择“政务服务管理机构”。",
        form=form,
        back_url=reverse("console:orgs:division", args=[d.code]),
    )


@staff_required
def hall(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.view")
    h = _found(selectors.hall_detail, pk)
    return render(
        request,
        "console/orgs/hall.html",
        {
            "hall": h,
            "path": selectors.division_path(h.division),
            "can_manage": policies.may_manage(staff, h.division.code),
        },
    )


@staff_required
def hall_create(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    d = _division_or_404(request.GET.get("division", ""))
    _manage_or_403(staff, d.code)
    centre = selectors.centre_above(d)
    form = forms.HallForm(request.POST or None)
    if centre is None:
        form.add_error(None, f"{d.name}及其上级尚未设立政务服务中心，请先设立中心")
    elif request.method == "POST" and form.is_valid():
        try:
            h = services.hall_create(actor=staff, centre=centre, division=d, **form.cleaned_data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"已新增 {h.name}")
            return redirect("console:orgs:hall", pk=h.pk)
    return _form_page(
        request,
        title=f"新增{d.name}的服务大厅",
        intro=f"所属中心：{centre.name}" if centre else "",
        form=form,
        back_url=reverse("console:orgs:division", args=[d.code]),
    )


@staff_required
def hall_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    h = _found(selectors.hall_detail, pk)
    _manage_or_403(staff, h.division.code)
    initial = {k: getattr(h, k) for k in ("name", "level", "address", "phone", "hours")}
    form = forms.HallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hall_update(actor=staff, hall=h, **form.cleaned_data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("console:orgs:hall", pk=h.pk)
    return _form_page(
        request,
        title=f"编辑大厅：{h.name}",
        form=form,
        back_url=reverse("console:orgs:hall", args=[h.pk]),
    )


def _window_form_page(
    request: HttpRequest, staff: Any, h: Hall, window: Window | None
) -> HttpResponse:
    candidates = selectors.agencies_for_hall(h)
    initial: dict[str, Any] = {"active": True}
    if window is not None:
        initial = {
            "number": window.number,
            "name": window.name,
            "kind": window.kind,
            "agencies": [a.pk for a in window.agencies.all()],
            "active": window.active,
        }
    form = forms.WindowForm(request.POST or None, agencies=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        wanted = set(data.pop("agencies"))
        data["agencies"] = [a for a in candidates if a.pk in wanted]
        try:
            if window is None:
                data.pop("active")
                services.window_create(actor=staff, hall=h, **data)
            else:
                services.window_update(actor=staff, window=window, **data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "已保存窗口")
            return redirect("console:orgs:hall", pk=h.pk)
    return _form_page(
        request,
        title=f"{'新增' if window is None else '编辑'}窗口：{h.name}",
        form=form,
        back_url=reverse("console:orgs:hall", args=[h.pk]),
    )


@staff_required
def window_create(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    h = _found(selectors.hall_detail, pk)
    _manage_or_403(staff, h.division.code)
    return _window_form_page(request, staff, h, None)


@staff_required
def window_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "orgs.manage")
    window = Window.objects.filter(pk=pk).first()
    if window is None:
        raise Http404("窗口不存在")
    h = _found(selectors.hall_detail, window.hall_id)
    _manage_or_403(staff, h.division.code)
    return _window_form_page(request, staff, h, window)


# --- staff change requests (R2.4) ---------------------------------------------------

_EMPTY = {
    "approve": "暂无待您审批的申请。",
    "apply": "暂无待您执行的申请。",
    "mine": "您还没有提交过人员变更申请。",
    "filings": "本中心暂无备案记录。",
}


@staff_required
def requests(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "orgs.view")
    counts = selectors.change_request_counts(staff)
    tab = request.GET.get("tab") or ""
    if tab not in selectors.TABS:
        tab = next((t for t in ("approve", "apply") if counts[t]), "mine")
    return render(
        request,
        "console/orgs/requests.html",
        {
            "tab": tab,
            "tabs": [(t, label, counts[t]) for t, label in selectors.TABS.items()],
            "page": selectors.change_requests_for_viewer(
                viewer=staff, tab=tab, page=request.GET.get("page")
            ),
            "empty": _EMPTY[tab],
            "request_agencies": selectors.request_agencies_for(staff),
        },
    )


_TARGET_KINDS = {
    ChangeKind.UPDATE_STAFF,
    ChangeKind.GRANT_ROLE,
    ChangeKind.REVOKE_ROLE,
    ChangeKind.DEACTIVATE,
    ChangeKind.REACTIVATE,
}
# Deactivation lists staff on duty, reactivation those who left; others all.
_TARGET_ACTIVE: dict[str, bool | None] = {
    ChangeKind.DEACTIVATE: True,
    ChangeKind.REACTIVATE: False,
}


def _request_form(kind: str, data: Any, target: Staff | None, agency_id: int) -> Form:
    if kind == ChangeKind.CREATE_STAFF:
        return forms.CreateStaffForm(data, roles=selectors.roles_all())
    if kind == ChangeKind.UPDATE_STAFF:
        initial = (
            {"name": target.name, "phone": target.phone, "title": target.title} if target else {}
        )
        return forms.UpdateStaffForm(data, initial=initial)
    if kind == ChangeKind.GRANT_ROLE:
        return forms.RoleForm(data, roles=selectors.roles_all())
    if kind == ChangeKind.REVOKE_ROLE:
        held = (
            [
                g.role
                for g in RoleGrant.objects.filter(staff=target, agency_id=agency_id).select_related(
                    "role"
                )
            ]
            if target
            else []
        )
        return forms.RoleForm(data, roles=held)
    return forms.PlainRequestForm(data)


@staff_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Step 1 pick the unit and kind, step 2 the staff member (when the kind
    has one), step 3 the details."""
    staff = request.staff  # type: ignore[attr-defined]
    agencies = selectors.request_agencies_for(staff)
    if not agencies:
        raise DjangoPermissionDenied("您不是任何单位的单位管理员，不能提出人员变更申请")
    agency_id = request.GET.get("agency") or ""
    kind = request.GET.get("kind") or ""
    chosen = next((a for a in agencies if str(a.pk) == agency_id), None)
    if chosen is None and len(agencies) == 1:
        chosen = agencies[0]
    if chosen is None or kind not in ChangeKind.values:
        return render(
            request,
            "console/orgs/request_start.html",
            {"agencies": agencies, "chosen": chosen, "kinds": ChangeKind.choices},
        )
    target = None
    if kind in _TARGET_KINDS:
        target_id = request.GET.get("target") or ""
        candidates = selectors.staff_choices(
            chosen,
            active=_TARGET_ACTIVE.get(kind),
        )
        target = next((s for s in candidates if str(s.pk) == target_id), None)
        if target is None:
            return render(
                request,
                "console/orgs/request_target.html",
                {
                    "agency": chosen,
                    "kind": kind,
                    "kind_label": ChangeKind(kind).label,
                    "candidates": candidates,
                },
            )
        target = Staff.objects.get(pk=target.pk)
    form = _request_form(kind, request.POST or None, target, chosen.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        if kind == ChangeKind.UPDATE_STAFF and not data.get("id_number"):
            data.pop("id_number", None)
        try:
            req = services.staff_change_request(
                actor=staff, agency=chosen, kind=kind, target=target, data=data, reason=reason
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "申请已提交，待单位负责人审批；审批并执行前不会生效")
            return redirect("console:orgs:request", pk=req.pk)
    title = f"{ChangeKind(kind).label}申请 · {chosen.name}"
    if target is not None:
        title += f" · {target.name}"
    return _form_page(
        request,
        title=title,
        intro="申请经单位负责人审批、由单位管理员执行后生效，并向同级政务服务中心备案；全程留痕。",
        form=form,
        submit_label="提交申请",
        back_url=reverse("console:orgs:requests"),
    )


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    view = _found(selectors.change_request_detail, viewer=staff, pk=pk)
    return render(
        request,
        "console/orgs/request.html",
        {"v": view, "req": view.request, "decision_form": forms.DecisionForm()},
    )


def _request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    req = StaffChangeRequest.objects.filter(pk=pk).first()
    if req is None:
        raise Http404("变更申请不存在")
    form = forms.DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if action == "approve":
            services.staff_change_approve(actor=staff, request=req, note=note)
            messages.success(request, "已批准；由单位管理员执行后生效")
        elif action == "reject":
            services.staff_change_reject(actor=staff, request=req, note=note)
            messages.success(request, "已驳回")
        elif action == "apply":
            req = services.staff_change_apply(actor=staff, request=req)
            messages.success(request, f"已执行，并已向{req.filed_with}备案")
        else:
            services.staff_change_withdraw(actor=staff, request=req)
            messages.success(request, "已撤回")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("console:orgs:request", pk=pk)


@staff_required
@require_POST
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(request, pk, "approve")


@staff_required
@require_POST
def request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(request, pk, "reject")


@staff_required
@require_POST
def request_apply(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(request, pk, "apply")


@staff_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(request, pk, "withdraw")
