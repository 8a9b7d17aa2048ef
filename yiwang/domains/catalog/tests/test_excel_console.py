"""The console page of the Excel import and export (issue 3 item 8; R3.2,
R3.5; staff with catalog.edit or catalog.review only, R2.2): upload → dry
run table by sheet, row and column → confirm; export download."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from yiwang.domains.catalog import excel_layout as layout
from yiwang.domains.catalog.models import CatalogEntry, ServiceItem, VersionStatus
from yiwang.domains.catalog.tests.conftest import make_staff, publish_item
from yiwang.domains.catalog.tests.test_excel_import import (
    entry_record,
    item_parts,
    table_counts,
    workbook,
)

PAGE = reverse("console:catalog_excel")
EXPORT = reverse("console:catalog_excel_export")


def _text(response) -> str:
    return response.content.decode()


def _upload(client, data: bytes, name: str = "事项.xlsx", **extra):
    return client.post(
        PAGE, {"action": "upload", "file": SimpleUploadedFile(name, data), **extra}, follow=True
    )


@pytest.fixture
def editor_client(client, catalog_city):
    client.force_login(catalog_city.city_editor.user)
    client.city = catalog_city
    return client


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert reverse("console:login") in response["Location"]


def test_staff_without_catalogue_rights_are_refused(client, catalog_city):
    """R2.2: a window clerk may neither import nor export the catalogue."""
    clerk = make_staff(catalog_city.city_scj, "excel_clerk", ["clerk"], "华志强")
    client.force_login(clerk.user)
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_page_shows_upload_and_export(editor_client):
    page = _text(editor_client.get(PAGE))
    assert "上传并预检" in page and "导出 Excel" in page and "下载空白模板" in page
    assert "不超过 10MB" in page
    # An editor cannot publish: no such box.
    assert 'name="publish"' not in page


def test_a_file_that_is_not_a_workbook_is_refused(editor_client):
    before = table_counts()
    page = _text(_upload(editor_client, "基本编码,事项名称\n".encode(), "假的.xlsx"))
    assert "文件不是有效的 Excel 工作簿" in page
    # A zip that is not a workbook (no [Content_Types].xml) is refused too.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "文件不是有效的 Excel 工作簿" in _text(_upload(editor_client, buf.getvalue()))
    assert "请选择要导入的 Excel 工作簿" in _text(
        editor_client.post(PAGE, {"action": "upload"}, follow=True)
    )
    assert table_counts() == before


def test_a_file_over_10_mb_is_refused(editor_client):
    data = b"PK\x03\x04" + b"0" * (10 * 1024 * 1024)
    assert "文件超过10MB" in _text(_upload(editor_client, data))


def test_bad_workbook_shows_every_problem_and_no_confirm(editor_client):
    """R3.2: the dry run lists each problem with sheet, row and column; no
    confirm button; nothing written."""
    city = editor_client.city
    good = city.city_scj.credit_code
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = workbook(
        {
            layout.ENTRY_SHEET: [
                entry_record(city),
                entry_record(city, "010130002000", name="食品生产许可", owner=bad),
            ]
        }
    )
    before = table_counts()
    page = _text(_upload(editor_client, data))
    assert "发现 1 个问题" in page
    assert "<td>基本目录</td>" in page and "第 3 行" in page
    assert "F（编制部门统一社会信用代码）" in page and "校验码错误" in page
    assert 'value="confirm"' not in page
    assert table_counts() == before
    # Closing the result removes the stored upload.
    token = editor_client.session["catalog_excel"]["token"]
    editor_client.post(PAGE, {"action": "discard"})
    assert "catalog_excel" not in editor_client.session
    assert not default_storage.exists(f"catalog_imports/{city.city_editor.pk}-{token}.xlsx")


def test_a_long_report_is_paginated(editor_client):
    city = editor_client.city
    rows = [entry_record(city, f"X{n:011d}", item_type="不存在的类型") for n in range(60)]
    _upload(editor_client, workbook({layout.ENTRY_SHEET: rows}))
    first = _text(editor_client.get(PAGE))
    assert "问题清单（共 60 个）" in first
    assert "第 1 / 2 页" in first
    assert first.count("不是平台中的事项类型") == 50
    second = _text(editor_client.get(PAGE + "?page=2"))
    assert second.count("不是平台中的事项类型") == 10
    assert "第 61 行" in second


def test_good_workbook_dry_run_then_confirm(editor_client):
    """R3.2, R3.5: a clean dry run shows the counts and a confirm button;
    confirming imports the checked file, as submitted drafts."""
    city = editor_client.city
    data = workbook({layout.ENTRY_SHEET: [entry_record(city)]})
    before = table_counts()
    page = _text(_upload(editor_client, data))
    assert "预检通过" in page and 'value="confirm"' in page
    assert table_counts() == before
    token = editor_client.session["catalog_excel"]["token"]

    wrong = editor_client.post(PAGE, {"action": "confirm", "token": "x"}, follow=True)
    assert "请重新上传" in _text(wrong)
    assert table_counts() == before

    done = _text(editor_client.post(PAGE, {"action": "confirm", "token": token}, follow=True))
    assert "导入完成" in done and "已提交审核" in done
    entry = CatalogEntry.objects.get(basic_code="010130001000")
    assert entry.versions.get().status == VersionStatus.SUBMITTED
    assert "catalog_excel" not in editor_client.session
    assert not default_storage.exists(f"catalog_imports/{city.city_editor.pk}-{token}.xlsx")


def test_items_import_by_the_agencys_editor(client, catalog_city):
    """R3.5: 梁溪区's editor re-imports 梁溪区's published list unchanged: the
    dry run says so and confirming writes nothing."""
    city = catalog_city
    item = publish_item(city=city)
    client.force_login(city.lx_editor.user)
    data = workbook(item_parts(city.lx_scj, city.lx, item.entry.basic_code))
    page = _text(_upload(client, data))
    assert "预检通过" in page and "实施清单：新增 0，修改 0，未变 1" in page
    before = table_counts()
    token = client.session["catalog_excel"]["token"]
    client.post(PAGE, {"action": "confirm", "token": token})
    assert table_counts() == before
    assert item.versions.count() == 1


def test_export_download_and_template(editor_client):
    """R3.2: the export is a workbook in the import layout with the published
    items; the template has the headers only."""
    item = publish_item(city=editor_client.city)
    response = editor_client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book["实施清单"].iter_rows(values_only=True))
    assert rows[0][0] == "实施编码"
    assert rows[1][0] == item.implementation_code
    book.close()

    subtree = editor_client.get(EXPORT, {"division": "320281"})
    data = b"".join(subtree.streaming_content)
    raw = layout.read_workbook(data)
    assert raw.rows(layout.ITEM_SHEET) == []

    template = editor_client.get(EXPORT, {"template": "1"})
    raw = layout.read_workbook(b"".join(template.streaming_content))
    assert raw.errors == [] and all(not rs.rows for rs in raw.sheets.values())

    unknown = editor_client.get(EXPORT, {"division": "999999"}, follow=True)
    assert "行政区划 999999 不存在" in _text(unknown)
    assert ServiceItem.objects.count() == 1


def test_abandoned_uploads_are_swept(editor_client, settings):
    """Uploads nobody confirmed or discarded are removed after a day."""
    import os
    import time

    from django.core.files.base import ContentFile

    stale = default_storage.save("catalog_imports/999-old.xlsx", ContentFile(b"x"))
    fresh = default_storage.save("catalog_imports/999-new.xlsx", ContentFile(b"x"))
    old = time.time() - 25 * 3600
    os.utime(default_storage.path(stale), (old, old))
    city = editor_client.city
    _upload(editor_client, workbook({layout.ENTRY_SHEET: [entry_record(city)]}))
    assert not default_storage.exists(stale)
    assert default_storage.exists(fresh)
