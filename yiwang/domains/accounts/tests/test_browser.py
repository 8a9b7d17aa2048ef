"""Browser: a citizen registers on a phone-sized screen, is told about a wrong
check digit, corrects it and lands in their own space (R2.3, R1.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yiwang.domains.accounts.tests.conftest import PASSWORD, person_data, wrong_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_register_on_a_phone_then_log_out_and_in(live_server, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    data = person_data()
    try:
        page.goto(live_server.url + "/register/")
        page.get_by_label("姓名").fill(data["name"])
        page.get_by_label("公民身份号码").fill(wrong_check(data["id_number"]))
        page.get_by_label("手机号码").fill(data["phone"])
        page.get_by_label("设置密码").fill(PASSWORD)
        page.get_by_label("确认密码").fill(PASSWORD)
        page.get_by_label("我已阅读并同意").check()
        page.get_by_role("button", name="注册").click()
        assert page.get_by_text("公民身份号码校验码错误").first.is_visible()
        assert page.get_by_label("姓名").input_value() == data["name"]
        assert page.get_by_label("设置密码").input_value() == ""
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "portal-register-error.png"), full_page=True)

        page.get_by_label("公民身份号码").fill(data["id_number"])
        page.get_by_label("设置密码").fill(PASSWORD)
        page.get_by_label("确认密码").fill(PASSWORD)
        page.get_by_label("我已阅读并同意").check()
        page.get_by_role("button", name="注册").click()
        page.wait_for_url("**/my/")
        assert page.get_by_text("暂无办件").is_visible()
        assert data["id_number"] not in page.content()
        page.screenshot(path=str(ARTIFACTS / "portal-my-home.png"), full_page=True)

        page.get_by_role("button", name="退出").click()
        page.wait_for_url(live_server.url + "/")
        page.goto(live_server.url + "/login/")
        page.get_by_label("身份证号/手机号/统一社会信用代码").fill(data["phone"])
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/my/")
    finally:
        context.close()
