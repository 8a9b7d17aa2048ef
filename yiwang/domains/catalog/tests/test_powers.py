"""The power list and its change workflow (R4.1–R4.4): department → reform
office (审改办) → approval; nothing changes before approval."""

# The fixtures pw and world are imported from test_powers_world: their use as
# test arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.domains.catalog.models import (
    Duty,
    Power,
    PowerChangeRequest,
    PowerChangeStatus,
    PowerStatus,
    PowerStep,
)
from yiwang.domains.catalog.powers import (
    power_basis_changed,
    power_change_decide,
    power_change_request,
    power_change_review,
    power_change_withdraw,
    power_confirm,
    power_publish,
)
from yiwang.domains.catalog.powers_selectors import (
    power_detail_for_viewer,
    power_for_case,
    power_request_counts,
    power_request_detail,
    power_requests_for_viewer,
    power_violations,
)
from yiwang.domains.catalog.tests.test_powers_world import (  # noqa: F401 (fixtures)
    add_power,
    power_doc,
    pw,
    through,
    world,
)
from yiwang.domains.orgs.tests.conftest import make_agency

pytestmark = pytest.mark.django_db


def test_add_takes_effect_only_when_approved(pw):
    """R4.1, R4.2: a department's add request changes nothing until the reform
    office has reviewed it and the government approved it; then the power
    exists with its basis, executing body, time limit, supervision method,
    flowchart steps and duty items."""
    req = power_change_request(
        actor=pw.editor,
        kind="add",
        agency=pw.w.scj,
        reason="law_changed",
        data=power_doc(),
    )
    assert req.status == PowerChangeStatus.PENDING and req.requested_by == pw.editor
    assert not Power.objects.exists()
    req = power_change_review(actor=pw.reform, request=req, approve=True, note="同意")
    assert req.status == PowerChangeStatus.REFORM_APPROVED and req.reviewed_by == pw.reform
    assert not Power.objects.exists()
    req = power_change_decide(actor=pw.approver, request=req, approve=True)
    assert req.status == PowerChangeStatus.APPROVED and req.approved_by == pw.approver
    power = Power.objects.get(code="XK-0001")
    assert req.power == power
    assert power.agency == pw.w.scj and power.division == pw.w.city
    assert power.basis[0]["title"] == "中华人民共和国食品安全法"
    assert power.time_limit.startswith("法定20个工作日")
    assert power.supervision_method
    assert [s.name for s in power.steps.all()] == ["受理", "审查", "决定", "送达"]
    assert power.duties.count() == 2
    assert power.status == PowerStatus.ACTIVE and power.published_at is None
    assert power.search_initials == "spjyxk"
    assert audit_verify().ok


def test_reasons_are_the_listed_ones(pw):
    """R4.2, R4.3: each request takes one of the listed reasons that fits it;
    "other" needs an explanation; a suspension takes the R4.3 reasons."""
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor, kind="add", agency=pw.w.scj, reason="cancelled_above", data=power_doc()
        )
    assert exc.value.code == "power_reason_invalid" and "reason" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor, kind="add", agency=pw.w.scj, reason="other", data=power_doc()
        )
    assert "其他" in exc.value.fields["reason"]
    with pytest.raises(ValidationFailed):
        power_change_request(
            actor=pw.editor, kind="add", agency=pw.w.scj, reason="weather", data=power_doc()
        )
    power_change_request(
        actor=pw.editor,
        kind="add",
        agency=pw.w.scj,
        reason="other",
        note="省政府文件要求",
        data=power_doc(),
    )
    power = add_power(pw, "XK-0002")
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(actor=pw.editor, kind="suspend", power=power, reason="law_changed")
    assert exc.value.code == "power_reason_invalid"
    with pytest.raises(ValidationFailed):
        power_change_request(actor=pw.editor, kind="cancel", power=power, reason="off_cycle")
    for reason in ("law_changed", "cancelled_above", "market_can_regulate"):
        req = power_change_request(actor=pw.editor, kind="cancel", power=power, reason=reason)
        power_change_withdraw(actor=pw.editor, request=req)
    with pytest.raises(ValidationFailed):
        power_change_request(actor=pw.editor, kind="kidnap", power=power, reason="other")


def test_incomplete_add_is_refused_in_chinese(pw):
    """R4.1: a power needs a code, a name, a type and its legal basis."""
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor,
            kind="add",
            agency=pw.w.scj,
            reason="law_changed",
            data=power_doc(code="", name="", power_type="magic", basis=[]),
        )
    assert set(exc.value.fields) >= {"code", "name", "power_type", "basis"}
    assert "实施依据" in exc.value.fields["basis"]
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor,
            kind="add",
            agency=pw.w.scj,
            reason="law_changed",
            data=power_doc(duties=[{"content": "审查", "accountability": ""}]),
        )
    assert "追责情形" in exc.value.fields["duties"]
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor,
            kind="add",
            agency=pw.w.scj,
            reason="law_changed",
            data=power_doc(entry="999999999999"),
        )
    assert "999999999999" in exc.value.fields["entry"]


def test_codes_are_unique_even_while_pending(pw):
    add_power(pw, "XK-0001")
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor, kind="add", agency=pw.w.scj, reason="law_changed", data=power_doc()
        )
    assert exc.value.code == "power_code_taken"
    power_change_request(
        actor=pw.editor,
        kind="add",
        agency=pw.w.scj,
        reason="law_changed",
        data=power_doc("XK-0009"),
    )
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor,
            kind="add",
            agency=pw.w.scj,
            reason="law_changed",
            data=power_doc("XK-0009"),
        )
    assert exc.value.code == "power_code_taken"


def test_who_may_request_review_and_approve(pw):
    """R4.2: the department asks for its own powers; the reform office of the
    division (or above) reviews; the government approves only after the
    reform office; nobody reviews or approves their own request, and the
    reviewer does not also approve."""
    with pytest.raises(PermissionDenied):
        power_change_request(
            actor=pw.lx_editor,
            kind="add",
            agency=pw.w.scj,
            reason="law_changed",
            data=power_doc(),
        )
    req = power_change_request(
        actor=pw.editor, kind="add", agency=pw.w.scj, reason="law_changed", data=power_doc()
    )
    with pytest.raises(PermissionDenied):
        power_change_review(actor=pw.editor, request=req, approve=True)
    with pytest.raises(PermissionDenied):
        power_change_review(actor=pw.approver, request=req, approve=True)
    with pytest.raises(PermissionDenied):
        power_change_review(actor=pw.lx_reform, request=req, approve=True)  # below the city
    with pytest.raises(Conflict) as exc:
        power_change_decide(actor=pw.approver, request=req, approve=True)
    assert exc.value.code == "power_request_state" and "审改办" in exc.value.message
    power_change_review(actor=pw.both, request=req, approve=True)
    with pytest.raises(PermissionDenied) as exc2:
        power_change_decide(actor=pw.both, request=req, approve=True)
    assert exc2.value.code == "request_self"
    with pytest.raises(PermissionDenied):
        power_change_decide(actor=pw.reform, request=req, approve=True)
    power_change_decide(actor=pw.approver, request=req, approve=True)
    with pytest.raises(Conflict):
        power_change_decide(actor=pw.approver, request=req, approve=True)


def test_city_reform_office_covers_the_districts(pw):
    """R4.2: a district department's request is reviewed by the district's or
    the city's reform office, never by another district's."""
    req = power_change_request(
        actor=pw.lx_editor,
        kind="add",
        agency=pw.w.lx_scj,
        reason="delegated_from_above",
        data=power_doc("LX-0001"),
    )
    assert req.division == pw.w.lx
    assert [r.pk for r in power_requests_for_viewer(viewer=pw.lx_reform, tab="review")] == [req.pk]
    assert [r.pk for r in power_requests_for_viewer(viewer=pw.reform, tab="review")] == [req.pk]
    jy_bb = make_agency(pw.w.jy, "江阴市委编办")
    from yiwang.domains.orgs.tests.conftest import make_staff

    jy_reform = make_staff(jy_bb, "jy_reform", ["reform_office"])
    assert list(power_requests_for_viewer(viewer=jy_reform, tab="review")) == []
    with pytest.raises(PermissionDenied):
        power_change_review(actor=jy_reform, request=req, approve=True)
    power_change_review(actor=pw.lx_reform, request=req, approve=True)
    assert power_request_counts(pw.approver)["decide"] == 1


def test_rejection_needs_a_note_and_ends_the_request(pw):
    req = power_change_request(
        actor=pw.editor, kind="add", agency=pw.w.scj, reason="law_changed", data=power_doc()
    )
    with pytest.raises(ValidationFailed):
        power_change_review(actor=pw.reform, request=req, approve=False)
    req = power_change_review(
        actor=pw.reform, request=req, approve=False, note="依据已废止，不予新增"
    )
    assert req.status == PowerChangeStatus.REJECTED and req.review_note
    with pytest.raises(Conflict):
        power_change_review(actor=pw.reform, request=req, approve=True)
    assert not Power.objects.exists()
    # sent back at the approval stage
    req = power_change_request(
        actor=pw.editor, kind="add", agency=pw.w.scj, reason="law_changed", data=power_doc()
    )
    power_change_review(actor=pw.reform, request=req, approve=True)
    with pytest.raises(ValidationFailed):
        power_change_decide(actor=pw.approver, request=req, approve=False)
    req = power_change_decide(actor=pw.approver, request=req, approve=False, note="暂缓")
    assert req.status == PowerChangeStatus.REJECTED and not Power.objects.exists()
    assert audit_verify().ok


def test_cancel_and_one_open_request_at_a_time(pw):
    """R4.2: cancel takes effect on approval; a power has one open request at
    a time; a cancelled power takes no further requests."""
    power = add_power(pw)
    req = power_change_request(
        actor=pw.editor, kind="cancel", power=power, reason="cancelled_above"
    )
    with pytest.raises(Conflict) as exc:
        power_change_request(actor=pw.editor, kind="suspend", power=power, reason="never_exercised")
    assert exc.value.code == "power_request_open"
    power_change_review(actor=pw.reform, request=req, approve=True)
    assert Power.objects.get(pk=power.pk).status == PowerStatus.ACTIVE
    power_change_decide(actor=pw.approver, request=req, approve=True)
    power.refresh_from_db()
    assert power.status == PowerStatus.CANCELLED
    with pytest.raises(Conflict) as exc:
        power_change_request(actor=pw.editor, kind="change", power=power, reason="law_changed")
    assert exc.value.code == "power_state"


def test_delegate_moves_the_body_one_level_down(pw):
    """R4.2: delegating moves the executing body to an agency of a division
    directly below; the power is then marked delegated."""
    power = add_power(pw)
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor,
            kind="delegate",
            power=power,
            reason="better_below",
            target_agency=pw.bb,  # same level
        )
    assert "下一级" in exc.value.fields["target_agency"]
    town_agency = make_agency(pw.w.town, "华士镇人民政府")
    with pytest.raises(ValidationFailed):
        power_change_request(
            actor=pw.editor,
            kind="delegate",
            power=power,
            reason="better_below",
            target_agency=town_agency,  # two levels down
        )
    through(pw, kind="delegate", power=power, reason="better_below", target_agency=pw.w.lx_scj)
    power.refresh_from_db()
    assert power.agency == pw.w.lx_scj and power.division == pw.w.lx
    assert power.delegated_from == pw.w.scj and power.status == PowerStatus.DELEGATED
    # From now on the district department asks for it.
    with pytest.raises(PermissionDenied):
        power_change_request(actor=pw.editor, kind="suspend", power=power, reason="off_cycle")
    power_change_request(actor=pw.lx_editor, kind="suspend", power=power, reason="off_cycle")


def test_change_elements_replaces_only_what_changed(pw):
    """R4.2: changing elements keeps the rest; the request records before and
    after; steps and duties are replaced whole, each row audited."""
    power = add_power(pw)
    with pytest.raises(ValidationFailed) as exc:
        power_change_request(
            actor=pw.editor,
            kind="change",
            power=power,
            reason="law_changed",
            data={"time_limit": power.time_limit},
        )
    assert "没有需要变更" in exc.value.message
    with pytest.raises(ValidationFailed):
        power_change_request(
            actor=pw.editor,
            kind="change",
            power=power,
            reason="law_changed",
            data={"colour": "red"},
        )
    new_steps = [{"name": "受理"}, {"name": "审查"}, {"name": "决定"}]
    req = power_change_request(
        actor=pw.editor,
        kind="change",
        power=power,
        reason="law_changed",
        data={"time_limit": "承诺5个工作日", "steps": new_steps, "name": power.name},
    )
    assert set(req.payload["changes"]) == {"time_limit", "steps"}
    assert req.payload["before"]["time_limit"].startswith("法定20")
    view = power_request_detail(viewer=pw.reform, pk=req.pk)
    assert ("办理时限", "法定20个工作日，承诺10个工作日", "承诺5个工作日") in view.details
    assert ("运行流程", "受理 → 审查 → 决定 → 送达", "受理 → 审查 → 决定") in view.details
    assert view.can_review and not view.can_decide
    old_steps = set(PowerStep.objects.filter(power=power).values_list("pk", flat=True))
    power.refresh_from_db()
    assert power.time_limit.startswith("法定20")  # not yet
    req = power_change_review(actor=pw.reform, request=req, approve=True)
    power_change_decide(actor=pw.approver, request=req, approve=True)
    power.refresh_from_db()
    assert power.time_limit == "承诺5个工作日"
    assert [s.name for s in power.steps.all()] == ["受理", "审查", "决定"]
    assert not PowerStep.objects.filter(pk__in=old_steps).exists()
    assert Duty.objects.filter(power=power).count() == 2
    assert power.published_at is not None
    assert audit_verify().ok


def test_a_power_made_secret_is_withdrawn_from_publication(pw):
    power = add_power(pw)
    through(pw, kind="change", power=power, data={"secret": True})
    power.refresh_from_db()
    assert power.secret and power.published_at is None
    with pytest.raises(Conflict) as exc:
        power_publish(actor=pw.editor, power=power)
    assert exc.value.code == "power_secret"


def test_suspend_and_resume(pw):
    """R4.3, R4.4: a power is suspended for one of the listed reasons and a
    case for it is then refused; its static information stays public.
    Resuming is reviewed too; the reform office's review sets the due time
    (two days), and the approval applies it and records whether it was late."""
    power = add_power(pw)
    assert power_for_case(code=power.code) == power
    through(
        pw,
        kind="suspend",
        power=power,
        reason="no_case_3_years",
        note="2023年以来无办件",
    )
    power.refresh_from_db()
    assert power.status == PowerStatus.SUSPENDED
    assert power.suspend_reason == "no_case_3_years" and power.get_suspend_reason_display()
    with pytest.raises(Conflict) as exc:
        power_for_case(code=power.code)
    assert exc.value.code == "power_not_in_force" and "三年" in exc.value.message
    with pytest.raises(Conflict):
        power_for_case(code="NOT-LISTED")
    with pytest.raises(Conflict):  # not twice
        power_change_request(actor=pw.editor, kind="suspend", power=power, reason="off_cycle")
    with pytest.raises(ValidationFailed) as exc2:
        power_change_request(actor=pw.editor, kind="resume", power=power, reason="")
    assert "恢复" in exc2.value.fields["note"]
    req = power_change_request(
        actor=pw.editor, kind="resume", power=power, reason="", note="重新出现办件需求"
    )
    assert req.resume_due_at is None
    before = timezone.now()
    req = power_change_review(actor=pw.reform, request=req, approve=True)
    assert req.resume_due_at is not None
    assert dt.timedelta(days=2) <= req.resume_due_at - before < dt.timedelta(days=2, minutes=1)
    assert Power.objects.get(pk=power.pk).status == PowerStatus.SUSPENDED  # not yet
    # Late: the violations report shows it until it is approved.
    later = req.resume_due_at + dt.timedelta(hours=1)
    report = power_violations(now=later)
    assert [v.power_code for v in report.violations if v.kind == "resume_overdue"] == [power.code]
    assert power_request_detail(viewer=pw.approver, pk=req.pk).can_decide
    req = power_change_decide(actor=pw.approver, request=req, approve=True)
    power.refresh_from_db()
    assert power.status == PowerStatus.ACTIVE and power.suspend_reason == ""
    assert power_for_case(code=power.code) == power
    assert not [v for v in power_violations(now=later).violations if v.kind == "resume_overdue"]
    assert audit_verify().ok


def test_resume_of_a_delegated_power_returns_to_delegated(pw):
    power = add_power(pw)
    through(pw, kind="delegate", power=power, reason="better_below", target_agency=pw.w.lx_scj)
    req = power_change_request(actor=pw.lx_editor, kind="suspend", power=power, reason="off_cycle")
    power_change_decide(
        actor=pw.approver,
        request=power_change_review(actor=pw.reform, request=req, approve=True),
        approve=True,
    )
    req = power_change_request(actor=pw.lx_editor, kind="resume", power=power, note="进入办理期")
    power_change_decide(
        actor=pw.approver,
        request=power_change_review(actor=pw.lx_reform, request=req, approve=True),
        approve=True,
    )
    power.refresh_from_db()
    assert power.status == PowerStatus.DELEGATED


def test_withdraw(pw):
    power = add_power(pw)
    req = power_change_request(actor=pw.editor, kind="cancel", power=power, reason="law_changed")
    with pytest.raises(PermissionDenied):
        power_change_withdraw(actor=pw.reform, request=req)
    req = power_change_withdraw(actor=pw.editor, request=req)
    assert req.status == PowerChangeStatus.WITHDRAWN
    with pytest.raises(Conflict):
        power_change_review(actor=pw.reform, request=req, approve=True)
    # the power is free for another request
    power_change_request(actor=pw.editor, kind="cancel", power=power, reason="law_changed")


def test_publish_confirm_and_basis_changed(pw):
    """R4.1, R4.5: publishing, the yearly confirmation and a recorded basis
    change, by the department or the reform office only."""
    power = add_power(pw, publish=False)
    with pytest.raises(PermissionDenied):
        power_publish(actor=pw.lx_editor, power=power)
    power = power_publish(actor=pw.editor, power=power)
    assert power.published_at is not None
    with pytest.raises(Conflict):
        power_publish(actor=pw.reform, power=power)
    with pytest.raises(ValidationFailed):
        power_basis_changed(actor=pw.reform, power=power, note="")
    power = power_basis_changed(actor=pw.reform, power=power, note="《食品安全法》修正")
    assert power.basis_changed_at is not None
    first = power.reviewed_at
    power = power_confirm(actor=pw.editor, power=power, note="年度确认")
    assert power.reviewed_at > first
    assert audit_verify().ok


def test_console_view_of_a_power_offers_the_fitting_requests(pw):
    power = add_power(pw)
    view = power_detail_for_viewer(viewer=pw.editor, pk=power.pk)
    assert [k for k, _ in view.kinds] == ["cancel", "delegate", "change", "suspend"]
    assert view.can_request and view.can_maintain and view.can_reply
    view = power_detail_for_viewer(viewer=pw.reform, pk=power.pk)
    assert view.kinds == [] and view.can_maintain and not view.can_reply
    power_change_request(actor=pw.editor, kind="cancel", power=power, reason="law_changed")
    view = power_detail_for_viewer(viewer=pw.editor, pk=power.pk)
    assert view.open_request is not None and view.kinds == []


def test_request_lists_in_one_query(pw, django_assert_num_queries):
    """Queues are one query for the page and one for its count."""
    for i in range(5):
        power_change_request(
            actor=pw.editor,
            kind="add",
            agency=pw.w.scj,
            reason="law_changed",
            data=power_doc(f"XK-10{i}"),
        )
    reform = type(pw.reform).objects.get(pk=pw.reform.pk)
    from yiwang.domains.orgs.selectors import staff_for_user

    reform = staff_for_user(reform.user_id)
    with django_assert_num_queries(2):
        page = power_requests_for_viewer(viewer=reform, tab="review")
        rows = [(r.summary, r.agency.name, r.division.code) for r in page]
    assert len(rows) == 5
    with django_assert_num_queries(1):
        assert power_request_counts(reform)["review"] == 5


def test_system_requests_are_reviewable(pw):
    """Requests filed by the platform itself (no staff requester) still show in
    the reform office's queue."""
    req = power_change_request(
        actor=SYSTEM, kind="add", agency=pw.w.scj, reason="law_changed", data=power_doc()
    )
    assert req.requested_by is None and req.requester == "系统"
    assert [r.pk for r in power_requests_for_viewer(viewer=pw.reform, tab="review")] == [req.pk]
    assert PowerChangeRequest.objects.count() == 1
