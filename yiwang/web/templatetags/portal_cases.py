"""Template tags of the portal's case pages: the unread-message count in the
header (one indexed COUNT for a logged-in applicant)."""

from __future__ import annotations

from typing import Any

from django import template

from yiwang.domains.cases.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "kind", "") == "staff":
        return 0
    return unread_count(user)


@register.simple_tag(takes_context=True)
def recent_cases(context: dict[str, Any], count: int = 5) -> list[Any]:
    """The applicant's latest cases, for the box on "my home"."""
    from yiwang.domains.cases.selectors import cases_of_applicant

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "kind", "") == "staff":
        return []
    return list(cases_of_applicant(user, page=1).object_list[:count])
