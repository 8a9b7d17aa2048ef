"""The audit chain: every service write appends a link; ``yiwang audit verify``
walks the whole chain and every audited row (R14.3, R14.5).

Usage inside a service (already in ``transaction.atomic``)::

    audit_append(actor=actor, action="orgs.agency_create", obj=agency,
                 change={"name": [None, agency.name]})
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from yiwang.core.actors import Actor
from yiwang.core.crypto import sm3_hex
from yiwang.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64
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
    return [f.column for f in model._meta.concrete_fields]


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


def digest_row(values: tuple[Any, ...] | list[Any]) -> str:
    return sm3_hex(_SEP.join(_value_text(v) for v in values).encode("utf-8"))


def row_digest(model: type[models.Model], pk: Any) -> str:
    """SM3 of a row exactly as stored (encrypted columns stay encrypted), or ''
    when the row does not exist."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _columns(model))
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM {table} WHERE {pk_col} = %s", [pk])  # noqa: S608
        row = cur.fetchone()
    return digest_row(row) if row else ""


# --- appending ---------------------------------------------------------------


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
    write, so the link and the write commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
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
    change_text = canonical_json(change or {})
    context_text = canonical_json(audit_context.get() or {})
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    at = timezone.now()
    digest = entry_hash(
        head.last_hash,
        at,
        ref.kind,
        ref.id,
        ref.label,
        action,
        object_type,
        object_id,
        change_text,
        context_text,
        state,
    )
    entry = AuditEntry.objects.create(
        at=at,
        actor_kind=ref.kind,
        actor_id=ref.id,
        actor_label=ref.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        change=change_text,
        context=context_text,
        state_digest=state,
        prev_hash=head.last_hash,
        hash=digest,
    )
    AuditHead.objects.filter(id=1).update(
        last_id=entry.pk, last_hash=digest, count=models.F("count") + 1
    )
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level change record {field: [old, new]} for the changed fields only."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


# --- verifying ---------------------------------------------------------------


@dataclass
class Problem:
    entry_id: int | None
    kind: str
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

    @property
    def ok(self) -> bool:
        return not self.problems


def _stream(sql: str, params: list[Any], size: int = 20000) -> Iterator[tuple[Any, ...]]:
    # A server-side cursor on PostgreSQL keeps memory flat at millions of rows.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.connection.cursor(name="audit_verify") as cur:  # type: ignore[union-attr]
                cur.itersize = size
                cur.execute(sql.replace("%s", "%s"), params)
                yield from cur
        else:
            with connection.cursor() as cur:
                cur.execute(sql, params)
                while True:
                    rows = cur.fetchmany(size)
                    if not rows:
                        break
                    yield from rows


def verify_chain(
    report: VerifyReport, progress: Callable[[int], None] | None = None
) -> VerifyReport:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = (
        "SELECT id, at, actor_kind, actor_id, actor_label, action, object_type, object_id, "  # noqa: S608
        f"change, context, state_digest, prev_hash, hash FROM {table} ORDER BY id"
    )
    prev = GENESIS
    last_id = 0
    count = 0
    for row in _stream(sql, []):
        (eid, at, kind, aid, label, action, otype, oid, change, ctx, state, prev_hash, h) = row
        count += 1
        if prev_hash != prev:
            report.problems.append(
                Problem(eid, "link", "与前一条的哈希链接断开（前一条被修改或删除）")
            )
            break
        if entry_hash(prev, at, kind, aid, label, action, otype, oid, change, ctx, state) != h:
            report.problems.append(Problem(eid, "hash", "内容与其哈希不符（本条被修改）"))
            break
        prev = h
        last_id = eid
        if progress and count % 100000 == 0:
            progress(count)
    report.entries = count
    if not report.problems:
        head = AuditHead.objects.filter(id=1).first()
        head_hash = head.last_hash if head else GENESIS
        head_id = head.last_id if head else 0
        if head_hash != prev or head_id != last_id:
            report.problems.append(
                Problem(last_id or None, "tail", "链尾与链头记录不符（末尾的日志被删除）")
            )
    return report


def verify_rows(report: VerifyReport) -> VerifyReport:
    """Every audited row must match the digest its newest entry recorded."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    for otype, model in sorted(_REGISTRY.items()):
        latest: dict[str, tuple[int, str]] = {}
        sql = (
            f"SELECT a.object_id, a.id, a.state_digest FROM {table} a "  # noqa: S608
            f"WHERE a.object_type = %s AND a.id IN (SELECT MAX(id) FROM {table} "
            "WHERE object_type = %s GROUP BY object_id)"
        )
        for oid, eid, state in _stream(sql, [otype, otype]):
            latest[oid] = (eid, state)
        mtable = connection.ops.quote_name(model._meta.db_table)
        cols = _columns(model)
        pk_index = cols.index(model._meta.pk.column)
        col_sql = ", ".join(connection.ops.quote_name(c) for c in cols)
        for row in _stream(f"SELECT {col_sql} FROM {mtable}", []):  # noqa: S608
            report.rows += 1
            oid = str(row[pk_index])
            found = latest.pop(oid, None)
            if found is None:
                report.problems.append(
                    Problem(None, "unaudited", f"{otype}:{oid} 没有任何审计记录（绕过服务直接写入）")
                )
            elif found[1] != digest_row(row):
                report.problems.append(
                    Problem(
                        found[0],
                        "row",
                        f"{otype}:{oid} 的当前数据与本条记录的摘要不符（数据库被直接修改）",
                    )
                )
        for oid, (eid, state) in latest.items():
            if state:
                report.problems.append(
                    Problem(eid, "row", f"{otype}:{oid} 已不存在，但本条记录它仍存在（被直接删除）")
                )
    return report


def audit_verify(progress: Callable[[int], None] | None = None) -> VerifyReport:
    import time

    started = time.perf_counter()
    report = VerifyReport()
    verify_chain(report, progress)
    verify_rows(report)
    report.seconds = time.perf_counter() - started
    return report
