"""API: cases for agencies' business systems (R1.4).

An agency's system creates and submits applications for registered
applicants, reads a case (status, timeline, steps, documents) and pushes
results back (回流): step opinions, acceptance, correction notices and
decisions. Every call runs the same services as the console, so the same
rules hold; a system acts only on its own agency's cases (403 otherwise).
Errors are ``{"code", "message"}`` with the right HTTP status.

Creating is idempotent with the ``Idempotency-Key`` header: a retried
request returns the case the first one made (200 instead of 201).

免证办 (R5.8): with ``certificate_consent`` (how the applicant agreed), every
material that names a certificate type and got no file is taken from the
applicant's usable certificates (trust level A; ``certificates`` picks one
by identifier); revoked or expired ones are never used. ``pledges`` lists
materials the applicant replaces by the guide's 告知承诺 (trust level D).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from yiwang.core.checkdigits import normalize_resident_id
from yiwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from yiwang.core.pii import blind_index
from yiwang.domains.accounts.models import Entity, Person
from yiwang.domains.cases import selectors, services
from yiwang.domains.cases.documents import verify_url
from yiwang.domains.cases.models import Case
from yiwang.domains.catalog.models import ServiceItem
from yiwang.web.api.auth import ApiTokenAuth

router = Router(tags=["办件"], auth=ApiTokenAuth())

MAX_FILES = 50


class ErrorOut(Schema):
    code: str
    message: str


class ApplicantRef(Schema):
    id_number: str | None = Field(None, description="自然人：公民身份号码（须已在平台实名注册）")
    credit_code: str | None = Field(None, description="法人：统一社会信用代码（须已在平台注册）")


class FileIn(Schema):
    material: str = Field(..., description="办事指南中申请材料的编码")
    filename: str = Field(..., max_length=200)
    content_base64: str = Field(..., description="文件内容（Base64）；PDF/OFD/JPG/PNG")


class CertificateChoiceIn(Schema):
    material: str = Field(..., description="办事指南中申请材料的编码")
    identifier: str = Field(..., description="电子证照标识（GB/T 36904）")


class CaseCreateIn(Schema):
    item: str = Field(..., description="事项实施编码")
    variant: str = Field("", description="办理项编码；不填为第一个办理项")
    form: dict[str, Any] = Field(
        default_factory=dict, description="申请表数据（按办理项的表单结构）"
    )
    applicant: ApplicantRef
    files: list[FileIn] = Field(default_factory=list)
    certificate_consent: str = Field(
        "",
        max_length=200,
        description="申请人同意调用其电子证照的方式（如“申请人在本单位业务系统中勾选同意”）；"
        "填写后，对应证照类型的材料未上传文件的，自动调用申请人有效的电子证照（免证办）",
    )
    certificates: list[CertificateChoiceIn] = Field(
        default_factory=list,
        description="指定某项材料调用的电子证照（须同时填写 certificate_consent）",
    )
    pledges: list[str] = Field(
        default_factory=list, description="以告知承诺代替的材料编码（办事指南允许承诺的材料）"
    )


class EventOut(Schema):
    at: dt.datetime
    kind: str
    title: str
    detail: str
    actor: str
    unit: str
    public: bool = Field(..., description="申请人是否可见")


class StepOut(Schema):
    code: str
    name: str
    role_code: str
    status: str
    status_name: str
    assignee: str | None
    started_on: dt.date | None
    due_on: dt.date | None
    finished_at: dt.datetime | None
    outcome: str
    opinion: str


class DocumentOut(Schema):
    kind: str
    kind_name: str
    number: str
    verify_code: str
    verify_url: str
    status: str = Field(description="pending：生成中（PDF 尚未生成）；ready：已生成")
    sm3: str | None = Field(None, description="PDF 的 SM3 摘要；生成中时为 null")
    size: int | None = Field(None, description="PDF 字节数；生成中时为 null")
    signed: bool
    issued_at: dt.datetime


class MaterialOut(Schema):
    code: str
    name: str
    status: str
    status_name: str
    filename: str
    sm3: str
    size: int
    trust_level: str = "C"  # A/B/C/D (国办函〔2016〕108号)
    certificate_identifier: str = ""  # 免证办: taken from this certificate


class CaseOut(Schema):
    number: str
    status: str
    status_name: str
    title: str
    item: str | None
    variant: str
    channel: str
    agency: str
    agency_credit_code: str
    applicant_name: str
    submitted_at: dt.datetime | None
    accepted_on: dt.date | None
    promised_due: dt.date | None
    statutory_due: dt.date | None
    clock_paused: bool
    decision: str
    decision_reason: str
    concluded_at: dt.datetime | None
    timeline: list[EventOut]
    steps: list[StepOut]
    documents: list[DocumentOut]
    materials: list[MaterialOut]


class StepCompleteIn(Schema):
    opinion: str = Field(..., description="办理意见")
    outcome: str = Field("pass", description="pass（通过）或 return（退回）")


class DecisionIn(Schema):
    decision: str = Field(..., description="granted（准予许可）或 denied（不予许可）")
    reason: str = Field(..., description="决定理由")


class AcceptIn(Schema):
    opinion: str = ""


class CorrectionLine(Schema):
    code: str = Field(..., description="办事指南中的材料编码，或 form（申请表）")
    problem: str = Field(..., description="需要补正的内容")


class CorrectionIn(Schema):
    lines: list[CorrectionLine] = Field(default_factory=list)
    note: str = ""


def _client(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _applicant_user(ref: ApplicantRef) -> Any:
    if ref.id_number:
        number = normalize_resident_id(ref.id_number)
        person = Person.objects.select_related("user").filter(id_index=blind_index(number)).first()
        if person is None:
            raise NotFound("该公民身份号码的申请人尚未在平台注册", code="applicant_not_found")
        return person.user
    if ref.credit_code:
        entity = (
            Entity.objects.select_related("user")
            .filter(credit_code=ref.credit_code.strip().upper())
            .first()
        )
        if entity is None:
            raise NotFound("该统一社会信用代码的申请人尚未在平台注册", code="applicant_not_found")
        return entity.user
    raise ValidationFailed(
        "请填写申请人的公民身份号码或统一社会信用代码",
        code="applicant_required",
        fields={"applicant": "必填"},
    )


def _decode(files: list[FileIn]) -> list[tuple[str, str, bytes]]:
    if len(files) > MAX_FILES:
        raise ValidationFailed(f"一次最多提交 {MAX_FILES} 个文件", code="upload_invalid")
    out: list[tuple[str, str, bytes]] = []
    for i, f in enumerate(files):
        try:
            data = base64.b64decode(f.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationFailed(
                f"第 {i + 1} 个文件（{f.filename}）的内容不是有效的 Base64",
                code="upload_invalid",
                fields={f"files.{i}": "不是有效的 Base64"},
            ) from exc
        out.append((f.material, f.filename, data))
    return out


def _case(request: HttpRequest, number: str) -> Case:
    return selectors.case_for_agency_system(_client(request), number)


def _out(case: Case) -> dict[str, Any]:
    return {
        "number": case.number or "",
        "status": case.status,
        "status_name": case.status_name,
        "title": case.title,
        "item": case.item.implementation_code if case.item else None,
        "variant": case.variant_code,
        "channel": case.channel,
        "agency": case.agency.name,
        "agency_credit_code": case.agency.credit_code,
        "applicant_name": case.applicant_name,
        "submitted_at": case.submitted_at,
        "accepted_on": case.accepted_on,
        "promised_due": case.promised_due,
        "statutory_due": case.statutory_due,
        "clock_paused": case.clock_paused,
        "decision": case.decision,
        "decision_reason": case.decision_reason,
        "concluded_at": case.concluded_at,
        "timeline": [
            {
                "at": e.at,
                "kind": e.kind,
                "title": e.title,
                "detail": e.detail,
                "actor": e.actor_label,
                "unit": e.unit_name,
                "public": e.public,
            }
            for e in case.events.all()
        ],
        "steps": [
            {
                "code": s.code,
                "name": s.name,
                "role_code": s.role_code,
                "status": s.status,
                "status_name": s.get_status_display(),
                "assignee": s.assignee.name if s.assignee else None,
                "started_on": s.started_on,
                "due_on": s.due_on,
                "finished_at": s.finished_at,
                "outcome": s.outcome,
                "opinion": s.opinion,
            }
            for s in case.steps.all()
        ],
        "documents": [
            {
                "kind": d.kind,
                "kind_name": d.get_kind_display(),
                "number": d.number,
                "verify_code": d.verify_code,
                "verify_url": verify_url(d.verify_code),
                "status": d.status,
                "sm3": d.sm3 if d.ready else None,
                "size": d.size if d.ready else None,
                "signed": d.signed,
                "issued_at": d.issued_at,
            }
            for d in case.documents.all()
        ],
        "materials": [
            {
                "code": m.code,
                "name": m.name,
                "status": m.status,
                "status_name": m.get_status_display(),
                "filename": m.original_name,
                "sm3": m.sm3,
                "size": m.size,
                "trust_level": m.trust_level,
                "certificate_identifier": m.certificate_identifier,
            }
            for m in case.materials.all()
        ],
    }


def _reload(request: HttpRequest, case: Case) -> dict[str, Any]:
    return _out(_case(request, case.number or ""))


@router.post(
    "",
    response={
        200: CaseOut,
        201: CaseOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="创建并提交办件",
)
def case_create(request: HttpRequest, payload: CaseCreateIn) -> Status:
    """Create and submit an application for a registered applicant, with
    the form and the materials (Base64). Send an ``Idempotency-Key`` header:
    a retried request returns the case the first one made (R5.1)."""
    client = _client(request)
    item = ServiceItem.objects.filter(implementation_code=payload.item.strip()).first()
    if item is None:
        raise NotFound(f"事项实施编码 {payload.item} 不存在", code="item_not_found")
    if not client.has_permission("cases.intake", agency_id=item.agency_id):
        raise PermissionDenied("只能为本单位实施的事项提交申请", code="case_forbidden")
    user = _applicant_user(payload.applicant)
    key = (request.headers.get("Idempotency-Key") or "").strip()[:64]
    existed = bool(key) and Case.objects.filter(applicant=user, idempotency_key=key).exists()
    case = services.case_apply(
        actor=client,
        item_id=item.pk,
        variant_code=payload.variant,
        form_data=payload.form,
        files=_decode(payload.files),
        applicant=user,
        idempotency_key=key,
        certificates={c.material: c.identifier for c in payload.certificates},
        certificate_consent=payload.certificate_consent,
        pledges=payload.pledges,
    )
    if case.agency_id != client.agency_id:  # a reused key of another system's case
        raise PermissionDenied("该幂等键对应的办件不属于本单位", code="case_forbidden")
    return Status(200 if existed else 201, _reload(request, case))


@router.get(
    "/{number}",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut},
    summary="查询办件",
)
def case_get(request: HttpRequest, number: str) -> dict[str, Any]:
    """Status, timeline, steps, documents and materials of one case of the
    caller's agency."""
    return _out(_case(request, number))


@router.post(
    "/{number}/steps/{code}/complete",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="回流：环节办理结果",
)
def step_complete(
    request: HttpRequest, number: str, code: str, payload: StepCompleteIn
) -> dict[str, Any]:
    """Push the result of a handling step done in the agency's own system
    (R1.4, R6.9): the step must be the active one; the case moves on."""
    case = _case(request, number)
    steps = [s for s in case.steps.all() if s.code == code]
    if not steps:
        raise NotFound(f"办件 {number} 没有编码为 {code} 的环节", code="step_not_found")
    step = next((s for s in steps if s.status == "active"), steps[-1])
    services.case_step_complete(
        actor=_client(request), step_id=step.pk, opinion=payload.opinion, outcome=payload.outcome
    )
    return _reload(request, case)


@router.post(
    "/{number}/decision",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="回流：作出决定",
)
def case_decision(request: HttpRequest, number: str, payload: DecisionIn) -> dict[str, Any]:
    """Grant or deny with reasons (R6.4); the decision document is issued
    and signed as on the console."""
    case = _case(request, number)
    services.case_decide(
        actor=_client(request), case_id=case.pk, decision=payload.decision, reason=payload.reason
    )
    return _reload(request, case)


@router.post(
    "/{number}/accept",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="回流：受理",
)
def case_accept(request: HttpRequest, number: str, payload: AcceptIn) -> dict[str, Any]:
    """Accept the application (R5.3): the clock starts, the acceptance
    notice is issued."""
    case = _case(request, number)
    services.case_accept(actor=_client(request), case_id=case.pk, opinion=payload.opinion)
    return _reload(request, case)


@router.post(
    "/{number}/correction",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="回流：一次性告知补正",
)
def case_correction(request: HttpRequest, number: str, payload: CorrectionIn) -> dict[str, Any]:
    """One correction notice listing every missing or defective material,
    by the guide's material codes (R5.4)."""
    case = _case(request, number)
    services.case_request_correction(
        actor=_client(request),
        case_id=case.pk,
        lines=[line.dict() for line in payload.lines],
        note=payload.note,
    )
    return _reload(request, case)
