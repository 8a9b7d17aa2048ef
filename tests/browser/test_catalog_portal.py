"""Browser acceptance of the catalogue portal (issue 3), in Debian's Chromium:
search "食品" and "spxk" on the portal, open the food-business licence
guide and see every R3.4 element; the guide prints cleanly and fits a phone.
Screenshots land in test-artifacts/ (and YIWANG_SCREENSHOTS_DIR when set)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The anchor and heading of each R3.4 element on the guide page.
SECTIONS = {
    "basic": "基本信息",
    "conditions": "受理条件",
    "materials": "申请材料",
    "process": "办理流程",
    "limits": "办理时限",
    "fees": "收费情况",
    "result": "审批结果",
    "delivery": "送达方式",
    "location": "办理地点和时间",
    "windows": "办理窗口",
    "legal-basis": "法律依据",
    "faq": "常见问题",
    "consult": "咨询方式",
    "complaint": "监督投诉",
    "rights": "申请人权利和义务",
    "remedy": "法律救济",
    "online": "网上办理",
    "tags": "特色服务",
}


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    extra = os.environ.get("YIWANG_SCREENSHOTS_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=True)


@pytest.fixture
def food_guide() -> str:
    """The real 食品经营许可 guide, published: from the demo catalogue when it
    exists, else built through the catalogue services. Returns its code."""
    from yiwang.domains.catalog.models import ServiceItem

    try:
        from yiwang.demo.catalog import load_catalog  # type: ignore[import-not-found]
    except ImportError:
        load_catalog = None
    if load_catalog is not None:
        load_catalog()
        code = (
            ServiceItem.objects.filter(search_name="食品经营许可", current__isnull=False)
            .exclude(lifecycle="cancelled")
            .order_by("implementation_code")
            .values_list("implementation_code", flat=True)
            .first()
        )
        if code:
            return code
    from yiwang.domains.catalog.tests.conftest import build_catalog_city, full_guide, publish_item

    city = build_catalog_city()
    item = publish_item(
        city=city,
        name="食品经营许可",
        guide=full_guide(audience="entity"),
        tags=("wangshang", "mianzheng"),
    )
    return item.implementation_code


def _see_every_element(page) -> None:
    assert page.get_by_role("heading", name="食品经营许可", level=1).is_visible()
    for anchor, title in SECTIONS.items():
        sec = page.locator(f"section#{anchor}")
        assert sec.count() == 1, anchor
        sec.scroll_into_view_if_needed()
        assert sec.is_visible(), anchor
        assert sec.get_by_role("heading", name=title, exact=True).is_visible(), title
    # the elements carry content, not just headings
    materials = page.locator("section#materials")
    assert materials.locator("tbody tr").count() >= 2
    assert page.locator("ol.flow li.flow-step").count() >= 3
    assert page.locator("section#legal-basis li").count() >= 1
    assert page.locator("section#online").get_by_text("到现场次数").is_visible()
    assert page.get_by_role("button", name="打印").is_visible()


def _open_food_from_results(page) -> None:
    link = page.locator("ul.item-list").get_by_role("link", name="食品经营许可", exact=True).first
    assert link.is_visible()
    link.click()
    page.wait_for_url(re.compile(r"/items/[^/?]+/$"))


def test_search_food_and_see_every_guide_element(live_server, page, food_guide):
    """R3.4 (acceptance): searching 食品 and spxk on the portal finds the
    food-business licence; its guide shows every element."""
    page.goto(live_server.url + "/")
    page.get_by_label("搜索办事事项").fill("食品")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r"/items/\?q="))
    assert page.get_by_role("heading", name=re.compile("“食品”的搜索结果")).is_visible()
    _shoot(page, "catalog-search-shipin")
    _open_food_from_results(page)
    _see_every_element(page)
    _shoot(page, "catalog-guide-food")

    page.goto(live_server.url + "/items/")
    page.get_by_label("搜索事项").fill("spxk")
    page.locator("form[role=search]").get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r"q=spxk"))
    assert page.get_by_role("heading", name=re.compile("“spxk”的搜索结果")).is_visible()
    _shoot(page, "catalog-search-spxk")
    _open_food_from_results(page)
    _see_every_element(page)
    assert food_guide


def test_nothing_found_shows_tips(live_server, page, food_guide):
    page.goto(live_server.url + "/items/?q=" + "不存在的事项名称")
    assert page.get_by_text("未找到相关事项").is_visible()
    assert page.get_by_text(re.compile("拼音首字母")).is_visible()


def test_guide_prints_without_navigation(live_server, page, food_guide):
    """R3.4: the guide prints cleanly — navigation, table of contents and the
    print button are hidden, every section is printed."""
    page.goto(f"{live_server.url}/items/{food_guide}/")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator("nav.toc").is_visible()
    assert not page.get_by_role("button", name="打印").is_visible()
    for anchor in SECTIONS:
        assert page.locator(f"section#{anchor}").is_visible(), anchor
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "catalog-guide-food.pdf"), format="A4")


def test_guide_fits_a_phone(live_server, browser, food_guide):
    """The portal works on a 390px-wide phone: no horizontal scrolling on the
    home page, the search results or the guide."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        paths = (
            "/",
            "/items/?q=spxk",
            f"/items/{food_guide}/",
            "/lists/",
            "/life-events/",
            "/themes/",
            "/departments/",
            "/bundles/",
        )
        for path in paths:
            page.goto(live_server.url + path)
            width = page.evaluate("document.scrollingElement.scrollWidth")
            inner = page.evaluate("window.innerWidth")
            assert width <= inner, f"{path}: {width} > {inner}"
        # the material table becomes stacked cards with their column names
        page.goto(f"{live_server.url}/items/{food_guide}/")
        label = page.evaluate(
            "getComputedStyle(document.querySelector('#materials td'), '::before').content"
        )
        assert "序号" in label
        _see_every_element(page)
        _shoot(page, "catalog-guide-food-phone")
    finally:
        context.close()
