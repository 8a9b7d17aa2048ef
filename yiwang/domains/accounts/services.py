"""Writes of the applicants domain: registration and password changes (R2.3, R14.3).

Who is the actor of a registration
----------------------------------
- An applicant registering themself on the portal passes ``actor=None``: there
  is nobody to name before the account exists, so the audit entry names the
  new applicant (a person or entity actor), never ``SYSTEM``.
- A window clerk (``Staff``), an agency system (``ApiClient``) or the demo
  loader (``SYSTEM``) registering on an applicant's behalf passes itself; it
  needs the ``accounts.register`` permission (an ``ApiClient`` has it for its
  own requests; staff get it through a role).

Every input is checked before anything is written; a refusal raises a domain
error carrying a Chinese message per field and leaves the database untouched.
Clear-text ID numbers and phones never reach the audit chain: entries carry
masked values only.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from yiwang.core.actors import Actor, ActorRef
from yiwang.core.audit import audit_append, service_transaction
from yiwang.core.checkdigits import (
    credit_code_error,
    normalize_credit_code,
    normalize_resident_id,
    resident_id_error,
)
from yiwang.core.pii import blind_index, mask_id_number, mask_name, mask_phone
from yiwang.domains.accounts.errors import (
    AlreadyRegistered,
    PermissionDenied,
    RealNameRejected,
    ValidationFailed,
    VerifierDown,
)
from yiwang.domains.accounts.models import Entity, Person, User
from yiwang.domains.accounts.realname import (
    VerifierUnavailable,
    entity_name_error,
    get_verifier,
    normalize_entity_name,
    normalize_person_name,
    person_name_error,
)

REGISTER_PERMISSION = "accounts.register"
PASSWORD_MAX = 128
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")

_PASSWORD_MESSAGES = {
    "password_too_short": "密码太短，至少需要{min_length}个字符",
    "password_too_common": "密码过于常见，容易被猜中，请换一个",
    "password_entirely_numeric": "密码不能全部是数字",
    "password_too_similar": "密码与账户信息过于相似",
}


# --- normalising and checking input -----------------------------------------


def normalize_phone(value: str) -> str:
    """Digits only, without the +86 / 0086 country prefix people often type."""
    text = re.sub(r"[\s\-()（）]", "", value or "")
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text


def phone_error(phone: str) -> str | None:
    if not phone:
        return "请填写手机号码"
    if not PHONE_RE.match(phone):
        return "请填写11位中国大陆手机号码"
    return None


def password_error(
    password: str, *, user: User | None = None, avoid: tuple[str, ...] = ()
) -> str | None:
    """The configured password rules (AUTH_PASSWORD_VALIDATORS) in Chinese, plus:
    the password must not contain the ID number or phone it protects."""
    if not password:
        return "请设置密码"
    if len(password) > PASSWORD_MAX:
        return f"密码不能超过{PASSWORD_MAX}个字符"
    folded = password.upper()
    if any(part and part.upper() in folded for part in avoid):
        return "密码不能包含身份证号码、统一社会信用代码或手机号码"
    try:
        with translation.override("zh-hans"):
            validate_password(password, user=user)
    except ValidationError as exc:
        messages = []
        for err in exc.error_list:
            template = _PASSWORD_MESSAGES.get(err.code or "")
            if template:
                messages.append(template.format(**(err.params or {})))
            else:
                messages.append(str(err.messages[0]) if err.messages else "密码不符合要求")
        return "；".join(dict.fromkeys(messages))
    return None


def _fail(errors: dict[str, str]) -> ValidationFailed:
    return ValidationFailed("提交的数据有误：" + "；".join(errors.values()), fields=errors)


def _check_actor(actor: Actor | None) -> None:
    if actor is not None and not actor.has_permission(REGISTER_PERMISSION):
        raise PermissionDenied("您无权为他人注册申请人账户")


def _channel(actor: Actor | None) -> str:
    return "self" if actor is None else actor.actor_ref().kind


def _verify_person(id_number: str, name: str, *, id_field: str, name_field: str) -> str:
    try:
        result = get_verifier().verify_person(id_number, name)
    except VerifierUnavailable as exc:
        raise VerifierDown() from exc
    if not result.ok:
        field = {"id_number": id_field, "name": name_field}.get(result.field, name_field)
        reason = result.reason or "实名核验未通过"
        raise RealNameRejected(f"实名核验未通过：{reason}", fields={field: reason})
    return result.method


def _new_user(*, username: str, kind: str, display_name: str, password: str | None) -> User:
    user = User(username=username, kind=kind, display_name=display_name)
    if password:
        user.set_password(password)
    else:
        # Registered on the applicant's behalf without a password: the account
        # cannot log in until the applicant sets one (window or reset).
        user.set_unusable_password()
    user.save()
    return user


# --- registration -------------------------------------------------------------


@service_transaction
def person_register(
    *,
    actor: Actor | None,
    name: str,
    id_number: str,
    phone: str,
    password: str | None,
) -> Person:
    """Register a citizen applicant, real-named by resident ID (R2.3).

    ``actor=None`` is self-registration on the portal (``password`` required);
    otherwise the acting clerk or system, and ``password`` may be None."""
    _check_actor(actor)
    name = normalize_person_name(name)
    id_number = normalize_resident_id(id_number)
    phone = normalize_phone(phone)

    errors: dict[str, str] = {}
    if reason := person_name_error(name):
        errors["name"] = reason
    if reason := ("请填写公民身份号码" if not id_number else resident_id_error(id_number)):
        errors["id_number"] = reason
    if reason := phone_error(phone):
        errors["phone"] = reason
    if password or actor is None:
        id_index = blind_index(id_number) if id_number else ""
        probe = User(username="P" + id_index, kind=User.Kind.PERSON)
        if reason := password_error(password or "", user=probe, avoid=(id_number, phone)):
            errors["password"] = reason
    if errors:
        raise _fail(errors)

    method = _verify_person(id_number, name, id_field="id_number", name_field="name")

    id_index = blind_index(id_number)
    phone_index = blind_index(phone)
    username = "P" + id_index
    if (
        Person.objects.filter(id_index=id_index).exists()
        or User.objects.filter(username=username).exists()
    ):
        raise AlreadyRegistered(
            "该公民身份号码已注册，请直接登录；如忘记密码，请携带身份证到政务服务大厅办理",
            fields={"id_number": "该公民身份号码已注册"},
        )
    if Person.objects.filter(phone_index=phone_index).exists():
        raise AlreadyRegistered(
            "该手机号码已绑定其他账户，请更换手机号码",
            fields={"phone": "该手机号码已绑定其他账户"},
        )

    try:
        with service_transaction():
            user = _new_user(
                username=username,
                kind=User.Kind.PERSON,
                display_name=mask_name(name),
                password=password,
            )
            person = Person.objects.create(
                user=user,
                name=name,
                id_number=id_number,
                id_index=id_index,
                phone=phone,
                phone_index=phone_index,
                verified_by=method,
            )
    except IntegrityError as exc:
        # A concurrent registration of the same number won the race.
        raise AlreadyRegistered("该公民身份号码或手机号码刚刚已被注册，请直接登录") from exc

    audit_append(
        actor=actor or person,
        action="accounts.person_register",
        obj=person,
        change={
            "name": mask_name(name),
            "id_number": mask_id_number(id_number),
            "phone": mask_phone(phone),
            "verified_by": method,
            "channel": _channel(actor),
        },
    )
    return person


@service_transaction
def entity_register(
    *,
    actor: Actor | None,
    name: str,
    credit_code: str,
    legal_representative: str,
    legal_representative_id: str,
    phone: str,
    password: str | None,
) -> Entity:
    """Register a legal-person applicant, real-named by unified social credit
    code; its legal representative is real-named by resident ID (R2.3)."""
    _check_actor(actor)
    name = normalize_entity_name(name)
    credit_code = normalize_credit_code(credit_code)
    legal_representative = normalize_person_name(legal_representative)
    legal_representative_id = normalize_resident_id(legal_representative_id)
    phone = normalize_phone(phone)

    errors: dict[str, str] = {}
    if reason := entity_name_error(name):
        errors["name"] = reason
    if reason := ("请填写统一社会信用代码" if not credit_code else credit_code_error(credit_code)):
        errors["credit_code"] = reason
    if reason := person_name_error(legal_representative, label="法定代表人姓名"):
        errors["legal_representative"] = reason
    if reason := (
        "请填写法定代表人公民身份号码"
        if not legal_representative_id
        else resident_id_error(legal_representative_id)
    ):
        errors["legal_representative_id"] = reason
    if reason := phone_error(phone):
        errors["phone"] = reason
    if password or actor is None:
        probe = User(username="E" + credit_code, kind=User.Kind.ENTITY)
        avoid = (credit_code, legal_representative_id, phone)
        if reason := password_error(password or "", user=probe, avoid=avoid):
            errors["password"] = reason
    if errors:
        raise _fail(errors)

    _verify_person(
        legal_representative_id,
        legal_representative,
        id_field="legal_representative_id",
        name_field="legal_representative",
    )
    try:
        result = get_verifier().verify_entity(credit_code, name, legal_representative)
    except VerifierUnavailable as exc:
        raise VerifierDown() from exc
    if not result.ok:
        field = (
            result.field
            if result.field in {"name", "credit_code", "legal_representative"}
            else "name"
        )
        reason = result.reason or "实名核验未通过"
        raise RealNameRejected(f"实名核验未通过：{reason}", fields={field: reason})

    username = "E" + credit_code
    if (
        Entity.objects.filter(credit_code=credit_code).exists()
        or User.objects.filter(username=username).exists()
    ):
        raise AlreadyRegistered(
            "该统一社会信用代码已注册，请直接登录；如忘记密码，请由法定代表人到政务服务大厅办理",
            fields={"credit_code": "该统一社会信用代码已注册"},
        )

    try:
        with service_transaction():
            user = _new_user(
                username=username, kind=User.Kind.ENTITY, display_name=name, password=password
            )
            entity = Entity.objects.create(
                user=user,
                name=name,
                credit_code=credit_code,
                legal_representative=legal_representative,
                legal_representative_id=legal_representative_id,
                phone=phone,
                verified_by=result.method,
            )
    except IntegrityError as exc:
        raise AlreadyRegistered("该统一社会信用代码刚刚已被注册，请直接登录") from exc

    audit_append(
        actor=actor or entity,
        action="accounts.entity_register",
        obj=entity,
        change={
            "name": name,
            "credit_code": credit_code,
            "legal_representative": mask_name(legal_representative),
            "legal_representative_id": mask_id_number(legal_representative_id),
            "phone": mask_phone(phone),
            "verified_by": result.method,
            "channel": _channel(actor),
        },
    )
    return entity


# --- passwords ----------------------------------------------------------------


def _same_actor(actor: Actor, applicant: Person | Entity) -> bool:
    ref: ActorRef = actor.actor_ref()
    own = applicant.actor_ref()
    return (ref.kind, ref.id) == (own.kind, own.id)


def _change_password(
    *,
    actor: Actor,
    applicant: Person | Entity,
    old_password: str,
    new_password: str,
    action: str,
    avoid: tuple[str, ...],
) -> None:
    if not _same_actor(actor, applicant):
        raise PermissionDenied("只能由申请人本人修改自己的密码")
    user: User = applicant.user
    errors: dict[str, Any] = {}
    if not old_password or not user.check_password(old_password):
        errors["old_password"] = "原密码不正确"
    if reason := password_error(new_password, user=user, avoid=avoid):
        errors["new_password"] = reason
    elif old_password and new_password == old_password:
        errors["new_password"] = "新密码不能与原密码相同"
    if errors:
        raise _fail(errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_append(actor=actor, action=action, obj=applicant, change={"password": "已修改"})


@service_transaction
def person_change_password(
    *, actor: Actor, person: Person, old_password: str, new_password: str
) -> None:
    """The person themself changes their password (R2.3)."""
    _change_password(
        actor=actor,
        applicant=person,
        old_password=old_password,
        new_password=new_password,
        action="accounts.person_change_password",
        avoid=(person.id_number, person.phone),
    )


@service_transaction
def entity_change_password(
    *, actor: Actor, entity: Entity, old_password: str, new_password: str
) -> None:
    """The entity's account holder changes its password (R2.3)."""
    _change_password(
        actor=actor,
        applicant=entity,
        old_password=old_password,
        new_password=new_password,
        action="accounts.entity_change_password",
        avoid=(entity.credit_code, entity.legal_representative_id, entity.phone),
    )
