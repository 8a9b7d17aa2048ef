"""Personal identifiers at rest: SM4-encrypted, looked up by a blind index, masked on screen.

R2.3, R14.3: resident ID numbers and phone numbers are never stored in clear.
A keyed SM3 HMAC (the blind index) lets the database enforce uniqueness and
find a person by ID number without holding the number itself.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.db import models

from yiwang.core.crypto import DecryptionError, open_text, seal_text, sm3_hmac_hex


@functools.cache
def _keys() -> tuple[str, dict[str, bytes], bytes]:
    conf = settings.YIWANG_PII_KEYS
    current = conf["current"]
    keys = {kid: bytes.fromhex(hexkey) for kid, hexkey in conf["keys"].items()}
    return current, keys, bytes.fromhex(conf["index_key"])


def encrypt(text: str) -> str:
    current, keys, _ = _keys()
    return seal_text(current, keys[current], text)


def decrypt(stored: str) -> str:
    _, keys, _ = _keys()
    return open_text(keys, stored)


def blind_index(text: str) -> str:
    """Deterministic keyed digest of a normalised identifier, for lookups and uniqueness."""
    _, _, index_key = _keys()
    return sm3_hmac_hex(index_key, text.strip().upper().encode("utf-8"))


def mask_id_number(value: str) -> str:
    """3202**********123X: keep the region prefix and the last four characters."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


class EncryptedTextField(models.TextField):
    """A text column whose value is SM4-encrypted in the database.

    The Python value is the clear text; the stored value is ``<key id>:<blob>``.
    Equality lookups cannot work on it: query by the companion blind index.
    """

    description = "SM4-encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except (DecryptionError, ValueError) as exc:
            raise DecryptionError(f"字段 {self.name} 无法解密：{exc}") from exc

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
