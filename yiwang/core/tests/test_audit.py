"""The audit chain: links, tamper detection, concurrency (R14.3, R14.5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from yiwang.core.audit import (
    GENESIS,
    audit_append,
    audit_verify,
    canonical_json,
    diff,
    entry_hash,
)
from yiwang.core.calendar import calendar_year_define
from yiwang.core.models import AuditEntry, AuditHead, CalendarDay
from yiwang.core.tests.conftest import run_writers

D = dt.date
DAYS = [
    (D(2027, 1, 1), False, "元旦"),
    (D(2027, 2, 8), False, "春节"),
    (D(2027, 2, 9), False, "春节"),
    (D(2027, 2, 14), True, "春节调休上班"),
]


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params or [])


@pytest.fixture
def year_2027(admin):
    return calendar_year_define(actor=admin, year=2027, days=DAYS)


def _ids() -> list[int]:
    return list(AuditEntry.objects.order_by("id").values_list("id", flat=True))


@pytest.mark.django_db
def test_clean_chain_verifies(year_2027):
    """R14.3: an untouched database verifies, counting entries and audited rows."""
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems]
    assert report.entries == AuditEntry.objects.count() >= 6
    # The roles from migrate, the year and its four days at least.
    assert report.rows >= 5
    assert report.seconds >= report.chain_seconds > 0


@pytest.mark.django_db
def test_every_append_links_to_the_previous_hash(year_2027):
    """R14.3: each entry's prev_hash is its predecessor's hash, and its hash is
    SM3 over that and its own fields; the head holds the newest link."""
    entries = list(AuditEntry.objects.order_by("id"))
    prev = GENESIS
    for e in entries:
        assert e.prev_hash == prev
        assert e.hash == entry_hash(
            e.prev_hash,
            e.at,
            e.actor_kind,
            e.actor_id,
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            e.change,
            e.context,
            e.state_digest,
        )
        prev = e.hash
    head = AuditHead.objects.get(id=1)
    assert (head.last_id, head.last_hash, head.count) == (entries[-1].id, prev, len(entries))
    day = AuditEntry.objects.filter(object_type="core.calendarday").order_by("id").first()
    assert day is not None and day.state_digest and day.actor_label == "中心管理员"


@pytest.mark.django_db
def test_edited_entry_is_named(year_2027):
    """R14.5: changing an entry's actor directly in the database names that entry."""
    target = _ids()[-3]
    _sql("UPDATE core_auditentry SET actor_label = %s WHERE id = %s", ["别人", target])
    report = audit_verify()
    assert not report.ok
    first = report.first_problem
    assert first is not None and (first.entry_id, first.kind) == (target, "hash")
    assert f"审计日志 #{target}" in str(first)


@pytest.mark.django_db
def test_rehashed_entry_breaks_the_next_link(year_2027):
    """R14.5: an entry edited and given a fresh hash still breaks the next link."""
    ids = _ids()
    target = ids[-3]
    _sql("UPDATE core_auditentry SET hash = %s WHERE id = %s", ["f" * 64, target])
    problem = audit_verify().first_problem
    assert problem is not None and problem.entry_id == target
    e = AuditEntry.objects.get(id=target)
    fixed = entry_hash(
        e.prev_hash,
        e.at,
        e.actor_kind,
        e.actor_id,
        "别人",
        e.action,
        e.object_type,
        e.object_id,
        e.change,
        e.context,
        e.state_digest,
    )
    _sql(
        "UPDATE core_auditentry SET actor_label = %s, hash = %s WHERE id = %s",
        ["别人", fixed, target],
    )
    first = audit_verify().first_problem
    assert first is not None and (first.entry_id, first.kind) == (ids[-2], "link")


@pytest.mark.django_db
def test_deleted_middle_entry_is_detected(year_2027):
    ids = _ids()
    _sql("DELETE FROM core_auditentry WHERE id = %s", [ids[-3]])
    first = audit_verify().first_problem
    assert first is not None and (first.entry_id, first.kind) == (ids[-2], "link")


@pytest.mark.django_db
def test_deleted_last_entry_is_detected(year_2027):
    ids = _ids()
    _sql("DELETE FROM core_auditentry WHERE id = %s", [ids[-1]])
    report = audit_verify()
    tail = [p for p in report.problems if p.kind == "tail"]
    assert tail and tail[0].entry_id == ids[-1]
    assert f"#{ids[-1]}" in tail[0].detail


@pytest.mark.django_db
def test_edited_domain_row_names_its_newest_entry(admin, year_2027):
    """Issue 2 acceptance: editing an audited row directly in the database is
    reported, naming that row's newest entry."""
    calendar_year_define(
        actor=admin, year=2027, days=[*DAYS[:3], (D(2027, 2, 14), True, "调休上班")]
    )
    newest = (
        AuditEntry.objects.filter(object_type="core.calendarday", object_id="2027-02-14")
        .order_by("-id")
        .first()
    )
    assert newest is not None and audit_verify().ok
    _sql("UPDATE core_calendarday SET name = %s WHERE date = %s", ["国庆节", D(2027, 2, 14)])
    report = audit_verify()
    assert [(p.entry_id, p.kind) for p in report.problems] == [(newest.id, "row")]
    assert "core.calendarday:2027-02-14" in report.problems[0].detail


@pytest.mark.django_db
def test_directly_inserted_row_is_reported(year_2027):
    _sql(
        "INSERT INTO core_calendarday (date, is_working_day, name) VALUES (%s, %s, %s)",
        [D(2027, 5, 3), False, "劳动节"],
    )
    report = audit_verify()
    assert [(p.entry_id, p.kind) for p in report.problems] == [(None, "unaudited")]
    assert "core.calendarday:2027-05-03" in report.problems[0].detail


@pytest.mark.django_db
def test_directly_deleted_row_is_reported(year_2027):
    newest = AuditEntry.objects.filter(object_id="2027-01-01").order_by("-id").first()
    assert newest is not None
    CalendarDay.objects.filter(date=D(2027, 1, 1)).delete()
    report = audit_verify()
    assert [(p.entry_id, p.kind) for p in report.problems] == [(newest.id, "row")]


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused(admin):
    with pytest.raises(RuntimeError):
        audit_append(actor=admin, action="core.test", object_type="core.test", object_id="1")
    with transaction.atomic(), pytest.raises(ValueError):
        audit_append(actor=admin, action="core.test")


@pytest.mark.django_db
def test_context_and_change_are_canonical(admin):
    from yiwang.core.audit import audit_context

    token = audit_context.set({"ip": "10.0.0.1", "channel": "console"})
    try:
        with transaction.atomic():
            e = audit_append(
                actor=admin,
                action="core.test",
                object_type="core.test",
                object_id="1",
                change={"b": 1, "a": "名称"},
            )
    finally:
        audit_context.reset(token)
    assert e.change == '{"a":"名称","b":1}'
    assert e.context == canonical_json({"channel": "console", "ip": "10.0.0.1"})
    assert audit_verify().ok


def test_diff_keeps_changed_fields_only():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_chain(admin):
    """R14.3: two writers appending at once still make one unbroken chain (the
    head row is locked FOR UPDATE; SQLite queues writers at BEGIN IMMEDIATE)."""
    before = AuditEntry.objects.count()
    per_thread = 40

    def writer(name: str) -> None:
        for i in range(per_thread):
            with transaction.atomic():
                audit_append(
                    actor=admin,
                    action="core.test_concurrent",
                    object_type="core.test",
                    object_id=f"{name}-{i}",
                )

    run_writers(("a", "b"), writer)
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems]
    assert report.entries == before + 2 * per_thread
    owners = [
        oid.split("-")[0]
        for oid in AuditEntry.objects.filter(action="core.test_concurrent")
        .order_by("id")
        .values_list("object_id", flat=True)
    ]
    assert sorted(set(owners)) == ["a", "b"]


@pytest.mark.django_db
def test_whole_second_times_hash_alike(admin):
    """R14.3: an entry written on a whole second (SQLite then stores no fraction)
    hashes the same way when the database formats the time for the check."""
    with transaction.atomic():
        e = audit_append(actor=admin, action="core.test", object_type="core.test", object_id="1")
    at = dt.datetime(2026, 10, 10, 8, 0, 0, tzinfo=dt.UTC)
    fields = (e.actor_kind, e.actor_id, e.actor_label, e.action, e.object_type, e.object_id)
    digest = entry_hash(e.prev_hash, at, *fields, e.change, e.context, e.state_digest)
    AuditEntry.objects.filter(pk=e.pk).update(at=at, hash=digest)
    AuditHead.objects.filter(id=1).update(last_hash=digest)
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems]
    # And one microsecond off is caught.
    AuditEntry.objects.filter(pk=e.pk).update(at=at + dt.timedelta(microseconds=1))
    first = audit_verify().first_problem
    assert first is not None and (first.entry_id, first.kind) == (e.pk, "hash")


def test_row_digest_ignores_null_columns_but_not_values():
    """R14.3: adding a nullable column (NULL in every old row) keeps old digests;
    any real value in it, or a changed value, does not."""
    from yiwang.core.audit import digest_row

    base = digest_row(["id", "name"], [1, "国庆节"])
    assert digest_row(["id", "name", "note"], [1, "国庆节", None]) == base
    assert digest_row(["id", "name", "note"], [1, "国庆节", ""]) != base
    assert digest_row(["id", "name"], [1, "国庆"]) != base
    # The column name is part of the digest: values cannot move between columns.
    assert digest_row(["id", "title"], [1, "国庆节"]) != base
