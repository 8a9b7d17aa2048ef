"""The ``audit_verify`` and ``calendar_load`` commands, through call_command and
through the ``yiwang`` console script (R14.3, R14.5; issue 2 acceptance)."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from yiwang.core.models import AuditEntry, CalendarYear

YIWANG = Path(sys.executable).with_name("yiwang")


def _run(*args: str, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err, **kwargs)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_calendar_load_is_idempotent():
    """`yiwang calendar load 2026` loads as the system, and a second run adds nothing."""
    code, out, _ = _run("calendar_load", "2025", "2026")
    assert code == 0
    assert "2025年：已载入" in out and "2026年：已载入" in out
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2025, 2026}
    assert (
        AuditEntry.objects.filter(actor_kind="system", action="core.calendar_year_define").count()
        == 2
    )
    entries = AuditEntry.objects.count()
    code, out, _ = _run("calendar_load", "2026")
    assert "2026年：已是最新，未作改动" in out
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_calendar_load_beyond_the_package_fails_clearly():
    with pytest.raises(CommandError, match="部分年份未能载入"):
        call_command("calendar_load", "2027", stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert "2027年请依据国务院办公厅的通知手工录入" in err.getvalue()
    with pytest.raises(CommandError, match="请指定年份"):
        call_command("calendar_load", stdout=io.StringIO())


@pytest.mark.django_db
def test_audit_verify_command_reports_in_chinese():
    """R14.5: a clean chain exits 0 with counts, time and rate; a tampered row
    exits 1 and names its newest entry."""
    call_command("calendar_load", "2026", stdout=io.StringIO())
    code, out, err = _run("audit_verify")
    assert code == 0, out
    entries = AuditEntry.objects.count()
    assert f"审计日志 {entries:,} 条" in out
    assert "条/秒" in out and "秒" in out
    assert "校验通过" in out
    assert "正在校验审计链" in err

    newest = (
        AuditEntry.objects.filter(object_type="core.calendarday", object_id="2026-10-10")
        .order_by("-id")
        .first()
    )
    assert newest is not None
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE core_calendarday SET is_working_day = %s WHERE date = %s",
            [False, dt.date(2026, 10, 10)],
        )
    code, out, _ = _run("audit_verify")
    assert code == 1
    assert f"审计日志 #{newest.id}：core.calendarday:2026-10-10" in out
    assert f"第一个问题位于审计日志 #{newest.id}" in out


@pytest.mark.django_db
def test_audit_verify_command_chain_only_and_limit():
    call_command("calendar_load", "2026", stdout=io.StringIO())
    with connection.cursor() as cur:
        cur.execute("UPDATE core_calendarday SET name = %s", ["篡改"])
    code, out, _ = _run("audit_verify", "--chain-only")
    assert code == 0
    code, out, _ = _run("audit_verify", "--max-problems", "2")
    assert code == 1
    assert "其余" in out and "个问题未列出" in out


# --- the console script against a real SQLite file ---------------------------------


@pytest.fixture
def cli_env(tmp_path):
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    db = tmp_path / "cli.sqlite3"
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        YIWANG_VAR_DIR=str(tmp_path / "var"),
        YIWANG_LOG_LEVEL="WARNING",
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(YIWANG), *args], env=env, capture_output=True, text=True, timeout=300
        )

    migrated = run("migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    run.db = db  # type: ignore[attr-defined]
    return run


def test_cli_audit_verify_names_the_tampered_entry(cli_env):
    """Issue 2 acceptance: editing an audited row directly in the database makes
    `yiwang audit verify` exit non-zero and name that entry."""
    loaded = cli_env("calendar", "load", "2026")
    assert loaded.returncode == 0, loaded.stderr
    assert "2026年：已载入" in loaded.stdout
    clean = cli_env("audit", "verify")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "校验通过" in clean.stdout

    with sqlite3.connect(cli_env.db) as db:
        (entry_id,) = db.execute(
            "SELECT MAX(id) FROM core_auditentry WHERE object_type = 'core.calendarday' "
            "AND object_id = '2026-10-01'"
        ).fetchone()
        db.execute("UPDATE core_calendarday SET name = '上班' WHERE date = '2026-10-01'")
    tampered = cli_env("audit", "verify")
    assert tampered.returncode == 1
    assert f"审计日志 #{entry_id}" in tampered.stdout

    with sqlite3.connect(cli_env.db) as db:
        (last,) = db.execute("SELECT MAX(id) FROM core_auditentry").fetchone()
        db.execute("UPDATE core_auditentry SET actor_label = '他人' WHERE id = ?", [last - 5])
    broken = cli_env("audit", "verify")
    assert broken.returncode == 1
    assert f"第一个问题位于审计日志 #{last - 5}" in broken.stdout


CONCURRENT = """
import threading
from django.db import connections, transaction
from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_append

barrier = threading.Barrier(3)

def write(name):
    barrier.wait()
    for i in range(25):
        with transaction.atomic():
            audit_append(actor=SYSTEM, action="core.test", object_type="core.test",
                         object_id=f"{name}-{i}")
    connections.close_all()

threads = [threading.Thread(target=write, args=(n,)) for n in "abc"]
for t in threads:
    t.start()
for t in threads:
    t.join()
"""


def test_cli_concurrent_appends_on_a_sqlite_file(cli_env):
    """R14.3: on the embedded SQLite database, writers queue (BEGIN IMMEDIATE)
    and three threads appending at once leave one unbroken chain."""
    result = cli_env("shell", "-c", CONCURRENT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    with sqlite3.connect(cli_env.db) as db:
        (count,) = db.execute(
            "SELECT COUNT(*) FROM core_auditentry WHERE action = 'core.test'"
        ).fetchone()
    assert count == 75
    verified = cli_env("audit", "verify")
    assert verified.returncode == 0, verified.stdout
