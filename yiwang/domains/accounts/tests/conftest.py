"""Fixtures of the applicants tests: valid identities, an agency system's
token and a staff login, made on the real database."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

import pytest
from django.apps import apps

from yiwang.core.checkdigits import make_credit_code, make_resident_id
from yiwang.core.crypto import sm3_hex
from yiwang.core.models import AuditEntry
from yiwang.core.pii import blind_index
from yiwang.domains.accounts.models import Entity, Person, User

PASSWORD = "Yiwang@2026"
_serial = itertools.count(1)


def new_id(address: str = "320213", born: dt.date = dt.date(1985, 6, 1)) -> str:
    return make_resident_id(address, born, 100 + next(_serial))


def new_id_ending_x() -> str:
    """A fresh valid ID number whose check character is X (one in eleven is)."""
    while not (candidate := new_id()).endswith("X"):
        pass
    return candidate


def new_phone() -> str:
    return f"1395202{next(_serial):04d}"


def new_credit_code(authority: str = "9", body_type: str = "1") -> str:
    return make_credit_code(authority, body_type, "320213", 40000000 + next(_serial))


def wrong_check(value: str) -> str:
    """The same identifier with a different, wrong last character."""
    last = value[-1]
    return value[:-1] + ("1" if last != "1" else "2")


def person_data(**overrides: str) -> dict[str, str]:
    data = {"name": "张晓明", "id_number": new_id(), "phone": new_phone(), "password": PASSWORD}
    data.update(overrides)
    return data


def entity_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "无锡市梁溪区测试面馆",
        "credit_code": new_credit_code("9", "2"),
        "legal_representative": "李红梅",
        "legal_representative_id": new_id("320214", dt.date(1979, 3, 3)),
        "phone": new_phone(),
        "password": PASSWORD,
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Person.objects.count(),
        Entity.objects.count(),
        AuditEntry.objects.count(),
    )


def _orgs_models(*names: str) -> list[type]:
    # Looked up through the app registry: the accounts domain does not import
    # orgs (import-linter), but its API and console tests need an agency
    # system's token and a staff login to exist.
    return [apps.get_model("orgs", name) for name in names]


@pytest.fixture
def api_token(db) -> str:
    """A bearer token of an agency system (made through the ORM: the orgs
    services for clients are written elsewhere)."""
    Division, Agency, ApiClient = _orgs_models("Division", "Agency", "ApiClient")
    division = Division.objects.create(code="320200", name="无锡市", level="city")
    agency = Agency.objects.create(
        name="无锡市行政审批局",
        kind="department",
        credit_code=make_credit_code("1", "1", "320200", 14141414),
        division=division,
    )
    token = "yw_" + secrets.token_urlsafe(24)
    ApiClient.objects.create(
        agency=agency,
        name="市民中心窗口受理系统",
        token_prefix=token[:8],
        token_digest=sm3_hex(token.encode()),
    )
    return token


@pytest.fixture
def staff_user(db):
    """An active staff member's login (ORM-made; orgs owns staff services)."""
    Division, Agency, Staff = _orgs_models("Division", "Agency", "Staff")
    division = Division.objects.create(code="320213", name="梁溪区", level="county")
    agency = Agency.objects.create(
        name="无锡市梁溪区行政审批局",
        kind="department",
        credit_code=make_credit_code("1", "1", "320213", 15151515),
        division=division,
    )
    user = User.objects.create_user("liangxi_clerk", password=PASSWORD, kind=User.Kind.STAFF)
    id_number = new_id("320213", dt.date(1988, 8, 8))
    Staff.objects.create(
        user=user,
        agency=agency,
        name="赵敏",
        id_number=id_number,
        id_index=blind_index(id_number),
    )
    return user
