"""Input of the calendar pages (R6.4, R10.2): one line per holiday range or make-up day.

    2027-01-01 元旦
    2027-02-06..2027-02-12 春节
    2027-02-14 调休上班

Only the shape of the text is checked here (dates, ranges, names, repeats),
with the line number; whether the days make a valid year is the service's
call (yiwang.core.calendar.calendar_year_define).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms

# A day whose name says people go to work (调休上班, 补班) is a make-up working day.
WORKING_WORDS = ("上班", "补班")
MAX_RANGE_DAYS = 31

_LINE = re.compile(r"^(?P<start>\S+?)(?:\s*(?:\.\.|~|～|至)\s*(?P<end>\S+?))?(?:\s+(?P<name>.+))?$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass
class Parsed:
    days: list[tuple[dt.date, bool, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _date(text: str) -> dt.date | None:
    m = _DATE.match(text.replace("/", "-").replace(".", "-"))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def is_working_name(name: str) -> bool:
    return any(word in name for word in WORKING_WORDS)


def parse_days(text: str) -> Parsed:
    """(date, is_working_day, name) for every day the lines name, or errors
    like “第3行：……”. Blank lines and lines starting with # are skipped."""
    result = Parsed()
    seen: dict[dt.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            result.errors.append(
                f"第{number}行：无法识别，应为“日期 名称”或“开始日期..结束日期 名称”"
            )
            continue
        start = _date(m["start"])
        end = _date(m["end"]) if m["end"] else start
        if start is None or end is None:
            bad = m["start"] if start is None else m["end"]
            result.errors.append(f"第{number}行：“{bad}”不是有效日期，格式应为 YYYY-MM-DD")
            continue
        if end < start:
            result.errors.append(f"第{number}行：结束日期早于开始日期")
            continue
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            result.errors.append(f"第{number}行：一个区间不应超过{MAX_RANGE_DAYS}天")
            continue
        name = (m["name"] or "").strip()
        if not name:
            result.errors.append(f"第{number}行：请写明名称，如“元旦”或“调休上班”")
            continue
        if len(name) > 64:
            result.errors.append(f"第{number}行：名称不应超过64个字")
            continue
        working = is_working_name(name)
        day = start
        while day <= end:
            if day in seen:
                result.errors.append(f"第{number}行：{day:%Y-%m-%d} 已在第{seen[day]}行出现")
            else:
                seen[day] = number
                result.days.append((day, working, name))
            day += dt.timedelta(days=1)
    return result


def format_days(days: Iterable[tuple[dt.date, bool, str]]) -> str:
    """The inverse of :func:`parse_days`: consecutive days of one name become a range."""
    lines: list[tuple[dt.date, dt.date, bool, str]] = []
    for day, working, name in sorted(days):
        if lines:
            start, end, w, n = lines[-1]
            if (w, n) == (working, name) and end + dt.timedelta(days=1) == day:
                lines[-1] = (start, day, w, n)
                continue
        lines.append((day, day, working, name))
    out = []
    for start, end, working, name in lines:
        label = name or ("调休上班" if working else "休息")
        if working and not is_working_name(label):
            label = f"{label}调休上班"
        span = f"{start:%Y-%m-%d}" if start == end else f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"
        out.append(f"{span} {label}")
    return "\n".join(out)


class DefineYearForm(forms.Form):
    year = forms.IntegerField(
        label="年份",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写年份",
            "invalid": "年份应为数字",
            "min_value": "年份应在2000年至2100年之间",
            "max_value": "年份应在2000年至2100年之间",
        },
    )
    days = forms.CharField(
        label="节假日与调休上班日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=(
            "每行一条：“2027-01-01 元旦”，区间写作“2027-02-06..2027-02-12 春节”；"
            "名称含“上班”或“补班”的为调休上班日，其余为放假日。"
            "未列出的日子按周一至周五上班、周六周日休息计算。"
        ),
    )
    note = forms.CharField(
        label="依据（文号）",
        required=False,
        max_length=200,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
        error_messages={"max_length": "依据不应超过200个字"},
    )


class LoadYearForm(forms.Form):
    year = forms.IntegerField(
        label="年份", error_messages={"required": "请选择年份", "invalid": "年份应为数字"}
    )
