"""Telling applicants what happened (R5.7): the in-app message is a row;
SMS and e-mail copies go through adapters named in settings
(``YIWANG_NOTIFIERS``, dotted paths). The default adapter only logs, so a
deployment without an SMS gateway loses nothing and shows everything in-app.

An adapter is any object with ``send(*, user_id, phone, email, title, body)``.
Adapters run after the transaction commits; a failing adapter is logged and
never undoes the case's change.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("yiwang.notify")


class Notifier(Protocol):
    def send(self, *, user_id: int, phone: str, email: str, title: str, body: str) -> None: ...


class LoggingNotifier:
    """Writes each message to the ``yiwang.notify`` log."""

    def send(self, *, user_id: int, phone: str, email: str, title: str, body: str) -> None:
        log.info("notify user=%s title=%s body=%s", user_id, title, body)


@lru_cache(maxsize=1)
def notifiers() -> list[Any]:
    paths = getattr(settings, "YIWANG_NOTIFIERS", ["yiwang.domains.cases.notify.LoggingNotifier"])
    return [import_string(p)() for p in paths]


def dispatch(*, user_id: int, phone: str, email: str, title: str, body: str) -> None:
    for notifier in notifiers():
        try:
            notifier.send(user_id=user_id, phone=phone, email=email, title=title, body=body)
        except Exception:  # an adapter's failure must not reach the applicant's action
            log.exception("notifier %s failed", type(notifier).__name__)
