"""Query counts of the console's case pages (issue 6): the queue page and the
case page cost a fixed number of queries however many cases, steps, events
and materials they show, so an N+1 cannot creep back unnoticed."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yiwang.domains.cases import services
from yiwang.domains.cases.tests.conftest import pdf
from yiwang.web.console.cases.tests.test_views import fresh, login, submitted

QUEUE = reverse("console:cases:queue")
QUEUE_MAX = 20
CASE_PAGE_MAX = 40


def _queries(client: Any, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queue_page_with_a_full_page_of_cases(client, case_world, django_assert_max_num_queries):
    """R2.2: the 待受理 queue with 21 cases (a full page and one more) and the
    审查中 queue cost at most QUEUE_MAX queries, as many as with one case."""
    w = case_world
    login(client, w.clerk)
    submitted(w)
    one = _queries(client, QUEUE)
    for i in range(20):
        submitted(w, who=w.applicant2 if i % 2 else None)
    with django_assert_max_num_queries(QUEUE_MAX):
        body = client.get(QUEUE).content.decode()
    assert body.count('href="/console/cases/3') >= 20
    assert _queries(client, QUEUE) <= one
    cases = w_cases(w, 6)
    for case in cases[:2]:
        services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    login(client, w.reviewer)
    _queries(client, QUEUE, {"tab": "handling"})  # the first request after login
    few = _queries(client, QUEUE, {"tab": "handling"})
    for case in cases[2:]:
        services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    with django_assert_max_num_queries(QUEUE_MAX):
        body = client.get(QUEUE, {"tab": "handling"}).content.decode()
    assert all(c.number in body for c in cases)
    assert _queries(client, QUEUE, {"tab": "handling"}) <= few


def w_cases(w: Any, n: int) -> list[Any]:
    from yiwang.domains.cases.models import Case

    return list(Case.objects.filter(status="submitted").order_by("pk")[:n])


def test_case_page_does_not_grow_with_its_history(
    client, case_world, django_assert_max_num_queries
):
    """R5.7, R6.9: the case page (steps, timeline, materials, documents)
    costs at most CASE_PAGE_MAX queries and no more for a longer history."""
    w = case_world
    case = submitted(w)
    services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    login(client, w.reviewer)
    url = reverse("console:cases:case", args=[case.number])
    with django_assert_max_num_queries(CASE_PAGE_MAX):
        assert client.get(url).status_code == 200
    before = _queries(client, url)
    # More history: a correction asked and answered (events, a notice, a pause,
    # a replaced file), then the review step done.
    services.case_request_correction(
        actor=fresh(w.reviewer), case_id=case.pk, lines=[{"code": "application", "problem": "缺页"}]
    )
    services.case_material_upload(
        actor=w.applicant, case_id=case.pk, code="application", data=pdf("补正"), filename="a.pdf"
    )
    services.case_resubmit(actor=w.applicant, case_id=case.pk)
    step = case.steps.get(status="active")
    services.case_step_complete(actor=fresh(w.reviewer), step_id=step.pk, opinion="审查通过")
    assert _queries(client, url) <= before
