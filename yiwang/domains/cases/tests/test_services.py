"""Case handling through the services, on the real database and real files."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from typing import Any

import pytest
from django.core.files.storage import default_storage

from yiwang.core.audit import audit_verify
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.domains.cases import selectors, services
from yiwang.domains.cases.documents import document_bytes
from yiwang.domains.cases.lifecycle import IllegalTransition, Status
from yiwang.domains.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseMaterial,
    DocumentKind,
    MaterialStatus,
    Notification,
)
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.catalog import services as catalog_services
from yiwang.domains.catalog.errors import ItemNotAcceptingApplications
from yiwang.domains.orgs.models import Staff


def person(world: Any) -> Any:
    return world.applicant


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


def submitted(world: Any, key: str = "") -> Case:
    """A submitted application of 张伟 with both required materials."""
    me = person(world)
    case = services.case_draft_save(
        actor=me, item_id=world.item.pk, variant_code="first", form_data=FORM
    )
    services.case_material_upload(
        actor=me, case_id=case.pk, code="application", data=pdf("申请书"), filename="申请书.pdf"
    )
    services.case_material_upload(
        actor=me, case_id=case.pk, code="licence", data=png(), filename="营业执照.png"
    )
    return services.case_submit(actor=me, case_id=case.pk, idempotency_key=key)


def accepted(world: Any) -> Case:
    case = submitted(world)
    return services.case_accept(actor=fresh(world.clerk), case_id=case.pk)


def pdftext(data: bytes, tmp_path: Any) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_whole_case_online_correction_inspection_grant_delivery(case_world, tmp_path):
    """R5.1, R5.3, R5.4, R5.7, R6.1, R6.4, R6.9: apply online with uploads →
    one-time correction notice → resubmit → accept → review → site
    inspection (clock paused) → grant (signed) → electronic delivery; every
    step is on the timeline and the audit chain stays whole."""
    w = case_world
    me = person(w)
    case = submitted(w)
    assert case.number and case.status == Status.SUBMITTED
    assert case.number.startswith("320213-")

    notice = services.case_request_correction(
        actor=fresh(w.clerk),
        case_id=case.pk,
        lines=[{"code": "licence", "problem": "营业执照照片不清晰，请重新上传"}],
        note="请一并确认经营场所地址",
    )
    case.refresh_from_db()
    assert case.status == Status.CORRECTING
    assert notice.lines[0]["name"] == "营业执照"
    # Resubmitting without replacing the named material is refused.
    with pytest.raises(ValidationFailed, match="营业执照"):
        services.case_resubmit(actor=me, case_id=case.pk)
    old = CaseMaterial.objects.get(case=case, code="licence", replaced=False)
    services.case_material_remove(actor=me, material_id=old.pk)
    services.case_material_upload(
        actor=me, case_id=case.pk, code="licence", data=png() + b"", filename="执照.png"
    )
    services.case_resubmit(actor=me, case_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED

    services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.HANDLING and case.promised_due is not None
    steps = list(case.steps.order_by("order"))
    assert [s.code for s in steps] == ["accept", "review", "decide", "deliver"]
    review = steps[1]
    services.case_step_claim(actor=fresh(w.reviewer), step_id=review.pk)
    proc = services.special_procedure_start(
        actor=fresh(w.reviewer), case_id=case.pk, kind="site_inspection", reason="核查经营场所"
    )
    case.refresh_from_db()
    assert case.clock_paused and case.promised_due is None
    with pytest.raises(Conflict, match="特别程序"):
        services.case_step_complete(actor=fresh(w.reviewer), step_id=review.pk, opinion="通过")
    services.special_procedure_finish(
        actor=fresh(w.reviewer), procedure_id=proc.pk, result="现场与申报一致"
    )
    services.case_step_complete(actor=fresh(w.reviewer), step_id=review.pk, opinion="材料齐全")
    services.material_supply(
        actor=me, case_id=case.pk, code="layout", data=pdf("布局图"), filename="布局图.pdf"
    )
    services.case_decide(
        actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合法定条件"
    )
    services.case_deliver(actor=fresh(w.clerk), case_id=case.pk, way="electronic")
    case.refresh_from_db()
    assert case.status == Status.CONCLUDED and case.decision == "granted"

    kinds = [e.kind for e in CaseEvent.objects.filter(case=case).order_by("at", "pk")]
    for k in (
        "submit",
        "request_correction",
        "resubmit",
        "accept",
        "special_start",
        "special_finish",
        "step_review",
        "decide",
        "deliver",
        "conclude",
    ):
        assert k in kinds, k
    docs = {d.kind: d for d in CaseDocument.objects.filter(case=case)}
    assert {DocumentKind.CORRECTION, DocumentKind.ACCEPTANCE, DocumentKind.GRANT} <= set(docs)
    acceptance = document_bytes(docs[DocumentKind.ACCEPTANCE])
    assert acceptance.startswith(b"%PDF") and sm3_hex(acceptance) == docs["acceptance"].sm3
    text = pdftext(acceptance, tmp_path)
    assert "受理通知书" in text and case.number in text
    correction = pdftext(document_bytes(docs[DocumentKind.CORRECTION]), tmp_path)
    assert "营业执照照片不清晰" in correction
    assert docs[DocumentKind.GRANT].signed
    assert Notification.objects.filter(user=me.user, case=case).count() >= 5
    report = audit_verify()
    assert report.ok, report.first_problem


def test_due_date_skips_national_day_counts_makeup_and_site_inspection(case_world, monkeypatch):
    """R6.1, R6.4 (Art. 42, 45, 82): accepted 2026-09-30 with a 5-working-day
    promise → due 2026-10-13 (acceptance day not counted, National Day
    skipped, make-up Saturday 10-10 counted); a site inspection lasting 3
    working days (10-09, 10-10, 10-12) moves it to 2026-10-16."""
    w = case_world
    case = submitted(w)
    monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 9, 30))
    services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    case.refresh_from_db()
    assert case.accepted_on == dt.date(2026, 9, 30)
    assert case.promised_due == dt.date(2026, 10, 13)
    review = case.steps.get(code="review")
    proc = services.special_procedure_start(
        actor=fresh(w.reviewer),
        case_id=case.pk,
        kind="site_inspection",
        reason="现场踏勘",
        started_on=dt.date(2026, 10, 9),
    )
    services.special_procedure_finish(
        actor=fresh(w.reviewer),
        procedure_id=proc.pk,
        result="符合要求",
        ended_on=dt.date(2026, 10, 12),
    )
    case.refresh_from_db()
    assert case.promised_due == dt.date(2026, 10, 16)
    lines = selectors.case_clock(selectors.case_for_staff(fresh(w.clerk), case.number)).lines()
    assert any("国庆" in line for line in lines)
    assert any("2026-10-09 至 2026-10-12" in line and "3 个工作日" in line for line in lines)
    assert any("截止日 2026-10-16" in line for line in lines)
    assert review.status == "active"


def test_same_idempotency_key_makes_one_case(case_world):
    """R5.1: a double click or a retried request never makes two cases."""
    w = case_world
    me = person(w)
    first = submitted(w, key="k-123")
    again = services.case_submit(actor=me, case_id=first.pk, idempotency_key="k-123")
    assert again.pk == first.pk
    one = services.case_apply(
        actor=me,
        item_id=w.item.pk,
        variant_code="first",
        form_data=FORM,
        files=[("application", "a.pdf", pdf()), ("licence", "b.png", png())],
        idempotency_key="k-999",
    )
    two = services.case_apply(
        actor=me,
        item_id=w.item.pk,
        variant_code="first",
        form_data=FORM,
        files=[("application", "a.pdf", pdf()), ("licence", "b.png", png())],
        idempotency_key="k-999",
    )
    assert one.pk == two.pk
    assert Case.objects.filter(applicant=me.user).exclude(status="draft").count() == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "申请书.pdf", "PDF"),
        (b"", "空文件.pdf", "为空"),
    ],
)
def test_bad_uploads_are_refused_and_the_draft_keeps_the_rest(case_world, data, name, message):
    """R5.1: files are checked by content, not name; a refused file changes
    nothing and the draft keeps what it had."""
    w = case_world
    me = person(w)
    case = services.case_draft_save(
        actor=me, item_id=w.item.pk, variant_code="first", form_data=FORM
    )
    services.case_material_upload(
        actor=me, case_id=case.pk, code="licence", data=png(), filename="执照.png"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.case_material_upload(
            actor=me, case_id=case.pk, code="application", data=data, filename=name
        )
    assert message in exc.value.message
    assert list(CaseMaterial.objects.filter(case=case).values_list("code", flat=True)) == [
        "licence"
    ]
    case.refresh_from_db()
    assert case.status == Status.DRAFT and case.form_data == FORM


def test_oversized_upload_is_refused(case_world, settings):
    """R5.1: a file over the size limit is refused with the limit named."""
    w = case_world
    settings.YIWANG_UPLOAD_MAX_BYTES = 1024
    case = services.case_draft_save(
        actor=person(w), item_id=w.item.pk, variant_code="first", form_data=FORM
    )
    big = pdf("x" * 4000)
    with pytest.raises(ValidationFailed, match="超过"):
        services.case_material_upload(
            actor=person(w), case_id=case.pk, code="application", data=big, filename="a.pdf"
        )
    assert not CaseMaterial.objects.filter(case=case).exists()


def test_submit_names_missing_materials_and_form_fields(case_world):
    """R5.1, R5.4: an incomplete application is refused with everything
    missing named, and stays a draft."""
    w = case_world
    me = person(w)
    case = services.case_draft_save(
        actor=me, item_id=w.item.pk, variant_code="first", form_data={"applicant_name": "张伟"}
    )
    with pytest.raises(ValidationFailed, match="经营场所") as exc:
        services.case_submit(actor=me, case_id=case.pk)
    assert exc.value.fields == {"address": "请填写“经营场所”"}
    services.case_draft_save(
        actor=me, case_id=case.pk, item_id=w.item.pk, variant_code="first", form_data=FORM
    )
    with pytest.raises(ValidationFailed, match="食品经营许可申请书、营业执照"):
        services.case_submit(actor=me, case_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.DRAFT and case.number is None


def test_suspended_item_takes_no_application(case_world):
    """R4.4: only listed, active items accept applications."""
    w = case_world
    catalog_services.service_item_suspend(
        actor=w.lx_admin, item=w.item, reason="other", note="法规修订中"
    )
    with pytest.raises(ItemNotAcceptingApplications, match="暂停"):
        services.case_draft_save(actor=person(w), item_id=w.item.pk, form_data=FORM)


def test_only_the_agencys_clerk_accepts_and_only_once(case_world):
    """R2.2, R5.3: a clerk of another agency may not accept; a second
    acceptance is a clear conflict."""
    w = case_world
    case = submitted(w)
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=fresh(w.outsider), case_id=case.pk)
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=fresh(w.reviewer), case_id=case.pk)
    services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    with pytest.raises(IllegalTransition, match="办理中"):
        services.case_accept(actor=fresh(w.clerk), case_id=case.pk)


def test_step_roles_and_claims(case_world):
    """R2.2: a step is done only by staff holding its role; once claimed,
    another handler gets a conflict naming the holder."""
    w = case_world
    case = accepted(w)
    review = case.steps.get(code="review")
    with pytest.raises(PermissionDenied, match="审查"):
        services.case_step_claim(actor=fresh(w.approver), step_id=review.pk)
    services.case_step_claim(actor=fresh(w.reviewer), step_id=review.pk)
    with pytest.raises(Conflict, match="陈志强"):
        services.case_step_complete(actor=fresh(w.reviewer2), step_id=review.pk, opinion="同意")
    with pytest.raises(Conflict, match="审查"):
        services.case_decide(
            actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合"
        )


def test_correction_lines_must_come_from_the_guide(case_world):
    """R5.4: the notice agrees with the published guide."""
    w = case_world
    case = submitted(w)
    with pytest.raises(ValidationFailed, match="不是本事项办事指南列明的材料"):
        services.case_request_correction(
            actor=fresh(w.clerk), case_id=case.pk, lines=[{"code": "passport", "problem": "缺"}]
        )
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_deferred_material_is_owed_and_blocks_a_grant(case_world):
    """容缺后补 (R5.3): accepted without the deferrable material, which stays
    tracked; a grant waits until it is supplied."""
    w = case_world
    case = accepted(w)
    owed = CaseMaterial.objects.get(case=case, code="layout")
    assert owed.status == MaterialStatus.DEFERRED
    review = case.steps.get(code="review")
    services.case_step_complete(actor=fresh(w.reviewer), step_id=review.pk, opinion="通过")
    with pytest.raises(Conflict, match="经营场所平面布局图"):
        services.case_decide(
            actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合"
        )
    services.material_supply(
        actor=person(w), case_id=case.pk, code="layout", data=pdf("布局图"), filename="布局.pdf"
    )
    services.case_decide(
        actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合"
    )


def test_withdraw_before_decision_only(case_world):
    """R6.4: the applicant may withdraw before the decision, not after."""
    w = case_world
    case = accepted(w)
    services.case_withdraw(actor=person(w), case_id=case.pk, reason="不再经营")
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert not case.steps.filter(status="active").exists()
    other = accepted(w)
    services.case_step_complete(
        actor=fresh(w.reviewer), step_id=other.steps.get(code="review").pk, opinion="通过"
    )
    services.case_decide(
        actor=fresh(w.approver), case_id=other.pk, decision="denied", reason="场所不符合要求"
    )
    with pytest.raises(IllegalTransition, match="撤回"):
        services.case_withdraw(actor=person(w), case_id=other.pk, reason="改主意")


def test_refusal_issues_a_decision_with_reason_and_remedy(case_world, tmp_path):
    """R5.3: 不予受理决定书 with the reason and the legal remedy."""
    w = case_world
    case = submitted(w)
    services.case_refuse(actor=fresh(w.clerk), case_id=case.pk, reason="不属于本机关职权范围")
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.REFUSAL)
    text = pdftext(document_bytes(doc), tmp_path)
    assert "不属于本机关职权范围" in text and "行政复议" in text
    assert default_storage.exists(doc.path)


def test_extension_needs_the_head_and_is_capped(case_world):
    """Art. 42: extension by the agency head, with a reason, at most 10 days."""
    w = case_world
    case = accepted(w)
    before = Case.objects.get(pk=case.pk).statutory_due
    with pytest.raises(PermissionDenied):
        services.case_extend(actor=fresh(w.reviewer), case_id=case.pk, days=5, reason="复杂")
    with pytest.raises(ValidationFailed, match="10"):
        services.case_extend(actor=fresh(w.head), case_id=case.pk, days=11, reason="复杂")
    services.case_extend(actor=fresh(w.head), case_id=case.pk, days=10, reason="需专家论证")
    after = Case.objects.get(pk=case.pk).statutory_due
    assert after is not None and before is not None and after > before


def test_assist_request_answered_by_the_other_agency(case_world):
    """R6.3: the lead asks another agency with a deadline; only that agency
    answers; the answer returns to the lead's case."""
    w = case_world
    case = accepted(w)
    req = services.assist_request_create(
        actor=fresh(w.reviewer), case_id=case.pk, to_agency=w.bh_scj, question="请核实场所"
    )
    assert req.due_on > dt.date.today() - dt.timedelta(days=1)
    queue = selectors.case_queue(fresh(w.assistant), "assist")
    assert [r.pk for r in queue.object_list] == [req.pk]
    with pytest.raises(PermissionDenied):
        services.assist_request_answer(actor=fresh(w.reviewer2), request_id=req.pk, answer="x")
    services.assist_request_answer(actor=fresh(w.assistant), request_id=req.pk, answer="属实")
    page = selectors.case_for_staff(fresh(w.reviewer), case.number)
    assert [r.answer for r in page.assist_requests.all()] == ["属实"]


def test_queues_are_scoped_to_the_viewers_agency(case_world, django_assert_max_num_queries):
    """R2.2: queues show only the viewer's agencies' cases, in one query for
    the rows (plus the count)."""
    w = case_world
    a = submitted(w)
    clerk = fresh(w.clerk)
    clerk.has_permission("cases.view")  # grants are read once per request
    with django_assert_max_num_queries(2):
        rows = list(selectors.case_queue(clerk, "intake").object_list)
    assert [c.pk for c in rows] == [a.pk]
    outsider = fresh(w.outsider)
    assert list(selectors.case_queue(outsider, "intake").object_list) == []
    with pytest.raises(PermissionDenied):
        selectors.case_for_staff(outsider, a.number)


def test_handling_queue_follows_the_active_steps_role(case_world):
    """R2.2: 审查中 lists a case for the staff who hold (or may claim) its
    active step — the reviewer during review, the approver at the decision."""
    w = case_world
    case = accepted(w)
    ids = lambda staff: [c.pk for c in selectors.case_queue(fresh(staff), "handling")]  # noqa: E731
    assert ids(w.reviewer) == [case.pk]
    assert ids(w.approver) == []
    services.case_step_complete(
        actor=fresh(w.reviewer), step_id=case.steps.get(code="review").pk, opinion="通过"
    )
    assert ids(w.reviewer) == []
    assert ids(w.approver) == [case.pk]
    counts = selectors.queue_counts(fresh(w.approver))
    assert counts["handling"] == 1 and counts["intake"] == 0


def test_calendar_change_moves_open_cases_due_dates(case_world):
    """R6.4: due dates are derived; after a year's holidays are edited, the
    recompute command moves open cases' dates (audited, on the timeline)."""
    from django.core.management import call_command

    from yiwang.core.actors import SYSTEM
    from yiwang.core.calendar import calendar_days_of_year, calendar_year_define

    w = case_world
    case = accepted(w)
    due = Case.objects.get(pk=case.pk).promised_due
    assert due is not None
    year = due.year
    days = [(d.date, d.is_working_day, d.name) for d in calendar_days_of_year(year)]
    days.append((due, False, "临时调整"))
    calendar_year_define(actor=SYSTEM, year=year, days=days, source="manual", note="测试")
    out = io.StringIO()
    call_command("cases_clock_refresh", stdout=out)
    assert "1 件的办结期限已重新计算" in out.getvalue()
    moved = Case.objects.get(pk=case.pk).promised_due
    assert moved is not None and moved > due
    assert CaseEvent.objects.filter(case=case, kind="clock").exists()


def test_signed_decision_verifies_as_the_agencys_seal(case_world):
    """R5.5, R6.4: the decision is a PDF signed with the agency's key; it
    verifies offline as intact and trusted, naming the agency's credit code."""
    from yiwang.core.signing import verify_pdf

    w = case_world
    case = accepted(w)
    services.case_step_complete(
        actor=fresh(w.reviewer), step_id=case.steps.get(code="review").pk, opinion="通过"
    )
    services.case_decide(
        actor=fresh(w.approver), case_id=case.pk, decision="denied", reason="场所面积不足"
    )
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.DENIAL)
    result = verify_pdf(document_bytes(doc))
    assert result.valid and result.intact and result.trusted, result.problem
    assert result.credit_code == w.lx_scj.credit_code
    tampered = bytearray(document_bytes(doc))
    at = tampered.index(b"/MediaBox")
    tampered[at + 1] = ord("X")
    assert not verify_pdf(bytes(tampered)).valid


def _presence_item(w: Any) -> Any:
    from yiwang.domains.catalog.tests.conftest import full_guide, publish_item

    return publish_item(
        city=w,
        name="建设工程规划许可证核发",
        guide=full_guide(online=True, online_depth=3, onsite_trips=1),
    )


def test_item_needing_presence_is_prereviewed_online_then_finished_at_the_window(case_world):
    """R5.6, R6.6: where law needs paper or presence, the applicant applies
    online, the clerk pre-reviews, and one trip to the window finishes it
    (最多跑一次); an online item needs no trip (不见面)."""
    w = case_world
    online = submitted(w)
    assert not online.needs_presence
    item = _presence_item(w)
    me = person(w)
    case = services.case_apply(
        actor=me,
        item_id=item.pk,
        variant_code="first",
        form_data=FORM,
        files=[("application", "a.pdf", pdf()), ("licence", "b.png", png())],
    )
    assert case.needs_presence
    assert "prereview" in selectors.case_actions(fresh(w.clerk), case)
    services.case_prereview(actor=fresh(w.clerk), case_id=case.pk, opinion="请携带原件")
    case.refresh_from_db()
    assert case.status == Status.PREREVIEWED
    assert Notification.objects.filter(case=case, title__contains="预审通过").exists()
    services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING


def test_agent_applies_only_with_the_applicants_authorisation(case_world):
    """R6.7: a village agent (帮办代办) applies for an applicant only with the
    applicant's recorded, unexpired authorisation; the case is the
    applicant's and names the agent as the one who submitted it."""
    from yiwang.domains.catalog.tests.conftest import make_agency, make_staff

    w = case_world
    station = make_agency(w.town, "江阴市华士镇便民服务中心", "management")
    agent = make_staff(station, "case_agent", ["catalog_editor"], "华村代办员")
    me = person(w)
    with pytest.raises(PermissionDenied, match="代办授权"):
        services.case_draft_save(
            actor=fresh(agent), applicant=me.user, item_id=w.item.pk, form_data=FORM
        )
    services.agent_authorisation_create(
        actor=me,
        applicant=me.user,
        agent=agent,
        valid_until=dt.date.today() + dt.timedelta(days=30),
        document=("委托书.pdf", pdf("委托书")),
    )
    case = services.case_draft_save(
        actor=fresh(agent),
        applicant=me.user,
        item_id=w.item.pk,
        variant_code="first",
        form_data=FORM,
    )
    assert case.channel == "agent" and case.applicant_id == me.user.pk
    assert case.submitted_by_label == "华村代办员"
    services.case_material_upload(
        actor=fresh(agent), case_id=case.pk, code="application", data=pdf(), filename="a.pdf"
    )
    services.case_material_upload(
        actor=fresh(agent), case_id=case.pk, code="licence", data=png(), filename="b.png"
    )
    services.case_submit(actor=fresh(agent), case_id=case.pk)
    assert selectors.case_for_applicant(me.user, case.pk).status == Status.SUBMITTED
    # Another applicant's case is out of the agent's reach.
    with pytest.raises(PermissionDenied):
        services.case_draft_save(
            actor=fresh(agent), applicant=w.applicant2.user, item_id=w.item.pk, form_data=FORM
        )


def test_window_in_another_district_receives_for_the_handling_agency(case_world):
    """R6.8, R5.2: a clerk at another district's window receives the
    application (通办: accept here, handle there); the case goes to the
    item's agency, and the applicant never enters it again online."""
    w = case_world
    me = person(w)
    outsider = fresh(w.outsider)  # 滨湖区 clerk
    case = services.case_apply(
        actor=outsider,
        applicant=me.user,
        item_id=w.item.pk,
        variant_code="first",
        form_data=FORM,
        files=[("application", "a.pdf", pdf()), ("licence", "b.png", png())],
    )
    assert case.channel == "window" and case.agency_id == w.lx_scj.pk
    event = CaseEvent.objects.get(case=case, kind="submit")
    assert event.unit_name == w.bh_scj.name
    assert [c.pk for c in selectors.case_queue(fresh(w.clerk), "intake")] == [case.pk]
    mine = selectors.cases_of_applicant(me.user)
    assert [c.pk for c in mine.object_list] == [case.pk]
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=outsider, case_id=case.pk)


def test_special_procedure_result_keeps_its_records(case_world):
    """R6.1: a special procedure is recorded with its result and its files
    (the inspection record); a disguised file is refused and the procedure
    stays open, nothing half-recorded."""
    from yiwang.domains.cases.models import CaseAttachment

    w = case_world
    case = accepted(w)
    proc = services.special_procedure_start(
        actor=fresh(w.reviewer), case_id=case.pk, kind="expert_review", reason="技术评审"
    )
    with pytest.raises(ValidationFailed):
        services.special_procedure_finish(
            actor=fresh(w.reviewer),
            procedure_id=proc.pk,
            result="专家同意",
            files=[("专家意见.pdf", b"MZ" + b"\x00" * 100)],
        )
    proc.refresh_from_db()
    assert proc.ended_on is None and not CaseAttachment.objects.exists()
    services.special_procedure_finish(
        actor=fresh(w.reviewer),
        procedure_id=proc.pk,
        result="专家同意",
        files=[("专家意见.pdf", pdf("专家意见")), ("现场照片.png", png())],
    )
    names = sorted(CaseAttachment.objects.filter(procedure=proc).values_list("name", flat=True))
    assert names == ["专家意见.pdf", "现场照片.png"]
    for a in CaseAttachment.objects.all():
        assert default_storage.exists(a.path) and len(a.sm3) == 64
