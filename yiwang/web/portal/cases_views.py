"""Portal pages of case handling for applicants (R5.1, R5.2, R5.4, R5.7, R6.4):
apply online from a guide (form rendered from the variant's JSON Schema,
one upload per material), "my cases" with the timeline and the notices as
PDFs, corrections, withdrawal, owed 容缺 materials, notifications, and the
public verification page of an issued document.

Views only parse input and call the case services and selectors; a domain
error is shown in Chinese beside the field or file it concerns.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.files import default_max_bytes, size_text
from yiwang.domains.cases import selectors, services
from yiwang.domains.cases.documents import document_bytes
from yiwang.domains.cases.lifecycle import Event, Status, allowed_events
from yiwang.domains.cases.models import (
    Case,
    CaseDocument,
    CaseMaterial,
    MaterialStatus,
    TrustLevel,
)
from yiwang.domains.cases.providers import MaterialOffer, material_offers
from yiwang.domains.catalog.models import MaterialSpec, ServiceItem
from yiwang.domains.catalog.selectors import item_for_application
from yiwang.web.auth import applicant_required, attach_applicant
from yiwang.web.files import case_document_response

ACCEPTED_TYPES = "PDF、OFD、JPG、PNG"
ACCEPT_ATTR = ".pdf,.ofd,.jpg,.jpeg,.png,application/pdf,application/ofd,image/jpeg,image/png"


def max_upload_bytes() -> int:
    """The size limit of one file, as the file store enforces it."""
    return default_max_bytes()


def size_label(n: int) -> str:
    return size_text(n)


def _too_large(upload: Any) -> str:
    """The file store's message for an oversized file, found before the
    upload is read into memory."""
    limit = max_upload_bytes()
    if (upload.size or 0) > limit:
        return f"文件“{upload.name}”超过 {size_text(limit)}，请压缩或拆分后重新上传"
    return ""


def _found(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _actor(request: HttpRequest) -> Any:
    return request.applicant  # type: ignore[attr-defined]


# --- the form renderer ------------------------------------------------------------


@dataclass
class FormField:
    """One input of an application form rendered from a JSON Schema."""

    name: str
    title: str
    kind: str  # text / textarea / number / integer / checkbox / select
    required: bool
    value: Any = ""
    options: list[str] = field(default_factory=list)
    help: str = ""
    error: str = ""
    max_length: int | None = None

    @property
    def input_id(self) -> str:
        return f"f_{self.name}"


def form_fields(
    schema: dict[str, Any] | None, data: dict[str, Any], errors: dict[str, str] | None = None
) -> list[FormField]:
    """The inputs of a variant's form: string, number, integer, boolean and
    enum properties, in the schema's order, with titles and required marks."""
    schema = schema or {}
    errors = errors or {}
    required = set(schema.get("required") or [])
    out: list[FormField] = []
    for name, prop in (schema.get("properties") or {}).items():
        prop = prop or {}
        kind_of = prop.get("type")
        if isinstance(kind_of, list):
            kind_of = next((t for t in kind_of if t != "null"), "string")
        value = data.get(name, "")
        if "enum" in prop:
            kind = "select"
        elif kind_of == "boolean":
            kind = "checkbox"
        elif kind_of == "integer":
            kind = "integer"
        elif kind_of == "number":
            kind = "number"
        elif kind_of in ("string", None):
            long = (prop.get("maxLength") or 0) > 200 or prop.get("format") == "textarea"
            kind = "textarea" if long else "text"
        else:
            continue  # objects and arrays are not asked on this form
        out.append(
            FormField(
                name=name,
                title=str(prop.get("title") or name),
                kind=kind,
                required=name in required,
                value="" if value is None else value,
                options=[str(o) for o in prop.get("enum") or []],
                help=str(prop.get("description") or ""),
                error=errors.get(name, ""),
                max_length=prop.get("maxLength"),
            )
        )
    return out


def form_values(schema: dict[str, Any] | None, post: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """(data, errors) read from a POST by the schema: numbers are converted,
    blanks left out, a checkbox is true or false. A value that is not a
    number is kept as typed (so the draft keeps it) and reported."""
    schema = schema or {}
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in form_fields(schema, {}):
        raw = post.get(f.name)
        if f.kind == "checkbox":
            data[f.name] = raw in ("on", "true", "1", "yes")
            continue
        text = (raw or "").strip()
        if not text:
            continue
        if f.kind in ("number", "integer"):
            try:
                num = float(text)
                if f.kind == "integer":
                    if not num.is_integer():
                        raise ValueError
                    data[f.name] = int(num)
                else:
                    data[f.name] = int(num) if num.is_integer() else num
            except ValueError:
                data[f.name] = text
                errors[f.name] = f"“{f.title}”应填写{'整数' if f.kind == 'integer' else '数字'}"
            continue
        data[f.name] = text
    return data, errors


# --- materials ---------------------------------------------------------------------


@dataclass
class MaterialRow:
    spec: MaterialSpec
    files: list[CaseMaterial]
    error: str = ""
    # 免证办 (R5.8): the applicant's usable certificates of the spec's type,
    # and the material row already taken from one of them
    offers: list[MaterialOffer] = field(default_factory=list)
    certificate: CaseMaterial | None = None
    stale_certificate: CaseMaterial | None = None  # chosen, since revoked/expired
    # 告知承诺 (trust level D): the pledge made instead of the document
    pledge: CaseMaterial | None = None

    @property
    def pledgeable(self) -> bool:
        return bool((self.spec.pledge_text or "").strip())

    @property
    def pledge_input_name(self) -> str:
        return f"pledge_{self.spec.code}"

    @property
    def cert_input_name(self) -> str:
        return f"cert_{self.spec.code}"

    @property
    def input_name(self) -> str:
        return f"file_{self.spec.code}"

    @property
    def uploadable(self) -> bool:
        return self.spec.form != MaterialSpec.Form.PAPER

    @property
    def necessity_label(self) -> str:
        return self.spec.get_necessity_display()

    @property
    def deferrable(self) -> bool:
        return self.spec.necessity == MaterialSpec.Necessity.DEFERRABLE


def _specs(version: Any, variant_code: str) -> list[MaterialSpec]:
    variant_ids = {v.pk for v in version.variants.all() if v.code == variant_code}
    return [
        s for s in version.materials.all() if s.variant_id is None or s.variant_id in variant_ids
    ]


def _material_rows(
    version: Any, case: Case, errors: dict[str, str] | None = None
) -> list[MaterialRow]:
    errors = errors or {}
    current = list(
        CaseMaterial.objects.filter(case=case, replaced=False).exclude(path="").order_by("pk")
    )
    rows = []
    for s in _specs(version, case.variant_code):
        mine = [m for m in current if m.code == s.code]
        offers = material_offers(case.applicant, s.certificate_type_code)
        offered = {o.identifier for o in offers}
        chosen = [m for m in mine if m.certificate_identifier]
        pledges = [m for m in mine if m.trust_level == TrustLevel.D]
        rows.append(
            MaterialRow(
                spec=s,
                files=[m for m in mine if not m.certificate_identifier and m not in pledges],
                pledge=pledges[0] if pledges else None,
                error=errors.get(s.code, ""),
                offers=offers,
                certificate=next((m for m in chosen if m.certificate_identifier in offered), None),
                stale_certificate=next(
                    (m for m in chosen if m.certificate_identifier not in offered), None
                ),
            )
        )
    return rows


def _use_certificates(request: HttpRequest, case: Case, version: Any) -> dict[str, str]:
    """免证办 (R5.8): for each material the applicant chose one of their
    certificates for (``cert_<code>`` = identifier), take it from the
    certificate library — choosing is the consent. {code: message} for the
    ones refused (revoked or expired meanwhile)."""
    errors: dict[str, str] = {}
    for spec in _specs(version, case.variant_code):
        identifier = (request.POST.get(f"cert_{spec.code}") or "").strip()
        if not identifier or not spec.certificate_type_code:
            continue
        try:
            services.case_material_from_certificate(
                actor=_actor(request), case_id=case.pk, code=spec.code, identifier=identifier
            )
        except DomainError as exc:
            errors[spec.code] = exc.message
    return errors


def _pledge(request: HttpRequest, case: Case, version: Any) -> dict[str, str]:
    """告知承诺 (trust level D): every material whose pledge box
    (``pledge_<code>``) is ticked is replaced by the guide's pledge text,
    recorded as the applicant's 告知承诺书. {code: message} for refusals."""
    errors: dict[str, str] = {}
    for spec in _specs(version, case.variant_code):
        if request.POST.get(f"pledge_{spec.code}") not in ("on", "1", "true"):
            continue
        try:
            services.case_material_pledge(actor=_actor(request), case_id=case.pk, code=spec.code)
        except DomainError as exc:
            errors[spec.code] = exc.message
    return errors


def _upload_files(
    request: HttpRequest, case: Case, codes: list[str], *, supply: bool = False
) -> dict[str, str]:
    """Store every file posted as ``file_<code>``; {code: message} for the
    ones refused (the others are kept)."""
    errors: dict[str, str] = {}
    for code in codes:
        for upload in request.FILES.getlist(f"file_{code}"):
            if big := _too_large(upload):
                errors[code] = f"未能上传：{big}"
                continue
            try:
                data = upload.read()
                if supply:
                    services.material_supply(
                        actor=_actor(request),
                        case_id=case.pk,
                        code=code,
                        data=data,
                        filename=upload.name or "",
                    )
                else:
                    services.case_material_upload(
                        actor=_actor(request),
                        case_id=case.pk,
                        code=code,
                        data=data,
                        filename=upload.name or "",
                    )
            except DomainError as exc:
                errors[code] = f"未能上传：{exc.message}"
    return errors


# --- applying online (R5.1, R5.2) ------------------------------------------------------


def _item_by_code(code: str) -> ServiceItem:
    item = ServiceItem.objects.filter(implementation_code=code).first()
    if item is None:
        raise Http404("事项不存在")
    return item


def _draft_of(user: Any, item: ServiceItem) -> Case | None:
    return (
        Case.objects.filter(applicant=user, item=item, status=Status.DRAFT, parent__isnull=True)
        .order_by("-updated_at", "-pk")
        .first()
    )


def _apply_page(
    request: HttpRequest,
    item: ServiceItem,
    case: Case,
    version: Any,
    *,
    form_data: dict[str, Any] | None = None,
    field_errors: dict[str, str] | None = None,
    file_errors: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    variants = list(version.variants.all())
    variant = next((v for v in variants if v.code == case.variant_code), None)
    schema = variant.form_schema if variant is not None else {}
    data = form_data if form_data is not None else dict(case.form_data or {})
    return render(
        request,
        "portal/cases/apply.html",
        {
            "item": item,
            "version": version,
            "title": version.entry_version.name,
            "case": case,
            "variants": variants,
            "variant": variant,
            "fields": form_fields(schema, data, field_errors),
            "materials": _material_rows(version, case, file_errors),
            "idempotency_key": secrets.token_urlsafe(18),
            "accepted_types": ACCEPTED_TYPES,
            "accept_attr": ACCEPT_ATTR,
            "max_size": size_label(max_upload_bytes()),
            "error": error,
            "has_errors": bool(error or field_errors or file_errors),
        },
        status=status,
    )


@applicant_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """/items/<code>/apply/: create or resume the draft, fill the form,
    upload the materials, save or submit (R5.1). The submit button carries
    an idempotency key made when the page was rendered: a double click
    makes one case."""
    item = _item_by_code(code)
    actor = _actor(request)
    try:
        current = item_for_application(item_id=item.pk)
    except DomainError as exc:
        return render(
            request,
            "portal/cases/not_accepting.html",
            {"item": item, "message": exc.message},
            status=409,
        )
    variant_codes = [v.code for v in current.variants.all()]
    wanted = (request.POST.get("variant") or request.GET.get("variant") or "").strip()
    if wanted and wanted not in variant_codes:
        raise Http404("办理项不存在")

    if request.method == "POST":
        return _apply_post(request, item, wanted, variant_codes)

    draft = _draft_of(request.user, item)
    try:
        if draft is None:
            draft = services.case_draft_save(
                actor=actor,
                item_id=item.pk,
                variant_code=wanted or (variant_codes[0] if variant_codes else ""),
                form_data={},
            )
        elif wanted and wanted != draft.variant_code:
            draft = services.case_draft_save(
                actor=actor,
                item_id=item.pk,
                case_id=draft.pk,
                variant_code=wanted,
                form_data=draft.form_data,
            )
    except DomainError as exc:
        return render(
            request,
            "portal/cases/not_accepting.html",
            {"item": item, "message": exc.message},
            status=exc.status,
        )
    version = item_for_application(item_id=item.pk, variant_code=draft.variant_code or None)
    saved = request.GET.get("saved") == "1"
    if saved:
        messages.success(request, "草稿已保存，下次可继续填写。")
    return _apply_page(request, item, draft, version)


def _apply_post(
    request: HttpRequest, item: ServiceItem, wanted: str, variant_codes: list[str]
) -> HttpResponse:
    actor = _actor(request)
    action = request.POST.get("action") or "save"
    key = (request.POST.get("idempotency_key") or "").strip()
    case_id = request.POST.get("case") or ""
    if not case_id.isdigit():
        return redirect("portal:case_apply", code=item.implementation_code)
    case = _found(selectors.case_for_applicant, request.user, int(case_id))
    if case.item_id != item.pk:
        raise Http404("办件不存在")
    if case.status != Status.DRAFT:
        # The second click of a double submit, or a page left open.
        if action == "submit" and key and case.idempotency_key == key:
            return redirect("portal:case_detail", number=case.number)
        messages.info(request, "该申请已提交，请在“我的办件”中查看。")
        return redirect("portal:case_detail", number=case.number)
    variant_code = wanted or case.variant_code or (variant_codes[0] if variant_codes else "")
    version = item_for_application(item_id=item.pk, variant_code=variant_code or None)
    variant = next((v for v in version.variants.all() if v.code == variant_code), None)
    data, field_errors = form_values(variant.form_schema if variant else {}, request.POST)
    try:
        case = services.case_draft_save(
            actor=actor,
            item_id=item.pk,
            case_id=case.pk,
            variant_code=variant_code,
            form_data=data,
        )
    except DomainError as exc:
        return _submitted_meanwhile(request, case.pk, key, exc)
    # Removing a file (the "删除" button beside it).
    remove = request.POST.get("remove") or ""
    if remove.isdigit():
        row = CaseMaterial.objects.filter(pk=int(remove), case=case).first()
        if row is not None:
            try:
                services.case_material_remove(actor=actor, material_id=row.pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    file_errors = _use_certificates(request, case, version)
    file_errors.update(_pledge(request, case, version))
    file_errors.update(
        _upload_files(request, case, [s.code for s in _specs(version, variant_code)])
    )
    if field_errors or file_errors:
        return _apply_page(
            request,
            item,
            case,
            version,
            form_data=data,
            field_errors=field_errors,
            file_errors=file_errors,
            error="部分内容未能保存，请按提示修改；其余内容已保存在草稿中。",
        )
    if action != "submit":
        if not remove:
            return redirect(
                reverse("portal:case_apply", args=[item.implementation_code]) + "?saved=1"
            )
        return redirect("portal:case_apply", code=item.implementation_code)
    try:
        case = services.case_submit(actor=actor, case_id=case.pk, idempotency_key=key)
    except DomainError as exc:
        if exc.code == "illegal_transition":
            return _submitted_meanwhile(request, case.pk, key, exc)
        fields = dict(exc.fields)
        return _apply_page(
            request,
            item,
            case,
            version,
            form_data=data,
            field_errors={
                k: v
                for k, v in fields.items()
                if k in data or k not in _codes(version, variant_code)
            },
            file_errors={
                k: ("请上传该材料" if v == "请上传" else v)
                for k, v in fields.items()
                if k in _codes(version, variant_code)
            },
            error=exc.message,
        )
    messages.success(request, f"申请已提交，办件编号 {case.number}。")
    return redirect("portal:case_detail", number=case.number)


def _codes(version: Any, variant_code: str) -> set[str]:
    return {s.code for s in _specs(version, variant_code)}


def _submitted_meanwhile(
    request: HttpRequest, case_id: int, key: str, exc: DomainError
) -> HttpResponse:
    """The draft was submitted by a concurrent click: with the same key the
    submit service returns that case; otherwise the message is shown."""
    try:
        case = services.case_submit(actor=_actor(request), case_id=case_id, idempotency_key=key)
    except DomainError:
        messages.error(request, exc.message)
        case = _found(selectors.case_for_applicant, request.user, case_id)
        if case.status == Status.DRAFT:
            return redirect("portal:my_cases")
    return redirect("portal:case_detail", number=case.number)


# --- my cases (R5.7) ---------------------------------------------------------------------


@applicant_required
def my_cases(request: HttpRequest) -> HttpResponse:
    page = selectors.cases_of_applicant(request.user, page=request.GET.get("page") or 1)
    return render(request, "portal/cases/list.html", {"page": page, "query": ""})


def _case_of(request: HttpRequest, number: str) -> Case:
    """The applicant's own case; anybody else's is a 404 (not a 403: the
    number says nothing about whether it exists)."""
    if number.isdigit():
        raise Http404("办件不存在")
    return _found(selectors.case_for_applicant, request.user, number)


def _can_withdraw(case: Case) -> bool:
    return Event.WITHDRAW in allowed_events(case.status)


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    correction_errors: dict[str, str] | None = None,
    form_errors: dict[str, str] | None = None,
    form_data: dict[str, Any] | None = None,
    supply_errors: dict[str, str] | None = None,
    withdraw_error: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    notice = next((n for n in case.corrections.all() if n.resolved_at is None), None)
    correcting = case.status in (Status.CORRECTING, Status.SUPPLEMENTING)
    materials = list(case.materials.all())
    lines: list[dict[str, Any]] = []
    fields: list[FormField] = []
    if notice is not None and correcting:
        correction_errors = correction_errors or {}
        for line in notice.lines:
            if line.get("code") == "form":
                continue
            lines.append(
                {
                    **line,
                    "input_name": f"file_{line['code']}",
                    "files": [m for m in materials if m.code == line["code"]],
                    "error": correction_errors.get(line["code"], ""),
                }
            )
        if any(line.get("code") == "form" for line in notice.lines):
            variant = next(
                (v for v in case.version.variants.all() if v.code == case.variant_code),  # type: ignore[union-attr]
                None,
            )
            data = form_data if form_data is not None else dict(case.form_data or {})
            fields = form_fields(variant.form_schema if variant else {}, data, form_errors)
    owed = [m for m in materials if m.status == MaterialStatus.DEFERRED]
    return render(
        request,
        "portal/cases/detail.html",
        {
            "case": case,
            "events": selectors.public_events(case),
            "documents": list(case.documents.all()),
            "materials": materials,
            "steps": list(case.steps.all()),
            "parts": list(case.parts.all()),
            "notice": notice if correcting else None,
            "form_line": next(
                (ln for ln in (notice.lines if notice else []) if ln.get("code") == "form"), None
            ),
            "correction_lines": lines,
            "fields": fields,
            "owed": owed,
            "supply_errors": supply_errors or {},
            "can_withdraw": _can_withdraw(case),
            "withdraw_error": withdraw_error,
            "error": error,
            "accepted_types": ACCEPTED_TYPES,
            "accept_attr": ACCEPT_ATTR,
            "max_size": size_label(max_upload_bytes()),
        },
        status=status,
    )


@applicant_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's case: status, number, due date, the timeline with
    time and acting unit, the notices (PDF), materials and what they may do
    now (R5.7)."""
    case = _case_of(request, number)
    if case.status == Status.DRAFT and case.item is not None:
        return redirect("portal:case_apply", code=case.item.implementation_code)
    return _case_page(request, case)


@applicant_required
def document_pdf(request: HttpRequest, number: str, doc_id: int) -> HttpResponse:
    """One notice or decision of the applicant's own case, as a PDF."""
    case = _case_of(request, number)
    doc = next((d for d in case.documents.all() if d.pk == doc_id), None)
    if doc is None:
        raise Http404("文书不存在")
    return case_document_response(request, doc)


@applicant_required
@require_POST
def case_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """Withdraw before the decision, with a reason (R6.4)."""
    case = _case_of(request, number)
    try:
        services.case_withdraw(
            actor=_actor(request), case_id=case.pk, reason=request.POST.get("reason") or ""
        )
    except DomainError as exc:
        return _case_page(request, _case_of(request, number), withdraw_error=exc.message)
    messages.success(request, "已撤回申请。")
    return redirect("portal:case_detail", number=number)


@applicant_required
@require_POST
def case_correct(request: HttpRequest, number: str) -> HttpResponse:
    """Replace the files the correction notice names and resubmit (R5.4).
    A replacement is stored first; only then is the defective file marked
    replaced, so a refused upload loses nothing."""
    case = _case_of(request, number)
    actor = _actor(request)
    notice = next((n for n in case.corrections.all() if n.resolved_at is None), None)
    if notice is None or case.status not in (Status.CORRECTING, Status.SUPPLEMENTING):
        messages.error(request, "该办件当前无需补正。")
        return redirect("portal:case_detail", number=number)
    codes = [ln["code"] for ln in notice.lines if ln.get("code") != "form"]
    errors: dict[str, str] = {}
    for code in codes:
        uploads = request.FILES.getlist(f"file_{code}")
        if not uploads:
            continue
        old = list(
            CaseMaterial.objects.filter(
                case=case, code=code, replaced=False, status=MaterialStatus.REJECTED
            )
        )
        stored = False
        for upload in uploads:
            if big := _too_large(upload):
                errors[code] = f"未能上传：{big}"
                continue
            try:
                services.case_material_upload(
                    actor=actor,
                    case_id=case.pk,
                    code=code,
                    data=upload.read(),
                    filename=upload.name or "",
                )
                stored = True
            except DomainError as exc:
                errors[code] = f"未能上传：{exc.message}"
        if stored:
            for row in old:
                services.case_material_remove(actor=actor, material_id=row.pk)
    form_data: dict[str, Any] | None = None
    form_errs: dict[str, str] = {}
    if any(ln.get("code") == "form" for ln in notice.lines):
        variant = next(
            (v for v in case.version.variants.all() if v.code == case.variant_code),  # type: ignore[union-attr]
            None,
        )
        form_data, form_errs = form_values(variant.form_schema if variant else {}, request.POST)
    fresh = _case_of(request, number)
    if errors or form_errs:
        return _case_page(
            request,
            fresh,
            correction_errors=errors,
            form_errors=form_errs,
            form_data=form_data,
            error="部分内容未能保存，请按提示修改。",
        )
    if request.POST.get("action") != "resubmit":
        messages.success(request, "补正材料已上传；全部补齐后请点击“重新提交”。")
        return redirect("portal:case_detail", number=number)
    try:
        services.case_resubmit(actor=actor, case_id=case.pk, form_data=form_data)
    except DomainError as exc:
        return _case_page(
            request,
            _case_of(request, number),
            correction_errors={k: v for k, v in exc.fields.items() if k in codes},
            form_errors={k: v for k, v in exc.fields.items() if k not in codes},
            form_data=form_data,
            error=exc.message,
        )
    messages.success(request, "已重新提交，请等待受理。")
    return redirect("portal:case_detail", number=number)


@applicant_required
@require_POST
def case_supply(request: HttpRequest, number: str) -> HttpResponse:
    """Hand in owed 容缺后补 materials."""
    case = _case_of(request, number)
    owed = [m.code for m in case.materials.all() if m.status == MaterialStatus.DEFERRED]
    if not any(request.FILES.getlist(f"file_{c}") for c in owed):
        return _case_page(request, case, error="请选择要补交的文件。")
    errors = _upload_files(request, case, owed, supply=True)
    if errors:
        return _case_page(
            request, _case_of(request, number), supply_errors=errors, error="部分材料未能补交。"
        )
    messages.success(request, "容缺材料已补交。")
    return redirect("portal:case_detail", number=number)


# --- notifications (R5.7) ---------------------------------------------------------------


@applicant_required
def notifications(request: HttpRequest) -> HttpResponse:
    rows = selectors.notifications_of(request.user)
    return render(
        request,
        "portal/cases/notifications.html",
        {"rows": rows, "unread": sum(1 for n in rows if n.read_at is None)},
    )


@applicant_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one message (``id``) or every unread message (``all``) as read."""
    actor = _actor(request)
    if request.POST.get("all"):
        for n in selectors.notifications_of(request.user, limit=500):
            if n.read_at is None:
                services.notification_read(actor=actor, notification_id=n.pk)
    else:
        raw = request.POST.get("id") or ""
        if raw.isdigit():
            services.notification_read(actor=actor, notification_id=int(raw))
    return redirect("portal:notifications")


# --- public verification of a document ---------------------------------------------------


def _signature_check(data: bytes) -> dict[str, Any]:
    """The result of ``core.signing.verify_pdf`` on the stored bytes, for
    the page: valid or not, who signed, when, and why not."""
    from yiwang.core.signing import verify_pdf

    result = verify_pdf(data)
    return {
        "available": True,
        "ok": result.valid,
        "signer": result.signer,
        "credit_code": result.credit_code,
        "signed_at": result.signed_at,
        "problem": result.problem,
    }


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """/verify/<code>/: anybody holding a notice may check it is genuine —
    the digest of the stored file, and for signed documents the signature."""
    attach_applicant(request)
    doc = (
        CaseDocument.objects.select_related("case", "case__agency")
        .filter(verify_code=code[:32])
        .first()
    )
    if doc is None:
        return render(request, "portal/cases/verify.html", {"doc": None, "code": code}, status=404)
    if not doc.ready:  # issued; the worker has not stored its PDF yet
        return render(request, "portal/cases/verify.html", {"doc": doc, "code": code})
    try:
        data = document_bytes(doc)
    except OSError:
        data = b""
    digest_ok = bool(data) and sm3_hex(data) == doc.sm3
    signature = _signature_check(data) if doc.signed and data else {"available": False}
    return render(
        request,
        "portal/cases/verify.html",
        {
            "doc": doc,
            "code": code,
            "digest_ok": digest_ok,
            "signature": signature,
        },
    )
