"""Parsing the calendar page's lines (issue 2 item 5): shape errors by line number."""

from __future__ import annotations

import datetime as dt

from yiwang.web.console.calendar.forms import format_days, parse_days

D = dt.date

TEXT = """
# 2027年安排
2027-01-01 元旦
2027-02-06..2027-02-12 春节
2027-02-14 春节调休上班
"""


def test_lines_become_days():
    parsed = parse_days(TEXT)
    assert parsed.errors == []
    assert parsed.days[0] == (D(2027, 1, 1), False, "元旦")
    assert [d for d, _, _ in parsed.days[1:8]] == [
        D(2027, 2, 6) + dt.timedelta(i) for i in range(7)
    ]
    assert all(not w and n == "春节" for _, w, n in parsed.days[1:8])
    assert parsed.days[-1] == (D(2027, 2, 14), True, "春节调休上班")
    assert parse_days("2027-10-09 补班").days == [(D(2027, 10, 9), True, "补班")]
    assert parse_days("2027/5/1 ~ 2027/5/5 劳动节").days[-1] == (D(2027, 5, 5), False, "劳动节")


def test_errors_name_the_line():
    text = "\n".join(
        [
            "2027-01-01 元旦",
            "2027-02-30 春节",
            "2027-02-12..2027-02-06 春节",
            "2027-03-01",
            "元旦",
            "2027-01-01 元旦",
            "2027-01-01..2027-03-01 长假",
        ]
    )
    assert parse_days(text).errors == [
        "第2行：“2027-02-30”不是有效日期，格式应为 YYYY-MM-DD",
        "第3行：结束日期早于开始日期",
        "第4行：请写明名称，如“元旦”或“调休上班”",
        "第5行：“元旦”不是有效日期，格式应为 YYYY-MM-DD",
        "第6行：2027-01-01 已在第1行出现",
        "第7行：一个区间不应超过31天",
    ]


def test_format_round_trips():
    days = parse_days(TEXT).days
    text = format_days(days)
    assert text == "2027-01-01 元旦\n2027-02-06..2027-02-12 春节\n2027-02-14 春节调休上班"
    assert parse_days(text).days == days
