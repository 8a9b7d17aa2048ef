"""Catalogue services: codes, validation of entries and guides, reference data
(R3.1, R3.2, R3.3, R3.4, R3.6, R3.7)."""

from __future__ import annotations

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.domains.catalog import services
from yiwang.domains.catalog.models import ItemType, ServiceItem, Tag, Topic
from yiwang.domains.catalog.tests.conftest import full_guide, publish_entry

pytestmark = pytest.mark.django_db


def _create(city, entry, guide=None, **kw):
    kw.setdefault("agency", city.lx_scj)
    kw.setdefault("division", city.lx)
    return services.service_item_create(
        actor=kw.pop("actor", city.lx_editor),
        entry=entry,
        guide=guide if guide is not None else full_guide(),
        **kw,
    )


def test_reference_data_is_synced_on_migrate(db):
    """R3.1, R3.7: the item types (a table, with the power flag) and the
    special-service tags exist after migrating; syncing again adds nothing."""
    assert dict(ItemType.objects.values_list("code", "name")) == {
        "01": "行政许可",
        "07": "行政确认",
        "09": "行政裁决",
        "05": "行政给付",
        "08": "行政奖励",
        "20": "其他行政权力",
        "21": "公共服务",
    }
    assert not ItemType.objects.get(code="21").is_power
    assert set(Tag.objects.values_list("name", flat=True)) >= {
        "全域通办",
        "马上办",
        "就近办",
        "网上办",
        "掌上办",
        "免证办",
        "智能秒办秒批",
        "帮办代办",
        "政银合作",
        "跨省通办",
        "省内通办",
    }
    assert services.item_types_sync_defaults() == 0
    assert services.tags_sync_defaults() == 0


def test_entry_validation(catalog_city):
    """R3.2, R3.3: basic code by pattern and unique, type from the table, legal
    basis structured, exercise levels from the list, editors of the owner only."""
    city = catalog_city
    with pytest.raises(ValidationFailed) as err:
        services.catalog_entry_create(
            actor=city.city_editor,
            basic_code="abc",
            owner=city.city_scj,
            name="",
            item_type_code="99",
            legal_basis=[{"article": "第一条"}],
            exercise_levels=["galaxy"],
        )
    fields = err.value.fields
    assert set(fields) == {"basic_code", "name", "item_type_code", "legal_basis", "exercise_levels"}
    assert "12位" in fields["basic_code"] and "法律法规名称" in fields["legal_basis"]
    with pytest.raises(PermissionDenied):
        services.catalog_entry_create(
            actor=city.lx_editor,
            basic_code="000000000001",
            owner=city.city_scj,
            name="某事项",
            item_type_code="01",
            legal_basis=[{"title": "某法"}],
            exercise_levels=["city"],
        )
    entry = publish_entry(city, basic_code="000000000001")
    with pytest.raises(ValidationFailed) as err:
        services.catalog_entry_create(
            actor=city.city_editor,
            basic_code="000000000001",
            owner=city.city_scj,
            name="重复编码",
            item_type_code="01",
            legal_basis=[{"title": "某法"}],
            exercise_levels=["city"],
        )
    assert err.value.code == "basic_code_taken"
    sub = services.catalog_entry_create(
        actor=city.city_editor,
        basic_code="000000000002",
        owner=city.city_scj,
        name="食品经营许可（变更）",
        item_type_code="01",
        legal_basis=[{"title": "中华人民共和国食品安全法"}],
        exercise_levels=["county", "city"],
        parent=entry,
    )
    assert sub.exercise_levels == ["city", "county"] and sub.entry.parent_id == entry.pk
    with pytest.raises(ValidationFailed) as err:
        services.catalog_entry_revise(
            actor=city.city_editor, entry=entry, reason="改", colour="red"
        )
    assert "colour" in err.value.message


def test_basic_code_pattern_is_a_setting(catalog_city, settings):
    """R3.2: the code formats are configurable (STANDARDS.md: unverified layout)."""
    settings.YIWANG_BASIC_CODE_PATTERN = r"^\d{4}$"
    entry = publish_entry(catalog_city, basic_code="1234")
    assert entry.basic_code == "1234"


def test_implementation_codes(catalog_city):
    """R3.2: the implementation code starts with the agency's credit code; a
    generated one is credit code + basic code + a serial, and unique."""
    city = catalog_city
    entry = publish_entry(city)
    v1 = _create(city, entry)
    code = v1.item.implementation_code
    assert code == f"{city.lx_scj.credit_code}{entry.basic_code}0"
    # A second implementation by the same agency (another division) gets serial 1.
    town_entry = entry
    v2 = _create(city, town_entry, agency=city.jy_scj, division=city.town, actor=city.jy_editor)
    assert v2.item.implementation_code.endswith(f"{entry.basic_code}0")
    with pytest.raises(ValidationFailed) as err:
        _create(city, publish_entry(city), implementation_code=f"{city.bh_scj.credit_code}01")
    assert "应以实施机构" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        _create(city, publish_entry(city), implementation_code="12345")
    assert "格式不正确" in err.value.message
    other = publish_entry(city)
    with pytest.raises(ValidationFailed) as err:
        _create(city, other, implementation_code=code)
    assert "已被使用" in err.value.message
    v3 = _create(city, other, implementation_code=f"{city.lx_scj.credit_code}x1")
    assert v3.item.implementation_code == f"{city.lx_scj.credit_code}X1"


def test_item_creation_rules(catalog_city):
    """R3.2, R3.3: the implementing division lies under the agency and at one of
    the entry's exercise levels; one item per agency, division and entry."""
    city = catalog_city
    entry = publish_entry(city, exercise_levels=["county"])
    with pytest.raises(PermissionDenied):
        _create(city, entry, actor=city.bh_editor)
    with pytest.raises(ValidationFailed) as err:
        _create(city, entry, division=city.bh)
    assert "不在实施机构" in err.value.fields["division"]
    with pytest.raises(ValidationFailed) as err:
        _create(city, entry, agency=city.city_scj, division=city.city, actor=city.city_editor)
    assert "行使层级为县级" in err.value.fields["division"]
    _create(city, entry)
    with pytest.raises(Conflict) as err:
        _create(city, entry)
    assert err.value.code == "item_exists"
    with pytest.raises(ValidationFailed) as err:
        _create(city, publish_entry(city), tags=["nonexistent"])
    assert "nonexistent" in err.value.message
    assert ServiceItem.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"audience": "aliens"}, "audience", "服务对象应为"),
        ({"statutory_limit": -1}, "statutory_limit", "不能为负数"),
        ({"promised_limit": "5"}, "promised_limit", "应为整数"),
        ({"promised_limit": 30}, "promised_limit", "不能超过法定办结时限"),
        ({"promised_unit": "weeks"}, "promised_unit", "工作日"),
        ({"result_type": "奖状"}, "result_type", "证照"),
        ({"delivery_ways": ["pigeon"]}, "delivery_ways", "邮寄送达"),
        ({"online_depth": 7}, "online_depth", "不能大于4"),
        ({"consult_phone": "<script>"}, "consult_phone", "电话号码"),
        ({"consult_phone": "请来电咨询"}, "consult_phone", "电话号码"),
        ({"mobile_url": "ftp://x"}, "mobile_url", "网址"),
        ({"hours": "x" * 301}, "hours", "不能超过300个字"),
        ({"online": "yes"}, "online", "是"),
        ({"name": "食品"}, "guide", "未知要素：name"),
        ({"window_ids": [999999]}, "window_ids", "不存在"),
        (
            {"fees": [{"name": "工本费", "standard": "10元", "legal_basis": "某文件"}]},
            "fees",
            "不收费",
        ),
        (
            {"variants": [{"code": "a", "name": "甲"}, {"code": "a", "name": "乙"}]},
            "variants[1].code",
            "重复",
        ),
        ({"variants": [{"code": "a b", "name": "甲"}]}, "variants[0].code", "只能由"),
        ({"materials": [{"code": "m", "name": "x"}]}, "materials[0].kind", "证件证书证明"),
        (
            {"steps": [{"code": "s", "name": "受理", "role_code": "clerk", "time_limit": 9}]},
            "steps[0].time_limit",
            "超过承诺办结时限",
        ),
        ({"faqs": [{"question": "问"}]}, "faqs[0].answer", "请填写"),
    ],
)
def test_guide_validation(catalog_city, change, field, words):
    """R3.4: every element is checked — choices, limits, codes, consistency."""
    city = catalog_city
    with pytest.raises(ValidationFailed) as err:
        _create(city, publish_entry(city), full_guide(**change))
    assert err.value.code == "guide_invalid"
    assert field in err.value.fields, err.value.fields
    assert words in err.value.fields[field], err.value.fields[field]


def test_special_steps_may_exceed_the_promised_limit(catalog_city):
    """R3.4: a special procedure (site inspection) does not count toward the limit."""
    city = catalog_city
    v = _create(city, publish_entry(city))
    assert v.steps.get(code="inspect").time_limit == 10 and v.promised_limit == 5


def test_classification_and_topics(published_item, catalog_city):
    """R3.7: tags and topics of an item, by its editors or its centre."""
    city = catalog_city
    topic = services.topic_create(
        actor=city.city_admin, kind="theme", code="kaiban", name="开办企业", audience="entity"
    )
    with pytest.raises(PermissionDenied):
        services.topic_create(
            actor=city.lx_editor, kind="theme", code="x", name="某主题", audience="entity"
        )
    with pytest.raises(ValidationFailed) as err:
        services.topic_create(
            actor=city.city_admin, kind="theme", code="kaiban", name="重复", audience="entity"
        )
    assert err.value.code == "topic_code_taken"
    item = services.service_item_set_classification(
        actor=city.lx_editor,
        item=published_item,
        tags=["wangshang", "mianzheng"],
        topics=[topic.code],
        audience="entity",
    )
    assert sorted(item.tags.values_list("code", flat=True)) == ["mianzheng", "wangshang"]
    assert list(Topic.objects.filter(items=item)) == [topic]
    with pytest.raises(PermissionDenied):
        services.service_item_set_classification(
            actor=city.bh_editor, item=published_item, tags=[], topics=[]
        )
    services.service_item_set_classification(
        actor=city.lx_admin, item=published_item, tags=[], topics=[]
    )
    assert item.tags.count() == 0
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems[:5]]


def test_bundle_rules(catalog_city):
    """R6.5: a bundle is coded, joins at least two published items of related
    divisions, and is made by the centre."""
    from yiwang.domains.catalog.tests.conftest import publish_item

    city = catalog_city
    a = publish_item(city=city)
    b = publish_item(city=city, agency=city.city_gaj, name="户口登记")
    c = publish_item(city=city, agency=city.bh_scj, name="滨湖事项")
    common = {
        "name": "开办餐饮店",
        "division": city.lx,
        "lead_agency": city.lx_scj,
        "audience": "entity",
    }
    with pytest.raises(PermissionDenied):
        services.bundle_create(actor=city.bh_admin, code="YJS-LX-001", items=[a, b], **common)
    with pytest.raises(ValidationFailed) as err:
        services.bundle_create(actor=city.lx_admin, code="x", items=[a], **common)
    assert set(err.value.fields) == {"code", "items"}
    with pytest.raises(ValidationFailed) as err:
        services.bundle_create(actor=city.lx_admin, code="YJS-LX-001", items=[a, c], **common)
    assert "无隶属关系" in err.value.fields["items"]
    bundle = services.bundle_create(
        actor=city.lx_admin, code="YJS-LX-001", items=[a, b], promised_limit=5, **common
    )
    assert [m.item_id for m in bundle.members.order_by("order")] == [a.pk, b.pk]
    with pytest.raises(ValidationFailed) as err:
        services.bundle_create(actor=SYSTEM, code="YJS-LX-001", items=[a, b], **common)
    assert err.value.code == "bundle_code_taken"
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems[:5]]
