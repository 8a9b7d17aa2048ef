"""Public certificate verification page and API, and the catalogue of types
(R7.2, R7.4, R7.5)."""

from __future__ import annotations

from django.utils import timezone

from yiwang.domains.certificates import services
from yiwang.domains.certificates.models import Certificate
from yiwang.domains.certificates.tests.conftest import fresh, granted_case


def test_verification_page_valid_then_revoked_with_date_and_reason(cert_world, client):
    """R7.4, R7.5: the QR's page says authentic and 有效 with type, issuer
    and the holder masked; after revocation it says 吊销 with the date and
    the reason; a typed identifier goes to the same page."""
    w = cert_world
    cert = Certificate.objects.get(case=granted_case(w))
    url = f"/certificates/verify/{cert.identifier}/"
    assert cert.metadata["identifier"] in url
    page = client.get(url).content.decode()
    assert "真实有效" in page and "食品经营许可证" in page
    assert "无锡市梁溪区市场监督管理局" in page
    assert "张*" in page and "张伟" not in page
    assert w.applicant.id_number not in page and w.applicant.id_number[-4:] in page
    services.certificate_status_change(
        actor=fresh(w.head), certificate_id=cert.pk, status="revoked", reason="违法经营被吊销"
    )
    page = client.get(url).content.decode()
    today = timezone.localdate()
    assert "真实有效" not in page
    assert "吊销" in page and "违法经营被吊销" in page
    assert f"{today.year}年{today.month}月{today.day}日" in page
    typed = client.get("/certificates/verify/", {"identifier": cert.identifier.lower()})
    assert typed.status_code == 302 and typed["Location"] == url


def test_verification_page_rejects_bad_and_unknown_identifiers(cert_world, client):
    """R7.5: a wrong check character is named; a well-formed unknown one is not ours."""
    w = cert_world
    cert = Certificate.objects.get(case=granted_case(w))
    wrong = cert.identifier[:-1] + ("A" if cert.identifier[-1] != "A" else "B")
    r = client.get(f"/certificates/verify/{wrong}/")
    assert r.status_code == 400 and "校验位不正确" in r.content.decode()
    r = client.get("/certificates/verify/", {"identifier": wrong})
    assert r.status_code == 400 and "校验位不正确" in r.content.decode()
    example = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"
    r = client.get(f"/certificates/verify/{example}/")
    assert r.status_code == 404 and "未找到" in r.content.decode()
    assert client.get("/certificates/verify/").status_code == 200


def test_api_verifies_and_lists_types(cert_world, client):
    """R7.4, R7.2: GET /api/certificates/{identifier} and /api/certificates/types."""
    w = cert_world
    cert = Certificate.objects.get(case=granted_case(w))
    body = client.get(f"/api/certificates/{cert.identifier}").json()
    assert body["authentic"] and body["valid"] and body["status_name"] == "有效"
    assert body["holder"] == "张*" and body["issuer"] == "无锡市梁溪区市场监督管理局"
    services.certificate_status_change(
        actor=fresh(w.head), certificate_id=cert.pk, status="suspended", reason="停业整顿"
    )
    body = client.get(f"/api/certificates/{cert.identifier}").json()
    assert not body["valid"] and body["status_name"] == "暂扣"
    assert body["status_reason"] == "停业整顿" and body["status_at"]
    bad = client.get(f"/api/certificates/{cert.identifier[:-1]}0")
    if cert.identifier.endswith("0"):
        bad = client.get(f"/api/certificates/{cert.identifier[:-1]}1")
    assert bad.status_code == 422 and not bad.json()["well_formed"]
    types = client.get("/api/certificates/types").json()
    assert [t["code"] for t in types] == [w.food_type.code]
    page = client.get("/certificates/types/").content.decode()
    assert "食品经营许可证" in page and w.food_type.code in page
    assert client.get("/api/certificates/types?shared=true").json()[0]["shared"] is True
