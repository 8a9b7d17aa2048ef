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
    a second run adds nothing twice."""
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
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        log = out_path.read_text()
        assert f"http://127.0.0.1:{port}/console/" in log
        assert "Yiwang@2026" in log
        if attempt == 1:
            first = _counts(tmp_path)
    assert _counts(tmp_path) == first


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
