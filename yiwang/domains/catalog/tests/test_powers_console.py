"""Console pages of the power lists (R4.1–R4.6), through the Django test
client: the department asks, the reform office reviews, the government
approves, the department answers comments."""

# The fixtures pw and world are imported from test_powers_world: their use as
# test arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from yiwang.core.audit import audit_verify
from yiwang.domains.catalog.models import Power, PowerChangeRequest, PowerChangeStatus
from yiwang.domains.catalog.powers import power_comment_submit
from yiwang.domains.catalog.tests.test_powers_world import (  # noqa: F401 (fixtures)
    add_power,
    pw,
    world,
)

pytestmark = pytest.mark.django_db


def login(client, staff):
    client.force_login(staff.user)
    return client


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_pages_need_login_and_permission(pw, client):
    response = client.get("/console/powers/")
    assert response.status_code == 302 and "/console/login/" in response["Location"]
    login(client, pw.w.clerk)  # no powers.view
    assert client.get("/console/powers/").status_code == 403
    assert "权责清单" not in page(client, "/console/")


def test_add_request_review_and_approval_through_the_pages(pw, client):
    """R4.2: the add form → the reform office's queue → the approval queue;
    the power appears on the list only after approval."""
    login(client, pw.editor)
    html = page(client, "/console/powers/")
    assert "权责清单暂无权力事项" in html and "申请新增权力事项" in html
    form = {
        "code": "XK-0101",
        "agency": str(pw.w.scj.pk),
        "name": "食品经营许可",
        "power_type": "licensing",
        "basis": "《中华人民共和国食品安全法》|第三十五条|国家对食品生产经营实行许可制度。",
        "time_limit": "承诺10个工作日",
        "supervision_method": "电子监察",
        "steps": "受理|窗口|即时\n审查|审查人员|5个工作日\n决定|审批人员|3个工作日",
        "duties": "受理责任：一次性告知|《行政许可法》第三十二条|不一次性告知的",
        "reason": "cancelled_above",  # not offered for an add
        "note": "",
    }
    response = client.post("/console/powers/new/", form)
    assert response.status_code == 200 and "msg-error" in response.content.decode()
    form["reason"] = "other"
    response = client.post("/console/powers/new/", form)
    assert "事由为“其他”时请填写具体说明" in response.content.decode()
    assert not PowerChangeRequest.objects.exists()
    form["reason"] = "law_changed"
    response = client.post("/console/powers/new/", form)
    assert response.status_code == 302
    req = PowerChangeRequest.objects.get()
    assert req.payload["power"]["steps"][1] == {
        "name": "审查",
        "actor_role": "审查人员",
        "time_limit": "5个工作日",
    }
    assert not Power.objects.exists()
    html = page(client, f"/console/powers/requests/{req.pk}/")
    assert "待审改办审核" in html and "撤回申请" in html and "审核通过" not in html

    login(client, pw.reform)
    html = page(client, "/console/powers/requests/")
    assert "新增：食品经营许可" in html
    html = page(client, f"/console/powers/requests/{req.pk}/")
    assert "审核通过" in html and "受理 → 审查 → 决定" in html
    response = client.post(
        f"/console/powers/requests/{req.pk}/review/", {"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == PowerChangeStatus.REFORM_APPROVED
    # the reform office cannot also approve
    assert client.post(f"/console/powers/requests/{req.pk}/decide/").status_code == 403

    login(client, pw.approver)
    html = page(client, "/console/powers/requests/", tab="decide")
    assert "新增：食品经营许可" in html
    client.post(f"/console/powers/requests/{req.pk}/decide/", {"decision": "approve"})
    power = Power.objects.get(code="XK-0101")
    html = page(client, f"/console/powers/requests/{req.pk}/")
    assert "已审定生效" in html and "审改办审核通过" in html and "审定通过并生效" in html

    login(client, pw.editor)
    html = page(client, f"/console/powers/{power.pk}/")
    assert "尚未公布" in html and "向社会公布" in html
    assert html.count('class="flow-step"') == 3
    client.post(f"/console/powers/{power.pk}/publish/")
    power.refresh_from_db()
    assert power.published_at is not None
    assert audit_verify().ok


def test_change_form_is_prefilled_and_delegate_lists_lower_agencies(pw, client):
    power = add_power(pw)
    login(client, pw.editor)
    html = page(client, f"/console/powers/{power.pk}/request/change/")
    assert "受理|窗口受理人员|即时" in html and "中华人民共和国食品安全法" in html
    html = page(client, f"/console/powers/{power.pk}/request/delegate/")
    assert "无锡市梁溪区市场监督管理局" in html and "江阴市市场监督管理局" in html
    assert "中共无锡市委机构编制委员会办公室" not in html
    response = client.post(
        f"/console/powers/{power.pk}/request/delegate/",
        {"target": str(pw.w.lx_scj.pk), "reason": "better_below", "note": ""},
    )
    assert response.status_code == 302
    req = PowerChangeRequest.objects.get(kind="delegate")
    assert req.payload["agency"] == pw.w.lx_scj.pk
    # one open request at a time: the buttons are gone
    html = page(client, f"/console/powers/{power.pk}/")
    assert "已有未办结的调整申请" in html and "申请取消" not in html
    assert client.get(f"/console/powers/{power.pk}/request/cancel/").status_code == 404


def test_suspend_form_offers_the_r43_reasons(pw, client):
    """R4.3: the suspend form lists exactly the listed suspension reasons."""
    power = add_power(pw)
    login(client, pw.editor)
    html = page(client, f"/console/powers/{power.pk}/request/suspend/")
    for label in ("长期未行使", "三年及以上无办件", "周期性事项不在办理期", "其他"):
        assert label in html
    assert "法律法规规章立改废" not in html


def test_comments_are_masked_and_answered(pw, client):
    """R4.6, R14.3: staff see the contact masked; the agency answers."""
    power = add_power(pw)
    c = power_comment_submit(
        power=power, kind="complaint", content="窗口要求清单外材料", contact="13905107777"
    )
    login(client, pw.editor)
    html = page(client, "/console/powers/comments/")
    assert "139****7777" in html and "13905107777" not in html
    html = page(client, f"/console/powers/comments/{c.pk}/")
    assert "139****7777" in html
    response = client.post(f"/console/powers/comments/{c.pk}/", {"reply": "已核实并纠正"})
    assert response.status_code == 302
    html = page(client, "/console/powers/comments/")
    assert "没有待答复的意见和投诉" in html
    html = page(client, f"/powers/{power.code}/")
    assert "已核实并纠正" in html and "13905107777" not in html
    login(client, pw.lx_editor)
    assert client.get(f"/console/powers/comments/{c.pk}/").status_code == 404


def test_list_filters_and_menu(pw, client):
    add_power(pw, "XK-0001")
    add_power(pw, "CF-0001", name="对无证经营的行政处罚", power_type="penalty", duties=[])
    login(client, pw.reform)
    html = page(client, "/console/")
    assert "权责清单" in html
    html = page(client, "/console/powers/", type="penalty")
    assert "CF-0001" in html and "XK-0001" not in html and "缺责任事项" in html
    html = page(client, "/console/powers/", q="不存在")
    assert "没有符合条件的权力事项" in html
