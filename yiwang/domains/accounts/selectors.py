"""Reads of the applicants domain."""

from __future__ import annotations

from yiwang.domains.accounts.models import Entity, Person, User


def applicant_for_user(user: User) -> Person | Entity | None:
    """The applicant behind a login (a person or an entity), or None for staff."""
    if user.kind == User.Kind.PERSON:
        return Person.objects.filter(user_id=user.pk).first()
    if user.kind == User.Kind.ENTITY:
        return Entity.objects.filter(user_id=user.pk).first()
    return None
