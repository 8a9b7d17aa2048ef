"""Messages to applicants leave through the task engine (R5.7): the in-app
message and its task commit together, a real worker runs the adapters, a
failing adapter is retried alone and finally recorded as a failed task —
never lost silently (docs/adr/0007-task-engine.md)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yiwang.core import tasks as core_tasks
from yiwang.domains.cases import notify, services
from yiwang.domains.cases.models import Notification
from yiwang.domains.cases.tests.conftest import FORM, pdf, png

RECORDER = "yiwang.domains.cases.tests.test_notify.Recorder"
BROKEN = "yiwang.domains.cases.tests.test_notify.Broken"


class Recorder:
    sent: ClassVar[list[dict[str, Any]]] = []
    lock = threading.Lock()

    def send(self, **message: Any) -> None:
        with self.lock:
            Recorder.sent.append(message)


class Broken:
    calls: ClassVar[int] = 0

    def send(self, **message: Any) -> None:
        Broken.calls += 1
        raise ConnectionError("短信网关无响应")


@pytest.fixture(autouse=True)
def _fresh_adapters() -> Iterator[None]:
    Recorder.sent = []
    Broken.calls = 0
    notify.adapter.cache_clear()
    yield
    notify.adapter.cache_clear()


@pytest.fixture
def db_tasks(db_task_engine: Any) -> Any:
    """The production engine, with the recording adapter."""
    db_task_engine.YIWANG_NOTIFIERS = [RECORDER]
    return db_task_engine


def apply(world: Any) -> Any:
    return services.case_apply(
        actor=world.applicant,
        item_id=world.item.pk,
        variant_code="first",
        form_data=FORM,
        files=[("application", "申请书.pdf", pdf()), ("licence", "执照.png", png())],
    )


def test_message_and_its_task_commit_together_and_a_worker_delivers_it(
    case_world, db_tasks, run_worker
):
    """R5.7: submitting writes the in-app message and one queued task in the
    same transaction; the worker sends it once through each adapter, with the
    decrypted phone read at send time (the task row holds only the id)."""
    case = apply(case_world)
    note = Notification.objects.get(case=case)
    row = DBTaskResult.objects.get()
    assert row.status == "READY" and row.task_path == "yiwang.domains.cases.notify.deliver"
    assert row.args_kwargs == {"args": [], "kwargs": {"notification_id": note.pk}}
    assert "13812345678" not in str(row.args_kwargs)
    assert Recorder.sent == []

    run_worker()

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL", row.traceback
    assert len(row.worker_ids) == 1
    assert row.return_value == {"delivered": [RECORDER], "attempt": 1}
    assert Recorder.sent == [
        {
            "notification_id": note.pk,
            "user_id": case_world.applicant.user_id,
            "phone": case.contact_phone,
            "email": "",
            "title": note.title,
            "body": note.body,
        }
    ]
    assert case.contact_phone
    run_worker()  # nothing left: a second pass sends nothing again
    assert len(Recorder.sent) == 1


def test_a_rolled_back_action_leaves_neither_message_nor_task(case_world, db_tasks):
    """R5.7: the task row belongs to the case's transaction — no task for a
    message that never existed."""
    with pytest.raises(RuntimeError), transaction.atomic():
        apply(case_world)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("回滚")
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_without_adapters_the_message_stays_in_app_and_no_task_is_queued(case_world, db_tasks):
    """R5.7: a deployment with no SMS or e-mail adapter keeps every message
    in-app and queues nothing."""
    db_tasks.YIWANG_NOTIFIERS = []
    apply(case_world)
    assert Notification.objects.count() == 1
    assert not DBTaskResult.objects.exists()


def test_a_failing_adapter_is_retried_alone_then_recorded_as_failed(
    case_world, db_tasks, run_worker, capsys
):
    """R5.7: the SMS gateway is down. The working adapter sends once; the
    failing one is retried by itself until the attempts run out, and the last
    task ends FAILED with the gateway's error kept, shown by `tasks status`."""
    db_tasks.YIWANG_NOTIFIERS = [RECORDER, BROKEN]
    db_tasks.YIWANG_NOTIFY_ATTEMPTS = 3
    db_tasks.YIWANG_NOTIFY_RETRY_SECONDS = 0
    apply(case_world)
    note = Notification.objects.get()

    run_worker()

    assert len(Recorder.sent) == 1 and Broken.calls == 3
    rows = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in rows] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert [r.args_kwargs["kwargs"].get("attempt", 1) for r in rows] == [1, 2, 3]
    assert rows[0].return_value == {"delivered": [RECORDER], "retrying": [BROKEN], "attempt": 1}
    assert rows[1].args_kwargs["kwargs"] == {
        "notification_id": note.pk,
        "adapters": [BROKEN],
        "attempt": 2,
    }
    assert rows[2].exception_class_path.endswith("NotificationUndelivered")
    assert "短信网关无响应" in rows[2].traceback

    with pytest.raises(SystemExit) as exit_status:
        call_command("tasks", "status")
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert "已失败\t1" in out and "NotificationUndelivered" in out


def test_a_retry_waits_for_its_time(case_world, db_tasks, run_worker):
    """R5.7: a failed delivery is retried later, not in a tight loop: the
    retry row is not ready before its time."""
    db_tasks.YIWANG_NOTIFIERS = [BROKEN]
    db_tasks.YIWANG_NOTIFY_RETRY_SECONDS = 60
    apply(case_world)
    before = timezone.now()

    run_worker()

    assert Broken.calls == 1
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after >= before + dt.timedelta(seconds=59)
    assert waiting.args_kwargs["kwargs"]["attempt"] == 2


def test_with_a_backend_outside_the_database_the_task_waits_for_commit(
    case_world, settings, django_capture_on_commit_callbacks
):
    """R5.7: under the immediate backend (the test settings) the adapters run
    only once the case's transaction has committed."""
    settings.YIWANG_NOTIFIERS = [RECORDER]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        apply(case_world)
    assert Recorder.sent == []
    for callback in callbacks:
        callback()
    note = Notification.objects.get()
    assert [m["notification_id"] for m in Recorder.sent] == [note.pk]


def test_scheduled_tasks_are_queued_by_name_and_run_by_a_worker(
    case_world, db_tasks, run_worker, capsys
):
    """R6.4: the clock refresh and the certificate expiry run as scheduled
    tasks: `yiwang tasks enqueue NAME` queues one run on the sweeps queue, a
    worker runs it; an unknown name is refused with the names known."""
    case = apply(case_world)
    services.case_accept(actor=case_world.clerk, case_id=case.pk)
    DBTaskResult.objects.all().delete()
    call_command("tasks", "enqueue", "cases_clock_refresh")
    call_command("tasks", "enqueue", "certificates_expire")
    assert set(DBTaskResult.objects.values_list("queue_name", flat=True)) == {"sweeps"}

    run_worker()

    done = {r.task_path.rsplit(".", 1)[1]: r for r in DBTaskResult.objects.all()}
    assert done["cases_clock_refresh"].status == "SUCCESSFUL"
    assert done["cases_clock_refresh"].return_value == {"checked": 1, "moved": 0}
    assert done["certificates_expire"].return_value == {"expired": 0}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cases_clock_refresh"):
        call_command("tasks", "enqueue", "no_such_task")


def test_prune_keeps_recent_and_unfinished_rows(db, db_tasks):
    """R5.7: the failed rows are the record of undelivered copies: finished rows
    are kept for YIWANG_TASKS_KEEP_DAYS, then pruned; waiting rows never are."""
    old = timezone.now() - dt.timedelta(days=40)
    for status, finished in (("SUCCESSFUL", old), ("FAILED", old), ("SUCCESSFUL", None)):
        result = notify.deliver.enqueue(notification_id=0)
        DBTaskResult.objects.filter(pk=result.id).update(
            status=status, finished_at=finished or timezone.now()
        )
    notify.deliver.enqueue(notification_id=0)  # still READY
    assert core_tasks.prune_finished(keep_days=30) == 2
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "READY",
        "SUCCESSFUL",
    ]
