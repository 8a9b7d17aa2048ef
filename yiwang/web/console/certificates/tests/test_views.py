"""Console pages of certificates and seals through Django's test client on
the real database and real files (R7.2, R7.3, R7.6): who sees which page,
Chinese refusals that change nothing, and every action — type create, edit
and link; seal create, revoke and its log of uses; issue by hand, search,
status change, renewal, the PDF; the Excel import of legacy certificates."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from yiwang.core.checkdigits import make_resident_id
from yiwang.domains.certificates import services
from yiwang.domains.certificates.models import (
    Certificate,
    CertificateStatusChange,
    CertificateType,
    ItemCertificateType,
    Seal,
    SealUse,
)
from yiwang.domains.certificates.tests.conftest import fresh
from yiwang.domains.orgs.models import Staff

LIST = reverse("console:certificates:list")
ISSUE = reverse("console:certificates:issue")
TYPES = reverse("console:certificates:types")
TYPE_NEW = reverse("console:certificates:type_new")
SEALS = reverse("console:certificates:seals")
SEAL_NEW = reverse("console:certificates:seal_new")
IMPORT = reverse("console:certificates:import")


def login(client: Any, staff: Staff) -> Any:
    client.force_login(staff.user)
    return client


def text(response: Any) -> str:
    return response.content.decode()


def issued(w: Any, **kw: Any) -> Certificate:
    """A food-business licence issued by hand at 梁溪区市场监督管理局 to 张伟."""
    args: dict[str, Any] = {
        "holder_name": "张伟",
        "holder_code": w.applicant.id_number,
        "holder_code_type": "111",
        "data": {"applicant_name": "张伟小吃店", "address": "无锡市梁溪区中山路1号"},
    }
    args.update(kw)
    return services.certificate_issue(
        actor=fresh(w.clerk), issuer=w.lx_scj, type_id=w.food_type.pk, **args
    )


def page_of(cert: Certificate) -> str:
    return reverse("console:certificates:certificate", args=[cert.pk])


# --- who sees what ----------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("console:login") in response["Location"]


def test_menu_shows_each_section_only_with_its_permission(client, cert_world):
    """R7.3, R7.6: 电子证照 for issuers and revokers, 证照类型 and 电子印章
    for unit admins; staff without a certificates permission see none."""
    w = cert_world
    home = reverse("console:home")
    clerk = text(login(client, w.clerk).get(home))
    assert f'href="{LIST}"' in clerk and f'href="{TYPES}"' not in clerk
    head = text(login(client, w.head).get(home))
    assert f'href="{LIST}"' in head
    admin = text(login(client, w.types_admin).get(home))
    assert f'href="{TYPES}"' in admin and f'href="{SEALS}"' in admin
    assert f'href="{LIST}"' not in admin
    reviewer = text(login(client, w.reviewer).get(home))
    assert "/console/certificates/" not in reviewer


def test_pages_refuse_staff_without_permission_or_of_another_agency(client, cert_world):
    """R7.3, R7.6: no certificates permission → 403 on every section; staff of
    another agency → 403 on its certificates, seals and types; unknown → 404."""
    w = cert_world
    cert = issued(w)
    seal = cert.seal
    login(client, w.reviewer)
    for url in (LIST, ISSUE, IMPORT, TYPES, SEALS, page_of(cert)):
        assert client.get(url).status_code == 403, url
    login(client, w.outsider)  # issues at 滨湖区, not 梁溪区
    assert client.get(page_of(cert)).status_code == 403
    assert client.get(reverse("console:certificates:pdf", args=[cert.pk])).status_code == 403
    assert client.get(f"{LIST}?agency={w.lx_scj.pk}").status_code == 200
    assert cert.identifier not in text(client.get(f"{LIST}?agency={w.lx_scj.pk}"))
    assert client.get(reverse("console:certificates:certificate", args=[99999])).status_code == 404
    login(client, w.types_admin)  # 市局: its own types and seals only
    assert client.get(reverse("console:certificates:seal", args=[seal.pk])).status_code == 403
    response = client.post(
        reverse("console:certificates:seal_revoke", args=[seal.pk]), {"reason": "测试"}
    )
    assert response.status_code == 403 and Seal.objects.get(pk=seal.pk).revoked_at is None
    login(client, w.lx_admin)
    assert (
        client.get(reverse("console:certificates:type", args=[w.food_type.pk])).status_code == 403
    )
    login(client, w.clerk)  # may issue, not revoke
    response = client.post(
        reverse("console:certificates:status", args=[cert.pk]),
        {"status": "withdrawn", "reason": "越权"},
    )
    assert response.status_code == 403
    assert Certificate.objects.get(pk=cert.pk).status == "valid"


# --- certificate types (R7.2) ---------------------------------------------------------------


def _type_post(w: Any, **kw: Any) -> dict[str, Any]:
    data = {
        "defining_agency": w.city_scj.pk,
        "code_suffix": "002",
        "name": "小餐饮登记证",
        "holder_kind": "person",
        "field_schema": '{"type": "object", "properties": {"shop": {"type": "string", '
        '"title": "店名"}}, "required": ["shop"]}',
        "validity_years": "3",
        "shared": "on",
        "number_prefix": "XC",
    }
    data.update(kw)
    return data


def test_type_create_checks_the_schema_in_chinese_and_creates(client, cert_world):
    """R7.2: a bad JSON, a schema naming an undefined required field, a bad
    code suffix or a taken code are refused in Chinese and nothing is made;
    a good one gets the agency's credit code + 3 digits (GB/T 36904)."""
    w = cert_world
    login(client, w.types_admin)
    form = text(client.get(TYPE_NEW))
    assert "证照类型名称" in form and "照面信息字段" in form
    before = CertificateType.objects.count()
    bad = client.post(TYPE_NEW, _type_post(w, field_schema='{"type": "object", "properties": {'))
    assert bad.status_code == 400 and "不是有效的 JSON：第1行" in text(bad)
    bad = client.post(
        TYPE_NEW,
        _type_post(w, field_schema='{"properties": {"a": {"type": "text"}}, "required": ["b"]}'),
    )
    body = text(bad)
    assert "字段“a”的 type 应为 string" in body and "“required”中的“b”不是已定义的字段" in body
    bad = client.post(TYPE_NEW, _type_post(w, code_suffix="12A", validity_years="0"))
    assert "类型代码后3位应为3位数字" in text(bad) and "有效期至少1年" in text(bad)
    taken = client.post(TYPE_NEW, _type_post(w, code_suffix="001"))
    assert taken.status_code == 400 and "该证照类型代码已被使用" in text(taken)
    assert CertificateType.objects.count() == before
    response = client.post(TYPE_NEW, _type_post(w))
    ctype = CertificateType.objects.get(name="小餐饮登记证")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:certificates:type", args=[ctype.pk])
    assert ctype.code == w.city_scj.credit_code.upper() + "002"
    assert ctype.validity_years == 3 and ctype.shared and ctype.field_schema["required"] == ["shop"]
    assert ctype.defining_agency_id == w.city_scj.pk
    listing = text(client.get(TYPES))
    assert "小餐饮登记证" in listing and "食品经营许可证" in listing
    assert "没有符合" in text(client.get(TYPES + "?q=不存在的类型"))


def test_type_edit_and_link_to_a_catalogue_entry(client, cert_world):
    """R7.2, R7.1: editing keeps the code; a broken schema changes nothing;
    linking a catalogue entry makes its granted cases issue the type."""
    w = cert_world
    login(client, w.types_admin)
    url = reverse("console:certificates:type_edit", args=[w.food_type.pk])
    assert "食品经营许可证" in text(client.get(url))
    bad = client.post(url, {"name": "改名", "holder_kind": "person", "field_schema": "[1, 2]"})
    assert bad.status_code == 400 and "照面信息字段应为 JSON 对象" in text(bad)
    assert CertificateType.objects.get(pk=w.food_type.pk).name == "食品经营许可证"
    response = client.post(
        url,
        {
            "name": "食品经营许可证（新版）",
            "holder_kind": "person",
            "field_schema": '{"type": "object", "properties": {"address": {"type": "string"}}}',
            "validity_years": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    ctype = CertificateType.objects.get(pk=w.food_type.pk)
    assert ctype.name == "食品经营许可证（新版）" and ctype.validity_years is None
    assert not ctype.shared and ctype.code == w.food_type.code
    detail = reverse("console:certificates:type", args=[ctype.pk])
    entry = w.item.entry
    found = text(client.get(detail + "?q=" + entry.basic_code))
    assert entry.basic_code in found and "关联" in found
    link = reverse("console:certificates:type_link", args=[ctype.pk])
    response = client.post(link, {"basic_code": "999999999999"}, follow=True)
    assert "没有这个基本目录事项编码" in text(response)
    assert not ItemCertificateType.objects.filter(entry=entry).exists()
    response = client.post(link, {"basic_code": entry.basic_code}, follow=True)
    assert "已将事项" in text(response)
    assert ItemCertificateType.objects.get(entry=entry).type_id == ctype.pk


# --- seals (R7.6) -------------------------------------------------------------------------


def test_seal_create_revoke_and_log_of_uses(client, cert_world):
    """R7.6: make a seal, see its uses page by page, revoke it with a reason
    (an empty reason changes nothing); a revoked seal no longer signs."""
    w = cert_world
    login(client, w.lx_admin)
    assert "还没有电子印章" in text(client.get(SEALS))
    bad = client.post(SEAL_NEW, {"agency": w.lx_scj.pk, "name": "", "years": "20"})
    assert bad.status_code == 400 and "有效期不超过10年" in text(bad)
    assert not Seal.objects.exists()
    response = client.post(SEAL_NEW, {"agency": w.lx_scj.pk, "name": "证照专用章", "years": "2"})
    seal = Seal.objects.get(agency=w.lx_scj)
    assert response["Location"] == reverse("console:certificates:seal", args=[seal.pk])
    assert seal.algorithm == "SM2" and seal.name == "证照专用章"
    page = text(client.get(response["Location"]))
    assert "这枚印章还没有使用过" in page and "SM2" in page
    cert = issued(w)
    assert cert.seal_id == seal.pk
    uses = text(client.get(response["Location"]))
    assert f"签发电子证照 {cert.identifier}" in uses and cert.number in uses
    revoke = reverse("console:certificates:seal_revoke", args=[seal.pk])
    bad = client.post(revoke, {"reason": "  "})
    assert bad.status_code == 400 and "请填写原因" in text(bad)
    assert Seal.objects.get(pk=seal.pk).revoked_at is None
    client.post(revoke, {"reason": "密钥介质遗失"})
    seal.refresh_from_db()
    assert seal.revoked_at is not None and seal.revoked_reason == "密钥介质遗失"
    assert "已吊销" in text(client.get(SEALS))
    again = client.post(revoke, {"reason": "再次"})
    assert again.status_code == 400 and "电子印章已吊销" in text(again)
    # the next certificate is signed with a new seal the platform makes
    assert issued(w).seal_id != seal.pk


def test_seal_uses_are_paginated(client, cert_world):
    """R7.6: the log of uses shows 20 a page."""
    w = cert_world
    seal = services.seal_create(actor=fresh(w.lx_admin), agency=w.lx_scj)
    for n in range(23):
        services.seal_sign(actor=fresh(w.clerk), seal=seal, data=b"x%d" % n, purpose=f"用章{n}")
    login(client, w.lx_admin)
    url = reverse("console:certificates:seal", args=[seal.pk])
    first, second = text(client.get(url)), text(client.get(url + "?page=2"))
    assert "第 1 / 2 页，共 23 条" in first and "用章22" in first and "用章0<" not in first
    assert "用章0<" in second
    assert SealUse.objects.filter(seal=seal).count() == 23


# --- certificates (R7.3) ---------------------------------------------------------------------


def _issue_post(w: Any, **kw: Any) -> dict[str, Any]:
    data = {
        "agency": w.lx_scj.pk,
        "type": w.food_type.pk,
        "holder_name": "张伟",
        "holder_code": w.applicant.id_number,
        "f_applicant_name": "张伟小吃店",
        "f_address": "无锡市梁溪区中山路1号",
        "f_area": "45.5",
    }
    data.update(kw)
    return data


def test_issue_by_hand_validates_in_chinese_then_issues(client, cert_world):
    """R7.3: the type's fields come from its schema; a missing required
    field, a wrong ID number or a bad date are refused in Chinese and nothing
    is issued; a good form issues a signed certificate."""
    w = cert_world
    login(client, w.clerk)
    chooser = text(client.get(ISSUE))
    assert "选择证照类型" in chooser and "食品经营许可证" in chooser
    form = text(client.get(f"{ISSUE}?type={w.food_type.pk}"))
    assert "经营者名称" in form and "经营场所" in form and "公民身份号码" in form
    bad = client.post(ISSUE, _issue_post(w, f_address="", f_area="很大"))
    body = text(bad)
    assert (
        bad.status_code == 400
        and "请填写“经营场所”" in body
        and "“经营面积（平方米）”格式不正确" in body
    )
    wrong_id = w.applicant.id_number[:-1] + ("0" if w.applicant.id_number[-1] != "0" else "1")
    bad = client.post(ISSUE, _issue_post(w, holder_code=wrong_id))
    assert bad.status_code == 400 and "校验" in text(bad)
    bad = client.post(ISSUE, _issue_post(w, valid_from="2026-05-01", valid_to="2026-04-01"))
    assert "有效期截止日期早于起始日期" in text(bad)
    assert not Certificate.objects.exists()
    response = client.post(ISSUE, _issue_post(w))
    cert = Certificate.objects.get()
    assert response.status_code == 302 and response["Location"] == page_of(cert)
    assert cert.source == "manual" and cert.issuer_id == w.lx_scj.pk
    assert cert.data == {
        "applicant_name": "张伟小吃店",
        "address": "无锡市梁溪区中山路1号",
        "area": 45.5,
    }
    assert cert.holder == w.applicant.user and cert.signature
    page = text(client.get(page_of(cert)))
    assert cert.identifier in page and "张*" in page and w.applicant.id_number not in page
    assert "手工签发" in page and "经营面积（平方米）" in page
    pdf = client.get(reverse("console:certificates:pdf", args=[cert.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_list_search_filters_and_masks(client, cert_world):
    """R7.3, R7.5: search by identifier, number, holder name or ID number,
    filter by status; a person holder is masked for a clerk."""
    w = cert_world
    mine = issued(w)
    other_id = make_resident_id("320211", dt.date(1980, 1, 2), 41)
    other = issued(w, holder_name="周敏", holder_code=other_id)
    services.certificate_status_change(
        actor=fresh(w.head), certificate_id=other.pk, status="suspended", reason="整改"
    )
    login(client, w.clerk)
    listing = text(client.get(LIST))
    assert mine.number in listing and other.number in listing
    assert "周*" in listing and other_id not in listing
    for q in (mine.identifier, mine.number, "张伟", w.applicant.id_number):
        body = text(client.get(LIST, {"q": q}))
        assert mine.number in body and other.number not in body, q
    body = text(client.get(LIST, {"status": "suspended"}))
    assert other.number in body and mine.number not in body
    assert "没有符合条件的电子证照" in text(client.get(LIST, {"q": "查无此人"}))


def test_status_change_needs_a_reason_and_an_allowed_step(client, cert_world):
    """R7.3: suspend → restore → withdraw, each with a reason and a history
    row; no reason or a step the rules forbid changes nothing."""
    w = cert_world
    cert = issued(w)
    login(client, w.head)
    url = reverse("console:certificates:status", args=[cert.pk])
    page = text(client.get(page_of(cert)))
    assert "变更状态" in page and 'value="suspended"' in page and 'value="valid"' not in page
    bad = client.post(url, {"status": "suspended", "reason": ""})
    assert bad.status_code == 400 and "请填写原因" in text(bad)
    assert Certificate.objects.get(pk=cert.pk).status == "valid"
    client.post(url, {"status": "suspended", "reason": "责令整改"})
    assert Certificate.objects.get(pk=cert.pk).status == "suspended"
    assert '<option value="valid">恢复有效</option>' in text(client.get(page_of(cert)))
    client.post(url, {"status": "valid", "reason": "整改完成"})
    response = client.post(url, {"status": "withdrawn", "reason": "以欺骗手段取得"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "withdrawn" and cert.status_reason == "以欺骗手段取得"
    steps = list(
        CertificateStatusChange.objects.filter(certificate=cert).values_list("to_status", flat=True)
    )
    assert steps == ["valid", "suspended", "valid", "withdrawn"]
    bad = client.post(url, {"status": "valid", "reason": "想恢复"})
    assert bad.status_code == 400 and Certificate.objects.get(pk=cert.pk).status == "withdrawn"
    page = text(client.get(page_of(cert)))
    assert "以欺骗手段取得" in page and "确认变更" not in page


def test_renewal_makes_a_new_version(client, cert_world):
    """R7.3: 换发 needs a reason; it makes version 2 with the changed face,
    linked to version 1, which becomes 失效."""
    w = cert_world
    cert = issued(w)
    login(client, w.clerk)
    url = reverse("console:certificates:renew", args=[cert.pk])
    form = text(client.get(url))
    assert "换发或变更事由" in form and "无锡市梁溪区中山路1号" in form
    bad = client.post(url, {"reason": "", "f_applicant_name": "张伟小吃店", "f_address": "新址"})
    assert bad.status_code == 400 and "请填写换发或变更事由" in text(bad)
    assert Certificate.objects.count() == 1
    response = client.post(
        url,
        {"reason": "经营场所变更", "f_applicant_name": "张伟小吃店", "f_address": "梁溪区新址9号"},
    )
    new = Certificate.objects.get(previous=cert)
    assert response["Location"] == page_of(new)
    assert new.version == 2 and new.data["address"] == "梁溪区新址9号"
    assert Certificate.objects.get(pk=cert.pk).status == "expired"
    page = text(client.get(page_of(cert)))
    assert "已换发为" in page and "换发或变更</a>" not in page


# --- Excel import (R7.3) ------------------------------------------------------------------


def _workbook(w: Any, rows: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "存量证照"
    ws.append(["证照类型代码", "证照编号", "持证主体", "持证主体代码类型", "持证主体代码",
               "颁证日期", "有效期起始", "有效期截止", "经营者名称", "经营场所"])  # fmt: skip
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "存量证照.xlsx"
    return out


def test_excel_import_dry_run_then_confirm(client, cert_world):
    """R7.3: the dry run lists every bad row and column and imports nothing;
    a clean workbook is imported only on confirmation, all rows at once."""
    w = cert_world
    login(client, w.clerk)
    assert "上传工作簿并预检" in text(client.get(IMPORT))
    good = [w.food_type.code, "JY13202130001", "张伟", "111", w.applicant.id_number,
            "2022-03-01", None, "2027-02-28", "张伟小吃店", "梁溪区中山路1号"]  # fmt: skip
    bad = [w.food_type.code, "JY13202130002", "李四", "002", "", "2022-13-01", None, None, "", ""]
    client.post(
        IMPORT, {"action": "upload", "agency": w.lx_scj.pk, "file": _workbook(w, [good, bad])}
    )
    page = text(client.get(IMPORT))
    assert "发现" in page and "未导入任何证照" in page
    assert "D（持证主体代码类型）" in page and "F（颁证日期）" in page and "第 3 行" in page
    assert 'value="confirm"' not in page
    assert not Certificate.objects.exists()
    token = client.session["certificates_import"]["token"]
    response = client.post(IMPORT, {"action": "confirm", "token": token}, follow=True)
    assert not Certificate.objects.exists()  # a report with errors cannot be confirmed
    client.post(IMPORT, {"action": "upload", "agency": w.lx_scj.pk, "file": _workbook(w, [good])})
    page = text(client.get(IMPORT))
    assert "预检通过，可以导入 1 本证照" in page and 'value="confirm"' in page
    assert not Certificate.objects.exists()
    token = client.session["certificates_import"]["token"]
    response = client.post(IMPORT, {"action": "confirm", "token": "wrong"}, follow=True)
    assert "没有待导入的文件" in text(response) and not Certificate.objects.exists()
    response = client.post(IMPORT, {"action": "confirm", "token": token}, follow=True)
    assert "导入完成，共 1 本证照" in text(response)
    cert = Certificate.objects.get()
    assert cert.source == "import" and cert.number == "JY13202130001"
    assert "certificates_import" not in client.session
    not_excel = io.BytesIO(b"plain text")
    not_excel.name = "a.xlsx"
    response = client.post(
        IMPORT, {"action": "upload", "agency": w.lx_scj.pk, "file": not_excel}, follow=True
    )
    assert "certificates_import" not in client.session and Certificate.objects.count() == 1


def test_import_template_has_the_type_columns(client, cert_world):
    """R7.3: the template carries the fixed columns and the type's fields."""
    w = cert_world
    login(client, w.clerk)
    response = client.get(reverse("console:certificates:import_template"), {"type": w.food_type.pk})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [c.value for c in wb.active[1]]
    assert header[:2] == ["证照类型代码", "证照编号"] and "经营场所" in header


def test_list_queries_do_not_grow_with_rows(client, cert_world):
    """R7.3: the list is one scoped query for the rows (plus the count),
    however many certificates the page shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cert_world
    issued(w)
    login(client, w.clerk)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    issued(w, holder_name="周敏", holder_code=make_resident_id("320211", dt.date(1980, 1, 2), 41))
    issued(w, holder_name="吴刚", holder_code=make_resident_id("320211", dt.date(1981, 3, 4), 43))
    with CaptureQueriesContext(connection) as three:
        body = text(client.get(LIST))
    assert body.count("data-identifier=") == 3
    assert len(three.captured_queries) == len(one.captured_queries)
