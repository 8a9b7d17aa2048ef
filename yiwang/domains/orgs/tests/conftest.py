"""A small real world for the organisations tests, built through the services
as the platform itself (no factories that bypass the rules).

    江苏省 320000 → 无锡市 320200 → 梁溪区 320213 (with a centre)
                                  → 江阴市 320281 (no centre) → 华士镇 320281107000
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.checkdigits import make_credit_code, make_resident_id
from yiwang.domains.orgs.models import Agency, Division, ServiceCentre, Staff
from yiwang.domains.orgs.services import (
    agency_create,
    division_create,
    roles_sync_defaults,
    service_centre_create,
    staff_bootstrap,
)

PASSWORD = "Yiwang@2026"
_serial = itertools.count(70000001)
_seq = itertools.count(101)


def credit(division6: str = "320200", authority: str = "1", body: str = "1") -> str:
    return make_credit_code(authority, body, division6, next(_serial))


def resident_id(address: str = "320213") -> str:
    return make_resident_id(address, dt.date(1985, 5, 5), next(_seq))


def make_agency(division: Division, name: str, kind: str = "department", **kw: Any) -> Agency:
    return agency_create(
        actor=SYSTEM,
        name=name,
        kind=kind,
        credit_code=kw.pop("credit_code", None) or credit(division.code[:6]),
        division=division,
        **kw,
    )


def make_staff(agency: Agency, login: str, roles: list[str], name: str | None = None) -> Staff:
    return staff_bootstrap(
        actor=SYSTEM,
        agency=agency,
        name=name or login,
        id_number=resident_id(),
        login_name=login,
        password=PASSWORD,
        phone="13905101234",
        roles=roles,
    )


def fresh(staff: Staff) -> Staff:
    """The same staff member read again, so no cached grants hide a change."""
    return Staff.objects.get(pk=staff.pk)


@dataclass
class World:
    province: Division
    city: Division
    lx: Division
    jy: Division
    town: Division
    city_office: Agency
    city_centre: ServiceCentre
    lx_office: Agency
    lx_centre: ServiceCentre
    scj: Agency
    lx_scj: Agency
    jy_scj: Agency
    head: Staff
    admin: Staff
    clerk: Staff
    centre_admin: Staff
    lx_admin: Staff
    jy_head: Staff
    jy_admin: Staff


@pytest.fixture
def world(db: Any) -> World:
    roles_sync_defaults(actor=SYSTEM)
    province = division_create(actor=SYSTEM, code="320000", name="江苏省", level="province")
    city = division_create(
        actor=SYSTEM, code="320200", name="无锡市", level="city", parent=province
    )
    lx = division_create(actor=SYSTEM, code="320213", name="梁溪区", level="county", parent=city)
    jy = division_create(actor=SYSTEM, code="320281", name="江阴市", level="county", parent=city)
    town = division_create(
        actor=SYSTEM, code="320281107000", name="华士镇", level="town", parent=jy
    )
    city_office = make_agency(city, "无锡市政务服务管理办公室", "management")
    city_centre = service_centre_create(
        actor=SYSTEM, division=city, agency=city_office, name="无锡市政务服务中心"
    )
    lx_office = make_agency(lx, "无锡市梁溪区政务服务管理办公室", "management")
    lx_centre = service_centre_create(
        actor=SYSTEM, division=lx, agency=lx_office, name="梁溪区政务服务中心"
    )
    scj = make_agency(city, "无锡市市场监督管理局")
    lx_scj = make_agency(lx, "无锡市梁溪区市场监督管理局")
    jy_scj = make_agency(jy, "江阴市市场监督管理局")
    return World(
        province=province,
        city=city,
        lx=lx,
        jy=jy,
        town=town,
        city_office=city_office,
        city_centre=city_centre,
        lx_office=lx_office,
        lx_centre=lx_centre,
        scj=scj,
        lx_scj=lx_scj,
        jy_scj=jy_scj,
        head=make_staff(scj, "scj_head", ["unit_head"], "钱国庆"),
        admin=make_staff(scj, "scj_admin", ["unit_admin"], "顾晓燕"),
        clerk=make_staff(scj, "scj_clerk", ["clerk"], "华志强"),
        centre_admin=make_staff(city_office, "zwb_admin", ["centre_admin"], "周文斌"),
        lx_admin=make_staff(lx_office, "lx_admin", ["centre_admin"], "杨慧敏"),
        jy_head=make_staff(jy_scj, "jy_head", ["unit_head"], "缪建军"),
        jy_admin=make_staff(jy_scj, "jy_admin", ["unit_admin"], "承丽娟"),
    )
