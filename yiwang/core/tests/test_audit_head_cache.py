"""The audit head is read and locked by the first append of a transaction;
the later ones link to the hash the previous one left. Whatever was undone
meanwhile (atomic savepoints, manual savepoints, whole transactions) or
written to the head directly, the next append links to the head as stored
(R14.3)."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from yiwang.core.audit import audit_append, audit_verify
from yiwang.core.models import AuditEntry, AuditHead


class Undo(Exception):
    pass


def _append(admin, oid: str) -> AuditEntry:
    return audit_append(actor=admin, action="core.test", object_type="core.test", object_id=oid)


def _head_reads(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and "core_audithead" in q["sql"]
    )


def _assert_chain_and_head() -> None:
    report = audit_verify(rows=False)
    assert report.ok, [str(p) for p in report.problems]
    last = AuditEntry.objects.order_by("-id").first()
    head = AuditHead.objects.get(id=1)
    assert last is not None
    assert (head.last_id, head.last_hash) == (last.pk, last.hash)
    assert head.count == AuditEntry.objects.count()


@pytest.mark.django_db
def test_appends_in_one_transaction_link_up(admin):
    """R14.3: five appends in one transaction read the head once, link each
    entry to the one before, and leave the head on the last."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        entries = [_append(admin, str(i)) for i in range(5)]
    assert _head_reads(queries) == 1
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    _assert_chain_and_head()


@pytest.mark.django_db
def test_savepoint_rollback_undoes_the_link(admin):
    """R14.3: an append undone with its savepoint is not the predecessor of
    the next one: it links to the last entry that survived."""
    with transaction.atomic():
        kept = _append(admin, "kept")
        with pytest.raises(Undo), transaction.atomic():
            _append(admin, "gone")
            raise Undo
        after = _append(admin, "after")
    assert not AuditEntry.objects.filter(object_id="gone").exists()
    assert after.prev_hash == kept.hash
    _assert_chain_and_head()


@pytest.mark.django_db
def test_first_append_in_a_rolled_back_savepoint(admin):
    """R14.3: when the first append (and the head lock) of a transaction ran
    in a savepoint that was rolled back, the next append reads the head anew."""
    before = AuditHead.objects.get_or_create(id=1)[0].last_hash
    with transaction.atomic():
        with pytest.raises(Undo), transaction.atomic():
            _append(admin, "gone")
            raise Undo
        after = _append(admin, "after")
    assert after.prev_hash == before
    _assert_chain_and_head()


@pytest.mark.django_db
def test_released_inner_savepoint_undone_with_the_outer_one(admin):
    """R14.3: appends in a released inner savepoint count for the outer one;
    rolling back the outer savepoint undoes them all, and the next append
    links to the entry written before it."""
    with transaction.atomic():
        first = _append(admin, "first")
        with pytest.raises(Undo), transaction.atomic():
            with transaction.atomic():
                inner = _append(admin, "inner")
            outer = _append(admin, "outer")
            assert outer.prev_hash == inner.hash
            raise Undo
        last = _append(admin, "last")
    assert last.prev_hash == first.hash
    assert not AuditEntry.objects.filter(object_id__in=["inner", "outer"]).exists()
    _assert_chain_and_head()


@pytest.mark.django_db
def test_manual_savepoint_rollback(admin):
    """R14.3: ``transaction.savepoint_rollback`` undoes an append like a failed
    atomic block does."""
    with transaction.atomic():
        kept = _append(admin, "kept")
        sid = transaction.savepoint()
        _append(admin, "gone")
        transaction.savepoint_rollback(sid)
        after = _append(admin, "after")
    assert after.prev_hash == kept.hash
    _assert_chain_and_head()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_and_committed_transactions(admin):
    """R14.3: after a transaction rolls back, and after one commits, the next
    transaction chains onto what the database holds."""
    with transaction.atomic():
        committed = _append(admin, "committed")
    with pytest.raises(Undo), transaction.atomic():
        _append(admin, "gone")
        raise Undo
    with transaction.atomic():
        after = _append(admin, "after")
    assert after.prev_hash == committed.hash
    with transaction.atomic():
        last = _append(admin, "last")
    assert last.prev_hash == after.hash
    _assert_chain_and_head()


@pytest.mark.django_db
def test_head_written_directly_in_the_transaction(admin):
    """R14.3: a head moved behind the appends' back (not through
    ``audit_append``) is what the next append links to."""
    with transaction.atomic():
        _append(admin, "first")
        AuditHead.objects.filter(id=1).update(last_hash="f" * 64)
        after = _append(admin, "after")
    assert after.prev_hash == "f" * 64
    assert AuditHead.objects.get(id=1).last_hash == after.hash
    assert AuditEntry.objects.filter(object_id="after").count() == 1


@pytest.mark.django_db
def test_hooks_do_not_pile_up_in_a_long_transaction(admin):
    """R14.3: a transaction with many appends queues one on-commit marker,
    not one per append."""
    with transaction.atomic():
        before = len(connection.run_on_commit)
        for i in range(50):
            _append(admin, str(i))
        assert len(connection.run_on_commit) - before == 1
    _assert_chain_and_head()
