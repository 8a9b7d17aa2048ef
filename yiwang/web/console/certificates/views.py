"""Console pages of electronic certificates and seals (电子证照、电子印章;
R7.2, R7.3, R7.6).

- 证照类型 (certificates.types at the keeping agency): list, detail with the
  catalogue entries whose result the type is, create, edit, link an entry.
- 电子印章 (certificates.seals): the agency's seals, make one, revoke one
  with a reason, the log of its uses page by page.
- 电子证照 (certificates.issue or .revoke at the issuer): the certificates
  the agency issued (search, filters, holder masked unless the viewer may
  see full identities), a certificate's page (metadata, status history,
  uses, PDF), issue by hand, change status, renew; Excel import of legacy
  paper certificates (dry run → confirm, all or nothing).

Views read through the selectors, check input with a form and call one
service; a refused call is shown in Chinese on the page and changes
nothing. A record of another agency is 403, a missing one 404.
"""

from __future__ import annotations

import base64
import io
import json
import secrets
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from yiwang.core.errors import DomainError, NotFound, PermissionDenied
from yiwang.domains.catalog.excel_layout import xlsx_content_error
from yiwang.domains.certificates import excel, selectors, services
from yiwang.domains.certificates.models import (
    Certificate,
    CertificateType,
    HolderCodeType,
    HolderKind,
    Seal,
    Status,
)
from yiwang.web.auth import staff_required
from yiwang.web.console.certificates import forms
from yiwang.web.console.common import need as _need
from yiwang.web.console.common import put_errors as _put_errors
from yiwang.web.files import stream_stored

VIEW = selectors.VIEW_CERTIFICATES
ANY = ("certificates.issue", "certificates.revoke", "certificates.types", "certificates.seals")
IMPORT_SESSION_KEY = "certificates_import"
IMPORT_FOLDER = "certificate_imports"
IMPORT_MAX_BYTES = 10 * 1024 * 1024
ERRORS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STATUS_BADGES = {
    Status.VALID: "badge-ok",
    Status.SUSPENDED: "badge-warn",
    Status.EXPIRED: "",
    Status.OTHER: "badge-warn",
}


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A selector's NotFound is a 404, its PermissionDenied a 403."""
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def _agency(request: HttpRequest, staff: Any, *codes: str) -> tuple[Any, list[Any]]:
    """The agency the page is about (``?agency=``, else the staff member's
    own, else the first) among those where they hold one of ``codes``."""
    agencies = selectors.console_agencies(staff, *codes)
    if not agencies:
        raise DjangoPermissionDenied("您没有访问此页面的权限")
    raw = request.POST.get("agency") or request.GET.get("agency") or ""
    chosen = next((a for a in agencies if str(a.pk) == raw), None)
    chosen = chosen or next((a for a in agencies if a.pk == staff.agency_id), agencies[0])
    return chosen, agencies


def _query(**params: Any) -> str:
    text = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{text}&" if text else ""


def _holder(staff: Any, cert: Certificate) -> dict[str, str]:
    """A person holder's name and ID number masked unless the viewer's role
    needs them (accounts.view_pii); an entity's are public anyway."""
    if staff.has_permission("accounts.view_pii"):
        return {"name": cert.holder_name, "code": cert.holder_code}
    name, code = selectors.mask_holder(cert.holder_name, cert.holder_code, cert.holder_code_type)
    return {"name": name, "code": code}


def _status(cert: Certificate) -> dict[str, str]:
    return {"label": cert.status_name, "css": STATUS_BADGES.get(cert.status, "badge-danger")}


def _sections(staff: Any) -> dict[str, bool]:
    return {
        "certificates": any(staff.has_permission(p) for p in VIEW),
        "issue": staff.has_permission("certificates.issue"),
        "types": staff.has_permission("certificates.types"),
        "seals": staff.has_permission("certificates.seals"),
    }


def _page(
    request: HttpRequest,
    template: str,
    staff: Any,
    tab: str,
    *,
    http_status: int = 200,
    **context: Any,
) -> Any:
    context.update({"sections": _sections(staff), "tab": tab})
    return render(request, f"console/certificates/{template}", context, status=http_status)


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    staff = _need(request, *ANY)
    sections = _sections(staff)
    if sections["certificates"]:
        return redirect("console:certificates:list")
    if sections["types"]:
        return redirect("console:certificates:types")
    return redirect("console:certificates:seals")


# --- certificate types (R7.2) ------------------------------------------------------------


@staff_required
def types(request: HttpRequest) -> HttpResponse:
    """证照类型 kept by the viewer's agencies."""
    staff = _need(request, "certificates.types")
    q = " ".join(request.GET.get("q", "").split())[:64]
    page = selectors.certificate_types_for_staff(staff, q=q, page=request.GET.get("page"))
    return _page(request, "types.html", staff, "types", page=page, q=q, query=_query(q=q))


@staff_required
def type_new(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "certificates.types")
    agencies = selectors.console_agencies(staff, "certificates.types")
    form = forms.TypeForm(
        request.POST or None, agencies=agencies, initial={"defining_agency": staff.agency_id}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = next(a for a in agencies if a.pk == data["defining_agency"])
        try:
            ctype = services.certificate_type_create(
                actor=staff,
                defining_agency=agency,
                code_suffix=data["code_suffix"],
                name=data["name"],
                holder_kind=data["holder_kind"],
                field_schema=data["field_schema"],
                validity_years=data["validity_years"],
                shared=data["shared"],
                number_prefix=data["number_prefix"],
                description=data["description"],
                definer_name=data["definer_name"],
                definer_code=data["definer_code"],
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"已新建证照类型“{ctype.name}”（{ctype.code}）")
            return redirect("console:certificates:type", pk=ctype.pk)
    return _page(
        request,
        "form.html",
        staff,
        "types",
        form=form,
        title="新建证照类型",
        back_url=reverse("console:certificates:types"),
        submit_label="新建",
        http_status=400 if form.errors else 200,
    )


@staff_required
def type_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A type: its definition, the catalogue entries that result in it, and
    a search to link another entry."""
    staff = _need(request, "certificates.types")
    ctype = _call(selectors.certificate_type_for_staff, staff, pk)
    q = " ".join(request.GET.get("q", "").split())[:64]
    return _page(
        request,
        "type.html",
        staff,
        "types",
        ctype=ctype,
        links=list(selectors.certificate_type_entries(ctype)),
        schema=json.dumps(ctype.field_schema, ensure_ascii=False, indent=2),
        fields=_schema_rows(ctype.field_schema),
        q=q,
        found=selectors.catalog_entries_for_link(q) if q else [],
    )


def _schema_rows(schema: dict[str, Any]) -> list[dict[str, Any]]:
    props = (schema or {}).get("properties") or {}
    required = set((schema or {}).get("required") or [])
    return [
        {
            "name": name,
            "title": (prop or {}).get("title") or name,
            "type": (prop or {}).get("type", "string"),
            "required": name in required,
        }
        for name, prop in props.items()
    ]


@staff_required
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "certificates.types")
    ctype: CertificateType = _call(selectors.certificate_type_for_staff, staff, pk)
    initial = {
        "name": ctype.name,
        "holder_kind": ctype.holder_kind,
        "field_schema": json.dumps(ctype.field_schema, ensure_ascii=False, indent=2),
        "validity_years": ctype.validity_years,
        "shared": ctype.shared,
        "number_prefix": ctype.number_prefix,
        "description": ctype.description,
        "active": ctype.active,
    }
    form = forms.TypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_type_update(actor=staff, type_id=ctype.pk, **form.cleaned_data)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "证照类型已保存")
            return redirect("console:certificates:type", pk=ctype.pk)
    return _page(
        request,
        "form.html",
        staff,
        "types",
        form=form,
        title=f"修改证照类型：{ctype.name}",
        intro=f"类型代码 {ctype.code}（定义机构：{ctype.definer}）不可修改。",
        back_url=reverse("console:certificates:type", args=[ctype.pk]),
        http_status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def type_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a catalogue entry (基本目录事项) to the type: its granted cases
    issue certificates of the type at 制证 (R7.1)."""
    staff = _need(request, "certificates.types")
    ctype = _call(selectors.certificate_type_for_staff, staff, pk)
    form = forms.EntryLinkForm(request.POST)
    back = reverse("console:certificates:type", args=[ctype.pk])
    if not form.is_valid():
        messages.error(request, "请填写基本目录事项编码")
        return redirect(back)
    try:
        entry = selectors.catalog_entry_for_link(form.cleaned_data["basic_code"])
        services.item_certificate_type_link(actor=staff, entry=entry, ctype=ctype)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"已将事项“{entry}”的办理结果设为“{ctype.name}”")
    return redirect(back)


# --- seals (R7.6) ------------------------------------------------------------------------


def _seal_state(seal: Seal) -> dict[str, str]:
    now = timezone.now()
    if seal.revoked_at is not None:
        return {"label": "已吊销", "css": "badge-danger"}
    if seal.valid_to <= now:
        return {"label": "已过期", "css": ""}
    if seal.valid_from > now:
        return {"label": "未启用", "css": "badge-warn"}
    return {"label": "有效", "css": "badge-ok"}


def _seal_image(seal: Seal) -> str:
    """The seal image as a data URL: shown in an <img>, the SVG cannot run script."""
    return "data:image/svg+xml;base64," + base64.b64encode(seal.image_svg.encode()).decode()


@staff_required
def seals(request: HttpRequest) -> HttpResponse:
    """电子印章 of one of the viewer's agencies, and the form to make one."""
    staff = _need(request, "certificates.seals")
    agency, agencies = _agency(request, staff, "certificates.seals")
    rows = [
        {"seal": s, "state": _seal_state(s), "image": _seal_image(s)}
        for s in _call(selectors.seals_of, staff, agency.pk)
    ]
    form = forms.SealForm(initial={"agency": agency.pk}, agencies=agencies)
    return _page(
        request,
        "seals.html",
        staff,
        "seals",
        rows=rows,
        agency=agency,
        agencies=agencies,
        form=form,
    )


@staff_required
@require_POST
def seal_new(request: HttpRequest) -> HttpResponse:
    staff = _need(request, "certificates.seals")
    agencies = selectors.console_agencies(staff, "certificates.seals")
    form = forms.SealForm(request.POST, agencies=agencies)
    if form.is_valid():
        agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
        try:
            seal = services.seal_create(
                actor=staff,
                agency=agency,
                name=form.cleaned_data["name"],
                years=form.cleaned_data["years"],
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"已制作电子印章“{seal.name}”（{seal.code}）")
            return redirect("console:certificates:seal", pk=seal.pk)
    agency, _ = _agency(request, staff, "certificates.seals")
    rows = [
        {"seal": s, "state": _seal_state(s), "image": _seal_image(s)}
        for s in _call(selectors.seals_of, staff, agency.pk)
    ]
    return _page(
        request,
        "seals.html",
        staff,
        "seals",
        rows=rows,
        agency=agency,
        agencies=agencies,
        form=form,
        http_status=400,
    )


def _seal_page(
    request: HttpRequest, staff: Any, seal: Seal, form: Any = None, status: int = 200
) -> HttpResponse:
    return _page(
        request,
        "seal.html",
        staff,
        "seals",
        seal=seal,
        state=_seal_state(seal),
        image=_seal_image(seal),
        page=selectors.seal_uses_page(staff, seal, page=request.GET.get("page")),
        query="",
        form=form or forms.ReasonForm(),
        http_status=status,
    )


@staff_required
def seal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A seal: algorithm, validity, state, and every use (用章记录)."""
    staff = _need(request, "certificates.seals")
    return _seal_page(request, staff, _call(selectors.seal_for_staff, staff, pk))


@staff_required
@require_POST
def seal_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, "certificates.seals")
    seal = _call(selectors.seal_for_staff, staff, pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.seal_revoke(actor=staff, seal_id=seal.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "电子印章已吊销，此后不能再用它签章")
            return redirect("console:certificates:seal", pk=seal.pk)
    return _seal_page(request, staff, _call(selectors.seal_for_staff, staff, pk), form, 400)


# --- certificates (R7.3) -----------------------------------------------------------------


@staff_required
def certificates(request: HttpRequest) -> HttpResponse:
    """The certificates one of the viewer's agencies issued."""
    staff = _need(request, *VIEW)
    agency, agencies = _agency(request, staff, *VIEW)
    q = " ".join(request.GET.get("q", "").split())[:120]
    raw_type = request.GET.get("type", "")
    type_id = int(raw_type) if raw_type.isdigit() else None
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    page = _call(
        selectors.certificates_for_console,
        staff,
        agency.pk,
        q=q,
        type_id=type_id,
        status=status,
        page=request.GET.get("page"),
    )
    rows = [{"cert": c, "holder": _holder(staff, c), "status": _status(c)} for c in page]
    return _page(
        request,
        "list.html",
        staff,
        "certificates",
        page=page,
        rows=rows,
        agency=agency,
        agencies=agencies,
        q=q,
        type_id=type_id,
        status=status,
        statuses=Status.choices,
        types=selectors.certificate_types_issuable(),
        filtered=bool(q or type_id or status),
        can_issue=staff.has_permission("certificates.issue", agency_id=agency.pk),
        query=_query(agency=agency.pk, q=q, type=type_id, status=status),
    )


@staff_required
def issue(request: HttpRequest) -> HttpResponse:
    """手工签发: choose the issuing agency and the type, then fill the holder
    and the type's face (R7.3)."""
    staff = _need(request, "certificates.issue")
    agency, agencies = _agency(request, staff, "certificates.issue")
    types_qs = selectors.certificate_types_issuable()
    raw = request.POST.get("type") or request.GET.get("type") or ""
    ctype = types_qs.filter(pk=int(raw)).first() if raw.isdigit() else None
    if ctype is None:
        return _page(
            request,
            "issue_type.html",
            staff,
            "issue",
            agency=agency,
            agencies=agencies,
            types=list(types_qs),
            http_status=400 if raw else 200,
        )
    form = forms.IssueForm(request.POST or None, ctype=ctype)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code_type = (
            HolderCodeType.RESIDENT_ID
            if ctype.holder_kind == HolderKind.PERSON
            else HolderCodeType.CREDIT_CODE
        )
        try:
            cert = services.certificate_issue(
                actor=staff,
                issuer=agency,
                type_id=ctype.pk,
                holder_name=data["holder_name"],
                holder_code=data["holder_code"],
                holder_code_type=code_type,
                data=forms.data_from(form, ctype.field_schema),
                issued_on=data["issued_on"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                number=data["number"],
            )
        except DomainError as exc:
            _put_errors(form, exc, forms.data_aliases(ctype.field_schema))
        else:
            messages.success(request, f"已签发电子证照 {cert.identifier}")
            return redirect("console:certificates:certificate", pk=cert.pk)
    return _page(
        request,
        "issue.html",
        staff,
        "issue",
        form=form,
        ctype=ctype,
        agency=agency,
        agencies=agencies,
        http_status=400 if form.errors else 200,
    )


def _face(cert: Certificate) -> list[tuple[str, Any]]:
    """The face's values under their titles, in the type's field order."""
    props = (cert.type.field_schema or {}).get("properties") or {}
    data = cert.data or {}
    rows = [(str((p or {}).get("title") or k), data[k]) for k, p in props.items() if k in data]
    rows += [(k, v) for k, v in data.items() if k not in props]
    return [(t, "、".join(map(str, v)) if isinstance(v, list) else v) for t, v in rows]


def _certificate_page(
    request: HttpRequest,
    staff: Any,
    cert: Certificate,
    *,
    status_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    targets = sorted(services.TRANSITIONS.get(cert.status, set()), key=Status.values.index)
    may_change = staff.has_permission("certificates.revoke", agency_id=cert.issuer_id)
    may_renew = staff.has_permission("certificates.issue", agency_id=cert.issuer_id) and (
        cert.status in (Status.VALID, Status.SUSPENDED)
    )
    return _page(
        request,
        "certificate.html",
        staff,
        "certificates",
        cert=cert,
        holder=_holder(staff, cert),
        state=_status(cert),
        face=_face(cert),
        history=list(selectors.certificate_history(cert)),
        uses=list(selectors.certificate_uses_for_staff(cert)),
        verify_url=reverse("portal:certificate_verify", args=[cert.identifier]),
        next_version=getattr(cert, "next_version", None),
        may_change=may_change and bool(targets),
        may_renew=may_renew,
        status_form=status_form or forms.StatusForm(targets=targets),
        http_status=status,
    )


@staff_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """A certificate: metadata, status history, uses, the PDF, and the
    actions the viewer may take."""
    staff = _need(request, *VIEW)
    return _certificate_page(request, staff, _call(selectors.certificate_for_staff, staff, pk))


@staff_required
@require_POST
def certificate_status(request: HttpRequest, pk: int) -> HttpResponse:
    """暂扣, 撤销, 注销, 失效, 吊销 … or 恢复有效, always with a reason."""
    staff = _need(request, "certificates.revoke")
    cert = _call(selectors.certificate_for_staff, staff, pk)
    targets = sorted(services.TRANSITIONS.get(cert.status, set()), key=Status.values.index)
    form = forms.StatusForm(request.POST, targets=targets)
    if form.is_valid():
        try:
            services.certificate_status_change(
                actor=staff,
                certificate_id=cert.pk,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            label = forms.status_action_label(form.cleaned_data["status"])
            messages.success(request, f"电子证照已{label}")
            return redirect("console:certificates:certificate", pk=cert.pk)
    fresh = _call(selectors.certificate_for_staff, staff, pk)
    return _certificate_page(request, staff, fresh, status_form=form, status=400)


@staff_required
def certificate_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """换发 / 变更: a new version linked to this one, which becomes 失效."""
    staff = _need(request, "certificates.issue")
    cert: Certificate = _call(selectors.certificate_for_staff, staff, pk)
    form = forms.RenewForm(request.POST or None, cert=cert)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.certificate_renew(
                actor=staff,
                certificate_id=cert.pk,
                reason=data["reason"],
                data=forms.data_from(form, cert.type.field_schema),
                holder_name=data["holder_name"] or None,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except DomainError as exc:
            _put_errors(form, exc, forms.data_aliases(cert.type.field_schema))
        else:
            messages.success(request, f"已换发新版本 {new.identifier}")
            return redirect("console:certificates:certificate", pk=new.pk)
    return _page(
        request,
        "form.html",
        staff,
        "certificates",
        form=form,
        title=f"换发或变更：{cert.name} {cert.number}",
        intro="生成同一编号的新版本电子证照并重新签章，原版本状态变为“失效”。未修改的照面信息沿用原版本。",
        back_url=reverse("console:certificates:certificate", args=[cert.pk]),
        submit_label="换发",
        http_status=400 if form.errors else 200,
    )


@staff_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _need(request, *VIEW)
    cert = _call(selectors.certificate_for_staff, staff, pk)
    if not cert.file_path:
        raise Http404("该电子证照没有版式文件")
    return stream_stored(
        cert.file_path,
        mime="application/pdf",
        filename=f"{cert.name}-{cert.number}.pdf",
        download=request.GET.get("download") == "1",
    )


# --- Excel import of legacy certificates (R7.3) -------------------------------------------
# As the catalogue's import page: the checked file and its report wait in the
# file storage under a random name kept in the session, so the confirmation
# imports exactly the file that was checked, for the agency chosen then.


def _import_paths(staff: Any, token: str) -> tuple[str, str]:
    stem = f"{IMPORT_FOLDER}/{staff.pk}-{token}"
    return f"{stem}.xlsx", f"{stem}.json"


def _import_pending(request: HttpRequest, staff: Any) -> dict[str, Any] | None:
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not isinstance(pending, dict) or not pending.get("token"):
        return None
    if not all(default_storage.exists(p) for p in _import_paths(staff, str(pending["token"]))):
        request.session.pop(IMPORT_SESSION_KEY, None)
        return None
    return pending


def _import_discard(request: HttpRequest, staff: Any) -> None:
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if isinstance(pending, dict) and pending.get("token"):
        for path in _import_paths(staff, str(pending["token"])):
            if default_storage.exists(path):
                default_storage.delete(path)


def _import_save_report(staff: Any, token: str, report: excel.ImportReport) -> None:
    _, path = _import_paths(staff, token)
    if default_storage.exists(path):
        default_storage.delete(path)
    body = json.dumps(report.as_dict(), ensure_ascii=False).encode("utf-8")
    default_storage.save(path, ContentFile(body))


def _import_load_report(staff: Any, token: str) -> dict[str, Any]:
    _, path = _import_paths(staff, token)
    with default_storage.open(path, "rb") as f:
        report: dict[str, Any] = json.loads(f.read().decode("utf-8"))
    return report


def _import_upload(request: HttpRequest, staff: Any, agency: Any) -> HttpResponse:
    upload = request.FILES.get("file")
    error = None
    data = b""
    if upload is None:
        error = "请选择要导入的 Excel 工作簿（.xlsx）"
    elif upload.size is not None and upload.size > IMPORT_MAX_BYTES:
        error = f"文件超过{IMPORT_MAX_BYTES // (1024 * 1024)}MB，请拆分后分批导入"
    else:
        data = upload.read(IMPORT_MAX_BYTES + 1)
        error = xlsx_content_error(data, max_bytes=IMPORT_MAX_BYTES)
    if error is not None:
        messages.error(request, error)
        return redirect(f"{reverse('console:certificates:import')}?agency={agency.pk}")
    report = _call(excel.certificates_import, actor=staff, issuer=agency, data=data, dry_run=True)
    _import_discard(request, staff)
    token = secrets.token_urlsafe(18)
    xlsx, _ = _import_paths(staff, token)
    default_storage.save(xlsx, ContentFile(data))
    _import_save_report(staff, token, report)
    request.session[IMPORT_SESSION_KEY] = {
        "token": token,
        "name": (upload.name or "")[:120] if upload is not None else "",
        "agency": agency.pk,
        "agency_name": agency.name,
        "summary": report.summary(),
    }
    return redirect("console:certificates:import")


def _import_confirm(request: HttpRequest, staff: Any, agencies: list[Any]) -> HttpResponse:
    pending = _import_pending(request, staff)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(request, "没有待导入的文件，或预检结果已过期，请重新上传")
        return redirect("console:certificates:import")
    agency = next((a for a in agencies if a.pk == pending.get("agency")), None)
    if agency is None:
        _import_discard(request, staff)
        raise DjangoPermissionDenied("您已无权以该单位名义导入电子证照")
    xlsx, _ = _import_paths(staff, pending["token"])
    with default_storage.open(xlsx, "rb") as f:
        data = f.read()
    report = _call(excel.certificates_import, actor=staff, issuer=agency, data=data, dry_run=False)
    if report.applied:
        _import_discard(request, staff)
        messages.success(request, report.summary())
        return redirect(f"{reverse('console:certificates:list')}?agency={agency.pk}")
    # The data changed since the dry run (e.g. a number was taken): show why.
    _import_save_report(staff, pending["token"], report)
    pending["summary"] = report.summary()
    request.session[IMPORT_SESSION_KEY] = pending
    messages.error(request, "导入未执行：数据在预检后发生了变化，发现以下问题，未导入任何证照")
    return redirect("console:certificates:import")


@staff_required
def import_page(request: HttpRequest) -> HttpResponse:
    """存量证照导入: upload → dry run listing every problem → confirm."""
    staff = _need(request, "certificates.issue")
    agency, agencies = _agency(request, staff, "certificates.issue")
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "confirm":
            return _import_confirm(request, staff, agencies)
        if action == "discard":
            _import_discard(request, staff)
            messages.success(request, "已放弃本次导入")
            return redirect("console:certificates:import")
        return _import_upload(request, staff, agency)
    pending = _import_pending(request, staff)
    report = _import_load_report(staff, pending["token"]) if pending else None
    errors = (report or {}).get("errors") or []
    page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page")) if errors else None
    return _page(
        request,
        "import.html",
        staff,
        "import",
        agency=agency,
        agencies=agencies,
        pending=pending,
        report=report,
        page=page,
        query="",
        types=selectors.certificate_types_issuable(),
        columns=[title for _, title in excel.FIXED],
        max_mb=IMPORT_MAX_BYTES // (1024 * 1024),
    )


@staff_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The empty workbook, with the columns of one type's face (``?type=``)."""
    _need(request, "certificates.issue")
    raw = request.GET.get("type", "")
    ctype = (
        selectors.certificate_types_issuable().filter(pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    data = excel.certificate_import_template(ctype)
    name = f"存量证照导入模板{'-' + ctype.name if ctype else ''}.xlsx"
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)
    return cast(HttpResponse, response)
