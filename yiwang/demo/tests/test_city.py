"""The demo city: real division codes, at least 20 agencies, a centre per city
and district, a hall at each level, staff with roles; loading twice adds
nothing (R1.3, R2.1, R2.2, R2.4)."""

from __future__ import annotations

import pytest

from yiwang.core.audit import audit_verify
from yiwang.core.checkdigits import credit_code_error, resident_id_error
from yiwang.core.models import AuditEntry
from yiwang.demo.city import load_city
from yiwang.domains.orgs.models import (
    Agency,
    ChangeStatus,
    Division,
    Hall,
    RoleGrant,
    ServiceCentre,
    Staff,
    StaffChangeRequest,
    Window,
)

pytestmark = pytest.mark.django_db

MODELS = (Division, Agency, ServiceCentre, Hall, Window, Staff, RoleGrant, StaffChangeRequest)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS} | {"audit": AuditEntry.objects.count()}


@pytest.fixture
def city():
    return load_city()


def test_loading_twice_adds_nothing(city):
    first = counts()
    again = load_city()
    assert again["created"] == {}
    assert counts() == first
    assert again["accounts"] == city["accounts"]
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems]


def test_real_division_codes(city):
    """R1.3: 无锡市 and its seven county-level divisions with their GB/T 2260
    codes, and towns and villages with 12-digit statistical codes."""
    wuxi = Division.objects.get(code="320200")
    assert (wuxi.name, wuxi.parent.code) == ("无锡市", "320000")
    assert dict(wuxi.children.values_list("code", "name")) == {
        "320205": "锡山区",
        "320206": "惠山区",
        "320211": "滨湖区",
        "320213": "梁溪区",
        "320214": "新吴区",
        "320281": "江阴市",
        "320282": "宜兴市",
    }
    assert Division.objects.get(code="320281107202").parent.name == "华士镇"
    assert set(Division.objects.values_list("level", flat=True)) == {
        "province",
        "city",
        "county",
        "town",
        "village",
    }


def test_agencies_centres_halls(city):
    """R2.1, R12: ≥20 agencies with valid credit codes, a centre per city and
    district level run by a management agency, halls from city to village."""
    assert Agency.objects.count() >= 20
    assert all(
        credit_code_error(c) is None for c in Agency.objects.values_list("credit_code", flat=True)
    )
    assert Agency.objects.filter(kind="enterprise").count() >= 2
    centred = set(ServiceCentre.objects.values_list("division__code", flat=True))
    assert centred == {
        "320200",
        "320205",
        "320206",
        "320211",
        "320213",
        "320214",
        "320281",
        "320282",
    }
    assert not ServiceCentre.objects.exclude(agency__kind="management").exists()
    assert set(Hall.objects.values_list("level", flat=True)) == {
        "hall",
        "town_centre",
        "village_station",
        "village_room",
    }
    assert not Hall.objects.filter(windows__isnull=True).exists()
    assert Window.objects.filter(kind="not_done").exists()


def test_staff_and_accounts(city):
    """R2.2, R2.3: real-named staff with valid ID numbers and roles per agency."""
    accounts = {a["login"]: a for a in city["accounts"]}
    assert accounts["wx_zwb_admin"]["roles"] == "中心管理员、单位管理员"
    assert accounts["wx_scj_head"]["unit"] == "无锡市市场监督管理局"
    assert city["password"] == "Yiwang@2026"
    for member in Staff.objects.select_related("user"):
        assert resident_id_error(member.id_number) is None
        assert member.id_number[:4] == "3202"
        assert member.user.kind == "staff"
    admin = Staff.objects.get(user__username="wx_zwb_admin")
    assert admin.user.check_password("Yiwang@2026")
    assert admin.has_permission("orgs.manage", agency_id=admin.agency_id)
    for login in ("wx_scj_head", "wx_scj_admin", "wx_spj_head", "wx_gaj_admin"):
        assert login in accounts


def test_demo_requests_in_each_state(city):
    """R2.4: the console opens with a request to approve, one to apply and a
    filing; the applied one created its staff member."""
    states = set(StaffChangeRequest.objects.values_list("status", flat=True))
    assert states == {ChangeStatus.PENDING, ChangeStatus.APPROVED, ChangeStatus.APPLIED}
    applied = StaffChangeRequest.objects.get(status=ChangeStatus.APPLIED)
    assert applied.filed_with.name == "无锡市政务服务中心"
    assert applied.target.user.username == "wx_spj_clerk2"
