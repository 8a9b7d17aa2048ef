"""Browser: an editor uploads a workbook with one bad credit code, reads the
dry-run table (sheet, row, column, reason), fixes the file and imports it
(issue 3 item 8; R3.2, R3.5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yiwang.domains.catalog import excel_layout as layout
from yiwang.domains.catalog.models import CatalogEntry, VersionStatus
from yiwang.domains.catalog.tests.conftest import PASSWORD
from yiwang.domains.catalog.tests.test_excel_import import entry_record, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_upload_dry_run_fix_and_import(live_server, page, catalog_city, tmp_path):
    city = catalog_city
    good = city.city_scj.credit_code
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    wrong = tmp_path / "事项-有误.xlsx"
    wrong.write_bytes(
        workbook(
            {
                layout.ENTRY_SHEET: [
                    entry_record(city),
                    entry_record(city, "010130002000", owner=bad),
                ]
            }
        )
    )
    right = tmp_path / "事项.xlsx"
    right.write_bytes(workbook({layout.ENTRY_SHEET: [entry_record(city)]}))

    page.goto(live_server.url + "/console/login/?next=/console/catalog-excel/")
    page.get_by_label("登录名").fill("cat_city_editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/catalog-excel/")

    page.get_by_label("Excel 工作簿").set_input_files(str(wrong))
    page.get_by_role("button", name="上传并预检").click()
    row = page.locator("table.excel-errors tbody tr").first
    row.wait_for()
    assert row.inner_text().split("\t")[:3] == [
        "基本目录",
        "第 3 行",
        "F（编制部门统一社会信用代码）",
    ]
    assert "校验码错误" in row.inner_text()
    assert page.get_by_role("button", name="确认导入").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-catalog-excel-dry-run.png"), full_page=True)
    assert not CatalogEntry.objects.exists()

    page.get_by_label("Excel 工作簿").set_input_files(str(right))
    page.get_by_role("button", name="上传并预检").click()
    page.get_by_text("预检通过").wait_for()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入完成").wait_for()
    entry = CatalogEntry.objects.get(basic_code="010130001000")
    assert entry.versions.get().status == VersionStatus.SUBMITTED
