"""The real-name verifier (R2.3): check digits and name sanity by default,
and any configured class plugs in through YIWANG_REALNAME_VERIFIER."""

from __future__ import annotations

import pytest

from yiwang.core.models import AuditEntry
from yiwang.domains.accounts.errors import RealNameRejected, VerifierDown
from yiwang.domains.accounts.models import Person
from yiwang.domains.accounts.realname import (
    CheckDigitVerifier,
    RealNameVerifier,
    VerificationResult,
    VerifierUnavailable,
    get_verifier,
    normalize_person_name,
    person_name_error,
)
from yiwang.domains.accounts.services import person_register
from yiwang.domains.accounts.tests.conftest import (
    new_credit_code,
    new_id,
    person_data,
    wrong_check,
)


class RefusingVerifier:
    """A stand-in identity service that knows 冒名者 is not who they say."""

    method = "test_service"

    def verify_person(self, id_number: str, name: str) -> VerificationResult:
        if name == "冒名者":
            return VerificationResult(False, self.method, "姓名与公民身份号码不一致", "name")
        return VerificationResult(True, self.method)

    def verify_entity(self, credit_code, name, legal_representative) -> VerificationResult:
        return VerificationResult(True, self.method)


class DownVerifier(RefusingVerifier):
    def verify_person(self, id_number: str, name: str) -> VerificationResult:
        raise VerifierUnavailable("timeout")


def test_check_digit_verifier_accepts_valid_person_and_entity():
    """R2.3: a valid GB 11643 ID and GB 32100 code with sane names pass."""
    v = CheckDigitVerifier()
    assert v.verify_person(new_id(), "王建国") == VerificationResult(True, "check_digit")
    assert v.verify_entity(new_credit_code(), "无锡锡华精密机械有限公司", "王建国").ok


def test_check_digit_verifier_refuses_wrong_check_digits():
    """R2.3: a wrong check character is refused with a Chinese reason."""
    v = CheckDigitVerifier()
    person = v.verify_person(wrong_check(new_id()), "王建国")
    assert not person.ok and person.field == "id_number" and "校验码错误" in person.reason
    entity = v.verify_entity(wrong_check(new_credit_code()), "某某有限公司", "王建国")
    assert not entity.ok and entity.field == "credit_code" and "校验码错误" in entity.reason


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("王建国", True),
        ("华明", True),
        ("阿依古丽·买买提", True),
        ("阿依古丽•买买提", True),  # a bullet typed for the middle dot is folded
        ("John Smith", True),
        ("王", False),
        ("王建国1", False),
        ("·王建国", False),
        ("王建国<script>", False),
        ("王" * 31, False),
        ("", False),
    ],
)
def test_person_name_sanity(name, ok):
    """R2.3: 2–30 characters of Chinese, letters or the middle dot."""
    assert (person_name_error(normalize_person_name(name)) is None) is ok


def test_default_verifier_is_the_check_digit_one():
    assert isinstance(get_verifier(), CheckDigitVerifier)
    assert isinstance(get_verifier(), RealNameVerifier)


@pytest.mark.django_db
def test_configured_verifier_plugs_in(settings):
    """R2.3: the class named by YIWANG_REALNAME_VERIFIER decides, and its
    method is recorded on the applicant."""
    settings.YIWANG_REALNAME_VERIFIER = f"{__name__}.RefusingVerifier"
    before = (Person.objects.count(), AuditEntry.objects.count())
    with pytest.raises(RealNameRejected) as caught:
        person_register(actor=None, **person_data(name="冒名者"))
    assert caught.value.fields == {"name": "姓名与公民身份号码不一致"}
    assert "实名核验未通过" in caught.value.message
    assert (Person.objects.count(), AuditEntry.objects.count()) == before

    person = person_register(actor=None, **person_data(name="真名人"))
    assert person.verified_by == "test_service"


@pytest.mark.django_db
def test_unreachable_verifier_stores_nothing(settings):
    """R2.3: when the identity service cannot answer, nobody is registered unverified."""
    settings.YIWANG_REALNAME_VERIFIER = f"{__name__}.DownVerifier"
    with pytest.raises(VerifierDown):
        person_register(actor=None, **person_data())
    assert Person.objects.count() == 0


def test_a_class_without_the_interface_is_refused(settings):
    settings.YIWANG_REALNAME_VERIFIER = "builtins.object"
    with pytest.raises(TypeError):
        get_verifier()
