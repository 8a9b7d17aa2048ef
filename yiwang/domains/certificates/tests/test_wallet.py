"""免证办 and the holder's wallet (R5.8, R7.5, R7.4): an application whose
material is a certificate the applicant holds asks for no upload of it and
the case shows it as verified (A); every consent and use is logged and shown
to the holder; a revoked certificate is not offered and the open cases that
relied on it are flagged to their handlers. Real database, real files, the
real certificate services."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.domains.cases import providers
from yiwang.domains.cases import services as case_services
from yiwang.domains.cases.lifecycle import Status as CaseStatus
from yiwang.domains.cases.models import Case, CaseEvent, CaseMaterial, Notification, TrustLevel
from yiwang.domains.cases.tests.conftest import FORM, pdf
from yiwang.domains.certificates import services, wallet
from yiwang.domains.certificates.models import Certificate, CertificateUse, Status
from yiwang.domains.certificates.tests.conftest import fresh
from yiwang.domains.certificates.tests.wallet_fixtures import add_wallet


@pytest.fixture
def wallet_world(cert_world: Any) -> Any:
    """cert_world plus 张伟's 食品经营许可证 (issued by hand by 梁溪区市场监督
    管理局) and a published 延续 item that asks for that certificate."""
    return add_wallet(cert_world)


def _draft(w: Any, who: Any = None) -> Case:
    me = who or w.applicant
    case = case_services.case_draft_save(
        actor=me, item_id=w.renew_item.pk, variant_code="first", form_data=FORM
    )
    case_services.case_material_upload(
        actor=me, case_id=case.pk, code="application", data=pdf("延续申请书"), filename="申请书.pdf"
    )
    return case


def _with_certificate(w: Any) -> Case:
    case = _draft(w)
    case_services.case_material_from_certificate(
        actor=w.applicant, case_id=case.pk, code="food_licence", identifier=w.licence.identifier
    )
    return case_services.case_submit(actor=w.applicant, case_id=case.pk)


def _revoke(w: Any, cert: Certificate, reason: str = "以欺骗手段取得许可") -> Certificate:
    cert = services.certificate_status_change(
        actor=fresh(w.head), certificate_id=cert.pk, status=Status.WITHDRAWN, reason=reason
    )
    # The status change flags the cases that relied on it (no extra call).
    return cert


# --- 免证办 through the services --------------------------------------------------------------


def test_held_certificate_is_offered_and_stands_for_the_material(wallet_world):
    """R5.8, R7.4: the applicant's valid certificate of the type a material
    names is offered; choosing it records the material at trust level A with
    the certificate's identifier and signed PDF, asks for no upload, and the
    choice is logged as the holder's consent to the case's agency."""
    w = wallet_world
    offers = providers.material_offers(w.applicant.user, w.food_type.code)
    assert [o.identifier for o in offers] == [w.licence.identifier]
    assert offers[0].path == w.licence.file_path and offers[0].size > 0
    assert providers.material_offers(w.applicant2.user, w.food_type.code) == []

    case = _with_certificate(w)
    assert case.status == CaseStatus.SUBMITTED
    m = CaseMaterial.objects.get(case=case, code="food_licence")
    assert m.trust_level == TrustLevel.A
    assert m.certificate_identifier == w.licence.identifier
    assert (m.path, m.sm3) == (w.licence.file_path, w.licence.file_sm3)
    use = CertificateUse.objects.get(certificate=w.licence)
    assert (use.case_id, use.agency_id, use.material_code) == (case.pk, case.agency_id, m.code)
    assert use.consented_at is not None and use.used_at is None
    assert "免证办" in use.purpose


def test_someone_elses_certificate_is_refused(wallet_world):
    """R5.8: 李娜 cannot use 张伟's certificate."""
    w = wallet_world
    case = _draft(w, who=w.applicant2)
    with pytest.raises(ValidationFailed, match="不可用"):
        case_services.case_material_from_certificate(
            actor=w.applicant2,
            case_id=case.pk,
            code="food_licence",
            identifier=w.licence.identifier,
        )
    assert not CertificateUse.objects.exists()


def test_agency_reading_the_certificate_is_a_logged_use(wallet_world, client):
    """R5.8, R7.5: when the clerk opens the certificate on the case page it
    is logged (who, agency, case, purpose) once per reader; staff elsewhere
    cannot read it."""
    w = wallet_world
    case = _with_certificate(w)
    m = CaseMaterial.objects.get(case=case, code="food_licence")
    client.force_login(fresh(w.clerk).user)
    page = client.get(f"/console/cases/{case.number}/")
    html = page.content.decode()
    assert "已调用电子证照（已核验）" in html and w.licence.identifier in html
    assert "A级" in html
    for _ in range(2):
        r = client.get(f"/console/cases/{case.number}/materials/{m.pk}/")
        assert r.status_code == 200
        assert b"".join(r.streaming_content).startswith(b"%PDF")
    reads = CertificateUse.objects.filter(certificate=w.licence, used_at__isnull=False)
    assert reads.count() == 1
    read = reads.get()
    assert read.agency_id == w.lx_scj.pk and read.case_id == case.pk
    assert read.actor_label and "调阅" in read.purpose
    with pytest.raises(PermissionDenied):
        wallet.certificate_use_by_agency(
            actor=fresh(w.outsider), identifier=w.licence.identifier, case=case
        )


# --- revoked later -----------------------------------------------------------------------------


def test_revoked_certificate_is_not_offered_and_flags_the_cases(wallet_world):
    """R5.8, R7.3: after revocation the certificate is no longer offered nor
    accepted, a draft that chose it cannot be submitted, and every open case
    that relied on it gets a timeline entry the applicant does not see and a
    message to its handlers, once."""
    w = wallet_world
    relied = _with_certificate(w)
    case_services.case_accept(actor=fresh(w.clerk), case_id=relied.pk)
    pending = _draft(w)
    case_services.case_material_from_certificate(
        actor=w.applicant, case_id=pending.pk, code="food_licence", identifier=w.licence.identifier
    )
    _revoke(w, w.licence)
    assert providers.material_offers(w.applicant.user, w.food_type.code) == []
    with pytest.raises(ValidationFailed, match="电子证照已不可用"):
        case_services.case_submit(actor=w.applicant, case_id=pending.pk)
    other = _draft(w)
    with pytest.raises(ValidationFailed, match="不可用"):
        case_services.case_material_from_certificate(
            actor=w.applicant,
            case_id=other.pk,
            code="food_licence",
            identifier=w.licence.identifier,
        )
    flags = CaseEvent.objects.filter(kind="flag", title="所依据的电子证照已被撤销")
    assert [e.case_id for e in flags] == [relied.pk]
    flag = flags.get()
    assert flag.public is False and w.licence.identifier in flag.detail
    told = set(
        Notification.objects.filter(case=relied, title__contains="电子证照已被撤销").values_list(
            "user_id", flat=True
        )
    )
    assert fresh(w.clerk).user_id in told and w.applicant.user_id not in told
    # Calling it again (a retry) adds nothing.
    cert = Certificate.objects.get(pk=w.licence.pk)
    assert wallet.certificate_revocation_flag_cases(actor=fresh(w.head), certificate=cert) == []
    assert CaseEvent.objects.filter(kind="flag").count() == 1


def test_concluded_cases_are_not_flagged(wallet_world):
    """R5.8: only open cases are flagged (a withdrawn one is not)."""
    w = wallet_world
    case = _with_certificate(w)
    case_services.case_withdraw(actor=w.applicant, case_id=case.pk, reason="不办了")
    _revoke(w, w.licence)
    assert not CaseEvent.objects.filter(kind="flag").exists()


# --- the holder's wallet (R7.5) ------------------------------------------------------------------


def test_grant_use_for_one_case(wallet_world):
    """R5.8, R7.5: the holder grants the agency of one of their own open cases
    the use of a valid certificate; not for a draft, not someone else's
    certificate, not once it is revoked."""
    w = wallet_world
    case = _with_certificate(w)
    use = wallet.certificate_use_grant(
        actor=w.applicant, certificate_id=w.licence.pk, case_id=case.pk, purpose=""
    )
    assert use.agency_id == case.agency_id and use.case_id == case.pk
    assert "授权" in use.purpose
    draft = _draft(w)
    with pytest.raises(ValidationFailed):
        wallet.certificate_use_grant(
            actor=w.applicant, certificate_id=w.licence.pk, case_id=draft.pk
        )
    with pytest.raises(NotFound):
        wallet.certificate_use_grant(
            actor=w.applicant2, certificate_id=w.licence.pk, case_id=case.pk
        )
    with pytest.raises(PermissionDenied):
        wallet.certificate_use_grant(
            actor=fresh(w.clerk), certificate_id=w.licence.pk, case_id=case.pk
        )
    _revoke(w, w.licence)
    with pytest.raises(Conflict, match="撤销"):
        wallet.certificate_use_grant(
            actor=w.applicant, certificate_id=w.licence.pk, case_id=case.pk
        )


def test_holder_sees_the_list_of_uses_of_each_certificate(wallet_world, client):
    """R7.5 (acceptance: the holder sees the list of uses of each
    certificate): the wallet lists every certificate in every status; a
    certificate's page lists each consent and use with agency, time, case
    and purpose; the PDF downloads; 授权使用 from the page is logged;
    another person sees none of it."""
    w = wallet_world
    case = _with_certificate(w)
    m = CaseMaterial.objects.get(case=case, code="food_licence")
    staff = client
    staff.force_login(fresh(w.clerk).user)
    assert staff.get(f"/console/cases/{case.number}/materials/{m.pk}/").status_code == 200
    client.logout()

    client.force_login(w.applicant.user)
    listing = client.get("/my/certificates/").content.decode()
    assert "食品经营许可证" in listing and w.licence.number in listing
    detail = client.get(f"/my/certificates/{w.licence.pk}/").content.decode()
    rows = re.findall(r'<tr data-use="\d+">(.*?)</tr>', detail, re.S)
    assert len(rows) == 2  # the consent on applying, the clerk's read
    assert all(w.lx_scj.name in r and case.number in r for r in rows)
    assert any("授权" in r and "免证办" in r for r in rows)
    assert any("调用" in r and "调阅" in r for r in rows)
    pdf_response = client.get(f"/my/certificates/{w.licence.pk}/file.pdf?download=1")
    assert pdf_response.status_code == 200
    assert b"".join(pdf_response.streaming_content).startswith(b"%PDF")
    granted = client.post(
        f"/my/certificates/{w.licence.pk}/grant/", {"case": str(case.pk), "purpose": "年检核验"}
    )
    assert granted.status_code == 302
    detail = client.get(f"/my/certificates/{w.licence.pk}/").content.decode()
    assert "年检核验" in detail
    assert len(re.findall(r'<tr data-use="\d+">', detail)) == 3
    bad = client.post(f"/my/certificates/{w.licence.pk}/grant/", {"case": "", "purpose": ""})
    assert bad.status_code == 422 and "请选择本人正在办理的办件" in bad.content.decode()

    _revoke(w, w.licence)
    listing = client.get("/my/certificates/").content.decode()
    assert "撤销" in listing  # all statuses stay listed

    client.logout()
    client.force_login(w.applicant2.user)
    assert client.get(f"/my/certificates/{w.licence.pk}/").status_code == 404
    assert client.get(f"/my/certificates/{w.licence.pk}/file.pdf").status_code == 404
    assert w.licence.number not in client.get("/my/certificates/").content.decode()


# --- the apply page (acceptance) ----------------------------------------------------------------


def test_apply_page_asks_no_upload_of_a_held_certificate(wallet_world, client):
    """R5.8 (acceptance: an application for an item whose material is a
    certificate the applicant holds asks for no upload of it, and the case
    shows the certificate as verified): the apply page offers “使用我的电子
    证照”; choosing it and submitting with only the other file makes the
    case; the applicant's and the clerk's case pages show it as verified (A)."""
    w = wallet_world
    client.force_login(w.applicant.user)
    url = f"/items/{w.renew_item.implementation_code}/apply/"
    html = client.get(url).content.decode()
    assert "使用我的电子证照：食品经营许可证" in html
    label = re.search(r"使用我的电子证照：食品经营许可证 <span[^>]*>([^<]*)</span>", html)
    assert label and providers.mask_identifier(w.licence.identifier) in label.group(1)
    assert w.licence.identifier not in label.group(1)  # shown masked
    case_id = re.search(r'name="case" value="(\d+)"', html).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]*)"', html).group(1)
    response = client.post(
        url,
        {
            "case": case_id,
            "variant": "first",
            "idempotency_key": key,
            "action": "submit",
            **{k: str(v) for k, v in FORM.items()},
            "file_application": SimpleUploadedFile("申请书.pdf", pdf("延续申请书")),
            "cert_food_licence": w.licence.identifier,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(pk=int(case_id))
    assert case.status == CaseStatus.SUBMITTED
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "已调用电子证照（已核验，A级）" in page
    client.logout()
    client.force_login(fresh(w.clerk).user)
    console = client.get(f"/console/cases/{case.number}/").content.decode()
    assert "A级" in console and w.licence.identifier in console


def test_apply_page_shows_the_chosen_certificate_and_offers_none_when_revoked(wallet_world, client):
    """R5.8: after choosing (and saving) the page shows “已调用电子证照（已核验，
    A级）” instead of an upload; once the certificate is revoked nothing is
    offered and the upload is asked again."""
    w = wallet_world
    client.force_login(w.applicant.user)
    url = f"/items/{w.renew_item.implementation_code}/apply/"
    html = client.get(url).content.decode()
    case_id = re.search(r'name="case" value="(\d+)"', html).group(1)
    client.post(
        url,
        {
            "case": case_id,
            "variant": "first",
            "action": "save",
            "cert_food_licence": w.licence.identifier,
            **{k: str(v) for k, v in FORM.items()},
        },
    )
    html = client.get(url).content.decode()
    section = html[html.index('id="material-food_licence"') :]
    section = section[: section.index("</li>")]
    assert "已调用电子证照（已核验，A级）" in section
    assert 'name="file_food_licence"' not in section
    _revoke(w, w.licence)
    html = client.get(url).content.decode()
    section = html[html.index('id="material-food_licence"') :]
    section = section[: section.index("</li>")]
    assert "已调用电子证照" not in section and "使用我的电子证照" not in section
    assert "所选电子证照已不可用" in section
    assert 'name="file_food_licence"' in section
