"""Work queues and case search as rewritten for province scale (issue 6):
a number-shaped search is a prefix match on the case number, and the 审查中
queue matches the viewer's roles agency by agency."""

from __future__ import annotations

from yiwang.core.actors import SYSTEM
from yiwang.domains.cases import selectors, services
from yiwang.domains.cases.tests.test_services import accepted, fresh, submitted
from yiwang.domains.orgs.models import Role
from yiwang.domains.orgs.services import _grant


def _numbers(page) -> list[str]:
    return sorted(c.number for c in page.object_list)


def test_number_shaped_search_matches_the_number_by_prefix(case_world):
    """R2.2: a case number, whole or its leading part (division code, date),
    finds exactly the cases whose number starts so, in the viewer's agencies;
    other text still searches inside numbers, titles and names."""
    w = case_world
    one = submitted(w)
    two = submitted(w, key="second")
    clerk = fresh(w.clerk)
    county, day, serial = one.number.split("-")
    both = sorted([one.number, two.number])

    assert _numbers(selectors.case_search(clerk, q=one.number)) == [one.number]
    assert _numbers(selectors.case_search(clerk, q=f"{county}-{day}")) == both
    assert _numbers(selectors.case_search(clerk, q=f"{county}-{day}-")) == both
    assert _numbers(selectors.case_search(clerk, q=county)) == both
    # A longer number than any case's, and a neighbouring division code: nothing.
    assert _numbers(selectors.case_search(clerk, q=one.number + "9")) == []
    assert _numbers(selectors.case_search(clerk, q=str(int(county) + 1))) == []
    # Six digits from inside the number (the date) are not its start: no match.
    assert _numbers(selectors.case_search(clerk, q=day[1:7])) == []
    # Not number-shaped: still a substring of the number (the serial alone).
    assert one.number in _numbers(selectors.case_search(clerk, q=f"-{serial}"))
    # The same prefix in a queue, and for staff of another agency.
    assert _numbers(selectors.case_queue(clerk, "intake", q=f"{county}-{day}")) == both
    assert _numbers(selectors.case_search(fresh(w.outsider), q=one.number)) == []


def test_handling_queue_takes_the_roles_held_at_the_cases_agency(case_world):
    """R2.2, R6.9: staff who review at one agency and approve at another see
    a case of the first during its review, but not at its decision step: a
    role held at another agency does not count."""
    w = case_world
    case = accepted(w)
    _grant(
        actor=SYSTEM,
        staff=w.reviewer,
        role=Role.objects.get(code="approver"),
        agency=w.bh_scj,
        request_id=None,
    )
    both = fresh(w.reviewer)
    assert set(both.agencies_with("cases.view")) == {w.lx_scj.pk, w.bh_scj.pk}
    ids = lambda staff: [c.pk for c in selectors.case_queue(fresh(staff), "handling")]  # noqa: E731
    assert ids(w.reviewer) == [case.pk]
    assert selectors.queue_counts(fresh(w.reviewer))["handling"] == 1

    services.case_step_complete(
        actor=fresh(w.reviewer), step_id=case.steps.get(code="review").pk, opinion="通过"
    )
    assert ids(w.reviewer) == []
    assert selectors.queue_counts(fresh(w.reviewer))["handling"] == 0
    assert ids(w.approver) == [case.pk]
