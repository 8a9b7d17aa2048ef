"""The portal's search table and caches (R3.4, R3.7): the table follows every
catalogue write in the same transaction, the search reads it in a fixed
number of queries, the cached counts and guide pages change as soon as a
write changes what they show, and a write that rolls back changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from yiwang.core.actors import SYSTEM
from yiwang.core.checkdigits import make_resident_id
from yiwang.domains.catalog import public, services
from yiwang.domains.catalog.models import ItemSearchRow, SearchKey, ServiceItem, Tag
from yiwang.domains.catalog.search_index import (
    generation,
    search_row_refresh,
    search_rows_differences,
)
from yiwang.domains.catalog.tests.conftest import City, full_guide, publish_entry, publish_item
from yiwang.domains.catalog.tests.test_public_selectors import republish

pytestmark = pytest.mark.django_db


def codes(page: Any) -> list[str]:
    return [r.implementation_code for r in page.object_list]


def row_of(item: ServiceItem) -> ItemSearchRow | None:
    return ItemSearchRow.objects.filter(item_id=item.pk).select_related("key").first()


def in_step() -> None:
    assert search_rows_differences() == []


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def food(catalog_city: City) -> ServiceItem:
    return publish_item(
        city=catalog_city,
        name="食品经营许可",
        guide=full_guide(audience="entity"),
        tags=("wangshang",),
    )


# --- the search table follows the writes ------------------------------------------


def test_row_appears_on_publish_only(catalog_city):
    """R3.4: a draft item has no search row; publishing makes one, in the
    same transaction, with the item's name, pinyin keys and current version."""
    c = catalog_city
    draft = services.service_item_create(
        actor=c.editors[c.lx_scj.pk],
        entry=publish_entry(c, name="食品经营许可"),
        agency=c.lx_scj,
        division=c.lx,
        guide=full_guide(),
    )
    assert row_of(draft.item) is None
    in_step()
    item = publish_item(city=c, name="小餐饮经营许可")
    row = row_of(item)
    assert row is not None
    assert (row.key.name, row.key.initials, row.key.pinyin) == (
        "小餐饮经营许可",
        "xcyjyxk",
        "xiaocanyinjingyingxuke",
    )
    assert row.version_id == item.current_id and row.implementation_code == item.implementation_code
    assert (row.agency_id, row.division_code, row.lifecycle) == (c.lx_scj.pk, "320213", "active")
    in_step()


def test_row_follows_publish_suspend_resume_classify_cancel(catalog_city, food):
    """R3.4, R3.7, R4.3: each write rewrites the row (new stamp) in its own
    transaction; the search finds the item while it is public and not after
    it is cancelled."""
    c = catalog_city
    admin = c.centre_admins[food.division_id]
    first = row_of(food)
    assert first is not None and codes(public.item_search("spxk")) == [food.implementation_code]

    food = republish(c, food, promised_limit=5)
    second = row_of(food)
    assert second is not None
    assert second.version_id == food.current_id != first.version_id
    assert second.stamp != first.stamp
    in_step()

    services.service_item_suspend(actor=admin, item=food, reason="off_cycle", note="年审期间")
    suspended = row_of(food)
    assert suspended is not None and suspended.lifecycle == "suspended"
    assert suspended.stamp != second.stamp
    assert codes(public.item_search("食品")) == [food.implementation_code]
    in_step()

    services.service_item_resume(actor=admin, item=ServiceItem.objects.get(pk=food.pk))
    resumed = row_of(food)
    assert resumed is not None and resumed.lifecycle == "active"
    in_step()

    assert codes(public.item_search(tag_code="mashang")) == []
    services.service_item_set_classification(
        actor=admin,
        item=ServiceItem.objects.get(pk=food.pk),
        tags=["mashang"],
        topics=[],
        audience="both",
    )
    classified = row_of(food)
    assert classified is not None and classified.audience == "both"
    assert classified.stamp != resumed.stamp
    assert codes(public.item_search(tag_code="mashang")) == [food.implementation_code]
    assert codes(public.item_search(tag_code="wangshang")) == []
    assert codes(public.item_search("食品", audience="person")) == [food.implementation_code]
    in_step()

    services.service_item_cancel(actor=admin, item=ServiceItem.objects.get(pk=food.pk), note="撤销")
    assert row_of(food) is None
    assert public.item_search("食品").paginator.count == 0
    assert public.item_search(tag_code="mashang").paginator.count == 0
    in_step()


def test_failed_write_leaves_row_and_tokens(catalog_city, food):
    """R3.4: the row and the tokens are written in the transaction of the
    change, so a change that rolls back leaves both as they were."""
    admin = catalog_city.centre_admins[food.division_id]
    before_row = row_of(food)
    before_tokens = generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.service_item_suspend(actor=admin, item=food, reason="off_cycle", note="年审期间")
        raise RuntimeError("rolled back")
    after = row_of(food)
    assert after is not None and before_row is not None
    assert (after.lifecycle, after.stamp) == ("active", before_row.stamp)
    assert generation() == before_tokens


def test_reindex_command_checks_and_rebuilds(catalog_city, food):
    """R3.4: ``catalog_reindex --check`` reports a table out of step with the
    items; ``catalog_reindex`` rebuilds it and drops names no item uses."""
    other = publish_item(city=catalog_city, name="户外广告设置许可", agency=catalog_city.bh_scj)
    call_command("catalog_reindex", "--check")
    ItemSearchRow.objects.filter(item_id=other.pk).delete()
    ItemSearchRow.objects.filter(item_id=food.pk).update(lifecycle="suspended")
    SearchKey.objects.create(name="无人使用的名称")
    with pytest.raises(CommandError, match="2 处"):
        call_command("catalog_reindex", "--check")
    tokens = generation()
    call_command("catalog_reindex")
    call_command("catalog_reindex", "--check")
    assert not SearchKey.objects.filter(name="无人使用的名称").exists()
    assert generation() != tokens
    assert search_row_refresh([]) == 0


# --- the search -----------------------------------------------------------------


def test_search_queries_do_not_grow_with_items_or_pages(
    catalog_city, django_assert_max_num_queries
):
    """R3.4: a search page is at most four queries (count, ids in order, rows,
    tags) whichever page, filters and number of matches; the words are
    matched against distinct names, and many items share one name."""
    c = catalog_city
    made = [publish_item(city=c, name="食品经营许可", tags=("wangshang", "mashang"))]
    for agency in (c.bh_scj, c.jy_scj, c.city_scj):
        made.append(publish_item(city=c, name="食品经营许可", agency=agency, tags=("wangshang",)))
    made.append(publish_item(city=c, name="食品生产许可"))
    made.append(publish_item(city=c, name="食品", agency=c.bh_scj))
    assert SearchKey.objects.filter(name="食品经营许可").count() == 1
    for page in (1, 2, 3):
        with django_assert_max_num_queries(4):
            result = public.item_search("食品", page=page, per_page=2)
            rows = list(result.object_list)
        assert result.paginator.count == 6 and len(rows) == 2
    with django_assert_max_num_queries(4):
        result = public.item_search(
            "shipin xuke", audience="entity", tag_code="wangshang", division_code="320200"
        )
        assert len(result.object_list) == 4
    # Exact name first, then names containing the query, then pinyin matches.
    ranked = codes(public.item_search("食品", per_page=10))
    assert ranked[0] == made[-1].implementation_code
    names = [r.name for r in public.item_search("spjy", per_page=10).object_list]
    assert names == ["食品经营许可"] * 4 and "食品生产许可" not in names


def test_several_words_must_all_match(catalog_city):
    """R3.4: every word must match, each in any of the ways."""
    c = catalog_city
    food = publish_item(city=c, name="食品经营许可")
    publish_item(city=c, name="食品生产许可", agency=c.bh_scj)
    assert codes(public.item_search("食品 jingying")) == [food.implementation_code]
    assert codes(public.item_search("sp jyxk")) == [food.implementation_code]
    assert codes(public.item_search("食品 驾驶")) == []


# --- cached counts ----------------------------------------------------------------


def test_cached_counts_change_with_the_catalogue(catalog_city, food):
    """R3.4, R3.7: the topic, tag and division counts are cached; publishing,
    cancelling and renaming reference data each show at once."""
    c = catalog_city
    services.topic_create(
        actor=SYSTEM, kind="theme", code="open_business", name="开办企业", audience="entity"
    )
    tags = {t.code: t.item_count for t in public.tag_list()}
    assert tags["wangshang"] == 1
    assert [(t.code, t.item_count) for t in public.topic_list(kind="theme")] == [
        ("open_business", 0)
    ]
    assert [(d.code, d.item_count) for d in public.divisions_with_items()] == [("320213", 1)]

    other = publish_item(
        city=c,
        name="户外广告设置许可",
        agency=c.bh_scj,
        tags=("wangshang",),
        topics=("open_business",),
    )
    assert {t.code: t.item_count for t in public.tag_list()}["wangshang"] == 2
    assert [t.item_count for t in public.topic_list(kind="theme")] == [1]
    assert [(d.code, d.item_count) for d in public.divisions_with_items()] == [
        ("320211", 1),
        ("320213", 1),
    ]

    services.service_item_cancel(actor=c.centre_admins[other.division_id], item=other, note="撤销")
    assert {t.code: t.item_count for t in public.tag_list()}["wangshang"] == 1
    assert [t.item_count for t in public.topic_list(kind="theme")] == [0]

    tag = Tag.objects.get(code="wangshang")
    tag.name = "全程网办"
    tag.save()
    assert "全程网办" in [t.name for t in public.tag_list()]


# --- the guide page cache -----------------------------------------------------------


def guide_url(item: ServiceItem) -> str:
    return f"/items/{item.implementation_code}/"


def test_guide_page_hit_is_one_query_and_the_same_bytes(
    catalog_city, food, django_assert_max_num_queries
):
    """R3.4: once rendered, the current guide is served from the cache for
    one indexed query, byte for byte what an uncached render gives."""
    client = Client()
    first = client.get(guide_url(food))
    with django_assert_max_num_queries(1):
        again = client.get(guide_url(food))
    assert again.content == first.content
    number = ServiceItem.objects.get(pk=food.pk).current.number  # type: ignore[union-attr]
    uncached = client.get(f"{guide_url(food)}?version={number}")
    assert uncached.content == first.content
    big = client.get(guide_url(food), HTTP_COOKIE="large_font=1")
    assert 'class="large-font"' in html(big) and 'class="large-font"' not in html(first)


def test_guide_page_changes_with_each_write(catalog_city, food):
    """R3.4, R3.7, R4.3: a new version, a suspension, a resumption, a tag
    change and a cancellation each show on the next visit."""
    c = catalog_city
    admin = c.centre_admins[food.division_id]
    client = Client()
    assert "第 1 版" in html(client.get(guide_url(food)))

    food = republish(c, food, promised_limit=7)
    page = html(client.get(guide_url(food)))
    assert "第 2 版" in page and "7 个工作日" in page

    services.service_item_suspend(actor=admin, item=food, reason="off_cycle", note="年审期间")
    page = html(client.get(guide_url(food)))
    assert 'id="suspended"' in page and "年审期间" in page

    services.service_item_resume(actor=admin, item=ServiceItem.objects.get(pk=food.pk))
    assert 'id="suspended"' not in html(client.get(guide_url(food)))

    services.service_item_set_classification(
        actor=admin, item=ServiceItem.objects.get(pk=food.pk), tags=["mashang"], topics=[]
    )
    tags = re.search(
        r'<section[^>]*id="tags".*?</section>', html(client.get(guide_url(food))), re.S
    )
    assert tags and "马上办" in tags.group(0) and "网上办" not in tags.group(0)

    services.service_item_cancel(actor=admin, item=ServiceItem.objects.get(pk=food.pk), note="撤销")
    assert client.get(guide_url(food)).status_code == 404


def test_guide_page_changes_with_reference_data(catalog_city, food):
    """R3.4: renaming the agency or a window's hall shown on the guide shows
    on the next visit (orgs writes change the catalogue's reference token)."""
    from yiwang.domains.orgs.services import agency_update

    client = Client()
    assert "无锡市梁溪区市场监督管理局" in html(client.get(guide_url(food)))
    agency_update(actor=SYSTEM, agency=catalog_city.lx_scj, name="梁溪区市场监管局")
    page = html(client.get(guide_url(food)))
    assert "梁溪区市场监管局" in page and "无锡市梁溪区市场监督管理局" not in page


def test_logged_in_visitor_gets_the_cached_guide_in_their_own_header(catalog_city, food):
    """R3.4: the header still shows who is logged in; only the guide below
    it comes from the cache, and the anonymous page is not served to them."""
    from yiwang.domains.accounts.services import person_register

    anonymous = Client()
    assert "退出" not in html(anonymous.get(guide_url(food)))
    person = person_register(
        actor=SYSTEM,
        name="王建国",
        id_number=make_resident_id("320213", dt.date(1962, 3, 14), 31),
        phone="13951010001",
        password="Yiwang@2026x",
    )
    client = Client()
    client.force_login(person.user)
    page = html(client.get(guide_url(food)))
    assert '<span class="who">' in page and "退出" in page
    assert 'id="guide-title"' in page
    assert "登录</a>" not in page
