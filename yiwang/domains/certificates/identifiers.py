"""Certificate identifiers (电子证照标识, GB/T 36904) — pure, no Django.

Form: ``1.2.156.3005.2.{type code}.{issuer code}.{serial}.{version}.{check}``

- type code: the defining agency's unified social credit code (18) + 3 digits;
- issuer code: the issuing agency's unified social credit code (18);
- serial: here the issue year + 7 digits (``20230000403``), unique per type,
  issuer and year;
- version: 3 digits (``001``; a renewal or change makes the next one);
- check: ISO 7064 MOD 37,36 (hybrid system, alphabet 0-9A-Z) over
  type code + issuer code + serial + version, without the dots.

The example of STANDARDS.md checks: ``check_char("11100000000013338W011"
"11430000006122244L" "20230000403" "001") == "U"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_M = 36

_TYPE_RE = re.compile(r"^[0-9A-Z]{18}\d{3}$")
_ISSUER_RE = re.compile(r"^[0-9A-Z]{18}$")
_SERIAL_RE = re.compile(r"^[0-9A-Z]{1,32}$")
_VERSION_RE = re.compile(r"^\d{3}$")


def check_char(payload: str) -> str:
    """ISO 7064 MOD 37,36 check character of ``payload`` (0-9, A-Z)."""
    p = _M
    for ch in payload.upper():
        try:
            value = _VALUE[ch]
        except KeyError:
            raise ValueError(f"字符 {ch!r} 不能参与校验位计算（只允许数字和大写字母）") from None
        p = (p + value) % _M or _M
        p = (p * 2) % (_M + 1)
    return ALPHABET[(_M + 1 - p) % _M]


def check_passes(payload_with_check: str) -> bool:
    """True when the last character is the check character of the rest."""
    if len(payload_with_check) < 2:
        return False
    try:
        return check_char(payload_with_check[:-1]) == payload_with_check[-1].upper()
    except ValueError:
        return False


def serial_for(year: int, n: int) -> str:
    return f"{year:04d}{n:07d}"


def version_text(version: int) -> str:
    if not 1 <= version <= 999:
        raise ValueError("证照版本号应在 1–999 之间")
    return f"{version:03d}"


@dataclass(frozen=True)
class Identifier:
    type_code: str
    issuer_code: str
    serial: str
    version: str
    check: str

    @property
    def payload(self) -> str:
        return self.type_code + self.issuer_code + self.serial + self.version

    def __str__(self) -> str:
        return ".".join(
            (PREFIX, self.type_code, self.issuer_code, self.serial, self.version, self.check)
        )


def _parts_error(type_code: str, issuer_code: str, serial: str, version: str) -> str | None:
    if not _TYPE_RE.match(type_code):
        return "证照类型代码应为定义机构的统一社会信用代码加3位数字（共21位）"
    if not _ISSUER_RE.match(issuer_code):
        return "颁证单位代码应为18位统一社会信用代码"
    if not _SERIAL_RE.match(serial):
        return "证照顺序号只能由数字和大写字母组成（不超过32位）"
    if not _VERSION_RE.match(version):
        return "版本号应为3位数字"
    return None


def build(type_code: str, issuer_code: str, serial: str, version: int | str = 1) -> str:
    """The full identifier with its check character."""
    v = version if isinstance(version, str) else version_text(version)
    type_code, issuer_code, serial = type_code.upper(), issuer_code.upper(), serial.upper()
    problem = _parts_error(type_code, issuer_code, serial, v)
    if problem:
        raise ValueError(problem)
    ident = Identifier(type_code, issuer_code, serial, v, "")
    return str(Identifier(type_code, issuer_code, serial, v, check_char(ident.payload)))


def parse(identifier: str) -> Identifier:
    """Split an identifier; ``ValueError`` (Chinese message) when malformed or
    when the check character does not match."""
    text = (identifier or "").strip().upper()
    if not text.startswith(PREFIX + "."):
        raise ValueError(f"证照标识应以 {PREFIX}. 开头")
    parts = text[len(PREFIX) + 1 :].split(".")
    if len(parts) != 5:
        raise ValueError("证照标识应由类型代码、颁证单位代码、顺序号、版本号、校验位五段组成")
    type_code, issuer_code, serial, version, check = parts
    problem = _parts_error(type_code, issuer_code, serial, version)
    if problem:
        raise ValueError(problem)
    if len(check) != 1 or check not in _VALUE:
        raise ValueError("校验位应为1位数字或大写字母")
    ident = Identifier(type_code, issuer_code, serial, version, check)
    if check_char(ident.payload) != check:
        raise ValueError("证照标识校验位不正确")
    return ident


def identifier_error(identifier: str) -> str | None:
    """None when valid, else the reason in Chinese."""
    try:
        parse(identifier)
    except ValueError as exc:
        return str(exc)
    return None


def normalize(identifier: str) -> str:
    return (identifier or "").strip().upper()
