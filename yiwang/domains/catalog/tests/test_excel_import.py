"""Excel import and export of the catalogue through the services (issue 3
item 8; R3.2, R3.3, R3.5): a dry run names every bad cell and changes
nothing, a real import is all or nothing, and export → import round-trips."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from openpyxl import load_workbook

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.core.models import AuditEntry
from yiwang.domains.catalog import excel_layout as layout
from yiwang.domains.catalog.excel import (
    ImportReport,
    catalog_workbook_export,
    catalog_workbook_import,
    catalog_workbook_records,
    catalog_workbook_template,
)
from yiwang.domains.catalog.models import (
    CatalogEntry,
    CatalogEntryVersion,
    ItemVersion,
    ServiceItem,
    VersionStatus,
)
from yiwang.domains.catalog.selectors import guide_doc_of
from yiwang.domains.catalog.tests.conftest import full_guide, publish_entry, publish_item

LAW = [
    {
        "title": "中华人民共和国食品安全法",
        "article": "第三十五条",
        "text": "国家对食品生产经营实行许可制度。",
    }
]


def table_counts() -> dict[str, int]:
    """Rows in every catalogue table and the audit log."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("catalog").get_models()}
    counts["core.AuditEntry"] = AuditEntry.objects.count()
    return counts


def entry_record(city, code: str = "010130001000", **over: Any) -> dict[str, Any]:
    record = {
        "basic_code": code,
        "name": "食品经营许可",
        "item_type": "行政许可",
        "legal_basis": LAW,
        "exercise_levels": ["city", "county"],
        "owner": city.city_scj.credit_code,
    }
    record.update(over)
    return record


def item_parts(
    agency, division, basic_code: str = "010130001000", guide=None, **fields: Any
) -> dict[str, list[dict[str, Any]]]:
    key = {"basic_code": basic_code, "agency": agency.credit_code}
    if "implementation_code" in fields:
        key["implementation_code"] = fields.pop("implementation_code")
    return layout.item_records(
        key,
        guide if guide is not None else full_guide(),
        fields={"division": division.code, **fields},
        role_names={"clerk": "窗口受理人员"},
    )


def workbook(*parts: dict[str, list[dict[str, Any]]]) -> bytes:
    return layout.write_workbook(layout.merge_records(*parts))


def cities_workbook(city) -> bytes:
    """One entry implemented by 梁溪区 and 滨湖区 market regulators."""
    return workbook(
        {layout.ENTRY_SHEET: [entry_record(city)]},
        item_parts(city.lx_scj, city.lx),
        item_parts(city.bh_scj, city.bh),
    )


# --- the acceptance -------------------------------------------------------------------


def test_one_bad_credit_code_is_named_and_nothing_changes(catalog_city):
    """R3.2, R3.5 (acceptance): a workbook with one bad row — an invalid
    credit code — is named by row and column in the dry run; the real import
    of it changes nothing (every catalogue table and the audit log)."""
    city = catalog_city
    good = city.city_gaj.credit_code
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = workbook(
        {
            layout.ENTRY_SHEET: [
                entry_record(city),
                entry_record(city, "010130002000", name="食品生产许可", owner=bad),
            ]
        },
        item_parts(city.lx_scj, city.lx),
    )
    before = table_counts()
    report = catalog_workbook_import(actor=SYSTEM, data=data, dry_run=True)
    assert not report.ok and not report.applied
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        ("基本目录", 3, "F（编制部门统一社会信用代码）")
    ]
    assert "校验码错误" in report.errors[0].reason
    assert str(report.errors[0]).startswith("“基本目录”第3行 F（编制部门统一社会信用代码）列：")
    assert "发现 1 个问题" in report.summary()
    assert table_counts() == before

    real = catalog_workbook_import(actor=SYSTEM, data=data, dry_run=False)
    assert not real.applied
    assert real.errors == report.errors
    assert table_counts() == before
    assert not CatalogEntry.objects.filter(basic_code="010130001000").exists()


def test_a_bad_credit_code_on_an_item_row_is_the_only_error(catalog_city):
    """R3.2: an item row with a bad credit code whose child rows name it by
    实施编码 gives that one error, not a cascade."""
    city = catalog_city
    code = city.bh_scj.credit_code + "0101300010000"
    parts = item_parts(city.bh_scj, city.bh, implementation_code=code)
    for sheet, rows in parts.items():
        for row in rows:
            row.pop("agency")
            row.pop("basic_code") if sheet != layout.ITEM_SHEET else None
    good = city.bh_scj.credit_code
    parts[layout.ITEM_SHEET][0]["agency"] = good[:5] + "I" + good[6:]
    data = workbook({layout.ENTRY_SHEET: [entry_record(city)]}, parts)
    report = catalog_workbook_import(actor=SYSTEM, data=data)
    assert [(e.sheet, e.row, e.letter) for e in report.errors] == [("实施清单", 2, "D")]
    assert "不使用I、O、S、V、Z" in report.errors[0].reason


# --- what a good import does -------------------------------------------------------------


def test_dry_run_counts_and_changes_nothing(catalog_city):
    """R3.2: the dry run says what would be created and writes nothing."""
    before = table_counts()
    report = catalog_workbook_import(actor=SYSTEM, data=cities_workbook(catalog_city))
    assert report.ok, [str(e) for e in report.errors]
    assert report.dry_run and not report.applied
    assert report.count(layout.ENTRY_SHEET, "created") == 1
    assert report.count(layout.ITEM_SHEET, "created") == 2
    assert report.count(layout.MATERIAL_SHEET, "rows") == 6
    assert "预检通过" in report.summary()
    assert table_counts() == before


def test_import_as_editor_makes_submitted_drafts(catalog_city):
    """R3.5: an import takes the review path — entries and items become draft
    versions that are submitted, not published; each row is audited."""
    city = catalog_city
    data = workbook({layout.ENTRY_SHEET: [entry_record(city)]})
    report = catalog_workbook_import(actor=city.city_editor, data=data, dry_run=False)
    assert report.applied, [str(e) for e in report.errors]
    entry = CatalogEntry.objects.get(basic_code="010130001000")
    version = entry.versions.get()
    assert version.status == VersionStatus.SUBMITTED
    assert entry.current_id is None
    assert version.legal_basis[0]["title"] == "中华人民共和国食品安全法"
    assert version.exercise_levels == ["city", "county"]

    lx = catalog_workbook_import(
        actor=city.lx_editor, data=workbook(item_parts(city.lx_scj, city.lx)), dry_run=False
    )
    assert lx.applied, [str(e) for e in lx.errors]
    item = ServiceItem.objects.get(agency=city.lx_scj)
    assert item.implementation_code.startswith(city.lx_scj.credit_code)
    v = item.versions.get()
    assert v.status == VersionStatus.SUBMITTED
    assert item.current_id is None
    doc = guide_doc_of(v)
    want = full_guide()
    for key in ("acceptance_conditions", "promised_limit", "delivery_ways", "mobile_url"):
        assert doc[key] == want[key]
    assert [m["code"] for m in doc["materials"]] == ["application", "licence", "layout"]
    assert doc["materials"][2]["variant"] == "first"
    assert doc["variants"][0]["form_schema"] == want["variants"][0]["form_schema"]
    assert [s["role_code"] for s in doc["steps"]] == [
        "clerk",
        "reviewer",
        "reviewer",
        "approver",
        "clerk",
    ]
    assert audit_verify().ok


def test_publish_needs_the_flag_and_publishes_everything(catalog_city):
    """R3.5: with publish=True an actor who may review, legal-review and
    publish takes entries and items all the way to published."""
    report = catalog_workbook_import(
        actor=SYSTEM, data=cities_workbook(catalog_city), dry_run=False, publish=True
    )
    assert report.applied, [str(e) for e in report.errors]
    entry = CatalogEntry.objects.get(basic_code="010130001000")
    assert entry.current.status == VersionStatus.PUBLISHED
    items = list(ServiceItem.objects.filter(entry=entry))
    assert len(items) == 2
    assert all(i.current and i.current.status == VersionStatus.PUBLISHED for i in items)
    assert all(i.search_name == "食品经营许可" for i in items)
    assert audit_verify().ok


def test_publish_refused_without_the_permissions(catalog_city):
    """R3.5: an editor cannot publish by importing: the centre's review is
    not skipped; the refusal is named at the row and nothing is written."""
    city = catalog_city
    before = table_counts()
    report = catalog_workbook_import(
        actor=city.city_editor,
        data=workbook({layout.ENTRY_SHEET: [entry_record(city)]}),
        dry_run=False,
        publish=True,
    )
    assert not report.applied
    assert [(e.sheet, e.row) for e in report.errors] == [(layout.ENTRY_SHEET, 2)]
    assert "审核" in report.errors[0].reason
    assert table_counts() == before


# --- all or nothing -------------------------------------------------------------------


def test_a_failure_in_the_middle_rolls_everything_back(catalog_city):
    """R3.5: all or nothing. The second of three items fails inside the
    services (梁溪区's editor may not write 滨湖区's list) after the first was
    written and before the third; the whole import is rolled back — every
    catalogue table and the audit log are as before — and the failing row is
    named."""
    city = catalog_city
    first = publish_entry(city, basic_code="010130001000")
    second = publish_entry(city, basic_code="010130002000", name="食品生产许可")
    before = table_counts()
    data = workbook(
        item_parts(city.lx_scj, city.lx, first.basic_code),
        item_parts(city.bh_scj, city.bh, first.basic_code),
        item_parts(city.lx_scj, city.lx, second.basic_code, name="食品生产许可"),
    )
    seen: list[tuple[str, int]] = []
    report = catalog_workbook_import(
        actor=city.lx_editor,
        data=data,
        dry_run=False,
        on_row=lambda sheet, row: seen.append((sheet, row)),
    )
    assert seen == [(layout.ITEM_SHEET, 2), (layout.ITEM_SHEET, 3), (layout.ITEM_SHEET, 4)]
    assert not report.applied
    assert [(e.sheet, e.row) for e in report.errors] == [(layout.ITEM_SHEET, 3)]
    assert "无锡市滨湖区市场监督管理局" in report.errors[0].reason
    assert report.count(layout.ITEM_SHEET, "created") == 2
    assert table_counts() == before
    assert audit_verify().ok


def test_an_unexpected_exception_rolls_back_too(catalog_city):
    """R3.5: whatever breaks mid-way — here the progress callback raises
    after the first entry was written — nothing stays."""
    city = catalog_city
    before = table_counts()
    data = workbook(
        {
            layout.ENTRY_SHEET: [
                entry_record(city, "010130001000"),
                entry_record(city, "010130002000", name="食品生产许可"),
            ]
        }
    )

    def boom(sheet: str, row: int) -> None:
        if row == 3:
            raise RuntimeError("磁盘已满")

    with pytest.raises(RuntimeError):
        catalog_workbook_import(actor=SYSTEM, data=data, dry_run=False, on_row=boom)
    assert table_counts() == before


# --- service-level problems in the dry run ----------------------------------------------


def test_dry_run_reports_what_the_services_refuse(catalog_city):
    """R3.2, R3.3: rules only the services know — a division outside the
    agency's, a promised limit above the statutory one, a step longer than
    the promise — are reported at their cells in the dry run."""
    city = catalog_city
    entry = publish_entry(city, basic_code="010130001000")
    guide = full_guide(promised_limit=30)
    data = workbook(
        item_parts(city.bh_scj, city.lx, entry.basic_code),  # 滨湖区's agency in 梁溪区
        item_parts(city.lx_scj, city.lx, entry.basic_code, guide=guide),
    )
    report = catalog_workbook_import(actor=SYSTEM, data=data)
    where = {(e.sheet, e.row, e.header) for e in report.errors}
    assert (layout.ITEM_SHEET, 2, "实施区划代码") in where
    assert (layout.ITEM_SHEET, 3, "承诺办结时限") in where
    assert not report.applied


def test_duplicate_implementation_in_database_is_an_update(catalog_city):
    """R3.5: a row for an item already in the database (same entry, agency
    and division) revises it: a new draft with the changes, submitted, the
    published version untouched; an unchanged row changes nothing."""
    city = catalog_city
    item = publish_item(city=city)
    published = item.current
    key = {
        "implementation_code": item.implementation_code,
        "basic_code": item.entry.basic_code,
        "agency": item.agency.credit_code,
    }
    same = layout.item_records(
        key, full_guide(), fields={"division": item.division.code}, role_names={}
    )
    before = table_counts()
    report = catalog_workbook_import(actor=city.lx_editor, data=workbook(same), dry_run=False)
    assert report.applied, [str(e) for e in report.errors]
    assert report.count(layout.ITEM_SHEET, "unchanged") == 1
    assert table_counts() == before

    changed = layout.item_records(
        key,
        full_guide(hours="周一至周六 9:00-17:00"),
        fields={"division": item.division.code},
    )
    refused = catalog_workbook_import(actor=city.lx_editor, data=workbook(changed), dry_run=True)
    assert [e.header for e in refused.errors] == ["变更理由"]
    changed[layout.ITEM_SHEET][0]["reason"] = "调整办理时间"
    report = catalog_workbook_import(actor=city.lx_editor, data=workbook(changed), dry_run=False)
    assert report.applied, [str(e) for e in report.errors]
    assert report.count(layout.ITEM_SHEET, "updated") == 1
    item.refresh_from_db()
    assert item.current_id == published.pk
    draft = item.versions.get(number=2)
    assert draft.status == VersionStatus.SUBMITTED
    assert draft.hours == "周一至周六 9:00-17:00"
    assert draft.change_reason == "调整办理时间"
    assert ItemVersion.objects.get(pk=published.pk).hours == full_guide()["hours"]


def test_child_sheet_alone_replaces_that_list_of_a_database_item(catalog_city):
    """R3.5: a workbook with only 常见问题 rows for an item in the database
    (named by 基本编码 + 实施机构) replaces that item's FAQ list in a new
    draft; the rest of the guide stays."""
    city = catalog_city
    item = publish_item(city=city)
    faq = {
        "basic_code": item.entry.basic_code,
        "agency": item.agency.credit_code,
        "question": "需要现场核查吗？",
        "answer": "需要，核查时限不计入承诺时限。",
    }
    report = catalog_workbook_import(
        actor=city.lx_editor, data=workbook({layout.FAQ_SHEET: [faq]}), dry_run=False
    )
    # Changing a published item needs a written reason, which a child sheet
    # cannot carry: the item's open draft is the place for it.
    assert not report.applied
    assert "变更理由" in report.errors[0].reason
    from yiwang.domains.catalog.services import item_version_revise

    item_version_revise(actor=city.lx_editor, item=item, reason="补充常见问题")
    report = catalog_workbook_import(
        actor=city.lx_editor, data=workbook({layout.FAQ_SHEET: [faq]}), dry_run=False
    )
    assert report.applied, [str(e) for e in report.errors]
    draft = item.versions.get(number=2)
    doc = guide_doc_of(draft)
    assert doc["faqs"] == [{"question": faq["question"], "answer": faq["answer"]}]
    assert doc["materials"] == guide_doc_of(item.current)["materials"]
    assert draft.status == VersionStatus.SUBMITTED


# --- export and the round trip ----------------------------------------------------------------


class _Rollback(Exception):
    pass


def test_export_then_import_round_trips(catalog_city):
    """R3.2, R3.3: export → import into a fresh catalogue with the same
    organisations gives every item the same guide (guide_doc_of) and every
    entry the same name, type, legal basis and levels."""
    city = catalog_city
    expected: dict[str, Any] = {}
    entries_expected: dict[str, Any] = {}
    try:
        with transaction.atomic():
            main = publish_entry(city, basic_code="010130001000", legal_basis=LAW)
            sub = publish_entry(
                city, basic_code="010130001001", name="食品经营许可（仅销售预包装食品备案）"
            )
            CatalogEntry.objects.filter(pk=sub.pk).update(parent=main)  # test data only
            fee_guide = full_guide(
                charges_fee=True,
                fees=[
                    {
                        "name": "工本费",
                        "standard": "10元/证",
                        "legal_basis": "苏价费〔2018〕1号",
                        "reducible": True,
                        "reduction_note": "小微企业免收",
                    }
                ],
                statutory_note="",
                materials=[
                    {
                        "code": "id",
                        "name": "身份证",
                        "kind": "certificate",
                        "form": "paper",
                        "necessity": "optional",
                        "copies": 2,
                        "page_format": "A4",
                        "source": "other",
                        "source_note": "公安机关",
                        "acceptance_standard": "原件",
                        "legal_basis": "《居民身份证法》",
                        "filling_notes": "第一行\n第二行",
                        "certificate_type_code": "",
                        "variant": "change",
                    }
                ],
            )
            publish_item(city=city, entry=main)
            publish_item(city=city, entry=main, agency=city.bh_scj, guide=fee_guide)
            publish_item(
                city=city,
                entry=main,
                agency=city.jy_scj,
                division=city.town,
                guide=full_guide(
                    exercise_level="town", audience="person", handling_kind="immediate"
                ),
                tags=("mashang", "jiujin"),
            )
            for item in ServiceItem.objects.select_related("current"):
                expected[item.implementation_code] = guide_doc_of(item.current)
            for e in CatalogEntry.objects.select_related("current"):
                v = e.current
                entries_expected[e.basic_code] = (
                    v.name,
                    v.item_type_id,
                    v.legal_basis,
                    v.exercise_levels,
                    e.parent.basic_code if e.parent else "",
                )
            data = catalog_workbook_export()
            raise _Rollback
    except _Rollback:
        pass
    assert not ServiceItem.objects.exists() and not CatalogEntry.objects.exists()
    assert len(expected) == 3
    # The exported file is a real workbook with Chinese sheets and headers.
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[:2] == ["基本目录", "实施清单"]
    book.close()

    report = catalog_workbook_import(actor=SYSTEM, data=data, dry_run=False, publish=True)
    assert report.applied, [str(e) for e in report.errors]
    assert report.count(layout.ITEM_SHEET, "created") == 3
    for code, doc in expected.items():
        item = ServiceItem.objects.get(implementation_code=code)
        assert item.current.status == VersionStatus.PUBLISHED
        assert guide_doc_of(item.current) == doc, code
    jy = ServiceItem.objects.get(agency=city.jy_scj)
    assert sorted(jy.tags.values_list("code", flat=True)) == ["jiujin", "mashang"]
    for e in CatalogEntry.objects.select_related("current", "parent"):
        v = e.current
        assert (
            v.name,
            v.item_type_id,
            v.legal_basis,
            v.exercise_levels,
            e.parent.basic_code if e.parent else "",
        ) == entries_expected[e.basic_code]
    assert audit_verify().ok

    # Importing the same file again changes nothing.
    before = table_counts()
    again = catalog_workbook_import(actor=SYSTEM, data=data, dry_run=False)
    assert again.applied
    assert again.count(layout.ITEM_SHEET, "unchanged") == 3
    assert again.count(layout.ENTRY_SHEET, "unchanged") == 2
    assert table_counts() == before


def test_export_of_one_division_subtree(catalog_city):
    """R3.2: an export of 江阴市 holds its items (town ones too) and the
    entries they implement, not 梁溪区's."""
    city = catalog_city
    entry = publish_entry(city)
    publish_item(city=city, entry=entry)
    publish_item(city=city, entry=entry, agency=city.jy_scj, division=city.town)
    records = catalog_workbook_records(division_code="320281")
    assert [r["division"] for r in records[layout.ITEM_SHEET]] == ["320281107000"]
    assert [r["basic_code"] for r in records[layout.ENTRY_SHEET]] == [entry.basic_code]
    assert catalog_workbook_records(division_code="320213")[layout.ITEM_SHEET][0]["agency"] == (
        city.lx_scj.credit_code
    )


def test_unpublished_versions_are_not_exported(catalog_city):
    """R3.5: the export is the published catalogue; drafts stay inside."""
    city = catalog_city
    publish_entry(city)
    from yiwang.domains.catalog.services import catalog_entry_create

    catalog_entry_create(
        actor=city.city_editor,
        basic_code="010130009000",
        owner=city.city_scj,
        name="草稿事项",
        item_type_code="01",
        legal_basis=LAW,
        exercise_levels=["city"],
    )
    names = [r["name"] for r in catalog_workbook_records()[layout.ENTRY_SHEET]]
    assert "草稿事项" not in names and names == ["食品经营许可"]


def test_template_is_an_empty_workbook_in_the_layout(db):
    """The blank template reads back with every sheet and no data rows."""
    data = catalog_workbook_template()
    raw = layout.read_workbook(data)
    assert raw.errors == []
    assert list(raw.sheets) == [s.name for s in layout.SHEETS]
    assert all(not rs.rows for rs in raw.sheets.values())
    book = load_workbook(io.BytesIO(data))
    assert layout.README_SHEET in book.sheetnames
    assert book["实施清单"]["A1"].value == "实施编码"


def test_report_survives_json(catalog_city):
    """The console keeps the dry-run report between pages as JSON."""
    report = catalog_workbook_import(
        actor=SYSTEM,
        data=workbook({layout.ENTRY_SHEET: [entry_record(catalog_city, "bad")]}),
    )
    copy = ImportReport.from_dict(report.as_dict())
    assert copy.errors == report.errors and copy.counts == report.counts


def test_entry_update_needs_a_reason_and_goes_to_review(catalog_city):
    """R3.5: changing a published entry is a written request (变更理由) that
    makes a new draft, submitted for the centre's and the legal review."""
    city = catalog_city
    entry = publish_entry(city, basic_code="010130001000", legal_basis=LAW)
    record = entry_record(
        city, name="食品经营许可（含小餐饮）", exercise_levels=["city", "county", "town"]
    )
    refused = catalog_workbook_import(
        actor=city.city_editor, data=workbook({layout.ENTRY_SHEET: [record]})
    )
    assert [e.header for e in refused.errors] == ["变更理由"]
    record["reason"] = "依据省政府令调整名称"
    report = catalog_workbook_import(
        actor=city.city_editor, data=workbook({layout.ENTRY_SHEET: [record]}), dry_run=False
    )
    assert report.applied, [str(e) for e in report.errors]
    assert report.count(layout.ENTRY_SHEET, "updated") == 1
    v2 = CatalogEntryVersion.objects.get(entry=entry, number=2)
    assert v2.status == VersionStatus.SUBMITTED
    assert v2.name == "食品经营许可（含小餐饮）"
    assert v2.change_reason == "依据省政府令调整名称"
    entry.refresh_from_db()
    assert entry.current.number == 1


def test_credit_code_in_lower_case_is_the_same_code(catalog_city):
    """A credit code typed in lower case is the same code."""
    city = catalog_city
    record = entry_record(city, owner=city.city_scj.credit_code.lower())
    report = catalog_workbook_import(actor=SYSTEM, data=workbook({layout.ENTRY_SHEET: [record]}))
    assert report.ok, [str(e) for e in report.errors]
