"""Notices and decisions are issued in the service's transaction and
rendered by a task worker (docs/adr/0008-documents-by-task.md): the row and
its task commit together, the worker stores the PDF with the case's facts as
they were at issue, a failure is recorded and retried by the sweep, and
every page says 生成中 until the file exists (R5.3, R5.5, R6.4, R14.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yiwang.core import documents as core_documents
from yiwang.core.audit import audit_verify
from yiwang.core.crypto import sm3_hex
from yiwang.core.models import AuditEntry
from yiwang.core.tests.pdftools import pdf_text
from yiwang.domains.cases import services
from yiwang.domains.cases.documents import document_bytes
from yiwang.domains.cases.models import Case, CaseDocument, DocumentKind, DocumentStatus
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.orgs.models import Staff

RENDER_TASK = "yiwang.domains.cases.documents.render"


@pytest.fixture
def engine(db_task_engine: Any) -> Any:
    db_task_engine.YIWANG_NOTIFIERS = []  # in-app messages only: no delivery tasks
    return db_task_engine


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


def accepted(world: Any) -> Case:
    case = services.case_apply(
        actor=world.applicant,
        item_id=world.item.pk,
        variant_code="first",
        form_data=FORM,
        files=[("application", "申请书.pdf", pdf()), ("licence", "执照.png", png())],
    )
    return services.case_accept(actor=fresh(world.clerk), case_id=case.pk)


def pages(world: Any, doc: CaseDocument) -> dict[str, Any]:
    """What the applicant, the clerk and a stranger holding the QR code get."""
    applicant, clerk, anybody = Client(), Client(), Client()
    applicant.force_login(world.applicant.user)
    clerk.force_login(world.clerk.user)
    number = doc.case.number
    return {
        "portal_case": applicant.get(reverse("portal:case_detail", args=[number])),
        "portal_pdf": applicant.get(reverse("portal:case_document", args=[number, doc.pk])),
        "console_case": clerk.get(reverse("console:cases:case", args=[number])),
        "console_pdf": clerk.get(reverse("console:cases:document", args=[number, doc.pk])),
        "verify": anybody.get(reverse("portal:verify", args=[doc.verify_code])),
    }


def body(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8")


def test_acceptance_notice_is_queued_with_the_case_and_a_worker_renders_it(
    case_world, engine, run_worker
):
    """R5.3: accepting commits the notice's row (number, verification code,
    issue time, the case's facts) with one render task; until a worker has
    run it every page says 生成中 (202 for the PDF address); afterwards the
    stored PDF carries the numbers and its digest verifies."""
    w = case_world
    case = accepted(w)
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.ACCEPTANCE)
    assert doc.status == DocumentStatus.PENDING and doc.path == "" and doc.sm3 == ""
    assert doc.facts["case"]["number"] == case.number
    assert doc.facts["case"]["promised_due"] == case.promised_due.isoformat()
    task = DBTaskResult.objects.get(task_path=RENDER_TASK)
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [], "kwargs": {"document_id": doc.pk}}

    before = pages(w, doc)
    assert before["portal_case"].status_code == 200
    assert "生成中" in body(before["portal_case"])
    assert reverse("portal:case_document", args=[case.number, doc.pk]) not in body(
        before["portal_case"]
    )
    for key in ("portal_pdf", "console_pdf"):
        assert before[key].status_code == 202, key
        assert before[key]["Retry-After"] == "3"
        assert "受理通知书正在生成" in body(before[key])
    assert "生成中" in body(before["console_case"])
    console_url = reverse("console:cases:document", args=[case.number, doc.pk])
    assert console_url not in body(before["console_case"])  # neither list nor timeline links it
    assert "正在生成和签章" in body(before["verify"])

    run_worker()

    doc.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.traceback
    assert doc.status == DocumentStatus.READY and doc.rendered_at is not None
    assert doc.attempts == 1 and doc.error == "" and not doc.signed
    data = document_bytes(doc)
    assert data.startswith(b"%PDF") and sm3_hex(data) == doc.sm3 and len(data) == doc.size
    text = pdf_text(data)
    assert doc.number in text and case.number in text and "受理" in text

    after = pages(w, doc)
    for key in ("portal_pdf", "console_pdf"):
        assert after[key].status_code == 200, key
        assert after[key]["Content-Type"] == "application/pdf"
        assert body(after[key]).encode("latin-1") == data
    assert "存档文件完整" in body(after["verify"])
    assert console_url in body(after["console_case"])
    assert audit_verify().ok


def test_the_notice_says_what_held_at_issue_even_if_rendered_after_an_extension(
    case_world, engine, run_worker
):
    """R5.3, R6.4: the acceptance notice states the statutory due date as it
    was at acceptance, though the case was extended before a worker got to
    it; the extension's own notice states the new date."""
    w = case_world
    case = accepted(w)
    first_due = Case.objects.get(pk=case.pk).statutory_due
    services.case_extend(actor=fresh(w.head), case_id=case.pk, days=10, reason="需专家论证")
    later_due = Case.objects.get(pk=case.pk).statutory_due
    assert first_due is not None and later_due is not None and later_due > first_due

    run_worker()

    def shown(kind: str) -> str:
        doc = CaseDocument.objects.get(case=case, kind=kind)
        assert doc.ready, doc.error
        return pdf_text(document_bytes(doc)).replace(" ", "")

    fmt = "{d.year}年{d.month}月{d.day}日"
    notice = shown(DocumentKind.ACCEPTANCE)
    assert fmt.format(d=first_due) in notice and fmt.format(d=later_due) not in notice
    assert fmt.format(d=later_due) in shown(DocumentKind.EXTENSION)


def test_a_failed_rendering_is_recorded_and_the_sweep_renders_it_later(
    case_world, engine, run_worker, monkeypatch
):
    """A worker that cannot render (here: the PDF engine fails) leaves the
    document 生成中 with the attempt and the error on record and its task
    FAILED; the case itself stays accepted. The sweep, a while later,
    renders it; a document sooner than that is left to its own task."""
    w = case_world

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise OSError("找不到字体文件 NotoSansCJK-Regular.ttc")

    monkeypatch.setattr(core_documents, "render_pdf", broken)
    case = accepted(w)
    run_worker()

    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.ACCEPTANCE)
    task = DBTaskResult.objects.get(task_path=RENDER_TASK)
    assert task.status == "FAILED"
    assert doc.status == DocumentStatus.PENDING and doc.attempts == 1
    assert "找不到字体文件" in doc.error
    assert Case.objects.get(pk=case.pk).status == "handling"
    clerk = Client()
    clerk.force_login(w.clerk.user)
    page = clerk.get(reverse("console:cases:case", args=[case.number]))
    assert "生成未成功，自动重试中" in page.content.decode()

    monkeypatch.undo()
    assert services.case_documents_sweep(actor=w.clerk) == {
        "found": 0,
        "rendered": 0,
        "failed": 0,
    }  # issued just now: its own task is still the one to run it
    later = timezone.now() + dt.timedelta(minutes=3)
    assert services.case_documents_sweep(actor=w.clerk, now=later) == {
        "found": 1,
        "rendered": 1,
        "failed": 0,
    }
    doc.refresh_from_db()
    assert doc.ready and doc.attempts == 2 and doc.error == ""
    assert pdf_text(document_bytes(doc)).count(doc.number) >= 1
    assert audit_verify().ok


def test_rendering_twice_changes_nothing(case_world, engine, run_worker):
    """A task run twice (a worker restarted after finishing) returns the
    stored document: no second file, no second audit entry."""
    w = case_world
    case = accepted(w)
    run_worker()
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.ACCEPTANCE)
    entries = AuditEntry.objects.count()
    again = services.case_document_render(actor=w.clerk, document_id=doc.pk)
    assert again.path == doc.path and again.sm3 == doc.sm3
    assert AuditEntry.objects.count() == entries
    assert default_storage.exists(doc.path)
