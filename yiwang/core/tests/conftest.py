"""Fixtures of the shared kernel's tests: actors with and without a permission."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

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
