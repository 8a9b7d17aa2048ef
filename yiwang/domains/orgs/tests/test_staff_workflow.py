"""The staff change workflow (R2.4): a unit administrator requests, the unit
head approves, the unit administrator applies, the change is filed with the
same-level service centre, and every step is in the audit chain."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.core.models import AuditEntry
from yiwang.core.pii import blind_index
from yiwang.domains.orgs.models import ChangeStatus, RoleGrant, Staff, StaffChangeRequest
from yiwang.domains.orgs.services import (
    staff_change_apply,
    staff_change_approve,
    staff_change_reject,
    staff_change_request,
    staff_change_withdraw,
)
from yiwang.domains.orgs.tests.conftest import PASSWORD, fresh, make_staff, resident_id

pytestmark = pytest.mark.django_db


def grant_request(world, role="reviewer", target=None, agency=None, actor=None):
    return staff_change_request(
        actor=actor or world.admin,
        agency=agency or world.scj,
        kind="grant_role",
        target=target or world.clerk,
        data={"role": role},
        reason="岗位调整，兼任审查",
    )


def test_role_change_not_approved_by_the_head_does_not_take_effect(world):
    """R2.4 acceptance: a staff role change that the unit head has not approved
    does not take effect — not when requested, not when approved, only when
    the unit administrator applies it; then it is filed with the centre."""
    # The unit head role carries orgs.staff_approve, which the clerk lacks.
    req = grant_request(world, role="unit_head")
    assert not fresh(world.clerk).has_permission("orgs.staff_approve", agency_id=world.scj.pk)

    with pytest.raises(Conflict) as err:
        staff_change_apply(actor=world.admin, request=req)
    assert "只有经单位负责人批准的申请才能执行" in err.value.message
    assert not fresh(world.clerk).has_permission("orgs.staff_approve", agency_id=world.scj.pk)

    staff_change_approve(actor=world.head, request=req, note="同意")
    assert StaffChangeRequest.objects.get(pk=req.pk).status == ChangeStatus.APPROVED
    assert not fresh(world.clerk).has_permission("orgs.staff_approve", agency_id=world.scj.pk)

    applied = staff_change_apply(actor=world.admin, request=req)
    assert fresh(world.clerk).has_permission("orgs.staff_approve", agency_id=world.scj.pk)
    assert applied.status == ChangeStatus.APPLIED
    assert applied.filed_with == world.city_centre
    assert applied.filed_at is not None and applied.applied_by == world.admin
    assert audit_verify().ok


def test_rejected_request_never_takes_effect(world):
    """R2.4: a rejected change can be neither applied nor approved later."""
    req = grant_request(world)
    with pytest.raises(ValidationFailed) as err:
        staff_change_reject(actor=world.head, request=req, note="  ")
    assert err.value.fields["note"] == "请填写驳回理由"
    staff_change_reject(actor=world.head, request=req, note="不符合岗位设置")
    with pytest.raises(Conflict) as err:
        staff_change_apply(actor=world.admin, request=req)
    assert "已驳回" in err.value.message
    with pytest.raises(Conflict):
        staff_change_approve(actor=world.head, request=req)
    assert not RoleGrant.objects.filter(staff=world.clerk, role__code="reviewer").exists()
    assert not fresh(world.clerk).grants.filter(role__code="reviewer").exists()


def test_only_the_unit_head_approves_and_never_their_own(world):
    """R2.2, R2.4: approval needs orgs.staff_approve in the same agency; no one
    approves their own request or a change to themselves."""
    req = grant_request(world)
    for outsider in (world.admin, world.clerk, world.jy_head, world.centre_admin):
        with pytest.raises(PermissionDenied):
            staff_change_approve(actor=outsider, request=req)
    # A head who is also the requester (an admin holding both roles).
    both = make_staff(world.scj, "scj_both", ["unit_head", "unit_admin"], "兼职者")
    own = grant_request(world, actor=both, target=world.clerk, role="approver")
    with pytest.raises(PermissionDenied) as err:
        staff_change_approve(actor=both, request=own)
    assert err.value.message == "不能审批本人提出的申请"
    about_head = grant_request(world, target=world.head, role="reviewer")
    with pytest.raises(PermissionDenied) as err:
        staff_change_approve(actor=world.head, request=about_head)
    assert err.value.message == "不能审批针对本人的变更申请"
    assert StaffChangeRequest.objects.filter(status=ChangeStatus.PENDING).count() == 3


def test_only_the_unit_admin_requests_and_applies(world):
    with pytest.raises(PermissionDenied) as err:
        grant_request(world, actor=world.clerk)
    assert "单位管理员" in err.value.message
    with pytest.raises(PermissionDenied):
        grant_request(world, actor=world.jy_admin)  # admin of another unit
    req = grant_request(world)
    staff_change_approve(actor=world.head, request=req)
    for outsider in (world.head, world.clerk, world.jy_admin):
        with pytest.raises(PermissionDenied):
            staff_change_apply(actor=outsider, request=req)
    assert StaffChangeRequest.objects.get(pk=req.pk).status == ChangeStatus.APPROVED


def test_withdraw_by_requester_only_and_not_after_apply(world):
    req = grant_request(world)
    with pytest.raises(PermissionDenied):
        staff_change_withdraw(actor=world.head, request=req)
    staff_change_withdraw(actor=world.admin, request=req)
    assert StaffChangeRequest.objects.get(pk=req.pk).status == ChangeStatus.WITHDRAWN
    with pytest.raises(Conflict):
        staff_change_approve(actor=world.head, request=req)
    with pytest.raises(Conflict):
        staff_change_withdraw(actor=world.admin, request=req)
    done = grant_request(world, role="approver")
    staff_change_approve(actor=world.head, request=done)
    staff_change_apply(actor=world.admin, request=done)
    with pytest.raises(Conflict) as err:
        staff_change_withdraw(actor=world.admin, request=done)
    assert "已执行并备案" in err.value.message
    with pytest.raises(Conflict):
        staff_change_apply(actor=world.admin, request=done)


def test_create_staff_end_to_end(world):
    """R2.3, R2.4: a new official is real-named (checked ID, encrypted at rest,
    blind index), gets a staff login, and exists only once applied."""
    number = resident_id("320211")
    req = staff_change_request(
        actor=world.admin,
        agency=world.scj,
        kind="create_staff",
        data={
            "name": "蒋文静",
            "id_number": number,
            "phone": "13905107788",
            "title": "科员",
            "login_name": "scj_jiang",
            "password": PASSWORD,
            "roles": ["reviewer", "clerk"],
        },
        reason="新招录人员",
    )
    user_model = get_user_model()
    assert not user_model.objects.filter(username="scj_jiang").exists()
    assert number not in req.summary and "3202" in req.summary
    with connection.cursor() as cur:
        cur.execute("SELECT payload FROM orgs_staffchangerequest WHERE id = %s", [req.pk])
        stored = cur.fetchone()[0]
    assert number not in stored and PASSWORD not in stored
    assert PASSWORD not in json.loads(StaffChangeRequest.objects.get(pk=req.pk).payload).values()

    staff_change_approve(actor=world.head, request=req)
    staff_change_apply(actor=world.admin, request=req)

    staff = Staff.objects.get(user__username="scj_jiang")
    assert staff.user.kind == "staff" and staff.agency == world.scj
    assert staff.id_number == number and staff.id_index == blind_index(number)
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM orgs_staff WHERE id = %s", [staff.pk])
        raw_id, raw_phone = cur.fetchone()
    assert number not in raw_id and "13905107788" not in raw_phone
    assert sorted(staff.grants.values_list("role__code", flat=True)) == ["clerk", "reviewer"]
    assert staff.user.check_password(PASSWORD) and staff.user.is_active
    assert StaffChangeRequest.objects.get(pk=req.pk).target == staff
    for entry in AuditEntry.objects.all():
        assert number not in entry.change and "13905107788" not in entry.change
    assert audit_verify().ok


def test_create_staff_validation(world):
    with pytest.raises(ValidationFailed) as err:
        staff_change_request(
            actor=world.admin,
            agency=world.scj,
            kind="create_staff",
            data={
                "name": "",
                "id_number": "110105194912310021",
                "phone": "12",
                "login_name": "1bad",
                "password": "12345678",
                "roles": ["nope"],
            },
            reason="",
        )
    fields = err.value.fields
    assert fields == {"reason": "请填写变更事由"}
    with pytest.raises(ValidationFailed) as err:
        staff_change_request(
            actor=world.admin,
            agency=world.scj,
            kind="create_staff",
            data={
                "name": "",
                "id_number": "110105194912310021",
                "phone": "12",
                "login_name": "1bad",
                "password": "12345678",
                "roles": ["nope"],
            },
            reason="新招录",
        )
    fields = err.value.fields
    assert set(fields) == {"name", "id_number", "phone", "login_name", "password", "roles"}
    assert fields["id_number"] == "公民身份号码校验码错误"
    assert StaffChangeRequest.objects.count() == 0


def test_duplicate_id_number_is_refused_clearly(world):
    """R2.3: one person is registered as staff once."""
    with pytest.raises(ValidationFailed) as err:
        staff_change_request(
            actor=world.admin,
            agency=world.scj,
            kind="create_staff",
            data={
                "name": "又一个",
                "id_number": world.clerk.id_number,
                "login_name": "scj_dup",
                "password": PASSWORD,
            },
            reason="新招录",
        )
    message = err.value.fields["id_number"]
    assert "已登记为工作人员" in message and world.clerk.id_number not in message


def test_two_requests_for_the_same_login_second_apply_refused(world):
    """A target that changed meanwhile is refused clearly, never half-applied."""
    data = {
        "name": "甲",
        "id_number": resident_id(),
        "login_name": "scj_same",
        "password": PASSWORD,
    }
    first = staff_change_request(
        actor=world.admin, agency=world.scj, kind="create_staff", data=data, reason="招录"
    )
    second = staff_change_request(
        actor=world.admin,
        agency=world.scj,
        kind="create_staff",
        data={**data, "id_number": resident_id()},
        reason="招录",
    )
    for req in (first, second):
        staff_change_approve(actor=world.head, request=req)
    staff_change_apply(actor=world.admin, request=first)
    with pytest.raises(Conflict) as err:
        staff_change_apply(actor=world.admin, request=second)
    assert err.value.code == "request_stale"
    assert "登录名 scj_same 已被使用" in err.value.message
    assert StaffChangeRequest.objects.get(pk=second.pk).status == ChangeStatus.APPROVED
    staff_change_withdraw(actor=world.admin, request=second)
    assert Staff.objects.filter(user__username="scj_same").count() == 1


def test_update_staff_applies_and_refuses_when_target_changed_meanwhile(world):
    a = staff_change_request(
        actor=world.admin,
        agency=world.scj,
        kind="update_staff",
        target=world.clerk,
        data={"title": "副科长", "phone": "13905109999"},
        reason="任职",
    )
    b = staff_change_request(
        actor=world.admin,
        agency=world.scj,
        kind="update_staff",
        target=world.clerk,
        data={"title": "科长"},
        reason="再任职",
    )
    for req in (a, b):
        staff_change_approve(actor=world.head, request=req)
    staff_change_apply(actor=world.admin, request=a)
    clerk = fresh(world.clerk)
    assert (clerk.title, clerk.phone) == ("副科长", "13905109999")
    with pytest.raises(Conflict) as err:
        staff_change_apply(actor=world.admin, request=b)
    assert "职务已被修改" in err.value.message
    assert fresh(world.clerk).title == "副科长"
    entry = AuditEntry.objects.filter(action="orgs.staff_update").get()
    assert "13905109999" not in entry.change and "139****9999" in entry.change


def test_update_with_nothing_new_is_refused(world):
    with pytest.raises(ValidationFailed) as err:
        staff_change_request(
            actor=world.admin,
            agency=world.scj,
            kind="update_staff",
            target=world.clerk,
            data={"name": world.clerk.name},
            reason="无",
        )
    assert "没有需要修改的内容" in err.value.message


def test_update_target_must_be_own_staff(world):
    with pytest.raises(ValidationFailed) as err:
        staff_change_request(
            actor=world.admin,
            agency=world.scj,
            kind="update_staff",
            target=world.jy_admin,
            data={"title": "x"},
            reason="越权",
        )
    assert "不是" in err.value.fields["target"]


def test_deactivate_revokes_all_acting_and_login(world):
    """R2.2: a staff member who left acts no more, whatever grants remain."""
    req = staff_change_request(
        actor=world.admin,
        agency=world.scj,
        kind="deactivate",
        target=world.clerk,
        reason="调离",
    )
    assert fresh(world.clerk).has_permission("orgs.view")
    staff_change_approve(actor=world.head, request=req)
    assert fresh(world.clerk).has_permission("orgs.view")
    staff_change_apply(actor=world.admin, request=req)
    clerk = fresh(world.clerk)
    assert not clerk.active and not clerk.user.is_active
    assert not clerk.has_permission("orgs.view")
    back = staff_change_request(
        actor=world.admin, agency=world.scj, kind="reactivate", target=clerk, reason="返岗"
    )
    staff_change_approve(actor=world.head, request=back)
    staff_change_apply(actor=world.admin, request=back)
    assert fresh(world.clerk).has_permission("orgs.view")


def test_revoke_role(world):
    req = staff_change_request(
        actor=world.admin,
        agency=world.scj,
        kind="revoke_role",
        target=world.clerk,
        data={"role": "clerk"},
        reason="不再受理",
    )
    staff_change_approve(actor=world.head, request=req)
    assert fresh(world.clerk).has_permission("orgs.view")
    staff_change_apply(actor=world.admin, request=req)
    assert not fresh(world.clerk).has_permission("orgs.view")
    assert AuditEntry.objects.filter(
        action="orgs.role_revoke", object_type="orgs.rolegrant"
    ).exists()
    with pytest.raises(ValidationFailed):
        staff_change_request(
            actor=world.admin,
            agency=world.scj,
            kind="revoke_role",
            target=world.clerk,
            data={"role": "clerk"},
            reason="再收回",
        )
    assert audit_verify().ok


def test_grant_existing_role_is_refused(world):
    with pytest.raises(ValidationFailed) as err:
        grant_request(world, role="clerk")
    assert "已有角色" in err.value.fields["role"]


def test_filing_goes_to_nearest_centre_above(world):
    """R2.4: 江阴市 has no centre here, so its changes are filed with the city's;
    a 梁溪区 agency's with 梁溪区's own centre."""
    req = grant_request(
        world, agency=world.jy_scj, actor=world.jy_admin, target=world.jy_admin, role="clerk"
    )
    staff_change_approve(actor=world.jy_head, request=req)
    assert staff_change_apply(actor=world.jy_admin, request=req).filed_with == world.city_centre

    lx_head = make_staff(world.lx_scj, "lx_scj_head", ["unit_head"])
    lx_adm = make_staff(world.lx_scj, "lx_scj_admin", ["unit_admin"])
    req = grant_request(world, agency=world.lx_scj, actor=lx_adm, target=lx_adm, role="clerk")
    staff_change_approve(actor=lx_head, request=req)
    assert staff_change_apply(actor=lx_adm, request=req).filed_with == world.lx_centre


def test_every_step_is_audited_with_masked_data(world):
    """R2.4, R14.5: request, approval, application and the change itself each
    leave a link in the chain, naming who did it."""
    req = grant_request(world)
    staff_change_approve(actor=world.head, request=req, note="同意")
    staff_change_apply(actor=world.admin, request=req)
    steps = list(
        AuditEntry.objects.filter(object_type="orgs.staffchangerequest", object_id=str(req.pk))
        .order_by("id")
        .values_list("action", "actor_label")
    )
    assert steps == [
        ("orgs.staff_change_request", "顾晓燕"),
        ("orgs.staff_change_approve", "钱国庆"),
        ("orgs.staff_change_apply", "顾晓燕"),
    ]
    grant = RoleGrant.objects.get(staff=world.clerk, role__code="reviewer")
    grant_entry = AuditEntry.objects.get(action="orgs.role_grant", object_id=str(grant.pk))
    assert json.loads(grant_entry.change)["request"] == req.pk
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems]
