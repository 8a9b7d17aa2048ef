"""Public pages of the power and responsibility lists (R4.1, R4.3, R4.6) and
the sunshine lists (R4.7): the published power list with filters, a power's
page with its basis, flowchart, duties and a comment form, the fiscal
special-fund list by budget year and the poverty-relief list. Secret and
unpublished powers do not exist here."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yiwang.core.errors import DomainError, NotFound
from yiwang.domains.catalog import powers as services
from yiwang.domains.catalog import powers_selectors as selectors
from yiwang.domains.catalog.models import PowerCommentKind, PowerStatus, PowerType
from yiwang.web.auth import attach_applicant


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别", choices=PowerCommentKind.choices, initial=PowerCommentKind.COMMENT
    )
    content = forms.CharField(
        label="内容",
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )
    name = forms.CharField(label="姓名（可不填）", max_length=32, required=False)
    contact = forms.CharField(
        label="联系电话或电子邮箱",
        max_length=100,
        help_text="仅用于答复，不会公开",
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def power_list(request: HttpRequest) -> HttpResponse:
    attach_applicant(request)
    params = {
        "type": request.GET.get("type") or "",
        "agency": request.GET.get("agency") or "",
        "division": (request.GET.get("division") or "").strip()[:12],
        "status": request.GET.get("status") or "",
        "q": (request.GET.get("q") or "").strip()[:64],
    }
    page = selectors.power_public_list(
        power_type=params["type"] if params["type"] in PowerType.values else None,
        agency_id=_int(params["agency"]),
        division_code=params["division"] if params["division"].isdigit() else None,
        status=params["status"] if params["status"] in PowerStatus.values else None,
        q=params["q"] or None,
        page=request.GET.get("page"),
    )
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "portal/powers/list.html",
        {
            "page": page,
            "p": params,
            "filtered": any(params.values()),
            "query": f"{query}&" if query else "",
            "types": PowerType.choices,
            "statuses": PowerStatus.choices,
            "agencies": selectors.power_public_agencies(),
            "divisions": selectors.power_public_divisions(),
        },
    )


def power_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A power's public page; a POST leaves a comment or complaint (R4.6),
    no login needed."""
    applicant = attach_applicant(request)
    try:
        power = selectors.power_public_detail(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.power_comment_submit(
                actor=applicant or services.PUBLIC,
                power=power,
                kind=data["kind"],
                content=data["content"],
                name=data["name"],
                contact=data["contact"],
            )
        except DomainError as exc:
            if exc.fields:
                for field, message in exc.fields.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(
                request, "已收到您的意见，实施部门答复后将在本页公开（不含联系方式）。"
            )
            return redirect("portal:power", code=power.code)
    return render(
        request,
        "portal/powers/detail.html",
        {
            "power": power,
            "steps": list(power.steps.all()),
            "duties": list(power.duties.all()),
            "comments": selectors.power_public_comments(power),
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


def fund_list(request: HttpRequest) -> HttpResponse:
    attach_applicant(request)
    years = selectors.fund_years()
    year = _int(request.GET.get("year")) or (years[0] if years else None)
    page, total = selectors.fund_list_public(year=year, page=request.GET.get("page"))
    return render(
        request,
        "portal/powers/funds.html",
        {
            "page": page,
            "total": total,
            "year": year,
            "years": years,
            "query": f"year={year}&" if year else "",
        },
    )


def relief_list(request: HttpRequest) -> HttpResponse:
    attach_applicant(request)
    years = selectors.relief_years()
    year = _int(request.GET.get("year")) or (years[0] if years else None)
    page, totals = selectors.relief_list_public(year=year, page=request.GET.get("page"))
    return render(
        request,
        "portal/powers/relief.html",
        {
            "page": page,
            "totals": totals,
            "year": year,
            "years": years,
            "query": f"year={year}&" if year else "",
        },
    )
