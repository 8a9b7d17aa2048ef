"""Console pages of the catalogue, through the Django test client: compiling a
guide section by section, review and publishing, version diffs, lifecycle
actions, catalogue entries (R3.2–R3.5, R3.7, R3.8, R4.3)."""

from __future__ import annotations

import pytest

from yiwang.core.audit import audit_verify
from yiwang.domains.catalog import selectors
from yiwang.domains.catalog.models import (
    CatalogEntryVersion,
    ItemVersion,
    Lifecycle,
    ServiceItem,
    VersionStatus,
)
from yiwang.domains.catalog.tests.conftest import full_guide, publish_entry, publish_item

pytestmark = pytest.mark.django_db


def login(client, staff):
    client.force_login(staff.user)
    return client


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def post(client, url, data=None, follow=True):
    return client.post(url, data or {}, follow=follow)


def test_pages_need_a_login_and_a_catalogue_role(catalog_city, client):
    response = client.get("/console/catalog/items/")
    assert response.status_code == 302 and "/console/login/" in response["Location"]
    login(client, catalog_city.legal)
    assert client.get("/console/catalog/items/").status_code == 403
    assert client.get("/console/catalog/review/").status_code == 200


def test_menu_shows_catalogue_entries(catalog_city, client):
    login(client, catalog_city.lx_editor)
    html = get(client, "/console/")
    assert "事项管理" in html and "事项审核" not in html
    login(client, catalog_city.lx_admin)
    html = get(client, "/console/")
    assert "事项审核" in html


def test_item_list_with_state_badges_and_empty_state(catalog_city, client):
    """R3.2: the list of my agency's items with their state."""
    city = catalog_city
    login(client, city.lx_editor)
    assert "暂无事项" in get(client, "/console/catalog/items/")
    item = publish_item(city=city)
    publish_item(city=city, agency=city.bh_scj, name="滨湖的事项")
    html = get(client, "/console/catalog/items/")
    assert "食品经营许可" in html and "滨湖的事项" not in html
    assert "badge-ok" in html and item.implementation_code in html
    assert "没有符合条件的事项" in get(client, "/console/catalog/items/", q="不存在")
    # The centre sees the items of its district too.
    login(client, city.lx_admin)
    assert "食品经营许可" in get(client, "/console/catalog/items/")


def test_compile_a_guide_submit_review_and_publish(catalog_city, client):
    """R3.4, R3.5: an editor creates an item from a published entry, fills every
    section (rows added and removed), sees what is missing, submits; the
    centre approves and publishes."""
    city = catalog_city
    entry = publish_entry(city)
    login(client, city.lx_editor)
    html = get(client, "/console/catalog/items/new/")
    assert "食品经营许可" in html
    r = post(
        client,
        "/console/catalog/items/new/",
        {
            "entry": entry.pk,
            "agency": city.lx_scj.pk,
            "division": city.lx.pk,
            "implementation_code": "",
        },
    )
    assert r.status_code == 200
    version = ItemVersion.objects.get(item__entry=entry)
    html = r.content.decode()
    assert "已新建事项草稿" in html and "缺少" in html and "受理条件（受理标准）" in html
    base = f"/console/catalog/versions/{version.pk}"

    g = full_guide()
    sections = {
        "basic": {k: g[k] for k in ("audience", "handling_kind", "power_source", "general_area")},
        "conditions": {"acceptance_conditions": g["acceptance_conditions"]},
        "limits": {
            "statutory_limit": 20,
            "statutory_unit": "working_days",
            "promised_limit": 5,
            "promised_unit": "working_days",
        },
        "result": {
            "result_name": g["result_name"],
            "result_type": "证照",
            "delivery_ways": ["window", "electronic"],
        },
        "place": {
            "address": g["address"],
            "hours": g["hours"],
            "consult_phone": g["consult_phone"],
            "complaint_phone": g["complaint_phone"],
        },
        "online": {"online": "on", "online_depth": "4", "onsite_trips": "0"},
        "rights": {
            "rights_obligations": g["rights_obligations"],
            "legal_remedy": g["legal_remedy"],
        },
    }
    for key, data in sections.items():
        assert get(client, f"{base}/edit/{key}/")
        r = post(client, f"{base}/edit/{key}/", data)
        assert "已保存" in r.content.decode(), (key, r.content.decode()[:3000])

    # An invalid value is refused with the service's message, on the form.
    r = post(
        client,
        f"{base}/edit/limits/",
        {
            "promised_limit": 30,
            "statutory_limit": 20,
            "statutory_unit": "working_days",
            "promised_unit": "working_days",
        },
    )
    assert "不能超过法定办结时限" in r.content.decode()

    def rows(prefix, items, extra=None):
        data = {
            f"{prefix}-TOTAL_FORMS": str(len(items)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for i, item in enumerate(items):
            for k, v in item.items():
                data[f"{prefix}-{i}-{k}"] = v
        data.update(extra or {})
        return data

    r = post(
        client,
        f"{base}/edit/variants/",
        rows(
            "variants",
            [
                {
                    "code": "first",
                    "name": "首次申请",
                    "form_schema": '{"type": "object", "properties": {"n": {"type": "string"}}}',
                }
            ],
        ),
    )
    assert "已保存“办理项”（1项）" in r.content.decode()
    # "添加一行" re-renders with one more row and saves nothing.
    m = {
        "code": "app",
        "name": "申请书",
        "kind": "form",
        "form": "electronic",
        "necessity": "required",
        "copies": "1",
        "source": "applicant",
    }
    r = post(client, f"{base}/edit/materials/", rows("materials", [m], {"add_row": "1"}))
    assert r.content.decode().count("申请材料 第") == 2
    assert ItemVersion.objects.get(pk=version.pk).materials.count() == 0
    m2 = dict(m, code="licence", name="营业执照", kind="certificate", variant="first")
    m3 = dict(m, code="gone", name="将被删除的材料", DELETE="on")
    r = post(client, f"{base}/edit/materials/", rows("materials", [m, m2, m3]))
    assert "已保存“申请材料”（2项）" in r.content.decode()
    # A row error from the service lands on its row.
    bad = dict(m, code="app2", necessity="required", copies="-1")
    r = post(client, f"{base}/edit/materials/", rows("materials", [m, bad]))
    assert "份数不能为负数" in r.content.decode()
    steps = [
        {
            "code": "accept",
            "name": "受理",
            "role_code": "clerk",
            "time_limit": "1",
            "time_unit": "working_days",
        },
        {
            "code": "decide",
            "name": "决定",
            "role_code": "approver",
            "time_limit": "2",
            "time_unit": "working_days",
            "ORDER": "1",
        },
    ]
    r = post(client, f"{base}/edit/steps/", rows("steps", steps))
    assert "已保存“办理环节”（2项）" in r.content.decode()
    assert [s.code for s in ItemVersion.objects.get(pk=version.pk).steps.order_by("order")] == [
        "decide",
        "accept",
    ]
    r = post(client, f"{base}/edit/faqs/", rows("faqs", [{"question": "问？", "answer": "答。"}]))
    assert "已保存“常见问题”（1项）" in r.content.decode()

    html = get(client, f"{base}/")
    assert "要素齐全" in html, html[:4000]
    r = post(client, f"{base}/submit/")
    assert "已提交政务服务中心审核" in r.content.decode()
    r = client.get(f"{base}/edit/basic/", follow=True)
    assert "不能修改" in r.content.decode()

    login(client, city.bh_admin)
    assert client.get(f"{base}/").status_code == 403
    login(client, city.lx_admin)
    html = get(client, "/console/catalog/review/")
    assert "食品经营许可" in html
    r = post(client, f"{base}/review/", {"decision": "reject", "note": ""})
    assert "退回理由" in r.content.decode()
    r = post(client, f"{base}/review/", {"decision": "approve", "note": "同意"})
    assert "审核通过，待发布" in r.content.decode()
    assert "食品经营许可" in get(client, "/console/catalog/review/", tab="publish")
    r = post(client, f"{base}/publish/", {"valid_from": ""})
    assert "已发布" in r.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems[:5]]


def test_version_history_and_diff(catalog_city, client):
    """R3.5: revising makes a draft; the history compares any two versions."""
    city = catalog_city
    item = publish_item(city=city)
    login(client, city.lx_editor)
    html = get(client, f"/console/catalog/items/{item.pk}/")
    assert "修订办事指南" in html and "第1版" in html
    r = post(client, f"/console/catalog/items/{item.pk}/revise/", {"reason": "压缩时限"})
    v2 = ItemVersion.objects.get(item=item, number=2)
    assert "已创建第2版草稿" in r.content.decode()
    g = full_guide()
    r = post(
        client,
        f"/console/catalog/versions/{v2.pk}/edit/limits/",
        {
            "statutory_limit": 20,
            "statutory_unit": "working_days",
            "statutory_note": g["statutory_note"],
            "promised_limit": 3,
            "promised_unit": "working_days",
            "promised_note": g["promised_note"],
        },
    )
    assert "已保存“办理时限”" in r.content.decode(), r.content.decode()[-3000:]
    html = get(client, f"/console/catalog/items/{item.pk}/diff/", a=item.current_id, b=v2.pk)
    assert "承诺办结时限" in html and "1处不同" in html
    html = get(client, f"/console/catalog/items/{item.pk}/diff/", a=v2.pk, b=v2.pk)
    assert "内容相同" in html
    # A second revision while the draft is open is refused with its name.
    r = post(client, f"/console/catalog/items/{item.pk}/revise/", {"reason": "再改"})
    assert "第2版草稿" in r.content.decode()
    assert "放弃本草稿" in get(client, f"/console/catalog/versions/{v2.pk}/")
    r = post(client, f"/console/catalog/versions/{v2.pk}/discard/")
    assert "已放弃第2版草稿" in r.content.decode()
    assert not ItemVersion.objects.filter(pk=v2.pk).exists()


def test_lifecycle_actions(catalog_city, client):
    """R4.3: the centre suspends with a listed reason, resumes, cancels."""
    city = catalog_city
    item = publish_item(city=city)
    login(client, city.lx_editor)
    assert client.get(f"/console/catalog/items/{item.pk}/suspend/").status_code == 403
    login(client, city.bh_admin)
    assert client.get(f"/console/catalog/items/{item.pk}/").status_code == 403
    login(client, city.lx_admin)
    html = get(client, f"/console/catalog/items/{item.pk}/")
    assert "暂停办理" in html
    html = get(client, f"/console/catalog/items/{item.pk}/suspend/")
    assert "三年及以上无办件" in html
    r = post(client, f"/console/catalog/items/{item.pk}/suspend/", {"reason": "other", "note": ""})
    assert "暂停说明" in r.content.decode()
    r = post(
        client,
        f"/console/catalog/items/{item.pk}/suspend/",
        {"reason": "off_cycle", "note": "年度申报期外"},
    )
    html = r.content.decode()
    assert "已暂停办理" in html and "周期性事项不在办理期" in html
    assert ServiceItem.objects.get(pk=item.pk).lifecycle == Lifecycle.SUSPENDED
    r = post(client, f"/console/catalog/items/{item.pk}/resume/", {"note": ""})
    assert "已恢复办理" in r.content.decode()
    r = post(client, f"/console/catalog/items/{item.pk}/cancel/", {"note": "职能划转"})
    assert "已取消该事项" in r.content.decode()
    assert ServiceItem.objects.get(pk=item.pk).lifecycle == Lifecycle.CANCELLED


def test_classification_page(catalog_city, client):
    """R3.7: tags and topics from the console."""
    city = catalog_city
    item = publish_item(city=city)
    login(client, city.lx_editor)
    html = get(client, f"/console/catalog/items/{item.pk}/classify/")
    assert "马上办" in html and "跨省通办" in html
    r = post(
        client,
        f"/console/catalog/items/{item.pk}/classify/",
        {"tags": ["mashang", "wangshang"], "audience": "entity"},
    )
    assert "已保存特色清单" in r.content.decode()
    assert sorted(item.tags.values_list("code", flat=True)) == ["mashang", "wangshang"]


def test_catalogue_entries_dual_review(catalog_city, client):
    """R3.2, R3.5: an entry is compiled, reviewed by the centre, legally
    reviewed, published; a change is a written request."""
    city = catalog_city
    login(client, city.city_editor)
    assert "暂无本单位编制的基本目录事项" in get(client, "/console/catalog/entries/")
    r = post(
        client,
        "/console/catalog/entries/new/",
        {
            "basic_code": "bad",
            "name": "餐饮服务许可",
            "item_type_code": "01",
            "legal_basis": "中华人民共和国食品安全法 | 第三十五条",
            "exercise_levels": ["county"],
            "owner": city.city_scj.pk,
        },
    )
    assert "基本编码 BAD 格式不正确" in r.content.decode()
    r = post(
        client,
        "/console/catalog/entries/new/",
        {
            "basic_code": "320200000101",
            "name": "餐饮服务许可",
            "item_type_code": "01",
            "legal_basis": "中华人民共和国食品安全法 | 第三十五条",
            "exercise_levels": ["county", "city"],
            "owner": city.city_scj.pk,
        },
    )
    html = r.content.decode()
    assert "已新建基本目录事项草稿" in html and "县级" in html
    ev = CatalogEntryVersion.objects.get(entry__basic_code="320200000101")
    assert ev.legal_basis == [{"title": "中华人民共和国食品安全法", "article": "第三十五条"}]
    post(client, f"/console/catalog/entry-versions/{ev.pk}/submit/")
    login(client, city.city_admin)
    assert "餐饮服务许可" in get(client, "/console/catalog/review/", tab="entries")
    post(client, f"/console/catalog/entry-versions/{ev.pk}/review/", {"decision": "approve"})
    login(client, city.legal)
    assert "餐饮服务许可" in get(client, "/console/catalog/review/", tab="legal")
    r = post(client, f"/console/catalog/entry-versions/{ev.pk}/legal/", {"decision": "approve"})
    assert "合法性审查通过" in r.content.decode()
    login(client, city.city_admin)
    r = post(client, f"/console/catalog/entry-versions/{ev.pk}/publish/")
    assert "已发布" in r.content.decode()
    ev.refresh_from_db()
    assert ev.status == VersionStatus.PUBLISHED
    login(client, city.city_editor)
    r = post(
        client,
        f"/console/catalog/entries/{ev.entry_id}/revise/",
        {
            "name": "餐饮服务许可（新）",
            "item_type_code": "01",
            "legal_basis": "中华人民共和国食品安全法",
            "exercise_levels": ["county"],
            "reason": "",
        },
    )
    assert "请填写变更理由" in r.content.decode()
    r = post(
        client,
        f"/console/catalog/entries/{ev.entry_id}/revise/",
        {
            "name": "餐饮服务许可（新）",
            "item_type_code": "01",
            "legal_basis": "中华人民共和国食品安全法",
            "exercise_levels": ["county"],
            "reason": "机构改革",
        },
    )
    assert "已提出变更（第2版草稿）" in r.content.decode()
    assert selectors.entry_versions(ev.entry)[0].name == "餐饮服务许可（新）"
