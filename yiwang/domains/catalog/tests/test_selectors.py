"""Catalogue selectors: same-level report, bundle merge, console queues scoped
by the viewer, portal search (R3.3, R3.4, R3.5, R3.7, R6.5)."""

from __future__ import annotations

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.domains.catalog import public, selectors, services
from yiwang.domains.catalog.models import VersionStatus
from yiwang.domains.catalog.tests.conftest import full_guide, publish_entry, publish_item

pytestmark = pytest.mark.django_db


def test_same_level_differences(catalog_city):
    """R3.3 (平级相同): implementations of one entry in same-level divisions that
    differ in promised limit, materials, fees or steps are reported."""
    city = catalog_city
    entry = publish_entry(city)
    publish_item(city=city, entry=entry, agency=city.lx_scj)
    publish_item(
        city=city,
        entry=entry,
        agency=city.bh_scj,
        guide=full_guide(
            promised_limit=3,
            materials=full_guide()["materials"][:2],
            charges_fee=True,
            fees=[{"name": "工本费", "standard": "10元", "legal_basis": "某文件"}],
        ),
    )
    publish_item(city=city, entry=entry, agency=city.jy_scj)  # same as 梁溪区
    same = publish_entry(city, name="完全相同的事项")
    publish_item(city=city, entry=same, agency=city.lx_scj)
    publish_item(city=city, entry=same, agency=city.bh_scj)

    report = selectors.same_level_differences("county")
    assert [r["entry"].pk for r in report] == [entry.pk]
    row = report[0]
    assert row["name"] == "食品经营许可"
    assert [i["division"] for i in row["items"]] == ["滨湖区", "梁溪区", "江阴市"]
    elements = {d["element"]: d for d in row["differences"]}
    assert set(elements) == {"承诺办结时限", "申请材料数量", "申请材料", "收费"}
    values = {v["division"]: v["value"] for v in elements["承诺办结时限"]["values"]}
    assert values == {"滨湖区": "3工作日", "梁溪区": "5工作日", "江阴市": "5工作日"}
    assert selectors.same_level_differences("county", entry=same) == []
    assert selectors.same_level_differences("city") == []
    only_jy = selectors.same_level_differences("county", within=city.jy)
    assert only_jy == []  # a single implementation there: nothing to compare


def test_bundle_merged_materials_and_form(catalog_city):
    """R6.5: a material needed by several members (same certificate type or
    same name) is asked once and lists them; a field with the same name and
    type is asked once; one with another type is kept apart."""
    city = catalog_city
    food = publish_item(city=city)
    licence = dict(full_guide()["materials"][1], code="biz_licence", name="营业执照（副本）")
    idcard = {
        "code": "id",
        "name": "食品经营许可申请书",  # same name as the food item's application
        "kind": "form",
        "form": "paper",
        "necessity": "optional",
        "copies": 2,
        "source": "applicant",
    }
    fire_guide = full_guide(
        variants=[
            {
                "code": "first",
                "name": "首次申请",
                "form_schema": {
                    "type": "object",
                    "properties": {
                        "applicant_name": {"type": "string", "title": "申请人名称"},
                        "area": {"type": "string", "title": "建筑面积"},
                        "floors": {"type": "integer", "title": "层数"},
                    },
                    "required": ["floors"],
                },
            }
        ],
        materials=[licence, idcard],
    )
    fire = publish_item(
        city=city, agency=city.city_gaj, name="公众聚集场所投入使用前消防安全检查", guide=fire_guide
    )
    bundle = services.bundle_create(
        actor=city.lx_admin,
        code="YJS-CY-001",
        name="开办餐饮店",
        division=city.lx,
        lead_agency=city.lx_scj,
        audience="entity",
        items=[food, fire],
    )
    merged = {m["name"]: m for m in selectors.bundle_merged_materials(bundle)}
    assert set(merged) == {"食品经营许可申请书", "营业执照", "经营场所平面布局图"}
    assert [i["item_id"] for i in merged["营业执照"]["items"]] == [food.pk, fire.pk]
    assert merged["营业执照"]["key"] == "cert:11100000000013338W011"
    application = merged["食品经营许可申请书"]
    assert application["necessity"] == "required" and application["copies"] == 2
    assert len(application["items"]) == 2
    assert [i["item_id"] for i in merged["经营场所平面布局图"]["items"]] == [food.pk]

    form = selectors.bundle_merged_form(bundle)
    props = form["properties"]
    assert set(props) == {"applicant_name", "address", "area", f"area__{fire.pk}", "floors"}
    assert form["x-members"]["applicant_name"] == [food.pk, fire.pk]
    assert set(form["required"]) == {"applicant_name", "address", "floors"}


def test_bundle_keeps_two_documents_of_one_certificate_type_apart(catalog_city):
    """R6.5: 父亲身份证 and 母亲身份证 share a certificate type but are two
    documents; the merged list asks for both, and merges each by name only."""
    city = catalog_city
    id_type = "11100000000013338W001"
    parent_ids = [
        {
            "code": code,
            "name": name,
            "kind": "certificate",
            "form": "electronic",
            "necessity": "required",
            "source": "government",
            "certificate_type_code": id_type,
        }
        for code, name in (("father_id", "父亲居民身份证"), ("mother_id", "母亲居民身份证"))
    ]
    birth = publish_item(city=city, guide=full_guide(materials=parent_ids))
    mother_only = publish_item(
        city=city,
        agency=city.city_gaj,
        name="新生儿入户",
        guide=full_guide(materials=[parent_ids[1]]),
    )
    bundle = services.bundle_create(
        actor=city.lx_admin,
        code="YJS-CS-001",
        name="新生儿出生",
        division=city.lx,
        lead_agency=city.lx_scj,
        audience="person",
        items=[birth, mother_only],
    )
    merged = {m["name"]: m for m in selectors.bundle_merged_materials(bundle)}
    assert set(merged) == {"父亲居民身份证", "母亲居民身份证"}
    assert [i["item_id"] for i in merged["父亲居民身份证"]["items"]] == [birth.pk]
    assert [i["item_id"] for i in merged["母亲居民身份证"]["items"]] == [birth.pk, mother_only.pk]


def test_review_queue_is_scoped_to_the_viewers_centre(catalog_city, django_assert_num_queries):
    """R3.5, R2.2: a centre sees the versions of its own division and below."""
    city = catalog_city
    lx_entry, bh_entry = publish_entry(city), publish_entry(city)
    for entry, agency, editor, division in (
        (lx_entry, city.lx_scj, city.lx_editor, city.lx),
        (bh_entry, city.bh_scj, city.bh_editor, city.bh),
    ):
        v = services.service_item_create(
            actor=editor, entry=entry, agency=agency, division=division, guide=full_guide()
        )
        services.item_version_submit(actor=editor, version=v)

    def names(actor, stage=VersionStatus.SUBMITTED):
        return sorted(v.item.division.name for v in selectors.review_queue(actor, stage=stage))

    assert names(city.lx_admin) == ["梁溪区"]
    assert names(city.bh_admin) == ["滨湖区"]
    assert names(city.city_admin) == ["梁溪区", "滨湖区"]
    assert names(city.lx_editor) == []
    assert names(SYSTEM) == ["梁溪区", "滨湖区"]
    admin = city.city_admin
    admin.agencies_with("catalog.review")  # grants cached as on a real request
    with django_assert_num_queries(3):  # scope, count, rows
        page = selectors.review_queue(admin)
        [(v.item.agency.name, v.entry_version.name) for v in page]


def test_entry_queues(catalog_city):
    """R3.5: entry versions wait for the centre, then the legal reviewer."""
    city = catalog_city
    v = services.catalog_entry_create(
        actor=city.city_editor,
        basic_code="Q00000000001",
        owner=city.city_scj,
        name="排队事项",
        item_type_code="01",
        legal_basis=[{"title": "某法"}],
        exercise_levels=["city"],
    )
    services.catalog_entry_version_submit(actor=city.city_editor, version=v)
    assert [e.pk for e in selectors.entry_queue(city.city_admin)] == [v.pk]
    assert list(selectors.entry_queue(city.lx_admin)) == []
    services.catalog_entry_version_review(actor=city.city_admin, version=v, approve=True)
    assert [e.pk for e in selectors.entry_queue(city.legal, stage="legal_review")] == [v.pk]
    assert list(selectors.entry_queue(city.city_admin, stage="legal_review")) == []


def test_editor_lists_show_only_own_agencies(catalog_city, django_assert_num_queries):
    """R2.2: an editor lists the items of the agencies where they compile, with
    the latest version's status, in one query plus the count."""
    city = catalog_city
    publish_item(city=city)
    publish_item(city=city, agency=city.bh_scj)
    item = publish_item(city=city, name="餐饮服务许可")
    services.item_version_revise(actor=city.lx_editor, item=item, reason="修订")
    editor = city.lx_editor
    editor.agencies_with("catalog.edit")
    with django_assert_num_queries(2):
        page = selectors.items_for_editor(editor)
        rows = [(i.search_name, i.latest_number, i.latest_status, i.agency.name) for i in page]
    assert rows == [
        ("食品经营许可", 1, "published", "无锡市梁溪区市场监督管理局"),
        ("餐饮服务许可", 2, "draft", "无锡市梁溪区市场监督管理局"),
    ] or sorted(rows) == sorted(
        [
            ("食品经营许可", 1, "published", "无锡市梁溪区市场监督管理局"),
            ("餐饮服务许可", 2, "draft", "无锡市梁溪区市场监督管理局"),
        ]
    )
    assert [i.search_name for i in selectors.items_for_editor(editor, status="draft")] == [
        "餐饮服务许可"
    ]
    assert list(selectors.items_for_editor(city.city_admin)) == []


@pytest.mark.parametrize("query", ["食品", "spxk", "spjy", "shipin", "SPXK", "食品经营许可"])
def test_search_matches_name_pinyin_and_initials_in_order(catalog_city, query):
    """R3.4 portal search: name, full pinyin, or the query's letters in order in
    the initials ("spxk" finds 食品经营许可)."""
    item = publish_item(city=catalog_city)
    publish_item(city=catalog_city, name="户口迁移", agency=catalog_city.city_gaj)
    found = [r.implementation_code for r in public.item_search(query)]
    assert found == [item.implementation_code]


def test_search_misses(catalog_city):
    publish_item(city=catalog_city)
    assert list(public.item_search("xksp")) == []
    assert list(public.item_search("驾驶证")) == []


def test_missing_elements_of_a_version(catalog_city):
    """R3.4: the completeness check on a stored version (reused by supervision)."""
    city = catalog_city
    v = services.service_item_create(
        actor=city.lx_editor,
        entry=publish_entry(city),
        agency=city.lx_scj,
        division=city.lx,
        guide={"audience": "person"},
    )
    missing = selectors.item_version_missing(v)
    assert missing[:3] == ["办件类型", "受理条件（受理标准）", "办理项"]
    assert "常见问题" in missing and "服务内容" not in missing
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems[:5]]
