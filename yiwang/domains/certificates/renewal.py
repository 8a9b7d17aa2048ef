"""What a granting case does to a certificate the applicant already holds
(R7.3): a first issue makes a new certificate; a change (变更) or renewal
(延续, 换证, 重新审查发证) makes a new version of the held one. Pure rules, no
Django, so they can be tested on their own.

The catalogue has no field for the kind of a handling variant (办理项); the
national guides name them in words and the demo and imported guides use the
codes ``change`` / ``renew``. Both are read here, the code first.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

FIRST: Final = ""
CHANGE: Final = "change"
RENEW: Final = "renew"

_CHANGE_CODES = frozenset({"change", "alter", "modify", "variation", "amend"})
_RENEW_CODES = frozenset({"renew", "renewal", "extend", "extension", "continue", "reissue_renew"})
# Words of variant names, the more specific first (“变更换证” is a change).
_NAME_RULES: tuple[tuple[str, str], ...] = (
    ("变更", CHANGE),
    ("延续", RENEW),
    ("续期", RENEW),
    ("换证", RENEW),
    ("换发", RENEW),
    ("重新审查发证", RENEW),
    ("重新核发", RENEW),
)


def variant_purpose(code: str, name: str) -> str:
    """``CHANGE``, ``RENEW`` or ``FIRST`` for a variant's code and name."""
    c = (code or "").strip().lower()
    if c in _CHANGE_CODES:
        return CHANGE
    if c in _RENEW_CODES:
        return RENEW
    text = name or ""
    for word, purpose in _NAME_RULES:
        if word in text:
            return purpose
    return FIRST


def new_validity(
    purpose: str,
    *,
    today: dt.date,
    old_from: dt.date,
    old_to: dt.date | None,
    years: int | None,
) -> tuple[dt.date, dt.date | None]:
    """(valid from, valid to) of the new version. A change keeps the held
    certificate's period (changing an address does not extend a licence). A
    renewal is valid from today, and its new period of ``years`` follows on
    from the old one when that has not ended yet (renewing early loses no
    days), else from today; open-ended when the type has no validity rule."""
    if purpose != RENEW:
        return old_from, old_to
    if years is None:
        return today, None
    follows = old_to + dt.timedelta(days=1) if old_to is not None and old_to >= today else today
    try:
        end = follows.replace(year=follows.year + years)
    except ValueError:  # 29 February
        end = follows.replace(year=follows.year + years, day=28)
    return today, end - dt.timedelta(days=1)
