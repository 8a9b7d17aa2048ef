"""Divisions, agencies, service centres, halls, windows and API clients:
validation, permissions and the subtree scope of a centre administrator."""

from __future__ import annotations

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.core.models import AuditEntry
from yiwang.domains.orgs.models import Agency, Division, Hall, ServiceCentre, Window
from yiwang.domains.orgs.selectors import api_client_for_token
from yiwang.domains.orgs.services import (
    agency_create,
    agency_deactivate,
    agency_reactivate,
    agency_update,
    api_client_issue,
    api_client_revoke,
    division_create,
    division_update,
    hall_create,
    hall_update,
    service_centre_create,
    window_create,
    window_update,
)
from yiwang.domains.orgs.tests.conftest import credit, make_agency, make_staff

pytestmark = pytest.mark.django_db


# --- divisions ------------------------------------------------------------------------


def test_division_chain_is_created_and_audited(world):
    """R1.3: province → city → county → town → village with GB/T 2260 codes."""
    village = division_create(
        actor=SYSTEM, code="320281107202", name="华西二村", level="village", parent=world.town
    )
    assert village.parent == world.town
    entry = AuditEntry.objects.filter(
        action="orgs.division_create", object_id=str(village.pk)
    ).get()
    assert "320281107202" in entry.change
    assert audit_verify().ok


@pytest.mark.parametrize(
    ("code", "level", "parent_attr", "field", "fragment"),
    [
        ("320299", "city", "province", "code", "与层级不符"),
        ("3202", "county", "city", "code", "6位"),
        ("320213001000", "county", "city", "code", "与层级不符"),
        ("320213", "county", "province", "parent", "320200"),
        ("330102", "county", "city", "parent", "330100"),
        ("320281108000", "town", "lx", "parent", "320281"),
        ("320200", "city", None, "parent", "请选择上级区划"),
        ("320213", "", "city", "level", "请选择层级"),
    ],
)
def test_division_validation_is_chinese_and_stores_nothing(
    world, code, level, parent_attr, field, fragment
):
    """R1.3: the code must fit its level and begin with the parent's prefix."""
    before = Division.objects.count()
    parent = getattr(world, parent_attr) if parent_attr else None
    with pytest.raises(ValidationFailed) as err:
        division_create(actor=SYSTEM, code=code, name="某区划", level=level, parent=parent)
    assert field in err.value.fields
    assert fragment in err.value.fields[field]
    assert Division.objects.count() == before


def test_division_code_must_be_unique(world):
    with pytest.raises(ValidationFailed) as err:
        division_create(
            actor=SYSTEM, code="320213", name="梁溪区", level="county", parent=world.city
        )
    assert err.value.fields["code"] == "行政区划代码 320213 已存在"


def test_division_name_is_required(world):
    with pytest.raises(ValidationFailed) as err:
        division_create(actor=SYSTEM, code="320281001000", name="  ", level="town", parent=world.jy)
    assert err.value.fields["name"] == "请填写区划名称"


def test_twelve_digit_form_of_county_code_is_normalised(world):
    d = division_create(
        actor=SYSTEM, code="320282000000", name="宜兴市", level="county", parent=world.city
    )
    assert d.code == "320282"


def test_real_irregular_parents_are_accepted(db):
    """County-level units directly under a province (省直辖, digits 90) and towns
    of a city without districts (东莞) have the parent their code names."""
    hubei = division_create(actor=SYSTEM, code="420000", name="湖北省", level="province")
    xiantao = division_create(
        actor=SYSTEM, code="429004", name="仙桃市", level="county", parent=hubei
    )
    assert xiantao.parent == hubei
    gd = division_create(actor=SYSTEM, code="440000", name="广东省", level="province")
    dg = division_create(actor=SYSTEM, code="441900", name="东莞市", level="city", parent=gd)
    town = division_create(
        actor=SYSTEM, code="441900003000", name="东城街道", level="town", parent=dg
    )
    assert town.parent == dg


def test_centre_admin_manages_only_own_subtree(world):
    """R1.3: each level manages its own part: the 梁溪区 centre admin may add a
    street in 梁溪区 but nothing in 江阴市, and cannot rename the city."""
    street = division_create(
        actor=world.lx_admin,
        code="320213001000",
        name="崇安寺街道",
        level="town",
        parent=world.lx,
    )
    assert street.pk
    with pytest.raises(PermissionDenied) as err:
        division_create(
            actor=world.lx_admin,
            code="320281001000",
            name="澄江街道",
            level="town",
            parent=world.jy,
        )
    assert "管辖范围" in err.value.message
    with pytest.raises(PermissionDenied):
        division_update(actor=world.lx_admin, division=world.city, name="改名")
    # The city centre admin covers the whole city, 江阴市 included.
    assert division_create(
        actor=world.centre_admin,
        code="320281001000",
        name="澄江街道",
        level="town",
        parent=world.jy,
    ).pk


def test_staff_without_manage_permission_is_refused(world):
    with pytest.raises(PermissionDenied) as err:
        division_update(actor=world.clerk, division=world.lx, name="梁溪")
    assert "没有维护" in err.value.message
    assert Division.objects.get(pk=world.lx.pk).name == "梁溪区"


def test_division_update_renames_and_audits(world):
    division_update(actor=world.centre_admin, division=world.lx, name="梁溪区（新）")
    assert Division.objects.get(pk=world.lx.pk).name == "梁溪区（新）"
    assert AuditEntry.objects.filter(action="orgs.division_update").count() == 1


# --- agencies ---------------------------------------------------------------------------


def test_agency_with_wrong_check_digit_is_refused_and_not_stored(world):
    """R2.1, R2.3: the credit code is validated by its GB 32100 check character."""
    good = credit("320200")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = Agency.objects.count()
    with pytest.raises(ValidationFailed) as err:
        agency_create(
            actor=SYSTEM, name="某局", kind="department", credit_code=bad, division=world.city
        )
    assert err.value.fields["credit_code"] == "统一社会信用代码校验码错误"
    assert Agency.objects.count() == before


def test_agency_credit_code_is_unique(world):
    with pytest.raises(ValidationFailed) as err:
        agency_create(
            actor=SYSTEM,
            name="重复局",
            kind="department",
            credit_code=world.scj.credit_code,
            division=world.city,
        )
    assert err.value.code == "credit_code_taken"
    assert "无锡市市场监督管理局" in err.value.fields["credit_code"]


def test_agency_kind_and_name_are_checked(world):
    with pytest.raises(ValidationFailed) as err:
        agency_create(actor=SYSTEM, name="", kind="club", credit_code=credit(), division=world.city)
    assert set(err.value.fields) == {"name", "kind"}


def test_agency_parent_must_be_same_or_higher_division(world):
    branch = make_agency(world.lx, "无锡市公安局梁溪分局", parent=None)
    city_police = make_agency(world.city, "无锡市公安局")
    agency_update(actor=SYSTEM, agency=branch, parent=city_police)
    assert Agency.objects.get(pk=branch.pk).parent == city_police
    with pytest.raises(ValidationFailed) as err:
        agency_update(actor=SYSTEM, agency=city_police, parent=world.lx_scj)
    assert "上级区划" in err.value.fields["parent"]


def test_agency_parent_cycle_is_refused(world):
    a = make_agency(world.city, "甲局")
    b = make_agency(world.city, "甲局一处", parent=a)
    c = make_agency(world.city, "甲局一处一科", parent=b)
    with pytest.raises(ValidationFailed) as err:
        agency_update(actor=SYSTEM, agency=a, parent=c)
    assert err.value.code == "agency_cycle"
    with pytest.raises(ValidationFailed):
        agency_update(actor=SYSTEM, agency=a, parent=a)
    assert Agency.objects.get(pk=a.pk).parent is None


def test_agency_update_is_scoped_and_audited(world):
    agency_update(actor=world.lx_admin, agency=world.lx_scj, phone="0510-82712345")
    assert Agency.objects.get(pk=world.lx_scj.pk).phone == "0510-82712345"
    entry = AuditEntry.objects.filter(action="orgs.agency_update").get()
    assert "0510-82712345" in entry.change
    with pytest.raises(PermissionDenied):
        agency_update(actor=world.lx_admin, agency=world.jy_scj, phone="0510-86000000")
    with pytest.raises(PermissionDenied):
        agency_create(
            actor=world.lx_admin,
            name="越权局",
            kind="department",
            credit_code=credit(),
            division=world.city,
        )


def test_agency_deactivation_needs_staff_gone_first(world):
    """R2.4: a unit with staff on duty cannot be closed around the workflow."""
    with pytest.raises(Conflict) as err:
        agency_deactivate(actor=world.centre_admin, agency=world.scj)
    assert "在岗工作人员" in err.value.message
    empty = make_agency(world.city, "临时机构")
    agency_deactivate(actor=world.centre_admin, agency=empty, reason="撤销")
    assert not Agency.objects.get(pk=empty.pk).active
    with pytest.raises(Conflict):
        agency_deactivate(actor=world.centre_admin, agency=empty)
    agency_reactivate(actor=world.centre_admin, agency=empty)
    assert Agency.objects.get(pk=empty.pk).active


def test_centre_agency_cannot_be_deactivated_or_change_kind(world):
    with pytest.raises(Conflict):
        agency_deactivate(actor=SYSTEM, agency=world.lx_office)
    with pytest.raises(ValidationFailed) as err:
        agency_update(actor=SYSTEM, agency=world.lx_office, kind="department")
    assert "管理机构" in err.value.fields["kind"]


# --- centres, halls, windows --------------------------------------------------------------


def test_service_centre_rules(world):
    """R2.1: one centre per division, run by a management agency of that division."""
    with pytest.raises(ValidationFailed) as err:
        service_centre_create(actor=SYSTEM, division=world.jy, agency=world.jy_scj, name="中心")
    assert "不是政务服务管理机构" in err.value.fields["agency"]
    with pytest.raises(ValidationFailed) as err:
        service_centre_create(actor=SYSTEM, division=world.jy, agency=world.lx_office, name="中心")
    assert "应属于本区划" in err.value.fields["agency"]
    jy_office = make_agency(world.jy, "江阴市政务服务管理办公室", "management")
    centre = service_centre_create(
        actor=SYSTEM, division=world.jy, agency=jy_office, name="江阴市政务服务中心"
    )
    assert centre.pk
    other = make_agency(world.jy, "江阴市另一管理办公室", "management")
    with pytest.raises(Conflict) as err:
        service_centre_create(actor=SYSTEM, division=world.jy, agency=other, name="又一个")
    assert err.value.code == "centre_exists"
    assert ServiceCentre.objects.filter(division=world.jy).count() == 1


def test_hall_level_must_fit_division(world):
    """R12: 政务大厅 from the county up, 便民服务中心 in towns, 服务站/室 in villages."""
    hall = hall_create(
        actor=SYSTEM,
        centre=world.city_centre,
        division=world.town,
        name="华士镇便民服务中心",
        level="town_centre",
        phone="0510-86000000",
    )
    assert hall.division == world.town
    with pytest.raises(ValidationFailed) as err:
        hall_create(
            actor=SYSTEM,
            centre=world.city_centre,
            division=world.town,
            name="错层大厅",
            level="hall",
        )
    assert "便民服务中心" in err.value.fields["level"]
    with pytest.raises(ValidationFailed) as err:
        hall_create(
            actor=SYSTEM,
            centre=world.lx_centre,
            division=world.town,
            name="跨区大厅",
            level="town_centre",
        )
    assert "不在" in err.value.fields["division"]
    hall_update(
        actor=SYSTEM, hall=hall, name="华士镇便民服务中心", level="town_centre", hours="周一至周五"
    )
    assert Hall.objects.get(pk=hall.pk).hours == "周一至周五"


def test_windows_number_unique_and_agencies_in_chain(world):
    hall = hall_create(
        actor=SYSTEM,
        centre=world.lx_centre,
        division=world.lx,
        name="梁溪区政务服务大厅",
        level="hall",
    )
    w = window_create(
        actor=world.lx_admin,
        hall=hall,
        number="01",
        name="综合受理",
        kind="comprehensive",
        agencies=[world.lx_scj, world.scj],
    )
    assert set(w.agencies.all()) == {world.lx_scj, world.scj}
    with pytest.raises(ValidationFailed) as err:
        window_create(actor=SYSTEM, hall=hall, number="01", name="重复", kind="agency")
    assert err.value.code == "window_number_taken"
    with pytest.raises(ValidationFailed) as err:
        window_create(
            actor=SYSTEM,
            hall=hall,
            number="02",
            name="跨区",
            kind="agency",
            agencies=[world.jy_scj],
        )
    assert "不在同一区划体系" in err.value.fields["agencies"]
    window_update(
        actor=SYSTEM,
        window=w,
        number="01",
        name="综合受理窗口",
        kind="comprehensive",
        agencies=[world.lx_scj],
        active=False,
    )
    w = Window.objects.get(pk=w.pk)
    assert (w.name, w.active, list(w.agencies.all())) == ("综合受理窗口", False, [world.lx_scj])
    with pytest.raises(PermissionDenied):
        window_create(actor=world.clerk, hall=hall, number="03", name="x", kind="agency")
    assert audit_verify().ok


# --- API clients --------------------------------------------------------------------------


def test_api_client_token_is_shown_once_and_stored_as_digest(world):
    """R1.4, R14.3: only the SM3 digest and a prefix of the token are stored."""
    client, token = api_client_issue(actor=world.admin, agency=world.scj, name="登记注册系统")
    assert token.startswith("yw_") and len(token) > 40
    assert token not in client.token_digest and client.token_prefix == token[:10]
    assert token not in AuditEntry.objects.filter(action="orgs.api_client_issue").get().change
    assert api_client_for_token(token) == client
    with pytest.raises(PermissionDenied):
        api_client_issue(actor=world.clerk, agency=world.scj, name="越权系统")
    with pytest.raises(PermissionDenied):
        api_client_issue(actor=world.admin, agency=world.lx_scj, name="他单位系统")
    api_client_revoke(actor=world.admin, client=client)
    assert api_client_for_token(token) is None
    with pytest.raises(Conflict):
        api_client_revoke(actor=world.admin, client=client)


def test_bootstrap_is_for_the_platform_only(world):
    """R2.4: no one creates staff directly except the platform itself."""
    from yiwang.domains.orgs.services import staff_bootstrap

    with pytest.raises(PermissionDenied) as err:
        staff_bootstrap(
            actor=world.centre_admin,
            agency=world.scj,
            name="张三",
            id_number="11010519491231002X",
            login_name="zhangsan",
            password="Yiwang@2026",
        )
    assert err.value.code == "bootstrap_system_only"
    with pytest.raises(ValidationFailed) as err:
        make_staff(world.scj, "x", ["no_such_role"])
    assert "登录名" in err.value.fields["login_name"]
    assert "no_such_role" in err.value.fields["roles"]


def test_moving_an_agency_keeps_its_parent_above_it(world):
    """R2.1: a sub-agency cannot be moved out from under its parent's area."""
    branch = make_agency(world.lx, "梁溪区某分局", parent=world.lx_scj)
    with pytest.raises(ValidationFailed) as err:
        agency_update(actor=SYSTEM, agency=branch, division=world.jy)
    assert "上级机构" in err.value.fields["parent"]
    moved = agency_update(actor=SYSTEM, agency=branch, division=world.jy, parent=None)
    assert (moved.division, moved.parent) == (world.jy, None)
