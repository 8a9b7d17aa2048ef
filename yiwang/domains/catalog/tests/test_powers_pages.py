"""Public pages and the API of the power lists (R4.1, R4.3, R4.6): published
powers with filters, a power's basis, flowchart and duties, comments without
login; secret and unpublished powers appear nowhere."""

# The fixtures pw and world are imported from test_powers_world: their use as
# test arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.domains.catalog.models import Power, PowerChangeRequest, PowerChangeStatus, PowerComment
from yiwang.domains.catalog.powers import power_change_decide, power_change_review
from yiwang.domains.catalog.tests.test_powers_world import (  # noqa: F401 (fixtures)
    add_power,
    power_doc,
    pw,
    through,
    world,
)
from yiwang.domains.orgs.services import api_client_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(pw):
    food = add_power(pw, "XK-0001")
    penalty = add_power(
        pw,
        "CF-0001",
        name="对未取得食品经营许可从事食品经营活动的行政处罚",
        power_type="penalty",
    )
    district = add_power(pw, "XK-LX-01", name="餐饮服务备案", agency=pw.w.lx_scj)
    secret = add_power(pw, "QT-0901", name="技术侦查措施审批", power_type="other", secret=True)
    hidden = add_power(pw, "XK-0002", name="尚未公布的许可", publish=False)
    suspended = add_power(pw, "ZS-0001", name="土地复垦费征收", power_type="levy")
    through(
        pw,
        kind="suspend",
        power=suspended,
        reason="off_cycle",
        note="周期性征收，本年度不在征收期",
    )
    return {
        "food": food,
        "penalty": penalty,
        "district": district,
        "secret": secret,
        "hidden": hidden,
        "suspended": suspended,
    }


def test_public_list_and_filters(listed, client):
    """R4.1: the published list, filtered by type, agency, division and search
    (name, code, pinyin initials); secret and unpublished powers never show;
    suspended ones stay with their reason (R4.3)."""
    html = client.get("/powers/").content.decode()
    for key in ("food", "penalty", "district", "suspended"):
        assert listed[key].name in html
    assert "技术侦查措施审批" not in html and "尚未公布的许可" not in html
    assert "周期性事项不在办理期" in html
    html = client.get("/powers/", {"type": "penalty"}).content.decode()
    assert "行政处罚" in html and "XK-0001" not in html and "CF-0001" in html
    html = client.get("/powers/", {"division": "320213"}).content.decode()
    assert "XK-LX-01" in html and "CF-0001" not in html
    html = client.get("/powers/", {"agency": str(listed["district"].agency_id)}).content.decode()
    assert "XK-LX-01" in html and "XK-0001" not in html
    html = client.get("/powers/", {"q": "spjy"}).content.decode()
    assert "XK-0001" in html and "XK-LX-01" not in html
    html = client.get("/powers/", {"q": "技术侦查"}).content.decode()
    assert "没有符合条件的权力事项" in html


def test_public_detail_with_flowchart_and_comment(listed, client):
    """R4.1, R4.6: the detail shows the basis, the flowchart drawn from the
    steps and the duties; a visitor leaves a comment without logging in."""
    url = "/powers/XK-0001/"
    html = client.get(url).content.decode()
    assert "中华人民共和国食品安全法" in html and "第三十五条" in html
    assert html.count('class="flow-step"') == 4
    assert html.index("受理") < html.index("审查") < html.index("决定") < html.index("送达")
    assert "追责情形" in html and "对符合法定条件的申请不予受理的" in html
    response = client.post(url, {"kind": "comment", "content": "短", "contact": "x"})
    assert response.status_code == 422
    assert "内容" in response.content.decode()
    response = client.post(
        url,
        {"kind": "comment", "content": "建议公布现场核查的预约方式", "contact": "13905101234"},
    )
    assert response.status_code == 302
    assert PowerComment.objects.get().power == listed["food"]
    html = client.get("/powers/ZS-0001/").content.decode()
    assert "暂停" in html and "本年度不在征收期" in html


def test_secret_and_unpublished_are_404(listed, client):
    assert client.get("/powers/QT-0901/").status_code == 404
    assert client.get("/powers/XK-0002/").status_code == 404
    assert client.post("/powers/QT-0901/", {"content": "xxxxx"}).status_code == 404
    assert client.get("/api/powers/QT-0901").status_code == 404
    assert client.get("/api/powers/XK-0002").json()["code"] == "power_not_found"


def test_api_reads(listed, client):
    """R4.1: the API lists the published powers and gives a power's elements."""
    body = client.get("/api/powers").json()
    codes = {i["code"] for i in body["items"]}
    assert codes == {"XK-0001", "CF-0001", "XK-LX-01", "ZS-0001"}
    body = client.get("/api/powers", {"type": "levy"}).json()
    assert [(i["code"], i["status"], i["suspend_reason"]) for i in body["items"]] == [
        ("ZS-0001", "suspended", "off_cycle")
    ]
    body = client.get("/api/powers", {"agency": listed["district"].agency.credit_code}).json()
    assert [i["code"] for i in body["items"]] == ["XK-LX-01"]
    assert client.get("/api/powers", {"type": "magic"}).status_code == 422
    body = client.get("/api/powers/XK-0001").json()
    assert body["agency_name"] == "无锡市市场监督管理局"
    assert [s["name"] for s in body["steps"]] == ["受理", "审查", "决定", "送达"]
    assert len(body["duties"]) == 2 and body["basis"][0]["article"] == "第三十五条"


def test_api_comments(listed, client):
    """R4.6: anyone posts a comment through the API; bad input is refused in Chinese."""
    response = client.post(
        "/api/powers/XK-0001/comments",
        {"kind": "complaint", "content": "窗口要求清单外材料", "contact": "a@b.cn"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    response = client.post(
        "/api/powers/XK-0001/comments",
        {"kind": "complaint", "content": "窗口要求清单外材料", "contact": "a@b.cn"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "comment_limit"
    response = client.post(
        "/api/powers/XK-0001/comments",
        {"content": "好", "contact": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "联系方式" in response.json()["message"]
    response = client.post(
        "/api/powers/QT-0901/comments",
        {"content": "有意见要提出", "contact": "12345"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_api_agency_system_files_requests(pw, client):
    """R4.2: an agency's system files a change request for its own powers with
    its token; it goes the same review path and changes nothing until approved."""
    _, token = api_client_issue(actor=SYSTEM, agency=pw.w.scj, name="市场监管审批系统")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    doc = power_doc("XK-API-1")
    doc.pop("entry")
    response = client.post(
        "/api/powers/requests",
        {"kind": "add", "reason": "law_changed", "power": doc},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and not Power.objects.filter(code="XK-API-1").exists()
    req = PowerChangeRequest.objects.get(pk=body["id"])
    assert req.requester.endswith("（接口）")
    power_change_decide(
        actor=pw.approver,
        request=power_change_review(actor=pw.reform, request=req, approve=True),
        approve=True,
    )
    status = client.get(f"/api/powers/requests/{req.pk}", **auth).json()
    assert status["status"] == PowerChangeStatus.APPROVED and status["power_code"] == "XK-API-1"
    # a reason that does not fit, another agency's power, no token
    response = client.post(
        "/api/powers/requests",
        {"kind": "suspend", "power_code": "XK-API-1", "reason": "law_changed"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422 and response.json()["code"] == "power_reason_invalid"
    other = add_power(pw, "XK-LX-9", agency=pw.w.lx_scj)
    response = client.post(
        "/api/powers/requests",
        {"kind": "cancel", "power_code": other.code, "reason": "law_changed"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    response = client.post(
        "/api/powers/requests",
        {"kind": "cancel", "power_code": "XK-API-1", "reason": "law_changed"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert audit_verify().ok
