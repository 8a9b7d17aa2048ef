"""Commercial cryptography (商用密码) primitives: SM3 and SM4 (R14.3).

Pure module: keys are passed in, nothing is read from settings here.
Both come from OpenSSL (through ``hashlib`` and ``cryptography``), which is
native-fast; ``yiwang.core.pii`` binds them to the configured keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def sm3_hmac_hex(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, "sm3").hexdigest()


class DecryptionError(Exception):
    """A ciphertext was altered or was made with another key."""


_NONCE = 12
_TAG = 16


def sm4_encrypt(key: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    """SM4-GCM: returns nonce || ciphertext || tag."""
    nonce = os.urandom(_NONCE)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if associated:
        enc.authenticate_additional_data(associated)
    body = enc.update(plaintext) + enc.finalize()
    return nonce + body + enc.tag


def sm4_decrypt(key: bytes, blob: bytes, associated: bytes = b"") -> bytes:
    if len(blob) < _NONCE + _TAG:
        raise DecryptionError("密文长度无效")
    nonce, body, tag = blob[:_NONCE], blob[_NONCE:-_TAG], blob[-_TAG:]
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if associated:
        dec.authenticate_additional_data(associated)
    try:
        return dec.update(body) + dec.finalize()
    except InvalidTag as exc:
        raise DecryptionError("密文已被篡改或密钥不符") from exc


def seal_text(key_id: str, key: bytes, text: str) -> str:
    """Encrypt text for storage: ``<key id>:<base64 blob>`` so keys can rotate."""
    blob = sm4_encrypt(key, text.encode("utf-8"), key_id.encode())
    return f"{key_id}:{base64.b64encode(blob).decode('ascii')}"


def open_text(keys: dict[str, bytes], stored: str) -> str:
    key_id, _, b64 = stored.partition(":")
    if key_id not in keys:
        raise DecryptionError(f"未知的密钥编号 {key_id}")
    return sm4_decrypt(keys[key_id], base64.b64decode(b64), key_id.encode()).decode("utf-8")
