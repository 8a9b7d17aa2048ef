"""The applicant's side of case handling on the portal, through Django's test
client on the real database and real files: apply online, my cases, the
timeline, the notices as PDFs, corrections, withdrawal, notifications and
the public verification page."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.core.crypto import sm3_hex
from yiwang.domains.cases import services
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import Case, CaseDocument, CaseMaterial, Notification
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.orgs.models import Staff

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


def _apply_url(w: Any) -> str:
    return f"/items/{w.item.implementation_code}/apply/"


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def _open_form(client: Any, w: Any) -> tuple[str, str, str]:
    """(case id, idempotency key, page html) of the apply page."""
    response = client.get(_apply_url(w))
    assert response.status_code == 200
    html = response.content.decode()
    return _hidden(html, "case"), _hidden(html, "idempotency_key"), html


def _post(client: Any, w: Any, case_id: str, key: str, action: str, **files: Any) -> Any:
    data: dict[str, Any] = {
        "case": case_id,
        "variant": "first",
        "idempotency_key": key,
        "action": action,
        **{k: str(v) for k, v in FORM.items()},
    }
    for name, (filename, content) in files.items():
        data[name] = SimpleUploadedFile(filename, content)
    return client.post(_apply_url(w), data)


def _submit_online(client: Any, w: Any) -> Case:
    client.force_login(w.applicant.user)
    case_id, key, _ = _open_form(client, w)
    response = _post(
        client,
        w,
        case_id,
        key,
        "submit",
        file_application=("申请书.pdf", pdf()),
        file_licence=("营业执照.png", png()),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get(pk=int(case_id))


def test_apply_page_renders_schema_form_and_one_upload_per_material(case_world, client):
    """R5.1, R5.2: the variant's form comes from its JSON Schema (titles,
    required marks) and each material of the guide has its own upload with
    its necessity (容缺后补), accepted types and size limit; stable names."""
    w = case_world
    client.force_login(w.applicant.user)
    case_id, key, html = _open_form(client, w)
    for name in ("applicant_name", "address", "area"):
        assert f'name="{name}"' in html
    assert "申请人名称" in html and "经营场所" in html and "经营面积（平方米）" in html
    assert html.count('class="req"') >= 2  # two required fields (+ the legend)
    for code in ("application", "licence", "layout"):
        assert f'name="file_{code}"' in html
    assert "容缺后补" in html and "PDF、OFD、JPG、PNG" in html and "MB" in html
    assert "保存草稿" in html and "提交申请" in html and len(key) >= 16
    draft = Case.objects.get(pk=int(case_id))
    assert draft.status == Status.DRAFT and draft.applicant_id == w.applicant.user.pk
    # Opening the page again resumes the same draft, with a new key.
    again, key2, _ = _open_form(client, w)
    assert again == case_id and key2 != key


def test_staff_and_anonymous_cannot_open_the_apply_page(case_world, client):
    """R5.1: only applicant accounts apply online."""
    w = case_world
    response = client.get(_apply_url(w))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(w.clerk.user)
    response = client.get(_apply_url(w))
    assert response.status_code == 302
    assert not Case.objects.exists()


def test_apply_upload_submit_through_the_portal(case_world, client):
    """R5.1, R5.2, R5.7: fill the form, upload the materials, submit: the case
    gets its number, the deferrable material is owed, the applicant lands on
    the case page with the timeline."""
    w = case_world
    case = _submit_online(client, w)
    assert case.status == Status.SUBMITTED and case.number
    assert case.form_data == {"applicant_name": "张伟", "address": FORM["address"], "area": 60}
    rows = {m.code: m for m in CaseMaterial.objects.filter(case=case, replaced=False)}
    assert rows["application"].sm3 == sm3_hex(pdf()) and rows["licence"].status == "provided"
    assert rows["layout"].status == "deferred"
    page = client.get(f"/my/cases/{case.number}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html and "待受理" in html and "提交申请" in html and "申请人" in html
    assert "撤回申请" in html


def test_double_submit_with_the_same_key_makes_one_case(case_world, client):
    """R5.1: a double click posts the same idempotency key twice; one case."""
    w = case_world
    client.force_login(w.applicant.user)
    case_id, key, _ = _open_form(client, w)
    files = {
        "file_application": ("申请书.pdf", pdf()),
        "file_licence": ("营业执照.png", png()),
    }
    first = _post(client, w, case_id, key, "submit", **files)
    second = _post(client, w, case_id, key, "submit", **files)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    submitted = Case.objects.filter(applicant=w.applicant.user).exclude(status=Status.DRAFT)
    assert submitted.count() == 1
    case = submitted.get()
    assert case.idempotency_key == key
    # The second click's files did not pile up on the submitted case.
    assert CaseMaterial.objects.filter(case=case, code="application").count() == 1


def test_exe_renamed_pdf_is_refused_and_the_draft_keeps_the_rest(case_world, client):
    """R5.1: an .exe renamed .pdf is refused by its real content with a clear
    message on the page; the form and the other file stay in the draft."""
    w = case_world
    client.force_login(w.applicant.user)
    case_id, key, _ = _open_form(client, w)
    response = _post(
        client,
        w,
        case_id,
        key,
        "submit",
        file_application=("申请书.pdf", pdf()),
        file_licence=("营业执照.pdf", EXE),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "未能上传：文件“营业执照.pdf”的实际内容是" in html
    assert 'id="err_file_licence"' in html
    draft = Case.objects.get(pk=int(case_id))
    assert draft.status == Status.DRAFT
    assert draft.form_data["address"] == FORM["address"]
    kept = CaseMaterial.objects.filter(case=draft, replaced=False)
    assert [m.code for m in kept] == ["application"]
    # Coming back later: the form values and the good file are still there.
    html = client.get(_apply_url(w)).content.decode()
    assert FORM["address"] in html and "申请书.pdf" in html


def test_missing_required_field_is_shown_beside_the_field(case_world, client):
    """R5.1: a form that does not fit the schema is reported per field in
    Chinese and nothing is submitted."""
    w = case_world
    client.force_login(w.applicant.user)
    case_id, key, _ = _open_form(client, w)
    response = client.post(
        _apply_url(w),
        {
            "case": case_id,
            "variant": "first",
            "idempotency_key": key,
            "action": "submit",
            "applicant_name": "张伟",
            "area": "六十",
            "file_application": SimpleUploadedFile("a.pdf", pdf()),
            "file_licence": SimpleUploadedFile("b.png", png()),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“经营面积（平方米）”应填写数字" in html
    response = client.post(
        _apply_url(w),
        {
            "case": case_id,
            "variant": "first",
            "idempotency_key": key,
            "action": "submit",
            "applicant_name": "张伟",
        },
    )
    html = response.content.decode()
    assert 'id="err_address"' in html and "请填写“经营场所”" in html
    assert Case.objects.get(pk=int(case_id)).status == Status.DRAFT


def test_my_cases_and_timeline_only_for_the_applicant(case_world, client):
    """R5.7: my cases lists the applicant's own cases with status names;
    another applicant gets 404 on the case and its documents."""
    w = case_world
    case = _submitted_and_accepted(client, w)
    listing = client.get("/my/cases/").content.decode()
    assert case.number in listing and "办理中" in listing
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "受理" in page and w.lx_scj.name in page and "承诺办结日" in page
    doc = CaseDocument.objects.get(case=case, kind="acceptance")
    client.force_login(w.applicant2.user)
    assert case.number not in client.get("/my/cases/").content.decode()
    assert "您还没有办件" in client.get("/my/cases/").content.decode()
    assert client.get(f"/my/cases/{case.number}/").status_code == 404
    assert client.get(f"/my/cases/{case.number}/documents/{doc.pk}.pdf").status_code == 404
    assert client.get(f"/my/cases/{case.pk}/").status_code == 404


def _submitted_and_accepted(client: Any, w: Any) -> Case:
    case = _submit_online(client, w)
    services.case_accept(actor=_fresh(w.clerk), case_id=case.pk)
    case.refresh_from_db()
    return case


def test_document_opens_as_pdf(case_world, client):
    """R5.3, R5.7: the acceptance notice opens as a PDF for the applicant."""
    w = case_world
    case = _submitted_and_accepted(client, w)
    doc = CaseDocument.objects.get(case=case, kind="acceptance")
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    url = f"/my/cases/{case.number}/documents/{doc.pk}.pdf"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF") and sm3_hex(data) == doc.sm3


def test_correction_replace_and_resubmit_on_the_portal(case_world, client):
    """R5.4: the open correction notice lists its lines; the applicant
    replaces the named file and resubmits; a bad replacement keeps the old."""
    w = case_world
    case = _submit_online(client, w)
    services.case_request_correction(
        actor=_fresh(w.clerk),
        case_id=case.pk,
        lines=[{"code": "licence", "problem": "营业执照照片不清晰"}],
    )
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "补齐补正告知" in page and "营业执照照片不清晰" in page
    assert 'name="file_licence"' in page and "重新提交" in page
    url = f"/my/cases/{case.number}/correct/"
    bad = client.post(
        url, {"action": "resubmit", "file_licence": SimpleUploadedFile("执照.pdf", EXE)}
    )
    assert bad.status_code == 200 and "未能上传" in bad.content.decode()
    assert CaseMaterial.objects.filter(case=case, code="licence", replaced=False).count() == 1
    good = client.post(
        url, {"action": "resubmit", "file_licence": SimpleUploadedFile("执照.png", png())}
    )
    assert good.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    current = CaseMaterial.objects.get(case=case, code="licence", replaced=False)
    assert current.original_name == "执照.png" and current.status == "provided"
    assert "补正后重新提交" in client.get(f"/my/cases/{case.number}/").content.decode()


def test_withdraw_with_reason(case_world, client):
    """R6.4: the applicant withdraws before the decision, with a reason."""
    w = case_world
    case = _submit_online(client, w)
    url = f"/my/cases/{case.number}/withdraw/"
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "请填写理由" in empty.content.decode()
    done = client.post(url, {"reason": "信息填错，重新申请"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "已撤回" in page and 'id="withdraw-form"' not in page


def test_supply_owed_deferrable_material(case_world, client):
    """R5.3: a 容缺后补 material accepted as owed is handed in later."""
    w = case_world
    case = _submitted_and_accepted(client, w)
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "待补交的容缺材料" in page and 'name="file_layout"' in page
    response = client.post(
        f"/my/cases/{case.number}/supply/",
        {"file_layout": SimpleUploadedFile("布局图.png", png())},
    )
    assert response.status_code == 302
    assert CaseMaterial.objects.get(case=case, code="layout").status == "supplied"


def test_notifications_list_and_read(case_world, client):
    """R5.7: in-app messages, with the unread count in the header."""
    w = case_world
    case = _submit_online(client, w)
    page = client.get("/my/notifications/").content.decode()
    assert "您的申请已提交" in page and case.number in page
    home = client.get("/my/").content.decode()
    assert 'id="nav-notifications"' in home and "条未读" in home
    assert case.number in home and "暂无办件" not in home
    note = Notification.objects.filter(user=w.applicant.user).first()
    assert note is not None
    client.post("/my/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(user=w.applicant.user, read_at__isnull=True).exists()
    assert "条未读" not in client.get("/my/").content.decode()


def test_public_verification_page(case_world, client):
    """R5.3: anyone may check a notice by its verification code: kind,
    numbers, agency and the SM3 digest of the stored file."""
    w = case_world
    case = _submitted_and_accepted(client, w)
    doc = CaseDocument.objects.get(case=case, kind="acceptance")
    client.logout()
    response = client.get(f"/verify/{doc.verify_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("受理通知书", doc.number, case.number, w.lx_scj.name, doc.sm3, "SM3 摘要一致"):
        assert text in html
    assert client.get("/verify/0000000000000000/").status_code == 404


def test_empty_and_oversized_files_are_refused_with_a_message(case_world, client, settings):
    """R5.1: a 0-byte file and an oversized file are each refused with a
    clear message; the form is kept in the draft."""
    settings.YIWANG_UPLOAD_MAX_BYTES = 2048
    w = case_world
    client.force_login(w.applicant.user)
    case_id, key, html = _open_form(client, w)
    assert "2 KB" in html
    response = _post(
        client,
        w,
        case_id,
        key,
        "save",
        file_application=("申请书.pdf", pdf() + b"%" * 4096),
        file_licence=("营业执照.png", b""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "文件“申请书.pdf”超过 2 KB" in html
    assert "文件“营业执照.png”为空" in html
    draft = Case.objects.get(pk=int(case_id))
    assert draft.form_data["address"] == FORM["address"]
    assert not CaseMaterial.objects.filter(case=draft).exists()


def test_guide_page_links_to_online_application(case_world, client):
    """R5.1: the guide of an item that is handled online offers “在线申请”."""
    w = case_world
    html = client.get(f"/items/{w.item.implementation_code}/").content.decode()
    assert f'href="{_apply_url(w)}"' in html and "在线申请" in html


def test_verification_of_a_signed_decision(case_world, client, agency_keys, settings):
    """R6.4: a signed decision verifies offline on the public page (digest
    and signature); a stored file changed afterwards fails both checks."""
    from django.core.files.storage import default_storage

    w = case_world
    case = _submitted_and_accepted(client, w)
    client.post(
        f"/my/cases/{case.number}/supply/", {"file_layout": SimpleUploadedFile("图.png", png())}
    )
    review = case.steps.get(code="review")
    services.case_step_complete(actor=_fresh(w.reviewer), step_id=review.pk, opinion="材料齐全")
    services.case_decide(
        actor=_fresh(w.approver), case_id=case.pk, decision="granted", reason="符合法定条件"
    )
    doc = CaseDocument.objects.get(case=case, kind="grant")
    assert doc.signed
    html = client.get(f"/verify/{doc.verify_code}/").content.decode()
    assert "准予许可决定书" in html and "签章有效" in html and w.lx_scj.name in html
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "准予许可" in page and "已电子签章" in page
    # Someone alters the stored file: the page says so.
    with default_storage.open(doc.path, "rb") as fh:
        data = fh.read()
    default_storage.delete(doc.path)
    default_storage.save(doc.path, ContentFile(data.replace(b"/Type", b"/Typf", 1)))
    html = client.get(f"/verify/{doc.verify_code}/").content.decode()
    assert "摘要不一致" in html and "签章有效" not in html
