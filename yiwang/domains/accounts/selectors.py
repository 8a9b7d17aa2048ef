"""Reads of the applicants domain."""

from __future__ import annotations

from yiwang.domains.accounts.errors import NotFound
from yiwang.domains.accounts.models import Entity, Person, User


def applicant_for_user(user: User) -> Person | Entity | None:
    """The applicant behind a login (a person or an entity), or None for staff."""
    if user.kind == User.Kind.PERSON:
        return Person.objects.filter(user_id=user.pk).first()
    if user.kind == User.Kind.ENTITY:
        return Entity.objects.filter(user_id=user.pk).first()
    return None


def person_get(person_id: int) -> Person:
    """One person, with the login; NotFound when there is none."""
    person = Person.objects.select_related("user").filter(pk=person_id).first()
    if person is None:
        raise NotFound("申请人（自然人）不存在")
    return person


def entity_get(entity_id: int) -> Entity:
    """One entity, with the login; NotFound when there is none."""
    entity = Entity.objects.select_related("user").filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("申请人（法人）不存在")
    return entity
