"""Applying for a 一件事 on the portal (R6.5): one form, one set of materials,
one submission; then a page with the parent case and each part at its agency.

The page reads the merged form and material list of the bundle, saves the
draft and the uploads through the case services (a bad file is refused with
its message and the draft keeps everything else) and submits with an
idempotency key carried by the page, so a double click makes one case.

免证办 (R5.8): a merged material that names a certificate type offers the
applicant's usable certificates of that type (revoked or expired ones never
appear); choosing one (``cert_<index>``) is the consent and takes it at
trust level A instead of an upload, for every member item that needs it.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core.errors import DomainError, NotFound
from yiwang.domains.cases import selectors as case_selectors
from yiwang.domains.cases.bundles import material_code
from yiwang.domains.cases.models import Case, CaseKind
from yiwang.domains.cases.providers import material_offers
from yiwang.domains.cases.services import (
    bundle_draft_save,
    bundle_material_from_certificate,
    bundle_material_upload,
    bundle_submit,
    case_material_remove,
)
from yiwang.domains.catalog import public
from yiwang.domains.catalog.selectors import bundle_merged_form, bundle_merged_materials
from yiwang.web.auth import applicant_required

_INPUTS = {"integer": "number", "number": "number", "boolean": "checkbox"}
_NECESSITIES = {"required": "必要", "deferrable": "容缺后补", "optional": "非必要"}
_FORMS = {"electronic": "电子", "paper": "纸质", "both": "纸质和电子"}


def _bundle(code: str) -> Any:
    try:
        return public.bundle_by_code(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _coerce(kind: str, raw: str) -> Any:
    """A typed value from the text the browser sent (a wrong one stays text,
    so the form check names the field)."""
    text = raw.strip()
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "number":
        try:
            value = float(text)
        except ValueError:
            return text
        return int(value) if value.is_integer() else value
    return text


def _read_form(request: HttpRequest, schema: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, prop in (schema.get("properties") or {}).items():
        kind = (prop or {}).get("type") or "string"
        if kind == "boolean":
            data[name] = request.POST.get(f"f_{name}") == "on"
            continue
        if kind == "array":
            inner = ((prop or {}).get("items") or {}).get("type") or "string"
            raw_items = request.POST.getlist(f"f_{name}")
            if len(raw_items) == 1 and not ((prop or {}).get("items") or {}).get("enum"):
                raw_items = re.split(r"[、，,;；\n]+", raw_items[0])
            picked = [_coerce(inner, r) for r in raw_items if r.strip()]
            if picked:
                data[name] = picked
            continue
        raw = request.POST.get(f"f_{name}", "")
        if raw.strip():
            data[name] = _coerce(kind, raw)
    return data


def _fields(
    schema: dict[str, Any], values: dict[str, Any], errors: dict[str, str], names: dict[int, str]
) -> list[dict[str, Any]]:
    required = set(schema.get("required") or [])
    used_by = schema.get("x-members") or {}
    out = []
    for name, prop in (schema.get("properties") or {}).items():
        prop = prop or {}
        kind = prop.get("type") or "string"
        options = (prop.get("items") or {}).get("enum") if kind == "array" else None
        value = values.get(name, "")
        if kind == "array" and not options and isinstance(value, list):
            value = "、".join(str(v) for v in value)
        out.append(
            {
                "name": name,
                "title": prop.get("title") or name,
                "input": (
                    "checkboxes"
                    if options
                    else "select"
                    if prop.get("enum")
                    else _INPUTS.get(kind, "text")
                ),
                "step": "1" if kind == "integer" else "any",
                "choices": options or prop.get("enum") or [],
                "value": value,
                "picked": value if isinstance(value, list) else [],
                "hint": "多项请用顿号分隔" if kind == "array" and not options else "",
                "required": name in required,
                "error": errors.get(name, ""),
                "items": [names[i] for i in used_by.get(name, []) if i in names],
            }
        )
    return out


def _materials(
    merged: list[dict[str, Any]], draft: Case | None, errors: dict[str, str], user: Any
) -> list[dict[str, Any]]:
    have: dict[str, list[Any]] = {}
    if draft is not None:
        for row in draft.materials.all():
            if not row.replaced:
                have.setdefault(row.code, []).append(row)
    out = []
    for i, m in enumerate(merged):
        rows = have.get(material_code(m["key"]), [])
        offers = material_offers(user, m.get("certificate_type_code") or "")
        offered = {o.identifier for o in offers}
        chosen = [r for r in rows if r.certificate_identifier]
        out.append(
            {
                **_material(i, m, [r for r in rows if not r.certificate_identifier], errors),
                "offers": offers,
                "certificate": next(
                    (r for r in chosen if r.certificate_identifier in offered), None
                ),
                "stale_certificate": next(
                    (r for r in chosen if r.certificate_identifier not in offered), None
                ),
            }
        )
    return out


def _material(
    i: int, m: dict[str, Any], files: list[Any], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "index": i,
        "key": m["key"],
        "name": m["name"],
        "necessity": m["necessity"],
        "necessity_name": _NECESSITIES.get(m["necessity"], m["necessity"]),
        "form_name": _FORMS.get(m["form"], ""),
        "upload": m["form"] != "paper",
        "copies": m["copies"],
        "items": list(dict.fromkeys(x.get("item_name", "") for x in m["items"])),
        "files": files,
        "error": errors.get(m["key"], ""),
    }


@applicant_required
@require_http_methods(["GET", "POST"])
def bundle_apply(request: HttpRequest, code: str) -> HttpResponse:
    """/bundles/<code>/apply/: the merged form once, the merged material list
    once with uploads, save or submit (R6.5)."""
    actor = request.applicant  # type: ignore[attr-defined]
    user = request.user
    bundle = _bundle(code)
    token = request.POST.get("idempotency_key", "").strip()[:64] or uuid.uuid4().hex
    done = case_selectors.case_by_idempotency_key(user, token)
    if done is not None and done.number:  # a repeated submission
        return redirect(reverse("portal:bundle_case", args=[done.number]))
    schema = bundle_merged_form(bundle)
    merged = bundle_merged_materials(bundle)
    names = {
        m.item_id: (m.item.search_name or m.item.implementation_code) for m in bundle.members.all()
    }
    draft = case_selectors.bundle_draft_of(user, bundle.pk)
    values: dict[str, Any] = dict(draft.form_data) if draft is not None else {}
    errors: dict[str, str] = {}
    message = error = ""
    status = 200
    if request.method == "POST":
        values = _read_form(request, schema)
        try:
            case = bundle_draft_save(
                actor=actor,
                bundle_code=bundle.code,
                form_data=values,
                case_id=draft.pk if draft is not None else None,
            )
        except DomainError as exc:
            case = None
            error, status = exc.message, exc.status
        if case is not None:
            remove = request.POST.get("remove") or ""
            if remove.isdigit() and case.materials.filter(pk=int(remove)).exists():
                try:
                    case_material_remove(actor=actor, material_id=int(remove))
                except DomainError as exc:
                    error = exc.message
            for i, m in enumerate(merged):
                identifier = (request.POST.get(f"cert_{i}") or "").strip()
                if identifier:
                    try:
                        bundle_material_from_certificate(
                            actor=actor, case_id=case.pk, key=m["key"], identifier=identifier
                        )
                    except DomainError as exc:
                        errors[m["key"]] = exc.message
                        status = exc.status
                for f in request.FILES.getlist(f"file_{i}"):
                    try:
                        bundle_material_upload(
                            actor=actor,
                            case_id=case.pk,
                            key=m["key"],
                            data=f.read(),
                            filename=f.name or "",
                        )
                    except DomainError as exc:
                        errors[m["key"]] = f"{f.name}：{exc.message}"
                        status = exc.status
            if errors:
                error = "部分材料未能保存，请按提示重新选择；其他内容已保存为草稿。"
            elif remove:
                message = "已移除该材料，草稿已保存。"
            elif request.POST.get("action") == "submit":
                try:
                    parent = bundle_submit(actor=actor, case_id=case.pk, idempotency_key=token)
                except DomainError as exc:
                    error, status = exc.message, exc.status
                    errors.update(exc.fields)
                else:
                    return redirect(reverse("portal:bundle_case", args=[parent.number]))
            else:
                message = "草稿已保存，可稍后继续填写。"
        draft = case_selectors.bundle_draft_of(user, bundle.pk)
    context = {
        "bundle": bundle,
        "members": [(m, names.get(m.item_id, "")) for m in bundle.members.all()],
        "fields": _fields(schema, values, errors, names),
        "materials": _materials(merged, draft, errors, user),
        "draft": draft,
        "token": token,
        "error": error,
        "message": message,
    }
    return render(request, "portal/bundle_cases/apply.html", context, status=status)


@applicant_required
@require_GET
def bundle_case(request: HttpRequest, number: str) -> HttpResponse:
    """/my/bundles/<number>/: the 一件事 application, each part with its
    agency, number and status, and the one timeline (R6.5, R5.7)."""
    try:
        case = case_selectors.case_for_applicant(request.user, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if case.kind != CaseKind.BUNDLE:
        raise Http404("该办件不是“一件事”申请")
    return render(
        request,
        "portal/bundle_cases/case.html",
        {
            "case": case,
            "parts": list(case.parts.all()),
            "events": case_selectors.public_events(case),
            "materials": list(case.materials.all()),
        },
    )
