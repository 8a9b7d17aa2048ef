"""The portal's catalogue pages through Django's test client: search, the
guide with every element, browse pages, special-service lists and bundles
(R3.4, R3.5, R3.7, R3.8, R4.3, R6.5)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from yiwang.core.actors import SYSTEM
from yiwang.domains.catalog import services
from yiwang.domains.catalog.models import MaterialSpec, ServiceItem
from yiwang.domains.catalog.tests.conftest import full_guide, publish_entry, publish_item
from yiwang.domains.catalog.tests.test_public_selectors import republish

pytestmark = pytest.mark.django_db

# Each R3.4 element of a full guide and the anchor of its section.
GUIDE_SECTIONS = {
    "basic": "基本信息",
    "department": "实施机构信息",
    "conditions": "受理条件",
    "materials": "申请材料",
    "process": "办理流程",
    "flowchart": "办理流程图",
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


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The markup of the section whose id is ``anchor``."""
    m = re.search(rf'<section[^>]*id="{re.escape(anchor)}".*?</section>', html, re.S)
    assert m, f"section #{anchor} missing"
    return m.group(0)


@pytest.fixture
def food(catalog_city) -> ServiceItem:
    return publish_item(
        city=catalog_city,
        name="食品经营许可",
        guide=full_guide(audience="entity"),
        tags=("wangshang", "mianzheng"),
    )


def test_search_page_finds_by_text_pinyin_and_initials(client, food):
    """R3.4: the portal search matches 食品, shipin and spxk."""
    for q in ("食品", "shipin", "spxk"):
        html = html_of(client.get("/items/", {"q": q}))
        assert "食品经营许可" in html
        assert f'href="/items/{food.implementation_code}/"' in html
        assert "共 1 项" in html
    html = html_of(client.get("/items/", {"q": "户口迁移"}))
    assert "未找到相关事项" in html and "spxk" in html  # the tips say how to search


def test_search_page_filters_and_pagination(client, catalog_city, food):
    for i in range(22):
        publish_item(city=catalog_city, name=f"测试许可事项{i:02d}", agency=catalog_city.bh_scj)
    html = html_of(client.get("/items/", {"q": "测试"}))
    assert "共 22 项" in html and "第 1 / 2 页" in html
    assert "?q=%E6%B5%8B%E8%AF%95&amp;page=2" in html or "q=测试&amp;page=2" in html
    html = html_of(client.get("/items/", {"q": "测试", "page": 2}))
    assert "第 2 / 2 页" in html
    html = html_of(client.get("/items/", {"tag": "mianzheng"}))
    assert "共 1 项" in html and "食品经营许可" in html
    html = html_of(client.get("/items/", {"division": "320213"}))
    assert "共 1 项" in html
    html = html_of(client.get("/items/", {"agency": catalog_city.bh_scj.pk}))
    assert "共 22 项" in html and "实施机构：无锡市滨湖区市场监督管理局" in html
    html = html_of(client.get("/items/", {"audience": "person", "q": "食品"}))
    assert "未找到相关事项" in html and "清除筛选条件" in html
    # a nonsense filter value is no error
    assert client.get("/items/", {"agency": "x", "page": "y", "audience": "z"}).status_code == 200


def test_guide_page_shows_every_element(client, catalog_city, food):
    """R3.4, LZW14: the guide page shows every element in its own section —
    basic info, department, windows, acceptance conditions, materials (each
    MaterialSpec field, 容缺后补 marked), process with a flowchart, time
    limits, fees, result, delivery, place and hours, legal basis, FAQ,
    consultation and complaint contacts, rights and obligations, legal
    remedy, online depth and on-site trips, special-service tags."""
    from yiwang.domains.orgs.services import hall_create, window_create

    c = catalog_city
    hall = hall_create(
        actor=SYSTEM,
        centre=c.lx_centre,
        division=c.lx,
        name="梁溪区政务服务中心",
        level="hall",
        address="无锡市梁溪区解放南路711号",
        hours="工作日 9:00-17:00",
    )
    window = window_create(
        actor=SYSTEM,
        hall=hall,
        number="18",
        name="市场准入窗口",
        kind="agency",
        agencies=[c.lx_scj],
    )
    item = republish(
        c,
        food,
        window_ids=[window.pk],
        charges_fee=True,
        fees=[
            {
                "name": "工本费",
                "standard": "10元/证",
                "legal_basis": "苏价费〔2020〕1号",
                "reducible": True,
                "reduction_note": "小微企业免收",
            }
        ],
    )
    # blank form and example files of a material (uploaded by the console later)
    m = MaterialSpec.objects.get(version=item.current, code="application")
    m.blank_form.save("blank.docx", ContentFile(b"blank"), save=False)
    m.example.save("example.pdf", ContentFile(b"example"), save=False)
    m.save(update_fields=["blank_form", "example"])

    html = html_of(client.get(f"/items/{item.implementation_code}/"))
    for anchor, title in GUIDE_SECTIONS.items():
        assert f'id="{anchor}"' in html, anchor
        assert title in html, title
    basic = section(html, "basic")
    for label, value in (
        ("事项名称", "食品经营许可"),
        ("事项类型", "行政许可"),
        ("基本编码", item.entry.basic_code),
        ("实施编码", item.implementation_code),
        ("实施机构", "无锡市梁溪区市场监督管理局"),
        ("服务对象", "法人"),
        ("办件类型", "承诺件"),
        ("行使层级", "县级"),
        ("权力来源", "法定本级行使"),
        ("通办范围", "全市通办"),
        ("办理项", "首次申请、变更"),
    ):
        assert label in basic and value in basic, label
    assert "经营场所相适应" in section(html, "conditions") or "相适应的经营场所" in html
    materials = section(html, "materials")
    for text in (
        "食品经营许可申请书",
        "申请表格文书",
        "电子",
        "必要",
        "1 份",
        "申请人自备",
        "内容完整、签字盖章",
        "营业执照",
        "政府部门核发：市场监督管理部门核发",
        "证件证书证明",
        "可免提交（电子证照）",
        "经营场所平面布局图",
        "容缺后补",
        "纸质+电子",
        "适用：首次申请",
        "空白表格",
        "示例样表",
    ):
        assert text in materials, text
    assert 'class="deferrable"' in materials
    process = section(html, "process")
    assert '<ol class="flow"' in process
    assert process.count('class="flow-step') == 5
    for text in (
        "受理",
        "审查",
        "现场核查",
        "决定",
        "送达",
        "窗口受理人员",
        "审批人员",
        "特别程序",
        "10 工作日",
    ):
        assert text in process, text
    limits = section(html, "limits")
    assert "20 个工作日" in limits and "5 个工作日" in limits
    assert "行政许可法" in limits and "5个工作日内办结" in limits
    fees = section(html, "fees")
    assert "工本费" in fees and "10元/证" in fees and "苏价费〔2020〕1号" in fees
    assert "小微企业免收" in fees
    result = section(html, "result")
    assert "食品经营许可证" in result and "证照" in result
    delivery = section(html, "delivery")
    assert "窗口领取" in delivery and "邮寄送达" in delivery and "电子送达" in delivery
    location = section(html, "location")
    assert "解放南路711号" in location and "周一至周五" in location
    windows = section(html, "windows")
    assert "梁溪区政务服务中心 18号窗口" in windows and "市场准入窗口" in windows
    assert "中华人民共和国食品安全法" in section(html, "legal-basis")
    assert "第三十五条" in section(html, "legal-basis")
    assert "可以网上申请吗" in section(html, "faq")
    assert "0510-12345" in section(html, "consult")
    assert "12345" in section(html, "complaint")
    assert "知情权" in section(html, "rights")
    assert "行政复议" in section(html, "remedy")
    online = section(html, "online")
    assert "四级：全程网上办理" in online and "0 次" in online
    tags = section(html, "tags")
    assert "网上办" in tags and "免证办" in tags
    assert "打印" in html and "window.print()" in html


def test_guide_without_fee_says_no_fee(client, food):
    html = html_of(client.get(f"/items/{food.implementation_code}/"))
    assert "不收费" in section(html, "fees")
    assert "请到上述办理地点的综合受理窗口办理" in section(html, "windows")


def test_convenience_item_has_the_lighter_guide(client, catalog_city):
    """R3.8: a convenience-service item shows service content and management
    requirements instead of the power elements."""
    guide = full_guide(
        service_content="为辖区老年人办理优待证，免费乘坐公交。",
        management_requirements="窗口人员当场核验身份证件，当场发证。",
        charges_fee=False,
    )
    entry = publish_entry(catalog_city, name="老年人优待证办理", item_type_code="21")
    item = publish_item(city=catalog_city, entry=entry, is_convenience=True, guide=guide)
    html = html_of(client.get(f"/items/{item.implementation_code}/"))
    assert "便民服务事项" in html
    assert "为辖区老年人办理优待证" in section(html, "content")
    assert "当场核验身份证件" in section(html, "requirements")
    for anchor in ("basic", "process", "limits", "location", "windows", "consult", "complaint"):
        assert f'id="{anchor}"' in html
    for anchor in ("rights", "remedy", "result"):
        assert f'id="{anchor}"' not in html


def test_suspended_item_shows_its_reason(client, catalog_city, food):
    """R4.3 (acceptance): a suspended item shows its reason on the portal."""
    services.service_item_suspend(
        actor=catalog_city.lx_admin, item=food, reason="no_case_3_years", note="近三年无办件"
    )
    html = html_of(client.get(f"/items/{food.implementation_code}/"))
    assert "本事项暂停办理" in html
    assert "三年及以上无办件" in html and "近三年无办件" in html
    html = html_of(client.get("/items/", {"q": "spxk"}))
    assert "暂停办理" in html and "三年及以上无办件" in html


def test_old_version_is_readable_with_a_notice(client, catalog_city, food):
    """R3.5: ?version=1 shows the old content with a notice; the current
    version shows the new one and links to the history."""
    item = republish(catalog_city, food, promised_limit=2)
    html = html_of(client.get(f"/items/{item.implementation_code}/"))
    assert "2 个工作日" in section(html, "limits")
    assert 'id="old-version"' not in html
    assert f"/items/{item.implementation_code}/?version=1" in section(html, "history")
    html = html_of(client.get(f"/items/{item.implementation_code}/", {"version": 1}))
    assert 'id="old-version"' in html and "不是现行版本" in html
    assert "5 个工作日" in section(html, "limits")
    assert client.get(f"/items/{item.implementation_code}/", {"version": 9}).status_code == 404
    assert client.get(f"/items/{item.implementation_code}/", {"version": "x"}).status_code == 404


def test_cancelled_item_404s_but_old_version_stays(client, catalog_city, food):
    """R3.5: a cancelled item leaves the lists; its published versions stay readable."""
    services.service_item_cancel(actor=catalog_city.lx_admin, item=food, note="取消")
    assert client.get(f"/items/{food.implementation_code}/").status_code == 404
    assert "未找到相关事项" in html_of(client.get("/items/", {"q": "食品"}))
    html = html_of(client.get(f"/items/{food.implementation_code}/", {"version": 1}))
    assert "本事项已取消" in html and "食品经营许可" in html


def test_unknown_item_is_404(client, catalog_city):
    response = client.get("/items/NOSUCHCODE/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_browse_pages(client, catalog_city):
    """Browse by audience, life event, theme, department and division; R3.7 lists."""
    c = catalog_city
    services.topic_create(
        actor=SYSTEM, kind="life_event", code="birth", name="出生", audience="person"
    )
    services.topic_create(
        actor=SYSTEM, kind="theme", code="catering", name="餐饮服务", audience="entity"
    )
    birth = publish_item(
        city=c,
        name="出生医学证明",
        agency=c.city_gaj,
        guide=full_guide(audience="person"),
        topics=("birth",),
        tags=("zhangshang",),
    )
    food = publish_item(city=c, name="食品经营许可", topics=("catering",))
    html = html_of(client.get("/life-events/"))
    assert "出生" in html and "/life-events/birth/" in html and "1 项服务" in html
    assert "餐饮服务" not in html
    html = html_of(client.get("/life-events/birth/"))
    assert "出生医学证明" in html and "食品经营许可" not in html
    html = html_of(client.get("/themes/"))
    assert "餐饮服务" in html and "/themes/catering/" in html
    html = html_of(client.get("/themes/catering/"))
    assert "食品经营许可" in html
    assert client.get("/themes/birth/").status_code == 404
    assert client.get("/life-events/nope/").status_code == 404
    html = html_of(client.get("/departments/"))
    assert "无锡市公安局" in html and "无锡市梁溪区市场监督管理局" in html
    assert f"/items/?agency={c.city_gaj.pk}" in html
    html = html_of(client.get("/departments/", {"division": "320213"}))
    assert "无锡市梁溪区市场监督管理局" in html and "无锡市公安局" not in html
    html = html_of(client.get("/lists/"))
    assert "掌上办" in html and "跨省通办" in html and "/lists/zhangshang/" in html
    html = html_of(client.get("/lists/zhangshang/"))
    assert "出生医学证明" in html and "食品经营许可" not in html
    html = html_of(client.get("/lists/kuasheng/"))
    assert "该清单暂无已发布的事项" in html
    assert client.get("/lists/nope/").status_code == 404
    assert birth.pk and food.pk


def test_browse_pages_empty_states(client, catalog_city):
    assert "暂无分类" in html_of(client.get("/life-events/"))
    assert "暂无已发布事项的部门" in html_of(client.get("/departments/"))
    assert "暂无“一件事”服务" in html_of(client.get("/bundles/"))
    html = html_of(client.get("/items/"))
    assert "未找到相关事项" in html and "共 0 项" in html


def test_bundle_pages(client, catalog_city):
    """R6.5: a bundle page lists its members, one merged material list (a
    material several members need asked once) and one merged form."""
    c = catalog_city
    food = publish_item(city=c, name="食品经营许可", agency=c.city_scj)
    ad = publish_item(city=c, name="户外广告设置许可", agency=c.city_scj)
    services.bundle_create(
        actor=c.city_admin,
        code="YJS320200001",
        name="开办餐饮店",
        division=c.city,
        lead_agency=c.city_scj,
        audience="entity",
        items=[food, ad],
        description="食品经营许可与户外广告设置一次办。",
        promised_limit=5,
    )
    html = html_of(client.get("/bundles/"))
    assert "开办餐饮店" in html and "2 个事项" in html and "/bundles/YJS320200001/" in html
    html = html_of(client.get("/bundles/YJS320200001/"))
    members = section(html, "members")
    assert "食品经营许可" in members and "户外广告设置许可" in members
    materials = section(html, "materials")
    assert materials.count("营业执照") == 1  # asked once for both items
    assert "食品经营许可、户外广告设置许可" in materials
    form = section(html, "form")
    assert form.count("申请人名称") == 1 and "经营场所" in form and "必填" in form
    assert client.get("/bundles/NONE/").status_code == 404


def test_home_page_links_the_catalogue(client, catalog_city):
    html = html_of(client.get("/"))
    assert 'action="/items/"' in html and 'name="q"' in html
    for href in ("/life-events/", "/themes/", "/bundles/", "/lists/", "/departments/"):
        assert f'href="{href}"' in html, href


def test_every_demo_guide_and_bundle_renders(client):
    """R3.4, R6.5: every published guide of the demo catalogue renders with
    every element's section, and every bundle page renders."""
    catalog = pytest.importorskip("yiwang.demo.catalog")
    catalog.load_catalog()
    items = list(
        ServiceItem.objects.filter(current__isnull=False)
        .exclude(lifecycle="cancelled")
        .values_list("implementation_code", "is_convenience")
    )
    assert len(items) >= 50
    full = [a for a in GUIDE_SECTIONS if a not in ("flowchart",)]
    light = ("basic", "content", "process", "limits", "location", "windows", "requirements")
    for code, convenience in items:
        html = html_of(client.get(f"/items/{code}/"))
        for anchor in light if convenience else full:
            assert f'id="{anchor}"' in html, (code, anchor)
    from yiwang.domains.catalog.models import Bundle

    codes = list(Bundle.objects.values_list("code", flat=True))
    assert len(codes) >= 3
    for code in codes:
        html = html_of(client.get(f"/bundles/{code}/"))
        assert section(html, "materials").count("<tr") >= 2
    for path in ("/life-events/", "/themes/", "/departments/", "/lists/", "/bundles/"):
        html_of(client.get(path))
