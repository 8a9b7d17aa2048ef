"""What the benchmarks of ``yiwang bench run`` share: Django set-up on a
given database, scratch PostgreSQL databases, timing (p50 / p99), the
machine line, the generator's manifest, and the result each benchmark hands
to the runner (``--json PATH``), which writes BENCHMARKS.md.

Every benchmark runs in its own process (``bench/runner.py`` starts them), so
each can point Django at its own database."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}"
# The var folder the generator wrote its manifest under (setup_django points
# YIWANG_VAR_DIR at a scratch folder for files and keys).
VAR_DIR = os.environ.get("YIWANG_VAR_DIR", str(ROOT / "var"))


@dataclass
class Result:
    """One benchmark on one database, as the runner writes it."""

    key: str  # marker of its block in BENCHMARKS.md, e.g. "lifecycle-postgresql"
    section: str  # the "## …" heading it goes under
    title: str  # the "### …" heading of the block
    command: str
    body: str  # markdown: tables and verdict lines
    met: bool | None  # None: measured, no target (or not measurable here)
    summary: str  # one line for the runner's console summary
    data: dict[str, Any] = field(default_factory=dict)

    def dump(self, path: str | None) -> None:
        if path:
            Path(path).write_text(json.dumps(asdict(self), ensure_ascii=False), "utf-8")


def vendor_of(url: str) -> str:
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def vendor_name(vendor: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)


def scratch_postgres(url: str, suffix: str, *, create: bool, template: str = "") -> str:
    """Drop (and make again) ``<database of url>_<suffix>`` on the server of
    ``url``; returns its URL. The database named in ``url`` need not exist
    (the server's ``postgres`` database is used to connect). With
    ``template`` (a database on the same server, e.g. the generated data) the
    scratch database starts as a file-level copy of it."""
    import psycopg

    parts = urlsplit(url)
    base = parts.path.strip("/") or "yiwang"
    scratch = f"{base}_{suffix}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        if create and template:
            conn.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{template}"')
        elif create:
            conn.execute(f'CREATE DATABASE "{scratch}"')
    return urlunsplit(parts._replace(path=f"/{scratch}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


def setup_django(database_url: str, var_dir: str, *, generated: bool = False) -> None:
    """Point Django at ``database_url`` and set it up; files go under
    ``var_dir``. A scratch database gets the test settings (fast password
    hashing). The generated data was written with the local settings, whose
    keys (personal data is encrypted) derive from var/dev-secret-key: with
    ``generated`` those settings are used, DEBUG off, on the project's var
    folder."""
    os.environ["DATABASE_URL"] = database_url
    if generated:
        os.environ["YIWANG_VAR_DIR"] = VAR_DIR
        os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.config.settings.local"
        os.environ["YIWANG_DEBUG"] = "0"
    else:
        os.environ["YIWANG_VAR_DIR"] = var_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.config.settings.test"
    os.environ.setdefault("YIWANG_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    Path(var_dir, "static").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.conf import settings as dj

    # Production's task engine: a service enqueues a row (the test settings
    # run each task at once, inside the service's time).
    dj.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sweeps"]}
    }
    # django_tasks read TASKS during setup: without the signal its handler
    # keeps the test settings' immediate backend.
    from django.core.signals import setting_changed

    setting_changed.send(sender=type(dj), setting="TASKS", value=dj.TASKS, enter=True)
    dj.MEDIA_ROOT = str(Path(var_dir) / "media")
    dj.YIWANG_KEY_DIR = Path(var_dir) / "keys"


def quiet_logs() -> None:
    """The notifier logs every message and WeasyPrint warns per document: noise
    in a benchmark's output."""
    import logging

    for name in (
        "yiwang.notify",
        "weasyprint",
        "fontTools",
        "yiwang.core.signing",
        "django_tasks",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) of ``samples`` (p99 is the slowest one below 100 samples)."""
    s = sorted(samples)
    p99 = s[min(len(s) - 1, round(0.99 * (len(s) - 1)))]
    return statistics.median(s), p99


def timed(fn: Callable[[], Any], repeat: int, warm: int = 1) -> tuple[float, float]:
    """(p50, p99) in ms of ``fn`` over ``repeat`` runs after ``warm`` unmeasured ones."""
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return percentiles(samples)


def machine() -> str:
    try:
        import django

        dj = f", Django {django.get_version()}"
    except ImportError:  # pragma: no cover
        dj = ""
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        mem_s = f"{mem:.0f} GiB"
    except (ValueError, OSError):
        mem_s = "?"
    return (
        f"{os.cpu_count()} cores, {mem_s}, {platform.platform(terse=True)}, "
        f"Python {platform.python_version()}{dj}"
    )


def server_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def manifest(database_url: str) -> dict[str, Any]:
    """The generator's manifest for ``database_url`` (``bench/generate.py``
    writes it to var/bench/<database>.json), or {} when there is none."""
    try:
        from bench.generate import load_manifest
    except ImportError:
        return {}
    scratch = os.environ.get("YIWANG_VAR_DIR")
    os.environ["YIWANG_VAR_DIR"] = VAR_DIR
    try:
        found = load_manifest(database_url)
    except (OSError, ValueError):
        return {}
    finally:
        if scratch is None:
            os.environ.pop("YIWANG_VAR_DIR", None)
        else:
            os.environ["YIWANG_VAR_DIR"] = scratch
    return dict(found) if isinstance(found, dict) else {}


def arg_value(argv: list[str], name: str) -> str | None:
    """The value of ``--name VALUE`` or ``--name=VALUE`` in ``argv``."""
    for i, a in enumerate(argv):
        if a == name and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return None
