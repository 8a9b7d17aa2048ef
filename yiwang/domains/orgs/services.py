"""Writes of the organisations domain: each ``<entity>_<action>``, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.audit import audit_append, diff
from yiwang.domains.orgs.models import Role
from yiwang.domains.orgs.permissions import DEFAULT_ROLES


@transaction.atomic
def roles_sync_defaults(*, actor: Actor = SYSTEM) -> int:
    """Create or update the default roles from the permission catalogue."""
    changed = 0
    for code, (name, perms, description) in DEFAULT_ROLES.items():
        role = Role.objects.filter(code=code).first()
        after = {"name": name, "permissions": sorted(perms), "description": description}
        if role is None:
            role = Role.objects.create(code=code, **after)
            audit_append(actor=actor, action="orgs.role_create", obj=role, change=after)
            changed += 1
            continue
        before = {
            "name": role.name,
            "permissions": sorted(role.permissions),
            "description": role.description,
        }
        if before != after:
            for key, value in after.items():
                setattr(role, key, value)
            role.save()
            audit_append(
                actor=actor, action="orgs.role_update", obj=role, change=diff(before, after)
            )
            changed += 1
    return changed


def roles_sync_on_migrate(**kwargs: Any) -> None:
    roles_sync_defaults()
