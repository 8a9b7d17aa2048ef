"""Two unit administrators apply the same approved request at the same moment:
exactly one makes the change (R2.4). Needs real concurrent transactions, so
it runs on PostgreSQL; on SQLite writers are serialised by the database lock
(BEGIN IMMEDIATE) and the sequential case is covered in the workflow tests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict
from yiwang.core.models import AuditEntry
from yiwang.domains.orgs.models import ChangeStatus, RoleGrant, Staff, StaffChangeRequest
from yiwang.domains.orgs.services import (
    staff_change_apply,
    staff_change_approve,
    staff_change_request,
)
from yiwang.domains.orgs.tests.conftest import make_staff


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
)
def test_concurrent_apply_exactly_one_succeeds(transactional_db, world):
    """R2.4: the row lock and the conditional update let one apply win; the
    other is told the request is already applied, and nothing happens twice."""
    second_admin = make_staff(world.scj, "scj_admin2", ["unit_admin"], "第二管理员")
    req = staff_change_request(
        actor=world.admin,
        agency=world.scj,
        kind="grant_role",
        target=world.clerk,
        data={"role": "reviewer"},
        reason="兼任审查",
    )
    staff_change_approve(actor=world.head, request=req)

    barrier = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()

    def apply(staff_pk: int) -> None:
        try:
            actor = Staff.objects.get(pk=staff_pk)
            target = StaffChangeRequest.objects.get(pk=req.pk)
            barrier.wait(timeout=10)
            staff_change_apply(actor=actor, request=target)
            outcome = "ok"
        except Conflict as exc:
            outcome = f"conflict:{exc.message}"
        except Exception as exc:
            outcome = f"error:{exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [
        threading.Thread(target=apply, args=(pk,)) for pk in (world.admin.pk, second_admin.pk)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(r.split(":")[0] for r in results) == ["conflict", "ok"], results
    assert any("已执行并备案" in r for r in results), results
    assert StaffChangeRequest.objects.get(pk=req.pk).status == ChangeStatus.APPLIED
    assert RoleGrant.objects.filter(staff=world.clerk, role__code="reviewer").count() == 1
    assert (
        AuditEntry.objects.filter(action="orgs.staff_change_apply", object_id=str(req.pk)).count()
        == 1
    )
    assert audit_verify().ok
