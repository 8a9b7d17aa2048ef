"""API: electronic certificates (R7.2, R7.4, R7.5) — public reads, no token.

- ``GET /api/certificates/types`` (``?shared=true``): the catalogue of types.
- ``GET /api/certificates/{identifier}``: verification — authentic or not,
  status (with date and reason when not 有效), type, issuer, holder masked.
  404 when no such certificate; 422 when the identifier is malformed (its
  check character fails).

Agencies' systems (token) read a certificate in full for one of their cases
(R5.8, R7.5): ``GET /api/certificates/{identifier}/data?case=…&purpose=…``
(the signed metadata, face and signature) and ``…/file?case=…&purpose=…``
(the signed PDF). Every read needs the case number and its purpose (422
otherwise) and the holder's consent for that case (403), and is logged as a
use of the certificate that the holder sees in the wallet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from yiwang.domains.certificates import selectors, wallet
from yiwang.web.api.auth import ApiTokenAuth

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


# --- reads by agencies' systems, each one a logged use (R5.8, R7.5) ----------------------------


class ErrorOut(Schema):
    code: str
    message: str


class UseOut(Schema):
    id: int
    case: str
    agency: str
    purpose: str
    actor: str
    used_at: dt.datetime


class CertificateDataOut(Schema):
    identifier: str
    authentic: bool
    valid: bool
    status: str
    status_name: str
    status_reason: str
    type_code: str
    type_name: str
    number: str
    issuer: str
    issuer_code: str
    holder: str
    holder_code: str
    holder_code_type: str
    issued_on: dt.date
    valid_from: dt.date
    valid_to: dt.date | None
    version: int
    previous: str = Field("", description="上一版本的证照标识（变更、延续）")
    data: dict[str, Any]
    metadata: dict[str, Any] = Field(..., description="签名原文（GB/T 36903 元数据）")
    signature: str
    signature_algorithm: str
    file_sm3: str
    use: UseOut


def _use_out(use: Any) -> dict[str, Any]:
    return {
        "id": use.pk,
        "case": use.case.number if use.case_id else "",
        "agency": use.agency.name if use.agency_id else "",
        "purpose": use.purpose,
        "actor": use.actor_label,
        "used_at": use.used_at,
    }


@router.get(
    "/{identifier}/data",
    auth=ApiTokenAuth(),
    response={200: CertificateDataOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="调用电子证照（办件用证）",
)
def certificate_data(
    request: HttpRequest, identifier: str, case: str = "", purpose: str = ""
) -> dict[str, Any]:
    """The certificate in full for one case of the caller's agency, under the
    holder's consent for that case; ``case`` (办件编号) and ``purpose`` (用途)
    are required and the read is logged as a use the holder sees."""
    cert, use = wallet.certificate_read_for_case(
        actor=request.auth,  # type: ignore[attr-defined]
        identifier=identifier[:120],
        case_number=case,
        purpose=purpose,
    )
    check = selectors.certificate_verify(cert.identifier)
    return {
        "identifier": cert.identifier,
        "authentic": check.authentic,
        "valid": check.valid,
        "status": cert.status,
        "status_name": cert.status_name,
        "status_reason": cert.status_reason,
        "type_code": cert.type.code,
        "type_name": cert.type.name,
        "number": cert.number,
        "issuer": cert.issuer.name,
        "issuer_code": cert.issuer.credit_code,
        "holder": cert.holder_name,
        "holder_code": cert.holder_code,
        "holder_code_type": cert.holder_code_type,
        "issued_on": cert.issued_on,
        "valid_from": cert.valid_from,
        "valid_to": cert.valid_to,
        "version": cert.version,
        "previous": cert.previous.identifier if cert.previous_id else "",  # type: ignore[union-attr]
        "data": cert.data,
        "metadata": cert.metadata,
        "signature": cert.signature,
        "signature_algorithm": cert.signature_algorithm,
        "file_sm3": cert.file_sm3,
        "use": _use_out(use),
    }


@router.get(
    "/{identifier}/file",
    auth=ApiTokenAuth(),
    response={200: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="下载电子证照文件（办件用证）",
)
def certificate_file(
    request: HttpRequest, identifier: str, case: str = "", purpose: str = ""
) -> HttpResponse:
    """The signed PDF of the certificate, on the same terms as ``/data``;
    the ``X-Certificate-SM3`` header carries the digest the seal signed."""
    cert, use = wallet.certificate_read_for_case(
        actor=request.auth,  # type: ignore[attr-defined]
        identifier=identifier[:120],
        case_number=case,
        purpose=purpose,
    )
    with default_storage.open(cert.file_path, "rb") as fh:
        body = fh.read()
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number or use.pk}.pdf"'
    response["X-Certificate-SM3"] = cert.file_sm3
    response["X-Certificate-Use"] = str(use.pk)
    return response
