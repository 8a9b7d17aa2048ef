"""Console pages of the organisations domain, through the Django test client."""

from __future__ import annotations

import pytest

from yiwang.domains.orgs.models import (
    Agency,
    ChangeStatus,
    Division,
    Hall,
    Staff,
    StaffChangeRequest,
    Window,
)
from yiwang.domains.orgs.tests.conftest import credit, fresh

pytestmark = pytest.mark.django_db


def as_staff(client, staff):
    client.force_login(staff.user)
    return client


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_pages_need_a_staff_login(world, client):
    response = client.get("/console/orgs/divisions/")
    assert response.status_code == 302 and "/console/login/" in response["Location"]


def test_division_browsing(world, client):
    """R1.3: the tree, a division with its children, centre, halls and agencies."""
    as_staff(client, world.clerk)
    html = page(client, "/console/orgs/divisions/")
    assert "无锡市的行政区划" in html and "梁溪区" in html and "江阴市" in html
    html = page(client, "/console/orgs/divisions/320281/")
    assert "华士镇" in html and "江阴市市场监督管理局" in html
    assert "本级未设，归属无锡市政务服务中心" in html
    assert "本区划暂无服务大厅" in html
    assert "新增下级区划" not in html  # a clerk manages nothing
    html = page(client, "/console/orgs/divisions/320281107000/")
    assert "没有下级区划" in html and "本区划暂无机构" in html
    assert client.get("/console/orgs/divisions/999999/").status_code == 404


def test_agency_search_and_empty_state(world, client):
    as_staff(client, world.clerk)
    html = page(client, "/console/orgs/agencies/", q="市场监督", division="320200")
    assert html.count("市场监督管理局</a>") == 3
    html = page(client, "/console/orgs/agencies/", q="不存在的机构")
    assert "没有符合条件的机构" in html


def test_agency_page_masks_staff_identifiers(world, client):
    """R2.3, R14.3: ID numbers are masked on screen."""
    as_staff(client, world.head)
    html = page(client, f"/console/orgs/agencies/{world.scj.pk}/")
    number = world.clerk.id_number
    assert "华志强" in html and number not in html
    assert number[:4] + "*" * 10 + number[-4:] in html
    assert "窗口受理人员" in html
    assert "提出人员变更申请" not in html  # the head does not request
    html = page(client, f"/console/orgs/agencies/{world.jy_scj.pk}/")
    assert "您无权查看该单位的工作人员" in html


def test_centre_admin_creates_division_agency_hall_window(world, client):
    """R1.3, R2.1: the console forms call the services; errors come back in Chinese."""
    as_staff(client, world.centre_admin)
    url = "/console/orgs/divisions/new/?parent=320281"
    html = page(client, url)
    assert "新增江阴市的下级区划" in html
    response = client.post(
        url, {"parent": "320281", "code": "320281001", "name": "澄江街道", "level": "town"}
    )
    assert response.status_code == 200
    assert "行政区划代码应为6位" in response.content.decode()
    response = client.post(
        url, {"parent": "320281", "code": "320281001000", "name": "澄江街道", "level": "town"}
    )
    assert response.status_code == 302
    assert Division.objects.get(code="320281001000").parent == world.jy

    bad = credit("320281")
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    form = {
        "name": "江阴市政务服务管理办公室",
        "kind": "management",
        "credit_code": bad,
        "division_code": "320281",
        "parent_credit_code": "",
        "short_name": "",
        "phone": "",
        "address": "",
    }
    response = client.post("/console/orgs/agencies/new/", form)
    assert "统一社会信用代码校验码错误" in response.content.decode()
    response = client.post("/console/orgs/agencies/new/", {**form, "credit_code": credit("320281")})
    office = Agency.objects.get(name="江阴市政务服务管理办公室")
    assert response.status_code == 302 and response["Location"].endswith(f"/{office.pk}/")

    response = client.post(
        "/console/orgs/centres/new/?division=320281",
        {"name": "江阴市政务服务中心", "agency": office.pk},
    )
    assert response.status_code == 302
    response = client.post(
        "/console/orgs/halls/new/?division=320281107000",
        {"name": "华士镇便民服务中心", "level": "town_centre"},
    )
    hall = Hall.objects.get(name="华士镇便民服务中心")
    assert response.status_code == 302 and hall.centre.name == "江阴市政务服务中心"
    response = client.post(
        f"/console/orgs/halls/{hall.pk}/windows/new/",
        {
            "number": "01",
            "name": "综合服务窗口",
            "kind": "comprehensive",
            "agencies": [world.jy_scj.pk],
        },
    )
    assert response.status_code == 302
    assert list(Window.objects.get(hall=hall).agencies.all()) == [world.jy_scj]
    html = page(client, f"/console/orgs/halls/{hall.pk}/")
    assert "综合服务窗口" in html and "编辑" in html


def test_scope_and_permission_on_forms(world, client):
    as_staff(client, world.lx_admin)
    assert client.get("/console/orgs/divisions/new/?parent=320281").status_code == 403
    assert client.get(f"/console/orgs/agencies/{world.jy_scj.pk}/edit/").status_code == 403
    assert client.get("/console/orgs/divisions/new/?parent=320213").status_code == 200
    as_staff(client, world.clerk)
    assert client.get("/console/orgs/agencies/new/").status_code == 403
    response = client.post(f"/console/orgs/agencies/{world.scj.pk}/deactivate/")
    assert response.status_code == 403
    assert Agency.objects.get(pk=world.scj.pk).active


def test_staff_change_through_the_pages(world, client):
    """R2.4 end to end on screen: request → head approves → admin applies; the
    role works only after the last step, and the centre sees the filing."""
    as_staff(client, world.admin)
    html = page(client, "/console/orgs/requests/new/")
    assert "变更类型" in html and "授予角色" in html
    html = page(client, "/console/orgs/requests/new/", agency=world.scj.pk, kind="grant_role")
    assert "选择人员" in html and "华志强" in html
    url = (
        f"/console/orgs/requests/new/?agency={world.scj.pk}&kind=grant_role&target={world.clerk.pk}"
    )
    response = client.post(url, {"role": "reviewer", "reason": ""})
    assert "请填写" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(url, {"role": "reviewer", "reason": "兼任审查"})
    req = StaffChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{req.pk}/")
    html = page(client, f"/console/orgs/requests/{req.pk}/")
    assert "待负责人审批" in html and "撤回申请" in html and "批准" not in html
    assert fresh(world.clerk).grants.filter(role__code="reviewer").count() == 0

    as_staff(client, world.head)
    html = page(client, "/console/orgs/requests/")
    assert "授予 华志强 角色「审查人员」" in html
    response = client.post(f"/console/orgs/requests/{req.pk}/approve/", {"note": "同意"})
    assert response.status_code == 302
    assert StaffChangeRequest.objects.get(pk=req.pk).status == ChangeStatus.APPROVED
    assert not fresh(world.clerk).grants.filter(role__code="reviewer").exists()

    as_staff(client, world.admin)
    html = page(client, "/console/orgs/requests/", tab="apply")
    assert "授予 华志强 角色「审查人员」" in html
    client.post(f"/console/orgs/requests/{req.pk}/apply/")
    assert fresh(world.clerk).grants.filter(role__code="reviewer").exists()
    html = page(client, f"/console/orgs/requests/{req.pk}/")
    for step in (
        "提出申请",
        "单位负责人批准",
        "单位管理员执行并备案",
        "已向无锡市政务服务中心备案",
    ):
        assert step in html

    as_staff(client, world.centre_admin)
    html = page(client, "/console/orgs/requests/", tab="filings")
    assert "授予 华志强 角色「审查人员」" in html


def test_refusals_are_shown_not_raised(world, client):
    as_staff(client, world.admin)
    url = (
        f"/console/orgs/requests/new/?agency={world.scj.pk}&kind=grant_role&target={world.clerk.pk}"
    )
    client.post(url, {"role": "approver", "reason": "调整"})
    req = StaffChangeRequest.objects.get()
    response = client.post(f"/console/orgs/requests/{req.pk}/apply/", follow=True)
    assert "只有经单位负责人批准的申请才能执行" in response.content.decode()
    response = client.post(f"/console/orgs/requests/{req.pk}/approve/", follow=True)
    assert "只有该单位负责人可以审批" in response.content.decode()
    as_staff(client, world.head)
    response = client.post(f"/console/orgs/requests/{req.pk}/reject/", {"note": ""}, follow=True)
    assert "请填写驳回理由" in response.content.decode()
    assert StaffChangeRequest.objects.get(pk=req.pk).status == ChangeStatus.PENDING


def test_create_staff_form(world, client):
    as_staff(client, world.admin)
    url = f"/console/orgs/requests/new/?agency={world.scj.pk}&kind=create_staff"
    html = page(client, url)
    assert "初始密码" in html and "初始角色" in html
    form = {
        "name": "蒋文静",
        "id_number": "110105194912310021",
        "phone": "",
        "title": "",
        "login_name": "scj_jiang",
        "password": "Yiwang@2026",
        "roles": ["clerk"],
        "reason": "新招录",
    }
    response = client.post(url, form)
    assert "公民身份号码校验码错误" in response.content.decode()
    assert StaffChangeRequest.objects.count() == 0
    response = client.post(url, {**form, "id_number": "11010519491231002X"})
    assert response.status_code == 302
    assert not Staff.objects.filter(user__username="scj_jiang").exists()


def test_request_list_empty_states(world, client):
    as_staff(client, world.clerk)
    html = page(client, "/console/orgs/requests/")
    assert "您还没有提交过人员变更申请" in html
    assert "提出变更申请" not in html
    assert client.get("/console/orgs/requests/new/").status_code == 403
    html = page(client, "/console/orgs/requests/", tab="approve")
    assert "暂无待您审批的申请" in html


def test_api_token_issued_once_on_screen(world, client):
    as_staff(client, world.admin)
    html = page(client, f"/console/orgs/agencies/{world.scj.pk}/")
    assert "签发令牌" in html and "尚未登记接入系统" in html
    response = client.post(
        f"/console/orgs/agencies/{world.scj.pk}/api-clients/", {"name": "登记注册系统"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "yw_" in text
    assert response["Cache-Control"] == "no-store"
    token = text.split('<code class="token">')[1].split("</code>")[0]
    html = page(client, f"/console/orgs/agencies/{world.scj.pk}/")
    assert token not in html and token[:10] in html
