"""Hot primary-key lookups compiled once per connection.

Building the SQL of a queryset costs more Python than a primary-key lookup
costs the database: a case locked with its agency, division, version and
item is ~0.7 ms of query building and ~0.1 ms of SQLite (bench/lifecycle.py),
and every case service starts with one. :class:`PreparedLookup` builds that
SQL once per database connection and then only runs it with new keys,
turning rows into model instances with Django's own converters and
``select_related`` populators, exactly as the queryset would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections, models, transaction
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

# Stands for the key while the queryset is compiled; found again among the
# compiled parameters to know where each call's key goes.
_PLACEHOLDER = -7_340_213_901
_CACHE_ATTR = "_yiwang_prepared"


class _Compiled:
    def __init__(self, queryset: models.QuerySet[Any], using: str) -> None:
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [i for i, p in enumerate(params) if p == _PLACEHOLDER]
        if len(slots) != 1:
            raise ValueError("a prepared lookup takes its key exactly once")
        self.slot = slots[0]
        self.sql = sql
        self.params = list(params)
        self.locks = bool(queryset.query.select_for_update)
        self.compiler = compiler
        klass_info = compiler.klass_info
        select = compiler.select
        assert klass_info is not None
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        # django-stubs describe a later Django's signature (with fetch_mode).
        self.populators = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]
        self.converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])


class PreparedLookup(Generic[M]):
    """``build(key)`` gives the queryset of one lookup (a filter on one
    integer key, sliced ``[:1]`` when several rows may match and only the
    first is wanted); :meth:`get` and :meth:`all` run its SQL, compiled on
    the connection's first call, with another key. The key must reach the
    SQL unchanged, hence integers (ids): a text field would turn the
    placeholder into text, and compiling refuses what it cannot find.

    Only what a queryset does for plain rows is supported: no annotations,
    ``extra``, ``only``/``defer`` or prefetching (refused when compiling)."""

    def __init__(self, build: Callable[[Any], models.QuerySet[M]], using: str = "default"):
        self.build = build
        self.using = using

    def _for(self, conn: Any) -> _Compiled:
        # Kept on the connection (one per thread): it goes with it, and a
        # compiled query is only ever run on the connection it was built for.
        cache: dict[PreparedLookup[Any], _Compiled] | None = getattr(conn, _CACHE_ATTR, None)
        if cache is None:
            cache = {}
            setattr(conn, _CACHE_ATTR, cache)
        compiled = cache.get(self)
        if compiled is None:
            queryset = self.build(_PLACEHOLDER)
            query = queryset.query
            if (
                query.annotations
                or query.extra
                or query.deferred_loading[0]
                or bool(getattr(queryset, "_prefetch_related_lookups", None))
            ):
                raise ValueError("a prepared lookup selects plain rows only")
            compiled = cache[self] = _Compiled(queryset, self.using)
        return compiled

    def _rows(self, key: Any, limit: int | None) -> tuple[_Compiled, list[Any]]:
        conn = connections[self.using]
        c = self._for(conn)
        if c.locks and conn.get_autocommit():
            # What the queryset itself refuses: a lock outside a transaction
            # would be released at once.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(c.params)
        params[c.slot] = key
        with conn.cursor() as cur:
            cur.execute(c.sql, params)
            rows = cur.fetchall() if limit is None else cur.fetchmany(limit)
        if rows and c.converters:
            rows = list(c.compiler.apply_converters(rows, c.converters))
        return c, rows

    def _instance(self, c: _Compiled, row: Any) -> M:
        obj: M = c.model.from_db(self.using, c.init_list, row[c.start : c.end])
        for populator in c.populators:
            populator.populate(row, obj)
        return obj

    def get(self, key: Any) -> M | None:
        """The one row for ``key`` as an instance, or None; more than one
        raises ``MultipleObjectsReturned`` as ``QuerySet.get`` does."""
        c, rows = self._rows(key, 2)
        if not rows:
            return None
        if len(rows) > 1:
            raise c.model.MultipleObjectsReturned(f"{c.model.__name__}: more than one row")
        return self._instance(c, rows[0])

    def all(self, key: Any) -> list[M]:
        """Every row for ``key``, in the queryset's order."""
        c, rows = self._rows(key, None)
        return [self._instance(c, row) for row in rows]


def hook_queued(conn: Any, marker: Callable[[], None]) -> bool:
    """Whether the on-commit hook ``marker`` is still queued on ``conn``: Django
    drops every hook at commit and rollback, and the hooks of an atomic block
    whose savepoint rolls back, so a marker hook tells whether what was done
    when it was queued still stands."""
    # The newest hooks sit at the end: a recent marker is found at once.
    return any(hook[1] is marker for hook in reversed(conn.run_on_commit))


class TransactionMemo(Generic[T]):
    """A value remembered for the rest of the current transaction: gone at
    commit or rollback, and with the atomic block it was set in if that
    block rolls back (its marker hook goes with the block's, see
    :func:`hook_queued`). Outside a transaction nothing is kept."""

    def __init__(self, name: str) -> None:
        self.attr = f"_yiwang_memo_{name}"

    def get(self, conn: Any) -> T | None:
        held: tuple[Callable[[], None], T] | None = getattr(conn, self.attr, None)
        if held is None or not conn.in_atomic_block:
            return None
        marker, value = held
        if hook_queued(conn, marker):
            return value
        setattr(conn, self.attr, None)
        return None

    def set(self, conn: Any, value: T) -> None:
        if not conn.in_atomic_block:
            return

        def marker() -> None:
            setattr(conn, self.attr, None)

        transaction.on_commit(marker, using=conn.alias)
        setattr(conn, self.attr, (marker, value))

    def clear(self, conn: Any) -> None:
        setattr(conn, self.attr, None)
