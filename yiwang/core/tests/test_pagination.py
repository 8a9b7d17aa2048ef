"""The capped pager: counts stop at the cap and say so (R2.2)."""

from __future__ import annotations

import pytest

from yiwang.core.models import AuditEntry
from yiwang.core.pagination import CappedPaginator


def test_a_list_under_the_cap_is_counted_exactly() -> None:
    """R2.2: short lists show their exact total."""
    p = CappedPaginator(list(range(7)), 5, cap=10)
    assert (p.count, p.capped, p.num_pages) == (7, False, 2)


def test_a_list_past_the_cap_stops_counting_and_says_so() -> None:
    """R2.2: past the cap the total is cap and flagged, and the pages stop there."""
    p = CappedPaginator(list(range(25)), 5, cap=10)
    assert (p.count, p.capped, p.num_pages) == (10, True, 2)
    assert list(p.get_page(2).object_list) == [5, 6, 7, 8, 9]


def test_known_count_is_taken_as_given() -> None:
    p = CappedPaginator([], 5, cap=10, known_count=123)
    assert (p.count, p.capped) == (123, False)


@pytest.mark.django_db
def test_a_queryset_is_counted_with_at_most_cap_plus_one_rows(
    django_assert_num_queries: object,
) -> None:
    """A queryset is counted by one query that reads at most cap + 1 keys."""
    from django.db import transaction

    from yiwang.core.actors import SYSTEM
    from yiwang.core.audit import audit_append

    with transaction.atomic():
        for i in range(6):
            audit_append(actor=SYSTEM, action="test", object_type="t", object_id=str(i))
    p = CappedPaginator(AuditEntry.objects.filter(action="test").order_by("id"), 2, cap=4)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert (p.count, p.capped) == (4, True)
    p2 = CappedPaginator(AuditEntry.objects.filter(action="test"), 2, cap=6)
    assert (p2.count, p2.capped) == (6, False)
