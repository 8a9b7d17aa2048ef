"""API: applicants (申请人) — R2.3, R14.3.

An agency's system (a window's intake system, a mini-program backend)
registers a person or an entity on the applicant's behalf and reads them
back. Every call needs a bearer token. The accounts services check the input
(check digits, names, phone), exactly as for the portal; any refusal is
``422 {"code": "validation_failed", "message", "fields"}`` and stores nothing.
Answers carry masked personal data only.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from yiwang.domains.accounts.models import Entity, Person
from yiwang.domains.accounts.selectors import entity_get, person_get
from yiwang.domains.accounts.services import entity_register, person_register

# Writes need an agency system's bearer token (R1.4).
from yiwang.web.api.auth import ApiTokenAuth

router = Router(tags=["申请人"], auth=ApiTokenAuth())


class PersonIn(Schema):
    name: str = Field(..., description="姓名（汉字、字母或间隔号，2–30字）")
    id_number: str = Field(..., description="公民身份号码（18位，GB 11643 校验）")
    phone: str = Field(..., description="中国大陆手机号码（11位）")
    password: str | None = Field(
        None, description="初始密码；不填则账户暂不能登录，由申请人到窗口设置"
    )


class EntityIn(Schema):
    name: str = Field(..., description="单位名称")
    credit_code: str = Field(..., description="统一社会信用代码（18位，GB 32100 校验）")
    legal_representative: str = Field(..., description="法定代表人（负责人、经营者）姓名")
    legal_representative_id: str = Field(..., description="法定代表人公民身份号码")
    phone: str = Field(..., description="经办人手机号码")
    password: str | None = Field(None, description="初始密码；不填则账户暂不能登录")


class PersonOut(Schema):
    id: int
    kind: str = "person"
    name: str = Field(..., description="姓名（脱敏）")
    id_number: str = Field(..., description="公民身份号码（脱敏）")
    phone: str = Field(..., description="手机号码（脱敏）")
    verified_by: str
    can_login: bool = Field(..., description="是否已设置密码")
    created_at: dt.datetime


class EntityOut(Schema):
    id: int
    kind: str = "entity"
    name: str
    credit_code: str
    legal_representative: str = Field(..., description="法定代表人（脱敏）")
    legal_representative_id: str = Field(..., description="法定代表人公民身份号码（脱敏）")
    phone: str = Field(..., description="经办人手机号码（脱敏）")
    verified_by: str
    can_login: bool
    created_at: dt.datetime


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None


def _person_out(p: Person) -> PersonOut:
    return PersonOut(
        id=p.pk,
        name=p.masked_name,
        id_number=p.masked_id_number,
        phone=p.masked_phone,
        verified_by=p.verified_by,
        can_login=p.user.has_usable_password(),
        created_at=p.created_at,
    )


def _entity_out(e: Entity) -> EntityOut:
    return EntityOut(
        id=e.pk,
        name=e.name,
        credit_code=e.credit_code,
        legal_representative=e.masked_legal_representative,
        legal_representative_id=e.masked_legal_representative_id,
        phone=e.masked_phone,
        verified_by=e.verified_by,
        can_login=e.user.has_usable_password(),
        created_at=e.created_at,
    )


_ERRORS = {401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut, 503: ErrorOut}


@router.post(
    "/persons",
    response={201: PersonOut, **_ERRORS},
    summary="代为注册自然人申请人",
    description="校验码错误等输入问题返回 422，已注册返回 409；成功返回 201 及脱敏后的信息。",
)
def create_person(request: HttpRequest, payload: PersonIn) -> Status[PersonOut]:
    person = person_register(actor=request.auth, **payload.dict())  # type: ignore[attr-defined]
    return Status(201, _person_out(person))


@router.post(
    "/entities",
    response={201: EntityOut, **_ERRORS},
    summary="代为注册法人申请人",
    description="校验码错误等输入问题返回 422，已注册返回 409；成功返回 201 及脱敏后的信息。",
)
def create_entity(request: HttpRequest, payload: EntityIn) -> Status[EntityOut]:
    entity = entity_register(actor=request.auth, **payload.dict())  # type: ignore[attr-defined]
    return Status(201, _entity_out(entity))


@router.get(
    "/persons/{person_id}",
    response={200: PersonOut, 401: ErrorOut, 404: ErrorOut},
    summary="查询自然人申请人（脱敏）",
)
def get_person(request: HttpRequest, person_id: int) -> PersonOut:
    return _person_out(person_get(person_id))


@router.get(
    "/entities/{entity_id}",
    response={200: EntityOut, 401: ErrorOut, 404: ErrorOut},
    summary="查询法人申请人（脱敏）",
)
def get_entity(request: HttpRequest, entity_id: int) -> EntityOut:
    return _entity_out(entity_get(entity_id))
