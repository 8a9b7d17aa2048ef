"""The task engine as the platform uses it (docs/adr/0007-task-engine.md):
the schedule's names, the queue's state, and pruning finished rows.

Domains define their tasks with ``django_tasks.task`` in their own
``tasks.py``; this module names no domain (the schedule's dotted paths live in
settings, ``YIWANG_SCHEDULED_TASKS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from yiwang.core.errors import NotFound


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
