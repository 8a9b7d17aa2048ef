"""The province-scale data generator (issue 6) at its tiny scale, on the test
database of whichever engine DATABASE_URL names.

One generation per test run (it takes a few seconds), then every check on it:
shape, identifiers, case numbers, due dates, queues and a fresh submission.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import pytest
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from bench.generate import SCALES, generate
from yiwang.core.checkdigits import (
    credit_code_error,
    division_code_error,
    resident_id_error,
)
from yiwang.domains.accounts.models import Entity, Person, User
from yiwang.domains.cases.lifecycle import ENDED
from yiwang.domains.cases.models import (
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseStep,
    ClockPause,
)
from yiwang.domains.cases.selectors import case_clock, case_queue
from yiwang.domains.cases.services import case_draft_save, case_submit
from yiwang.domains.catalog.models import ItemSearchRow, ItemVersion, ServiceItem
from yiwang.domains.orgs.models import Agency, Division, Staff

pytestmark = pytest.mark.django_db(transaction=False)

NUMBER = re.compile(r"^(\d{6})-(\d{8})-(\d{5})$")


@pytest.fixture
def tiny() -> dict:
    return generate("tiny")


def test_tiny_shape_identifiers_numbers_queues_and_a_new_submission(tiny: dict) -> None:
    """R1.3, R2.2, R2.3, R5.1, R6.4: the generated province has exactly the
    rows of its scale; every division code, credit code and resident ID
    passes its check; case numbers are unique and agree with the number
    sequence; open cases' due dates are what the working-day calendar gives;
    the manifest's clerk and reviewer find cases in their 审查中 queue; and a
    case submitted afterwards through the services gets the next number."""
    scale = SCALES["tiny"]
    m = tiny

    # -- shape --------------------------------------------------------------------------
    assert Division.objects.count() == scale.divisions
    assert Agency.objects.count() == scale.agencies
    assert ServiceItem.objects.count() == scale.items
    assert ItemVersion.objects.filter(status="published").count() == scale.items
    assert ServiceItem.objects.filter(current__isnull=True).count() == 0
    assert ItemSearchRow.objects.count() == scale.items
    assert Person.objects.count() == scale.persons
    assert Entity.objects.count() == scale.entities
    assert Case.objects.count() == scale.cases
    assert m["counts"]["cases"] == scale.cases
    by_level = Counter(Division.objects.values_list("level", flat=True))
    assert by_level == {
        "province": 1,
        "city": scale.cities,
        "county": scale.counties,
        "town": scale.towns,
    }
    statuses = Counter(Case.objects.values_list("status", flat=True))
    open_ = sum(n for s, n in statuses.items() if s not in ENDED)
    assert 0.05 * scale.cases < open_ < 0.2 * scale.cases, statuses
    assert {"submitted", "correcting", "handling", "decided", "concluded"} <= set(statuses)
    assert m["counts"]["open cases"] == open_

    # Nothing happened in the future, and each case's steps come in order.
    now = timezone.now()
    future = Q()
    for field in ("created_at", "submitted_at", "accepted_at", "decided_at", "concluded_at"):
        future |= Q(**{f"{field}__gt": now})
    assert not Case.objects.filter(future | Q(updated_at__gt=now)).exists()
    assert not Case.objects.filter(accepted_at__lt=F("submitted_at")).exists()
    assert not Case.objects.filter(decided_at__lt=F("accepted_at")).exists()
    assert not Case.objects.filter(concluded_at__lt=F("submitted_at")).exists()
    assert not CaseStep.objects.filter(Q(claimed_at__gt=now) | Q(finished_at__gt=now)).exists()
    assert not CaseEvent.objects.filter(at__gt=now).exists()

    # -- identifiers --------------------------------------------------------------------
    for code, level in Division.objects.values_list("code", "level"):
        assert division_code_error(code, level) is None, code
    for code in Agency.objects.values_list("credit_code", flat=True):
        assert credit_code_error(code) is None, code
    for code in Entity.objects.values_list("credit_code", flat=True):
        assert credit_code_error(code) is None, code
    for person in Person.objects.all():
        assert resident_id_error(person.id_number) is None, person.pk
    for member in Staff.objects.all():
        assert resident_id_error(member.id_number) is None, member.pk
    # Cases carry the applicant's identifiers, encrypted (read back through the field).
    sample = Case.objects.select_related("applicant__person").filter(applicant_kind="person")[:50]
    for case in sample:
        assert case.applicant_code == case.applicant.person.id_number

    # -- case numbers -------------------------------------------------------------------
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    last: dict[tuple[str, str], int] = {}
    for number in numbers:
        match = NUMBER.match(number)
        assert match, number
        key = (match[1], match[2])
        last[key] = max(last.get(key, 0), int(match[3]))
    sequences = {
        (s.division_code, f"{s.day:%Y%m%d}"): s.last for s in CaseNumberSequence.objects.all()
    }
    assert sequences == last

    # -- steps and the clock ------------------------------------------------------------
    active = Counter(
        CaseStep.objects.filter(status="active").values_list("case__status", flat=True)
    )
    accepted_open = Case.objects.filter(status__in=["handling", "decided"])
    assert sum(active.values()) == accepted_open.count()
    assert accepted_open.annotate(n=Count("steps")).filter(n=4).count() == accepted_open.count()
    assert ClockPause.objects.filter(ended_on__isnull=True).count() == 0
    ids = list(accepted_open.values_list("pk", flat=True))
    for case in Case.objects.filter(pk__in=random.Random(1).sample(ids, min(150, len(ids)))):
        clock = case_clock(case)
        assert clock.promised is not None and clock.promised.due == case.promised_due, case.pk
        assert clock.statutory is not None and clock.statutory.due == case.statutory_due
    assert Case.objects.filter(status="handling", promised_due__lt=dt.date.today()).exists()

    # -- the manifest's accounts and their queues ---------------------------------------
    clerk = Staff.objects.get(user__username=m["clerk"])
    reviewer = Staff.objects.get(user__username=m["reviewer"])
    assert clerk.agency_id == reviewer.agency_id == m["agency_id"]
    assert User.objects.get(username=m["clerk"]).check_password(m["password"])
    for who in (clerk, reviewer):
        page = case_queue(who, "handling")
        assert page.paginator.count > 0
        assert {c.agency_id for c in page.object_list} == {m["agency_id"]}
    assert case_queue(clerk, "intake").paginator.count > 0
    busiest = Case.objects.values("agency_id").annotate(n=Count("pk")).order_by("-n").first() or {}
    assert busiest["agency_id"] == m["agency_id"]

    # -- a new submission after generation ----------------------------------------------
    person = Person.objects.get(user_id=m["applicant_user_id"])
    today = max(CaseNumberSequence.objects.values_list("day", flat=True))
    prefixes = set(
        CaseNumberSequence.objects.filter(day=today).values_list("division_code", flat=True)
    )
    item = next(
        i
        for i in ServiceItem.objects.select_related("division").filter(
            audience__in=["person", "both"]
        )
        if i.division.code[:6] in prefixes
    )
    before = CaseNumberSequence.objects.get(division_code=item.division.code[:6], day=today).last
    draft = case_draft_save(actor=person, item_id=item.pk)
    case = case_submit(actor=person, case_id=draft.pk)
    assert case.number == f"{item.division.code[:6]}-{today:%Y%m%d}-{before + 1:05d}"
    assert case.number not in set(numbers)
    assert Case.objects.aggregate(m=Max("pk"))["m"] == case.pk
