"""Fixtures of the shared kernel's tests: actors with and without a permission."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection, connections

from yiwang.core.actors import ActorRef


@dataclass
class PlainActor:
    """An actor that holds exactly the given permission codes (the kernel knows
    actors only through the Actor protocol)."""

    label: str
    permissions: frozenset[str]

    def actor_ref(self) -> ActorRef:
        return ActorRef("staff", self.label, self.label)

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool:
        return code in self.permissions


@pytest.fixture
def admin():
    return PlainActor("中心管理员", frozenset({"calendar.edit", "audit.view"}))


@pytest.fixture
def clerk():
    return PlainActor("窗口人员", frozenset({"orgs.view"}))


def run_writers(names: tuple[str, ...], write: Callable[[str], None]) -> None:
    """``write(name)`` in one thread per name, all started together; each
    thread closes its connection, and any error is raised here. Skipped on
    the shared-cache in-memory SQLite of the test run, which fails fast on
    locks instead of queueing writers (test_commands runs such scenarios on
    a SQLite file)."""
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
    if connection.vendor == "sqlite" and in_memory:
        pytest.skip("the in-memory test database of SQLite cannot queue writers")
    errors: list[BaseException] = []
    start = threading.Barrier(len(names))

    def run(name: str) -> None:
        try:
            start.wait()
            write(name)
        except BaseException as exc:  # pragma: no cover - raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
