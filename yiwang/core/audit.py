"""The audit chain: every service write appends a link; ``yiwang audit verify``
walks the whole chain and every audited row (R14.3, R14.5).

Usage in a service::

    @service_transaction
    def agency_create(*, actor, ...):
        ...
        audit_append(actor=actor, action="orgs.agency_create", obj=agency,
                     change={"name": [None, agency.name]})

``service_transaction`` is ``transaction.atomic`` that links the entries it
queued just before commit (docs/adr/0009-audit-linked-at-commit.md).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import itertools
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from django.db import connection, models, transaction
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.crypto import sm3_hex
from yiwang.core.db import hook_queued
from yiwang.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64
_F = TypeVar("_F", bound=Callable[..., Any])
_SEP = "\x1f"

# Request context (client address, channel) set by the web middleware.
audit_context: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "audit_context", default=None
)

_REGISTRY: dict[str, type[models.Model]] = {}


def audited(model: type[models.Model]) -> type[models.Model]:
    """Class decorator: rows of this model are covered by ``audit verify``."""
    _REGISTRY[object_type_of(model)] = model
    return model


def audited_models() -> dict[str, type[models.Model]]:
    return dict(_REGISTRY)


def object_type_of(model: type[models.Model] | models.Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _at_text(value: dt.datetime | str) -> str:
    """One text form of a stored timestamp, whatever the backend returns."""
    if isinstance(value, str):
        text = value.replace("T", " ")[:26]
        if len(text) == 19:
            text += ".000000"
        return text
    if timezone.is_aware(value):
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def entry_hash(
    prev_hash: str,
    at: dt.datetime | str,
    actor_kind: str,
    actor_id: str,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    change: str,
    context: str,
    state_digest: str,
) -> str:
    text = _SEP.join(
        (
            prev_hash,
            _at_text(at),
            actor_kind,
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            change,
            context,
            state_digest,
        )
    )
    return sm3_hex(text.encode("utf-8"))


# --- row state digests -------------------------------------------------------


def _columns(model: type[models.Model]) -> list[str]:
    return [str(f.column) for f in model._meta.concrete_fields]


def _pk_column(model: type[models.Model]) -> str:
    return str(model._meta.pk.column)  # type: ignore[union-attr]


def _value_text(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, dt.datetime):
        return _at_text(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return canonical_json(value)
    return str(value)


def digest_row(columns: list[str], values: tuple[Any, ...] | list[Any]) -> str:
    """SM3 over ``column=value`` pairs, NULLs left out: a migration that adds a
    nullable column leaves every existing row's digest as it was (ADR 0002)."""
    text = _SEP.join(
        f"{c}={_value_text(v)}" for c, v in zip(columns, values, strict=True) if v is not None
    )
    return sm3_hex(text.encode("utf-8"))


def row_digest(model: type[models.Model], pk: Any) -> str:
    """SM3 of a row exactly as stored (encrypted columns stay encrypted), or ''
    when the row does not exist."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    pk_col = connection.ops.quote_name(_pk_column(model))
    with connection.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM {table} WHERE {pk_col} = %s", [pk])
        row = cur.fetchone()
    return digest_row(columns, row) if row else ""


# --- appending ---------------------------------------------------------------


@dataclass
class _HeadCache:
    """The head as this transaction's last append left it, with the on-commit
    hook that ties it to that transaction."""

    last_hash: str
    marker: Callable[[], None]
    marker_sids: frozenset[str]


_HEAD_CACHE_ATTR = "_yiwang_audit_head"


def _cached_head(conn: Any) -> str | None:
    """The hash this transaction's last append left in the head, if this is
    still that transaction: Django drops every on-commit hook at commit and
    rollback, and the hooks of an atomic block whose savepoint rolls back.
    A manual ``transaction.savepoint_rollback`` does not drop them: the
    compare-and-set in :func:`audit_append` catches that."""
    cache: _HeadCache | None = getattr(conn, _HEAD_CACHE_ATTR, None)
    if cache is None:
        return None
    if not hook_queued(conn, cache.marker):
        setattr(conn, _HEAD_CACHE_ATTR, None)
        return None
    return cache.last_hash


def _remember_head(conn: Any, last_hash: str) -> None:
    cache: _HeadCache | None = getattr(conn, _HEAD_CACHE_ATTR, None)
    now = frozenset(conn.savepoint_ids)
    # The queued marker still covers this append if rolling back any atomic
    # block open now would drop it too; then no new hook is queued, so many
    # appends in one transaction do not pile up a hook each.
    if cache is not None and now <= cache.marker_sids and hook_queued(conn, cache.marker):
        cache.last_hash = last_hash
        return

    def marker() -> None:
        if getattr(conn, _HEAD_CACHE_ATTR, None) is fresh:
            setattr(conn, _HEAD_CACHE_ATTR, None)

    fresh = _HeadCache(last_hash=last_hash, marker=marker, marker_sids=now)
    transaction.on_commit(marker, using=conn.alias)
    setattr(conn, _HEAD_CACHE_ATTR, fresh)


def _locked_head_hash(conn: Any) -> str:
    """The newest link's hash read from the head row, locked until commit
    (SQLite's IMMEDIATE transactions hold the write lock already)."""
    q = conn.ops.quote_name
    lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
    sql = f"SELECT {q('last_hash')} FROM {q(AuditHead._meta.db_table)} WHERE {q('id')} = 1{lock}"
    with conn.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    if row is not None:
        return str(row[0])
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    return str(head.last_hash)


def _head_move_sql(conn: Any) -> str:
    """Compare-and-set: the head moves only from the hash the entries link to.
    Raw SQL: an ORM update costs more in Python than the statement itself."""
    q = conn.ops.quote_name
    return (
        f"UPDATE {q(AuditHead._meta.db_table)} SET {q('last_id')} = %s, "
        f"{q('last_hash')} = %s, {q('count')} = {q('count')} + %s "
        f"WHERE {q('id')} = 1 AND {q('last_hash')} = %s"
    )


_HASHED_COLUMNS = (
    "actor_kind",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "change",
    "context",
    "state_digest",
)
# Every stored column of an entry but its id, in insert order.
_ENTRY_COLUMNS = ("at", *_HASHED_COLUMNS, "prev_hash", "hash")
# Rows per INSERT: SQLite binds at most 999 parameters a statement.
_ROWS_PER_INSERT = 999 // len(_ENTRY_COLUMNS)


def _insert_entries(conn: Any, cur: Any, entries: list[AuditEntry]) -> list[int]:
    """INSERT the entries with plain multi-row statements and return their ids
    in chain order: every service write appends several entries, and the
    ORM's insert costs more in Python than the statement itself
    (bench/lifecycle.py). Ids are drawn in VALUES order under the head lock,
    so sorting what RETURNING hands back (in no promised order) restores it."""
    q = conn.ops.quote_name
    table = q(AuditEntry._meta.db_table)
    columns = ", ".join(q(c) for c in _ENTRY_COLUMNS)
    row = f"({', '.join(['%s'] * len(_ENTRY_COLUMNS))})"
    returning = conn.features.can_return_rows_from_bulk_insert
    ids: list[int] = []
    for at in range(0, len(entries), _ROWS_PER_INSERT):
        chunk = entries[at : at + _ROWS_PER_INSERT]
        sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))}"
        params: list[Any] = []
        for entry in chunk:
            params.append(conn.ops.adapt_datetimefield_value(entry.at))
            params.extend(getattr(entry, c) for c in _ENTRY_COLUMNS[1:])
        if returning:
            cur.execute(sql + f" RETURNING {q('id')}", params)
            ids.extend(sorted(int(r[0]) for r in cur.fetchall()))
        else:  # pragma: no cover - both supported backends return rows
            cur.execute(sql, params)
            last = int(conn.ops.last_insert_id(cur, AuditEntry._meta.db_table, "id"))
            ids.extend(range(last - len(chunk) + 1, last + 1))
    return ids


def _link(conn: Any, entries: list[AuditEntry]) -> None:
    """Chain ``entries`` (their hashed columns set) after the head, in order,
    stamp them, INSERT them and move the head, all under the head's lock.

    The first link of a transaction reads and locks the head; later ones link
    to the hash the previous one left (the lock is held until commit). The
    head moves by compare-and-set from the hash the entries link to, so a
    cached hash that no longer matches the stored head (a link undone by a
    manual savepoint rollback, a head written directly) can never enter the
    chain: those entries are dropped again and linked anew to the head as
    stored, locked.
    """
    prev_hash = _cached_head(conn)
    for _ in range(2):
        if prev_hash is None:
            prev_hash = _locked_head_hash(conn)
        # One stamp for the lot, taken under the lock: entry times rise with
        # their ids whatever order concurrent transactions linked in.
        at = timezone.now()
        last = prev_hash
        for entry in entries:
            entry.at = at
            entry.prev_hash = last
            entry.hash = last = entry_hash(last, at, *(getattr(entry, c) for c in _HASHED_COLUMNS))
        with conn.cursor() as cur:
            ids = _insert_entries(conn, cur, entries)
            cur.execute(_head_move_sql(conn), [ids[-1], last, len(entries), prev_hash])
            moved = cur.rowcount == 1
        if moved:
            for entry, pk in zip(entries, ids, strict=True):
                entry.pk = pk
                entry._state.adding = False
                entry._state.db = conn.alias
            _remember_head(conn, last)
            return
        # The cache was stale: these uncommitted entries link to the wrong hash.
        AuditEntry.objects.filter(pk__in=ids).delete()
        setattr(conn, _HEAD_CACHE_ATTR, None)
        prev_hash = None
    raise RuntimeError("审计链头未能更新（链头被并发改动）")


# --- service transactions: entries linked just before commit ------------------

_BATCH_ATTR = "_yiwang_audit_batch"
# A long transaction (an import) links its entries in slices of this many,
# so memory stays flat; the head lock is then held from the first slice on.
FLUSH_AT = 500


def _live(conn: Any, batch: list[tuple[AuditEntry, Callable[[], None]]]) -> list[AuditEntry]:
    """The batch's entries whose writes still stand: Django drops the on-commit
    hooks queued inside an atomic block it rolls back, so an entry whose
    marker hook is gone was undone with its write."""
    wanted = {id(marker) for _, marker in batch}
    found: set[int] = set()
    # The markers are the newest hooks but for a few: nearly always all of
    # them are met before the older hooks are walked.
    for hook in reversed(conn.run_on_commit):
        if id(hook[1]) in wanted:
            found.add(id(hook[1]))
            if len(found) == len(wanted):
                break
    return [entry for entry, marker in batch if id(marker) in found]


def _flush(conn: Any) -> None:
    batch: list[tuple[AuditEntry, Callable[[], None]]] | None = getattr(conn, _BATCH_ATTR, None)
    if not batch:
        return
    entries = _live(conn, batch)
    batch.clear()
    if entries:
        _link(conn, entries)


class _ServiceTransaction:
    """``transaction.atomic`` whose audit entries are linked at its end."""

    def __init__(self, using: str | None) -> None:
        self.using = using

    def __enter__(self) -> None:
        self._atomic = transaction.atomic(using=self.using)
        self._atomic.__enter__()
        self._conn = transaction.get_connection(self.using)
        self._outer = getattr(self._conn, _BATCH_ATTR, None) is None
        if self._outer:
            setattr(self._conn, _BATCH_ATTR, [])

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if not self._outer:
            self._atomic.__exit__(exc_type, exc, tb)
            return
        try:
            # A block marked for rollback (set_rollback, a dry run) links nothing.
            if exc_type is None and not self._conn.needs_rollback:
                _flush(self._conn)
        except BaseException as failed:
            setattr(self._conn, _BATCH_ATTR, None)
            self._atomic.__exit__(type(failed), failed, failed.__traceback__)
            raise
        setattr(self._conn, _BATCH_ATTR, None)
        self._atomic.__exit__(exc_type, exc, tb)


@overload
def service_transaction(func: _F, *, using: str | None = None) -> _F: ...
@overload
def service_transaction(func: None = None, *, using: str | None = None) -> _ServiceTransaction: ...
def service_transaction(
    func: _F | None = None, *, using: str | None = None
) -> _F | _ServiceTransaction:
    """A service's transaction: ``transaction.atomic`` (as a decorator or a
    ``with`` block) whose audit entries are linked to the chain in one go at
    its end, just before it commits (R14.3).

    Every audited write takes the chain's single head lock, held until
    commit. Linked at append time, a transaction held it from its first
    write on (43 ms per case at 10M cases, bench/lifecycle.py); linked here
    it holds it for one INSERT, one UPDATE and the commit. Each entry's
    state digest is still read when it is appended, so it records the row as
    that write left it. Entries of an inner atomic block that rolls back are
    dropped with it (undo with atomic blocks inside a service: Django does not
    track a manual ``transaction.savepoint``, so entries appended after one
    and rolled back with it would still be linked). Nested inside another
    service transaction this is a plain ``atomic``: the outermost one links
    for all (inside a plain ``atomic``, such as a test's, it links at its
    own end).
    """
    if func is None:
        return _ServiceTransaction(using)

    @functools.wraps(func)
    def inner(*args: Any, **kwargs: Any) -> Any:
        with _ServiceTransaction(using):
            return func(*args, **kwargs)

    return inner  # type: ignore[return-value]


def audit_append(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    change: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one link. Must run inside the service's transaction, after the
    write, so the link and the write commit or roll back together.

    Inside :func:`service_transaction` the entry is queued and linked (its
    ``pk``, ``at`` and ``hash`` set) when the outermost one ends; elsewhere
    it is linked at once. The state digest is taken now either way.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit_append must run inside the service's transaction")
    ref = actor.actor_ref()
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = str(obj.pk) if object_id is None else object_id
        state = row_digest(type(obj), obj.pk)
    else:
        state = ""
    if not object_type or object_id is None:
        raise ValueError("audit_append needs obj or object_type and object_id")
    entry = AuditEntry(
        actor_kind=ref.kind,
        actor_id=ref.id,
        actor_label=ref.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        change=canonical_json(change or {}),
        context=canonical_json(audit_context.get() or {}),
        state_digest=state,
    )
    batch: list[tuple[AuditEntry, Callable[[], None]]] | None = getattr(conn, _BATCH_ATTR, None)
    if batch is None:
        _link(conn, [entry])
        return entry

    def marker() -> None:
        """Queued only to be dropped if this entry's write is rolled back."""

    transaction.on_commit(marker, using=conn.alias)
    batch.append((entry, marker))
    if len(batch) >= FLUSH_AT:
        _flush(conn)
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level change record {field: [old, new]} for the changed fields only."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


# --- verifying ---------------------------------------------------------------


@dataclass
class Problem:
    entry_id: int | None
    kind: str  # link / hash / tail / row / unaudited
    detail: str

    def __str__(self) -> str:
        where = f"审计日志 #{self.entry_id}" if self.entry_id is not None else "审计链"
        return f"{where}：{self.detail}"


@dataclass
class VerifyReport:
    entries: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    chain_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @property
    def entries_per_second(self) -> float:
        return self.entries / self.chain_seconds if self.chain_seconds > 0 else 0.0


_BATCH = 20000
_cursor_seq = itertools.count(1)


def _prefetched(fetch: Callable[[], list[Any]]) -> Iterator[list[Any]]:
    """Batches from ``fetch`` read one step ahead by a helper thread.

    While the database produces (and the driver receives) the next batch, this
    thread hashes the current one: the driver releases the GIL while it waits.
    """
    batches: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def hand_over(item: Any) -> None:
        # Gives up when the reader has stopped listening (it broke off early).
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def pump() -> None:
        try:
            while not stop.is_set():
                rows = fetch()
                hand_over(rows if rows else done)
                if not rows:
                    return
        except BaseException as exc:  # handed to the reader, raised there
            hand_over(exc)

    helper = threading.Thread(target=pump, name="audit-verify-fetch", daemon=True)
    helper.start()
    try:
        while True:
            item = batches.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        helper.join()


def _plain(fetch: Callable[[], list[Any]]) -> Iterator[list[Any]]:
    while rows := fetch():
        yield rows


# Measured (bench/audit_verify.py): reading ahead in a thread lets PostgreSQL
# work while Python hashes; SQLite runs in this process and only gets slower.
PREFETCH = {"postgresql": True}


def _fetch(fetch: Callable[[], list[Any]]) -> Iterator[list[Any]]:
    if PREFETCH.get(connection.vendor, False):
        return _prefetched(fetch)
    return _plain(fetch)


def _batches(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of a query in lists of up to ``_BATCH``: memory stays flat at millions
    of rows.

    On PostgreSQL a named (server-side) cursor; it needs a transaction, which
    :func:`audit_verify` provides. On SQLite the cursor steps through the
    result as it is fetched.
    """
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor(name=f"audit_verify_{next(_cursor_seq)}") as cur:  # type: ignore[union-attr]
            cur.itersize = _BATCH
            cur.execute(sql, list(params))
            yield from _fetch(lambda: cur.fetchmany(_BATCH))
    else:
        with connection.cursor() as cur:
            cur.execute(sql, list(params))
            yield from _fetch(lambda: cur.fetchmany(_BATCH))


def _stream(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    for rows in _batches(sql, params):
        yield from rows


def _at_column() -> str:
    """The entry time as the canonical text of :func:`_at_text`, formatted by the
    database: parsing and re-formatting a datetime per row in Python would cost
    more than the hash itself."""
    if connection.vendor == "postgresql":
        return "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
    # SQLite keeps Django's text form (UTC, microseconds left out when zero).
    return "(CASE WHEN length(at) = 19 THEN at || '.000000' ELSE CAST(at AS TEXT) END)"


def chain_columns_sql() -> str:
    """Every hashed column, one by one: what a plain reader of the chain fetches."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    return (
        f"SELECT id, prev_hash, {_at_column()}, {', '.join(_HASHED_COLUMNS)}, hash "
        f"FROM {table} ORDER BY id"
    )


def chain_sql() -> str:
    """(id, hashed text, hash) per entry in chain order.

    The database joins the hashed fields with the separator itself, so Python
    receives three values per entry instead of thirteen: the walk then costs
    little more than the SM3 it must compute anyway. The text starts with the
    entry's prev_hash, exactly as :func:`entry_hash` lays it out. SQLite hands
    it over as UTF-8 bytes (no decoding and encoding again); PostgreSQL as text.
    """
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sep = "chr(31)" if connection.vendor == "postgresql" else "char(31)"
    parts = ["prev_hash", _at_column(), *_HASHED_COLUMNS]
    text = f" || {sep} || ".join(parts)
    if connection.vendor != "postgresql":
        text = f"CAST({text} AS BLOB)"
    return f"SELECT id, {text}, hash FROM {table} ORDER BY id"


def verify_chain(
    report: VerifyReport, progress: Callable[[int], None] | None = None
) -> VerifyReport:
    """Walk the chain in id order; stop at the first broken link and name it."""
    started = time.perf_counter()
    # The head is read first: entries appended while the walk runs come after
    # it and are checked like any other, and the head's own link must be found.
    head = AuditHead.objects.filter(id=1).values_list("last_id", "last_hash").first()
    head_id, head_hash = head if head else (0, GENESIS)
    head_seen = head_id == 0

    sm3_copy = hashlib.new("sm3").copy
    encode = connection.vendor == "postgresql"
    sep = _SEP.encode()
    link = GENESIS.encode() + sep  # each entry's text must start with this
    count = 0
    next_progress = 100_000
    problem: Problem | None = None
    for rows in _batches(chain_sql()):
        for eid, text, h in rows:
            count += 1
            data = text.encode("utf-8") if encode else text
            if data[:65] != link:
                problem = Problem(
                    eid,
                    "link",
                    "与前一条日志的哈希链接断开：前一条日志被修改或删除，或本条被改动",
                )
                break
            digest = sm3_copy()
            digest.update(data)
            if digest.hexdigest() != h:
                problem = Problem(eid, "hash", "本条日志的内容与其哈希不符（本条被修改）")
                break
            link = h.encode("ascii") + sep
            if eid == head_id:
                head_seen = h == head_hash
        if problem is not None:
            break
        if progress is not None and count >= next_progress:
            progress(count)
            next_progress = (count // 100_000 + 1) * 100_000
    report.entries = count
    if problem is not None:
        report.problems.append(problem)
    elif not head_seen:
        report.problems.append(
            Problem(
                head_id,
                "tail",
                f"链头记录的最后一条日志 #{head_id} 已不在链中（末尾的日志被删除或改动）",
            )
        )
    report.chain_seconds = time.perf_counter() - started
    return report


def _latest_entries(otype: str) -> dict[str, tuple[int, str]]:
    """object id -> (id, state digest) of the newest entry of each object of a type."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = (
        f"SELECT object_id, id, state_digest FROM {table} "
        "WHERE object_type = %s ORDER BY object_id, id"
    )
    latest: dict[str, tuple[int, str]] = {}
    for oid, eid, state in _stream(sql, [otype]):
        # Ordered by id within an object, so the last one written wins.
        latest[oid] = (eid, state)
    return latest


def verify_rows(report: VerifyReport) -> VerifyReport:
    """Every audited row must match the digest its newest entry recorded, and
    every row must have an entry."""
    for otype, model in sorted(_REGISTRY.items()):
        latest = _latest_entries(otype)
        mtable = connection.ops.quote_name(model._meta.db_table)
        cols = _columns(model)
        pk_index = cols.index(_pk_column(model))
        col_sql = ", ".join(connection.ops.quote_name(c) for c in cols)
        for row in _stream(f"SELECT {col_sql} FROM {mtable}"):
            report.rows += 1
            oid = str(row[pk_index])
            found = latest.pop(oid, None)
            if found is None:
                report.problems.append(
                    Problem(
                        None,
                        "unaudited",
                        f"{otype}:{oid} 没有任何审计日志（绕过服务直接写入数据库）",
                    )
                )
            elif found[1] != digest_row(cols, row):
                report.problems.append(
                    Problem(
                        found[0],
                        "row",
                        f"{otype}:{oid} 的当前数据与本条日志记录的摘要不符（数据库被直接修改）",
                    )
                )
        for oid, (eid, state) in sorted(latest.items(), key=lambda kv: kv[1][0]):
            if state:
                report.problems.append(
                    Problem(
                        eid,
                        "row",
                        f"{otype}:{oid} 已不存在，但本条日志记录它仍存在（被直接删除）",
                    )
                )
    return report


def audit_verify(
    progress: Callable[[int], None] | None = None, *, rows: bool = True
) -> VerifyReport:
    """Check the whole chain and (unless ``rows=False``) every audited row.

    On PostgreSQL the check reads one snapshot (REPEATABLE READ, read only) when
    it is not already inside a transaction, so writes committed meanwhile
    cannot look like tampering.
    """
    started = time.perf_counter()
    report = VerifyReport()

    def run() -> None:
        verify_chain(report, progress)
        if rows:
            verify_rows(report)

    if connection.vendor == "postgresql":
        fresh = not connection.in_atomic_block
        with transaction.atomic():
            if fresh:
                with connection.cursor() as cur:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            run()
    else:
        run()
    report.seconds = time.perf_counter() - started
    return report


# --- reading -------------------------------------------------------------------

ACTOR_KINDS = {
    "staff": "工作人员",
    "person": "自然人",
    "entity": "法人",
    "api": "接入系统",
    "system": "系统",
    "public": "公众",
}


def audit_entries(
    *, action: str = "", object_type: str = "", actor_label: str = ""
) -> models.QuerySet[AuditEntry]:
    """Entries newest first, filtered by exact action and object type (both
    indexed) and by part of the actor's name. The caller checks audit.view."""
    qs = AuditEntry.objects.order_by("-id")
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor_label:
        qs = qs.filter(actor_label__icontains=actor_label)
    return qs


def audit_entry_count_estimate() -> int:
    """Entries in the chain, from the head (no COUNT over millions of rows)."""
    head = AuditHead.objects.filter(id=1).values_list("count", flat=True).first()
    return int(head or 0)


def object_type_label(object_type: str) -> str:
    model = _REGISTRY.get(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type
