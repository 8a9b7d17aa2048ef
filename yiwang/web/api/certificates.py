"""API: electronic certificates (R7.2, R7.4, R7.5) — public reads, no token.

- ``GET /api/certificates/types`` (``?shared=true``): the catalogue of types.
- ``GET /api/certificates/{identifier}``: verification — authentic or not,
  status (with date and reason when not 有效), type, issuer, holder masked.
  404 when no such certificate; 422 when the identifier is malformed (its
  check character fails).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from yiwang.domains.certificates import selectors

router = Router(tags=["电子证照"])


class TypeOut(Schema):
    code: str
    name: str
    holder_kind: str
    defining_agency: str
    defining_agency_code: str
    validity_years: int | None
    shared: bool
    field_schema: dict


class VerifyOut(Schema):
    identifier: str
    well_formed: bool
    problem: str
    found: bool
    authentic: bool
    valid: bool
    status: str
    status_name: str
    status_at: dt.datetime | None
    status_reason: str
    type_name: str
    type_code: str
    issuer: str
    number: str
    holder: str
    holder_code: str
    issued_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None


@router.get("/types", response=list[TypeOut], summary="电子证照类型目录")
def types(request: HttpRequest, shared: bool = False) -> list[dict]:
    return [
        {
            "code": t.code,
            "name": t.name,
            "holder_kind": t.holder_kind,
            "defining_agency": t.definer,
            "defining_agency_code": t.definer_code or t.defining_agency.credit_code,
            "validity_years": t.validity_years,
            "shared": t.shared,
            "field_schema": t.field_schema,
        }
        for t in selectors.certificate_types_public(shared_only=shared)
    ]


@router.get(
    "/{identifier}",
    response={200: VerifyOut, 404: VerifyOut, 422: VerifyOut},
    summary="核验电子证照",
)
def verify(request: HttpRequest, identifier: str) -> Status:
    result = selectors.certificate_verify(identifier[:120])
    body = {**result.as_dict(), "status_at": result.status_at}
    if not result.well_formed:
        return Status(422, body)
    return Status(200 if result.found else 404, body)
