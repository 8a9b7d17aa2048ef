"""A real city with a published food-business licence and the people who
handle it, built through the services. Other suites may import these:

    from yiwang.domains.cases.tests.conftest import case_world, pdf, png

梁溪区市场监督管理局 (lx_scj) handles the item; its staff: clerk 王晓燕
(窗口受理), reviewer 陈志强 (审查), approver 刘建华 (审批), head 赵国平
(单位负责人). 滨湖区市场监督管理局 (bh_scj) has an assistant 钱丽 (协办).
Applicant: 张伟 (person), logged in as himself.
"""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from yiwang.core.actors import SYSTEM
from yiwang.core.calendar import calendar_year_define, calendar_year_load_from_package
from yiwang.core.checkdigits import make_resident_id
from yiwang.domains.accounts.services import person_register
from yiwang.domains.catalog.tests.conftest import (
    City,
    build_catalog_city,
    make_staff,
    publish_item,
)


def load_calendar() -> None:
    for year in (2025, 2026):
        calendar_year_load_from_package(actor=SYSTEM, year=year)
    # 2027 is beyond the installed package: defined here with its New Year
    # holiday only, so deadlines near the year's end can be computed in tests.
    calendar_year_define(
        actor=SYSTEM,
        year=2027,
        days=[(dt.date(2027, 1, 1), False, "元旦")],
        source="manual",
        note="测试用",
    )


def pdf(text: str = "申请书") -> bytes:
    """A small but well-formed PDF."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"% " + text.encode("utf-8") + b"\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body


def png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def build_case_world() -> City:
    c = build_catalog_city()
    load_calendar()
    c["item"] = publish_item(city=c)
    c["clerk"] = make_staff(c.lx_scj, "case_clerk", ["clerk"], "王晓燕")
    c["reviewer"] = make_staff(c.lx_scj, "case_reviewer", ["reviewer"], "陈志强")
    c["reviewer2"] = make_staff(c.lx_scj, "case_reviewer2", ["reviewer"], "孙红梅")
    c["approver"] = make_staff(c.lx_scj, "case_approver", ["approver"], "刘建华")
    c["head"] = make_staff(c.lx_scj, "case_head", ["unit_head"], "赵国平")
    c["assistant"] = make_staff(c.bh_scj, "case_assist", ["reviewer"], "钱丽")
    c["outsider"] = make_staff(c.bh_scj, "case_outsider", ["clerk"], "吴强")
    c["applicant"] = person_register(
        actor=None,
        name="张伟",
        id_number=make_resident_id("320213", dt.date(1990, 3, 7), 17),
        phone="13812345678",
        password="Yiwang@2026",
    )
    c["applicant2"] = person_register(
        actor=None,
        name="李娜",
        id_number=make_resident_id("320211", dt.date(1992, 8, 1), 28),
        phone="13912345678",
        password="Yiwang@2026",
    )
    return c


@pytest.fixture
def case_world(db: Any) -> Any:
    """The world; after the test, every case write must have left the audit
    chain whole (a write that skipped its audit entry shows up here)."""
    from yiwang.core.audit import audit_verify

    world = build_case_world()
    yield world
    report = audit_verify()
    assert report.ok, report.first_problem


FORM = {"applicant_name": "张伟", "address": "无锡市梁溪区中山路1号", "area": 60}


DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "sweeps"],
    }
}


@pytest.fixture
def db_task_engine(settings: Any) -> Any:
    """The production task engine (the database backend): services queue
    task rows that a worker runs later."""
    settings.TASKS = DB_TASKS
    return settings


@pytest.fixture
def run_worker(transactional_db: Any) -> Iterator[Any]:
    """``yiwang worker --batch`` in this process: runs what is ready, then
    returns. Like a real worker it commits as it goes, so the test's data is
    committed too (transactional_db). It installs its own signal handlers;
    put pytest's back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command("tasks_worker", "--batch", "--no-startup-delay", "--interval=0", verbosity=0)

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)
