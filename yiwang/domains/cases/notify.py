"""Telling applicants what happened (R5.7): the in-app message is a row;
SMS and e-mail copies go through adapters named in settings
(``YIWANG_NOTIFIERS``, dotted paths). The default adapter only logs, so a
deployment without an SMS gateway loses nothing and shows everything in-app.

An adapter is any object with
``send(*, notification_id, user_id, phone, email, title, body)``; the
notification id is stable across retries, so a gateway can drop a repeat.

Each message becomes one task of the task engine (docs/adr/0007-task-engine.md)
that a worker runs outside the request. With the database backend the task row
is written in the same transaction as the message, so a message is never
committed without its task, nor a task without its message. The task carries
only the notification's id: the phone number is read, decrypted, when the
task runs and never lies in clear in the task table.

A failing adapter never undoes the case's change. Its delivery is retried
later, for that adapter alone, up to ``YIWANG_NOTIFY_ATTEMPTS`` attempts; after
the last one the task ends FAILED with the error and traceback kept in the task
table (``yiwang tasks status`` lists it), so no copy is lost silently.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from yiwang.core.tasks import enqueue_with_transaction
from yiwang.domains.cases.models import Notification

log = logging.getLogger("yiwang.notify")


class Notifier(Protocol):
    def send(
        self, *, notification_id: int, user_id: int, phone: str, email: str, title: str, body: str
    ) -> None: ...


class LoggingNotifier:
    """Writes each message to the ``yiwang.notify`` log."""

    def send(
        self, *, notification_id: int, user_id: int, phone: str, email: str, title: str, body: str
    ) -> None:
        log.info("notify id=%s user=%s title=%s body=%s", notification_id, user_id, title, body)


class NotificationUndelivered(Exception):
    """Raised by the last attempt so that the task ends FAILED and says why."""


def configured() -> list[str]:
    return list(
        getattr(settings, "YIWANG_NOTIFIERS", ["yiwang.domains.cases.notify.LoggingNotifier"])
    )


@lru_cache(maxsize=32)
def adapter(path: str) -> Any:
    return import_string(path)()


def dispatch(*, notification_id: int) -> None:
    """Queue the SMS / e-mail copies of one in-app message. Call it inside the
    transaction that wrote the message."""
    if not configured():  # in-app only: nothing to send, no task to keep
        return
    enqueue_with_transaction(deliver, notification_id=notification_id)


def _retry_at(attempt: int) -> dt.datetime | None:
    base = float(getattr(settings, "YIWANG_NOTIFY_RETRY_SECONDS", 60))
    if base <= 0 or not deliver.get_backend().supports_defer:
        return None
    return timezone.now() + dt.timedelta(seconds=base * 4 ** (attempt - 1))


@task()
def deliver(
    *, notification_id: int, adapters: list[str] | None = None, attempt: int = 1
) -> dict[str, Any]:
    """Run the adapters for one message; ``adapters`` narrows a retry to the
    ones that failed before, so a working SMS gateway is not asked twice."""
    note = Notification.objects.select_related("case").filter(pk=notification_id).first()
    if note is None:  # its user or case was deleted since: nothing left to tell
        log.warning("notification %s no longer exists; nothing sent", notification_id)
        return {"delivered": [], "gone": True}
    phone = (note.case.contact_phone if note.case else "") or ""
    sent: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    for path in configured() if adapters is None else adapters:
        try:
            adapter(path).send(
                notification_id=note.pk,
                user_id=note.user_id,
                phone=phone,
                email="",
                title=note.title,
                body=note.body,
            )
        except Exception as exc:  # one adapter's failure must not stop the others
            log.exception("notifier %s failed for notification %s", path, note.pk)
            failed.append(path)
            errors.append(f"{path}: {type(exc).__name__}: {exc}")
        else:
            sent.append(path)
    if not failed:
        return {"delivered": sent, "attempt": attempt}
    attempts = int(getattr(settings, "YIWANG_NOTIFY_ATTEMPTS", 5))
    if attempt >= attempts:
        raise NotificationUndelivered(
            f"notification {note.pk} undelivered after {attempt} attempts; " + "; ".join(errors)
        )
    when = _retry_at(attempt)
    retry = deliver.using(run_after=when) if when else deliver
    retry.enqueue(notification_id=note.pk, adapters=failed, attempt=attempt + 1)
    return {"delivered": sent, "retrying": failed, "attempt": attempt}
