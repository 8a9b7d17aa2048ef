"""The catalogue API (R1.4, R3.4, R3.5, R3.7, R6.5): public reads without a
token; agency systems write drafts of their own items with their bearer
token, along the same review path as the console."""

from __future__ import annotations

import json

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.domains.catalog import services
from yiwang.domains.catalog.models import ItemVersion, ServiceItem
from yiwang.domains.catalog.tests.conftest import publish_item
from yiwang.domains.catalog.tests.test_public_selectors import republish
from yiwang.domains.orgs.services import api_client_issue

pytestmark = pytest.mark.django_db

API = "/api/catalog"


@pytest.fixture
def food(catalog_city) -> ServiceItem:
    return publish_item(city=catalog_city, name="食品经营许可", tags=("wangshang",))


@pytest.fixture
def lx_token(catalog_city) -> str:
    return api_client_issue(actor=SYSTEM, agency=catalog_city.lx_scj, name="梁溪市场监管审批系统")[
        1
    ]


@pytest.fixture
def bh_token(catalog_city) -> str:
    return api_client_issue(actor=SYSTEM, agency=catalog_city.bh_scj, name="滨湖市场监管审批系统")[
        1
    ]


def call(client, method: str, path: str, token: str | None = None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    fn = getattr(client, method)
    if body is None:
        return fn(API + path, **headers)
    return fn(API + path, data=json.dumps(body), content_type="application/json", **headers)


def test_search_items_without_token(client, catalog_city, food):
    """R3.4: anyone searches the published items by text, pinyin or initials."""
    other = publish_item(city=catalog_city, name="出生医学证明", agency=catalog_city.city_gaj)
    for q in ("食品", "shipin", "spxk"):
        body = client.get(f"{API}/items", {"q": q}).json()
        assert body["count"] == 1, q
        row = body["items"][0]
        assert row["implementation_code"] == food.implementation_code
        assert row["name"] == "食品经营许可"
        assert row["tags"] == [{"code": "wangshang", "name": "网上办"}]
    body = client.get(f"{API}/items").json()
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    body = client.get(f"{API}/items", {"agency": catalog_city.city_gaj.credit_code}).json()
    assert [i["implementation_code"] for i in body["items"]] == [other.implementation_code]
    body = client.get(f"{API}/items", {"division": "320213", "tag": "wangshang"}).json()
    assert body["count"] == 1
    assert client.get(f"{API}/items", {"audience": "alien"}).status_code == 422
    assert client.get(f"{API}/items", {"division": "999999"}).status_code == 404
    assert client.get(f"{API}/items", {"page_size": 500}).status_code == 422


def test_guide_json_and_old_versions(client, catalog_city, food):
    """R3.4, R3.5: the full guide as JSON; ?version= reads an old published version."""
    item = republish(catalog_city, food, promised_limit=2)
    body = client.get(f"{API}/items/{item.implementation_code}").json()
    assert body["name"] == "食品经营许可" and body["item_type"] == "行政许可"
    assert body["basic_code"] == item.entry.basic_code
    assert body["version"]["number"] == 2 and body["is_current"] is True
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["legal_basis"][0]["title"] == "中华人民共和国食品安全法"
    guide = body["guide"]
    assert guide["promised_limit"] == 2
    assert [m["code"] for m in guide["materials"]] == ["application", "licence", "layout"]
    assert guide["materials"][2]["necessity"] == "deferrable"
    assert [s["code"] for s in guide["steps"]][:2] == ["accept", "review"]
    body = client.get(f"{API}/items/{item.implementation_code}", {"version": 1}).json()
    assert body["version"]["number"] == 1 and body["is_current"] is False
    assert body["guide"]["promised_limit"] == 5
    response = client.get(f"{API}/items/NOPE")
    assert response.status_code == 404 and response.json()["code"] == "item_not_found"
    response = client.get(f"{API}/items/{item.implementation_code}", {"version": 7})
    assert response.status_code == 404


def test_suspended_item_json_says_why(client, catalog_city, food):
    """R4.3: a suspended item stays readable and names its reason."""
    services.service_item_suspend(
        actor=catalog_city.lx_admin, item=food, reason="off_cycle", note="每年3月办理"
    )
    body = client.get(f"{API}/items/{food.implementation_code}").json()
    assert body["lifecycle"] == "suspended"
    assert body["suspend_reason_name"] == "周期性事项不在办理期"
    row = client.get(f"{API}/items", {"q": "spxk"}).json()["items"][0]
    assert row["lifecycle"] == "suspended" and row["suspend_note"] == "每年3月办理"


def test_entry_tags_topics_and_bundles(client, catalog_city, food):
    """R3.2, R3.3, R3.7, R6.5: entries with their implementations, tags, topics, bundles."""
    c = catalog_city
    body = client.get(f"{API}/entries/{food.entry.basic_code}").json()
    assert body["name"] == "食品经营许可" and body["item_type_code"] == "01"
    assert [i["implementation_code"] for i in body["items"]] == [food.implementation_code]
    assert client.get(f"{API}/entries/NOPE").status_code == 404
    tags = {t["code"]: t["item_count"] for t in client.get(f"{API}/tags").json()}
    assert tags["wangshang"] == 1 and tags["kuasheng"] == 0
    services.topic_create(
        actor=SYSTEM, kind="theme", code="catering", name="餐饮", audience="entity"
    )
    assert client.get(f"{API}/topics", {"kind": "theme"}).json()[0]["code"] == "catering"
    other = publish_item(city=c, name="户外广告设置许可", agency=c.lx_scj)
    services.bundle_create(
        actor=c.lx_admin,
        code="YJS320213001",
        name="开办餐饮店",
        division=c.lx,
        lead_agency=c.lx_scj,
        audience="entity",
        items=[food, other],
    )
    body = client.get(f"{API}/bundles").json()
    assert [(b["code"], b["member_count"]) for b in body] == [("YJS320213001", 2)]
    body = client.get(f"{API}/bundles/YJS320213001").json()
    assert [m["name"] for m in body["members"]] == ["食品经营许可", "户外广告设置许可"]
    names = [m["name"] for m in body["materials"]]
    assert names.count("营业执照") == 1
    assert "applicant_name" in body["form_schema"]["properties"]
    assert client.get(f"{API}/bundles/NONE").status_code == 404


def test_writes_need_a_token(client, food):
    """R1.4: writes need an agency system's bearer token."""
    response = call(
        client, "post", f"/items/{food.implementation_code}/drafts", body={"reason": "x"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    response = call(
        client, "post", f"/items/{food.implementation_code}/drafts", "yw_bad", {"reason": "x"}
    )
    assert response.status_code == 401


def test_another_agencys_token_is_refused(client, food, bh_token):
    """An agency system only reaches its own agency's items."""
    response = call(
        client, "post", f"/items/{food.implementation_code}/drafts", bh_token, {"reason": "改"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_own_item"
    assert not ItemVersion.objects.filter(item=food, number=2).exists()


def test_agency_system_revises_and_submits_along_the_review_path(
    client, catalog_city, food, lx_token, bh_token
):
    """R3.5, R1.4: an agency system opens a draft, edits the guide, is refused
    while a required element is missing (with the list), then submits; the
    centre reviews and publishes as for the console."""
    code = food.implementation_code
    response = call(client, "post", f"/items/{code}/drafts", lx_token, {"reason": "调整承诺时限"})
    assert response.status_code == 201, response.json()
    draft = response.json()
    assert (draft["number"], draft["status"], draft["missing"]) == (2, "draft", [])
    vid = draft["version_id"]
    # another agency's system can neither read nor write the draft
    assert call(client, "get", f"/drafts/{vid}", bh_token).status_code == 403
    assert call(client, "put", f"/drafts/{vid}", bh_token, {"hours": "x"}).status_code == 403
    assert call(client, "post", f"/drafts/{vid}/submit", bh_token).status_code == 403
    # a second draft of the same item is a conflict
    again = call(client, "post", f"/items/{code}/drafts", lx_token, {"reason": "再改"})
    assert again.status_code == 409
    # remove two required elements: the draft keeps them listed as missing
    response = call(
        client, "put", f"/drafts/{vid}", lx_token, {"promised_limit": 3, "faqs": [], "hours": ""}
    )
    assert response.status_code == 200, response.json()
    assert set(response.json()["missing"]) == {"办理时间", "常见问题"}
    response = call(client, "post", f"/drafts/{vid}/submit", lx_token)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "guide_incomplete"
    assert set(body["missing"]) == {"办理时间", "常见问题"}
    assert "办理时间" in body["message"]
    # unknown keys and bad values are refused without saving
    response = call(client, "put", f"/drafts/{vid}", lx_token, {"hourz": "9-17"})
    assert response.status_code == 422
    response = call(client, "put", f"/drafts/{vid}", lx_token, {"delivery_ways": ["pigeon"]})
    assert response.status_code == 422
    # complete it and submit
    response = call(
        client,
        "put",
        f"/drafts/{vid}",
        lx_token,
        {"hours": "工作日 9:00-17:00", "faqs": [{"question": "几天办结？", "answer": "3个工作日"}]},
    )
    assert response.json()["missing"] == []
    detail = call(client, "get", f"/drafts/{vid}", lx_token).json()
    assert detail["guide"]["promised_limit"] == 3
    response = call(client, "post", f"/drafts/{vid}/submit", lx_token)
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    # a submitted version cannot be edited any more
    response = call(client, "put", f"/drafts/{vid}", lx_token, {"hours": "全天"})
    assert response.status_code == 409
    # the public still reads version 1 until the centre publishes
    assert client.get(f"{API}/items/{code}").json()["version"]["number"] == 1
    version = ItemVersion.objects.get(pk=vid)
    version = services.item_version_review(
        actor=catalog_city.lx_admin, version=version, approve=True
    )
    services.item_version_publish(actor=catalog_city.lx_admin, version=version)
    body = client.get(f"{API}/items/{code}").json()
    assert body["version"]["number"] == 2 and body["guide"]["promised_limit"] == 3


def test_unknown_item_or_draft_is_404(client, lx_token):
    response = call(client, "post", "/items/NOPE/drafts", lx_token, {"reason": "x"})
    assert response.status_code == 404
    assert call(client, "post", "/drafts/999999/submit", lx_token).status_code == 404


def test_openapi_lists_the_catalogue(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in (
        "/items",
        "/items/{implementation_code}",
        "/entries/{basic_code}",
        "/bundles",
        "/tags",
        "/items/{implementation_code}/drafts",
        "/drafts/{version_id}",
        "/drafts/{version_id}/submit",
    ):
        assert f"{API}{p}" in paths, p
