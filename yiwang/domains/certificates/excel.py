"""Excel bulk import of legacy (paper) certificates (R7.3), in the manner of
catalog/excel.py: a dry run (预检) reports every problem with its row, column
and reason and changes nothing; the real import runs through
``services.certificate_issue(source="import")`` in one transaction and
commits only when every row is good — all or nothing.

The sheet (the first one; ``certificate_import_template`` writes it): one
header row, then one certificate per row.

    A 证照类型代码 | B 证照编号 | C 持证主体 | D 持证主体代码类型 | E 持证主体代码 |
    F 颁证日期 | G 有效期起始 | H 有效期截止 | then one column per field of the
    type's face, headed by the field's title (or its key)

持证主体代码类型: 111 / 居民身份证 or 001 / 统一社会信用代码. Dates as Excel
dates or YYYY-MM-DD; an empty 有效期截止 means 长期; an empty 有效期起始 is the
issue date. Each imported certificate gets its identifier, PDF and seal
signature like any other; the holder's account is linked by ID number or
credit code when there is one (and later, when it registers).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import transaction

from yiwang.core.actors import Actor
from yiwang.core.audit import service_transaction
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.domains.certificates import services
from yiwang.domains.certificates.models import Certificate, CertificateType, HolderCodeType, Source
from yiwang.domains.orgs.models import Agency

SHEET = "存量证照"
FIXED = [
    ("type_code", "证照类型代码"),
    ("number", "证照编号"),
    ("holder_name", "持证主体"),
    ("holder_code_type", "持证主体代码类型"),
    ("holder_code", "持证主体代码"),
    ("issued_on", "颁证日期"),
    ("valid_from", "有效期起始"),
    ("valid_to", "有效期截止"),
]
_CODE_TYPES = {
    "111": HolderCodeType.RESIDENT_ID,
    "居民身份证": HolderCodeType.RESIDENT_ID,
    "001": HolderCodeType.CREDIT_CODE,
    "统一社会信用代码": HolderCodeType.CREDIT_CODE,
}


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number (1 is the header); 0 = the workbook
    letter: str  # column letter, "" = the whole row
    header: str
    reason: str

    @property
    def column(self) -> str:
        if self.letter and self.header:
            return f"{self.letter}（{self.header}）"
        return self.letter or self.header

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "工作簿"
        if self.column:
            where += f" {self.column} 列"
        return f"{where}：{self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    dry_run: bool
    applied: bool = False
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"发现 {len(self.errors)} 个问题，未导入任何证照（共 {self.rows} 行）"
        if self.dry_run:
            return f"预检通过，可以导入 {self.rows} 本证照"
        return f"导入完成，共 {self.rows} 本证照"

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "applied": self.applied,
            "rows": self.rows,
            "errors": [e.as_dict() for e in self.errors],
            "identifiers": self.identifiers,
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip().replace("/", "-"))


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    data: dict[str, Any]
    ctype: CertificateType | None = None


def _read(data: bytes | BinaryIO, report: ImportReport) -> tuple[list[_Row], dict[str, int]]:
    from openpyxl import load_workbook

    raw = data if isinstance(data, bytes) else data.read()
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        report.errors.append(RowError(0, "", "", f"文件不是有效的 Excel 工作簿（.xlsx）：{exc}"))
        return [], {}
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    if not rows:
        report.errors.append(RowError(0, "", "", "工作表是空的"))
        return [], {}
    headers = {_text(h): i for i, h in enumerate(rows[0]) if _text(h)}
    for _key, title in FIXED:
        if title not in headers:
            report.errors.append(RowError(1, "", title, f"缺少“{title}”列"))
    if report.errors:
        return [], headers
    fixed_titles = {title for _, title in FIXED}
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in row):
            continue
        values = {
            key: row[headers[title]] if headers[title] < len(row) else None for key, title in FIXED
        }
        extra = {h: row[i] for h, i in headers.items() if h not in fixed_titles and i < len(row)}
        out.append(_Row(n, values, extra))
    return out, headers


def _check_row(
    row: _Row,
    headers: dict[str, int],
    issuer: Agency,
    seen: dict[tuple[str, str], int],
    report: ImportReport,
) -> dict[str, Any] | None:
    """The row as keyword arguments of certificate_issue, or None (errors reported)."""
    errors: list[RowError] = []

    def bad(key: str, reason: str) -> None:
        title = dict(FIXED).get(key, key)
        col = headers.get(title)
        errors.append(
            RowError(row.number, _letter(col + 1) if col is not None else "", title, reason)
        )

    v = row.values
    type_code = _text(v["type_code"]).upper()
    ctype = CertificateType.objects.filter(code=type_code).first() if type_code else None
    if ctype is None:
        bad("type_code", "证照类型不存在" if type_code else "必填")
    elif not ctype.active:
        bad("type_code", f"证照类型“{ctype.name}”已停用")
    number = _text(v["number"])
    if not number:
        bad("number", "必填")
    elif ctype is not None:
        seen_key = (ctype.code, number)
        if seen_key in seen:
            bad("number", f"与第 {seen[seen_key]} 行的证照编号重复")
        elif Certificate.objects.filter(type=ctype, issuer=issuer, number=number).exists():
            bad("number", "该证照编号已存在")
        seen.setdefault(seen_key, row.number)
    code_type = _CODE_TYPES.get(_text(v["holder_code_type"]))
    if code_type is None:
        bad("holder_code_type", "应为 111（居民身份证）或 001（统一社会信用代码）")
    dates: dict[str, dt.date | None] = {}
    for key in ("issued_on", "valid_from", "valid_to"):
        try:
            dates[key] = _date(v[key])
        except ValueError:
            bad(key, "日期格式应为 YYYY-MM-DD")
            dates[key] = None
    if dates.get("issued_on") is None and not any(e.header == "颁证日期" for e in errors):
        bad("issued_on", "必填")
    start = dates.get("valid_from") or dates.get("issued_on")
    if start and dates.get("valid_to") and dates["valid_to"] < start:  # type: ignore[operator]
        bad("valid_to", "有效期截止日期早于起始日期")
    data: dict[str, Any] = {}
    if ctype is not None:
        props = (ctype.field_schema or {}).get("properties") or {}
        for name, prop in props.items():
            title = str((prop or {}).get("title") or name)
            raw = row.data.get(title, row.data.get(name))
            if raw in (None, ""):
                continue
            kind = (prop or {}).get("type")
            if kind in ("number", "integer"):
                with contextlib.suppress(TypeError, ValueError):
                    raw = int(raw) if kind == "integer" else float(raw)
            else:
                raw = _text(raw) if not isinstance(raw, dt.date) else raw.isoformat()
            data[name] = raw
        if code_type is not None:
            try:
                services._check_holder(
                    _text(v["holder_name"]), _text(v["holder_code"]), code_type, ctype
                )
            except DomainError as exc:
                holder_fields = ("holder_name", "holder_code_type", "holder_code")
                key = next((f for f in holder_fields if f in exc.fields), "holder_code")
                bad(key, exc.message)
        try:
            services._check_data(ctype, data)
        except DomainError as exc:
            titles = {k: str((p or {}).get("title") or k) for k, p in props.items()}
            for fname, reason in (exc.fields or {"": exc.message}).items():
                title = titles.get(fname, fname)
                col = headers.get(title, headers.get(fname))
                errors.append(
                    RowError(row.number, _letter(col + 1) if col is not None else "", title, reason)
                )
    report.errors.extend(errors)
    if errors:
        return None
    return {
        "type_id": ctype.pk,  # type: ignore[union-attr]
        "number": number,
        "holder_name": _text(v["holder_name"]),
        "holder_code": _text(v["holder_code"]),
        "holder_code_type": code_type,
        "issued_on": dates["issued_on"],
        "valid_from": dates.get("valid_from"),
        "valid_to": dates.get("valid_to"),
        "data": data,
    }


def certificates_import(
    *,
    actor: Actor,
    issuer: Agency,
    data: bytes | BinaryIO,
    dry_run: bool = True,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check a workbook of legacy certificates of ``issuer`` and (unless
    ``dry_run``) import them, all or nothing."""
    if not actor.has_permission("certificates.issue", agency_id=issuer.pk):
        raise PermissionDenied("您无权以该单位名义导入电子证照", code="certificate_forbidden")
    report = ImportReport(dry_run=dry_run)
    rows, headers = _read(data, report)
    report.rows = len(rows)
    if report.errors:
        return report
    seen: dict[tuple[str, str], int] = {}
    checked = [(row, _check_row(row, headers, issuer, seen, report)) for row in rows]
    if report.errors or dry_run:
        return report
    with service_transaction():
        for row, kwargs in checked:
            assert kwargs is not None
            try:
                cert = services.certificate_issue(
                    actor=actor, issuer=issuer, source=Source.IMPORT, **kwargs
                )
            except DomainError as exc:
                report.errors.append(RowError(row.number, "", "", exc.message))
                break
            report.identifiers.append(cert.identifier)
            if on_row is not None:
                on_row(row.number)
        if report.errors:
            report.identifiers = []
            transaction.set_rollback(True)
        else:
            report.applied = True
    return report


def certificate_import_template(ctype: CertificateType | None = None) -> bytes:
    """An empty workbook with the header row (and ``ctype``'s field columns)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    headers = [title for _, title in FIXED]
    if ctype is not None:
        props = (ctype.field_schema or {}).get("properties") or {}
        headers += [str((p or {}).get("title") or k) for k, p in props.items()]
    ws.append(headers)
    if ctype is not None:
        ws.append([ctype.code, "", "", "111" if ctype.holder_kind == "person" else "001"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
