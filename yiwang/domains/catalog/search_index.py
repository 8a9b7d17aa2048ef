"""The portal's search table and cache tokens (R3.4, R3.7).

``ItemSearchRow`` holds one narrow row per public item (published, active or
suspended, of an active catalogue entry) and ``SearchKey`` one row per distinct
item name with its pinyin keys. ``search_row_refresh`` rewrites the rows of the
given items from the items themselves; every catalogue service that changes
whether an item is public or what its row holds calls it inside its own
transaction (publish, suspend, resume, cancel, classification). A future
service that changes a catalogue entry's lifecycle must call it for the
entry's items. ``search_rows_rebuild`` rebuilds everything (the
``catalog_reindex`` command, bulk loads).

``CatalogGeneration`` (one row) carries two random tokens: ``items`` changes
with every refresh, ``reference`` whenever reference data the portal shows is
saved or deleted (agencies, divisions, halls, windows, roles, item types,
tags, topics: connected in ``apps.py``). Cached portal counts and guide pages
name these tokens in their cache keys, and the tokens live in the database,
written in the same transaction as the change: a cache, shared or one per
process, can then never serve what a committed change made stale, and a
rolled-back change leaves the tokens as they were.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q

from yiwang.domains.catalog.models import (
    CatalogGeneration,
    ItemSearchRow,
    Lifecycle,
    SearchKey,
    ServiceItem,
)

LISTED = (Lifecycle.ACTIVE, Lifecycle.SUSPENDED)
_CHUNK = 500

_ROW_VALUES = (
    "pk",
    "implementation_code",
    "current_id",
    "search_name",
    "search_initials",
    "search_pinyin",
    "audience",
    "is_convenience",
    "agency_id",
    "division__code",
    "lifecycle",
)


def public_item_q(prefix: str = "") -> Q:
    """Published, listed (active or suspended) items of an active catalogue
    entry; ``prefix`` reads it from a related model (``items__`` …)."""
    return Q(
        **{
            f"{prefix}current__isnull": False,
            f"{prefix}lifecycle__in": LISTED,
            f"{prefix}entry__lifecycle": Lifecycle.ACTIVE,
        }
    )


def _token() -> str:
    return secrets.token_hex(8)


def _bump(field: str) -> None:
    if not CatalogGeneration.objects.filter(pk=1).update(**{field: _token()}):
        CatalogGeneration.objects.get_or_create(
            pk=1, defaults={"items": _token(), "reference": _token()}
        )


def generation() -> tuple[str, str] | None:
    """(items token, reference token), or None when the row is missing (then
    nothing may be cached). One query."""
    row = CatalogGeneration.objects.filter(pk=1).values_list("items", "reference").first()
    return (row[0], row[1]) if row else None


def reference_changed(**kwargs: Any) -> None:
    """Signal receiver: reference data shown on portal pages was saved or
    deleted, so every cached page and count is stale."""
    if kwargs.get("raw"):  # loaddata
        return
    _bump("reference")


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _key_ids(values: list[tuple[Any, ...]]) -> dict[str, int]:
    """SearchKey ids of the names in ``values`` (rows of ``_ROW_VALUES``),
    creating the missing keys."""
    wanted = {v[3]: (v[4], v[5]) for v in values}
    found: dict[str, int] = {}
    names = sorted(wanted)
    for i in range(0, len(names), _CHUNK):
        part = names[i : i + _CHUNK]
        found.update(SearchKey.objects.filter(name__in=part).values_list("name", "pk"))
    missing = [n for n in names if n not in found]
    if missing:
        SearchKey.objects.bulk_create(
            [SearchKey(name=n, initials=wanted[n][0], pinyin=wanted[n][1]) for n in missing],
            ignore_conflicts=True,
            batch_size=_CHUNK,
        )
        for i in range(0, len(missing), _CHUNK):
            part = missing[i : i + _CHUNK]
            found.update(SearchKey.objects.filter(name__in=part).values_list("name", "pk"))
    return found


def _insert(values: list[tuple[Any, ...]], stamp: str) -> None:
    keys = _key_ids(values)
    ItemSearchRow.objects.bulk_create(
        [
            ItemSearchRow(
                item_id=pk,
                key_id=keys[name],
                implementation_code=code,
                version_id=current,
                pinyin=pinyin,
                audience=audience,
                is_convenience=conv,
                agency_id=agency,
                division_code=division,
                lifecycle=state,
                stamp=stamp,
            )
            for (
                pk,
                code,
                current,
                name,
                _initials,
                pinyin,
                audience,
                conv,
                agency,
                division,
                state,
            ) in values
        ],
        batch_size=_CHUNK,
    )


def search_row_refresh(item_ids: Iterable[int]) -> int:
    """Rewrite the search rows of these items from the items: a row for each
    public one, none for the others; then change the ``items`` token. Call it
    inside the transaction of the change. Returns the number of public items."""
    ids = sorted({int(i) for i in item_ids})
    if not ids:
        return 0
    stamp = _token()
    public = 0
    for part in _chunks(ids):
        values = list(
            ServiceItem.objects.filter(public_item_q(), pk__in=part).values_list(*_ROW_VALUES)
        )
        ItemSearchRow.objects.filter(item_id__in=part).delete()
        if values:
            _insert(values, stamp)
        public += len(values)
    _bump("items")
    return public


def search_rows_rebuild(*, batch: int = 5000) -> int:
    """Rebuild the whole search table from the items (``catalog_reindex``,
    bulk loads), drop the names no item uses any more, change both tokens.
    Returns the number of rows."""
    ItemSearchRow.objects.all().delete()
    stamp = _token()
    total = 0
    last = 0
    while True:
        values = list(
            ServiceItem.objects.filter(public_item_q(), pk__gt=last)
            .order_by("pk")
            .values_list(*_ROW_VALUES)[:batch]
        )
        if not values:
            break
        _insert(values, stamp)
        total += len(values)
        last = values[-1][0]
    SearchKey.objects.filter(rows__isnull=True).delete()
    _bump("items")
    _bump("reference")
    return total


def search_rows_differences() -> list[str]:
    """How the search table differs from what the items say (empty when in
    step): for ``catalog_reindex --check`` and the tests."""
    want = {
        v[0]: (v[1], v[2], v[3], v[5], v[6], v[7], v[8], v[9], v[10])
        for v in ServiceItem.objects.filter(public_item_q()).values_list(*_ROW_VALUES)
    }
    have = {
        v[0]: v[1:]
        for v in ItemSearchRow.objects.values_list(
            "item_id",
            "implementation_code",
            "version_id",
            "key__name",
            "pinyin",
            "audience",
            "is_convenience",
            "agency_id",
            "division_code",
            "lifecycle",
        )
    }
    out = []
    for pk in sorted(want.keys() | have.keys()):
        if pk not in have:
            out.append(f"事项 {want[pk][0]} 缺少检索行")
        elif pk not in want:
            out.append(f"事项 {have[pk][0]} 不应有检索行")
        elif want[pk] != have[pk]:
            out.append(f"事项 {want[pk][0]} 的检索行与事项不一致")
    return out


__all__ = [
    "LISTED",
    "generation",
    "public_item_q",
    "reference_changed",
    "search_row_refresh",
    "search_rows_differences",
    "search_rows_rebuild",
]
