"""API: the service-item catalogue (事项库) — R3.4, R3.5, R3.7, R6.5, R1.4.

Public reads need no token: search the published items, read a guide (any
version ever published, ``?version=N``), a basic-catalogue entry, the
special-service tags, topics and 一件事 bundles.

Agency systems write with their bearer token, along the same review path as
the console: open a draft of one of their own items, replace guide elements
with a GuideDoc body (keys present replace; lists replace whole), submit it
to the service centre. The centre reviews and publishes in the console. A
token only reaches its own agency's items (403 otherwise); an incomplete
guide is refused with ``422 {"code": "guide_incomplete", "missing": [...]}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.domains.catalog import public
from yiwang.domains.catalog.models import Bundle, ItemVersion, ServiceItem
from yiwang.domains.catalog.selectors import (
    bundle_merged_form,
    bundle_merged_materials,
    guide_doc_of,
    item_version_missing,
)
from yiwang.domains.catalog.services import (
    item_version_revise,
    item_version_submit,
    item_version_update,
)
from yiwang.domains.orgs.selectors import agency_detail, division_by_code
from yiwang.web.api.auth import ApiTokenAuth

router = Router(tags=["事项库"])


# --- schemas -------------------------------------------------------------------------


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None
    missing: list[str] | None = None


class TagOut(Schema):
    code: str
    name: str


class ItemRowOut(Schema):
    implementation_code: str = Field(..., description="实施编码")
    name: str = Field(..., description="事项名称")
    item_type: str = Field(..., description="事项类型")
    agency_name: str = Field(..., description="实施机构（简称）")
    division_name: str = Field(..., description="实施区划")
    audience: str = Field(..., description="服务对象：person/entity/both")
    is_convenience: bool = Field(..., description="是否便民服务事项")
    online_depth: int = Field(..., description="网上办理深度 0–4")
    onsite_trips: int = Field(..., description="到办事现场次数")
    promised_limit: int | None = Field(None, description="承诺办结时限")
    promised_unit: str = Field(..., description="时限单位：working_days/natural_days")
    lifecycle: str = Field(..., description="状态：active/suspended")
    suspend_reason: str = Field("", description="暂停原因代码")
    suspend_reason_name: str = ""
    suspend_note: str = ""
    tags: list[TagOut]


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ItemRowOut]


class ItemFilter(Schema):
    q: str | None = Field(None, max_length=64, description="名称、全拼或拼音首字母（如 spxk）")
    audience: str | None = Field(None, description="服务对象：person/entity")
    topic: str | None = Field(None, description="人生事件或主题代码")
    tag: str | None = Field(None, description="特色服务清单代码（如 wangshang）")
    agency: str | None = Field(None, description="实施机构统一社会信用代码")
    division: str | None = Field(None, description="行政区划代码，含下级区划")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class VersionRef(Schema):
    number: int
    status: str
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None


class LegalBasisOut(Schema):
    title: str = ""
    article: str = ""
    text: str = ""


class GuideOut(Schema):
    implementation_code: str
    basic_code: str
    name: str
    item_type: str
    item_type_code: str
    agency_name: str
    agency_credit_code: str
    division_code: str
    division_name: str
    is_convenience: bool
    lifecycle: str
    suspend_reason: str
    suspend_reason_name: str
    suspend_note: str
    version: VersionRef
    is_current: bool
    legal_basis: list[LegalBasisOut]
    exercise_levels: list[str]
    tags: list[TagOut]
    versions: list[VersionRef] = Field(..., description="所有已发布过的版本")
    guide: dict[str, Any] = Field(..., description="办事指南全部要素（GuideDoc 结构）")


class EntryItemOut(Schema):
    implementation_code: str
    agency_name: str
    division_code: str
    division_name: str
    lifecycle: str


class EntryOut(Schema):
    basic_code: str
    name: str
    item_type: str
    item_type_code: str
    owner_name: str
    parent_basic_code: str | None = None
    version: int
    legal_basis: list[LegalBasisOut]
    exercise_levels: list[str]
    items: list[EntryItemOut] = Field(..., description="已发布的实施清单事项")


class BundleOut(Schema):
    code: str
    name: str
    description: str
    division_code: str
    division_name: str
    lead_agency: str
    audience: str
    promised_limit: int | None = None
    member_count: int


class BundleMemberOut(Schema):
    implementation_code: str
    name: str
    agency_name: str
    variant_code: str
    lifecycle: str


class BundleDetailOut(BundleOut):
    members: list[BundleMemberOut]
    materials: list[dict[str, Any]] = Field(..., description="合并后的材料清单（共用材料只列一次）")
    form_schema: dict[str, Any] = Field(..., description="合并后的申请表（JSON Schema）")


class TagCountOut(Schema):
    code: str
    name: str
    description: str
    item_count: int


class TopicOut(Schema):
    code: str
    name: str
    kind: str
    audience: str
    item_count: int


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class VariantIn(_Strict):
    code: str
    name: str
    form_schema: dict[str, Any] | None = None


class MaterialIn(_Strict):
    code: str
    name: str
    kind: str = Field(..., description="certificate/form/other")
    form: str = Field(..., description="paper/electronic/both")
    necessity: str = Field(..., description="required/optional/deferrable（容缺后补）")
    copies: int | None = None
    page_format: str | None = None
    source: str = Field(..., description="applicant/government/other")
    source_note: str | None = None
    acceptance_standard: str | None = None
    legal_basis: str | None = None
    filling_notes: str | None = None
    certificate_type_code: str | None = None
    variant: str | None = Field(None, description="所属办理项编码；不填为所有办理项")


class StepIn(_Strict):
    code: str
    name: str
    role_code: str
    time_limit: int
    time_unit: str | None = None
    is_special: bool | None = None
    description: str | None = None


class FeeIn(_Strict):
    name: str
    standard: str
    legal_basis: str
    reducible: bool | None = None
    reduction_note: str | None = None


class FaqIn(_Strict):
    question: str
    answer: str


class GuideIn(_Strict):
    """A GuideDoc: only the keys sent are replaced; lists replace whole."""

    audience: str | None = None
    handling_kind: str | None = None
    power_source: str | None = None
    exercise_level: str | None = None
    entrusted_body: str | None = None
    co_agencies: str | None = None
    general_area: str | None = None
    quantity_limit: str | None = None
    acceptance_conditions: str | None = None
    process_description: str | None = None
    statutory_limit: int | None = None
    statutory_unit: str | None = None
    statutory_note: str | None = None
    promised_limit: int | None = None
    promised_unit: str | None = None
    promised_note: str | None = None
    charges_fee: bool | None = None
    result_name: str | None = None
    result_type: str | None = None
    delivery_ways: list[str] | None = None
    address: str | None = None
    hours: str | None = None
    consult_phone: str | None = None
    complaint_phone: str | None = None
    rights_obligations: str | None = None
    legal_remedy: str | None = None
    online: bool | None = None
    online_depth: int | None = None
    onsite_trips: int | None = None
    mobile_url: str | None = None
    appointment: bool | None = None
    online_payment: bool | None = None
    express_delivery: bool | None = None
    enters_centre: bool | None = None
    service_content: str | None = None
    management_requirements: str | None = None
    window_ids: list[int] | None = None
    variants: list[VariantIn] | None = None
    materials: list[MaterialIn] | None = None
    steps: list[StepIn] | None = None
    fees: list[FeeIn] | None = None
    faqs: list[FaqIn] | None = None


class DraftIn(_Strict):
    reason: str = Field(..., min_length=1, max_length=500, description="变更理由")
    local_only: bool = Field(False, description="仅变更本地个性化要素（本级中心简化审核）")


class DraftOut(Schema):
    version_id: int
    implementation_code: str
    number: int
    status: str
    status_name: str
    local_only: bool
    missing: list[str] = Field(..., description="提交前仍缺少的必备要素")


class DraftDetailOut(DraftOut):
    guide: dict[str, Any]


# --- helpers -------------------------------------------------------------------------

_NULLABLE = {"statutory_limit", "promised_limit"}


def _doc(payload: GuideIn) -> dict[str, Any]:
    """The GuideDoc of a request body: the keys sent, with unset optional
    sub-keys left out (absent = the model's default)."""
    raw = payload.model_dump(exclude_unset=True)
    doc: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None and key not in _NULLABLE:
            raise ValidationFailed(f"{key} 不能为 null", fields={key: "不能为空值"})
        if isinstance(value, list):
            value = [
                {k: v for k, v in x.items() if v is not None} if isinstance(x, dict) else x
                for x in value
            ]
        doc[key] = value
    return doc


def _ref(v: ItemVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "status": v.status,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
    }


def _own(request: HttpRequest, item: ServiceItem) -> None:
    client = request.auth  # type: ignore[attr-defined]
    if item.agency_id != client.agency_id:
        raise PermissionDenied(
            f"接入系统只能维护本单位（{client.agency.name}）的事项", code="not_own_item"
        )


def _draft_out(version: ItemVersion) -> dict[str, Any]:
    return {
        "version_id": version.pk,
        "implementation_code": version.item.implementation_code,
        "number": version.number,
        "status": version.status,
        "status_name": version.get_status_display(),
        "local_only": version.local_only,
        "missing": item_version_missing(version),
    }


def _bundle_out(b: Bundle) -> dict[str, Any]:
    return {
        "code": b.code,
        "name": b.name,
        "description": b.description,
        "division_code": b.division.code,
        "division_name": b.division.name,
        "lead_agency": b.lead_agency.name,
        "audience": b.audience,
        "promised_limit": b.promised_limit,
        "member_count": getattr(b, "member_count", None) or len(b.members.all()),
    }


# --- public reads ----------------------------------------------------------------------


@router.get("/items", response=ItemPage, summary="检索事项（名称、全拼、拼音首字母）")
def items(request: HttpRequest, filters: Query[ItemFilter]) -> dict[str, Any]:
    if filters.audience and filters.audience not in ("person", "entity"):
        raise ValidationFailed("服务对象应为 person 或 entity", fields={"audience": "取值无效"})
    agency_id = agency_detail(credit_code=filters.agency).pk if filters.agency else None
    if filters.division:
        division_by_code(filters.division)
    page = public.item_search(
        filters.q,
        audience=filters.audience,
        topic_code=filters.topic,
        tag_code=filters.tag,
        agency_id=agency_id,
        division_code=filters.division,
        page=filters.page,
        per_page=filters.page_size,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [
            {**row.__dict__, "tags": [{"code": c, "name": n} for c, n in row.tags]}
            for row in page.object_list
        ],
    }


@router.get(
    "/items/{implementation_code}",
    response={200: GuideOut, 404: ErrorOut},
    summary="办事指南（全部要素；?version= 查看历史版本）",
)
def item(
    request: HttpRequest, implementation_code: str, version: int | None = None
) -> dict[str, Any]:
    v = public.guide_detail(implementation_code, version)
    it = v.item
    ev = v.entry_version
    return {
        "implementation_code": it.implementation_code,
        "basic_code": ev.entry.basic_code,
        "name": ev.name,
        "item_type": ev.item_type.name,
        "item_type_code": ev.item_type.code,
        "agency_name": it.agency.name,
        "agency_credit_code": it.agency.credit_code,
        "division_code": it.division.code,
        "division_name": it.division.name,
        "is_convenience": it.is_convenience,
        "lifecycle": it.lifecycle,
        "suspend_reason": it.suspend_reason,
        "suspend_reason_name": it.get_suspend_reason_display() if it.suspend_reason else "",
        "suspend_note": it.suspend_note,
        "version": _ref(v),
        "is_current": v.is_current,  # type: ignore[attr-defined]
        "legal_basis": ev.legal_basis or [],
        "exercise_levels": ev.exercise_levels or [],
        "tags": [{"code": t.code, "name": t.name} for t in it.tags.all()],
        "versions": [_ref(h) for h in it.public_versions],  # type: ignore[attr-defined]
        "guide": dict(guide_doc_of(v)),
    }


@router.get(
    "/entries/{basic_code}",
    response={200: EntryOut, 404: ErrorOut},
    summary="基本目录事项（名称、类型、设定依据、各地实施清单）",
)
def entry(request: HttpRequest, basic_code: str) -> dict[str, Any]:
    e = public.entry_by_basic_code(basic_code)
    cv = e.current
    assert cv is not None
    return {
        "basic_code": e.basic_code,
        "name": cv.name,
        "item_type": cv.item_type.name,
        "item_type_code": cv.item_type.code,
        "owner_name": e.owner.name,
        "parent_basic_code": e.parent.basic_code if e.parent else None,
        "version": cv.number,
        "legal_basis": cv.legal_basis or [],
        "exercise_levels": cv.exercise_levels or [],
        "items": [
            {
                "implementation_code": i.implementation_code,
                "agency_name": i.agency.name,
                "division_code": i.division.code,
                "division_name": i.division.name,
                "lifecycle": i.lifecycle,
            }
            for i in e.public_items  # type: ignore[attr-defined]
        ],
    }


@router.get("/bundles", response=list[BundleOut], summary="“一件事”列表")
def bundles(request: HttpRequest, audience: str | None = None) -> list[dict[str, Any]]:
    return [_bundle_out(b) for b in public.bundle_list(audience=audience)]


@router.get(
    "/bundles/{code}",
    response={200: BundleDetailOut, 404: ErrorOut},
    summary="“一件事”详情：成员事项、合并材料清单、合并申请表",
)
def bundle(request: HttpRequest, code: str) -> dict[str, Any]:
    b = public.bundle_by_code(code)
    members = list(b.members.all())
    return {
        **_bundle_out(b),
        "members": [
            {
                "implementation_code": m.item.implementation_code,
                "name": m.item.current.entry_version.name if m.item.current else str(m.item),
                "agency_name": m.item.agency.name,
                "variant_code": m.variant_code,
                "lifecycle": m.item.lifecycle,
            }
            for m in members
        ],
        "materials": bundle_merged_materials(b),
        "form_schema": bundle_merged_form(b),
    }


@router.get("/tags", response=list[TagCountOut], summary="特色服务清单（马上办、就近办 …）")
def tags(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": t.code,
            "name": t.name,
            "description": t.description,
            "item_count": t.item_count,  # type: ignore[attr-defined]
        }
        for t in public.tag_list()
    ]


@router.get("/topics", response=list[TopicOut], summary="人生事件与主题分类")
def topics(request: HttpRequest, kind: str | None = None) -> list[dict[str, Any]]:
    return [
        {
            "code": t.code,
            "name": t.name,
            "kind": t.kind,
            "audience": t.audience,
            "item_count": t.item_count,  # type: ignore[attr-defined]
        }
        for t in public.topic_list(kind=kind)
    ]


# --- agency systems' writes (bearer token) -------------------------------------------


@router.post(
    "/items/{implementation_code}/drafts",
    auth=ApiTokenAuth(),
    response={201: DraftOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="为本单位事项新建草稿版本（调整指南）",
)
def draft_create(
    request: HttpRequest, implementation_code: str, payload: DraftIn
) -> Status[dict[str, Any]]:
    it = public.item_by_code(implementation_code)
    _own(request, it)
    version = item_version_revise(
        actor=request.auth,  # type: ignore[attr-defined]
        item=it,
        reason=payload.reason,
        local_only=payload.local_only,
    )
    return Status(201, _draft_out(version))


@router.get(
    "/drafts/{version_id}",
    auth=ApiTokenAuth(),
    response={200: DraftDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="读取本单位的草稿版本",
)
def draft_detail(request: HttpRequest, version_id: int) -> dict[str, Any]:
    version = public.item_version_by_id(version_id)
    _own(request, version.item)
    return {**_draft_out(version), "guide": dict(guide_doc_of(version))}


@router.put(
    "/drafts/{version_id}",
    auth=ApiTokenAuth(),
    response={
        200: DraftOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="修改草稿的指南要素（GuideDoc：所给键替换，列表整体替换）",
)
def draft_update(request: HttpRequest, version_id: int, payload: GuideIn) -> dict[str, Any]:
    version = public.item_version_by_id(version_id)
    _own(request, version.item)
    version = item_version_update(
        actor=request.auth,  # type: ignore[attr-defined]
        version=version,
        guide=_doc(payload),  # type: ignore[arg-type]
    )
    return _draft_out(version)


@router.post(
    "/drafts/{version_id}/submit",
    auth=ApiTokenAuth(),
    response={
        200: DraftOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="提交草稿，送政务服务中心审核",
)
def draft_submit(request: HttpRequest, version_id: int) -> dict[str, Any]:
    version = public.item_version_by_id(version_id)
    _own(request, version.item)
    version = item_version_submit(
        actor=request.auth,  # type: ignore[attr-defined]
        version=version,
    )
    return _draft_out(version)
