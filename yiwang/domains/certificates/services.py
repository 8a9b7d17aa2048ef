"""Every write of the certificates domain (R7.1–R7.3, R7.6): certificate
types, seals, certificates and their status. Atomic and audited.

Permissions (orgs/permissions.py), each at the agency concerned:
``certificates.types`` (the type's defining agency), ``certificates.seals``
(the seal's agency), ``certificates.issue`` and ``certificates.revoke`` (the
certificate's issuer). A certificate made when a case's 制证 step completes
needs no extra permission: completing that step (the step's role at the
case's agency) is the authority, and the case's actor signs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import audit_append, service_transaction
from yiwang.core.checkdigits import credit_code_error, resident_id_error
from yiwang.core.crypto import sm3_hex
from yiwang.core.pii import blind_index
from yiwang.domains.certificates import documents, identifiers, renewal, seals
from yiwang.domains.certificates.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from yiwang.domains.certificates.models import (
    Certificate,
    CertificateSequence,
    CertificateStatusChange,
    CertificateType,
    HolderCodeType,
    HolderKind,
    ItemCertificateType,
    Seal,
    SealUse,
    Source,
    Status,
)
from yiwang.domains.certificates.schemas import schema_problems
from yiwang.domains.orgs.models import Agency

SEAL_YEARS = 5
RESULT_TYPE_CERTIFICATE = "证照"

# Which status may follow which (R7.3). 恢复有效 is suspended → valid; the
# others end a certificate's life (a renewal makes a new version instead).
TRANSITIONS: dict[str, set[str]] = {
    Status.VALID: {
        Status.SUSPENDED,
        Status.WITHDRAWN,
        Status.CANCELLED,
        Status.EXPIRED,
        Status.REVOKED,
        Status.TRANSFERRED,
        Status.OTHER,
    },
    Status.SUSPENDED: {Status.VALID, Status.WITHDRAWN, Status.CANCELLED, Status.REVOKED},
    Status.OTHER: {Status.VALID, Status.WITHDRAWN, Status.CANCELLED},
}


def _label(actor: Actor) -> str:
    return actor.actor_ref().label[:128]


def _audit(actor: Actor, action: str, obj: Any, change: Mapping[str, Any] | None = None) -> None:
    audit_append(actor=actor, action=action, obj=obj, change=dict(change or {}))


def _require(actor: Actor, code: str, agency_id: int, message: str, err: str) -> None:
    if not actor.has_permission(code, agency_id=agency_id):
        raise PermissionDenied(message, code=err)


def _reason(text: str | None, what: str = "原因") -> str:
    value = (text or "").strip()
    if not value:
        raise ValidationFailed(f"请填写{what}", code="status_invalid", fields={"reason": "必填"})
    return value[:500]


def _today() -> dt.date:
    return timezone.localdate()


# --- certificate types (R7.2) -----------------------------------------------------------


def _schema_error(schema: Any) -> str | None:
    problems = schema_problems(schema)
    return "；".join(problems) if problems else None


def certificate_type_create(
    *,
    actor: Actor,
    defining_agency: Agency,
    code_suffix: str,
    name: str,
    holder_kind: str,
    field_schema: dict[str, Any] | None = None,
    validity_years: int | None = None,
    shared: bool = False,
    number_prefix: str = "",
    description: str = "",
    definer_name: str = "",
    definer_code: str = "",
) -> CertificateType:
    """A type kept by ``defining_agency``; its code is the definer's credit
    code + ``code_suffix`` (3 digits, GB/T 36904). The definer is the agency
    itself unless ``definer_name``/``definer_code`` name another (a ministry
    that defines the type nationally, not an agency on this platform)."""
    _require(
        actor,
        "certificates.types",
        defining_agency.pk,
        "您无权为该单位定义证照类型",
        "type_forbidden",
    )
    suffix = (code_suffix or "").strip()
    if not (len(suffix) == 3 and suffix.isdigit()):
        raise ValidationFailed(
            "证照类型代码后缀应为3位数字",
            code="type_code_invalid",
            fields={"code_suffix": "3位数字"},
        )
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            "请填写证照类型名称", code="type_code_invalid", fields={"name": "必填"}
        )
    if holder_kind not in HolderKind.values:
        raise ValidationFailed("持证主体类型不正确", code="type_code_invalid")
    schema = field_schema or {"type": "object", "properties": {}}
    problem = _schema_error(schema)
    if problem:
        raise ValidationFailed(problem, code="type_code_invalid", fields={"field_schema": problem})
    definer_code = (definer_code or "").strip().upper()
    if definer_code:
        problem = credit_code_error(definer_code)
        if problem or not (definer_name or "").strip():
            raise ValidationFailed(
                problem or "请填写定义机构名称",
                code="type_code_invalid",
                fields={"definer_code" if problem else "definer_name": problem or "必填"},
            )
    code = (definer_code or defining_agency.credit_code.upper()) + suffix
    with service_transaction():
        if CertificateType.objects.filter(code=code).exists():
            raise Conflict("该证照类型代码已被使用", code="type_code_taken")
        ctype = CertificateType.objects.create(
            code=code,
            name=name[:100],
            holder_kind=holder_kind,
            defining_agency=defining_agency,
            field_schema=schema,
            validity_years=validity_years,
            shared=shared,
            number_prefix=(number_prefix or "").strip()[:8],
            description=(description or "").strip()[:500],
            definer_name=(definer_name or "").strip()[:128] if definer_code else "",
            definer_code=definer_code,
        )
        _audit(actor, "certificates.type_create", ctype, {"code": code, "name": ctype.name})
        return ctype


_TYPE_FIELDS = (
    "name",
    "holder_kind",
    "field_schema",
    "validity_years",
    "shared",
    "number_prefix",
    "description",
    "active",
)


def certificate_type_update(*, actor: Actor, type_id: int, **changes: Any) -> CertificateType:
    unknown = set(changes) - set(_TYPE_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改：{'、'.join(sorted(unknown))}", code="type_code_invalid")
    with service_transaction():
        ctype = CertificateType.objects.select_for_update().filter(pk=type_id).first()
        if ctype is None:
            raise NotFound("证照类型不存在", code="type_not_found")
        _require(
            actor,
            "certificates.types",
            ctype.defining_agency_id,
            "您无权维护该证照类型",
            "type_forbidden",
        )
        if "field_schema" in changes:
            problem = _schema_error(changes["field_schema"])
            if problem:
                raise ValidationFailed(problem, code="type_code_invalid")
        if "holder_kind" in changes and changes["holder_kind"] not in HolderKind.values:
            raise ValidationFailed("持证主体类型不正确", code="type_code_invalid")
        diff: dict[str, list[Any]] = {}
        for key, value in changes.items():
            old = getattr(ctype, key)
            if old != value:
                diff[key] = [old, value]
                setattr(ctype, key, value)
        if diff:
            ctype.save()
            _audit(actor, "certificates.type_update", ctype, diff)
        return ctype


def item_certificate_type_link(
    *, actor: Actor, entry: Any, ctype: CertificateType
) -> ItemCertificateType:
    """Say that the catalogue entry ``entry`` (基本目录事项) results in a
    certificate of ``ctype``: every implementation of the entry issues it when
    a granting case reaches 制证. Needs certificates.types at the type's
    defining agency or at the entry's owner."""
    if not (
        actor.has_permission("certificates.types", agency_id=ctype.defining_agency_id)
        or actor.has_permission("certificates.types", agency_id=entry.owner_id)
    ):
        raise PermissionDenied("您无权设置事项对应的证照类型", code="type_forbidden")
    with service_transaction():
        link = ItemCertificateType.objects.select_for_update().filter(entry=entry).first()
        if link is None:
            link = ItemCertificateType.objects.create(entry=entry, type=ctype)
            _audit(actor, "certificates.item_link", link, {"type": ctype.code})
        elif link.type_id != ctype.pk:
            old = link.type_id
            link.type = ctype
            link.save()
            _audit(actor, "certificates.item_link", link, {"type": [old, ctype.pk]})
        return link


# --- seals (R7.6) ------------------------------------------------------------------------


def seal_create(*, actor: Actor, agency: Agency, name: str = "", years: int = SEAL_YEARS) -> Seal:
    """A new SM2 seal for ``agency`` (key pair made here, private key sealed)."""
    _require(actor, "certificates.seals", agency.pk, "您无权制作该单位的电子印章", "seal_forbidden")
    with service_transaction():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        return _seal_make(actor, locked, name, years)


def _seal_make(actor: Actor, agency: Agency, name: str, years: int) -> Seal:
    n = Seal.objects.filter(agency=agency).count() + 1
    code = f"{agency.credit_code}{n:02d}"
    private, public = seals.sm2_generate()
    now = timezone.now()
    seal_name = (name or "").strip() or "电子证照专用章"
    seal = Seal.objects.create(
        agency=agency,
        code=code,
        name=seal_name[:128],
        algorithm=seals.SM2,
        public_key=public,
        private_key_sealed=seals.seal_private(private),
        image_svg=seals.seal_svg(agency.name, seal_name, code),
        valid_from=now,
        valid_to=now + dt.timedelta(days=365 * years),
    )
    _audit(actor, "certificates.seal_create", seal, {"code": code, "algorithm": seal.algorithm})
    return seal


def seal_revoke(*, actor: Actor, seal_id: int, reason: str) -> Seal:
    text = _reason(reason, "吊销原因")
    with service_transaction():
        seal = Seal.objects.select_for_update().filter(pk=seal_id).first()
        if seal is None:
            raise NotFound("电子印章不存在", code="seal_not_found")
        _require(
            actor, "certificates.seals", seal.agency_id, "您无权吊销该电子印章", "seal_forbidden"
        )
        if seal.revoked_at is not None:
            raise Conflict("电子印章已吊销", code="seal_unusable")
        seal.revoked_at = timezone.now()
        seal.revoked_reason = text
        seal.save()
        _audit(actor, "certificates.seal_revoke", seal, {"reason": text})
        return seal


def _usable(seal: Seal) -> bool:
    now = timezone.now()
    return seal.revoked_at is None and seal.valid_from <= now < seal.valid_to


def seal_for(agency: Agency) -> Seal:
    """The agency's usable seal; made by the platform (SYSTEM, audited) when
    it has none, like the document-signing key (orgs.services.agency_signer)."""
    now = timezone.now()
    current = (
        Seal.objects.filter(
            agency=agency, revoked_at__isnull=True, valid_from__lte=now, valid_to__gt=now
        )
        .order_by("-valid_from")
        .first()
    )
    if current is not None:
        return current
    with service_transaction():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        current = (
            Seal.objects.filter(
                agency=locked, revoked_at__isnull=True, valid_from__lte=now, valid_to__gt=now
            )
            .order_by("-valid_from")
            .first()
        )
        return current or _seal_make(SYSTEM, locked, "", SEAL_YEARS)


def seal_sign(
    *,
    actor: Actor,
    seal: Seal,
    data: bytes,
    purpose: str,
    certificate: Certificate | None = None,
) -> str:
    """Sign ``data`` with ``seal`` and log the use (every signature, R7.6)."""
    if not _usable(seal):
        raise Conflict("电子印章已吊销或不在有效期内", code="seal_unusable")
    signer = seals.signer_from(seal.private_key_sealed, seal.public_key, seal.key_ref)
    signature = signer.sign(data)
    with service_transaction():
        use = SealUse.objects.create(
            seal=seal,
            certificate=certificate,
            purpose=purpose[:200],
            digest=sm3_hex(data),
            signature=signature,
            actor_label=_label(actor),
        )
        _audit(actor, "certificates.seal_use", use, {"seal": seal.code, "purpose": use.purpose})
    return signature


# --- certificates (R7.1, R7.3) -------------------------------------------------------------


def _next_serial(ctype: CertificateType, issuer: Agency, year: int) -> str:
    CertificateSequence.objects.get_or_create(type=ctype, issuer=issuer, year=year)
    seq = CertificateSequence.objects.select_for_update().get(type=ctype, issuer=issuer, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return identifiers.serial_for(year, seq.last)


def _holder_of_user(user: Any) -> tuple[str, str, str, str]:
    """(name, code, code type, holder kind) of an account."""
    person = getattr(user, "person", None) if user.kind == "person" else None
    if person is not None:
        return person.name, person.id_number, HolderCodeType.RESIDENT_ID, HolderKind.PERSON
    entity = getattr(user, "entity", None)
    if entity is not None:
        return entity.name, entity.credit_code, HolderCodeType.CREDIT_CODE, HolderKind.ENTITY
    raise ValidationFailed("该账户没有实名信息，不能作为持证主体", code="holder_invalid")


def holder_user_for(code: str, code_type: str) -> Any | None:
    """The account whose ID number or credit code is ``code``, if registered."""
    from yiwang.domains.accounts.models import Entity, Person

    if code_type == HolderCodeType.RESIDENT_ID:
        person = Person.objects.filter(id_index=blind_index(code)).select_related("user").first()
        return person.user if person else None
    entity = Entity.objects.filter(credit_code=code.upper()).select_related("user").first()
    return entity.user if entity else None


def _check_holder(
    name: str, code: str, code_type: str, ctype: CertificateType, *, strict_kind: bool = True
) -> tuple[str, str]:
    """The holder's (name, code), checked; ``strict_kind``: the holder must be
    of the type's holder kind (a case's applicant is taken as it is — e.g. a
    person running a 个体工商户 holds an entity-kind licence)."""
    name = (name or "").strip()
    code = (code or "").strip().upper()
    if not name:
        raise ValidationFailed(
            "请填写持证主体", code="holder_invalid", fields={"holder_name": "必填"}
        )
    if code_type not in HolderCodeType.values:
        raise ValidationFailed("持证主体代码类型应为 111 或 001", code="holder_invalid")
    expected = (
        HolderCodeType.RESIDENT_ID
        if ctype.holder_kind == HolderKind.PERSON
        else HolderCodeType.CREDIT_CODE
    )
    if strict_kind and code_type != expected:
        raise ValidationFailed(
            f"“{ctype.name}”的持证主体应为{HolderKind(ctype.holder_kind).label}",
            code="holder_invalid",
            fields={"holder_code_type": HolderCodeType(expected).label},
        )
    problem = (
        resident_id_error(code)
        if code_type == HolderCodeType.RESIDENT_ID
        else credit_code_error(code)
    )
    if problem:
        raise ValidationFailed(problem, code="holder_invalid", fields={"holder_code": problem})
    return name[:200], code


def _check_data(ctype: CertificateType, data: Mapping[str, Any]) -> dict[str, Any]:
    from yiwang.domains.cases.forms import form_errors

    clean = dict(data or {})
    problems = form_errors(ctype.field_schema, clean)
    if problems:
        text = "；".join(f"{k}：{v}" for k, v in problems.items())
        raise ValidationFailed(
            f"照面信息填写有误：{text}", code="certificate_data_invalid", fields=problems
        )
    return clean


def _valid_to(ctype: CertificateType, valid_from: dt.date) -> dt.date | None:
    if not ctype.validity_years:
        return None
    try:
        end = valid_from.replace(year=valid_from.year + ctype.validity_years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + ctype.validity_years, day=28)
    return end - dt.timedelta(days=1)


def _fields(ctype: CertificateType, data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    props = (ctype.field_schema or {}).get("properties") or {}
    out = []
    for key, prop in props.items():
        if key in data and data[key] not in (None, ""):
            value = data[key]
            if isinstance(value, list):
                value = "、".join(str(v) for v in value)
            out.append((str((prop or {}).get("title") or key), value))
    return out


def certificate_metadata(cert: Certificate, seal: Seal, signed_at: dt.datetime) -> dict[str, Any]:
    """The GB/T 36903 metadata list of ``cert`` as signed (documents.py)."""
    ctype = cert.type
    issuer = cert.issuer
    return {
        "name": cert.name,
        "type_name": ctype.name,
        "type_code": ctype.code,
        "number": cert.number,
        "identifier": cert.identifier,
        "issuer": issuer.name,
        "issuer_code": issuer.credit_code,
        "issue_date": cert.issued_on.isoformat(),
        "holder": cert.holder_name,
        "holder_code": cert.holder_code,
        "holder_code_type": cert.holder_code_type,
        "valid_from": cert.valid_from.isoformat(),
        "valid_to": cert.valid_to.isoformat() if cert.valid_to else "",
        "division_code": cert.division_code,
        "signer": seal.agency.name,
        "signing_time": timezone.localtime(signed_at).isoformat(timespec="seconds"),
        "seal_name": seal.name,
        "seal_code": seal.code,
        "signature_algorithm": seal.algorithm,
        "version": f"{cert.version:03d}",
        "previous": cert.previous.identifier if cert.previous_id else "",  # type: ignore[union-attr]
        "annotation": {},
        "data": cert.data,
    }


def _make(
    actor: Actor,
    *,
    ctype: CertificateType,
    issuer: Agency,
    holder: Any | None,
    holder_name: str,
    holder_code: str,
    holder_code_type: str,
    data: dict[str, Any],
    source: str,
    issued_on: dt.date | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    number: str = "",
    case: Any = None,
    previous: Certificate | None = None,
    status: str = Status.VALID,
    reason: str = "",
) -> Certificate:
    """Create, render, PAdES-sign, store and seal one certificate. Runs in
    the caller's transaction."""
    from yiwang.core.signing import sign_pdf
    from yiwang.domains.orgs.services import agency_signer

    if not ctype.active:
        raise Conflict(f"证照类型“{ctype.name}”已停用", code="type_inactive")
    issued_on = issued_on or _today()
    valid_from = valid_from or issued_on
    if valid_to is None and source != Source.IMPORT:
        valid_to = _valid_to(ctype, valid_from)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed("有效期截止日期早于起始日期", code="certificate_data_invalid")
    if previous is not None and previous.issuer_id == issuer.pk:
        serial = previous.identifier.split(".")[-3]
        version = previous.version + 1
    elif previous is not None:
        # Another agency takes over (e.g. a legacy certificate of the city
        # bureau changed at a district bureau): its own serial, so the
        # identifier cannot collide with one of its own certificates; the
        # version still counts the chain.
        serial = _next_serial(ctype, issuer, issued_on.year)
        version = previous.version + 1
    else:
        serial = _next_serial(ctype, issuer, issued_on.year)
        version = 1
    identifier = identifiers.build(ctype.code, issuer.credit_code, serial, version)
    if not number:
        number = (
            previous.number
            if previous is not None
            else (f"{ctype.number_prefix}{issuer.division.code[:6]}{serial}")
        )
    seal = seal_for(issuer)
    cert = Certificate.objects.create(
        identifier=identifier,
        type=ctype,
        number=number[:64],
        name=ctype.name,
        issuer=issuer,
        holder=holder,
        holder_name=holder_name,
        holder_code=holder_code,
        holder_code_type=holder_code_type,
        holder_index=blind_index(holder_code),
        issued_on=issued_on,
        valid_from=valid_from,
        valid_to=valid_to,
        division_code=issuer.division.code,
        data=data,
        status=status,
        status_reason=reason[:500],
        status_changed_at=timezone.now(),
        version=version,
        previous=previous,
        source=source,
        case=case,
        seal=seal,
        signature_algorithm=seal.algorithm,
    )
    signed_at = timezone.now()
    metadata = certificate_metadata(cert, seal, signed_at)
    pdf = documents.render_certificate_pdf(
        metadata=metadata, seal_svg=seal.image_svg, fields=_fields(ctype, data)
    )
    key, x509_cert = agency_signer(issuer)
    pdf = sign_pdf(
        pdf, key=key, cert=x509_cert, reason=f"电子证照 {identifier}", location=issuer.name
    )
    file_sm3 = sm3_hex(pdf)
    cert.file_path = documents.store_file(identifier, pdf)
    cert.file_sm3 = file_sm3
    cert.metadata = metadata
    cert.signed_at = signed_at
    cert.signature = seal_sign(
        actor=actor,
        seal=seal,
        data=documents.signed_message(metadata, file_sm3),
        purpose=f"签发电子证照 {identifier}",
        certificate=cert,
    )
    cert.save()
    _audit(
        actor,
        "certificates.issue",
        cert,
        {
            "identifier": identifier,
            "source": source,
            "type": ctype.code,
            "case": getattr(case, "pk", None),
        },
    )
    change = CertificateStatusChange.objects.create(
        certificate=cert,
        from_status="",
        to_status=status,
        reason=(reason or Source(source).label)[:500],
        actor_label=_label(actor),
    )
    _audit(actor, "certificates.status", change, {"to": status})
    return cert


def certificate_type_for_case(case: Any) -> CertificateType | None:
    """The certificate type a case results in, or None: the pinned version's
    result type is "证照" and its catalogue entry is linked to an active type."""
    version = case.version
    if version is None or (version.result_type or "").strip() != RESULT_TYPE_CERTIFICATE:
        return None
    link = (
        ItemCertificateType.objects.select_related("type")
        .filter(entry_id=case.item.entry_id, type__active=True)
        .first()
    )
    return link.type if link else None


def _held_for_case(case: Any, ctype: CertificateType, purpose: str) -> Certificate | None:
    """The applicant's certificate of ``ctype`` that a granting case changes
    or renews (R7.3), locked; None for a first issue. The case names it by
    taking it as a material (免证办), or by its number in the application
    form; a change or renewal that names none takes the applicant's only
    one. Several and none named: refused, the clerk cannot guess."""
    from yiwang.domains.cases.models import CaseMaterial

    live = [Status.VALID, Status.SUSPENDED]
    held = list(
        Certificate.objects.filter(type=ctype, status__in=live)
        .filter(holder_index=blind_index((case.applicant_code or "").strip().upper()))
        .order_by("-issued_on", "-pk")
    )
    named = set(
        CaseMaterial.objects.filter(case=case, replaced=False)
        .exclude(certificate_identifier="")
        .values_list("certificate_identifier", flat=True)
    )
    found = next((c for c in held if c.identifier in named), None)
    gone = (
        Certificate.objects.filter(identifier__in=named, type=ctype)
        .exclude(status__in=live)
        .first()
        if found is None and named
        else None
    )
    if gone is not None:  # the one the case named was revoked since: never another
        raise Conflict(
            f"本件所依据的“{ctype.name}”（{gone.number}）已{gone.status_name}，不能变更或延续",
            code="status_invalid",
        )
    if found is None and purpose != renewal.FIRST:
        values = {
            str(v).strip() for v in (case.form_data or {}).values() if isinstance(v, str | int)
        }
        by_number = [c for c in held if c.number in values]
        if len(by_number) == 1:
            found = by_number[0]
        elif len(held) == 1:
            found = held[0]
        elif held:
            word = "延续" if purpose == renewal.RENEW else "变更"
            raise Conflict(
                f"申请人持有{len(held)}张“{ctype.name}”，无法确定本次{word}的是哪一张："
                "请申请人在申请材料中选用该电子证照，或在申请表中填写其证照编号",
                code="certificate_ambiguous",
            )
    if found is None:
        return None
    locked = _lock_certificate(found.pk)
    if locked.status != Status.VALID:
        raise Conflict(
            f"申请人的“{ctype.name}”（{locked.number}）当前为“{locked.status_name}”，"
            "不能变更或延续",
            code="status_invalid",
        )
    return locked


def certificate_issue_for_case(*, actor: Actor, case_id: int) -> Certificate | None:
    """Issue the case's certificate when its 制证 step completes (R7.1):
    the applicant is the holder, the type's fields come from the case's
    application form. Idempotent (one certificate per case); None when the
    case's result is not a linked certificate type.

    A change (变更) or renewal (延续) of a certificate the applicant holds
    (``_held_for_case``) makes a new version of it instead (R7.3): same
    serial and number, ``previous`` the held one, the face merged with the
    form; a change keeps the period, a renewal starts a new one
    (``renewal.new_validity``). The held one becomes 注销 (change) or 失效
    (renewal), the reason naming the new version and the case."""
    from yiwang.domains.cases.models import Case, Decision

    with service_transaction():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("item", "version", "agency__division", "applicant")
            .get(pk=case_id)
        )
        existing = Certificate.objects.filter(case=case).order_by("-version").first()
        if existing is not None:
            return existing
        if case.decision != Decision.GRANTED:
            return None
        ctype = certificate_type_for_case(case)
        if ctype is None:
            return None
        props = (ctype.field_schema or {}).get("properties") or {}
        data = {k: v for k, v in (case.form_data or {}).items() if k in props}
        data = _check_data(ctype, data)
        code_type = (
            HolderCodeType.CREDIT_CODE
            if case.applicant_kind == "entity"
            else HolderCodeType.RESIDENT_ID
        )
        name, code = _check_holder(
            case.applicant_name, case.applicant_code, code_type, ctype, strict_kind=False
        )
        variants = case.version.variants.all() if case.version is not None else []
        variant = next((v for v in variants if v.code == case.variant_code), None)
        purpose = renewal.variant_purpose(case.variant_code, variant.name if variant else "")
        held = _held_for_case(case, ctype, purpose)
        if held is None:
            return _make(
                actor,
                ctype=ctype,
                issuer=case.agency,
                holder=case.applicant,
                holder_name=name,
                holder_code=code,
                holder_code_type=code_type,
                data=data,
                source=Source.CASE,
                case=case,
            )
        purpose = purpose or renewal.CHANGE
        start, end = renewal.new_validity(
            purpose,
            today=_today(),
            old_from=held.valid_from,
            old_to=held.valid_to,
            years=ctype.validity_years,
        )
        word = "延续" if purpose == renewal.RENEW else "变更"
        new = _make(
            actor,
            ctype=ctype,
            issuer=case.agency,
            holder=held.holder or case.applicant,
            holder_name=name,
            holder_code=code,
            holder_code_type=code_type,
            data=_check_data(ctype, {**held.data, **data}),
            source=Source.CASE,
            valid_from=start,
            valid_to=end,
            case=case,
            previous=held,
            reason=f"{word}（办件 {case.number}）",
        )
        _set_status(
            actor,
            held,
            Status.EXPIRED if purpose == renewal.RENEW else Status.CANCELLED,
            f"因{word}换发新版本 {new.identifier}（办件 {case.number}）",
        )
        return new


def _type(type_id: int | None = None, code: str | None = None) -> CertificateType:
    qs = CertificateType.objects.select_related("defining_agency")
    ctype = (
        qs.filter(pk=type_id).first()
        if type_id is not None
        else qs.filter(code=(code or "").upper()).first()
    )
    if ctype is None:
        raise NotFound("证照类型不存在", code="type_not_found")
    return ctype


def certificate_issue(
    *,
    actor: Actor,
    issuer: Agency,
    type_id: int | None = None,
    type_code: str | None = None,
    holder: Any | None = None,
    holder_name: str = "",
    holder_code: str = "",
    holder_code_type: str = "",
    data: Mapping[str, Any] | None = None,
    issued_on: dt.date | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    number: str = "",
    source: str = Source.MANUAL,
) -> Certificate:
    """Issue by hand (or import a legacy paper certificate, ``source="import"``):
    the holder is an account, or a name + code (linked to the account that
    has that code, if any)."""
    _require(
        actor,
        "certificates.issue",
        issuer.pk,
        "您无权以该单位名义签发电子证照",
        "certificate_forbidden",
    )
    ctype = _type(type_id, type_code)
    if holder is not None:
        from yiwang.domains.certificates.selectors import account_of

        holder = account_of(holder)
        holder_name, holder_code, holder_code_type, _ = _holder_of_user(holder)
    name, code = _check_holder(holder_name, holder_code, holder_code_type, ctype)
    clean = _check_data(ctype, data or {})
    with service_transaction():
        if holder is None:
            holder = holder_user_for(code, holder_code_type)
        return _make(
            actor,
            ctype=ctype,
            issuer=issuer,
            holder=holder,
            holder_name=name,
            holder_code=code,
            holder_code_type=holder_code_type,
            data=clean,
            source=source,
            issued_on=issued_on,
            valid_from=valid_from,
            valid_to=valid_to,
            number=number,
        )


def _lock_certificate(certificate_id: int) -> Certificate:
    cert = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("type", "issuer__division", "previous")
        .filter(pk=certificate_id)
        .first()
    )
    if cert is None:
        raise NotFound("电子证照不存在", code="certificate_not_found")
    return cert


def _set_status(actor: Actor, cert: Certificate, status: str, reason: str) -> Certificate:
    old = cert.status
    cert.status = status
    cert.status_reason = reason
    cert.status_changed_at = timezone.now()
    cert.save()
    _audit(actor, "certificates.status_change", cert, {"status": [old, status], "reason": reason})
    change = CertificateStatusChange.objects.create(
        certificate=cert,
        from_status=old,
        to_status=status,
        reason=reason,
        actor_label=_label(actor),
    )
    _audit(actor, "certificates.status", change, {"from": old, "to": status})
    return cert


def certificate_status_change(
    *, actor: Actor, certificate_id: int, status: str, reason: str
) -> Certificate:
    """暂扣, 撤销, 注销, 失效, 吊销 … or 恢复有效 (status="valid"), with a reason
    (R7.3); recorded in the certificate's history."""
    if status not in Status.values:
        raise ValidationFailed("证照状态不正确", code="status_invalid")
    text = _reason(reason)
    with service_transaction():
        cert = _lock_certificate(certificate_id)
        _require(
            actor,
            "certificates.revoke",
            cert.issuer_id,
            "您无权变更该电子证照的状态",
            "certificate_forbidden",
        )
        if status not in TRANSITIONS.get(cert.status, set()):
            raise Conflict(
                f"电子证照当前为“{cert.status_name}”，不能变更为“{Status(status).label}”",
                code="status_invalid",
            )
        _set_status(actor, cert, status, text)
        if status != Status.VALID:
            from yiwang.domains.certificates.wallet import certificate_revocation_flag_cases

            # R5.8: open cases that relied on it are flagged to their handlers
            certificate_revocation_flag_cases(actor=actor, certificate=cert, reason=text)
        return cert


def certificate_renew(
    *,
    actor: Actor,
    certificate_id: int,
    reason: str,
    data: Mapping[str, Any] | None = None,
    holder_name: str | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Certificate:
    """换发 (renewal) or 变更 (change, new ``data``/``holder_name``): a new
    version with the same serial, linked to the old one by ``previous``; the
    old one becomes 失效 (R7.3)."""
    text = _reason(reason, "换发或变更事由")
    with service_transaction():
        old = _lock_certificate(certificate_id)
        _require(
            actor,
            "certificates.issue",
            old.issuer_id,
            "您无权换发该电子证照",
            "certificate_forbidden",
        )
        if old.status not in (Status.VALID, Status.SUSPENDED):
            raise Conflict(
                f"电子证照当前为“{old.status_name}”，不能换发或变更", code="status_invalid"
            )
        merged = {**old.data, **dict(data or {})}
        clean = _check_data(old.type, merged)
        name = (holder_name or old.holder_name).strip()
        today = _today()
        start = valid_from or today
        new = _make(
            actor,
            ctype=old.type,
            issuer=old.issuer,
            holder=old.holder,
            holder_name=name,
            holder_code=old.holder_code,
            holder_code_type=old.holder_code_type,
            data=clean,
            source=old.source if old.source != Source.IMPORT else Source.MANUAL,
            issued_on=today,
            valid_from=start,
            valid_to=valid_to
            if valid_to is not None
            else (_valid_to(old.type, start) or old.valid_to),
            case=old.case,
            previous=old,
            reason=text,
        )
        _set_status(actor, old, Status.EXPIRED, f"已换发新版本 {new.identifier}：{text}")
        return new


def certificate_link_holder(*, actor: Actor, user: Any) -> int:
    """Attach to ``user`` the certificates issued to its ID number or credit
    code before it had an account (legacy imports); returns how many."""
    _, code, _, _ = _holder_of_user(user)
    count = 0
    with service_transaction():
        for cert in Certificate.objects.select_for_update().filter(
            holder__isnull=True, holder_index=blind_index(code)
        ):
            cert.holder = user
            cert.save(update_fields=["holder", "updated_at"])
            _audit(actor, "certificates.holder_link", cert, {"holder": user.pk})
            count += 1
    return count


def certificates_expire_due(*, actor: Actor = SYSTEM, on: dt.date | None = None) -> int:
    """Mark 失效 every 有效 certificate whose validity ended before ``on``
    (default today) — a daily job (``yiwang certificates_expire``); returns
    how many. Verification already treats them as not valid; this records it."""
    day = on or _today()
    ids = list(
        Certificate.objects.filter(status=Status.VALID, valid_to__lt=day)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for pk in ids:
        with service_transaction():
            cert = _lock_certificate(pk)
            if cert.status != Status.VALID or cert.valid_to is None or cert.valid_to >= day:
                continue
            _set_status(actor, cert, Status.EXPIRED, f"有效期已于 {cert.valid_to.isoformat()} 届满")
            done += 1
    return done
