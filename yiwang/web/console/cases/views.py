"""Console pages of case handling (办件, R2.2, R5.3, R5.4, R6.1, R6.3, R6.9).

The work queues (待受理, 待补正, 审查中, 即将超时, 已超时, 协办) are scoped to
the viewer's agencies by the selectors; the case page shows everything
about a case, including the non-public timeline, and offers only the
actions ``selectors.case_actions`` allows. Each action posts to ``act``,
which parses the form and calls exactly one service; a refusal (wrong state,
someone else acted first, missing reason) is shown in Chinese on the case
page and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiwang.core.calendar import get_work_calendar
from yiwang.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from yiwang.core.pii import mask_id_number, mask_name
from yiwang.domains.cases import policies, selectors, services
from yiwang.domains.cases.models import (
    Case,
    Decision,
    DeliveryWay,
    SpecialKind,
    StepStatus,
)
from yiwang.web.auth import staff_required
from yiwang.web.console.common import found as _found
from yiwang.web.console.common import need as _need
from yiwang.web.files import case_document_response, stream_stored

VIEW_PERMISSIONS = ("cases.view", "cases.assist")
CAP = 999

# Refusals that mean the case moved on under the viewer's feet.
RACE_CODES = frozenset({"illegal_transition", "step_taken", "step_not_active", "conflict"})
CONFLICT_HINT = "其他人员可能已先行办理，页面已显示办件的最新状态。"


# --- small helpers -----------------------------------------------------------------


def _horizon(today: dt.date) -> dt.date:
    return get_work_calendar().add_working_days(today, selectors.due_soon_days())


def _due(day: dt.date | None, today: dt.date, horizon: dt.date) -> dict[str, str]:
    """A due date with its marker: red when overdue, yellow when close."""
    if day is None:
        return {"text": "", "css": "", "note": ""}
    text = f"{day:%Y-%m-%d}"
    if day < today:
        return {"text": text, "css": "badge-danger", "note": "已超时"}
    if day <= horizon:
        return {"text": text, "css": "badge-warn", "note": "即将到期"}
    return {"text": text, "css": "", "note": ""}


def _applicant(case: Case, full: bool = False) -> dict[str, str]:
    """The applicant as staff see them: a person's name and ID masked unless
    the viewer may see full identities."""
    name, code = case.applicant_name, case.applicant_code or ""
    if full:
        return {"name": name, "code": code}
    if case.applicant_kind == "person":
        return {"name": mask_name(name), "code": mask_id_number(code)}
    return {"name": name, "code": mask_id_number(code)}


def _case_or_403(request: HttpRequest, number: str) -> tuple[Any, Case]:
    staff = _need(request, *VIEW_PERMISSIONS)
    try:
        case = _found(selectors.case_for_staff, staff, number)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    return staff, case


def _count(n: int) -> str:
    return f"{CAP}+" if n > CAP else str(n)


# --- queues --------------------------------------------------------------------------


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """办件 work queues with counts, search and pages (R2.2)."""
    staff = _need(request, *VIEW_PERMISSIONS)
    tab = request.GET.get("tab", "")
    if tab not in selectors.QUEUES:
        tab = "intake" if staff.has_permission("cases.view") else "assist"
    q = " ".join(request.GET.get("q", "").split())[:64]
    page = selectors.case_queue(staff, tab, q=q, page=request.GET.get("page"))
    counts = selectors.queue_counts(staff, cap=CAP)
    today = timezone.localdate()
    horizon = _horizon(today)
    full = staff.has_permission("accounts.view_pii")
    if tab == "assist":
        rows = [
            {
                "req": r,
                "due": _due(r.due_on, today, horizon),
            }
            for r in page
        ]
    else:
        rows = [
            {
                "case": c,
                "applicant": _applicant(c, full)["name"],
                "due": _due(c.promised_due, today, horizon),
            }
            for c in page
        ]
    tabs = [
        {
            "code": code,
            "label": label,
            "count": _count(counts.get(code, 0)),
            "url": "?" + urlencode({"tab": code, **({"q": q} if q and code != "assist" else {})}),
            "active": code == tab,
        }
        for code, label in selectors.QUEUES.items()
    ]
    query = urlencode({"tab": tab, **({"q": q} if q else {})})
    return render(
        request,
        "console/cases/queue.html",
        {
            "tab": tab,
            "tab_label": selectors.QUEUES[tab],
            "tabs": tabs,
            "q": q,
            "page": page,
            "rows": rows,
            "query": f"{query}&",
        },
    )


# --- the case page ----------------------------------------------------------------------


def _render_case(
    request: HttpRequest,
    staff: Any,
    case: Case,
    *,
    error: tuple[str, str, bool] | None = None,
    posted: QueryDict | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    horizon = _horizon(today)
    actions = set(selectors.case_actions(staff, case))
    steps = list(case.steps.all())
    active = next((s for s in steps if s.status == StepStatus.ACTIVE), None)
    specials = list(case.special_procedures.all())
    open_special = next((p for p in specials if p.ended_on is None), None)
    guide_materials = list(case.version.materials.all()) if case.version is not None else []
    events = list(case.events.all())
    context: dict[str, Any] = {
        "case": case,
        "applicant": _applicant(case, staff.has_permission("accounts.view_pii")),
        "promised": _due(case.promised_due, today, horizon),
        "statutory": _due(case.statutory_due, today, horizon),
        "clock_lines": selectors.case_clock(case).lines(),
        "steps": [
            {
                "step": s,
                "due": _due(s.due_on, today, horizon)
                if s.status == StepStatus.ACTIVE
                else _due(s.due_on, dt.date.min, dt.date.min),
            }
            for s in steps
        ],
        "active": active,
        "materials": list(case.materials.all()),
        "corrections": list(case.corrections.all()),
        "specials": specials,
        "open_special": open_special,
        "assists": list(case.assist_requests.all()),
        "documents": list(case.documents.all()),
        "events": events,
        "parts": list(case.parts.all()),
        "actions": actions,
        "guide_materials": guide_materials,
        "can_check_materials": policies.may(staff, "cases.accept", case),
        "special_kinds": SpecialKind.choices,
        "delivery_ways": DeliveryWay.choices,
        "decisions": Decision.choices,
        "today": today,
        "assignees": selectors.step_assignees(case, active)
        if active is not None and "assign" in actions
        else [],
        "agencies": selectors.assist_agencies(case) if actions & {"assist", "forward"} else [],
        "error_action": error[0] if error else "",
        "error_message": error[1] if error else "",
        "error_conflict": error[2] if error else False,
        "conflict_hint": CONFLICT_HINT,
        "posted": posted or QueryDict(),
        "my_assists": [
            r
            for r in case.assist_requests.all()
            if r.status == "open" and staff.has_permission("cases.assist", agency_id=r.to_agency_id)
        ],
    }
    return render(request, "console/cases/case.html", context, status=status)


@staff_required
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    """The case page: header, deadline explanation, steps, materials,
    notices, special procedures, assists, documents, full timeline, and the
    viewer's actions (R2.2, R6.9)."""
    staff, case = _case_or_403(request, number)
    return _render_case(request, staff, case)


# --- actions: each parses its form and calls one service ----------------------------------


def _text(data: QueryDict, name: str) -> str:
    return (data.get(name) or "").strip()


def _int(data: QueryDict, name: str, label: str) -> int:
    raw = _text(data, name)
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed(f"请填写{label}（整数）", fields={name: "请填写整数"}) from None


def _pk(data: QueryDict, name: str, label: str) -> int:
    raw = _text(data, name)
    if not raw.isdigit():
        raise ValidationFailed(f"请选择{label}", fields={name: "必选"})
    return int(raw)


def _date(data: QueryDict, name: str, label: str) -> dt.date | None:
    raw = _text(data, name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(f"{label}格式应为 年-月-日", fields={name: "日期格式有误"}) from None


def _step_id(case: Case, data: QueryDict) -> int:
    """The step the form was shown for; it must belong to this case (the
    service then checks it is still active and free)."""
    pk = _pk(data, "step", "办理环节")
    if not any(s.pk == pk for s in case.steps.all()):
        raise ValidationFailed("办理环节不属于该办件")
    return pk


def _do_material_check(staff: Any, case: Case, data: QueryDict) -> str:
    """A window clerk checked a material's original: trust level B (R7.4)."""
    pk = _pk(data, "material", "材料")
    if not any(m.pk == pk for m in case.materials.all()):
        raise ValidationFailed("材料不属于该办件")
    material = services.case_material_check(actor=staff, material_id=pk)
    return f"已核验“{material.name}”原件，可信等级为 B 级"


def _do_accept(staff: Any, case: Case, data: QueryDict) -> str:
    services.case_accept(actor=staff, case_id=case.pk, opinion=_text(data, "opinion"))
    return "已受理，受理通知书已出具"


def _do_prereview(staff: Any, case: Case, data: QueryDict) -> str:
    services.case_prereview(actor=staff, case_id=case.pk, opinion=_text(data, "opinion"))
    return "网上预审通过，已通知申请人到窗口核验"


def _do_correction(staff: Any, case: Case, data: QueryDict) -> str:
    lines = [
        {"code": code, "problem": _text(data, f"problem_{code}")} for code in data.getlist("line")
    ]
    services.case_request_correction(
        actor=staff, case_id=case.pk, lines=lines, note=_text(data, "note")
    )
    return "已一次性告知补正，补正通知书已出具"


def _do_refuse(staff: Any, case: Case, data: QueryDict) -> str:
    services.case_refuse(actor=staff, case_id=case.pk, reason=_text(data, "reason"))
    return "已作出不予受理决定"


def _do_return(staff: Any, case: Case, data: QueryDict) -> str:
    services.case_return(actor=staff, case_id=case.pk, reason=_text(data, "reason"))
    return "已退件"


def _do_claim(staff: Any, case: Case, data: QueryDict) -> str:
    step = services.case_step_claim(actor=staff, step_id=_step_id(case, data))
    return f"已认领“{step.name}”环节"


def _do_complete(staff: Any, case: Case, data: QueryDict) -> str:
    step = services.case_step_complete(
        actor=staff, step_id=_step_id(case, data), opinion=_text(data, "opinion")
    )
    return f"“{step.name}”环节已完成"


def _do_start_special(staff: Any, case: Case, data: QueryDict) -> str:
    proc = services.special_procedure_start(
        actor=staff,
        case_id=case.pk,
        kind=_text(data, "kind"),
        reason=_text(data, "reason"),
        started_on=_date(data, "started_on", "开始日"),
    )
    return f"已启动特别程序：{proc.get_kind_display()}，自 {proc.started_on:%Y-%m-%d} 起暂停计时"


def _do_finish_special(staff: Any, case: Case, data: QueryDict, files: Any = None) -> str:
    pk = _pk(data, "procedure", "特别程序")
    if not any(p.pk == pk for p in case.special_procedures.all()):
        raise ValidationFailed("特别程序不属于该办件")
    uploads = [(f.name, f.read()) for f in (files.getlist("files") if files else [])]
    proc = services.special_procedure_finish(
        actor=staff,
        procedure_id=pk,
        result=_text(data, "result"),
        ended_on=_date(data, "ended_on", "结束日"),
        files=uploads,
    )
    return f"已记录特别程序结果：{proc.get_kind_display()}，恢复计时"


def _do_decide(staff: Any, case: Case, data: QueryDict) -> str:
    decided = services.case_decide(
        actor=staff,
        case_id=case.pk,
        decision=_text(data, "decision"),
        reason=_text(data, "reason"),
    )
    return f"已作出决定：{decided.get_decision_display()}，决定书已签章出具"


def _do_deliver(staff: Any, case: Case, data: QueryDict) -> str:
    services.case_deliver(
        actor=staff,
        case_id=case.pk,
        way=_text(data, "way"),
        tracking_number=_text(data, "tracking_number"),
        recipient=_text(data, "recipient"),
    )
    return "已送达，办件办结"


def _do_extend(staff: Any, case: Case, data: QueryDict) -> str:
    ext = services.case_extend(
        actor=staff,
        case_id=case.pk,
        days=_int(data, "days", "延长天数"),
        reason=_text(data, "reason"),
    )
    return f"已批准延长办理期限 {ext.days} 日"


def _do_assist(staff: Any, case: Case, data: QueryDict) -> str:
    pk = _pk(data, "agency", "协办单位")
    agency = next((a for a in selectors.assist_agencies(case) if a.pk == pk), None)
    if agency is None:
        raise ValidationFailed("请选择协办单位", fields={"agency": "必选"})
    req = services.assist_request_create(
        actor=staff,
        case_id=case.pk,
        to_agency=agency,
        question=_text(data, "question"),
        days=_int(data, "days", "答复期限"),
    )
    return f"已请 {agency.name} 协办，答复期限 {req.due_on:%Y-%m-%d}"


def _do_forward(staff: Any, case: Case, data: QueryDict) -> str:
    """联合办理 (R6.2): the lead forwards the case to co-handling agencies."""
    choices = {a.pk: a for a in selectors.assist_agencies(case)}
    picked = []
    for raw in data.getlist("agencies"):
        if not raw.isdigit() or int(raw) not in choices:
            raise ValidationFailed("请选择会办单位", fields={"agencies": "必选"})
        picked.append(int(raw))
    if not picked:
        raise ValidationFailed("请至少选择一个会办单位", fields={"agencies": "必选"})
    parts = services.case_forward(
        actor=staff, case_id=case.pk, agency_ids=picked, note=_text(data, "note")
    )
    names = "、".join(choices[p.agency_id].name for p in parts if p.agency_id in choices)
    return f"已转 {names} 联合办理，法定时限按 45 个工作日计算"


def _do_assign(staff: Any, case: Case, data: QueryDict) -> str:
    step_id = _step_id(case, data)
    step = next(s for s in case.steps.all() if s.pk == step_id)
    pk = _pk(data, "staff", "经办人")
    person = next((p for p in selectors.step_assignees(case, step) if p.pk == pk), None)
    if person is None:
        raise ValidationFailed(f"所选人员没有“{step.name}”环节的办理角色")
    services.case_step_assign(actor=staff, step_id=step_id, staff=person)
    return f"已将“{step.name}”环节分派给 {person.name}"


ACTIONS: dict[str, Callable[[Any, Case, QueryDict], str]] = {
    "accept": _do_accept,
    "prereview": _do_prereview,
    "request_correction": _do_correction,
    "refuse": _do_refuse,
    "return": _do_return,
    "claim": _do_claim,
    "complete_step": _do_complete,
    "start_special": _do_start_special,
    "finish_special": _do_finish_special,
    "decide": _do_decide,
    "deliver": _do_deliver,
    "extend": _do_extend,
    "assist": _do_assist,
    "forward": _do_forward,
    "assign": _do_assign,
    "material_check": _do_material_check,
}


# Actions whose form carries files (a special procedure's records, R6.1).
ACTIONS_WITH_FILES = {"finish_special"}


@staff_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action on the case; the outcome, or the Chinese refusal, is
    shown on the case page (R5.3, R5.4, R6.1, R6.3, R6.9)."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("没有这个操作")
    staff, case = _case_or_403(request, number)
    try:
        if action in ACTIONS_WITH_FILES:
            done = handler(staff, case, request.POST, request.FILES)  # type: ignore[call-arg]
        else:
            done = handler(staff, case, request.POST)
    except DomainError as exc:
        fresh = _found(selectors.case_for_staff, staff, number)
        conflict = isinstance(exc, Conflict) and exc.code in RACE_CODES
        return _render_case(
            request,
            staff,
            fresh,
            error=(action, exc.message, conflict),
            posted=request.POST,
            status=exc.status,
        )
    messages.success(request, done)
    return redirect(reverse("console:cases:case", args=[number]))


# --- files -----------------------------------------------------------------------------------


def _stream(path: str, mime: str, filename: str) -> HttpResponse:
    return stream_stored(path, mime=mime, filename=filename)


@staff_required
def material_file(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """An uploaded material, for staff who may see the case only."""
    _staff, case = _case_or_403(request, number)
    material = next((m for m in case.materials.all() if m.pk == pk and m.path), None)
    if material is None:
        raise Http404("材料不存在")
    if material.certificate_identifier:
        # 免证办 (R5.8): the agency reads the holder's certificate for this
        # case — logged as a use the holder sees in the wallet.
        from yiwang.domains.certificates.wallet import certificate_use_by_agency

        try:
            certificate_use_by_agency(
                actor=_staff, identifier=material.certificate_identifier, case=case
            )
        except DomainError as exc:
            raise DjangoPermissionDenied(exc.message) from exc
    return _stream(material.path, material.mime, material.original_name or material.code)


@staff_required
def attachment_file(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A special procedure's record (R6.1), for staff who may see the case."""
    _staff, case = _case_or_403(request, number)
    found = next(
        (a for p in case.special_procedures.all() for a in p.attachments.all() if a.pk == pk),
        None,
    )
    if found is None:
        raise Http404("附件不存在")
    return _stream(found.path, found.mime, found.name)


@staff_required
def document_file(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A notice or decision of the case as its PDF."""
    _staff, case = _case_or_403(request, number)
    doc = next((d for d in case.documents.all() if d.pk == pk), None)
    if doc is None:
        raise Http404("文书不存在")
    return case_document_response(request, doc)


# --- answering an assist request --------------------------------------------------------------


@staff_required
def assist_answer(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The asked agency reads the question and answers it (R6.3)."""
    staff, case = _case_or_403(request, number)
    req = next((r for r in case.assist_requests.all() if r.pk == pk), None)
    if req is None:
        raise Http404("协办请求不存在")
    if not staff.has_permission("cases.assist", agency_id=req.to_agency_id):
        raise DjangoPermissionDenied("您不是被请求协办单位的协办人员")
    error = ""
    answer = ""
    status = 200
    if request.method == "POST":
        answer = _text(request.POST, "answer")
        try:
            services.assist_request_answer(actor=staff, request_id=req.pk, answer=answer)
        except DomainError as exc:
            error, status = exc.message, exc.status
            case = _found(selectors.case_for_staff, staff, number)
            req = next(r for r in case.assist_requests.all() if r.pk == pk)
        else:
            messages.success(request, f"已答复办件 {case.number} 的协办请求")
            return redirect(f"{reverse('console:cases:queue')}?tab=assist")
    today = timezone.localdate()
    return render(
        request,
        "console/cases/assist.html",
        {
            "case": case,
            "req": req,
            "applicant": _applicant(case),
            "due": _due(req.due_on, today, _horizon(today)),
            "materials": list(case.materials.all()),
            "error": error,
            "answer": answer,
        },
        status=status,
    )
