"""Pages of long lists whose total is counted only up to a cap.

An exact ``COUNT(*)`` of a busy agency's queue reads every matching row (at a
province's ten million cases, tens of thousands of index probes for one
clerk's 审查中 queue) although the page shows twenty. Past the cap the pager
says "1,000+" and asks the reader to narrow the filter (R2.2; ARCHITECTURE:
"counts are capped or estimated")."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

DEFAULT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator whose ``count`` stops at ``cap``; ``capped`` tells the page
    that more rows exist than were counted. ``known_count`` skips counting
    when the caller already knows the total (e.g. from a maintained head)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int = DEFAULT_CAP,
        known_count: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.known_count = known_count

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        if self.known_count is not None:
            return self.known_count, False
        ol = self.object_list
        if hasattr(ol, "order_by") and hasattr(ol, "values_list"):
            # Count primary keys of at most cap + 1 rows: the database stops
            # scanning there, and ordering is irrelevant to a count.
            n = len(ol.order_by().values_list("pk", flat=True)[: self.cap + 1])
        else:
            n = len(ol)
        if n > self.cap:
            return self.cap, True
        return n, False

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def capped(self) -> bool:
        return self._counted[1]
