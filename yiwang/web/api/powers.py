"""API: the power and responsibility lists (R4.1–R4.6) and the sunshine lists
(R4.7), mounted at /api/powers.

Public reads need no token and show only published, non-secret powers (a
secret or unpublished power is a plain 404). Anyone may post a comment or
complaint on a power. Agency systems file change requests for their own
agency's powers with their bearer token; the requests go the same way as
in the console (reform office review, then approval) and change nothing
until approved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.domains.catalog import powers as services
from yiwang.domains.catalog import powers_selectors as selectors
from yiwang.domains.catalog.models import (
    Power,
    PowerChangeKind,
    PowerChangeRequest,
    PowerStatus,
    PowerType,
)
from yiwang.domains.orgs.selectors import agency_detail, division_by_code
from yiwang.web.api.auth import ApiTokenAuth

router = Router(tags=["权责清单与阳光清单"])


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None


class BasisOut(Schema):
    title: str
    article: str = ""
    text: str = ""


class StepOut(Schema):
    order: int
    name: str
    actor_role: str
    time_limit: str
    description: str


class DutyOut(Schema):
    content: str
    basis: str
    accountability: str = Field(..., description="追责情形")


class CommentOut(Schema):
    kind: str
    kind_name: str
    content: str
    reply: str
    created_at: str
    replied_at: str | None


class PowerRowOut(Schema):
    code: str = Field(..., description="权力编码")
    name: str
    power_type: str = Field(..., description="权力类型代码")
    power_type_name: str
    agency_name: str = Field(..., description="实施主体")
    agency_credit_code: str
    division_code: str
    division_name: str
    status: str = Field(..., description="active/suspended/cancelled/delegated")
    status_name: str
    suspend_reason: str = ""
    suspend_reason_name: str = ""


class PowerOut(PowerRowOut):
    basis: list[BasisOut]
    time_limit: str
    supervision_method: str
    suspend_note: str
    delegated_from: str | None
    published_at: str | None
    updated_at: str
    steps: list[StepOut] = Field(..., description="运行流程（流程图的各环节，按顺序）")
    duties: list[DutyOut] = Field(..., description="责任事项")
    comments: list[CommentOut] = Field(..., description="已答复的意见和投诉")


class PowerPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PowerRowOut]


class PowerFilter(Schema):
    q: str | None = Field(None, max_length=64, description="名称、编码或拼音首字母")
    type: str | None = Field(None, description="权力类型代码，如 licensing、penalty")
    agency: str | None = Field(None, description="实施主体统一社会信用代码")
    division: str | None = Field(None, description="行政区划代码，含下级区划")
    status: str | None = Field(None, description="状态；默认列出在用、已下放和暂停的")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class CommentIn(Schema):
    kind: str = Field("comment", description="comment（意见建议）或 complaint（投诉）")
    content: str = Field(..., max_length=1000)
    contact: str = Field(..., max_length=100, description="联系电话或电子邮箱，仅用于答复，不公开")
    name: str = Field("", max_length=32)


class CommentCreatedOut(Schema):
    id: int
    status: str


class BasisIn(Schema):
    title: str
    article: str = ""
    text: str = ""


class StepIn(Schema):
    name: str
    actor_role: str = ""
    time_limit: str = ""
    description: str = ""


class DutyIn(Schema):
    content: str
    basis: str = ""
    accountability: str


class PowerDocIn(Schema):
    """Elements of a power; for a change only the elements to change."""

    code: str | None = None
    name: str | None = None
    power_type: str | None = None
    basis: list[BasisIn] | None = None
    time_limit: str | None = None
    supervision_method: str | None = None
    secret: bool | None = None
    entry: str | None = Field(None, description="对应目录事项的基本编码")
    steps: list[StepIn] | None = None
    duties: list[DutyIn] | None = None


class RequestIn(Schema):
    kind: str = Field(..., description="add/cancel/delegate/change/suspend/resume")
    power_code: str | None = Field(None, description="权力编码（新增以外必填）")
    reason: str = Field("", description="事由代码（R4.2 所列；暂停为 R4.3 所列；恢复可空）")
    note: str = Field("", max_length=1000)
    power: PowerDocIn | None = Field(None, description="新增：完整要素；变更：拟变更的要素")
    target_agency: str | None = Field(None, description="下放：下级实施主体统一社会信用代码")


class RequestOut(Schema):
    id: int
    kind: str
    status: str
    status_name: str
    summary: str
    power_code: str | None
    requested_at: str
    reviewed_at: str | None
    approved_at: str | None
    resume_due_at: str | None


class FundOut(Schema):
    year: int
    agency_name: str
    agency_credit_code: str
    project: str
    budget: Decimal = Field(..., description="预算金额（万元）")
    management_rules: str
    allocation: str
    performance: str
    published_at: str | None
    updated_at: str


class FundPage(Schema):
    count: int
    page: int
    pages: int
    total_budget: Decimal
    items: list[FundOut]


class ReliefOut(Schema):
    year: int
    division_code: str
    division_name: str
    agency_name: str
    project: str
    content: str
    beneficiaries: int
    funds: Decimal = Field(..., description="资金规模（万元）")
    published_at: str | None
    updated_at: str


class ReliefPage(Schema):
    count: int
    page: int
    pages: int
    total_funds: Decimal
    total_beneficiaries: int
    items: list[ReliefOut]


class SunshineFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    agency: str | None = Field(None, description="主管部门统一社会信用代码（专项资金）")
    division: str | None = Field(None, description="实施地区区划代码（扶贫项目）")
    page: int = Field(1, ge=1)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _row(p: Power) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "power_type": p.power_type,
        "power_type_name": p.get_power_type_display(),
        "agency_name": p.agency.name,
        "agency_credit_code": p.agency.credit_code,
        "division_code": p.division.code,
        "division_name": p.division.name,
        "status": p.status,
        "status_name": p.get_status_display(),
        "suspend_reason": p.suspend_reason,
        "suspend_reason_name": p.get_suspend_reason_display() if p.suspend_reason else "",
    }


def _request_out(r: PowerChangeRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "status": r.status,
        "status_name": r.get_status_display(),
        "summary": r.summary,
        "power_code": r.power.code if r.power_id else None,  # type: ignore[union-attr]
        "requested_at": r.requested_at.isoformat(),
        "reviewed_at": _iso(r.reviewed_at),
        "approved_at": _iso(r.approved_at),
        "resume_due_at": _iso(r.resume_due_at),
    }


@router.get("", response=PowerPage, summary="权责清单（已公布、非涉密）")
def power_list(request: HttpRequest, filters: Query[PowerFilter]) -> dict[str, Any]:
    if filters.type and filters.type not in PowerType.values:
        raise ValidationFailed("权力类型代码无效", fields={"type": "取值无效"})
    if filters.status and filters.status not in PowerStatus.values:
        raise ValidationFailed(
            "状态应为 active、suspended、cancelled 或 delegated", fields={"status": "取值无效"}
        )
    agency_id = agency_detail(credit_code=filters.agency).pk if filters.agency else None
    if filters.division:
        division_by_code(filters.division)
    page = selectors.power_public_list(
        power_type=filters.type,
        agency_id=agency_id,
        division_code=filters.division,
        q=filters.q,
        status=filters.status,
        page=filters.page,
        per_page=filters.page_size,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_row(p) for p in page.object_list],
    }


@router.get("/sunshine/funds", response=FundPage, summary="财政专项资金清单（已公布）")
def funds(request: HttpRequest, filters: Query[SunshineFilter]) -> dict[str, Any]:
    agency_id = agency_detail(credit_code=filters.agency).pk if filters.agency else None
    page, total = selectors.fund_list_public(
        year=filters.year, agency_id=agency_id, page=filters.page
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "total_budget": total,
        "items": [
            {
                "year": r.year,
                "agency_name": r.agency.name,
                "agency_credit_code": r.agency.credit_code,
                "project": r.project,
                "budget": r.budget,
                "management_rules": r.management_rules,
                "allocation": r.allocation,
                "performance": r.performance,
                "published_at": _iso(r.published_at),
                "updated_at": r.updated_at.isoformat(),
            }
            for r in page.object_list
        ],
    }


@router.get("/sunshine/relief", response=ReliefPage, summary="扶贫项目资金清单（已公布）")
def relief(request: HttpRequest, filters: Query[SunshineFilter]) -> dict[str, Any]:
    if filters.division:
        division_by_code(filters.division)
    page, totals = selectors.relief_list_public(
        year=filters.year, division_code=filters.division, page=filters.page
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "total_funds": totals["funds"],
        "total_beneficiaries": totals["beneficiaries"],
        "items": [
            {
                "year": r.year,
                "division_code": r.division.code,
                "division_name": r.division.name,
                "agency_name": r.agency.name,
                "project": r.project,
                "content": r.content,
                "beneficiaries": r.beneficiaries,
                "funds": r.funds,
                "published_at": _iso(r.published_at),
                "updated_at": r.updated_at.isoformat(),
            }
            for r in page.object_list
        ],
    }


@router.post(
    "/requests",
    auth=ApiTokenAuth(),
    response={
        201: RequestOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="提出本单位权责清单调整申请（待审改办审核、政府审定）",
)
def request_create(request: HttpRequest, payload: RequestIn) -> Status[dict[str, Any]]:
    client = request.auth  # type: ignore[attr-defined]
    if payload.kind not in PowerChangeKind.values:
        raise ValidationFailed(
            "申请类型应为 add、cancel、delegate、change、suspend 或 resume",
            fields={"kind": "取值无效"},
        )
    doc = payload.power.model_dump(exclude_none=True) if payload.power else None
    kwargs: dict[str, Any] = {}
    if payload.kind == PowerChangeKind.ADD:
        kwargs["agency"] = client.agency
    else:
        if not payload.power_code:
            raise ValidationFailed("请给出权力编码", fields={"power_code": "为必填项"})
        power = selectors.power_by_code(payload.power_code)
        if power.agency_id != client.agency_id:
            raise PermissionDenied("只能为本单位的权力事项提出调整申请")
        kwargs["power"] = power
    if payload.target_agency:
        kwargs["target_agency"] = agency_detail(credit_code=payload.target_agency)
    req = services.power_change_request(
        actor=client,
        kind=payload.kind,
        reason=payload.reason,
        note=payload.note,
        data=doc,
        **kwargs,
    )
    return Status(201, _request_out(req))


@router.get(
    "/requests/{request_id}",
    auth=ApiTokenAuth(),
    response={200: RequestOut, 401: ErrorOut, 404: ErrorOut},
    summary="查询本单位调整申请的办理状态",
)
def request_status(request: HttpRequest, request_id: int) -> dict[str, Any]:
    client = request.auth  # type: ignore[attr-defined]
    req = selectors.power_request_for_agency(agency_id=client.agency_id, pk=request_id)
    return _request_out(req)


@router.get("/{code}", response={200: PowerOut, 404: ErrorOut}, summary="权力事项详情")
def power_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    p = selectors.power_public_detail(code)
    return {
        **_row(p),
        "basis": [
            {
                "title": b.get("title", ""),
                "article": b.get("article", ""),
                "text": b.get("text", ""),
            }
            for b in p.basis or []
        ],
        "time_limit": p.time_limit,
        "supervision_method": p.supervision_method,
        "suspend_note": p.suspend_note,
        "delegated_from": p.delegated_from.name if p.delegated_from_id else None,  # type: ignore[union-attr]
        "published_at": _iso(p.published_at),
        "updated_at": p.updated_at.isoformat(),
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "actor_role": s.actor_role,
                "time_limit": s.time_limit,
                "description": s.description,
            }
            for s in p.steps.all()
        ],
        "duties": [
            {"content": d.content, "basis": d.basis, "accountability": d.accountability}
            for d in p.duties.all()
        ],
        "comments": [
            {
                "kind": c.kind,
                "kind_name": c.get_kind_display(),
                "content": c.content,
                "reply": c.reply,
                "created_at": c.created_at.isoformat(),
                "replied_at": _iso(c.replied_at),
            }
            for c in selectors.power_public_comments(p)
        ],
    }


@router.post(
    "/{code}/comments",
    response={201: CommentCreatedOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="对权力事项提出意见建议或投诉（无需登录）",
)
def comment_create(request: HttpRequest, code: str, payload: CommentIn) -> Status[dict[str, Any]]:
    p = selectors.power_public_detail(code)
    comment = services.power_comment_submit(
        actor=services.PUBLIC,
        power=p,
        kind=payload.kind,
        content=payload.content,
        contact=payload.contact,
        name=payload.name,
    )
    return Status(201, {"id": comment.pk, "status": comment.status})
