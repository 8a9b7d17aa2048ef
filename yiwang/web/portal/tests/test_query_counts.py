"""Query counts of the portal's busiest pages (issue 6): the guide page, the
search page and the applicant's case list cost a fixed number of queries
however many items, materials or cases they show."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yiwang.domains.catalog.tests.conftest import publish_item
from yiwang.web.console.cases.tests.test_views import submitted

GUIDE_MAX = 15
SEARCH_MAX = 20
MY_CASES_MAX = 15


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_guide_page_uncached_and_cached(client, case_world, django_assert_max_num_queries):
    """R3.4: the guide page of an item with its materials, steps, fees and
    FAQs costs at most GUIDE_MAX queries when nothing is cached, and at most
    two (the item's key, the session-less page) once it is."""
    url = f"/items/{case_world.item.implementation_code}/"
    cache.clear()
    with django_assert_max_num_queries(GUIDE_MAX):
        body = client.get(url).content.decode()
    assert "食品经营许可" in body
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
    client.force_login(case_world.applicant.user)
    cache.clear()
    with django_assert_max_num_queries(GUIDE_MAX + 5):
        assert client.get(url).status_code == 200


def test_search_page_does_not_grow_with_results(client, case_world, django_assert_max_num_queries):
    """R3.4: the search page costs at most SEARCH_MAX queries, and as many
    for 21 matching items as for one."""
    url = "/items/?q=食品"
    cache.clear()
    one = _queries(client, url)
    for i in range(20):
        publish_item(city=case_world, name=f"食品生产许可{i:02d}")
    cache.clear()
    with django_assert_max_num_queries(SEARCH_MAX):
        body = client.get(url).content.decode()
    assert body.count("食品生产许可") >= 19  # a page holds 20 of the 21
    cache.clear()
    assert _queries(client, url) == one


def test_my_cases_does_not_grow_with_cases(client, case_world, django_assert_max_num_queries):
    """R5.7: the applicant's case list costs at most MY_CASES_MAX queries, as
    many for a full page of 21 cases as for one."""
    w = case_world
    client.force_login(w.applicant.user)
    submitted(w)
    one = _queries(client, "/my/cases/")
    for _ in range(20):
        submitted(w)
    with django_assert_max_num_queries(MY_CASES_MAX):
        body = client.get("/my/cases/").content.decode()
    assert body.count("/my/cases/3") >= 20
    assert _queries(client, "/my/cases/") == one


def test_a_visitors_search_page_is_cached_until_the_catalogue_changes(
    client, case_world, django_assert_max_num_queries
):
    """R3.4: a search repeated by visitors without a session costs one query
    (the catalogue's tokens) and gives the same page; an item published since
    shows at once; a logged-in applicant gets a page of their own."""
    url = "/items/?q=食品"
    cache.clear()
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(1):
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert "Cookie" in again["Vary"]

    publish_item(city=case_world, name="食品小作坊登记")
    fresh = client.get(url).content.decode()
    assert "食品小作坊登记" in fresh and "食品小作坊登记" not in first.content.decode()

    client.force_login(case_world.applicant.user)
    mine = client.get(url).content.decode()
    assert "退出" in mine and "退出" not in fresh
