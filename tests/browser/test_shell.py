"""Browser: a demo applicant and a demo staff member log in and see their home
pages, in Debian's Chromium (R1.1, R1.2, R2.3). Screenshots land in
test-artifacts/ and, with YIWANG_SCREENSHOTS_DIR set, there too (README's)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from yiwang.core.checkdigits import make_resident_id
from yiwang.demo.applicants import load_applicants
from yiwang.demo.city import load_city
from yiwang.demo.loader import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    extra = os.environ.get("YIWANG_SCREENSHOTS_DIR")
    if extra:
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=True)


@pytest.fixture
def demo():
    # The people and units only: the catalogue is not needed to log in.
    city = load_city()
    load_applicants()
    return {"staff": city["accounts"]}


def test_applicant_logs_in_by_id_number_and_sees_own_space(live_server, page, demo):
    """R2.3: a citizen logs in with the resident ID number and sees only masked data."""
    id_number = make_resident_id("320202", dt.date(1962, 3, 14), 31)
    page.goto(live_server.url + "/login/")
    page.get_by_label("身份证号/手机号/统一社会信用代码").fill(id_number)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/my/")
    assert page.get_by_role("heading", name="我的空间").is_visible()
    body = page.content()
    assert id_number not in body
    assert id_number[:4] in body and id_number[-4:] in body
    page.goto(live_server.url + "/")
    _shoot(page, "portal-home")


def test_staff_logs_in_and_sees_workbench(live_server, page, demo):
    """R2.2: a unit administrator sees the workbench with the menus their roles allow."""
    admin = next(a for a in demo["staff"] if "单位管理员" in str(a.get("roles", "")))
    page.goto(live_server.url + "/console/")
    page.wait_for_url("**/console/login/**")
    page.get_by_label("登录名").fill(admin["login"])
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/console/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert admin["name"] in page.content()
    assert page.get_by_role("link", name="人员变更").first.is_visible()
    _shoot(page, "console-home")


def test_applicant_cannot_enter_console(live_server, page, demo):
    """Staff and applicants log in on separate pages and never reach the other's face."""
    id_number = make_resident_id("320202", dt.date(1962, 3, 14), 31)
    page.goto(live_server.url + "/console/login/")
    page.get_by_label("登录名").fill(id_number)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert "/console/login/" in page.url
    assert page.locator(".msg-error, .errorlist, .error").count() > 0


def test_large_font_toggle_persists(live_server, page):
    """Large-font mode for the elderly survives a reload."""
    page.goto(live_server.url + "/")
    before = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.get_by_role("button", name="长者模式（大字）").click()
    page.reload()
    after = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(after.rstrip("px")) > float(before.rstrip("px"))
    assert page.get_by_role("button", name="标准字体").is_visible()
