"""The catalogue workbook's layout and its cell checks, without a database
(issue 3 item 8; R3.2, R3.3, R3.5): every kind of bad cell is reported with
sheet, row (as Excel shows it), column and a Chinese reason, and all of them
are collected, not only the first."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from yiwang.core.checkdigits import make_credit_code
from yiwang.domains.catalog import excel_layout as layout
from yiwang.domains.catalog.excel_layout import (
    AgencyRef,
    CellProblem,
    EntryRef,
    ItemRef,
    ItemTypeRef,
    Reference,
    check_workbook,
    read_workbook,
    write_workbook,
)
from yiwang.domains.catalog.guide import SCALAR_FIELDS
from yiwang.domains.catalog.tests.conftest import full_guide

SCJ = make_credit_code("1", "1", "320213", 50000001)
GAJ = make_credit_code("1", "1", "320200", 50000002)
BASIC = "010130001000"
DB_BASIC = "010130002000"
DB_ITEM = GAJ + "0101300020000"


def reference() -> Reference:
    permit = ItemTypeRef("01", "行政许可", True)
    service = ItemTypeRef("21", "公共服务", False)
    return Reference(
        agencies={
            SCJ: AgencyRef(1, "梁溪区市场监督管理局", "320213"),
            GAJ: AgencyRef(2, "无锡市公安局", "320200"),
        },
        divisions={"320200": "无锡市", "320213": "梁溪区"},
        item_types={"01": permit, "行政许可": permit, "21": service, "公共服务": service},
        entries={
            DB_BASIC: EntryRef(
                DB_BASIC,
                "机动车驾驶证换证",
                "01",
                True,
                [{"title": "中华人民共和国道路交通安全法", "article": "第十九条"}],
                GAJ,
            )
        },
        items={DB_ITEM: ItemRef(DB_ITEM, DB_BASIC, GAJ, "320200", False, guide=dict(full_guide()))},
        tags={"mashang": "mashang", "马上办": "mashang"},
        topics={"birth": "birth", "出生": "birth", "重名": ""},
        roles={
            "clerk": "clerk",
            "窗口受理人员": "clerk",
            "reviewer": "reviewer",
            "审查人员": "reviewer",
            "approver": "approver",
            "审批人员": "approver",
        },
    )


def entry(**over: Any) -> dict[str, Any]:
    row = {
        "basic_code": BASIC,
        "name": "食品经营许可",
        "item_type": "行政许可",
        "legal_basis": [{"title": "中华人民共和国食品安全法", "article": "第三十五条"}],
        "exercise_levels": ["city", "county"],
        "owner": SCJ,
    }
    row.update(over)
    return row


def item(guide: dict[str, Any] | None = None, **fields: Any) -> dict[str, list[dict[str, Any]]]:
    key = {"basic_code": DB_BASIC, "agency": SCJ}
    for k in ("implementation_code", "basic_code", "agency"):
        if k in fields:
            key[k] = fields.pop(k)
    return layout.item_records(
        key,
        guide if guide is not None else dict(full_guide()),
        fields={"division": "320213", **fields},
        role_names={"clerk": "窗口受理人员"},
    )


def check(*parts: dict[str, list[dict[str, Any]]], ref: Reference | None = None) -> Any:
    data = write_workbook(layout.merge_records(*parts))
    return check_workbook(read_workbook(data), ref or reference())


def errors_of(plan) -> list[tuple[str, int, str, str]]:
    return [(e.sheet, e.row, e.header, e.reason) for e in plan.errors]


def where(plan) -> list[tuple[str, int, str]]:
    return [(e.sheet, e.row, e.header) for e in plan.errors]


# --- a clean workbook ---------------------------------------------------------------


def test_clean_workbook_gives_the_plan():
    """R3.2: entry and item read back to the services' values."""
    plan = check({layout.ENTRY_SHEET: [entry()]}, item(basic_code=BASIC))
    assert plan.ok, errors_of(plan)
    [e] = plan.entries
    assert (e.basic_code, e.item_type_code, e.exercise_levels, e.owner_credit_code) == (
        BASIC,
        "01",
        ["city", "county"],
        SCJ,
    )
    [i] = plan.items
    assert i.in_sheet and not i.exists and i.implementation_code == ""
    want = dict(full_guide())
    for key in layout.GUIDE_SCALAR_KEYS:
        assert i.guide[key] == want[key], key
    for key in ("variants", "fees", "faqs"):
        assert i.guide[key] == want[key], key
    defaults = {"time_unit": "working_days", "is_special": False, "description": ""}
    assert i.guide["steps"] == [{**defaults, **s} for s in want["steps"]]
    assert [m.get("variant") for m in i.guide["materials"]] == [None, None, "first"]
    assert plan.row_counts[layout.MATERIAL_SHEET] == 3


def test_guide_columns_cover_every_scalar_element():
    """R3.4: every scalar element of a guide has a column (windows are chosen
    in the console, not in a workbook)."""
    assert set(layout.GUIDE_SCALAR_KEYS) == set(SCALAR_FIELDS)


def test_labels_match_the_models():
    """The Chinese labels are the models' own."""
    from yiwang.domains.catalog import models, services
    from yiwang.domains.orgs.models import DivisionLevel

    assert dict(models.Audience.choices) == layout.AUDIENCES
    assert dict(models.HandlingKind.choices) == layout.HANDLING_KINDS
    assert dict(models.LimitUnit.choices) == layout.LIMIT_UNITS
    assert dict(models.MaterialSpec.Kind.choices) == layout.MATERIAL_KINDS
    assert dict(models.MaterialSpec.Form.choices) == layout.MATERIAL_FORMS
    assert dict(models.MaterialSpec.Necessity.choices) == layout.NECESSITIES
    assert dict(models.MaterialSpec.Source.choices) == layout.MATERIAL_SOURCES
    assert list(layout.RESULT_TYPES) == list(services.RESULT_TYPES)
    assert layout.DELIVERY_WAYS == services.DELIVERY_WAYS
    assert list(layout.ENTRY_LEVELS) == [lv.value for lv in DivisionLevel]
    assert set(layout.CHILD_SHEETS.values()) == set(services.LIST_KEYS)


def test_text_limits_match_the_models():
    from yiwang.domains.catalog.models import ItemVersion

    for column in layout.ITEM_COLUMNS:
        if column.key in SCALAR_FIELDS and column.kind in ("text", "url", "soft_choice"):
            field = ItemVersion._meta.get_field(column.key)
            assert column.max_length == getattr(field, "max_length", None), column.key


# --- every kind of bad cell ------------------------------------------------------------


def test_invalid_credit_code_names_row_and_column():
    """R3.2: a credit code with a wrong check digit is named where it is."""
    bad = SCJ[:-1] + ("0" if SCJ[-1] != "0" else "1")
    plan = check({layout.ENTRY_SHEET: [entry(), entry(basic_code="010130003000", owner=bad)]})
    [err] = [e for e in plan.errors if e.header == "编制部门统一社会信用代码"]
    assert (err.sheet, err.row, err.letter) == ("基本目录", 3, "F")
    assert err.reason.endswith("统一社会信用代码校验码错误")
    assert err.column == "F（编制部门统一社会信用代码）"


def test_unknown_agency_and_division():
    other = make_credit_code("1", "1", "320200", 50000099)
    plan = check(item(agency=other, division="320299"), item(division="32021"))
    reasons = errors_of(plan)
    assert (
        "实施清单",
        2,
        "实施机构统一社会信用代码",
        f"平台中没有统一社会信用代码为 {other} 的机构",
    ) in reasons
    assert ("实施清单", 2, "实施区划代码", "平台中没有行政区划 320299") in reasons
    assert any(r[1] == 3 and r[2] == "实施区划代码" and "应为6位" in r[3] for r in reasons)


def test_basic_code_pattern():
    plan = check({layout.ENTRY_SHEET: [entry(basic_code="01013-0001")]})
    assert where(plan) == [("基本目录", 2, "基本编码")]
    assert "格式不正确" in plan.errors[0].reason


def test_a_number_that_is_not_a_number():
    plan = check(item(statutory_limit="二十", promised_limit=2.5, online_depth=7))
    got = {e.header: e.reason for e in plan.errors}
    assert got["法定办结时限"] == "“二十”不是数字，应填写整数（如 20）"
    assert got["承诺办结时限"] == "“2.5”不是整数"
    assert got["网上办理深度"] == "不能大于4"


def test_unknown_choice_labels():
    guide = dict(full_guide())
    guide["materials"][0]["necessity"] = "可以不交"
    plan = check(item(guide, audience="外国人", statutory_unit="小时", charges_fee="也许"))
    got = {(e.sheet, e.header): e.reason for e in plan.errors}
    assert got[("实施清单", "服务对象")] == "“外国人”不是可选值，可填：自然人／法人／自然人、法人"
    assert got[("实施清单", "法定时限单位")] == "“小时”不是可选值，可填：工作日／自然日"
    assert got[("实施清单", "是否收费")] == "“也许”应填写“是”或“否”"
    assert got[("申请材料", "必要性")] == "“可以不交”不是可选值，可填：必要／非必要／容缺后补"


def test_labels_and_other_spellings_are_read():
    plan = check(
        {layout.ENTRY_SHEET: [entry(exercise_levels="市、县（区）级、乡镇")]},
        item(audience="个人", delivery_ways="窗口领取，邮寄送达", exercise_level="县级"),
    )
    assert plan.ok, errors_of(plan)
    assert plan.entries[0].exercise_levels == ["city", "county", "town"]
    assert plan.items[0].guide["audience"] == "person"
    assert plan.items[0].guide["delivery_ways"] == ["window", "mail"]
    assert plan.items[0].guide["exercise_level"] == "county"


def test_child_row_pointing_at_no_item():
    faq = {"basic_code": DB_BASIC, "agency": SCJ, "question": "问", "answer": "答"}
    faq2 = {"implementation_code": SCJ + "9999", "question": "问", "answer": "答"}
    faq3 = {"question": "问", "answer": "答"}
    plan = check({layout.FAQ_SHEET: [faq, faq2, faq3]})
    got = errors_of(plan)
    assert got[0][:3] == ("常见问题", 2, "基本编码")
    assert "既不在“实施清单”工作表中，也不在事项库中" in got[0][3]
    assert got[1][:3] == ("常见问题", 3, "实施编码")
    assert f"实施编码 {SCJ}9999 既不在" in got[1][3]
    assert got[2][:3] == ("常见问题", 4, "实施编码")
    assert "请填写实施编码，或同时填写基本编码和实施机构" in got[2][3]


def test_child_rows_of_an_item_in_the_database():
    """R3.5: child rows may name an item already in the database; only that
    list is replaced and the completeness check uses the rest of its guide."""
    faq = {"implementation_code": DB_ITEM, "question": "能代办吗？", "answer": "可以。"}
    plan = check({layout.FAQ_SHEET: [faq]})
    assert plan.ok, errors_of(plan)
    [i] = plan.items
    assert not i.in_sheet and i.exists
    assert i.guide == {"faqs": [{"question": "能代办吗？", "answer": "可以。"}]}


def test_duplicate_codes():
    guide = dict(full_guide())
    guide["steps"].append(dict(guide["steps"][0]))
    code = SCJ + "0101300010001"
    plan = check(
        {layout.ENTRY_SHEET: [entry(), entry(name="重复")]},
        item(guide, implementation_code=code),
        {layout.ITEM_SHEET: item(implementation_code=code)[layout.ITEM_SHEET]},
    )
    got = errors_of(plan)
    assert ("基本目录", 3, "基本编码", f"基本编码 {BASIC} 与第2行重复") in got
    assert ("实施清单", 3, "实施编码", f"实施编码 {code} 与第2行重复") in got
    assert ("办理环节", 7, "环节编码", "同一事项内环节编码 accept 与第2行重复") in got


def test_same_item_twice_without_codes():
    plan = check(item(), {layout.ITEM_SHEET: item()[layout.ITEM_SHEET]})
    assert ("实施清单", 3, "基本编码") in where(plan)


def test_implementation_code_must_start_with_the_agency_code():
    plan = check(item(implementation_code=GAJ + "0101300010000"))
    assert ("实施清单", 2, "实施编码", "实施编码应以实施机构的统一社会信用代码开头") in errors_of(
        plan
    )


def test_item_name_must_match_the_entry():
    """R3.3: the name of an item is the catalogue entry's."""
    plan = check({layout.ENTRY_SHEET: [entry()]}, item(basic_code=BASIC, name="食品经营许可证核发"))
    assert errors_of(plan) == [
        ("实施清单", 2, "事项名称", "事项名称须与基本目录一致（应为“食品经营许可”）")
    ]


def test_item_of_an_unknown_entry():
    plan = check(item(basic_code="010139999000"))
    assert ("实施清单", 2, "基本编码") in where(plan)


def test_existing_item_cannot_change_its_key():
    plan = check(
        {layout.ENTRY_SHEET: [entry()]},
        item(implementation_code=DB_ITEM, agency=GAJ, basic_code=BASIC, division="320213"),
    )
    got = errors_of(plan)
    assert ("实施清单", 2, "基本编码") in [g[:3] for g in got]
    assert any(g[2] == "实施区划代码" and "不能改变" in g[3] for g in got)


def test_material_variant_must_be_one_of_the_items():
    guide = dict(full_guide())
    guide["materials"][2]["variant"] = "renew"
    plan = check({layout.ENTRY_SHEET: [entry()]}, item(guide, basic_code=BASIC))
    assert errors_of(plan) == [("申请材料", 4, "所属办理项", "所属办理项 renew 不是该事项的办理项")]


def test_missing_guide_elements_are_errors_of_the_items_row():
    """R3.4: guide completeness per item, reported on the item's row — at the
    element's column, or naming the sheet a list belongs in."""
    guide = dict(full_guide(acceptance_conditions="", faqs=[]))
    plan = check({layout.ENTRY_SHEET: [entry()]}, item(guide, basic_code=BASIC))
    assert errors_of(plan) == [
        (
            "实施清单",
            2,
            "",
            "办事指南缺少“常见问题”：请在“常见问题”工作表中为该事项填写",
        ),
        ("实施清单", 2, "受理条件", "办事指南缺少“受理条件（受理标准）”"),
    ]


def test_convenience_items_have_the_lighter_guide():
    """R3.8: a convenience item needs service content and management
    requirements, not a statutory limit or materials."""
    light = {
        k: v
        for k, v in dict(full_guide()).items()
        if k not in ("materials", "statutory_limit", "acceptance_conditions", "faqs")
    }
    plan = check(
        {layout.ENTRY_SHEET: [entry(item_type="公共服务", legal_basis=[])]},
        item(light, is_convenience=True),
    )
    assert [(e.header, e.reason) for e in plan.errors] == [
        ("服务内容", "办事指南缺少“服务内容”"),
        ("管理要求", "办事指南缺少“管理要求”"),
    ]


def test_entry_cell_errors():
    plan = check(
        {
            layout.ENTRY_SHEET: [
                entry(
                    item_type="行政审批", legal_basis="食品安全法第三十五条", exercise_levels="全国"
                ),
                entry(basic_code="010130003000", legal_basis=[], parent=BASIC),
                entry(basic_code="010130004000", parent="010130004000"),
                entry(basic_code="010130005000", parent="010139999000", name=""),
            ]
        }
    )
    got = errors_of(plan)
    assert got[0][:3] == ("基本目录", 2, "事项类型")
    assert "可填：公共服务／行政许可" in got[0][3]
    assert got[1] == (
        "基本目录",
        2,
        "设定依据",
        "第1行“食品安全法第三十五条”应为“《法律法规名称》第X条：条文内容”的格式",
    )
    assert got[2][:3] == ("基本目录", 2, "行使层级")
    assert ("基本目录", 3, "设定依据", "行政权力事项须填写设定依据") in got
    assert ("基本目录", 4, "主项基本编码", "主项基本编码不能是本事项自己") in got
    assert ("基本目录", 5, "事项名称", "请填写事项名称") in got
    assert any(g[:3] == ("基本目录", 5, "主项基本编码") for g in got)


def test_other_cell_kinds():
    guide = dict(full_guide(mobile_url="m.example.gov.cn"))
    guide["variants"][0]["form_schema"] = "{not json"
    guide["steps"][0]["role_code"] = "门卫"
    plan = check(item(guide, tags="马上办、跑得快", topics="重名"))
    got = {(e.sheet, e.header): e.reason for e in plan.errors}
    assert "不是有效的网址" in got[("实施清单", "移动端办理地址")]
    assert got[("实施清单", "特色服务清单")] == "平台中没有特色服务清单“跑得快”"
    assert got[("实施清单", "主题分类")] == "主题分类“重名”有重名，请改填代码"
    assert got[("办理项", "申请表结构")].startswith("不是有效的 JSON")
    assert got[("办理环节", "办理角色")] == "平台中没有办理角色“门卫”"


def test_all_errors_are_collected():
    """Checking never stops at the first problem: five bad cells in three
    sheets, five reports, in sheet, row and column order."""
    guide = dict(full_guide())
    guide["fees"] = [{"name": "工本费", "standard": "", "legal_basis": "x", "reducible": "可"}]
    guide["charges_fee"] = True
    bad = SCJ[:-1] + ("0" if SCJ[-1] != "0" else "1")
    plan = check(
        {layout.ENTRY_SHEET: [entry(owner=bad)]},
        item(guide, basic_code=BASIC, handling_kind="急件", onsite_trips="一次"),
    )
    assert where(plan) == [
        ("基本目录", 2, "编制部门统一社会信用代码"),
        ("实施清单", 2, "办件类型"),
        ("实施清单", 2, "到办事现场次数"),
        ("收费项目", 2, "收费标准"),
        ("收费项目", 2, "是否允许减免"),
    ]


# --- reading the file -------------------------------------------------------------------


def _raw_book(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_headers_sheets_and_blank_rows():
    data = _raw_book(
        {
            "基本目录": [
                ["基本编码*", "事项名称（必填）", "事项类型", "备注", "事项名称"],
                [BASIC, "食品经营许可", "行政许可", "x", "y"],
                [None, None, None, None, None],
                ["   ", None, None, None, None],
            ],
            "Sheet9": [["a"]],
            "填表说明": [["随便写"]],
        }
    )
    raw = read_workbook(data)
    reasons = [(e.sheet, e.row, e.letter, e.reason) for e in raw.errors]
    assert ("基本目录", 1, "D", "无法识别的列“备注”") in reasons
    assert ("基本目录", 1, "E", "列“事项名称”重复（已在B列）") in reasons
    assert ("基本目录", 1, "", "缺少必填列“编制部门统一社会信用代码”") in reasons
    assert any(r[0] == "Sheet9" and "无法识别的工作表" in r[3] for r in reasons)
    assert len(raw.rows("基本目录")) == 1
    assert raw.rows("基本目录")[0].values["basic_code"] == BASIC


def test_codes_typed_as_numbers():
    """Excel turns 320213 into a number: it is read back as the code; a code
    that lost its leading zeros is reported."""
    data = _raw_book(
        {
            "基本目录": [
                ["基本编码", "事项名称", "事项类型", "编制部门统一社会信用代码", "行使层级"],
                [10130001000, "食品经营许可", "01", SCJ, "市级"],
            ],
            "实施清单": [
                ["基本编码", "实施机构统一社会信用代码", "实施区划代码"],
                [DB_BASIC, GAJ, 320200],
            ],
        }
    )
    plan = check_workbook(read_workbook(data), reference())
    assert ("基本目录", 2, "基本编码") in where(plan)
    assert not [e for e in plan.errors if e.header == "实施区划代码"]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "文件是空的"),
        (b"%PDF-1.7", "文件不是有效的 Excel 工作簿"),
        (b"PK\x03\x04garbage", "文件不是有效的 Excel 工作簿"),
    ],
)
def test_content_checks(data, reason):
    assert reason in (layout.xlsx_content_error(data) or "")
    raw = read_workbook(data)
    assert reason in raw.errors[0].reason and raw.errors[0].row == 0


def test_zip_without_content_types_and_size_limit():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "不是有效的 Excel" in layout.xlsx_content_error(buf.getvalue())
    good = write_workbook({})
    assert layout.xlsx_content_error(good) is None
    assert layout.xlsx_content_error(good, max_bytes=100) == "文件超过0MB，请拆分后分批导入"


def test_workbook_layout_for_operators():
    """The exported workbook: one sheet per kind in order plus 填表说明,
    Chinese headers, codes as text, drop-down lists on choice columns."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(write_workbook({layout.ENTRY_SHEET: [entry()]})))
    assert book.sheetnames == [s.name for s in layout.SHEETS] + ["填表说明"]
    ws = book["基本目录"]
    assert [c.value for c in ws[1]] == [c.header for c in layout.ENTRY_COLUMNS]
    assert ws["A2"].value == BASIC and ws["A2"].number_format == "@"
    assert ws["D2"].value == "《中华人民共和国食品安全法》第三十五条"
    assert ws["E2"].value == "市级、县级"
    item_ws = book["实施清单"]
    lists = [dv.formula1 for dv in item_ws.data_validations.dataValidation]
    assert '"自然人,法人,自然人、法人"' in lists and '"是,否"' in lists


# --- cell readers (Hypothesis) ---------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**6))
def test_integers_read_back_from_any_form(n):
    for value in (n, float(n), str(n), f" {n} "):
        assert layout.read_int(value) == n


@given(st.text().filter(lambda t: t.strip() and not t.strip().lstrip("-").isdigit()))
def test_non_numbers_are_refused(text):
    try:
        layout.read_int(text)
    except CellProblem as exc:
        assert "不是数字" in str(exc)
    else:  # pragma: no cover - only digits parse
        raise AssertionError(text)


_law_text = (
    st.text(
        alphabet=st.characters(blacklist_characters="》\n\r：:", blacklist_categories=("Cs", "Cc")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@given(
    st.lists(
        st.fixed_dictionaries(
            {"title": _law_text.filter(lambda t: "《" not in t)},
            optional={
                "article": _law_text.filter(lambda t: not t.startswith("链接")),
                "text": _law_text,
            },
        ),
        max_size=4,
    )
)
def test_legal_basis_round_trips(basis):
    """R3.3: the legal basis survives export and import unchanged."""
    assert layout.read_basis(layout.write_basis(basis)) == basis


def test_legal_basis_lines():
    text = (
        "《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。\n"
        "从事食品销售，应当依法取得许可。\n"
        "链接：https://flk.npc.gov.cn/\n"
        "《食品经营许可管理办法》第二条"
    )
    assert layout.read_basis(text) == [
        {
            "title": "中华人民共和国食品安全法",
            "article": "第三十五条",
            "text": "国家对食品生产经营实行许可制度。\n从事食品销售，应当依法取得许可。",
            "url": "https://flk.npc.gov.cn/",
        },
        {"title": "食品经营许可管理办法", "article": "第二条"},
    ]


def test_text_that_looks_like_a_formula_stays_text():
    """A guide text starting with "=" is written as text: Excel does not run
    it and it reads back as written."""
    guide = dict(full_guide())
    guide["faqs"] = [{"question": "=1+1 是什么？", "answer": '=HYPERLINK("http://x","点我")'}]
    plan = check(item(guide))
    assert plan.items[0].guide["faqs"] == guide["faqs"]


def test_booleans():
    assert [layout.read_bool(v) for v in ("是", "否", True, False, None, "Y", " 否 ")] == [
        True,
        False,
        True,
        False,
        None,
        True,
        False,
    ]
