"""The catalogue workbook (事项库 Excel): its layout, and reading and checking
it cell by cell (R3.2, R3.3, R3.5).

Pure module (no Django): the database is seen only through a ``Reference``
snapshot that ``excel.py`` loads for the codes a workbook mentions, so every
cell rule is testable without a database. ``excel.py`` applies a checked
``Plan`` through the catalogue services.

The layout (docs/catalog-excel.md): one sheet per kind, Chinese headers in
row 1, one record per row. ``基本目录`` holds catalogue entries; ``实施清单``
one implementation per row with the scalar guide elements as columns; the
child sheets ``办理项``, ``申请材料``, ``办理环节``, ``收费项目``, ``常见问题``
name their item by 实施编码, or by 基本编码 + 实施机构统一社会信用代码.
Choices are written as their Chinese labels (自然人 / 法人; 即办件 / 承诺件;
工作日 / 自然日; 必要 / 非必要 / 容缺后补 …) and mapped to the model values here.

Every problem is reported as a ``CellError`` (sheet, row number as Excel
shows it, column letter and header, Chinese reason); checking never stops at
the first one.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from yiwang.core.checkdigits import (
    credit_code_error,
    division_code_error,
    normalize_credit_code,
)
from yiwang.domains.catalog.guide import ELEMENTS, missing_elements

# --- choices: model value -> Chinese label (tests compare them with the models) ---

AUDIENCES: dict[str, str] = {"person": "自然人", "entity": "法人", "both": "自然人、法人"}
HANDLING_KINDS: dict[str, str] = {"immediate": "即办件", "promised": "承诺件"}
LIMIT_UNITS: dict[str, str] = {"working_days": "工作日", "natural_days": "自然日"}
MATERIAL_KINDS: dict[str, str] = {
    "certificate": "证件证书证明",
    "form": "申请表格文书",
    "other": "其他",
}
MATERIAL_FORMS: dict[str, str] = {"paper": "纸质", "electronic": "电子", "both": "纸质+电子"}
NECESSITIES: dict[str, str] = {
    "required": "必要",
    "optional": "非必要",
    "deferrable": "容缺后补",
}
MATERIAL_SOURCES: dict[str, str] = {
    "applicant": "申请人自备",
    "government": "政府部门核发",
    "other": "其他",
}
RESULT_TYPES: dict[str, str] = {"证照": "证照", "批文": "批文", "其他": "其他"}
DELIVERY_WAYS: dict[str, str] = {
    "window": "窗口领取",
    "mail": "邮寄送达",
    "electronic": "电子送达",
}
# 基本目录 行使层级: the division levels an entry may be implemented at.
ENTRY_LEVELS: dict[str, str] = {
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "town": "乡镇（街道）",
    "village": "村（社区）",
}
# 实施清单 实施层级 of one implementation (as the portal names them); another
# text is kept as written.
EXERCISE_LEVELS: dict[str, str] = {
    "national": "国家级",
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "town": "乡镇（街道）级",
    "village": "村（社区）级",
}

# Other spellings an operator may type, per choice set (normalised form -> value).
_ALIASES: dict[int, dict[str, str]] = {
    id(AUDIENCES): {
        "个人": "person",
        "企业": "entity",
        "法人或其他组织": "entity",
        "自然人和法人": "both",
        "自然人,法人": "both",
        "个人和企业": "both",
        "个人、企业": "both",
        "个人,法人": "both",
    },
    id(MATERIAL_FORMS): {"纸质和电子": "both", "纸质、电子": "both", "纸质,电子": "both"},
    id(MATERIAL_SOURCES): {"申请人": "applicant", "自备": "applicant", "政府部门": "government"},
    id(DELIVERY_WAYS): {
        "电子送达（电子证照）": "electronic",
        "电子证照": "electronic",
        "窗口": "window",
        "邮寄": "mail",
    },
}
_LEVEL_ALIASES = {
    "国家": "national",
    "省": "province",
    "市": "city",
    "县": "county",
    "县(区)级": "county",
    "区级": "county",
    "乡镇": "town",
    "街道": "town",
    "乡镇(街道)": "town",
    "乡镇(街道)级": "town",
    "乡镇级": "town",
    "村": "village",
    "社区": "village",
    "村(社区)": "village",
    "村(社区)级": "village",
}
_ALIASES[id(ENTRY_LEVELS)] = {k: v for k, v in _LEVEL_ALIASES.items() if v != "national"}
_ALIASES[id(EXERCISE_LEVELS)] = _LEVEL_ALIASES

TRUE_WORDS = {"是", "Y", "YES", "TRUE", "1", "√"}
FALSE_WORDS = {"否", "N", "NO", "FALSE", "0", "×"}

DEFAULT_BASIC_CODE_PATTERN = r"^[0-9A-Z]{12}$"
DEFAULT_IMPLEMENTATION_CODE_PATTERN = r"^[0-9A-Z]{19,40}$"

# --- the layout ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet. ``key`` is the GuideDoc / service field it
    fills; ``kind`` says how a cell is read."""

    key: str
    header: str
    kind: str = "text"  # text, int, bool, choice, multi, credit, division, basic_code,
    # impl_code, item_type, basis, levels, json, url, tags, topics, role
    required: bool = False
    max_length: int | None = None
    choices: Mapping[str, str] | None = None
    default: Any = ""
    minimum: int | None = None
    maximum: int | None = None
    width: int = 14
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    note: str

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


ENTRY_SHEET = "基本目录"
ITEM_SHEET = "实施清单"
VARIANT_SHEET = "办理项"
MATERIAL_SHEET = "申请材料"
STEP_SHEET = "办理环节"
FEE_SHEET = "收费项目"
FAQ_SHEET = "常见问题"
README_SHEET = "填表说明"

_BASIC = Column(
    "basic_code",
    "基本编码",
    "basic_code",
    required=True,
    max_length=32,
    width=16,
    note="12位，由主项、子项编码和事项类型生成",
)
_IMPL = Column(
    "implementation_code",
    "实施编码",
    "impl_code",
    max_length=40,
    width=34,
    note="以实施机构统一社会信用代码开头；新增事项可留空，由系统生成",
)
_AGENCY = Column(
    "agency",
    "实施机构统一社会信用代码",
    "credit",
    required=True,
    width=22,
    note="18位，须是平台中已登记的机构",
)


def _child_key_columns() -> tuple[Column, ...]:
    """Child sheets name their item by 实施编码, or by 基本编码 + 实施机构."""
    return (
        Column(
            "implementation_code",
            "实施编码",
            "impl_code",
            max_length=40,
            width=34,
            note="填写实施编码，或同时填写基本编码和实施机构统一社会信用代码",
        ),
        Column("basic_code", "基本编码", "basic_code", max_length=32, width=16),
        Column("agency", "实施机构统一社会信用代码", "credit", width=22),
    )


ENTRY_COLUMNS: tuple[Column, ...] = (
    _BASIC,
    Column("name", "事项名称", required=True, max_length=200, width=28),
    Column(
        "item_type",
        "事项类型",
        "item_type",
        required=True,
        width=12,
        note="行政许可、行政确认、行政裁决、行政给付、行政奖励、其他行政权力、公共服务",
    ),
    Column(
        "legal_basis",
        "设定依据",
        "basis",
        default=[],
        width=60,
        note="每条一行：《法律法规名称》第X条：条文内容；行政权力事项必填",
    ),
    Column(
        "exercise_levels",
        "行使层级",
        "levels",
        required=True,
        choices=ENTRY_LEVELS,
        default=[],
        width=18,
        note="可多选，用“、”分隔，如：省级、市级、县级",
    ),
    Column(
        "owner",
        "编制部门统一社会信用代码",
        "credit",
        required=True,
        width=22,
        note="18位，须是平台中已登记的机构",
    ),
    Column(
        "parent",
        "主项基本编码",
        "basic_code",
        max_length=32,
        width=16,
        note="子项填写所属主项的基本编码，主项留空",
    ),
    Column("reason", "变更理由", max_length=500, width=20, note="修改已有事项时填写"),
)

_GUIDE_COLUMNS: tuple[Column, ...] = (
    Column("audience", "服务对象", "choice", choices=AUDIENCES, width=12),
    Column("handling_kind", "办件类型", "choice", choices=HANDLING_KINDS, width=10),
    Column("acceptance_conditions", "受理条件", width=40),
    Column("statutory_limit", "法定办结时限", "int", default=None, minimum=0, maximum=3650),
    Column(
        "statutory_unit",
        "法定时限单位",
        "choice",
        choices=LIMIT_UNITS,
        default="working_days",
        width=10,
    ),
    Column("promised_limit", "承诺办结时限", "int", default=None, minimum=0, maximum=3650),
    Column(
        "promised_unit",
        "承诺时限单位",
        "choice",
        choices=LIMIT_UNITS,
        default="working_days",
        width=10,
    ),
    Column("charges_fee", "是否收费", "bool", default=False, width=8),
    Column("result_name", "审批结果名称", max_length=200, width=20),
    Column("result_type", "审批结果类型", "choice", choices=RESULT_TYPES, width=10),
    Column(
        "delivery_ways",
        "送达方式",
        "multi",
        choices=DELIVERY_WAYS,
        default=[],
        width=20,
        note="可多选，用“、”分隔",
    ),
    Column("address", "办理地点", max_length=300, width=30),
    Column("hours", "办理时间", max_length=300, width=30),
    Column("consult_phone", "咨询电话", max_length=100, width=16),
    Column("complaint_phone", "监督投诉电话", max_length=100, width=16),
    Column("rights_obligations", "申请人权利和义务", width=40),
    Column("legal_remedy", "法律救济途径", width=40),
    Column("online", "是否网上办理", "bool", default=False, width=8),
    Column(
        "online_depth",
        "网上办理深度",
        "int",
        default=0,
        minimum=0,
        maximum=4,
        width=8,
        note="0 不支持；1 公开指南；2 下载表格；3 在线申报；4 全程网办",
    ),
    Column("onsite_trips", "到办事现场次数", "int", default=1, minimum=0, maximum=9, width=8),
    Column("power_source", "权力来源", max_length=64),
    Column(
        "exercise_level",
        "实施层级",
        "soft_choice",
        choices=EXERCISE_LEVELS,
        max_length=16,
        width=12,
    ),
    Column("entrusted_body", "受委托部门", max_length=128),
    Column("co_agencies", "联办机构", max_length=300),
    Column("general_area", "通办范围", max_length=64),
    Column("quantity_limit", "数量限制", max_length=200),
    Column("process_description", "办理流程说明", width=40),
    Column("statutory_note", "法定时限说明", max_length=300, width=20),
    Column("promised_note", "承诺时限说明", max_length=300, width=20),
    Column("mobile_url", "移动端办理地址", "url", max_length=200, width=24),
    Column("appointment", "支持预约办理", "bool", default=False, width=8),
    Column("online_payment", "支持网上支付", "bool", default=False, width=8),
    Column("express_delivery", "支持物流快递", "bool", default=False, width=8),
    Column("enters_centre", "进驻政务服务中心", "bool", default=True, width=8),
    Column("service_content", "服务内容", width=30, note="便民服务事项必填"),
    Column("management_requirements", "管理要求", width=30, note="便民服务事项必填"),
)

GUIDE_SCALAR_KEYS: tuple[str, ...] = tuple(c.key for c in _GUIDE_COLUMNS)

ITEM_COLUMNS: tuple[Column, ...] = (
    _IMPL,
    _BASIC,
    Column(
        "name",
        "事项名称",
        max_length=200,
        width=24,
        note="仅供核对：事项名称以基本目录为准，填写时须与之一致",
    ),
    _AGENCY,
    Column(
        "division",
        "实施区划代码",
        "division",
        required=True,
        width=14,
        note="6位（省市县）或12位（乡镇、村）",
    ),
    Column("is_convenience", "便民服务事项", "bool", default=False, width=8),
    *_GUIDE_COLUMNS,
    Column("tags", "特色服务清单", "tags", default=[], width=20, note="如：马上办、网上办"),
    Column("topics", "主题分类", "topics", default=[], width=20, note="人生事件或主题的名称"),
    Column("reason", "变更理由", max_length=500, width=20, note="修改已有事项时填写"),
)

VARIANT_COLUMNS: tuple[Column, ...] = (
    *_child_key_columns(),
    Column("code", "办理项编码", required=True, max_length=48, note="如 first、change"),
    Column("name", "办理项名称", required=True, max_length=100, width=16),
    Column("form_schema", "申请表结构", "json", default={}, width=40, note="JSON Schema，可留空"),
)

MATERIAL_COLUMNS: tuple[Column, ...] = (
    *_child_key_columns(),
    Column("code", "材料编码", required=True, max_length=48),
    Column("name", "材料名称", required=True, max_length=200, width=28),
    Column("kind", "材料类型", "choice", required=True, choices=MATERIAL_KINDS, width=14),
    Column("form", "材料形式", "choice", required=True, choices=MATERIAL_FORMS, width=10),
    Column("necessity", "必要性", "choice", required=True, choices=NECESSITIES, width=10),
    Column("copies", "份数", "int", default=1, minimum=0, maximum=99, width=6),
    Column("page_format", "纸张规格", max_length=32, width=10),
    Column("source", "来源渠道", "choice", required=True, choices=MATERIAL_SOURCES, width=12),
    Column("source_note", "来源渠道说明", max_length=200, width=20),
    Column("acceptance_standard", "受理标准", max_length=500, width=30),
    Column("legal_basis", "设定依据", max_length=500, width=30),
    Column("filling_notes", "填报须知", width=30),
    Column(
        "certificate_type_code", "对应证照类型", max_length=32, note="可免提交的电子证照类型代码"
    ),
    Column("variant", "所属办理项", max_length=48, note="办理项编码；留空表示各办理项均需提交"),
)

STEP_COLUMNS: tuple[Column, ...] = (
    *_child_key_columns(),
    Column("code", "环节编码", required=True, max_length=32, note="如 accept、review、decide"),
    Column("name", "环节名称", required=True, max_length=64, width=12),
    Column("role_code", "办理角色", "role", required=True, width=14, note="如 窗口受理人员"),
    Column("time_limit", "环节时限", "int", default=0, minimum=0, maximum=3650, width=8),
    Column("time_unit", "时限单位", "choice", choices=LIMIT_UNITS, default="working_days"),
    Column("is_special", "特别程序", "bool", default=False, width=8),
    Column("description", "环节说明", max_length=500, width=30),
)

FEE_COLUMNS: tuple[Column, ...] = (
    *_child_key_columns(),
    Column("name", "收费项目", required=True, max_length=200, width=20),
    Column("standard", "收费标准", required=True, max_length=300, width=24),
    Column("legal_basis", "收费依据", required=True, max_length=500, width=30),
    Column("reducible", "是否允许减免", "bool", default=False, width=8),
    Column("reduction_note", "减免说明", max_length=300, width=24),
)

FAQ_COLUMNS: tuple[Column, ...] = (
    *_child_key_columns(),
    Column("question", "问题", required=True, max_length=300, width=36),
    Column("answer", "解答", required=True, width=60),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(ENTRY_SHEET, ENTRY_COLUMNS, "基本目录事项：每行一个事项，同一基本编码只出现一次。"),
    Sheet(
        ITEM_SHEET,
        ITEM_COLUMNS,
        "实施清单：每行一个实施机构在一个区划的实施事项及其办事指南要素。",
    ),
    Sheet(VARIANT_SHEET, VARIANT_COLUMNS, "办理项（首次申请、变更、延续、注销……）。"),
    Sheet(MATERIAL_SHEET, MATERIAL_COLUMNS, "申请材料：同一事项内材料编码不重复。"),
    Sheet(STEP_SHEET, STEP_COLUMNS, "办理环节：按办理顺序逐行填写。"),
    Sheet(FEE_SHEET, FEE_COLUMNS, "收费项目：“是否收费”为“是”的事项须至少填写一项。"),
    Sheet(FAQ_SHEET, FAQ_COLUMNS, "常见问题。"),
)
SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
CHILD_SHEETS: dict[str, str] = {
    VARIANT_SHEET: "variants",
    MATERIAL_SHEET: "materials",
    STEP_SHEET: "steps",
    FEE_SHEET: "fees",
    FAQ_SHEET: "faqs",
}
SHEET_OF_LIST: dict[str, str] = {v: k for k, v in CHILD_SHEETS.items()}

MAX_ROWS_PER_SHEET = 200_000

# --- errors -----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class CellError:
    """One problem, where Excel shows it. ``row`` 0 is the workbook as a whole;
    ``letter`` is empty when the problem is the whole row."""

    sheet_order: int
    sheet: str
    row: int
    letter: str
    header: str
    reason: str

    @property
    def column(self) -> str:
        if self.letter and self.header:
            return f"{self.letter}（{self.header}）"
        return self.letter or self.header

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "header": self.header,
            "reason": self.reason,
        }

    def __str__(self) -> str:
        where = f"“{self.sheet}”" if self.sheet else "工作簿"
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f" {self.column}列"
        return f"{where}：{self.reason}"


def _sheet_order(sheet: str) -> int:
    names = [s.name for s in SHEETS]
    return names.index(sheet) if sheet in names else len(names)


def _error_order(e: CellError) -> tuple[int, int, int, str]:
    return (e.sheet_order, e.row, len(e.letter), e.letter)


def make_error(sheet: str, row: int, letter: str, header: str, reason: str) -> CellError:
    return CellError(_sheet_order(sheet), sheet, row, letter, header, reason)


# --- reading ------------------------------------------------------------------------


@dataclass
class RawRow:
    number: int  # as Excel shows it
    values: dict[str, Any]  # column key -> cell value (None when blank)


@dataclass
class RawSheet:
    sheet: Sheet
    letters: dict[str, str]  # column key -> letter
    rows: list[RawRow]

    def letter(self, key: str) -> str:
        return self.letters.get(key, "")


@dataclass
class RawWorkbook:
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    def rows(self, name: str) -> list[RawRow]:
        found = self.sheets.get(name)
        return found.rows if found else []


XLSX_TOO_BIG = "文件超过{limit}MB，请拆分后分批导入"
NOT_XLSX = (
    "文件不是有效的 Excel 工作簿（.xlsx）；请用 Excel 或 WPS 另存为“Excel 工作簿(*.xlsx)”后上传"
)


def xlsx_content_error(data: bytes, *, max_bytes: int | None = None) -> str | None:
    """Why these bytes are not an .xlsx we may open, or None. An .xlsx is a zip
    with ``[Content_Types].xml`` and a workbook part — checked here, not by
    the file name."""
    if max_bytes is not None and len(data) > max_bytes:
        return XLSX_TOO_BIG.format(limit=max_bytes // (1024 * 1024))
    if not data:
        return "文件是空的"
    if not data.startswith(b"PK\x03\x04"):
        return NOT_XLSX
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return NOT_XLSX
            # A zip bomb would blow up when openpyxl inflates it.
            if sum(i.file_size for i in zf.infolist()) > 40 * len(data) + 50 * 1024 * 1024:
                return "文件解压后过大，请检查文件内容"
    except zipfile.BadZipFile:
        return NOT_XLSX
    return None


def _normal_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = re.sub(r"\s+", "", text)
    text = text.replace("(", "（").replace(")", "）")
    for mark in ("（必填）", "（选填）", "*", "＊"):
        text = text.replace(mark, "")
    return text


def read_workbook(data: bytes | BinaryIO) -> RawWorkbook:
    """The known sheets of a workbook as raw rows keyed by column key.

    Unknown sheets and columns, missing required columns and duplicate
    headers are reported; fully blank rows are skipped.
    """
    raw = RawWorkbook()
    blob = data if isinstance(data, bytes) else data.read()
    reason = xlsx_content_error(blob)
    if reason is None:
        try:
            book = load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a damaged file
            reason = NOT_XLSX
    if reason is not None:
        raw.errors.append(make_error("", 0, "", "", reason))
        return raw
    try:
        for ws in book.worksheets:
            title = (ws.title or "").strip()
            if title == README_SHEET:
                continue
            sheet = SHEET_BY_NAME.get(title)
            if sheet is None:
                raw.errors.append(
                    make_error(
                        title,
                        0,
                        "",
                        "",
                        f"无法识别的工作表“{title}”；可用的工作表："
                        + "、".join(s.name for s in SHEETS),
                    )
                )
                continue
            raw.sheets[title] = _read_sheet(ws, sheet, raw.errors)
    finally:
        book.close()
    if not raw.sheets and not raw.errors:
        raw.errors.append(
            make_error("", 0, "", "", "工作簿中没有可导入的工作表（如“基本目录”“实施清单”）")
        )
    return raw


def _read_sheet(ws: Any, sheet: Sheet, errors: list[CellError]) -> RawSheet:
    by_header = {_normal_header(c.header): c for c in sheet.columns}
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    positions: dict[int, Column] = {}
    letters: dict[str, str] = {}
    for index, value in enumerate(header_row):
        name = _normal_header(value)
        if not name:
            continue
        letter = get_column_letter(index + 1)
        column = by_header.get(name)
        if column is None:
            errors.append(make_error(sheet.name, 1, letter, name, f"无法识别的列“{name}”"))
            continue
        if column.key in letters:
            errors.append(
                make_error(
                    sheet.name,
                    1,
                    letter,
                    column.header,
                    f"列“{column.header}”重复（已在{letters[column.key]}列）",
                )
            )
            continue
        positions[index] = column
        letters[column.key] = letter
    for column in sheet.columns:
        if column.required and column.key not in letters:
            errors.append(
                make_error(sheet.name, 1, "", column.header, f"缺少必填列“{column.header}”")
            )
    result = RawSheet(sheet, letters, [])
    for number, values in enumerate(rows, start=2):
        if not any(v is not None and str(v).strip() != "" for v in values):
            continue
        if len(result.rows) >= MAX_ROWS_PER_SHEET:
            errors.append(
                make_error(
                    sheet.name,
                    number,
                    "",
                    "",
                    f"一个工作表最多{MAX_ROWS_PER_SHEET}行，请拆分后分批导入",
                )
            )
            break
        cells = {
            positions[i].key: v for i, v in enumerate(values) if i in positions and v is not None
        }
        result.rows.append(RawRow(number, cells))
    return result


# --- the database as the checks see it --------------------------------------------------


@dataclass(frozen=True)
class AgencyRef:
    id: int
    name: str
    division_code: str


@dataclass(frozen=True)
class ItemTypeRef:
    code: str
    name: str
    is_power: bool


@dataclass(frozen=True)
class EntryRef:
    basic_code: str
    name: str
    item_type_code: str
    is_power: bool
    legal_basis: list[dict[str, Any]]
    owner_credit_code: str


@dataclass(frozen=True)
class ItemRef:
    implementation_code: str
    basic_code: str
    credit_code: str
    division_code: str
    is_convenience: bool
    guide: dict[str, Any] | None = None  # the newest version's GuideDoc, when loaded


@dataclass
class Reference:
    """What the checks need from the database, for the codes a workbook
    mentions (loaded by ``excel.reference_for``; built by hand in tests)."""

    agencies: dict[str, AgencyRef] = field(default_factory=dict)  # credit code ->
    divisions: dict[str, str] = field(default_factory=dict)  # code -> name
    item_types: dict[str, ItemTypeRef] = field(default_factory=dict)  # code and name ->
    entries: dict[str, EntryRef] = field(default_factory=dict)  # basic code ->
    items: dict[str, ItemRef] = field(default_factory=dict)  # implementation code ->
    tags: dict[str, str] = field(default_factory=dict)  # name and code -> code
    topics: dict[str, str] = field(default_factory=dict)  # name and code -> code ("" ambiguous)
    roles: dict[str, str] = field(default_factory=dict)  # name and code -> code
    basic_code_pattern: str = DEFAULT_BASIC_CODE_PATTERN
    implementation_code_pattern: str = DEFAULT_IMPLEMENTATION_CODE_PATTERN

    _pairs: dict[tuple[str, str], list[ItemRef]] | None = field(
        default=None, repr=False, compare=False
    )
    _pairs_size: int = field(default=-1, repr=False, compare=False)

    def items_by_pair(self, basic_code: str, credit_code: str) -> list[ItemRef]:
        """The items of one entry by one agency (indexed on first use)."""
        if self._pairs is None or self._pairs_size != len(self.items):
            self._pairs = {}
            for i in self.items.values():
                self._pairs.setdefault((i.basic_code, i.credit_code), []).append(i)
            self._pairs_size = len(self.items)
        return list(self._pairs.get((basic_code, credit_code), []))


@dataclass(frozen=True)
class Mentioned:
    """The codes a workbook names, so the reference loads only those."""

    credit_codes: frozenset[str]
    division_codes: frozenset[str]
    basic_codes: frozenset[str]
    implementation_codes: frozenset[str]


def mentioned_codes(raw: RawWorkbook) -> Mentioned:
    credit: set[str] = set()
    divisions: set[str] = set()
    basic: set[str] = set()
    impl: set[str] = set()
    for rs in raw.sheets.values():
        for row in rs.rows:
            v = row.values
            for key in ("owner", "agency"):
                if v.get(key) is not None:
                    credit.add(normalize_credit_code(_text(v[key])))
            if v.get("division") is not None:
                divisions.add(_code_text(v["division"]))
            for key in ("basic_code", "parent"):
                if v.get(key) is not None:
                    basic.add(_code_text(v[key]))
            if v.get("implementation_code") is not None:
                impl.add(_code_text(v["implementation_code"]))
    return Mentioned(frozenset(credit), frozenset(divisions), frozenset(basic), frozenset(impl))


# --- cell readers ---------------------------------------------------------------------


class CellProblem(ValueError):
    """A cell's value cannot be used; the message is the Chinese reason."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _code_text(value: Any) -> str:
    return re.sub(r"\s+", "", _text(value)).upper()


_FULLWIDTH = str.maketrans("（）＋，；：／", "()+,;:/")


def _norm_label(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FULLWIDTH).replace("，", ",").lower()


def _choice_lookup(choices: Mapping[str, str]) -> dict[str, str]:
    table = {}
    for value, label in choices.items():
        table[_norm_label(label)] = value
        table[_norm_label(value)] = value
    for alias, value in _ALIASES.get(id(choices), {}).items():
        table[_norm_label(alias)] = value
    return table


def choice_options(choices: Mapping[str, str]) -> str:
    return "／".join(choices.values())


def read_choice(value: Any, choices: Mapping[str, str]) -> str:
    text = _text(value)
    if not text:
        return ""
    found = _choice_lookup(choices).get(_norm_label(text))
    if found is None:
        raise CellProblem(f"“{text}”不是可选值，可填：{choice_options(choices)}")
    return found


_SPLIT = re.compile(r"[、,，;；/／\n]+")


def read_multi(value: Any, choices: Mapping[str, str]) -> list[str]:
    text = _text(value)
    if not text:
        return []
    table = _choice_lookup(choices)
    whole = table.get(_norm_label(text))
    if whole is not None:
        return [whole]
    # Labels may contain the separator themselves (乡镇（街道）级 does not, but be safe):
    # split, then read each part.
    found: list[str] = []
    bad: list[str] = []
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        value_code = table.get(_norm_label(part))
        if value_code is None:
            bad.append(part)
        elif value_code not in found:
            found.append(value_code)
    if bad:
        raise CellProblem(
            f"“{'、'.join(bad)}”不是可选值，可填（可多选，用“、”分隔）：{choice_options(choices)}"
        )
    return found


def read_int(value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellProblem("应填写整数")
    number: int
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellProblem(f"“{value:g}”不是整数")
        number = int(value)
    else:
        text = _text(value)
        if not re.fullmatch(r"-?\d+", text):
            raise CellProblem(f"“{text}”不是数字，应填写整数（如 20）")
        number = int(text)
    if minimum is not None and number < minimum:
        raise CellProblem(f"不能小于{minimum}")
    if maximum is not None and number > maximum:
        raise CellProblem(f"不能大于{maximum}")
    return number


def read_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = _text(value).upper()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellProblem(f"“{_text(value)}”应填写“是”或“否”")


_BASIS_LINE = re.compile(
    r"^《(?P<title>[^》]+)》\s*(?P<article>[^：:]*?)\s*(?:[：:]\s*(?P<text>.*))?$"
)


_URL_LINE = re.compile(r"^(?:链接|网址)[：:]\s*(?P<url>\S+)$")


def read_basis(value: Any) -> list[dict[str, str]]:
    """``《法名》第X条：条文`` per line. A line ``链接：https://…`` gives the
    previous reference's link; any other line that does not start with 《
    continues the previous reference's text."""
    text = _text(value)
    result: list[dict[str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        match = _BASIS_LINE.match(line)
        if match is None:
            if not result:
                raise CellProblem(
                    f"第{number}行“{line[:20]}”应为“《法律法规名称》第X条：条文内容”的格式"
                )
            link = _URL_LINE.match(line)
            if link is not None:
                result[-1]["url"] = link["url"]
            else:
                result[-1]["text"] = (result[-1].get("text", "") + "\n" + line).strip()
            continue
        ref = {"title": match["title"].strip()}
        # Empty parts are left out, as the services store them.
        for key in ("article", "text"):
            if (match[key] or "").strip():
                ref[key] = match[key].strip()
        result.append(ref)
    return result


def write_basis(basis: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for b in basis or []:
        head = f"《{b.get('title', '')}》{b.get('article', '')}"
        text = str(b.get("text", "") or "")
        lines.append(f"{head}：{text}" if text else head)
        if b.get("url"):
            lines.append(f"链接：{b['url']}")
    return "\n".join(lines)


def read_json(value: Any) -> dict[str, Any]:
    text = _text(value)
    if not text:
        return {}
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise CellProblem(f"不是有效的 JSON（第{getattr(exc, 'lineno', 1)}行附近）") from exc
    if not isinstance(parsed, dict):
        raise CellProblem("应为 JSON 对象（以 { 开头）")
    return parsed


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


def read_names(value: Any, table: Mapping[str, str], what: str) -> list[str]:
    text = _text(value)
    if not text:
        return []
    found: list[str] = []
    bad: list[str] = []
    ambiguous: list[str] = []
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        code = table.get(part)
        if code is None:
            bad.append(part)
        elif code == "":
            ambiguous.append(part)
        elif code not in found:
            found.append(code)
    if bad:
        raise CellProblem(f"平台中没有{what}“{'、'.join(bad)}”")
    if ambiguous:
        raise CellProblem(f"{what}“{'、'.join(ambiguous)}”有重名，请改填代码")
    return found


# --- the plan: what an import would do ---------------------------------------------------


@dataclass
class EntryPlan:
    row: int
    basic_code: str
    name: str
    item_type_code: str
    legal_basis: list[dict[str, str]]
    exercise_levels: list[str]
    owner_credit_code: str
    parent_code: str  # "" for a main item
    reason: str
    exists: bool


@dataclass
class ItemPlan:
    """One implementation the workbook touches. ``in_sheet``: it has a row in
    实施清单 (its guide is given whole); otherwise only child lists of an item
    already in the database are replaced."""

    sheet: str
    row: int
    implementation_code: str  # "" = generated on create
    exists: bool
    in_sheet: bool
    basic_code: str
    credit_code: str
    division_code: str
    is_convenience: bool
    guide: dict[str, Any]
    tags: list[str] | None = None
    topics: list[str] | None = None
    reason: str = ""
    child_rows: dict[str, list[int]] = field(default_factory=dict)  # list key -> rows

    @property
    def label(self) -> str:
        return self.implementation_code or f"{self.basic_code}/{self.credit_code}"


@dataclass
class Plan:
    entries: list[EntryPlan] = field(default_factory=list)
    items: list[ItemPlan] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- checking ------------------------------------------------------------------------


class _Checker:
    def __init__(self, raw: RawWorkbook, ref: Reference) -> None:
        self.raw = raw
        self.ref = ref
        self.errors: list[CellError] = list(raw.errors)
        self.basic_re = re.compile(ref.basic_code_pattern)
        self.impl_re = re.compile(ref.implementation_code_pattern)
        # (sheet, row) -> keys of columns with an error, so the completeness
        # check does not report a cell twice.
        self.bad_cells: dict[tuple[str, int], set[str]] = {}

    # -- reporting

    def error(self, rs: RawSheet, row: int, key: str, reason: str) -> None:
        header = rs.sheet.column(key).header if key else ""
        self.errors.append(make_error(rs.sheet.name, row, rs.letter(key), header, reason))
        self.bad_cells.setdefault((rs.sheet.name, row), set()).add(key)

    def cell(self, rs: RawSheet, row: RawRow, key: str) -> Any:
        """The cell read by its column's kind; reports the problem and returns
        the column default when the cell cannot be used."""
        column = rs.sheet.column(key)
        value = row.values.get(key)
        try:
            result = self._read(column, value)
        except CellProblem as exc:
            self.error(rs, row.number, key, str(exc))
            return _copy_default(column.default)
        if column.required and (result is None or result == "" or result == []):
            self.error(rs, row.number, key, f"请填写{column.header}")
        if result is None or result == "":
            return _copy_default(column.default)
        return result

    def _read(self, column: Column, value: Any) -> Any:
        kind = column.kind
        if kind == "int":
            return read_int(value, minimum=column.minimum, maximum=column.maximum)
        if kind == "bool":
            return read_bool(value)
        if kind == "choice":
            assert column.choices is not None
            return read_choice(value, column.choices)
        if kind in ("multi", "levels"):
            assert column.choices is not None
            found = read_multi(value, column.choices)
            order = list(column.choices)
            return sorted(found, key=order.index)
        if kind == "soft_choice":
            assert column.choices is not None
            text = _text(value)
            known = _choice_lookup(column.choices).get(_norm_label(text)) if text else None
            if known is not None:
                return known
            if column.max_length is not None and len(text) > column.max_length:
                raise CellProblem(f"“{text}”不是可选值，可填：{choice_options(column.choices)}")
            return text
        if kind == "basis":
            return read_basis(value)
        if kind == "json":
            return read_json(value)
        if kind == "tags":
            return read_names(value, self.ref.tags, "特色服务清单")
        if kind == "topics":
            return read_names(value, self.ref.topics, "主题分类")
        if kind == "role":
            text = _text(value)
            if text and text not in self.ref.roles:
                raise CellProblem(f"平台中没有办理角色“{text}”")
            return self.ref.roles.get(text, "")
        if kind == "item_type":
            text = _text(value)
            if not text:
                return ""
            item_type = self.ref.item_types.get(text)
            if item_type is None and text.isdigit():
                item_type = self.ref.item_types.get(text.zfill(2))
            if item_type is None:
                names = sorted({t.name for t in self.ref.item_types.values()})
                raise CellProblem(f"“{text}”不是平台中的事项类型，可填：{'／'.join(names)}")
            return item_type.code
        if kind == "credit":
            code = normalize_credit_code(_text(value))
            if not code:
                return ""
            reason = credit_code_error(code)
            if reason:
                raise CellProblem(f"“{code}”：{reason}")
            if code not in self.ref.agencies:
                raise CellProblem(f"平台中没有统一社会信用代码为 {code} 的机构")
            return code
        if kind == "division":
            code = _code_text(value)
            if not code:
                return ""
            if len(code) == 12 and code.endswith("000000"):
                code = code[:6]
            reason = division_code_error(code)
            if reason:
                raise CellProblem(f"“{code}”：{reason}")
            if code not in self.ref.divisions:
                raise CellProblem(f"平台中没有行政区划 {code}")
            return code
        if kind == "basic_code":
            code = _code_text(value)
            if code and not self.basic_re.match(code):
                raise CellProblem(f"基本编码“{code}”格式不正确（应为12位数字或大写字母）")
            return code
        if kind == "impl_code":
            code = _code_text(value)
            if code and not self.impl_re.match(code):
                raise CellProblem(
                    f"实施编码“{code}”格式不正确（应为统一社会信用代码加事项编码，最长40位）"
                )
            return code
        text = _text(value)
        if column.max_length is not None and len(text) > column.max_length:
            raise CellProblem(f"不能超过{column.max_length}个字（现有{len(text)}个字）")
        if kind == "url" and text and not _URL.match(text):
            raise CellProblem(f"“{text[:40]}”不是有效的网址（应以 http:// 或 https:// 开头）")
        return text

    # -- sheets

    def check(self) -> Plan:
        plan = Plan()
        for name, rs in self.raw.sheets.items():
            plan.row_counts[name] = len(rs.rows)
        entries = self._entries()
        plan.entries = list(entries.values())
        items, by_code, by_pair = self._items(entries)
        self._children(items, by_code, by_pair)
        self._cross_checks(items, entries)
        plan.items = items
        plan.errors = sorted(set(self.errors), key=_error_order)
        return plan

    def _entries(self) -> dict[str, EntryPlan]:
        rs = self.raw.sheets.get(ENTRY_SHEET)
        found: dict[str, EntryPlan] = {}
        if rs is None:
            return found
        first_row: dict[str, int] = {}
        for row in rs.rows:
            n = row.number
            code = self.cell(rs, row, "basic_code")
            name = self.cell(rs, row, "name")
            type_code = self.cell(rs, row, "item_type")
            basis = self.cell(rs, row, "legal_basis")
            levels = self.cell(rs, row, "exercise_levels")
            owner = self.cell(rs, row, "owner")
            parent = self.cell(rs, row, "parent")
            reason = self.cell(rs, row, "reason")
            if (
                type_code
                and not basis
                and "legal_basis" not in self.bad_cells.get((rs.sheet.name, n), set())
            ):
                item_type = self.ref.item_types.get(type_code)
                if item_type is not None and item_type.is_power:
                    self.error(rs, n, "legal_basis", "行政权力事项须填写设定依据")
            if not code:
                continue
            if code in first_row:
                self.error(rs, n, "basic_code", f"基本编码 {code} 与第{first_row[code]}行重复")
                continue
            first_row[code] = n
            existing = self.ref.entries.get(code)
            if existing is not None and owner and existing.owner_credit_code != owner:
                self.error(
                    rs,
                    n,
                    "owner",
                    f"事项库中该事项的编制部门是 {existing.owner_credit_code}，"
                    "导入不能变更编制部门",
                )
            found[code] = EntryPlan(
                row=n,
                basic_code=code,
                name=name,
                item_type_code=type_code,
                legal_basis=basis,
                exercise_levels=levels,
                owner_credit_code=owner,
                parent_code=parent,
                reason=reason,
                exists=existing is not None,
            )
        for plan in found.values():
            if not plan.parent_code:
                continue
            if plan.parent_code == plan.basic_code:
                self.error(rs, plan.row, "parent", "主项基本编码不能是本事项自己")
            elif plan.parent_code not in found and plan.parent_code not in self.ref.entries:
                self.error(
                    rs,
                    plan.row,
                    "parent",
                    f"主项 {plan.parent_code} 既不在“基本目录”工作表中，也不在事项库中",
                )
            elif plan.parent_code in found and found[plan.parent_code].parent_code:
                self.error(rs, plan.row, "parent", f"{plan.parent_code} 本身是子项，不能作为主项")
        return found

    def _entry_known(self, code: str, entries: dict[str, EntryPlan]) -> bool:
        return code in entries or code in self.ref.entries

    def _items(
        self, entries: dict[str, EntryPlan]
    ) -> tuple[list[ItemPlan], dict[str, ItemPlan], dict[tuple[str, str], list[ItemPlan]]]:
        items: list[ItemPlan] = []
        by_code: dict[str, ItemPlan] = {}
        by_pair: dict[tuple[str, str], list[ItemPlan]] = {}
        rs = self.raw.sheets.get(ITEM_SHEET)
        if rs is None:
            return items, by_code, by_pair
        code_rows: dict[str, int] = {}
        triple_rows: dict[tuple[str, str, str], int] = {}
        for row in rs.rows:
            n = row.number
            impl = self.cell(rs, row, "implementation_code")
            basic = self.cell(rs, row, "basic_code")
            name = self.cell(rs, row, "name")
            agency = self.cell(rs, row, "agency")
            division = self.cell(rs, row, "division")
            convenience = self.cell(rs, row, "is_convenience")
            guide = {key: self.cell(rs, row, key) for key in GUIDE_SCALAR_KEYS}
            tags = self.cell(rs, row, "tags")
            topics = self.cell(rs, row, "topics")
            reason = self.cell(rs, row, "reason")
            if basic and not self._entry_known(basic, entries):
                self.error(
                    rs,
                    n,
                    "basic_code",
                    f"基本编码 {basic} 既不在“基本目录”工作表中，也不在事项库中",
                )
            if basic and name:
                entry_name = (
                    entries[basic].name
                    if basic in entries
                    else self.ref.entries[basic].name
                    if basic in self.ref.entries
                    else ""
                )
                if entry_name and name != entry_name:
                    self.error(
                        rs,
                        n,
                        "name",
                        f"事项名称须与基本目录一致（应为“{entry_name}”）",
                    )
            exists = False
            if impl:
                if agency and not impl.startswith(agency):
                    self.error(
                        rs,
                        n,
                        "implementation_code",
                        "实施编码应以实施机构的统一社会信用代码开头",
                    )
                if impl in code_rows:
                    self.error(
                        rs,
                        n,
                        "implementation_code",
                        f"实施编码 {impl} 与第{code_rows[impl]}行重复",
                    )
                    continue
                code_rows[impl] = n
                known = self.ref.items.get(impl)
                if known is not None:
                    exists = True
                    if basic and known.basic_code != basic:
                        self.error(
                            rs,
                            n,
                            "basic_code",
                            f"实施编码 {impl} 在事项库中对应基本编码 {known.basic_code}，不能改变",
                        )
                    if agency and known.credit_code != agency:
                        self.error(
                            rs,
                            n,
                            "agency",
                            f"实施编码 {impl} 在事项库中的实施机构是 {known.credit_code}，不能改变",
                        )
                    if division and known.division_code != division:
                        self.error(
                            rs,
                            n,
                            "division",
                            f"实施编码 {impl} 在事项库中的实施区划是 "
                            f"{known.division_code}，不能改变",
                        )
            elif basic and agency and division:
                triple = (basic, agency, division)
                if triple in triple_rows:
                    self.error(
                        rs,
                        n,
                        "basic_code",
                        f"与第{triple_rows[triple]}行是同一机构在同一区划的同一事项；"
                        "如确为不同事项，请填写实施编码区分",
                    )
                    continue
                triple_rows[triple] = n
                same = [
                    i for i in self.ref.items_by_pair(basic, agency) if i.division_code == division
                ]
                if len(same) == 1:
                    impl, exists = same[0].implementation_code, True
                elif len(same) > 1:
                    self.error(
                        rs,
                        n,
                        "implementation_code",
                        "事项库中该机构在该区划有多个同一目录事项的实施清单，请填写实施编码",
                    )
            plan = ItemPlan(
                sheet=ITEM_SHEET,
                row=n,
                implementation_code=impl,
                exists=exists,
                in_sheet=True,
                basic_code=basic,
                credit_code=agency,
                division_code=division,
                is_convenience=bool(convenience),
                guide={
                    **guide,
                    "variants": [],
                    "materials": [],
                    "steps": [],
                    "fees": [],
                    "faqs": [],
                },
                tags=tags,
                topics=topics,
                reason=reason,
            )
            items.append(plan)
            if impl:
                by_code[impl] = plan
            if basic and agency:
                by_pair.setdefault((basic, agency), []).append(plan)
        return items, by_code, by_pair

    def _resolve(
        self,
        rs: RawSheet,
        row: RawRow,
        items: list[ItemPlan],
        by_code: dict[str, ItemPlan],
        by_pair: dict[tuple[str, str], list[ItemPlan]],
    ) -> ItemPlan | None:
        n = row.number
        bad_before = len(self.errors)
        impl = self.cell(rs, row, "implementation_code")
        basic = self.cell(rs, row, "basic_code")
        agency = self.cell(rs, row, "agency")
        if len(self.errors) > bad_before:
            return None
        if impl:
            plan = by_code.get(impl)
            if plan is None:
                known = self.ref.items.get(impl)
                if known is None:
                    self.error(
                        rs,
                        n,
                        "implementation_code",
                        f"实施编码 {impl} 既不在“实施清单”工作表中，也不在事项库中",
                    )
                    return None
                plan = self._db_item(known, rs.sheet.name, n)
                items.append(plan)
                by_code[impl] = plan
            if basic and plan.basic_code and basic != plan.basic_code:
                self.error(rs, n, "basic_code", f"与实施编码 {impl} 对应的基本编码不一致")
                return None
            if agency and plan.credit_code and agency != plan.credit_code:
                self.error(rs, n, "agency", f"与实施编码 {impl} 对应的实施机构不一致")
                return None
            return plan
        if not basic or not agency:
            self.error(
                rs,
                n,
                "implementation_code",
                "请填写实施编码，或同时填写基本编码和实施机构统一社会信用代码",
            )
            return None
        in_sheet = by_pair.get((basic, agency), [])
        if len(in_sheet) == 1:
            return in_sheet[0]
        if len(in_sheet) > 1:
            self.error(
                rs,
                n,
                "implementation_code",
                "“实施清单”中该机构有多行同一基本编码的事项，请填写实施编码指明是哪一个",
            )
            return None
        known_items = self.ref.items_by_pair(basic, agency)
        if len(known_items) > 1:
            self.error(
                rs,
                n,
                "implementation_code",
                "事项库中该机构有多个同一基本编码的实施清单，请填写实施编码指明是哪一个",
            )
            return None
        if not known_items:
            self.error(
                rs,
                n,
                "basic_code",
                f"找不到对应的实施清单事项：基本编码 {basic}、实施机构 {agency} "
                "既不在“实施清单”工作表中，也不在事项库中",
            )
            return None
        known = known_items[0]
        plan = by_code.get(known.implementation_code) or self._db_item(known, rs.sheet.name, n)
        if plan.implementation_code not in by_code:
            items.append(plan)
            by_code[plan.implementation_code] = plan
        by_pair.setdefault((basic, agency), []).append(plan)
        return plan

    @staticmethod
    def _db_item(known: ItemRef, sheet: str, row: int) -> ItemPlan:
        return ItemPlan(
            sheet=sheet,
            row=row,
            implementation_code=known.implementation_code,
            exists=True,
            in_sheet=False,
            basic_code=known.basic_code,
            credit_code=known.credit_code,
            division_code=known.division_code,
            is_convenience=known.is_convenience,
            guide={},
        )

    def _children(
        self,
        items: list[ItemPlan],
        by_code: dict[str, ItemPlan],
        by_pair: dict[tuple[str, str], list[ItemPlan]],
    ) -> None:
        readers = {
            VARIANT_SHEET: self._variant,
            MATERIAL_SHEET: self._material,
            STEP_SHEET: self._step,
            FEE_SHEET: self._fee,
            FAQ_SHEET: self._faq,
        }
        for sheet_name, list_key in CHILD_SHEETS.items():
            rs = self.raw.sheets.get(sheet_name)
            if rs is None:
                continue
            seen_codes: dict[tuple[int, str], int] = {}
            for row in rs.rows:
                doc = readers[sheet_name](rs, row)
                plan = self._resolve(rs, row, items, by_code, by_pair)
                if plan is None:
                    continue
                plan.guide.setdefault(list_key, [])
                plan.child_rows.setdefault(list_key, []).append(row.number)
                code = doc.get("code")
                if code:
                    key = (id(plan), code)
                    if key in seen_codes:
                        self.error(
                            rs,
                            row.number,
                            "code",
                            f"同一事项内{rs.sheet.column('code').header} {code} "
                            f"与第{seen_codes[key]}行重复",
                        )
                        continue
                    seen_codes[key] = row.number
                plan.guide[list_key].append(doc)

    def _doc(self, rs: RawSheet, row: RawRow, keys: Iterable[str]) -> dict[str, Any]:
        return {key: self.cell(rs, row, key) for key in keys}

    def _variant(self, rs: RawSheet, row: RawRow) -> dict[str, Any]:
        return self._doc(rs, row, ("code", "name", "form_schema"))

    def _material(self, rs: RawSheet, row: RawRow) -> dict[str, Any]:
        keys = [c.key for c in MATERIAL_COLUMNS[3:]]
        doc = self._doc(rs, row, keys)
        if not doc.get("variant"):
            doc.pop("variant", None)
        return doc

    def _step(self, rs: RawSheet, row: RawRow) -> dict[str, Any]:
        return self._doc(rs, row, [c.key for c in STEP_COLUMNS[3:]])

    def _fee(self, rs: RawSheet, row: RawRow) -> dict[str, Any]:
        return self._doc(rs, row, [c.key for c in FEE_COLUMNS[3:]])

    def _faq(self, rs: RawSheet, row: RawRow) -> dict[str, Any]:
        return self._doc(rs, row, ("question", "answer"))

    # -- across sheets

    def _cross_checks(self, items: list[ItemPlan], entries: dict[str, EntryPlan]) -> None:
        item_rs = self.raw.sheets.get(ITEM_SHEET)
        material_rs = self.raw.sheets.get(MATERIAL_SHEET)
        for plan in items:
            known = self.ref.items.get(plan.implementation_code) if plan.exists else None
            base: dict[str, Any] = dict(known.guide or {}) if known and not plan.in_sheet else {}
            effective = {**base, **plan.guide}
            # A material's variant must be a variant of the same item.
            variants = {v.get("code") for v in effective.get("variants") or []}
            if material_rs is not None and "materials" in plan.guide:
                rows = plan.child_rows.get("materials", [])
                for doc, number in zip(plan.guide["materials"], rows, strict=False):
                    if doc.get("variant") and doc["variant"] not in variants:
                        self.error(
                            material_rs,
                            number,
                            "variant",
                            f"所属办理项 {doc['variant']} 不是该事项的办理项",
                        )
            if known is not None and not plan.in_sheet and known.guide is None:
                continue  # the guide could not be read: the services will check it
            self._completeness(plan, effective, entries, item_rs)

    def _completeness(
        self,
        plan: ItemPlan,
        doc: dict[str, Any],
        entries: dict[str, EntryPlan],
        item_rs: RawSheet | None,
    ) -> None:
        if plan.basic_code in entries:
            e = entries[plan.basic_code]
            item_type = self.ref.item_types.get(e.item_type_code)
            is_power = item_type.is_power if item_type else True
            basis: list[Any] = e.legal_basis
        elif plan.basic_code in self.ref.entries:
            known = self.ref.entries[plan.basic_code]
            is_power, basis = known.is_power, known.legal_basis
        else:
            return
        missing = missing_elements(
            doc,  # type: ignore[arg-type]
            convenience=plan.is_convenience,
            is_power=is_power,
            legal_basis=basis,
        )
        labels = {label: key for key, label, _full, _light in ELEMENTS}
        if plan.in_sheet and item_rs is not None:
            rs, row = item_rs, plan.row
        else:
            rs_found = self.raw.sheets.get(plan.sheet)
            if rs_found is None:
                return
            rs, row = rs_found, plan.row
        already = self.bad_cells.get((rs.sheet.name, row), set())
        if already & {"implementation_code", "basic_code", "agency"}:
            return  # its child rows cannot be matched to it: no list is known
        for label in missing:
            if label.startswith("申请材料“"):
                continue  # reported on the material's row
            key = labels.get(label, "")
            if key in already:
                continue
            if key in SHEET_OF_LIST:
                self.error(
                    rs,
                    row,
                    "",
                    f"办事指南缺少“{label}”：请在“{SHEET_OF_LIST[key]}”工作表中为该事项填写",
                )
            elif key and rs.sheet.name == ITEM_SHEET:
                self.error(rs, row, key, f"办事指南缺少“{label}”")
            else:
                self.error(rs, row, "", f"办事指南缺少“{label}”")


def _copy_default(value: Any) -> Any:
    if isinstance(value, list | dict):
        return type(value)()
    return value


def check_workbook(raw: RawWorkbook, ref: Reference) -> Plan:
    """Every problem of the workbook against the reference, and what an import
    would do. Pure: nothing is written."""
    return _Checker(raw, ref).check()


# --- writing rows back (export) ----------------------------------------------------------


def cell_value(column: Column, value: Any) -> Any:
    """A model value as the cell the import reads back to the same value."""
    kind = column.kind
    if value is None:
        return None
    if isinstance(value, str) and kind not in ("choice", "soft_choice"):
        return value or None  # already as an operator types it
    if kind == "bool":
        return "是" if value else "否"
    if kind in ("choice", "soft_choice"):
        assert column.choices is not None
        return column.choices.get(value, value) if value else None
    if kind in ("multi", "levels"):
        assert column.choices is not None
        return "、".join(column.choices.get(v, v) for v in value) or None
    if kind == "basis":
        return write_basis(value) or None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
    if kind in ("tags", "topics"):
        return "、".join(value) or None
    if value == "":
        return None
    return value


def iter_rows(sheet: Sheet, records: Iterable[Mapping[str, Any]]) -> Iterator[list[Any]]:
    for record in records:
        yield [cell_value(c, record.get(c.key)) for c in sheet.columns]


def item_records(
    key: Mapping[str, Any],
    guide: Mapping[str, Any],
    *,
    fields: Mapping[str, Any] | None = None,
    role_names: Mapping[str, str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """One item as records per sheet: its 实施清单 row (``key`` — 实施编码,
    基本编码, 实施机构 — plus ``fields`` such as division and the guide's
    scalars) and a row per variant, material, step, fee and FAQ, each with
    the key. ``role_names`` writes a step's role by name."""
    records: dict[str, list[dict[str, Any]]] = {ITEM_SHEET: [], **{s: [] for s in CHILD_SHEETS}}
    row: dict[str, Any] = dict(key)
    row.update({k: guide.get(k) for k in GUIDE_SCALAR_KEYS if k in guide})
    row.update(fields or {})
    records[ITEM_SHEET].append(row)
    for sheet, list_key in CHILD_SHEETS.items():
        for child in guide.get(list_key) or []:
            record = {**key, **child}
            if list_key == "steps" and role_names:
                code = child.get("role_code", "")
                record["role_code"] = role_names.get(code, code)
            records[sheet].append(record)
    return records


def merge_records(
    *parts: Mapping[str, Iterable[Mapping[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for part in parts:
        for sheet, rows in part.items():
            merged.setdefault(sheet, []).extend(dict(r) for r in rows)
    return merged


_CODE_KINDS = frozenset({"basic_code", "impl_code", "credit", "division"})
_HEADER_FILL = "DDEBF7"
_REQUIRED_FILL = "FCE4D6"


def _readme_rows() -> list[list[str]]:
    rows = [
        ["工作表", "列", "必填", "说明"],
        ["（全部）", "", "", "第1行为列名，不要改动；每行一条记录；空行会被跳过。"],
        [
            "（全部）",
            "",
            "",
            "先“预检”（不写入任何数据），全部通过后再“确认导入”；导入要么全部成功，要么全部不生效。",
        ],
    ]
    for sheet in SHEETS:
        rows.append([sheet.name, "", "", sheet.note])
        for c in sheet.columns:
            note = c.note
            if c.choices and c.kind in ("choice", "multi", "levels", "soft_choice"):
                options = "可填：" + choice_options(c.choices)
                note = f"{note}；{options}" if note else options
            elif c.kind == "bool":
                note = f"{note}；填“是”或“否”" if note else "填“是”或“否”"
            elif c.kind == "int":
                bounds = "整数"
                if c.minimum is not None and c.maximum is not None:
                    bounds = f"{c.minimum}至{c.maximum}的整数"
                note = f"{note}；{bounds}" if note else bounds
            rows.append([sheet.name, c.header, "是" if c.required else "", note])
    return rows


def write_workbook(
    records: Mapping[str, Iterable[Mapping[str, Any]]], *, stream: BinaryIO | None = None
) -> bytes:
    """A workbook in this layout: every sheet (with its headers) in order, the
    given records as rows (keyed by column key), a 填表说明 sheet, drop-down
    lists on choice columns and codes kept as text. Written in openpyxl's
    write-only mode, so a whole catalogue streams out in bounded memory.
    Returns the bytes, or writes to ``stream`` and returns b""."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    required_fill = PatternFill("solid", fgColor=_REQUIRED_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        ws.freeze_panes = "A2"
        for index, c in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = c.width
            if c.kind in _CODE_KINDS:
                ws.column_dimensions[letter].number_format = "@"
            options: list[str] | None = None
            if c.kind in ("choice",) and c.choices:
                options = list(c.choices.values())
            elif c.kind == "bool":
                options = ["是", "否"]
            if options and len(",".join(options)) < 250:
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(options) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="请从列表中选择",
                    error="可填：" + "／".join(options),
                )
                dv.add(f"{letter}2:{letter}{MAX_ROWS_PER_SHEET + 1}")
                ws.data_validations.append(dv)
        header = []
        for c in sheet.columns:
            cell = WriteOnlyCell(ws, value=c.header)
            cell.font = bold
            cell.fill = required_fill if c.required else header_fill
            header.append(cell)
        ws.append(header)
        for values in iter_rows(sheet, records.get(sheet.name, ())):
            row = []
            for c, value in zip(sheet.columns, values, strict=True):
                if c.kind in _CODE_KINDS and value is not None:
                    cell = WriteOnlyCell(ws, value=str(value))
                    cell.number_format = "@"
                    row.append(cell)
                elif isinstance(value, str) and ("\n" in value or value.startswith("=")):
                    cell = WriteOnlyCell(ws, value=value)
                    # Text, never a formula: a guide text starting with "=" must
                    # neither run in Excel nor come back empty.
                    cell.data_type = "s"
                    if "\n" in value:
                        cell.alignment = wrap
                    row.append(cell)
                else:
                    row.append(value)
            ws.append(row)
    readme = book.create_sheet(README_SHEET)
    for width, letter in zip((12, 26, 6, 80), "ABCD", strict=True):
        readme.column_dimensions[letter].width = width
    for number, values in enumerate(_readme_rows()):
        if number == 0:
            cells = []
            for v in values:
                cell = WriteOnlyCell(readme, value=v)
                cell.font = bold
                cells.append(cell)
            readme.append(cells)
        else:
            readme.append(values)
    if stream is not None:
        book.save(stream)
        return b""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = [
    "CHILD_SHEETS",
    "ENTRY_SHEET",
    "FAQ_SHEET",
    "FEE_SHEET",
    "ITEM_SHEET",
    "MATERIAL_SHEET",
    "README_SHEET",
    "SHEETS",
    "STEP_SHEET",
    "VARIANT_SHEET",
    "AgencyRef",
    "CellError",
    "Column",
    "EntryPlan",
    "EntryRef",
    "ItemPlan",
    "ItemRef",
    "ItemTypeRef",
    "Plan",
    "RawWorkbook",
    "Reference",
    "Sheet",
    "cell_value",
    "check_workbook",
    "item_records",
    "iter_rows",
    "make_error",
    "mentioned_codes",
    "merge_records",
    "read_workbook",
    "write_workbook",
    "xlsx_content_error",
]
