"""Demo applicants (R2.3): valid Wuxi identities, loaded idempotently through
the real services, able to log in with the demo password."""

from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from yiwang.core.audit import audit_verify
from yiwang.core.checkdigits import credit_code_error, resident_id_error
from yiwang.demo.applicants import DEMO_PASSWORD, load_applicants
from yiwang.domains.accounts.auth import login_applicant
from yiwang.domains.accounts.models import Entity, Person, User

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Person.objects.count(), Entity.objects.count()


def test_demo_applicants_are_valid_and_idempotent():
    accounts = load_applicants()
    loaded = counts()
    assert load_applicants() == accounts
    assert counts() == loaded  # a second load adds nothing
    persons = [a for a in accounts if a["kind"] == "person"]
    entities = [a for a in accounts if a["kind"] == "entity"]
    assert len(persons) >= 12 and len(entities) >= 6
    assert all(resident_id_error(a["login"]) is None for a in persons)
    assert all(a["login"][:4] == "3202" for a in persons)  # 无锡市
    assert all(credit_code_error(a["login"]) is None for a in entities)
    assert {a["login"][:2] for a in entities} >= {"91", "92", "51"}
    assert any("代办" in a["note"] for a in persons)
    assert audit_verify().ok


def test_demo_applicant_logs_in():
    accounts = load_applicants()
    for account in (accounts[0], accounts[-1]):
        request = RequestFactory().post("/login/")
        SessionMiddleware(lambda r: None).process_request(request)
        user = login_applicant(request, account["login"], DEMO_PASSWORD)
        assert user.kind == account["kind"]
