"""The commands ``yiwang catalog_import`` and ``yiwang catalog_export``
(issue 3 item 8; R3.2, R3.5)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from yiwang.domains.catalog import excel_layout as layout
from yiwang.domains.catalog.models import CatalogEntry, ServiceItem, VersionStatus
from yiwang.domains.catalog.tests.conftest import publish_item
from yiwang.domains.catalog.tests.test_excel_import import entry_record, table_counts, workbook


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    err = io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_dry_run_then_import_as_a_staff_member(catalog_city, tmp_path):
    """R3.2, R3.5: --dry-run checks and writes nothing; without it the
    workbook is imported as the named staff member, into the review path."""
    city = catalog_city
    path = tmp_path / "entries.xlsx"
    path.write_bytes(workbook({layout.ENTRY_SHEET: [entry_record(city)]}))
    before = table_counts()
    code, out = _run("catalog_import", str(path), "--dry-run", "--actor-login", "cat_city_editor")
    assert code == 0
    assert "预检通过" in out and "基本目录：新增 1" in out
    assert table_counts() == before

    code, out = _run("catalog_import", str(path), "--actor-login", "cat_city_editor")
    assert code == 0 and "导入完成" in out
    entry = CatalogEntry.objects.get(basic_code="010130001000")
    assert entry.versions.get().status == VersionStatus.SUBMITTED


def test_errors_are_listed_and_the_status_is_1(catalog_city, tmp_path):
    """R3.2: each problem on its own line with sheet, row and column."""
    city = catalog_city
    good = city.city_scj.credit_code
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        workbook(
            {
                layout.ENTRY_SHEET: [
                    entry_record(city),
                    entry_record(city, "010130002000", owner=bad),
                ]
            }
        )
    )
    before = table_counts()
    code, out = _run("catalog_import", str(path), "--actor-login", "cat_city_editor")
    assert code == 1
    assert "“基本目录”第3行 F（编制部门统一社会信用代码）列：" in out
    assert "发现 1 个问题，未导入任何数据" in out
    assert table_counts() == before


def test_import_refuses_without_an_actor_or_a_workbook(catalog_city, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="--actor-login"):
        call_command("catalog_import", str(path))
    with pytest.raises(CommandError, match="没有登录名为 nobody"):
        call_command("catalog_import", str(path), "--actor-login", "nobody")
    with pytest.raises(CommandError, match="不是有效的 Excel"):
        call_command("catalog_import", str(path), "--actor-login", "cat_city_editor")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("catalog_import", str(tmp_path / "none.xlsx"), "--as-system")


def test_export_the_whole_catalogue_and_one_division(catalog_city, tmp_path):
    """R3.2: the export writes the published catalogue; --division limits it
    to a subtree; an unknown division is refused; the file imports back
    unchanged."""
    item = publish_item(city=catalog_city)
    path = tmp_path / "all.xlsx"
    code, out = _run("catalog_export", str(path))
    assert code == 0 and "已导出" in out
    raw = layout.read_workbook(path.read_bytes())
    assert [r.values["implementation_code"] for r in raw.rows(layout.ITEM_SHEET)] == [
        item.implementation_code
    ]
    sub = tmp_path / "jy.xlsx"
    _run("catalog_export", str(sub), "--division", "320281")
    assert layout.read_workbook(sub.read_bytes()).rows(layout.ITEM_SHEET) == []
    with pytest.raises(CommandError, match="行政区划 999999 不存在"):
        call_command("catalog_export", str(tmp_path / "x.xlsx"), "--division", "999999")
    assert not (tmp_path / "x.xlsx").exists()

    before = table_counts()
    code, out = _run("catalog_import", str(path), "--as-system")
    assert code == 0 and "未变 1" in out
    assert table_counts() == before
    assert ServiceItem.objects.count() == 1


def test_export_template(db, tmp_path):
    path = tmp_path / "template.xlsx"
    code, _ = _run("catalog_export", str(path), "--template")
    assert code == 0
    raw = layout.read_workbook(path.read_bytes())
    assert raw.errors == [] and set(raw.sheets) == {s.name for s in layout.SHEETS}
