"""Trust levels of case materials (国办函〔2016〕108号: A library / agency
signed, B window-checked original, C uploaded, D pledge), signed PDFs
verified on upload, 免证办 through the provider registry, and flags to
handlers — on the real database and real files."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.storage import default_storage

from yiwang.core import signing
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.core.models import AuditEntry
from yiwang.domains.cases import providers, services
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    Notification,
    SignatureCheck,
    TrustLevel,
)
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.orgs.models import Staff
from yiwang.domains.orgs.services import agency_signer

LICENCE_TYPE = "11100000000013338W011"  # the guide's 营业执照 certificate type


def last_entry(m: CaseMaterial) -> AuditEntry:
    return AuditEntry.objects.filter(object_type="cases.casematerial", object_id=str(m.pk)).latest(
        "id"
    )


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


def draft(world: Any) -> Case:
    return services.case_draft_save(
        actor=world.applicant, item_id=world.item.pk, variant_code="first", form_data=FORM
    )


def upload(world: Any, case: Case, code: str, data: bytes, name: str) -> CaseMaterial:
    return services.case_material_upload(
        actor=world.applicant, case_id=case.pk, code=code, data=data, filename=name
    )


def submitted(world: Any) -> Case:
    case = draft(world)
    upload(world, case, "application", pdf("申请书"), "申请书.pdf")
    upload(world, case, "licence", png(), "营业执照.png")
    return services.case_submit(actor=world.applicant, case_id=case.pk)


def real_pdf(text: str = "proof") -> bytes:
    """A one-page PDF with a content stream and a proper xref table (what a
    signer needs)."""
    content = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R"
        b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>",
        b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def signed_by_agency(world: Any, text: str = "proof") -> bytes:
    key, cert = agency_signer(world.lx_scj)
    return signing.sign_pdf(real_pdf(text), key, cert, reason="出具证明")


def signed_by_outsider(text: str = "outside") -> bytes:
    root_key, root_cert = signing.make_root()
    key = signing.new_private_key()
    cert = signing.issue_agency_certificate(
        agency_name="某外部机构",
        credit_code="91320200MA1XXXXX0X",
        public_key=key.public_key(),
        root=(root_key, root_cert),
    )
    return signing.sign_pdf(real_pdf(text), key, cert, chain=[root_cert])


# --- trust levels and signatures (R7.4) ------------------------------------------------------


def test_plain_upload_is_level_c_without_signature(case_world):
    """R7.4: an uploaded file the applicant made is trust level C; a PDF
    without a signature shows no signature check."""
    case = draft(case_world)
    m = upload(case_world, case, "application", pdf(), "申请书.pdf")
    p = upload(case_world, case, "licence", png(), "执照.png")
    for row in (m, p):
        row.refresh_from_db()
        assert row.trust_level == TrustLevel.C
        assert row.signature == SignatureCheck.NONE and row.signature_detail == ""


def test_pdf_signed_by_a_platform_agency_is_verified_as_level_a(case_world):
    """R7.4: a PDF signed with an agency's platform key is verified on
    upload (pyHanko, offline) and recorded as trust level A, naming the
    agency."""
    case = draft(case_world)
    m = upload(case_world, case, "application", signed_by_agency(case_world), "证明.pdf")
    m.refresh_from_db()
    assert m.signature == SignatureCheck.PLATFORM
    assert m.trust_level == TrustLevel.A
    assert case_world.lx_scj.name in m.signature_detail
    entry = last_entry(m)
    assert json.loads(entry.change)["trust_level"] == "A"


def test_pdf_signed_outside_the_platform_stays_c_marked_external(case_world):
    """R7.4: a signature that is intact but by a signer outside the platform
    is shown as 签名有效（外部）, and the material stays level C."""
    case = draft(case_world)
    m = upload(case_world, case, "application", signed_by_outsider(), "外部.pdf")
    m.refresh_from_db()
    assert m.signature == SignatureCheck.EXTERNAL
    assert m.get_signature_display() == "签名有效（外部）"
    assert m.trust_level == TrustLevel.C
    assert "某外部机构" in m.signature_detail


def test_tampered_signed_pdf_is_shown_invalid(case_world):
    """R7.4: one changed byte inside the signed range makes the signature
    invalid (签名无效); the file is still kept (nothing submitted is lost)."""
    data = signed_by_agency(case_world, text="proof ABC")
    at = data.index(b"proof ABC")
    bad = data[:at] + b"proof ABD" + data[at + len(b"proof ABC") :]
    case = draft(case_world)
    m = upload(case_world, case, "application", bad, "证明.pdf")
    m.refresh_from_db()
    assert m.signature == SignatureCheck.INVALID
    assert m.get_signature_display() == "签名无效"
    assert m.trust_level == TrustLevel.C
    assert "改动" in m.signature_detail
    assert default_storage.exists(m.path)


def test_window_clerk_checks_original_level_b(case_world):
    """R7.4: a window clerk (cases.accept at the case's agency) who checked
    the original marks the material B; staff of another agency and the
    applicant may not; checking twice changes nothing; an A material stays A."""
    w = case_world
    case = submitted(w)
    licence = CaseMaterial.objects.get(case=case, code="licence")
    with pytest.raises(PermissionDenied):
        services.case_material_check(actor=fresh(w.outsider), material_id=licence.pk)
    with pytest.raises(PermissionDenied):
        services.case_material_check(actor=w.applicant, material_id=licence.pk)
    m = services.case_material_check(actor=fresh(w.clerk), material_id=licence.pk)
    assert m.trust_level == TrustLevel.B and m.checked_by_label and m.checked_at
    again = services.case_material_check(actor=fresh(w.clerk), material_id=licence.pk)
    assert again.checked_at == m.checked_at
    assert CaseEvent.objects.filter(case=case, kind="material_check").count() == 1
    assert last_entry(m).action == "case.material_check"
    # A material signed by an agency is already A: no window check.
    services.case_request_correction(
        actor=fresh(w.clerk), case_id=case.pk, lines=[{"code": "application", "problem": "重传"}]
    )
    signed = upload(w, case, "application", signed_by_agency(w), "申请书.pdf")
    with pytest.raises(Conflict, match="A级"):
        services.case_material_check(actor=fresh(w.clerk), material_id=signed.pk)


def test_material_check_refused_on_a_draft(case_world):
    """R7.4: a draft has not reached the window; nothing to check yet."""
    case = draft(case_world)
    m = upload(case_world, case, "application", pdf(), "申请书.pdf")
    with pytest.raises(Conflict):
        services.case_material_check(actor=fresh(case_world.clerk), material_id=m.pk)


# --- 免证办 through the provider registry (R5.8) -------------------------------------------------


@pytest.fixture
def licence_provider(case_world):
    """A provider offering 张伟 one stored 营业执照 file (the certificates
    domain registers the real one at app ready; this checks the case side
    alone). ``offered`` can be emptied to play a revocation."""
    data = pdf("营业执照 电子证照")
    path = f"test-certs/{sm3_hex(data)}.pdf"
    if not default_storage.exists(path):
        default_storage.save(path, __import__("io").BytesIO(data))
    offer = providers.MaterialOffer(
        identifier="1.2.156.3005.2.11100000000013338W011.TEST.001.X",
        name="营业执照",
        valid_to=None,
        path=path,
        sm3=sm3_hex(data),
        size=len(data),
    )
    offered = [offer]

    def provide(user: Any, type_code: str) -> list[providers.MaterialOffer]:
        if user.pk != case_world.applicant.user_id or type_code != LICENCE_TYPE:
            return []
        return list(offered)

    providers.register_material_provider(provide)
    yield offer, offered
    providers.unregister_material_provider(provide)


def test_certificate_material_needs_no_upload_and_is_level_a(case_world, licence_provider):
    """R5.8: a material whose guide entry names a certificate type is taken
    from the applicant's certificate (offered by the registered provider):
    trust level A, the certificate's identifier and file; the application
    is complete without uploading it."""
    w = case_world
    offer, _ = licence_provider
    case = draft(w)
    assert [o.identifier for o in providers.material_offers(w.applicant.user, LICENCE_TYPE)] == [
        offer.identifier
    ]
    assert providers.material_offers(w.applicant2.user, LICENCE_TYPE) == []
    upload(w, case, "application", pdf(), "申请书.pdf")
    m = services.case_material_from_certificate(
        actor=w.applicant, case_id=case.pk, code="licence", identifier=offer.identifier
    )
    assert m.trust_level == TrustLevel.A
    assert m.certificate_identifier == offer.identifier
    assert (m.path, m.sm3) == (offer.path, offer.sm3)
    again = services.case_material_from_certificate(
        actor=w.applicant, case_id=case.pk, code="licence", identifier=offer.identifier
    )
    assert again.pk == m.pk
    case = services.case_submit(actor=w.applicant, case_id=case.pk)
    assert case.status == Status.SUBMITTED
    assert not CaseMaterial.objects.filter(case=case, code="licence", certificate_identifier="")


def test_certificate_not_offered_is_refused(case_world, licence_provider):
    """R5.8: an identifier no provider offers now (revoked, expired, someone
    else's) is refused; a material without a certificate type cannot be
    taken from one."""
    w = case_world
    offer, offered = licence_provider
    case = draft(w)
    with pytest.raises(ValidationFailed, match="不能以电子证照代替"):
        services.case_material_from_certificate(
            actor=w.applicant, case_id=case.pk, code="application", identifier=offer.identifier
        )
    offered.clear()
    with pytest.raises(ValidationFailed, match="不可用"):
        services.case_material_from_certificate(
            actor=w.applicant, case_id=case.pk, code="licence", identifier=offer.identifier
        )
    other = services.case_draft_save(
        actor=w.applicant2, item_id=w.item.pk, variant_code="first", form_data=FORM
    )
    offered.append(offer)
    with pytest.raises(ValidationFailed, match="不可用"):
        services.case_material_from_certificate(
            actor=w.applicant2, case_id=other.pk, code="licence", identifier=offer.identifier
        )
    assert not CaseMaterial.objects.exclude(certificate_identifier="").exists()


def test_certificate_withdrawn_before_submit_makes_the_draft_incomplete(
    case_world, licence_provider
):
    """R5.8: a certificate chosen in a draft and no longer offered when the
    draft is submitted does not count; the message says so."""
    w = case_world
    offer, offered = licence_provider
    case = draft(w)
    upload(w, case, "application", pdf(), "申请书.pdf")
    services.case_material_from_certificate(
        actor=w.applicant, case_id=case.pk, code="licence", identifier=offer.identifier
    )
    offered.clear()
    with pytest.raises(ValidationFailed, match="电子证照已不可用"):
        services.case_submit(actor=w.applicant, case_id=case.pk)


# --- flags to handlers -------------------------------------------------------------------------


def test_case_flag_writes_a_hidden_event_and_tells_the_handlers(case_world):
    """R5.8: a flag on a case is a timeline entry the applicant does not see
    and a message to its handlers (the clerks before acceptance, the step
    holders after)."""
    w = case_world
    case = submitted(w)
    event = services.case_flag(actor=fresh(w.clerk), case_id=case.pk, title="请核实", detail="x")
    assert event.public is False
    users = set(
        Notification.objects.filter(case=case, title__contains="请核实").values_list(
            "user_id", flat=True
        )
    )
    assert fresh(w.clerk).user_id in users
    assert w.applicant.user_id not in users
    with pytest.raises(PermissionDenied):
        services.case_flag(actor=fresh(w.outsider), case_id=case.pk, title="越权")
    with pytest.raises(ValidationFailed):
        services.case_flag(actor=fresh(w.clerk), case_id=case.pk, title=" ")


def test_console_shows_trust_levels_and_the_clerk_marks_b(case_world, client):
    """R7.4: the console case page shows each material's trust level and
    signature check; the clerk's “核验原件” button makes it B; a reviewer
    without cases.accept sees no button and is refused."""
    w = case_world
    case = draft(w)
    upload(w, case, "application", signed_by_agency(w), "申请书.pdf")
    upload(w, case, "licence", png(), "营业执照.png")
    case = services.case_submit(actor=w.applicant, case_id=case.pk)
    licence = CaseMaterial.objects.get(case=case, code="licence")
    client.force_login(fresh(w.reviewer).user)
    page = client.get(f"/console/cases/{case.number}/").content.decode()
    assert "签名有效（平台机构）" in page and "A级" in page and "C级" in page
    assert f'id="act-material-check-{licence.pk}"' not in page
    refused = client.post(
        f"/console/cases/{case.number}/act/material_check/", {"material": licence.pk}
    )
    assert refused.status_code == 403
    client.logout()
    client.force_login(fresh(w.clerk).user)
    page = client.get(f"/console/cases/{case.number}/").content.decode()
    assert f'id="act-material-check-{licence.pk}"' in page
    done = client.post(
        f"/console/cases/{case.number}/act/material_check/", {"material": licence.pk}
    )
    assert done.status_code == 302
    licence.refresh_from_db()
    assert licence.trust_level == TrustLevel.B
    page = client.get(f"/console/cases/{case.number}/").content.decode()
    assert "B级（窗口核验原件）" in page and "核验原件" in page


def test_supplied_deferred_material_is_verified_too(case_world):
    """R7.4: an owed 容缺 material handed in after acceptance is checked like
    any upload: signed by a platform agency → A."""
    w = case_world
    case = submitted(w)
    services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    row = services.material_supply(
        actor=w.applicant,
        case_id=case.pk,
        code="layout",
        data=signed_by_agency(w),
        filename="图.pdf",
    )
    row.refresh_from_db()
    assert (row.trust_level, row.signature) == (TrustLevel.A, SignatureCheck.PLATFORM)
