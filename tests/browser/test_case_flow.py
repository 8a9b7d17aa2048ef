"""Browser acceptance of case handling (issue 4), in Debian's Chromium: an
applicant applies online for the food-business licence with uploads; a clerk
issues a one-time correction notice in the console; the applicant replaces
the file and resubmits; the clerk accepts; the reviewer claims the review,
records a site inspection (the clock is paused, and the page says so) and
completes the review; the approver grants; the clerk delivers
electronically. The applicant's timeline shows every step and every notice
opens as a PDF. Screenshots land in test-artifacts/ (and
YIWANG_SCREENSHOTS_DIR when set)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import Case, CaseDocument, CaseMaterial
from yiwang.domains.cases.tests.conftest import build_case_world, pdf, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "Yiwang@2026"


def _shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    extra = os.environ.get("YIWANG_SCREENSHOTS_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=True)


def _staff_page(browser: Any, base: str, login: str) -> Any:
    """A fresh browser session of one staff member, logged into the console."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base + "/console/login/")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(base + "/console/")
    return page


def _open_case(page: Any, base: str, number: str, tab: str) -> None:
    """From the 办件 menu, the queue tab, then the case."""
    page.goto(base + "/console/")
    page.get_by_role("link", name="办件").first.click()
    page.get_by_role("navigation", name="工作队列").locator(f'a[data-queue="{tab}"]').click()
    page.get_by_role("link", name=number).click()
    page.wait_for_url(re.compile(re.escape(f"/console/cases/{number}/") + "$"))


def _done(page: Any, text: str) -> None:
    msg = page.locator(".msg-success")
    msg.first.wait_for()
    assert text in msg.first.inner_text(), page.locator("main").inner_text()[:500]


def test_case_from_online_application_to_electronic_delivery(live_server, page, browser, tmp_path):
    """R5.1, R5.3, R5.4, R5.7, R6.1, R6.4, R6.9, R2.2 (acceptance): apply online
    with uploads → correction notice → resubmit → accept → review with a site
    inspection (clock paused) → grant → electronic delivery; the applicant's
    timeline shows every step and each notice opens as a PDF."""
    w = build_case_world()
    base = live_server.url
    code = w.item.implementation_code
    files = {
        "application": tmp_path / "申请书.pdf",
        "licence": tmp_path / "营业执照.png",
        "layout": tmp_path / "平面布局图.pdf",
        "licence2": tmp_path / "营业执照-清晰.pdf",
    }
    files["application"].write_bytes(pdf("食品经营许可申请书"))
    files["licence"].write_bytes(png())
    files["layout"].write_bytes(pdf("平面布局图"))
    files["licence2"].write_bytes(pdf("营业执照（清晰）"))

    # 1. The applicant logs in on the portal and applies online with uploads.
    page.goto(base + "/login/")
    page.get_by_label("身份证号/手机号/统一社会信用代码").fill("13812345678")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**/my/")
    page.goto(f"{base}/items/{code}/apply/")
    page.get_by_label("申请人名称").fill("张伟")
    page.get_by_label("经营场所").fill("无锡市梁溪区中山路1号")
    page.get_by_label("经营面积（平方米）").fill("60")
    page.locator('input[name="file_application"]').set_input_files(str(files["application"]))
    page.locator('input[name="file_licence"]').set_input_files(str(files["licence"]))
    page.locator('input[name="file_layout"]').set_input_files(str(files["layout"]))
    page.get_by_role("button", name="保存草稿", exact=True).click()
    page.wait_for_url(re.compile(r"/apply/\?saved=1$"))
    assert page.get_by_text("营业执照.png").is_visible()
    assert page.get_by_label("经营场所").input_value() == "无锡市梁溪区中山路1号"
    _shoot(page, "case-apply-draft")
    page.get_by_role("button", name="提交申请", exact=True).click()
    page.wait_for_url(re.compile(r"/my/cases/[^/]+/$"))
    number = page.locator("#case-number").inner_text().strip()
    assert Case.objects.get(number=number).status == Status.SUBMITTED
    assert page.locator("#case-status").inner_text() == "待受理"

    # 2. The clerk finds it in 待受理 and issues a one-time correction notice.
    clerk = _staff_page(browser, base, "case_clerk")
    _open_case(clerk, base, number, "intake")
    assert clerk.locator("#case-status").inner_text() == "待受理"
    assert "张*" in clerk.locator("#summary").inner_text()
    clerk.get_by_label("营业执照", exact=True).check()
    clerk.get_by_label("营业执照存在的问题").fill("营业执照照片不清晰，请上传清晰的扫描件")
    clerk.get_by_label("其他说明").fill("请核对经营场所门牌号")
    _shoot(clerk, "console-case-intake")
    clerk.get_by_role("button", name="一次性告知补正", exact=True).click()
    _done(clerk, "已一次性告知补正")
    assert clerk.locator("#case-status").inner_text() == "待补正"

    # 3. The applicant replaces the file and resubmits.
    page.goto(f"{base}/my/cases/{number}/")
    assert page.get_by_text("营业执照照片不清晰").first.is_visible()
    page.locator('input[name="file_licence"]').set_input_files(str(files["licence2"]))
    page.get_by_role("button", name="重新提交", exact=True).click()
    page.wait_for_url(re.compile(re.escape(f"/my/cases/{number}/") + "$"))
    assert page.locator("#case-status").inner_text() == "待受理"
    current = CaseMaterial.objects.get(case__number=number, code="licence", replaced=False)
    assert current.original_name == "营业执照-清晰.pdf"

    # 4. The clerk accepts.
    _open_case(clerk, base, number, "intake")
    clerk.get_by_role("button", name="受理", exact=True).click()
    _done(clerk, "已受理")
    assert clerk.locator("#case-status").inner_text() == "办理中"
    assert "承诺办结时限" in clerk.locator("#clock").inner_text()
    due_before = clerk.locator("#promised-due").inner_text()

    # 5. The reviewer claims the review, records a site inspection (the
    #    clock stops, the page says so), its result, and completes the step.
    reviewer = _staff_page(browser, base, "case_reviewer")
    _open_case(reviewer, base, number, "handling")
    reviewer.get_by_role("button", name="认领", exact=True).click()
    _done(reviewer, "已认领“审查”环节")
    reviewer.get_by_label("特别程序类型").select_option(label="现场踏勘")
    reviewer.get_by_label("事由").fill("核查经营场所布局与申报是否一致")
    reviewer.get_by_role("button", name="启动特别程序", exact=True).click()
    _done(reviewer, "已启动特别程序：现场踏勘")
    assert reviewer.locator("#clock-paused").inner_text() == "暂停计时中"
    assert "暂停计时中" in reviewer.locator("#promised-due").inner_text()
    assert "进行中，暂停计时" in reviewer.locator("#specials").inner_text()
    _shoot(reviewer, "console-case-site-inspection")
    reviewer.get_by_label("结果").fill("现场布局与申报一致")
    reviewer.get_by_role("button", name="记录特别程序结果", exact=True).click()
    _done(reviewer, "已记录特别程序结果")
    assert reviewer.locator("#clock-paused").count() == 0
    assert "现场踏勘" in reviewer.locator("#clock").inner_text()
    reviewer.get_by_label("办理意见").fill("材料齐全，符合法定条件")
    reviewer.get_by_role("button", name="完成环节", exact=True).click()
    _done(reviewer, "“审查”环节已完成")
    assert due_before  # the promised day was shown before the pause

    # 6. The approver grants.
    approver = _staff_page(browser, base, "case_approver")
    _open_case(approver, base, number, "handling")
    approver.get_by_label("准予许可").check()
    approver.get_by_label("决定理由").fill("申请材料齐全，经现场核查符合法定条件")
    approver.get_by_role("button", name="作出决定", exact=True).click()
    _done(approver, "已作出决定：准予许可")
    assert approver.locator("#case-status").inner_text() == "已决定，待送达"

    # 7. The clerk delivers electronically; the case concludes.
    _open_case(clerk, base, number, "handling")
    clerk.get_by_label("送达方式").select_option(label="电子送达")
    clerk.get_by_role("button", name="送达", exact=True).click()
    _done(clerk, "已送达，办件办结")
    assert clerk.locator("#case-status").inner_text() == "已办结"
    timeline = clerk.locator("#timeline").inner_text()
    assert "审查：认领" in timeline  # the console shows internal events too
    _shoot(clerk, "console-case-concluded")

    # 8. The applicant's timeline shows every step; every notice is a PDF.
    page.goto(f"{base}/my/cases/{number}/")
    assert page.locator("#case-status").inner_text() == "已办结"
    events = page.locator("#timeline .event-title").all_inner_texts()
    for title in (
        "提交申请",
        "一次性告知补正",
        "补正后重新提交",
        "受理",
        "特别程序：现场踏勘（暂停计时）",
        "特别程序结束：现场踏勘",
        "审查：完成",
        "作出决定：准予许可",
        "送达",
        "办结",
    ):
        assert title in events, (title, events)
    assert "审查：认领" not in events  # internal events stay in the console
    _shoot(page, "portal-case-concluded")
    links = page.locator("#documents a.doc-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    kinds = set(CaseDocument.objects.filter(case__number=number).values_list("kind", flat=True))
    assert {"correction", "acceptance", "special", "grant"} <= kinds
    assert len(hrefs) == CaseDocument.objects.filter(case__number=number).count()
    for href in hrefs:
        response = page.request.get(base + href)
        assert response.status == 200, href
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
    # ...and they open from the timeline too.
    first = page.locator("#timeline a").first
    with page.expect_popup() as popup:
        first.click()
    assert popup.value.url.endswith(".pdf")
    for p in (clerk, reviewer, approver):
        p.context.close()
