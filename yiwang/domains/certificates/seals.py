"""Electronic seals (电子印章, R7.6): SM2 key pairs behind a small signer
interface, the seal image, and SM2 verification.

``SealSigner`` is all the certificate services need: ``algorithm``,
``public_key`` and ``sign(data) -> signature``. ``SoftwareSm2Signer`` holds
the private key in memory after opening it from the database, where it is
kept SM4-GCM sealed under the same key-encryption keys as the platform's
PDF signing keys (``YIWANG_KEY_ENCRYPTION_KEYS``, see core/signing.py). A
hardware security module implements the same protocol and is named by
``Seal.key_ref`` (``register_hsm``); the private key never leaves it.

SM2 comes from gmssl (pure Python, GM/T 0003 with SM3 and the default user
ID ``1234567812345678``); signatures are the 64-byte r||s in hex.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from html import escape
from typing import Protocol, runtime_checkable

from gmssl import sm2

from yiwang.core.crypto import DecryptionError, open_text, seal_text

SM2 = "SM2"
_N = int(sm2.default_ecc_table["n"], 16)
_G = sm2.default_ecc_table["g"]


@runtime_checkable
class SealSigner(Protocol):
    algorithm: str
    public_key: str

    def sign(self, data: bytes) -> str: ...


class SoftwareSm2Signer:
    algorithm = SM2

    def __init__(self, private_key: str, public_key: str) -> None:
        self._crypt = _crypt(private_key, public_key)
        self.public_key = public_key

    def sign(self, data: bytes) -> str:
        signature: str = self._crypt.sign_with_sm3(data)
        return signature


def _crypt(private_key: str, public_key: str) -> sm2.CryptSM2:
    """gmssl's CryptSM2 with the public key (x||y, 128 hex) set as given:
    its constructor strips a leading "04" with ``str.lstrip``, which also
    eats any further leading 0 and 4 digits, so a key whose x begins with
    "04" (1 in 256) would be corrupted."""
    crypt = sm2.CryptSM2(private_key=private_key, public_key="")
    crypt.public_key = public_key
    return crypt


def sm2_generate() -> tuple[str, str]:
    """A new SM2 key pair: (private key hex (64), public key hex x||y (128))."""
    d = secrets.randbelow(_N - 2) + 1
    private = f"{d:064x}"
    public: str = sm2.CryptSM2(private_key=private, public_key="")._kg(d, _G)
    return private, public


def sm2_verify(public_key: str, data: bytes, signature: str) -> bool:
    """True when ``signature`` (hex r||s) is ``public_key``'s SM2 signature of ``data``."""
    if not signature or len(signature) != 128 or len(public_key) != 128:
        return False
    try:
        int(signature, 16)
        int(public_key, 16)
        crypt = _crypt("", public_key)
        return bool(crypt.verify_with_sm3(signature, data))
    except (ValueError, TypeError, ZeroDivisionError):
        return False


def verify(algorithm: str, public_key: str, data: bytes, signature: str) -> bool:
    if algorithm == SM2:
        return sm2_verify(public_key, data, signature)
    return False


# --- keys at rest -------------------------------------------------------------------


def seal_private(private_key: str) -> str:
    """``<kek id>:<base64>``: SM4-GCM under the current key-encryption key."""
    from yiwang.core.signing import _kek

    current, keys = _kek()
    return seal_text(current, keys[current], private_key)


def open_private(sealed: str) -> str:
    from yiwang.core.signing import SigningSetupError, _kek

    _, keys = _kek()
    try:
        return open_text(keys, sealed)
    except (DecryptionError, ValueError) as exc:
        raise SigningSetupError(f"印章私钥无法解密：{exc}") from exc


# HSM-backed signers by key_ref prefix ("hsm:slot1/…" → the factory for "hsm").
_HSM: dict[str, Callable[[str], SealSigner]] = {}


def register_hsm(prefix: str, factory: Callable[[str], SealSigner]) -> None:
    _HSM[prefix] = factory


def signer_from(private_key_sealed: str, public_key: str, key_ref: str = "") -> SealSigner:
    if key_ref:
        prefix = key_ref.split(":", 1)[0]
        if prefix not in _HSM:
            raise LookupError(f"未配置密码设备 {prefix}")
        return _HSM[prefix](key_ref)
    return SoftwareSm2Signer(open_private(private_key_sealed), public_key)


# --- the seal image -------------------------------------------------------------------


def _star(cx: float, cy: float, r: float) -> str:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(points)


def seal_svg(agency_name: str, seal_name: str = "", code: str = "") -> str:
    """A round red official seal: the agency's name along the upper arc, a
    five-pointed star in the middle, the seal's name below it and the seal
    code along the bottom. Each character is placed and turned on its own,
    so any SVG renderer (WeasyPrint included) draws it the same."""
    size, c = 200, 100.0
    red = "#d4000f"
    name = agency_name.strip()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}">',
        f'<circle cx="{c}" cy="{c}" r="94" fill="none" stroke="{red}" stroke-width="6"/>',
        f'<polygon points="{_star(c, c, 30)}" fill="{red}"/>',
    ]
    n = max(len(name), 1)
    span = min(240.0, 18.0 * n + 20)  # degrees of arc the name covers
    font = 22 if n <= 12 else max(13, int(22 * 12 / n))
    radius = 70.0
    for i, ch in enumerate(name):
        angle = -90 - span / 2 + span * (i + 0.5) / n  # degrees, 0 = east
        rad = math.radians(angle)
        x, y = c + radius * math.cos(rad), c + radius * math.sin(rad)
        parts.append(
            f'<text x="0" y="0" font-size="{font}" fill="{red}" text-anchor="middle" '
            f'dominant-baseline="central" font-weight="bold" '
            f'transform="translate({x:.2f},{y:.2f}) rotate({angle + 90:.2f})">{escape(ch)}</text>'
        )
    if seal_name:
        parts.append(
            f'<text x="{c}" y="{c + 50}" font-size="15" fill="{red}" text-anchor="middle" '
            f'font-weight="bold">{escape(seal_name[:10])}</text>'
        )
    if code:
        parts.append(
            f'<text x="{c}" y="{c + 78}" font-size="9" fill="{red}" text-anchor="middle" '
            f'font-family="monospace">{escape(code)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
