"""Excel bulk import of legacy certificates: the dry run names each bad
row and column; the real import is all or nothing (R7.3)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from yiwang.core.checkdigits import make_resident_id
from yiwang.core.errors import PermissionDenied
from yiwang.domains.certificates import selectors
from yiwang.domains.certificates.excel import certificate_import_template, certificates_import
from yiwang.domains.certificates.models import Certificate, SealUse
from yiwang.domains.certificates.tests.conftest import fresh

HEADER = [
    "证照类型代码",
    "证照编号",
    "持证主体",
    "持证主体代码类型",
    "持证主体代码",
    "颁证日期",
    "有效期起始",
    "有效期截止",
    "经营者名称",
    "经营场所",
]


def workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "存量证照"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_rows(w) -> list[list[object]]:
    stranger = make_resident_id("320211", dt.date(1975, 5, 5), 31)
    return [
        [w.food_type.code, "JY13202130001", "张伟", "111", w.applicant.id_number,
         dt.date(2022, 3, 1), None, dt.date(2027, 2, 28), "张伟", "梁溪区中山路1号"],
        [w.food_type.code, "JY13202130002", "周敏", "居民身份证", stranger,
         "2021-06-01", "2021-06-01", "2026-05-31", "周敏小吃店", "梁溪区解放路8号"],
    ]  # fmt: skip


def test_dry_run_names_bad_rows_and_columns_and_changes_nothing(cert_world):
    """R7.3: every problem at its row, column and reason; nothing written."""
    w = cert_world
    rows = good_rows(w)
    rows.append(["32000000000000000X999", "X1", "王五", "111", "320213199001011234",
                 "2022-13-01", None, None, "王五", ""])  # fmt: skip
    rows.append([w.food_type.code, "JY13202130001", "李四", "002", "", None, None, None, "", ""])
    report = certificates_import(actor=fresh(w.clerk), issuer=w.lx_scj, data=workbook(rows))
    assert not report.ok and report.rows == 4 and not report.applied
    found = {(e.row, e.column) for e in report.errors}
    assert (4, "A（证照类型代码）") in found
    assert (4, "F（颁证日期）") in found
    assert (5, "B（证照编号）") in found  # repeats row 2's number
    assert (5, "D（持证主体代码类型）") in found
    assert (5, "F（颁证日期）") in found
    assert all(e.row in (4, 5) for e in report.errors), report.errors
    texts = [str(e) for e in report.errors]
    assert any(t == "第 5 行 B（证照编号） 列：与第 2 行的证照编号重复" for t in texts), texts
    assert not Certificate.objects.exists()
    # a bad ID number and a missing face field are named at their columns
    rows = good_rows(w)
    rows[1][4] = rows[1][4][:-1] + ("0" if rows[1][4][-1] != "0" else "1")
    rows[0][9] = ""
    report = certificates_import(actor=fresh(w.clerk), issuer=w.lx_scj, data=workbook(rows))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(2, "J（经营场所）"), (3, "E（持证主体代码）")}, report.errors


def test_real_import_is_all_or_nothing(cert_world):
    """R7.3: one bad row and nothing is imported; all good and every row
    becomes a sealed certificate linked to its holder's account when known."""
    w = cert_world
    rows = [*good_rows(w), [w.food_type.code, "JY3", "坏行", "111", "123", None, None, None]]
    report = certificates_import(
        actor=fresh(w.clerk), issuer=w.lx_scj, data=workbook(rows), dry_run=False
    )
    assert not report.ok and not report.applied and report.identifiers == []
    assert not Certificate.objects.exists() and not SealUse.objects.exists()
    dry = certificates_import(actor=fresh(w.clerk), issuer=w.lx_scj, data=workbook(good_rows(w)))
    assert dry.ok and not Certificate.objects.exists()
    report = certificates_import(
        actor=fresh(w.clerk), issuer=w.lx_scj, data=workbook(good_rows(w)), dry_run=False
    )
    assert report.ok and report.applied and len(report.identifiers) == 2, report.errors
    mine = Certificate.objects.get(number="JY13202130001")
    assert mine.source == "import" and mine.holder == w.applicant.user
    assert mine.valid_to == dt.date(2027, 2, 28) and mine.data["address"] == "梁溪区中山路1号"
    other = Certificate.objects.get(number="JY13202130002")
    assert other.holder is None and other.status == "valid"
    assert selectors.certificate_verify(other.identifier).authentic
    assert [c.number for c in selectors.valid_certificates_of(w.applicant)] == ["JY13202130001"]
    # importing the same workbook again: the numbers exist already
    again = certificates_import(actor=fresh(w.clerk), issuer=w.lx_scj, data=workbook(good_rows(w)))
    assert {e.column for e in again.errors} == {"B（证照编号）"}


def test_import_needs_the_issue_permission_and_a_workbook(cert_world):
    w = cert_world
    with pytest.raises(PermissionDenied):
        certificates_import(actor=fresh(w.reviewer), issuer=w.lx_scj, data=workbook([]))
    report = certificates_import(actor=fresh(w.clerk), issuer=w.lx_scj, data=b"not excel")
    assert not report.ok and report.errors[0].row == 0
    template = certificate_import_template(w.food_type)
    report = certificates_import(actor=fresh(w.clerk), issuer=w.lx_scj, data=template)
    assert {e.row for e in report.errors} == {2}  # the example row lacks its values
