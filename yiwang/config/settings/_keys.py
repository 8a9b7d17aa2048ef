"""Derive development keys so a fresh clone runs without configuration.

Never used in production: production.py requires every key explicitly.
"""

from __future__ import annotations

import hashlib


def derived_pii_keys(secret: str) -> dict:
    key = hashlib.new("sm3", ("pii-key:" + secret).encode()).hexdigest()[:32]
    index = hashlib.new("sm3", ("pii-index:" + secret).encode()).hexdigest()
    return {"current": "k1", "keys": {"k1": key}, "index_key": index}


def derived_key_encryption_keys(secret: str) -> dict:
    """The SM4 key that wraps signing private keys (development and tests)."""
    key = hashlib.new("sm3", ("signing-kek:" + secret).encode()).hexdigest()[:32]
    return {"current": "k1", "keys": {"k1": key}}
