"""Who acts: every service write names its actor (R2.2, R14.5).

The shared kernel knows actors only through this protocol, so it never
imports the domains that define staff, applicants or API clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class ActorRef:
    kind: str  # staff / person / entity / api / system
    id: str
    label: str

    def actor_ref(self) -> ActorRef:
        return self


@runtime_checkable
class Actor(Protocol):
    def actor_ref(self) -> ActorRef: ...

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool: ...


class _SystemActor:
    """The platform itself: migrations, demo loading, scheduled jobs."""

    def actor_ref(self) -> ActorRef:
        return ActorRef("system", "system", "系统")

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool:
        return True


SYSTEM: Actor = _SystemActor()
