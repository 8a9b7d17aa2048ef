"""Browser acceptance of the certificate console (R7.3, R7.4), in Debian's
Chromium: certificate staff of 梁溪区市场监督管理局 log in, open 电子证照
from the menu, issue a 食品经营许可证 by hand, withdraw (撤销) it with a
reason, and the public verification page shows it as 撤销 with the reason.
Screenshots land in test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from yiwang.domains.cases.tests.conftest import build_case_world
from yiwang.domains.catalog.tests.conftest import PASSWORD, make_staff
from yiwang.domains.certificates.models import Certificate
from yiwang.domains.certificates.tests.conftest import add_certificates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[5] / "test-artifacts"


def _shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_issue_by_hand_then_withdraw_then_public_page_shows_it(live_server, page, settings):
    """R7.3, R7.4, R7.5: log in → 电子证照 → 手工签发 → 撤销 with a reason →
    the public verification page says 撤销 (not valid) with the reason."""
    w = add_certificates(build_case_world())
    # one official who both issues (clerk) and revokes (unit head) here
    make_staff(w.lx_scj, "cert_officer", ["clerk", "unit_head"], "孙立证")
    settings.YIWANG_PUBLIC_URL = live_server.url
    base = live_server.url

    page.goto(base + "/console/login/")
    page.get_by_label("登录名").fill("cert_officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(base + "/console/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="电子证照").click()
    page.wait_for_url(re.compile(r"/console/certificates/list/"))
    assert "本单位还没有签发电子证照" in page.locator("main").inner_text()

    page.get_by_role("navigation", name="电子证照").get_by_role("link", name="手工签发").click()
    page.get_by_role("combobox", name="证照类型").select_option(
        label=f"食品经营许可证（{w.food_type.code}）"
    )
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("持证人姓名").fill("张伟")
    page.get_by_label("公民身份号码").fill(w.applicant.id_number)
    page.get_by_label("经营者名称").fill("张伟小吃店")
    page.get_by_label("经营场所").fill("无锡市梁溪区中山路1号")
    _shoot(page, "console-certificate-issue")
    page.get_by_role("button", name="签发并签章").click()
    page.locator(".msg-success").first.wait_for()
    identifier = page.locator("#cert-identifier").inner_text()
    assert "已签发电子证照" in page.locator(".msg-success").first.inner_text()
    assert page.locator("#cert-status").inner_text() == "有效"
    assert page.locator("#cert-holder").inner_text().startswith("张*")
    cert = Certificate.objects.get(identifier=identifier)
    assert cert.source == "manual" and cert.holder == w.applicant.user

    page.get_by_label("变更为").select_option(label="撤销")
    page.get_by_label("原因").fill("以欺骗手段取得许可")
    page.get_by_role("button", name="确认变更").click()
    page.locator(".msg-success").first.wait_for()
    assert page.locator("#cert-status").inner_text() == "撤销"
    assert "以欺骗手段取得许可" in page.locator("#cert-history").inner_text()
    _shoot(page, "console-certificate-withdrawn")

    page.goto(base + page.get_by_role("link", name="公开核验页").get_attribute("href"))
    result = page.locator("#verify-result").inner_text()
    assert "撤销" in result and "真实有效" not in result
    assert page.locator("#verify-status-reason").inner_text() == "以欺骗手段取得许可"
    _shoot(page, "certificate-verify-withdrawn")
