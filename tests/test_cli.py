"""The `yiwang` command and the run command a fresh clone uses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from yiwang.cli import translate

ROOT = Path(__file__).resolve().parents[1]


def test_cli_aliases_map_to_management_commands():
    assert translate(["audit", "verify"]) == ["audit_verify"]
    assert translate(["calendar", "load", "2026"]) == ["calendar_load", "2026"]
    assert translate(["run", "--port", "9000"]) == ["yiwang_run", "--port", "9000"]
    assert translate(["worker", "--batch"]) == ["tasks_worker", "--batch"]
    assert translate(["migrate", "--plan"]) == ["migrate", "--plan"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the run command is the embedded (SQLite) path",
)
def test_run_command_serves_portal_console_and_health(tmp_path):
    """`yiwang run` on an empty folder: migrates, loads the demo, serves, prints accounts;
    its own worker delivers the demo cases' messages (R5.7) with no other server, and
    stops with it; a second run adds nothing twice."""
    port = _free_port()
    env = {
        **os.environ,
        "YIWANG_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "yiwang.config.settings.local",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-m", "yiwang.cli", "run", "--port", str(port)]
    out_path = tmp_path / "run.log"
    for attempt in (1, 2):
        with out_path.open("w") as out:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 240
                while True:
                    try:
                        if _get(f"http://127.0.0.1:{port}/healthz") == 200:
                            break
                    except OSError:
                        pass
                    assert proc.poll() is None, out_path.read_text()
                    assert time.monotonic() < deadline, out_path.read_text()
                    time.sleep(0.5)
                assert _get(f"http://127.0.0.1:{port}/") == 200
                assert _get(f"http://127.0.0.1:{port}/console/login/") == 200
                assert _get(f"http://127.0.0.1:{port}/api/docs") == 200
                _wait_for_tasks(tmp_path, proc, out_path)
            finally:
                proc.terminate()
                proc.wait(timeout=40)
            assert _workers_of(tmp_path) == [], "the worker outlived `yiwang run`"
        log = out_path.read_text()
        assert f"http://127.0.0.1:{port}/console/" in log
        assert "Yiwang@2026" in log
        if attempt == 1:
            first = _counts(tmp_path)
    assert _counts(tmp_path) == first


def _task_counts(var_dir: Path) -> dict[str, int]:
    import sqlite3

    db = sqlite3.connect(var_dir / "yiwang.sqlite3", timeout=20)
    try:
        rows = db.execute(
            "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        ).fetchall()
        return dict(rows)
    finally:
        db.close()


def _wait_for_tasks(var_dir: Path, proc: subprocess.Popen, out_path: Path) -> None:
    """The demo's messages were queued as tasks; the run command's worker runs them all."""
    deadline = time.monotonic() + 60
    while True:
        counts = _task_counts(var_dir)
        if counts and set(counts) == {"SUCCESSFUL"}:
            return
        assert "FAILED" not in counts, counts
        assert proc.poll() is None, out_path.read_text()
        assert time.monotonic() < deadline, (counts, out_path.read_text())
        time.sleep(0.5)


def _workers_of(var_dir: Path) -> list[int]:
    """Worker processes still alive that were started for this folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"tasks_worker" in cmdline and f"YIWANG_VAR_DIR={var_dir}".encode() in environ:
            found.append(int(entry.name))
    return found


def _counts(var_dir: Path) -> dict[str, int]:
    import sqlite3

    db = sqlite3.connect(var_dir / "yiwang.sqlite3")
    try:
        tables = [
            "orgs_division",
            "orgs_agency",
            "orgs_staff",
            "accounts_person",
            "core_auditentry",
        ]
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        db.close()
