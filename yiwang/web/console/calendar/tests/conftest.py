"""Staff logins for the calendar and audit console pages: rows written with
the ORM and each given its audit entry, so the chain stays verifiable."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_append
from yiwang.core.checkdigits import make_credit_code, make_resident_id
from yiwang.core.pii import blind_index

_seq = itertools.count(1)


def _audited(obj):
    audit_append(actor=SYSTEM, action="test.fixture_create", obj=obj, change={})
    return obj


@transaction.atomic
def make_staff(name: str, roles: list[str]):
    from yiwang.domains.accounts.models import User
    from yiwang.domains.orgs.models import Agency, Division, Role, RoleGrant, Staff

    n = next(_seq)
    division = Division.objects.filter(code="320200").first() or _audited(
        Division.objects.create(code="320200", name="无锡市", level="city")
    )
    agency = _audited(
        Agency.objects.create(
            name=f"无锡市政务服务管理办公室{n}",
            kind="management",
            credit_code=make_credit_code("1", "1", "320200", 90000000 + n),
            division=division,
        )
    )
    user = User(username=f"staff{n}", kind="staff", display_name=name)
    user.set_password("Yiwang@2026")
    user.save()
    id_number = make_resident_id("320213", dt.date(1980, 1, 1), n)
    staff = _audited(
        Staff.objects.create(
            user=user,
            agency=agency,
            name=name,
            id_number=id_number,
            id_index=blind_index(id_number),
        )
    )
    for code in roles:
        _audited(
            RoleGrant.objects.create(staff=staff, role=Role.objects.get(code=code), agency=agency)
        )
    return staff


@pytest.fixture
def admin_client(client, db):
    staff = make_staff("王管理", ["centre_admin"])
    client.force_login(staff.user)
    client.staff = staff
    return client


@pytest.fixture
def clerk_client(client, db):
    staff = make_staff("李受理", ["clerk"])
    client.force_login(staff.user)
    client.staff = staff
    return client
