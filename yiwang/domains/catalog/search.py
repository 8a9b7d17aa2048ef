"""Search keys of an item name: pinyin initials and full pinyin, so "spxk"
and "shipin" both find 食品经营许可 (R3.4 portal search)."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def search_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) in lower case, without punctuation.

    Non-Chinese characters keep themselves (digits, Latin letters), so
    "ICP备案" gives initials "icpba".
    """
    text = _NON_WORD.sub("", name or "")
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()
    full = "".join(lazy_pinyin(text, errors="default")).lower()
    return initials[:100], full[:600]
