"""The public read API for divisions and agencies (R1.3, R2.1, R1.4)."""

from __future__ import annotations

import pytest

from yiwang.domains.orgs.models import Division

pytestmark = pytest.mark.django_db


def test_divisions_list_and_filters(world, client):
    """R1.3: divisions are listed with their GB/T 2260 codes, no token needed."""
    body = client.get("/api/orgs/divisions").json()
    assert body["count"] == Division.objects.count() == 5
    assert body["items"][0] == {
        "code": "320000",
        "name": "江苏省",
        "level": "province",
        "level_name": "省级",
        "parent_code": None,
    }
    body = client.get("/api/orgs/divisions", {"parent": "320200"}).json()
    assert [i["code"] for i in body["items"]] == ["320213", "320281"]
    body = client.get("/api/orgs/divisions", {"level": "town"}).json()
    assert [(i["code"], i["parent_code"]) for i in body["items"]] == [("320281107000", "320281")]
    body = client.get("/api/orgs/divisions", {"page_size": 2, "page": 2}).json()
    assert (body["page"], body["pages"], len(body["items"])) == (2, 3, 2)


def test_division_detail_and_404(world, client):
    body = client.get("/api/orgs/divisions/320281107000").json()
    assert [p["name"] for p in body["path"]] == ["江苏省", "无锡市", "江阴市", "华士镇"]
    assert body["children"] == []
    response = client.get("/api/orgs/divisions/999999")
    assert response.status_code == 404
    assert response.json() == {"code": "division_not_found", "message": "行政区划 999999 不存在"}


def test_bad_filters_are_refused_in_chinese(world, client):
    response = client.get("/api/orgs/divisions", {"level": "planet"})
    assert response.status_code == 422
    assert "层级" in response.json()["message"]
    response = client.get("/api/orgs/divisions", {"parent": "110000"})
    assert response.status_code == 404 and "110000" in response.json()["message"]
    response = client.get("/api/orgs/agencies", {"page_size": 1000})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_agencies_list_filters(world, client):
    """R2.1: agencies by division (with its subtree), kind and name."""
    body = client.get("/api/orgs/agencies", {"division": "320200"}).json()
    assert body["count"] == 5
    body = client.get("/api/orgs/agencies", {"division": "320281"}).json()
    assert [i["name"] for i in body["items"]] == ["江阴市市场监督管理局"]
    body = client.get("/api/orgs/agencies", {"kind": "management"}).json()
    assert {i["kind_name"] for i in body["items"]} == {"政务服务管理机构"}
    assert body["count"] == 2
    body = client.get("/api/orgs/agencies", {"q": "梁溪"}).json()
    assert body["count"] == 2
    assert client.get("/api/orgs/agencies", {"kind": "club"}).status_code == 422
    assert client.get("/api/orgs/agencies", {"division": "999999"}).status_code == 404


def test_agency_detail_and_404(world, client):
    body = client.get(f"/api/orgs/agencies/{world.jy_scj.credit_code}").json()
    assert body["name"] == "江阴市市场监督管理局"
    assert (body["division_code"], body["division_name"]) == ("320281", "江阴市")
    assert body["parent_credit_code"] is None and body["active"] is True
    response = client.get("/api/orgs/agencies/91320200MA1XXXXXXX")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "agency_not_found" and "不存在" in body["message"]


def test_api_shows_no_staff_or_personal_data(world, client):
    text = client.get("/api/orgs/agencies", {"division": "320200"}).content.decode()
    assert world.clerk.id_number not in text and "华志强" not in text
