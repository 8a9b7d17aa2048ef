"""The task engine as the platform uses it (docs/adr/0007-task-engine.md):
the schedule's names, the queue's state, and pruning finished rows.

Domains define their tasks with ``django_tasks.task`` in their own
``tasks.py``; this module names no domain (the schedule's dotted paths live in
settings, ``YIWANG_SCHEDULED_TASKS``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from yiwang.core.errors import NotFound

log = logging.getLogger("yiwang.tasks")


def enqueue_with_transaction(
    task: Task[Any, Any], *, run_now_if_immediate: bool = False, **kwargs: Any
) -> None:
    """Queue ``task`` so that it exists only if the open transaction commits.
    With the database backend its row joins the transaction (both commit or
    neither); a queue outside the database gets it after commit, so it never
    runs before the rows it reads. ``run_now_if_immediate``: the immediate
    backend (tests, a one-process set-up) runs it at once, inside the
    transaction, as if a worker were instant."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend) or (
        run_now_if_immediate and isinstance(backend, ImmediateBackend)
    ):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs))


def scheduled_names() -> dict[str, str]:
    return dict(getattr(settings, "YIWANG_SCHEDULED_TASKS", {}))


def scheduled_task(name: str) -> Task[Any, Any]:
    """The task a schedule entry names; NotFound for a name not in the schedule."""
    path = scheduled_names().get(name)
    if path is None:
        known = "、".join(sorted(scheduled_names())) or "（无）"
        raise NotFound(f"没有名为 {name} 的定时任务；可用：{known}", code="task_not_found")
    found = import_string(path)
    if not isinstance(found, Task):
        raise NotFound(f"{path} 不是任务", code="task_not_found")
    return found


def scheduled_enqueue(name: str) -> TaskResult[Any]:
    """Put one run of a scheduled task on its queue (what cron calls)."""
    return scheduled_task(name).enqueue()


@dataclass(frozen=True)
class QueueState:
    counts: dict[str, int]  # status -> rows
    failed: list[DBTaskResult]  # the latest failures, newest first
    oldest_ready: dt.datetime | None  # the longest-waiting runnable task


def queue_state(*, failures: int = 10) -> QueueState:
    counts = {
        row["status"]: row["n"]
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by()
    }
    failed = list(DBTaskResult.objects.failed().order_by("-finished_at")[:failures])
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    return QueueState(counts=counts, failed=failed, oldest_ready=oldest)


def prune_finished(*, keep_days: int | None = None) -> int:
    """Delete finished task rows older than ``keep_days``; returns how many."""
    days = keep_days if keep_days is not None else settings.YIWANG_TASKS_KEEP_DAYS
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=cutoff,
    ).delete()
    return deleted


@task(queue_name="sweeps")
def tasks_prune() -> dict[str, int]:
    """Daily: the task table keeps only recent history."""
    return {"deleted": prune_finished()}


# A worker killed mid-task (SIGKILL, a lost machine) leaves its row RUNNING
# for ever: django-tasks-db has no heartbeat. Past its queue's limit such a
# row is put back to READY for another worker; every platform task is
# idempotent (a message carries its id for the gateway to drop a repeat, a
# document is rendered once, the sweeps recompute), so a worker that was only
# slow and finishes after all does no harm. A task that has lost this many
# workers is failed instead: it is what kills them.
MAX_LOST_WORKERS = 3


def stale_limits() -> dict[str, dt.timedelta]:
    minutes = dict(getattr(settings, "YIWANG_TASK_STALE_MINUTES", {}))
    return {queue: dt.timedelta(minutes=float(m)) for queue, m in minutes.items()}


def stale_running(now: dt.datetime | None = None) -> list[DBTaskResult]:
    """RUNNING rows older than their queue's limit, oldest first."""
    now = now or timezone.now()
    rows: list[DBTaskResult] = []
    for queue, limit in stale_limits().items():
        rows += list(
            DBTaskResult.objects.running()
            .filter(queue_name=queue, started_at__lt=now - limit)
            .order_by("started_at")
        )
    return rows


def recover_stale(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Put tasks whose worker was lost back on the queue; fail the ones that
    lost ``MAX_LOST_WORKERS`` workers. Each row moves with one conditional
    UPDATE, so a worker finishing at that moment is never overwritten."""
    now = now or timezone.now()
    requeued = failed = 0
    for row in stale_running(now):
        still = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING)
        lost = len(row.worker_ids or [])
        if lost >= MAX_LOST_WORKERS:
            moved = still.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=(
                    f"WorkerLost: 该任务运行中已有 {lost} 个工作进程失联"
                    f"（{', '.join(map(str, row.worker_ids))}），不再重试"
                ),
            )
            failed += moved
            if moved:
                log.error("task %s (%s) failed: lost %s workers", row.pk, row.task_path, lost)
            continue
        moved = still.update(status=TaskResultStatus.READY, started_at=None)
        requeued += moved
        if moved:
            log.warning(
                "task %s (%s) requeued: worker %s lost since %s",
                row.pk,
                row.task_path,
                (row.worker_ids or ["?"])[-1],
                row.started_at,
            )
    return {"requeued": requeued, "failed": failed}


@task()
def tasks_recover() -> dict[str, int]:
    """Every few minutes: tasks of lost workers go back on the queue (on the
    default queue, so a long sweep never delays it)."""
    return recover_stale()
