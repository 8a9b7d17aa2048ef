"""Derive development keys so a fresh clone runs without configuration.

Never used in production: production.py requires every key explicitly.
"""

from __future__ import annotations

import hashlib


def derived_pii_keys(secret: str) -> dict:
    key = hashlib.new("sm3", ("pii-key:" + secret).encode()).hexdigest()[:32]
    index = hashlib.new("sm3", ("pii-index:" + secret).encode()).hexdigest()
    return {"current": "k1", "keys": {"k1": key}, "index_key": index}
