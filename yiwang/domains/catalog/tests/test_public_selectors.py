"""The public reads of the catalogue (yiwang.domains.catalog.public): search by
name, pinyin and initials, filters, browse lists, and the guide read in a
fixed number of queries (R3.4, R3.5, R3.7, R3.8, R4.3, R6.5)."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.errors import NotFound
from yiwang.domains.catalog import public, services
from yiwang.domains.catalog.models import ServiceItem
from yiwang.domains.catalog.tests.conftest import City, full_guide, publish_item

pytestmark = pytest.mark.django_db


def codes(page: Any) -> list[str]:
    return [r.implementation_code for r in page.object_list]


def republish(city: City, item: ServiceItem, **changes: Any) -> ServiceItem:
    """A new version of ``item`` with ``changes``, taken through review and publish."""
    editor = city.editors[item.agency_id]
    admin = city.centre_admins[item.division_id]
    v = services.item_version_revise(actor=editor, item=item, reason="调整办事指南")
    v = services.item_version_update(actor=editor, version=v, guide=changes)  # type: ignore[arg-type]
    v = services.item_version_submit(actor=editor, version=v)
    v = services.item_version_review(actor=admin, version=v, approve=True)
    services.item_version_publish(actor=admin, version=v)
    return ServiceItem.objects.get(pk=item.pk)


@pytest.fixture
def shelf(catalog_city: City) -> dict[str, ServiceItem]:
    """A few published items across agencies, divisions, audiences, topics and tags."""
    c = catalog_city
    services.topic_create(
        actor=SYSTEM, kind="life_event", code="birth", name="出生", audience="person"
    )
    services.topic_create(
        actor=SYSTEM, kind="theme", code="open_business", name="开办企业", audience="entity"
    )
    food = publish_item(
        city=c,
        name="食品经营许可",
        guide=full_guide(audience="entity"),
        tags=("wangshang", "mashang"),
        topics=("open_business",),
    )
    small = publish_item(
        city=c,
        name="小餐饮食品经营许可",
        agency=c.jy_scj,
        division=c.town,
        guide=full_guide(audience="entity"),
        tags=("jiujin",),
    )
    birth = publish_item(
        city=c,
        name="出生医学证明",
        agency=c.city_gaj,
        guide=full_guide(audience="person"),
        topics=("birth",),
    )
    both = publish_item(city=c, name="户外广告设置许可", agency=c.bh_scj)
    return {"food": food, "small": small, "birth": birth, "both": both}


def test_search_by_chinese_text_pinyin_and_initials(shelf):
    """R3.4: the portal search finds 食品经营许可 by 食品, by its full pinyin
    (shipin) and by its pinyin initials in order (spxk ⊂ spjyxk)."""
    food, small = shelf["food"].implementation_code, shelf["small"].implementation_code
    assert set(codes(public.item_search("食品"))) == {food, small}
    assert set(codes(public.item_search("shipin"))) == {food, small}
    assert set(codes(public.item_search("SPXK"))) == {food, small}
    assert set(codes(public.item_search("spjyxk"))) == {food, small}
    assert codes(public.item_search("xcy")) == [small]
    assert codes(public.item_search("csyxzm")) == [shelf["birth"].implementation_code]
    assert codes(public.item_search("ksxp")) == []  # letters out of order
    assert codes(public.item_search("不存在的事项")) == []
    # several words must all match
    assert codes(public.item_search("食品 小餐饮")) == [small]
    assert codes(public.item_search("  食品   xcy ")) == [small]


def test_search_ranks_exact_name_then_name_then_pinyin(shelf):
    """An exact name ranks first, then names that contain the text."""
    food, small = shelf["food"].implementation_code, shelf["small"].implementation_code
    assert codes(public.item_search("食品经营许可")) == [food, small]
    assert codes(public.item_search("小餐饮食品经营许可")) == [small]
    # no text: every public item, sorted by pinyin
    assert len(codes(public.item_search(""))) == 4


def test_filters_audience_topic_tag_agency_division(shelf, catalog_city):
    """R3.7: special-service lists; browsing by audience, life event/theme,
    department and division (a division includes the ones below it)."""
    c = catalog_city
    food, small, birth, both = (
        shelf[k].implementation_code for k in ("food", "small", "birth", "both")
    )
    assert set(codes(public.item_search(audience="person"))) == {birth, both}
    assert set(codes(public.item_search(audience="entity"))) == {food, small, both}
    assert codes(public.item_search(topic_code="birth")) == [birth]
    assert codes(public.item_search(topic_code="open_business")) == [food]
    assert codes(public.item_search(tag_code="jiujin")) == [small]
    assert codes(public.item_search(tag_code="mashang")) == [food]
    assert codes(public.item_search(tag_code="kuasheng")) == []
    assert codes(public.item_search(agency_id=c.city_gaj.pk)) == [birth]
    assert set(codes(public.item_search(division_code="320200"))) == {food, small, birth, both}
    assert codes(public.item_search(division_code="320281")) == [small]
    assert codes(public.item_search(division_code="320281107000")) == [small]
    assert codes(public.item_search(division_code="320213")) == [food]
    assert codes(public.item_search("食品", division_code="320213", audience="entity")) == [food]


def test_rows_carry_what_a_list_shows(shelf):
    row = public.item_search("食品经营许可").object_list[0]
    assert row.name == "食品经营许可"
    assert row.item_type == "行政许可"
    assert row.agency_name == "无锡市梁溪区市场监督管理局"
    assert row.division_name == "梁溪区"
    assert (row.online_depth, row.onsite_trips) == (4, 0)
    assert (row.promised_limit, row.promised_unit_name) == (5, "工作日")
    assert [name for _, name in row.tags] == ["马上办", "网上办"]
    assert row.lifecycle == "active" and not row.suspended


def test_search_is_four_queries_whatever_the_page(shelf, django_assert_num_queries):
    """R3.4: from the search table, the count (for everything: the cached
    statistics, one query once cached), the ids of the page in order, their
    rows by primary key, their tags."""
    public.item_search("", per_page=20)
    with django_assert_num_queries(4):
        page = public.item_search("", per_page=20)
        assert len(page.object_list) == 4
    with django_assert_num_queries(4):
        page = public.item_search("spxk", audience="entity", division_code="320200")
        assert len(page.object_list) == 2
    with django_assert_num_queries(1):  # nothing found: the count alone
        assert public.item_search("无此事项").object_list == []


def test_pagination(shelf):
    page = public.item_search("", per_page=3)
    assert (page.paginator.count, page.paginator.num_pages, len(page.object_list)) == (4, 2, 3)
    page2 = public.item_search("", page=2, per_page=3)
    assert len(page2.object_list) == 1
    assert public.item_search("", page="x", per_page=3).number == 1
    assert public.item_search("", page=99, per_page=3).number == 2


def test_drafts_are_not_public(catalog_city):
    """Only published items are listed (R3.5)."""
    from yiwang.domains.catalog.tests.conftest import publish_entry

    entry = publish_entry(catalog_city, name="食品生产许可")
    services.service_item_create(
        actor=catalog_city.lx_editor,
        entry=entry,
        agency=catalog_city.lx_scj,
        division=catalog_city.lx,
        guide=full_guide(),
    )
    assert public.item_search("食品").paginator.count == 0
    assert public.divisions_with_items() == []


def test_suspended_item_stays_public_with_its_reason(shelf, catalog_city):
    """R4.3: a suspended item stays public and says why."""
    food = shelf["food"]
    services.service_item_suspend(
        actor=catalog_city.lx_admin, item=food, reason="off_cycle", note="每年3月集中办理"
    )
    row = public.item_search("食品经营许可").object_list[0]
    assert row.suspended
    assert row.suspend_reason_name == "周期性事项不在办理期"
    assert row.suspend_note == "每年3月集中办理"
    version = public.guide_detail(food.implementation_code)
    assert version.item.lifecycle == "suspended"
    assert version.item.get_suspend_reason_display() == "周期性事项不在办理期"


def test_cancelled_item_leaves_lists_but_old_versions_stay_readable(shelf, catalog_city):
    """R3.5: a cancelled item is gone from lists and its current guide 404s,
    but its published versions stay readable by number."""
    food = shelf["food"]
    services.service_item_cancel(actor=catalog_city.lx_admin, item=food, note="法律修改取消")
    assert food.implementation_code not in codes(public.item_search("食品"))
    with pytest.raises(NotFound):
        public.guide_detail(food.implementation_code)
    old = public.guide_detail(food.implementation_code, 1)
    assert old.number == 1 and old.promised_limit == 5
    assert not old.is_current or old.item.lifecycle == "cancelled"
    assert {t.code: t.item_count for t in public.tag_list()}["mashang"] == 0


def test_old_version_keeps_old_content(shelf, catalog_city):
    """R3.5: after a new version is published, version 1 still reads as before."""
    food = republish(catalog_city, shelf["food"], promised_limit=3, hours="周一至周六 9:00-17:00")
    new = public.guide_detail(food.implementation_code)
    old = public.guide_detail(food.implementation_code, 1)
    assert (new.number, new.promised_limit, new.is_current) == (2, 3, True)
    assert (old.number, old.promised_limit, old.is_current) == (1, 5, False)
    assert old.status == "superseded" and old.valid_to is not None
    assert [v.number for v in new.item.public_versions] == [2, 1]
    with pytest.raises(NotFound):
        public.guide_detail(food.implementation_code, 3)
    with pytest.raises(NotFound):
        public.guide_detail("NO-SUCH-CODE")


def test_unpublished_draft_version_is_not_readable(shelf, catalog_city):
    food = shelf["food"]
    services.item_version_revise(actor=catalog_city.lx_editor, item=food, reason="调整")
    with pytest.raises(NotFound):
        public.guide_detail(food.implementation_code, 2)
    assert public.guide_detail(food.implementation_code).number == 1


def test_guide_detail_loads_everything_in_ten_queries(
    shelf, catalog_city, django_assert_num_queries
):
    """R3.4: the guide with every element — entry version, type, agency,
    division, variants, materials, steps (with role names), fees, FAQs,
    windows with halls, tags, published versions — in a fixed number of
    queries, whatever the guide's size."""
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
    windows = [
        window_create(
            actor=SYSTEM,
            hall=hall,
            number=str(n),
            name="市场准入窗口",
            kind="agency",
            agencies=[c.lx_scj],
        )
        for n in (11, 12)
    ]
    big = full_guide(
        window_ids=[w.pk for w in windows],
        charges_fee=True,
        fees=[
            {"name": "工本费", "standard": "10元/证", "legal_basis": "苏价费〔2020〕1号"},
            {"name": "检测费", "standard": "按实收取", "legal_basis": "苏价费〔2020〕2号"},
        ],
        faqs=[{"question": f"问题{i}", "answer": f"解答{i}"} for i in range(6)],
    )
    big["materials"] = big["materials"] + [
        {
            "code": f"extra{i}",
            "name": f"补充材料{i}",
            "kind": "other",
            "form": "paper",
            "necessity": "optional",
            "source": "applicant",
        }
        for i in range(8)
    ]
    item = republish(c, shelf["food"], **big)
    with django_assert_num_queries(10):
        v = public.guide_detail(item.implementation_code)
        assert v.entry_version.name == "食品经营许可"
        assert v.entry_version.item_type.name == "行政许可"
        assert v.entry_version.entry.basic_code
        assert v.item.agency.name and v.item.division.name
        assert len(v.variants.all()) == 2
        materials = list(v.materials.all())
        assert len(materials) == 11
        assert [m.variant.code for m in materials if m.variant_id] == ["first"]
        steps = list(v.steps.all())
        assert [s.role_name for s in steps][:2] == ["窗口受理人员", "审查人员"]
        assert steps[2].is_special
        assert len(v.fees.all()) == 2 and len(v.faqs.all()) == 6
        assert [(w.hall.name, w.number) for w in v.windows.all()] == [
            ("梁溪区政务服务中心", "11"),
            ("梁溪区政务服务中心", "12"),
        ]
        assert [t.code for t in v.item.tags.all()] == ["mashang", "wangshang"]
        assert [h.number for h in v.item.public_versions] == [2, 1]
    with django_assert_num_queries(10):
        public.guide_detail(item.implementation_code, 1)


def test_browse_lists(shelf, catalog_city, django_assert_num_queries):
    """R3.4, R3.7: topics, tags, departments and divisions, each with counts;
    the counted lists are cached, so again they cost one query (the tokens)."""
    life = public.topic_list(kind="life_event")
    assert [(t.code, t.item_count) for t in life] == [("birth", 1)]
    with django_assert_num_queries(1):
        again = public.topic_list(kind="life_event")
    assert [(t.code, t.item_count) for t in again] == [("birth", 1)]
    tags = {t.code: t.item_count for t in public.tag_list()}
    with django_assert_num_queries(1):
        assert {t.code: t.item_count for t in public.tag_list()} == tags
    assert tags["wangshang"] == 1 and tags["jiujin"] == 1 and tags["kuasheng"] == 0
    assert len(tags) == 11
    public.departments_by_division()
    with django_assert_num_queries(1):
        groups = public.departments_by_division()
    assert [(g.name, [d.name for d in g.departments]) for g in groups] == [
        ("无锡市", ["无锡市公安局"]),
        ("滨湖区", ["无锡市滨湖区市场监督管理局"]),
        ("梁溪区", ["无锡市梁溪区市场监督管理局"]),
        ("华士镇", ["江阴市市场监督管理局"]),
    ]
    assert [g.name for g in public.departments_by_division("320281")] == ["华士镇"]
    public.divisions_with_items()
    with django_assert_num_queries(1):
        divisions = public.divisions_with_items()
    assert [(d.name, d.item_count) for d in divisions] == [
        ("无锡市", 1),
        ("滨湖区", 1),
        ("梁溪区", 1),
        ("华士镇", 1),
    ]
    assert public.topic_by_code("birth").name == "出生"
    with pytest.raises(NotFound):
        public.topic_by_code("birth", kind="theme")
    with pytest.raises(NotFound):
        public.tag_by_code("nope")


def test_bundles_and_entries(shelf, catalog_city, django_assert_num_queries):
    """R6.5: bundles list with member counts; R3.2: an entry with its implementations."""
    c = catalog_city
    services.bundle_create(
        actor=c.city_admin,
        code="YJS320200001",
        name="开办餐饮店",
        division=c.city,
        lead_agency=c.city_scj,
        audience="entity",
        items=[shelf["food"], shelf["both"]],
        promised_limit=5,
    )
    with django_assert_num_queries(1):
        bundles = public.bundle_list()
    assert [(b.code, b.member_count) for b in bundles] == [("YJS320200001", 2)]
    assert public.bundle_list(audience="person") == []
    with django_assert_num_queries(2):
        b = public.bundle_by_code("YJS320200001")
        names = [m.item.current.entry_version.name for m in b.members.all()]
    assert names == ["食品经营许可", "户外广告设置许可"]
    with pytest.raises(NotFound):
        public.bundle_by_code("NONE")
    entry = public.entry_by_basic_code(shelf["food"].entry.basic_code)
    assert entry.current.name == "食品经营许可"
    assert [i.implementation_code for i in entry.public_items] == [
        shelf["food"].implementation_code
    ]
    with pytest.raises(NotFound):
        public.entry_by_basic_code("NOPE")


def test_initials_pattern_and_query_normalising():
    assert public.initials_pattern("spxk") == "%s%p%x%k%"
    assert public.normalise_query("  食品   经营 ") == "食品 经营"
    assert len(public.normalise_query("食" * 200)) == 64
    assert public.normalise_query(None) == ""
