"""API: divisions and agencies (R1.3, R2.1, R1.4).

Public reads: which divisions the platform covers and which bodies handle
items there are public information, so no token is needed. Lists are paged
(20 by default, at most 100); an unknown code is ``404 {"code", "message"}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.core.errors import ValidationFailed
from yiwang.domains.orgs.models import Agency, AgencyKind, Division, DivisionLevel
from yiwang.domains.orgs.selectors import (
    agency_detail,
    agency_list,
    division_by_code,
    division_children,
    division_list,
    division_path,
)

router = Router(tags=["组织机构"])


class DivisionRef(Schema):
    code: str
    name: str


class DivisionOut(Schema):
    code: str = Field(..., description="行政区划代码（GB/T 2260；乡镇、村为12位统计用区划代码）")
    name: str
    level: str = Field(..., description="层级：province/city/county/town/village")
    level_name: str
    parent_code: str | None = None


class DivisionDetailOut(DivisionOut):
    path: list[DivisionRef] = Field(..., description="自省级起的上级区划路径")
    children: list[DivisionRef]


class DivisionPage(Schema):
    count: int
    page: int
    pages: int
    items: list[DivisionOut]


class AgencyOut(Schema):
    name: str
    short_name: str
    kind: str = Field(..., description="department/delegated/enterprise/management")
    kind_name: str
    credit_code: str = Field(..., description="统一社会信用代码（GB 32100）")
    division_code: str
    division_name: str
    parent_credit_code: str | None = None
    parent_name: str | None = None
    phone: str
    address: str
    active: bool


class AgencyPage(Schema):
    count: int
    page: int
    pages: int
    items: list[AgencyOut]


class DivisionFilter(Schema):
    parent: str | None = Field(None, description="上级区划代码：只列其直接下级")
    level: str | None = Field(None, description="层级：province/city/county/town/village")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class AgencyFilter(Schema):
    division: str | None = Field(None, description="行政区划代码：含其所有下级区划的机构")
    kind: str | None = Field(None, description="机构性质")
    q: str | None = Field(None, max_length=64, description="按名称、简称或信用代码查找")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _division_out(d: Division) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "level": d.level,
        "level_name": d.get_level_display(),
        "parent_code": d.parent.code if d.parent_id and d.parent else None,
    }


def _agency_out(a: Agency) -> dict[str, Any]:
    return {
        "name": a.name,
        "short_name": a.short_name,
        "kind": a.kind,
        "kind_name": a.get_kind_display(),
        "credit_code": a.credit_code,
        "division_code": a.division.code,
        "division_name": a.division.name,
        "parent_credit_code": a.parent.credit_code if a.parent else None,
        "parent_name": a.parent.name if a.parent else None,
        "phone": a.phone,
        "address": a.address,
        "active": a.active,
    }


@router.get("/divisions", response=DivisionPage, summary="行政区划列表")
def divisions(request: HttpRequest, filters: Query[DivisionFilter]) -> dict[str, Any]:
    if filters.level and filters.level not in DivisionLevel.values:
        raise ValidationFailed(
            "层级应为 province、city、county、town 或 village", fields={"level": "取值无效"}
        )
    if filters.parent:
        division_by_code(filters.parent)  # 404 when the parent does not exist
    page = division_list(
        parent_code=filters.parent,
        level=filters.level,
        page=filters.page,
        per_page=filters.page_size,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_division_out(d) for d in page.object_list],
    }


@router.get("/divisions/{code}", response=DivisionDetailOut, summary="行政区划详情")
def division(request: HttpRequest, code: str) -> dict[str, Any]:
    d = division_by_code(code)
    return {
        **_division_out(d),
        "path": [{"code": p.code, "name": p.name} for p in division_path(d)],
        "children": [{"code": c.code, "name": c.name} for c in division_children(d)],
    }


@router.get("/agencies", response=AgencyPage, summary="实施机构列表")
def agencies(request: HttpRequest, filters: Query[AgencyFilter]) -> dict[str, Any]:
    if filters.kind and filters.kind not in AgencyKind.values:
        raise ValidationFailed(
            "机构性质应为 department、delegated、enterprise 或 management",
            fields={"kind": "取值无效"},
        )
    within = division_by_code(filters.division) if filters.division else None
    page = agency_list(
        division=within,
        kind=filters.kind,
        q=filters.q,
        page=filters.page,
        per_page=filters.page_size,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_agency_out(a) for a in page.object_list],
    }


@router.get("/agencies/{credit_code}", response=AgencyOut, summary="实施机构详情")
def agency(request: HttpRequest, credit_code: str) -> dict[str, Any]:
    return _agency_out(agency_detail(credit_code=credit_code))
