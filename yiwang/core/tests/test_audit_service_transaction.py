"""A service transaction links its audit entries in one go just before it
commits, so the chain's single head lock is held for that INSERT, one UPDATE
and the commit, not from the transaction's first write on (R14.3)."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from yiwang.core import audit
from yiwang.core.audit import audit_append, audit_verify, row_digest, service_transaction
from yiwang.core.models import AuditEntry, AuditHead, CalendarDay
from yiwang.core.tests.conftest import run_writers


class Undo(Exception):
    pass


def _append(admin, oid: str, obj=None) -> AuditEntry:
    if obj is not None:
        return audit_append(actor=admin, action="core.test", obj=obj)
    return audit_append(actor=admin, action="core.test", object_type="core.test", object_id=oid)


def _touches_audit(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "core_audithead" in q["sql"] or "core_auditentry" in q["sql"]
    ]


def _assert_chain_and_head() -> None:
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems]
    last = AuditEntry.objects.order_by("-id").first()
    head = AuditHead.objects.get(id=1)
    assert last is not None
    assert (head.last_id, head.last_hash) == (last.pk, last.hash)
    assert head.count == AuditEntry.objects.count()


@pytest.mark.django_db
def test_entries_are_linked_together_at_the_end(admin):
    """R14.3: inside the block nothing touches the head or the entries; at its
    end one head read, one INSERT and one head UPDATE link all five, in the
    order they were appended."""
    with CaptureQueriesContext(connection) as inside, service_transaction():
        entries = [_append(admin, str(i)) for i in range(5)]
        assert all(e.pk is None for e in entries)
        assert _touches_audit(inside) == []
        mark = len(inside.captured_queries)
    linking = [
        q["sql"] for q in inside.captured_queries[mark:] if "SAVEPOINT" not in q["sql"].upper()
    ]
    assert [s.split(None, 1)[0].upper() for s in _touches_audit(inside)] == [
        "SELECT",
        "INSERT",
        "UPDATE",
    ]
    assert len(linking) == 3
    assert [e.object_id for e in AuditEntry.objects.order_by("id")][-5:] == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.pk == before.pk + 1
    stored = AuditEntry.objects.get(pk=entries[-1].pk)
    assert (stored.hash, stored.prev_hash) == (entries[-1].hash, entries[-2].hash)
    _assert_chain_and_head()


@pytest.mark.django_db
def test_state_digest_is_the_row_as_each_write_left_it(admin):
    """R14.3, R14.5: linking later does not change what an entry records: its
    state digest is the row as it stood when the entry was appended."""
    day = CalendarDay.objects.create(date="2031-01-01", is_working_day=False, name="元旦")
    with service_transaction():
        first_state = row_digest(CalendarDay, day.pk)
        first = _append(admin, "", obj=day)
        CalendarDay.objects.filter(pk=day.pk).update(name="元旦（改）")
        second = _append(admin, "", obj=day)
    assert first.state_digest == first_state
    assert second.state_digest == row_digest(CalendarDay, day.pk) != first_state
    _assert_chain_and_head()


@pytest.mark.django_db
def test_entries_of_a_rolled_back_inner_block_are_dropped(admin):
    """R14.3: an entry appended in an atomic block that rolls back goes with
    its write; the next one links to the last entry that stands."""
    with service_transaction():
        kept = _append(admin, "kept")
        with pytest.raises(Undo), transaction.atomic():
            _append(admin, "gone")
            raise Undo
        after = _append(admin, "after")
    assert not AuditEntry.objects.filter(object_id="gone").exists()
    assert after.prev_hash == kept.hash
    _assert_chain_and_head()


@pytest.mark.django_db
def test_a_failed_service_links_nothing(admin):
    """R14.3: a service that raises leaves neither its writes nor entries, and
    the head where it was."""
    head = AuditHead.objects.get_or_create(id=1)[0]
    with pytest.raises(Undo), service_transaction():
        CalendarDay.objects.create(date="2031-01-02", is_working_day=True)
        _append(admin, "gone")
        raise Undo
    assert not AuditEntry.objects.filter(object_id="gone").exists()
    assert not CalendarDay.objects.filter(date="2031-01-02").exists()
    assert AuditHead.objects.get(id=1).last_hash == head.last_hash


@pytest.mark.django_db
def test_a_block_marked_for_rollback_links_nothing(admin):
    """R14.3: a dry run (``set_rollback``) ends without error and links nothing."""
    before = AuditEntry.objects.count()
    with service_transaction():
        _append(admin, "dry")
        transaction.set_rollback(True)
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_linking_that_fails_rolls_the_service_back(admin, monkeypatch):
    """R14.3: when the entries cannot be linked, the service's writes roll
    back with them and the error reaches the caller: no write without its
    audit entry."""

    def broken(conn, entries):
        raise RuntimeError("审计链头未能更新（链头被并发改动）")

    monkeypatch.setattr(audit, "_link", broken)
    with pytest.raises(RuntimeError, match="审计链头"), service_transaction():
        CalendarDay.objects.create(date="2031-01-03", is_working_day=True)
        _append(admin, "x")
    assert not CalendarDay.objects.filter(date="2031-01-03").exists()


@pytest.mark.django_db
def test_nested_service_transactions_link_at_the_outermost_end(admin):
    """R14.3: an inner service transaction is a plain savepoint; the
    outermost links everything once."""
    with service_transaction():
        first = _append(admin, "outer")

        @service_transaction
        def inner() -> AuditEntry:
            return _append(admin, "inner")

        second = inner()
        assert (first.pk, second.pk) == (None, None)
    assert second.prev_hash == first.hash
    _assert_chain_and_head()


@pytest.mark.django_db
def test_a_long_transaction_links_in_slices(admin, monkeypatch):
    """R14.3: a long import links every FLUSH_AT entries, so its memory stays
    flat; the chain is the same."""
    monkeypatch.setattr(audit, "FLUSH_AT", 3)
    with service_transaction():
        entries = [_append(admin, str(i)) for i in range(7)]
        assert [e.pk is not None for e in entries] == [True] * 6 + [False]
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    _assert_chain_and_head()


@pytest.mark.django_db
def test_outside_a_service_transaction_entries_link_at_once(admin):
    """R14.3: code that opens a plain ``atomic`` still gets each entry linked
    when appended."""
    with transaction.atomic():
        entry = _append(admin, "now")
        assert entry.pk is not None
    _assert_chain_and_head()


@pytest.mark.django_db(transaction=True)
def test_concurrent_service_transactions_each_link_in_one_run(admin):
    """R14.3: two writers running service transactions at once make one
    unbroken chain, and each transaction's entries sit together in it (they
    are linked in one go under the head lock)."""
    per_thread, per_tx = 15, 3

    def writer(name: str) -> None:
        for i in range(per_thread):
            with service_transaction():
                for k in range(per_tx):
                    _append(admin, f"{name}-{i}-{k}")

    run_writers(("a", "b"), writer)
    _assert_chain_and_head()
    ids = (
        AuditEntry.objects.filter(object_id__regex=r"^[ab]-")
        .order_by("id")
        .values_list("object_id", flat=True)
    )
    runs = [oid.rsplit("-", 1)[0] for oid in ids]
    assert len(runs) == 2 * per_thread * per_tx
    for at in range(0, len(runs), per_tx):
        assert len(set(runs[at : at + per_tx])) == 1, runs[at : at + per_tx]
