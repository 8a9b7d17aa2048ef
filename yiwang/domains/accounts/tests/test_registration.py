"""Registering applicants (R2.3) with personal data encrypted at rest and
masked in the audit chain (R14.3): every bad field is refused in Chinese and
nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from yiwang.core.actors import SYSTEM, ActorRef
from yiwang.core.audit import audit_verify
from yiwang.core.models import AuditEntry
from yiwang.core.pii import blind_index, mask_id_number
from yiwang.domains.accounts.errors import (
    AlreadyRegistered,
    PermissionDenied,
    ValidationFailed,
)
from yiwang.domains.accounts.models import User
from yiwang.domains.accounts.services import (
    entity_change_password,
    entity_register,
    person_change_password,
    person_register,
)
from yiwang.domains.accounts.tests.conftest import (
    PASSWORD,
    counts,
    entity_data,
    new_credit_code,
    new_id_ending_x,
    person_data,
    wrong_check,
)

pytestmark = pytest.mark.django_db


def test_person_registers_and_names_themself_in_the_audit():
    """R2.3: self-registration creates the login and the person; the audit
    entry's actor is the new applicant, not the system."""
    data = person_data()
    person = person_register(actor=None, **data)
    user = person.user
    assert user.kind == User.Kind.PERSON
    assert user.username == "P" + blind_index(data["id_number"].upper())
    assert user.display_name == "张*明"
    assert user.check_password(PASSWORD)
    assert person.verified_by == "check_digit"
    entry = AuditEntry.objects.get(action="accounts.person_register", object_id=str(person.pk))
    assert (entry.actor_kind, entry.actor_id) == ("person", str(person.pk))
    assert json.loads(entry.change)["channel"] == "self"
    assert audit_verify().ok


def test_lower_case_x_is_the_same_number():
    """R2.3: 'x' and 'X' are one check character; the stored number is upper case."""
    id_number = new_id_ending_x()
    person = person_register(actor=None, **person_data(id_number=id_number.lower()))
    assert person.id_number == id_number
    with pytest.raises(AlreadyRegistered):
        person_register(actor=None, **person_data(id_number=id_number))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "请填写姓名"),
        ("name", "王", "姓名应为2至30个字"),
        ("name", "王建国2", "姓名只能包含汉字、字母和间隔号"),
        ("id_number", "", "请填写公民身份号码"),
        ("id_number", "32021319850601", "公民身份号码应为18位"),
        ("id_number", "320213198502301234", "出生日期无效"),
        ("id_number", "WRONG_CHECK", "公民身份号码校验码错误"),
        ("phone", "", "请填写手机号码"),
        ("phone", "12345678901", "11位中国大陆手机号码"),
        ("phone", "0510-8272123", "11位中国大陆手机号码"),
        ("password", "", "请设置密码"),
        ("password", "Ab1!", "密码太短，至少需要8个字符"),
        ("password", "12345678", "密码过于常见"),
        ("password", "83920174", "密码不能全部是数字"),
        ("password", "password", "密码过于常见"),
        ("password", "ID_IN_PASSWORD", "密码不能包含身份证号码"),
    ],
)
def test_person_bad_field_is_refused_and_nothing_stored(field, value, message):
    """R2.3: each bad field gets its own Chinese message; nothing is stored."""
    data = person_data()
    if value == "WRONG_CHECK":
        value = wrong_check(data["id_number"])
    if value == "ID_IN_PASSWORD":
        value = "a" + data["id_number"]
    data[field] = value
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        person_register(actor=None, **data)
    assert message in caught.value.fields[field]
    assert set(caught.value.fields) == {field}
    assert caught.value.message.startswith("提交的数据有误")
    assert counts() == before


def test_all_bad_fields_are_reported_at_once():
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        person_register(actor=None, name="", id_number="1", phone="2", password="3")
    assert set(caught.value.fields) == {"name", "id_number", "phone", "password"}
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "请填写单位名称"),
        ("name", "公司<script>", "单位名称只能包含"),
        ("credit_code", "", "请填写统一社会信用代码"),
        ("credit_code", "91320213", "统一社会信用代码应为18位"),
        ("credit_code", "91320213MA1XXXXXI0", "不使用I、O、S、V、Z"),
        ("credit_code", "WRONG_CHECK", "统一社会信用代码校验码错误"),
        ("legal_representative", "", "请填写法定代表人姓名"),
        ("legal_representative", "李1", "法定代表人姓名只能包含"),
        ("legal_representative_id", "", "请填写法定代表人公民身份号码"),
        ("legal_representative_id", "WRONG_REP_CHECK", "公民身份号码校验码错误"),
        ("phone", "1395", "11位中国大陆手机号码"),
        ("password", "1234567", "密码太短"),
    ],
)
def test_entity_bad_field_is_refused_and_nothing_stored(field, value, message):
    """R2.3: an entity's every field is checked; nothing is stored."""
    data = entity_data()
    if value == "WRONG_CHECK":
        value = wrong_check(data["credit_code"])
    if value == "WRONG_REP_CHECK":
        value = wrong_check(data["legal_representative_id"])
    data[field] = value
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        entity_register(actor=None, **data)
    assert message in caught.value.fields[field]
    assert counts() == before


def test_duplicate_id_number_and_phone_are_refused():
    """R2.3: one account per ID number, one account per phone (clear messages)."""
    data = person_data()
    person_register(actor=None, **data)
    before = counts()
    with pytest.raises(AlreadyRegistered) as caught:
        person_register(actor=None, **person_data(id_number=data["id_number"]))
    assert caught.value.status == 409
    assert "该公民身份号码已注册" in caught.value.message
    with pytest.raises(AlreadyRegistered) as caught:
        person_register(actor=None, **person_data(phone=data["phone"]))
    assert "手机号码已绑定" in caught.value.message
    assert counts() == before


def test_entity_registers_and_duplicate_credit_code_is_refused():
    data = entity_data(credit_code=new_credit_code("5", "1").lower())
    entity = entity_register(actor=None, **data)
    assert entity.credit_code == data["credit_code"].upper()
    assert entity.user.username == "E" + entity.credit_code
    assert entity.user.kind == User.Kind.ENTITY
    before = counts()
    with pytest.raises(AlreadyRegistered) as caught:
        entity_register(actor=None, **entity_data(credit_code=entity.credit_code))
    assert "统一社会信用代码已注册" in caught.value.message
    assert counts() == before
    assert audit_verify().ok


def test_personal_data_is_encrypted_at_rest_and_masked_in_the_audit():
    """R14.3: raw SQL shows no clear ID number or phone; audit entries carry masks."""
    data = person_data()
    person = person_register(actor=None, **data)
    ent = entity_data()
    entity = entity_register(actor=None, **ent)
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM accounts_person WHERE id = %s", [person.pk])
        person_row = " ".join(str(v) for v in cur.fetchone())
        cur.execute("SELECT * FROM accounts_entity WHERE id = %s", [entity.pk])
        entity_row = " ".join(str(v) for v in cur.fetchone())
        cur.execute("SELECT username FROM accounts_user WHERE id = %s", [person.user_id])
        username = cur.fetchone()[0]
        cur.execute("SELECT change FROM core_auditentry")
        audit_text = " ".join(r[0] for r in cur.fetchall())
    for clear in (data["id_number"], data["phone"]):
        assert clear not in person_row
        assert clear not in username
        assert clear not in audit_text
    for clear in (ent["legal_representative_id"], ent["phone"]):
        assert clear not in entity_row
        assert clear not in audit_text
    assert mask_id_number(data["id_number"]) in audit_text
    assert person.id_number == data["id_number"]  # decrypts on read


def test_registration_on_behalf_names_the_acting_system():
    """R2.3: a window or agency system registering someone is the audited actor;
    without a password the account cannot log in yet."""
    person = person_register(actor=SYSTEM, **person_data(password=None))
    assert not person.user.has_usable_password()
    entry = AuditEntry.objects.get(action="accounts.person_register", object_id=str(person.pk))
    assert entry.actor_kind == "system"


def test_self_registration_needs_a_password():
    with pytest.raises(ValidationFailed) as caught:
        person_register(actor=None, **person_data(password=None))
    assert caught.value.fields == {"password": "请设置密码"}


def test_an_applicant_cannot_register_someone_else():
    """R2.2: only actors with accounts.register act on another's behalf."""
    someone = person_register(actor=None, **person_data())
    before = counts()
    with pytest.raises(PermissionDenied):
        person_register(actor=someone, **person_data())
    assert counts() == before


def test_password_change_by_the_applicant_only():
    """R2.3: the applicant changes their own password; the change is audited."""
    person = person_register(actor=None, **person_data())
    other = person_register(actor=None, **person_data())
    with pytest.raises(PermissionDenied):
        person_change_password(
            actor=other, person=person, old_password=PASSWORD, new_password="Taihu#2027"
        )
    with pytest.raises(ValidationFailed) as caught:
        person_change_password(
            actor=person, person=person, old_password="wrong-one", new_password="short"
        )
    assert set(caught.value.fields) == {"old_password", "new_password"}
    person_change_password(
        actor=person, person=person, old_password=PASSWORD, new_password="Taihu#2027"
    )
    person.user.refresh_from_db()
    assert person.user.check_password("Taihu#2027")
    assert AuditEntry.objects.filter(action="accounts.person_change_password").count() == 1

    entity = entity_register(actor=None, **entity_data())
    entity_change_password(
        actor=entity, entity=entity, old_password=PASSWORD, new_password="Taihu#2027"
    )
    entity.user.refresh_from_db()
    assert entity.user.check_password("Taihu#2027")
    assert audit_verify().ok


def test_actor_ref_kinds():
    person = person_register(actor=None, **person_data())
    assert person.actor_ref() == ActorRef("person", str(person.pk), "张*明")
