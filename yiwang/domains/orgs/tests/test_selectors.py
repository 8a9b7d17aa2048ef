"""Reads: scoped by the viewer's grants, one query per list (plus the page
count), whatever the number of rows."""

from __future__ import annotations

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.domains.orgs.models import Agency
from yiwang.domains.orgs.selectors import (
    agency_detail,
    agency_list,
    change_request_counts,
    change_request_detail,
    change_requests_for_viewer,
    division_children,
    division_path,
    division_tree,
    filing_centre_for,
    staff_for_user,
    staff_list_for_agency,
)
from yiwang.domains.orgs.services import (
    division_create,
    staff_change_apply,
    staff_change_approve,
    staff_change_request,
)
from yiwang.domains.orgs.tests.conftest import make_agency, make_staff

pytestmark = pytest.mark.django_db


def viewer(staff):
    """The staff member as a page sees them (grants loaded once at login)."""
    return staff_for_user(staff.user_id)


def test_division_reads_are_one_query_each(world, django_assert_num_queries):
    """R1.3: the tree is read by code prefix, not walked row by row."""
    division_create(
        actor=SYSTEM, code="320281107202", name="华西二村", level="village", parent=world.town
    )
    with django_assert_num_queries(1):
        children = division_children(world.city)
    assert [(c.code, c.child_count) for c in children] == [("320213", 0), ("320281", 1)]
    assert [c.agency_count for c in children] == [2, 1]
    with django_assert_num_queries(1):
        tree = division_tree(world.province)
    assert [n.division.code for n in tree] == ["320000"]
    assert [n.division.code for n in tree[0].children[0].children] == ["320213", "320281"]
    with django_assert_num_queries(1):
        tree = division_tree(world.city, down_to="village")
    jy = tree[0].children[1]
    assert jy.children[0].children[0].division.name == "华西二村"
    village = jy.children[0].children[0].division
    with django_assert_num_queries(1):
        path = division_path(village)
    assert [d.name for d in path] == ["江苏省", "无锡市", "江阴市", "华士镇", "华西二村"]


def test_agency_list_filters_and_pages(world, django_assert_num_queries):
    """R2.1: filter by division with its subtree, kind and name; 20 a page."""
    for i in range(25):
        make_agency(world.lx, f"梁溪区第{i:02d}事务所")
    with django_assert_num_queries(2):
        page = agency_list(division=world.city, page=2)
        names = [a.name for a in page]
    assert page.paginator.count == 25 + 5 and len(names) == 10
    assert agency_list(division=world.lx, subtree=False).paginator.count == 27
    assert agency_list(division=world.jy).paginator.count == 1
    assert agency_list(kind="management").paginator.count == 2
    assert agency_list(q="市场监督").paginator.count == 3
    assert agency_list(q=world.jy_scj.credit_code.lower()).paginator.count == 1
    Agency.objects.filter(pk=world.jy_scj.pk).update(active=False)  # read filter only
    assert agency_list(division=world.jy).paginator.count == 0
    assert agency_list(division=world.jy, active=None).paginator.count == 1


def test_agency_detail(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        a = agency_detail(credit_code=world.lx_office.credit_code.lower())
        assert a.service_centre == world.lx_centre and a.division.code == "320213"
    with pytest.raises(NotFound) as err:
        agency_detail(credit_code="91320200MA1XXXXXXX")
    assert "不存在" in err.value.message


def test_staff_list_masks_identifiers_and_is_scoped(world, django_assert_num_queries):
    """R2.3, R14.3: colleagues see masked ID numbers and phones; only a role
    with accounts.view_pii sees them whole; other units' staff are hidden."""
    head = viewer(world.head)
    agency = agency_detail(pk=world.scj.pk)
    with django_assert_num_queries(2):
        rows = staff_list_for_agency(viewer=head, agency=agency)
    assert {r.staff.name for r in rows} == {"钱国庆", "顾晓燕", "华志强"}
    clerk_row = next(r for r in rows if r.staff.name == "华志强")
    number = world.clerk.id_number
    assert clerk_row.id_number == number[:4] + "*" * 10 + number[-4:]
    assert clerk_row.phone == "139****1234"
    assert clerk_row.roles == ["窗口受理人员"]
    # The city centre admin covers 梁溪区 units; the 梁溪 admin not the city's.
    make_staff(world.lx_scj, "lx_scj_clerk", ["clerk"], "梁溪受理员")
    city_admin = viewer(world.centre_admin)
    lx_agency = agency_detail(pk=world.lx_scj.pk)
    with django_assert_num_queries(2):
        lx_rows = staff_list_for_agency(viewer=city_admin, agency=lx_agency)
    assert [r.staff.name for r in lx_rows] == ["梁溪受理员"]
    with pytest.raises(PermissionDenied):
        staff_list_for_agency(viewer=viewer(world.lx_admin), agency=agency)
    with pytest.raises(PermissionDenied):
        staff_list_for_agency(viewer=viewer(world.jy_head), agency=agency)


def test_staff_list_shows_full_identifiers_to_pii_role(world):
    from yiwang.domains.orgs.models import Role

    Role.objects.create(
        code="pii_officer", name="实名核验员", permissions=["orgs.view", "accounts.view_pii"]
    )
    officer = make_staff(world.scj, "scj_pii", ["pii_officer"])
    rows = staff_list_for_agency(viewer=viewer(officer), agency=agency_detail(pk=world.scj.pk))
    clerk_row = next(r for r in rows if r.staff.name == "华志强")
    assert clerk_row.id_number == world.clerk.id_number


def _requests(world, n=3):
    made = []
    for role in ("reviewer", "approver", "supervisor")[:n]:
        made.append(
            staff_change_request(
                actor=world.admin,
                agency=world.scj,
                kind="grant_role",
                target=world.clerk,
                data={"role": role},
                reason="调整",
            )
        )
    return made


def test_change_request_tabs_are_scoped_single_queries(world, django_assert_num_queries):
    """R2.4: the head sees what waits for approval, the admin what waits to be
    applied, everyone their own, the centre its filings."""
    a, b, c = _requests(world)
    staff_change_approve(actor=world.head, request=b)
    staff_change_approve(actor=world.head, request=c)
    staff_change_apply(actor=world.admin, request=c)

    head, admin = viewer(world.head), viewer(world.admin)
    with django_assert_num_queries(2):
        page = change_requests_for_viewer(viewer=head, tab="approve")
        assert [r.pk for r in page] == [a.pk]
        assert [r.requested_by.name for r in page] == ["顾晓燕"]
    with django_assert_num_queries(2):
        assert [r.pk for r in change_requests_for_viewer(viewer=admin, tab="apply")] == [b.pk]
    with django_assert_num_queries(2):
        mine = change_requests_for_viewer(viewer=admin, tab="mine")
        assert {r.pk for r in mine} == {a.pk, b.pk, c.pk}
    centre = viewer(world.centre_admin)
    with django_assert_num_queries(2):
        filings = change_requests_for_viewer(viewer=centre, tab="filings")
        assert [(r.pk, r.filed_with.name) for r in filings] == [(c.pk, "无锡市政务服务中心")]
    with django_assert_num_queries(1):
        counts = change_request_counts(head)
    assert counts == {"approve": 1, "apply": 0, "mine": 0, "filings": 0}
    # Units and centres elsewhere see none of it.
    assert change_request_counts(viewer(world.jy_head)) == dict.fromkeys(counts, 0)
    assert change_request_counts(viewer(world.lx_admin)) == dict.fromkeys(counts, 0)
    with pytest.raises(NotFound):
        change_requests_for_viewer(viewer=head, tab="everything")


def test_request_detail_shows_actions_and_history(world):
    (req,) = _requests(world, 1)
    head_view = change_request_detail(viewer=viewer(world.head), pk=req.pk)
    assert (head_view.can_approve, head_view.can_apply, head_view.can_withdraw) == (
        True,
        False,
        False,
    )
    admin_view = change_request_detail(viewer=viewer(world.admin), pk=req.pk)
    assert (admin_view.can_approve, admin_view.can_apply, admin_view.can_withdraw) == (
        False,
        False,
        True,
    )
    assert ("角色", "审查人员") in admin_view.details
    assert [t.action for t in admin_view.timeline] == ["提出申请"]
    with pytest.raises(NotFound):
        change_request_detail(viewer=viewer(world.jy_head), pk=req.pk)


def test_filing_centre_lookup_is_two_queries(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert filing_centre_for(world.jy_scj) == world.city_centre
    assert filing_centre_for(world.lx_scj) == world.lx_centre
