"""Console pages of case handling (办件), through Django's test client on the
real database and real files: work queues scoped to the viewer's agencies,
the case page and every action form, conflicts and refusals shown in Chinese,
staff-only file views (R2.2, R5.3, R5.4, R5.7, R6.1, R6.3, R6.9)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yiwang.domains.cases import services
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import (
    AssistRequest,
    Case,
    CaseDocument,
    CaseEvent,
    CaseMaterial,
    CorrectionNotice,
    DocumentKind,
)
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.orgs.models import Staff

QUEUE = reverse("console:cases:queue")


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


def login(client: Any, staff: Staff) -> Any:
    client.force_login(staff.user)
    return client


def submitted(world: Any, who: Any = None) -> Case:
    me = who or world.applicant
    case = services.case_draft_save(
        actor=me, item_id=world.item.pk, variant_code="first", form_data=FORM
    )
    services.case_material_upload(
        actor=me, case_id=case.pk, code="application", data=pdf("申请书"), filename="申请书.pdf"
    )
    services.case_material_upload(
        actor=me, case_id=case.pk, code="licence", data=png(), filename="营业执照.png"
    )
    services.case_material_upload(
        actor=me, case_id=case.pk, code="layout", data=pdf("平面图"), filename="平面图.pdf"
    )
    return services.case_submit(actor=me, case_id=case.pk)


def accepted(world: Any) -> Case:
    case = submitted(world)
    return services.case_accept(actor=fresh(world.clerk), case_id=case.pk)


def page_of(case: Case) -> str:
    return reverse("console:cases:case", args=[case.number])


def act(case: Case, action: str) -> str:
    return reverse("console:cases:act", args=[case.number, action])


def text(response: Any) -> str:
    return response.content.decode()


# --- queues -------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert reverse("console:login") in response["Location"]


def test_queue_tabs_counts_search_and_empty_state(client, case_world):
    """R2.2: the clerk's 待受理 queue lists the agency's new applications with
    a count on each tab, finds a case by number and by applicant, and shows
    an empty state for an empty queue; the menu offers 办件."""
    w = case_world
    one = submitted(w)
    two = submitted(w, who=w.applicant2)
    login(client, w.clerk)
    body = text(client.get(QUEUE))
    assert one.number in body and two.number in body
    assert 'data-queue="intake"' in body and "待受理 <span" in body
    assert '<span class="badge">2</span>' in body
    assert ">办件</a>" in body  # the menu entry
    assert "张*" in body and "张伟" not in body  # applicants masked in lists
    found = text(client.get(QUEUE, {"tab": "intake", "q": two.number}))
    assert two.number in found and one.number not in found
    by_name = text(client.get(QUEUE, {"tab": "intake", "q": "李娜"}))
    assert two.number in by_name and one.number not in by_name
    empty = text(client.get(QUEUE, {"tab": "overdue"}))
    assert "暂无已超时的办件" in empty
    none = text(client.get(QUEUE, {"tab": "intake", "q": "没有这个"}))
    assert "没有符合“没有这个”的办件" in none


def test_queue_of_another_agency_is_empty(client, case_world):
    """R2.2: queues are scoped to the viewer's agencies."""
    w = case_world
    case = submitted(w)
    login(client, w.outsider)
    body = text(client.get(QUEUE))
    assert case.number not in body
    assert "暂无待受理的申请" in body


def test_queue_page_query_count_does_not_grow_with_rows(
    client, case_world, django_assert_max_num_queries
):
    """R2.2: the queue page costs a fixed number of queries whatever the
    number of rows (no N+1): the counts, the page and its rows."""
    w = case_world
    login(client, w.clerk)
    submitted(w)
    with django_assert_max_num_queries(20) as few:
        assert client.get(QUEUE).status_code == 200
    for _ in range(6):
        submitted(w)
        submitted(w, who=w.applicant2)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        body = text(client.get(QUEUE))
    assert body.count('href="/console/cases/') >= 13
    assert len(many.captured_queries) <= len(few.captured_queries)


# --- the case page ---------------------------------------------------------------------


def test_clerk_of_another_agency_gets_403_and_unknown_case_404(client, case_world):
    """R2.2: a clerk of another agency may not open the case, its files or
    its documents; an unknown number is a 404."""
    w = case_world
    case = accepted(w)
    material = CaseMaterial.objects.filter(case=case).first()
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.ACCEPTANCE)
    login(client, w.outsider)
    assert client.get(page_of(case)).status_code == 403
    assert (
        client.get(reverse("console:cases:material", args=[case.number, material.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("console:cases:document", args=[case.number, doc.pk])).status_code == 403
    )
    assert client.post(act(case, "return"), {"reason": "x"}).status_code == 403
    case.refresh_from_db()
    assert case.status == Status.HANDLING
    login(client, w.clerk)
    assert client.get(
        reverse("console:cases:case", args=["320213-20000101-99999"])
    ).status_code == (404)


def test_case_page_shows_header_materials_and_files(client, case_world):
    """R5.7, R6.9: the case page shows the case with the applicant masked,
    its materials with links that stream the stored file to staff."""
    w = case_world
    case = submitted(w)
    login(client, w.clerk)
    body = text(client.get(page_of(case)))
    assert case.number in body and "待受理" in body and "张*" in body
    assert "食品经营许可申请书" in body and "营业执照" in body
    for label in ("受理", "一次性告知补正", "不予受理", "退件"):
        assert f">{label}</button>" in body
    assert ">作出决定</button>" not in body
    material = CaseMaterial.objects.get(case=case, code="application")
    response = client.get(reverse("console:cases:material", args=[case.number, material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf("申请书")


def test_correction_notice_lists_picked_materials(client, case_world):
    """R5.4: the clerk ticks the defective materials of the guide, each with
    its problem, plus a note: one notice, the case waits for the applicant."""
    w = case_world
    case = submitted(w)
    login(client, w.clerk)
    response = client.post(
        act(case, "request_correction"),
        {
            "line": ["licence", "form"],
            "problem_licence": "营业执照照片不清晰",
            "problem_form": "经营场所地址不完整",
            "problem_application": "不应出现",
            "note": "请一并核对联系电话",
        },
    )
    assert response.status_code == 302 and response["Location"] == page_of(case)
    case.refresh_from_db()
    assert case.status == Status.CORRECTING
    notice = CorrectionNotice.objects.get(case=case)
    assert [line["name"] for line in notice.lines] == ["营业执照", "申请表"]
    assert notice.note == "请一并核对联系电话"
    body = text(client.get(page_of(case)))
    assert "已一次性告知补正" in body
    assert "营业执照：营业执照照片不清晰" in body
    assert "补齐补正材料通知书（PDF）" in body


def test_correction_without_problem_text_is_refused_in_chinese(client, case_world):
    """R5.4: a ticked material without its problem is refused and nothing changes."""
    w = case_world
    case = submitted(w)
    login(client, w.clerk)
    response = client.post(act(case, "request_correction"), {"line": ["licence"]})
    assert response.status_code == 422
    assert "请说明“营业执照”需要补正的内容" in text(response)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert not CorrectionNotice.objects.filter(case=case).exists()


def test_wrong_state_action_shows_conflict_and_changes_nothing(client, case_world):
    """R5.3, R6.9: accepting a case someone already accepted shows the
    Chinese conflict message; nothing is written."""
    w = case_world
    case = accepted(w)
    events = CaseEvent.objects.filter(case=case).count()
    docs = CaseDocument.objects.filter(case=case).count()
    login(client, w.clerk)
    response = client.post(act(case, "accept"))
    assert response.status_code == 409
    body = text(response)
    assert "办件当前状态为“办理中”，不能受理" in body
    assert "其他人员可能已先行办理" in body
    assert CaseEvent.objects.filter(case=case).count() == events
    assert CaseDocument.objects.filter(case=case).count() == docs
    response = client.post(act(case, "refuse"), {"reason": "材料虚假"})
    assert response.status_code == 409 and "不能不予受理" in text(response)
    case.refresh_from_db()
    assert case.status == Status.HANDLING and case.ended_reason == ""


def test_second_claimant_gets_conflict(client, case_world):
    """R2.2, R6.9: two reviewers take the same step: the second is told who
    holds it."""
    w = case_world
    case = accepted(w)
    review = case.steps.get(code="review")
    login(client, w.reviewer)
    assert client.post(act(case, "claim"), {"step": review.pk}).status_code == 302
    login(client, w.reviewer2)
    response = client.post(act(case, "claim"), {"step": review.pk})
    assert response.status_code == 409
    assert "“审查”环节已由 陈志强 认领" in text(response)
    review.refresh_from_db()
    assert review.assignee_id == w.reviewer.pk


def test_refuse_without_reason_is_refused(client, case_world):
    """R5.3: 不予受理 needs a reason; the form says so in Chinese."""
    w = case_world
    case = submitted(w)
    login(client, w.clerk)
    response = client.post(act(case, "refuse"), {"reason": "  "})
    assert response.status_code == 422 and "请填写理由" in text(response)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_handling_through_the_console_to_conclusion(client, case_world):
    """R5.3, R6.1, R6.9, R5.7: accept → claim → site inspection (clock paused,
    shown on the page) → result → complete review → grant → deliver by mail
    with a tracking number; every notice opens as a PDF, the full timeline
    (with internal events) is on the page."""
    w = case_world
    case = submitted(w)
    login(client, w.clerk)
    assert client.post(act(case, "accept"), {"opinion": "材料齐全"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.HANDLING
    body = text(client.get(page_of(case)))
    assert "已受理，受理通知书已出具" in body
    assert "承诺办结时限" in body  # the deadline explanation
    assert ">认领</button>" not in body  # the clerk does not review

    login(client, w.reviewer)
    review = case.steps.get(code="review")
    body = text(client.get(page_of(case)))
    assert ">认领</button>" in body and ">启动特别程序</button>" in body
    client.post(act(case, "claim"), {"step": review.pk})
    response = client.post(
        act(case, "start_special"),
        {"kind": "site_inspection", "reason": "核查经营场所", "started_on": ""},
    )
    assert response.status_code == 302
    body = text(client.get(page_of(case)))
    assert "暂停计时中" in body and "现场踏勘" in body
    assert ">记录特别程序结果</button>" in body
    response = client.post(act(case, "complete_step"), {"step": review.pk, "opinion": "通过"})
    assert response.status_code == 409 and "特别程序尚未结束" in text(response)
    proc = case.special_procedures.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.domains.cases.tests.conftest import pdf as sample_pdf

    record = SimpleUploadedFile("踏勘记录.pdf", sample_pdf("踏勘记录"), "application/pdf")
    client.post(
        act(case, "finish_special"),
        {"procedure": proc.pk, "result": "与申报一致", "files": [record]},
    )
    attachment = proc.attachments.get()
    body = text(client.get(page_of(case)))
    assert "踏勘记录.pdf" in body
    got = client.get(f"/console/cases/{case.number}/attachments/{attachment.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    response = client.post(act(case, "complete_step"), {"step": review.pk, "opinion": "材料齐全"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.clock_paused and case.promised_due is not None

    login(client, w.approver)
    response = client.post(act(case, "decide"), {"decision": "granted", "reason": "符合条件"})
    assert response.status_code == 302

    login(client, w.clerk)
    response = client.post(act(case, "deliver"), {"way": "mail", "tracking_number": ""})
    assert response.status_code == 422 and "邮寄送达请填写快递单号" in text(response)
    response = client.post(act(case, "deliver"), {"way": "mail", "tracking_number": "SF123"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CONCLUDED and case.decision == "granted"
    body = text(client.get(page_of(case)))
    assert "已办结" in body and "SF123" in body
    assert "审查：认领" in body and "内部" in body  # non-public events too
    for doc in CaseDocument.objects.filter(case=case):
        response = client.get(reverse("console:cases:document", args=[case.number, doc.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "办结" in body


def test_assign_extend_and_assist_answer(client, case_world):
    """R2.2, R6.3: the unit head assigns the review to a named reviewer and
    extends the time limit; the reviewer asks 滨湖区 for an opinion; the
    asked agency sees it in its 协办 queue and answers; the answer shows on
    the lead's case page."""
    w = case_world
    case = accepted(w)
    review = case.steps.get(code="review")
    login(client, w.head)
    body = text(client.get(page_of(case)))
    assert ">分派</button>" in body and "孙红梅" in body
    response = client.post(act(case, "assign"), {"step": review.pk, "staff": w.reviewer2.pk})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.assignee_id == w.reviewer2.pk
    response = client.post(act(case, "assign"), {"step": review.pk, "staff": w.clerk.pk})
    assert response.status_code == 422 and "没有“审查”环节的办理角色" in text(response)
    response = client.post(act(case, "extend"), {"days": "11", "reason": "需补充检验"})
    assert response.status_code == 422 and "不能超过 10 日" in text(response)
    response = client.post(act(case, "extend"), {"days": "5", "reason": "需补充检验"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.extension_days == 5

    login(client, w.reviewer2)
    response = client.post(
        act(case, "assist"),
        {"agency": w.bh_scj.pk, "question": "请核实申请人在滨湖区的经营记录", "days": "3"},
    )
    assert response.status_code == 302
    req = AssistRequest.objects.get(case=case)

    login(client, w.assistant)
    queue = text(client.get(QUEUE, {"tab": "assist"}))
    assert case.number in queue and "请核实申请人" in queue
    answer_url = reverse("console:cases:assist", args=[case.number, req.pk])
    assert client.get(page_of(case)).status_code == 200  # the asked agency may read it
    response = client.post(answer_url, {"answer": ""})
    assert response.status_code == 422 and "请填写协办意见" in text(response)
    response = client.post(answer_url, {"answer": "无不良记录"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "answered"

    login(client, w.outsider)  # same agency as the assistant but without cases.assist
    assert client.get(answer_url).status_code == 403

    login(client, w.reviewer2)
    body = text(client.get(page_of(case)))
    assert "无不良记录" in body and "答复协办" in body


def test_lead_forwards_for_joint_handling_from_the_console(client, case_world):
    """R6.2: the lead agency forwards an accepted case to a co-handling
    agency from the case page; the part appears, and the lead cannot
    decide until the part has answered."""
    w = case_world
    case = accepted(w)
    login(client, w.reviewer)
    body = text(client.get(page_of(case)))
    assert "转联合办理" in body
    response = client.post(act(case, "forward"), {"agencies": [], "note": "请会办"})
    assert response.status_code == 422 and "会办单位" in text(response)
    response = client.post(act(case, "forward"), {"agencies": [w.bh_scj.pk], "note": "请核实"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.kind == "joint" and case.statutory_limit == 45
    part = case.parts.get()
    assert part.agency_id == w.bh_scj.pk and part.kind == "joint_part"
