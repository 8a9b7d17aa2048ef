"""Two people act on one case at the same moment: exactly one wins, the
other gets a clear conflict and nothing is done twice (R5.1, R5.3, R2.2).
Needs real concurrent transactions, so it runs on PostgreSQL; on SQLite the
database lock (BEGIN IMMEDIATE) serialises writers and the sequential
refusals are covered in test_services."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from yiwang.core.audit import audit_verify
from yiwang.core.errors import DomainError
from yiwang.domains.cases import services
from yiwang.domains.cases.models import Case, CaseDocument, CaseStep
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.catalog.tests.conftest import make_staff
from yiwang.domains.orgs.models import Staff

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
)


def race(*calls: Callable[[], Any]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            value = call()
            outcome = f"ok:{getattr(value, 'pk', '')}"
        except DomainError as exc:
            outcome = f"refused:{exc.message}"
        except Exception as exc:
            outcome = f"error:{exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_clerks_accept_one_case_exactly_one_succeeds(transactional_db, case_world):
    """R5.3: one acceptance, one notice, one set of steps; the other clerk is
    told the case is already being handled."""
    w = case_world
    second = make_staff(w.lx_scj, "case_clerk2", ["clerk"], "周敏")
    me = w.applicant
    case = services.case_apply(
        actor=me,
        item_id=w.item.pk,
        variant_code="first",
        form_data=FORM,
        files=[("application", "a.pdf", pdf()), ("licence", "b.png", png())],
    )
    results = race(
        lambda: services.case_accept(actor=Staff.objects.get(pk=w.clerk.pk), case_id=case.pk),
        lambda: services.case_accept(actor=Staff.objects.get(pk=second.pk), case_id=case.pk),
    )
    assert sorted(r.split(":")[0] for r in results) == ["ok", "refused"], results
    assert any("办理中" in r for r in results), results
    assert CaseDocument.objects.filter(case=case, kind="acceptance").count() == 1
    assert CaseStep.objects.filter(case=case, code="review").count() == 1
    assert audit_verify().ok


def test_same_application_twice_at_once_makes_one_case(transactional_db, case_world):
    """R5.1: two identical requests with one idempotency key race; one case."""
    w = case_world
    me = w.applicant

    def apply() -> Case:
        return services.case_apply(
            actor=me,
            item_id=w.item.pk,
            variant_code="first",
            form_data=FORM,
            files=[("application", "a.pdf", pdf()), ("licence", "b.png", png())],
            idempotency_key="double-click-1",
        )

    results = race(apply, apply)
    assert all(r.startswith("ok:") for r in results), results
    assert len({r for r in results}) == 1, results
    assert Case.objects.filter(applicant=me.user).exclude(status="draft").count() == 1
