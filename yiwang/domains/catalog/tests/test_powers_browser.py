"""The public power list in Debian's Chromium (R4.1, R4.6): find a power,
see its flowchart drawn as boxes joined by arrows, leave a comment without
logging in; the page fits a phone. Screenshots land in test-artifacts/."""

# The fixtures pw and world are imported from test_powers_world.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest

from yiwang.domains.catalog.models import PowerComment
from yiwang.domains.catalog.tests.test_powers_world import (  # noqa: F401 (fixtures)
    add_power,
    pw,
    world,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_find_a_power_see_its_flowchart_and_comment(pw, live_server, page):
    add_power(pw, "XK-0001")
    add_power(pw, "QT-0901", name="技术侦查措施审批", power_type="other", secret=True)
    page.goto(f"{live_server.url}/powers/")
    assert "技术侦查措施审批" not in page.content()
    page.fill("#power-q", "spjy")
    page.click("button:has-text('搜索')")
    page.click("text=食品经营许可")
    page.wait_for_selector("h1:has-text('食品经营许可')")
    boxes = page.locator(".power-flow .flow-step")
    assert boxes.count() == 4
    first, second = boxes.nth(0).bounding_box(), boxes.nth(1).bounding_box()
    assert first and second and second["x"] > first["x"]  # left to right on a wide screen
    arrow = page.evaluate(
        "getComputedStyle(document.querySelector('.power-flow .flow-step'), '::after').content"
    )
    assert "→" in arrow
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "power-detail.png"), full_page=True)
    page.select_option("#id_kind", "complaint")
    page.fill("#id_content", "窗口要求提供清单以外的材料，请核实")
    page.fill("#id_contact", "13905101234")
    page.click("form button:has-text('提交')")
    page.wait_for_selector("text=已收到您的意见")
    assert PowerComment.objects.get().kind == "complaint"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392
    first, second = boxes.nth(0).bounding_box(), boxes.nth(1).bounding_box()
    assert first and second and second["y"] > first["y"]  # top to bottom on a phone
    page.screenshot(path=str(ARTIFACTS / "power-detail-phone.png"), full_page=True)
