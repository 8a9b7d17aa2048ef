"""core/db.py: a prepared lookup returns what its queryset would, built once
per connection (the case services' hot lookups, bench/lifecycle.py); a
transaction memo lasts as long as the transaction or atomic block it was set
in."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from yiwang.core.db import PreparedLookup, TransactionMemo
from yiwang.domains.cases.tests.conftest import build_case_world
from yiwang.domains.orgs.models import Staff


@pytest.fixture
def staff(db) -> Staff:
    """A staff member of the case test world (梁溪区市场监督管理局)."""
    return Staff.objects.get(pk=build_case_world().clerk.pk)


def _staff_lookup() -> PreparedLookup[Staff]:
    return PreparedLookup(lambda pk: Staff.objects.select_related("agency").filter(pk=pk))


def _pk(obj: Staff | None) -> int | None:
    return None if obj is None else int(obj.pk)


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.mark.django_db
def test_same_instance_as_the_queryset(staff):
    """The instance, its converted values (personal data decrypted, times
    aware) and its select_related object equal the queryset's."""
    lookup = _staff_lookup()
    got = lookup.get(staff.pk)
    want = Staff.objects.select_related("agency").get(pk=staff.pk)
    assert got is not None
    assert _fields(got) == _fields(want)
    assert got._state.adding is False and got._state.db == "default"
    with CaptureQueriesContext(connection) as queries:
        agency = got.agency
    assert len(queries) == 0, "the related object came with the row"
    assert _fields(agency) == _fields(want.agency)


@pytest.mark.django_db
def test_another_key_each_call_and_none_when_missing(staff):
    """The compiled SQL takes each call's key; a missing row is None."""
    other = Staff.objects.exclude(pk=staff.pk).first()
    assert other is not None
    lookup = _staff_lookup()
    assert _pk(lookup.get(staff.pk)) == staff.pk
    assert _pk(lookup.get(other.pk)) == other.pk
    assert lookup.get(10**9) is None


@pytest.mark.django_db
def test_several_matches_are_refused_unless_sliced(staff):
    """A lookup that matches more than one row says so, like ``get``; sliced
    ``[:1]`` it takes the first in the queryset's order."""
    colleagues = Staff.objects.filter(agency_id=staff.agency_id).order_by("-pk")
    assert colleagues.count() > 1
    loose = PreparedLookup(lambda agency: Staff.objects.filter(agency_id=agency))
    with pytest.raises(Staff.MultipleObjectsReturned):
        loose.get(staff.agency_id)
    newest = PreparedLookup(
        lambda agency: Staff.objects.filter(agency_id=agency).order_by("-pk")[:1]
    )
    assert _pk(newest.get(staff.agency_id)) == colleagues[0].pk


@pytest.mark.django_db
def test_built_once_per_connection(staff):
    """The queryset is compiled on the first call only."""
    built: list[int] = []

    def build(pk):
        built.append(pk)
        return Staff.objects.filter(pk=pk)

    lookup = PreparedLookup(build)
    for _ in range(3):
        assert _pk(lookup.get(staff.pk)) == staff.pk
    assert len(built) == 1


@pytest.mark.django_db(transaction=True)
def test_each_thread_compiles_for_its_own_connection(staff):
    """Another thread's connection gets its own compiled query."""
    lookup = _staff_lookup()
    assert lookup.get(staff.pk) is not None
    seen: list[Staff | None] = []

    def other() -> None:
        try:
            seen.append(lookup.get(staff.pk))
        finally:
            connections.close_all()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert [_pk(s) for s in seen] == [staff.pk]


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused(staff):
    """A row lock needs a transaction, as ``select_for_update`` does."""
    lookup = PreparedLookup(lambda pk: Staff.objects.select_for_update().filter(pk=pk))
    with transaction.atomic():
        assert lookup.get(staff.pk) is not None
    with pytest.raises(TransactionManagementError):
        lookup.get(staff.pk)


@pytest.mark.django_db
def test_annotations_are_refused(staff):
    """Only plain rows: what the instances could not carry is refused."""
    lookup = PreparedLookup(lambda pk: Staff.objects.filter(pk=pk).only("name"))
    with pytest.raises(ValueError, match="plain rows"):
        lookup.get(staff.pk)


@pytest.mark.django_db
def test_all_rows_in_the_querysets_order(staff):
    """``all`` gives every row for the key, ordered as the queryset orders them."""
    lookup = PreparedLookup(lambda agency: Staff.objects.filter(agency_id=agency).order_by("-pk"))
    want = list(Staff.objects.filter(agency_id=staff.agency_id).order_by("-pk"))
    got = lookup.all(staff.agency_id)
    assert [_fields(s) for s in got] == [_fields(s) for s in want]
    assert len(got) > 1
    assert lookup.all(10**9) == []


class Undo(Exception):
    pass


@pytest.mark.django_db
def test_memo_lasts_the_transaction_not_a_rolled_back_block():
    """A memo set in an atomic block that rolls back is gone with it; one set
    in a block that is released stays for the transaction."""
    memo: TransactionMemo[str] = TransactionMemo("test")
    with transaction.atomic():
        with transaction.atomic():
            memo.set(connection, "kept")
        assert memo.get(connection) == "kept"
        with pytest.raises(Undo), transaction.atomic():
            memo.set(connection, "undone")
            raise Undo
        assert memo.get(connection) is None
        memo.set(connection, "again")
        memo.clear(connection)
        assert memo.get(connection) is None


@pytest.mark.django_db(transaction=True)
def test_memo_ends_with_the_transaction():
    """After commit or rollback the memo is gone; outside a transaction
    nothing is kept."""
    memo: TransactionMemo[str] = TransactionMemo("test")
    with transaction.atomic():
        memo.set(connection, "one")
        assert memo.get(connection) == "one"
    assert memo.get(connection) is None
    with transaction.atomic():
        assert memo.get(connection) is None
    with pytest.raises(Undo), transaction.atomic():
        memo.set(connection, "two")
        raise Undo
    with transaction.atomic():
        assert memo.get(connection) is None
    memo.set(connection, "outside")
    assert memo.get(connection) is None


@pytest.mark.django_db
def test_a_key_the_sql_does_not_carry_unchanged_is_refused(staff):
    """A text column turns the integer placeholder into text: compiling says
    so instead of running a lookup with the key in the wrong place."""
    lookup = PreparedLookup(lambda key: Staff.objects.filter(name=key))
    with pytest.raises(ValueError, match="exactly once"):
        lookup.get(1)
