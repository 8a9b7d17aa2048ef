"""Scheduled work of the cases domain, run by the task engine's workers
(docs/adr/0007-task-engine.md). Message delivery is in ``notify``."""

from __future__ import annotations

from collections.abc import Callable

from django_tasks import task

from yiwang.core.actors import SYSTEM
from yiwang.domains.cases.lifecycle import ENDED
from yiwang.domains.cases.models import Case
from yiwang.domains.cases.services import case_clock_recompute, case_documents_sweep


def clock_refresh_open_cases(
    *, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Recompute the due dates of every open accepted case (after the
    working-day calendar changed); each case in its own short transaction."""
    ids = list(
        Case.objects.filter(accepted_on__isnull=False)
        .exclude(status__in=[s.value for s in ENDED])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    moved = 0
    for n, pk in enumerate(ids, 1):
        moved += case_clock_recompute(actor=SYSTEM, case_id=pk)
        if progress is not None and n % 1000 == 0:
            progress(n, len(ids))
    return {"checked": len(ids), "moved": moved}


@task(queue_name="sweeps")
def cases_clock_refresh() -> dict[str, int]:
    return clock_refresh_open_cases()


@task(queue_name="sweeps")
def cases_documents_sweep() -> dict[str, int]:
    """Documents no worker finished (docs/adr/0008-documents-by-task.md)."""
    return case_documents_sweep(actor=SYSTEM)
