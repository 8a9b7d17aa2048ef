"""Browser acceptance of 免证办 and the wallet (issue 5), in Debian's
Chromium: 张伟 holds a 食品经营许可证; applying for 食品经营许可延续, the
page offers “使用我的电子证照” for that material, he chooses it and uploads
only the application form; his case page shows the certificate as verified
(A级); the clerk's console shows it A级 and opens it; in “我的证照” he sees
the certificate and its list of uses. Screenshots land in test-artifacts/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_case_flow import PASSWORD, _shoot, _staff_page
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import Case, CaseMaterial
from yiwang.domains.cases.tests.conftest import build_case_world, pdf
from yiwang.domains.certificates.models import CertificateUse
from yiwang.domains.certificates.tests.wallet_fixtures import add_wallet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db: Any) -> Any:
    """Built before the browser starts: issuing signs a PDF with pyHanko,
    which runs its own event loop (Playwright's sync API holds one in this
    thread)."""
    return add_wallet(build_case_world())


def test_apply_with_my_certificate_and_see_its_uses(world, live_server, page, browser, tmp_path):
    """R5.8, R7.5 (acceptance): an application for an item whose material is a
    certificate the applicant holds asks for no upload of it, and the case
    shows the certificate as verified; the holder sees the list of uses of
    each certificate."""
    w = world
    base = live_server.url
    form = tmp_path / "延续申请书.pdf"
    form.write_bytes(pdf("食品经营许可延续申请书"))

    page.goto(base + "/login/")
    page.get_by_label("身份证号/手机号/统一社会信用代码").fill("13812345678")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**/my/")
    page.goto(f"{base}/items/{w.renew_item.implementation_code}/apply/")
    page.get_by_label("申请人名称").fill("张伟")
    page.get_by_label("经营场所").fill("无锡市梁溪区中山路1号")
    item = page.locator("#material-food_licence")
    offer = item.get_by_label(re.compile("使用我的电子证照：食品经营许可证"))
    assert offer.is_visible()
    offer.check()
    page.locator('input[name="file_application"]').set_input_files(str(form))
    _shoot(page, "wallet-apply-offer")
    page.get_by_role("button", name="提交申请", exact=True).click()
    page.wait_for_url(re.compile(r"/my/cases/[^/]+/$"))
    number = page.locator("#case-number").inner_text().strip()
    case = Case.objects.get(number=number)
    assert case.status == Status.SUBMITTED
    row = page.locator('#materials li[data-material="food_licence"]')
    assert "已调用电子证照（已核验，A级）" in row.inner_text()
    _shoot(page, "wallet-case-verified")

    clerk = _staff_page(browser, base, "case_clerk")
    clerk.goto(f"{base}/console/cases/{number}/")
    cell = clerk.locator('#materials tr[data-material="food_licence"]')
    assert "A级" in cell.inner_text() and w.licence.identifier in cell.inner_text()
    m = CaseMaterial.objects.get(case=case, code="food_licence")
    response = clerk.request.get(f"{base}/console/cases/{number}/materials/{m.pk}/")
    assert response.ok and response.body().startswith(b"%PDF")
    _shoot(clerk, "wallet-console-a")
    assert CertificateUse.objects.filter(certificate=w.licence).count() == 2

    page.get_by_role("link", name="我的证照").first.click()
    page.wait_for_url("**/my/certificates/")
    page.get_by_role("link", name="食品经营许可证").first.click()
    uses = page.locator("#use-list tbody tr")
    uses.first.wait_for()
    assert uses.count() == 2
    text = page.locator("#use-list").inner_text()
    assert number in text and w.lx_scj.name in text and "调阅" in text and "免证办" in text
    _shoot(page, "wallet-uses")
