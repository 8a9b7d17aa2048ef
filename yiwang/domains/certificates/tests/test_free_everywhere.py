"""免证办 wherever an application is made, and every API read of a
certificate logged as a use (R5.8, R7.5, R7.4, R6.5): the 一件事 page and
service, and POST /api/cases for an agency's system with the applicant's
consent, take the applicant's valid 营业执照 instead of an upload (trust
level A, consent logged per agency); a revoked one is never offered or
used; GET /api/certificates/{identifier}/data|file needs the case number
and purpose, the holder's consent, and each read shows in the wallet.
Real database, real files, the real certificate services."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.domains.cases import services as case_services
from yiwang.domains.cases.lifecycle import Status as CaseStatus
from yiwang.domains.cases.models import Case, CaseKind, CaseMaterial, TrustLevel
from yiwang.domains.cases.tests.conftest import FORM, pdf
from yiwang.domains.cases.tests.test_bundles import APPLICATION, BUNDLE, bundle_world  # noqa: F401
from yiwang.domains.catalog import selectors as catalog_selectors
from yiwang.domains.catalog.tests.conftest import make_staff
from yiwang.domains.certificates import services
from yiwang.domains.certificates.models import Certificate, CertificateUse, Status
from yiwang.domains.orgs.models import Staff
from yiwang.domains.orgs.services import api_client_issue

LICENCE_TYPE = "11100000000013338W011"  # 营业执照 as the test guides name it


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


@pytest.fixture
def world(bundle_world: Any) -> Any:  # noqa: F811
    """The 开办餐饮店 bundle world, plus the 营业执照 type (defined by
    国家市场监督管理总局, kept by 无锡市市场监督管理局) and 张伟's licence."""
    w = bundle_world
    admin = make_staff(w.city_scj, "free_types_admin", ["unit_admin"], "韩立新")
    ctype = services.certificate_type_create(
        actor=fresh(admin),
        defining_agency=w.city_scj,
        code_suffix="011",
        name="营业执照",
        holder_kind="person",
        definer_name="国家市场监督管理总局",
        definer_code=LICENCE_TYPE[:18],
        field_schema={"type": "object", "properties": {"name": {"type": "string"}}},
    )
    assert ctype.code == LICENCE_TYPE
    w["licence"] = services.certificate_issue(
        actor=fresh(w.clerk),
        issuer=w.lx_scj,
        type_id=ctype.pk,
        holder=w.applicant.user,
        data={"name": "张伟烧烤店"},
    )
    _, w["token"] = api_client_issue(actor=SYSTEM, agency=w.lx_scj, name="梁溪市场监管审批系统")
    _, w["other_token"] = api_client_issue(actor=SYSTEM, agency=w.bh_scj, name="滨湖审批系统")
    return w


def _keys(w: Any) -> dict[str, str]:
    return {m["name"]: m["key"] for m in catalog_selectors.bundle_merged_materials(w.bundle)}


def _revoke(w: Any, cert: Certificate) -> None:
    services.certificate_status_change(
        actor=fresh(w.head), certificate_id=cert.pk, status=Status.REVOKED, reason="违法经营"
    )


# --- 一件事 --------------------------------------------------------------------------------------


def _bundle_draft(w: Any) -> Case:
    me = w.applicant
    case = case_services.bundle_draft_save(actor=me, bundle_code=BUNDLE, form_data=APPLICATION)
    k = _keys(w)
    for name, filename in (
        ("食品经营许可申请书", "申请书.pdf"),
        ("经营场所平面布局图", "布局图.pdf"),
        ("消防设施平面图", "平面图.pdf"),
    ):
        case_services.bundle_material_upload(
            actor=me, case_id=case.pk, key=k[name], data=pdf(name), filename=filename
        )
    return case


def test_bundle_takes_the_licence_from_the_wallet_for_every_part(world):
    """R5.8, R6.5: in a 一件事 the shared 营业执照 is taken once from the
    applicant's certificate (no upload); each part gets it at trust level A
    with the identifier, and the holder's consent is logged for the lead
    agency and for each part's agency."""
    w = world
    case = _bundle_draft(w)
    key = _keys(w)["营业执照"]
    m = case_services.bundle_material_from_certificate(
        actor=w.applicant, case_id=case.pk, key=key, identifier=w.licence.identifier
    )
    assert (m.trust_level, m.certificate_identifier) == (TrustLevel.A, w.licence.identifier)
    parent = case_services.bundle_submit(actor=w.applicant, case_id=case.pk)
    parts = list(Case.objects.filter(parent=parent, kind=CaseKind.BUNDLE_PART))
    assert len(parts) == 2
    for part in parts:
        row = CaseMaterial.objects.get(case=part, code="licence")
        assert row.trust_level == TrustLevel.A
        assert row.certificate_identifier == w.licence.identifier
        assert (row.path, row.sm3) == (w.licence.file_path, w.licence.file_sm3)
    uses = CertificateUse.objects.filter(certificate=w.licence)
    assert {u.case_id for u in uses} == {parent.pk, *(p.pk for p in parts)}
    assert {u.agency_id for u in uses} == {w.lx_scj.pk, w.city_gaj.pk}


def test_bundle_refuses_a_licence_revoked_after_it_was_chosen(world):
    """R5.8: a certificate revoked between choosing and submitting is not
    passed on: the submission names the material as no longer usable; a
    revoked certificate cannot be chosen."""
    w = world
    case = _bundle_draft(w)
    key = _keys(w)["营业执照"]
    case_services.bundle_material_from_certificate(
        actor=w.applicant, case_id=case.pk, key=key, identifier=w.licence.identifier
    )
    _revoke(w, w.licence)
    with pytest.raises(Exception, match="所选电子证照已不可用") as exc:
        case_services.bundle_submit(actor=w.applicant, case_id=case.pk)
    assert exc.value.code == "materials_missing"  # type: ignore[attr-defined]
    with pytest.raises(Exception, match="不可用"):
        case_services.bundle_material_from_certificate(
            actor=w.applicant, case_id=case.pk, key=key, identifier=w.licence.identifier
        )


def test_bundle_page_offers_the_licence_and_choosing_it_is_enough(world, client):
    """R5.8, R6.5: the 一件事 page offers the applicant's valid 营业执照 for
    the shared material; choosing it and submitting needs no upload of it;
    a revoked licence is not offered."""
    w = world
    client.force_login(w.applicant.user)
    url = f"/bundles/{BUNDLE}/apply/"
    page = client.get(url).content.decode()
    assert "使用我的电子证照：营业执照" in page
    merged = catalog_selectors.bundle_merged_materials(w.bundle)
    index = next(i for i, m in enumerate(merged) if m["name"] == "营业执照")
    files = {
        f"file_{i}": __import__("io").BytesIO(pdf(m["name"]))
        for i, m in enumerate(merged)
        if m["name"] != "营业执照"
    }
    for i, f in files.items():
        f.name = f"{i}.pdf"
    form = {f"f_{k}": str(v) for k, v in APPLICATION.items()}
    response = client.post(
        url,
        {
            **form,
            **files,
            f"cert_{index}": w.licence.identifier,
            "action": "submit",
            "idempotency_key": "bundle-free-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    parent = Case.objects.get(kind=CaseKind.BUNDLE, applicant=w.applicant.user)
    assert parent.status == CaseStatus.HANDLING
    assert not CaseMaterial.objects.filter(
        case__parent=parent, code="licence", certificate_identifier=""
    ).exists()
    _revoke(w, w.licence)
    assert "使用我的电子证照：营业执照" not in client.get(url).content.decode()


# --- POST /api/cases ------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _create(client: Any, w: Any, token: str, **over: Any) -> Any:
    body = {
        "item": w.item.implementation_code,
        "variant": "first",
        "form": FORM,
        "applicant": {"id_number": w.applicant.id_number},
        "files": [
            {"material": "application", "filename": "申请书.pdf", "content_base64": _b64(pdf())},
        ],
        **over,
    }
    return client.post(
        "/api/cases", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_api_application_with_consent_uses_the_applicants_licence(world, client):
    """R5.8: an agency's system applying for 张伟 with his recorded consent
    gets the 营业执照 from his certificates (trust level A, no upload); the
    consent statement is in the use the holder sees. Without consent the
    licence is not used and the material is missing; a revoked one is never
    used."""
    w = world
    refused = _create(client, w, w.token)
    assert refused.status_code == 422 and refused.json()["code"] == "materials_missing"
    assert "营业执照" in refused.json()["message"]

    made = _create(client, w, w.token, certificate_consent="申请人在本单位业务系统中勾选同意")
    assert made.status_code == 201, made.json()
    body = made.json()
    licence = next(m for m in body["materials"] if m["code"] == "licence")
    assert licence["trust_level"] == "A"
    assert licence["certificate_identifier"] == w.licence.identifier
    use = CertificateUse.objects.get(certificate=w.licence)
    assert use.case.number == body["number"] and use.agency_id == w.lx_scj.pk
    assert "勾选同意" in use.purpose and use.used_at is None

    _revoke(w, w.licence)
    again = _create(client, w, w.token, certificate_consent="申请人口头同意并签字")
    assert again.status_code == 422 and again.json()["code"] == "materials_missing"


def test_api_names_a_certificate_only_with_consent(world, client):
    """R5.8: choosing a certificate by identifier without the applicant's
    consent is refused with a Chinese message."""
    w = world
    response = _create(
        client,
        w,
        w.token,
        certificates=[{"material": "licence", "identifier": w.licence.identifier}],
    )
    assert response.status_code == 422
    assert response.json()["code"] == "certificate_consent_required"
    assert "授权" in response.json()["message"]
    assert not CertificateUse.objects.exists()


# --- GET /api/certificates/{identifier}/data and /file -------------------------


def test_every_api_read_needs_case_and_purpose_and_is_a_use_the_holder_sees(world, client):
    """R5.8, R7.5: a system reads a certificate for one of its cases only
    with the case number and purpose (422 with a Chinese message
    otherwise), under the holder's consent (403 for a case without it, or
    another agency's system); every read — data or file — is a use row
    (who, when, case, purpose) listed on the holder's wallet page."""
    w = world
    made = _create(client, w, w.token, certificate_consent="申请人在业务系统中勾选同意").json()
    number = made["number"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {w.token}"}
    base = f"/api/certificates/{w.licence.identifier}"

    bare = client.get(f"{base}/data", **auth)
    assert bare.status_code == 422
    assert bare.json()["code"] == "certificate_purpose_required"
    assert "办件编号" in bare.json()["message"] and "用途" in bare.json()["message"]
    no_purpose = client.get(f"{base}/data", {"case": number}, **auth)
    assert no_purpose.status_code == 422 and "用途" in no_purpose.json()["message"]
    assert client.get(f"{base}/data", {"case": number, "purpose": "核验"}).status_code == 401

    data = client.get(f"{base}/data", {"case": number, "purpose": "受理审查核验营业执照"}, **auth)
    assert data.status_code == 200, data.json()
    body = data.json()
    assert body["authentic"] and body["valid"] and body["holder"] == "张伟"
    assert body["use"]["case"] == number and body["use"]["purpose"] == "受理审查核验营业执照"
    file = client.get(f"{base}/file", {"case": number, "purpose": "下载存档"}, **auth)
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    assert file["X-Certificate-SM3"] == w.licence.file_sm3

    reads = CertificateUse.objects.filter(certificate=w.licence, used_at__isnull=False)
    assert sorted(reads.values_list("purpose", flat=True)) == ["下载存档", "受理审查核验营业执照"]
    assert {r.actor_label for r in reads} == {"梁溪市场监管审批系统"} or all(
        "梁溪市场监管审批系统" in r.actor_label for r in reads
    )

    other = client.get(
        f"{base}/data",
        {"case": number, "purpose": "核验"},
        HTTP_AUTHORIZATION=f"Bearer {w.other_token}",
    )
    assert other.status_code == 403
    plain = _create(
        client,
        w,
        w.token,
        files=[
            {"material": "application", "filename": "申请书.pdf", "content_base64": _b64(pdf())},
            {"material": "licence", "filename": "执照.pdf", "content_base64": _b64(pdf("执照"))},
        ],
    ).json()["number"]
    no_consent = client.get(f"{base}/data", {"case": plain, "purpose": "核验"}, **auth)
    assert no_consent.status_code == 403
    assert no_consent.json()["code"] == "certificate_no_consent"
    assert reads.count() == 2

    client.force_login(w.applicant.user)
    wallet = client.get(f"/my/certificates/{w.licence.pk}/").content.decode()
    assert "受理审查核验营业执照" in wallet and "下载存档" in wallet and number in wallet
