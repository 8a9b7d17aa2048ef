"""Check digits of the national identifiers (pure: no Django).

- Resident ID, GB 11643-1999 (R2.3).
- Unified social credit code, GB 32100-2015, with its embedded GB 11714
  organisation code (R2.3).
- Administrative division codes, GB/T 2260 and the 12-digit statistical
  extension for towns and villages (R1.3).

Each validator returns ``None`` when the value is valid and a Chinese reason
otherwise, so callers can show the reason as it is.
"""

from __future__ import annotations

import datetime as _dt
import re

# --- resident ID (GB 11643) -------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_resident_id(value: str) -> str:
    return (value or "").strip().upper()


def resident_id_error(value: str) -> str | None:
    v = normalize_resident_id(value)
    if not _ID_RE.match(v):
        return "公民身份号码应为18位，前17位为数字，最后一位为数字或X"
    try:
        born = _dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "公民身份号码中的出生日期无效"
    if born.year < 1900 or born > _dt.date.today():
        return "公民身份号码中的出生日期无效"
    if resident_id_check_char(v[:17]) != v[17]:
        return "公民身份号码校验码错误"
    return None


def is_valid_resident_id(value: str) -> bool:
    return resident_id_error(value) is None


def make_resident_id(address: str, born: _dt.date, sequence: int) -> str:
    """Build a valid resident ID (demo data and tests)."""
    first17 = f"{address}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + resident_id_check_char(first17)


# --- organisation code (GB 11714) and credit code (GB 32100) -----------------

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")

# Registration authority (登记管理部门) and body type (机构类别) pairs of GB 32100.
CREDIT_AUTHORITY_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交
    "3": "19",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "19",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商 / 市场监管: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}


def organisation_code_check_char(first8: str) -> str:
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def credit_code_error(value: str) -> str | None:
    v = normalize_credit_code(value)
    if len(v) != 18:
        return "统一社会信用代码应为18位"
    if not _CREDIT_RE.match(v):
        return "统一社会信用代码含有不允许的字符（不使用I、O、S、V、Z）"
    if v[0] not in CREDIT_AUTHORITY_TYPES:
        return "统一社会信用代码的登记管理部门代码无效"
    if v[1] not in CREDIT_AUTHORITY_TYPES[v[0]]:
        return "统一社会信用代码的机构类别代码无效"
    if not v[2:8].isdigit():
        return "统一社会信用代码中的登记管理机关行政区划码无效"
    if credit_code_check_char(v[:17]) != v[17]:
        return "统一社会信用代码校验码错误"
    return None


def is_valid_credit_code(value: str) -> bool:
    return credit_code_error(value) is None


def make_credit_code(authority: str, body_type: str, division6: str, org_serial: int) -> str:
    """Build a valid credit code whose body identifier is a valid GB 11714 code."""
    first8 = f"{org_serial % 10**8:08d}"
    org = first8 + organisation_code_check_char(first8)
    first17 = f"{authority}{body_type}{division6}{org}"
    return first17 + credit_code_check_char(first17)


# --- division codes (GB/T 2260, statistical 12-digit extension) -------------

DIVISION_LEVELS = ("province", "city", "county", "town", "village")
_DIVISION_RE = re.compile(r"^\d{6}(\d{6})?$")


def division_level_of(code: str) -> str | None:
    """Level implied by the shape of a division code, or None when malformed."""
    if not _DIVISION_RE.match(code or ""):
        return None
    if len(code) == 12:
        if code[6:] == "000000":
            code = code[:6]
        elif code[9:] == "000":
            return "town"
        else:
            return "village"
    if code[:2] in ("00", "10") or int(code[:2]) < 11:
        return None
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def division_code_error(code: str, level: str | None = None) -> str | None:
    found = division_level_of(code)
    if found is None:
        return "行政区划代码应为6位（省、市、县）或12位（乡镇、村）数字，且省级代码有效"
    if level is not None and found != level:
        return f"行政区划代码 {code} 与层级不符"
    return None


def division_parent_prefix(code: str) -> str:
    """The part of a code that every descendant's code starts with."""
    level = division_level_of(code)
    return {"province": code[:2], "city": code[:4], "county": code[:6], "town": code[:9]}.get(
        level or "", code
    )
