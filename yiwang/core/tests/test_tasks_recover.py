"""A worker killed mid-task leaves its row 执行中 for ever (the database
backend has no heartbeat): ``tasks_recover`` puts such rows back on the queue
after their queue's limit, leaves a task still within it alone, and fails a
task that has lost three workers (docs/deployment.md, "Scheduled work")."""

from __future__ import annotations

import datetime as dt
import io
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yiwang.core import tasks as core_tasks

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sweeps"]}
}


@pytest.fixture
def engine(settings: Any, transactional_db: Any) -> Iterator[Any]:
    settings.TASKS = DB_TASKS
    settings.YIWANG_TASK_STALE_MINUTES = {"default": 15, "sweeps": 360}
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield settings
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def worker_batch() -> None:
    call_command("tasks_worker", "--batch", "--no-startup-delay", "--interval=0", verbosity=0)


def left_running(name: str, *, minutes_ago: float, workers: list[str]) -> DBTaskResult:
    """A queued run of the scheduled task ``name`` in the state a worker
    killed while running it leaves behind: claimed, started, never finished."""
    result = core_tasks.scheduled_enqueue(name)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        worker_ids=workers,
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_lost_workers_task_is_requeued_and_then_runs(engine):
    """R14.1 (disaster recovery), R5.7: nothing queued — a message's SMS copy,
    a notice's PDF — is lost to a killed worker: the row goes back
    to 待执行 and the next worker runs it; a task on the sweeps queue has
    hours before it counts as lost, one running for a minute is alive."""
    lost = left_running("tasks_prune", minutes_ago=20, workers=["web1-worker-7"])
    # tasks_prune runs on the sweeps queue (limit 360 min): 20 min is not lost
    assert lost.queue_name == "sweeps"
    assert core_tasks.recover_stale() == {"requeued": 0, "failed": 0}
    lost_default = left_running("tasks_recover", minutes_ago=20, workers=["web2-worker-1"])
    alive = left_running("tasks_recover", minutes_ago=1, workers=["web2-worker-2"])
    out = io.StringIO()
    call_command("tasks", "status", stdout=out)  # nothing failed: no exit status 1
    assert "执行超时（工作进程可能已失联）1 个" in out.getvalue()

    later = timezone.now() + dt.timedelta(minutes=345)  # lost: 20 + 345 > 360
    assert core_tasks.recover_stale(now=later) == {"requeued": 3, "failed": 0}
    for row in (lost, lost_default):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.READY and row.started_at is None
    alive.refresh_from_db()
    assert alive.status == TaskResultStatus.READY  # 1 + 345 min > 15: lost by then too

    worker_batch()
    for row in (lost, lost_default, alive):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
        assert len(row.worker_ids) == 2  # the lost worker and the one that ran it


def test_a_task_that_keeps_killing_its_workers_is_failed_and_reported(engine):
    """A task whose run has lost three workers (it is what kills them: a
    memory blow-up, a crash in a library) is failed with the workers named,
    not requeued again; ``yiwang tasks status`` then exits 1 and lists it."""
    row = left_running("tasks_recover", minutes_ago=30, workers=["w1", "w2", "w3"])
    assert core_tasks.recover_stale() == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert "3 个工作进程失联" in row.traceback and "w1, w2, w3" in row.traceback
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("tasks", "status", stdout=out)
    assert exited.value.code == 1
    assert "yiwang.core.tasks.tasks_recover" in out.getvalue()
    # once failed it is left alone
    assert core_tasks.recover_stale() == {"requeued": 0, "failed": 0}


def test_a_row_that_finished_meanwhile_is_not_touched(engine, monkeypatch):
    """The move is one conditional UPDATE: a row whose slow (not lost) worker
    finished between the scan and the move stays finished."""
    row = left_running("tasks_recover", minutes_ago=30, workers=["w1"])
    stale = core_tasks.stale_running()
    assert [r.pk for r in stale] == [row.pk]
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )
    # the scan saw it running: the race as it happens between two statements
    monkeypatch.setattr(core_tasks, "stale_running", lambda now=None: stale)
    assert core_tasks.recover_stale() == {"requeued": 0, "failed": 0}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
