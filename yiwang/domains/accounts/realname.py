"""Real-name verification (实名核验) of applicants — R2.3.

Every registration asks the configured verifier whether the identity is real
before anything is stored. The platform ships one verifier,
:class:`CheckDigitVerifier`, which proves only what can be proved offline: the
resident ID (GB 11643) and the unified social credit code (GB 32100) carry
valid check digits, and the names look like names. A deployment connected to
a real identity service (公安人口库 / 市场监管登记库 / 省统一身份认证平台)
plugs in its own class.

Plugging in a verifier
----------------------
Set ``YIWANG_REALNAME_VERIFIER`` (environment variable or setting) to the
dotted path of a class that can be built with no arguments and has:

``method: str``
    A short code recorded on every applicant it verified
    (``Person.verified_by`` / ``Entity.verified_by``), e.g. ``"gov_idcheck"``.

``verify_person(id_number: str, name: str) -> VerificationResult``
    ``id_number`` is already normalised (18 characters, upper-case X) and
    carries a valid check digit; ``name`` is stripped.

``verify_entity(credit_code: str, name: str, legal_representative: str) -> VerificationResult``
    ``credit_code`` is normalised and carries a valid check digit.

Return ``VerificationResult(ok=True, method=self.method)`` when the identity
is confirmed; otherwise ``ok=False`` with a Chinese ``reason`` fit to show
the applicant (e.g. "姓名与公民身份号码不一致") and, when the refusal is
about one input, its ``field`` (``"name"``, ``"id_number"``,
``"credit_code"``, ``"legal_representative"``). A verifier that cannot reach
its service should raise :class:`VerifierUnavailable` (the applicant is told
to try later; nothing is stored) rather than answer ``ok=True``.

Verifiers are called inside the registration transaction and must not write
to the database; keep their timeouts short (a few seconds).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from yiwang.core.checkdigits import (
    credit_code_error,
    normalize_credit_code,
    normalize_resident_id,
    resident_id_error,
)


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    method: str
    reason: str = ""
    field: str = ""


class VerifierUnavailable(Exception):
    """The identity service could not be asked; the caller must not store."""


@runtime_checkable
class RealNameVerifier(Protocol):
    method: str

    def verify_person(self, id_number: str, name: str) -> VerificationResult: ...

    def verify_entity(
        self, credit_code: str, name: str, legal_representative: str
    ) -> VerificationResult: ...


# --- name sanity ------------------------------------------------------------

# CJK ideographs (basic, extension A, compatibility, extensions B and later for
# rare characters in names) and Latin letters.
_NAME_CHAR = r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
# Parts joined by the middle dot of minority and foreign names, or a space
# between Latin parts.
_PERSON_NAME_RE = re.compile(rf"^{_NAME_CHAR}+(?:[· ]{_NAME_CHAR}+)*$")
# Dots people type for the name separator, folded to U+00B7.
_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·", "●": "·"})

PERSON_NAME_MIN, PERSON_NAME_MAX = 2, 30
ENTITY_NAME_MIN, ENTITY_NAME_MAX = 2, 100
_ENTITY_NAME_RE = re.compile(
    rf"^(?=.*{_NAME_CHAR})[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\U00020000-\U0003134f·（）()、\-&＆ ]+$"
)


def normalize_person_name(value: str) -> str:
    text = unicodedata.normalize("NFC", value or "").strip().translate(_DOTS)
    return re.sub(r"\s+", " ", text)


def normalize_entity_name(value: str) -> str:
    text = unicodedata.normalize("NFC", value or "").strip()
    return re.sub(r"\s+", " ", text)


def person_name_error(name: str, *, label: str = "姓名") -> str | None:
    """None when ``name`` (already normalised) looks like a person's name."""
    if not name:
        return f"请填写{label}"
    if not PERSON_NAME_MIN <= len(name) <= PERSON_NAME_MAX:
        return f"{label}应为{PERSON_NAME_MIN}至{PERSON_NAME_MAX}个字"
    if not _PERSON_NAME_RE.match(name):
        return f"{label}只能包含汉字、字母和间隔号“·”"
    return None


def entity_name_error(name: str) -> str | None:
    if not name:
        return "请填写单位名称"
    if not ENTITY_NAME_MIN <= len(name) <= ENTITY_NAME_MAX:
        return f"单位名称应为{ENTITY_NAME_MIN}至{ENTITY_NAME_MAX}个字"
    if not _ENTITY_NAME_RE.match(name):
        return "单位名称只能包含汉字、字母、数字和括号、间隔号等常用符号"
    return None


# --- the default verifier ---------------------------------------------------


class CheckDigitVerifier:
    """Offline verification: check digits (GB 11643, GB 32100) and name sanity.

    It cannot tell whether the ID number belongs to the named person; that
    needs an identity service (see the module docstring)."""

    method = "check_digit"

    def verify_person(self, id_number: str, name: str) -> VerificationResult:
        reason = resident_id_error(normalize_resident_id(id_number))
        if reason:
            return VerificationResult(False, self.method, reason, "id_number")
        reason = person_name_error(normalize_person_name(name))
        if reason:
            return VerificationResult(False, self.method, reason, "name")
        return VerificationResult(True, self.method)

    def verify_entity(
        self, credit_code: str, name: str, legal_representative: str
    ) -> VerificationResult:
        reason = credit_code_error(normalize_credit_code(credit_code))
        if reason:
            return VerificationResult(False, self.method, reason, "credit_code")
        reason = entity_name_error(normalize_entity_name(name))
        if reason:
            return VerificationResult(False, self.method, reason, "name")
        reason = person_name_error(
            normalize_person_name(legal_representative), label="法定代表人姓名"
        )
        if reason:
            return VerificationResult(False, self.method, reason, "legal_representative")
        return VerificationResult(True, self.method)


_cache: dict[str, RealNameVerifier] = {}


def get_verifier() -> RealNameVerifier:
    """The verifier named by ``settings.YIWANG_REALNAME_VERIFIER`` (one instance per path)."""
    path = settings.YIWANG_REALNAME_VERIFIER
    verifier = _cache.get(path)
    if verifier is None:
        verifier = import_string(path)()
        if not isinstance(verifier, RealNameVerifier):
            raise TypeError(
                f"{path} 不符合实名核验接口（需要 method、verify_person、verify_entity）"
            )
        _cache[path] = verifier
    return verifier
