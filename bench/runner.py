"""``yiwang bench run [--quick] [--database URL] [--write]``: the benchmarks
of issue 6, each against a floor measured in the same run.

1. case lifecycle throughput (bench/lifecycle.py) on SQLite, and on
   PostgreSQL when the database (or ``--postgres``) is one — in scratch
   databases, never in the generated data;
2. work queues and case search (bench/queues.py) on the generated data;
3. the deadline scan (bench/deadline_scan.py) on the generated data;
4. portal pages under load (bench/portal_load.py): gunicorn + wrk;
5. audit chain verification (bench/audit_verify.py).

Each benchmark runs in its own process (its own Django set-up and
database) and hands its result back as JSON; ``--write`` puts each in its
section of BENCHMARKS.md between ``<!-- bench:KEY -->`` markers, with the
machine, the command and the date, leaving every other section as it is.
``--quick``: few repetitions, meant for ``yiwang bench generate --scale
small`` data (both together in under 10 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _common as C  # noqa: E402

BENCH = ROOT / "bench"
NAMES = ("lifecycle", "queues", "deadline", "portal", "audit")
AUDIT_SECTION = "## Audit chain verification (`yiwang audit verify`) — R14.3, R14.5"
CATALOGUE_SECTION = "## Portal catalogue at 100,000 items"

INTROS: dict[str, str] = {
    "## Case lifecycle throughput (submit → accept → 2 steps → grant → conclude)": (
        "Written by `yiwang bench run` (`bench/lifecycle.py`). Cases per second through the "
        "services (`case_submit`, `case_accept`, `case_step_complete` ×2, `case_decide` granted, "
        "`case_deliver`), drafts with their materials prepared beforehand, with the case test "
        "world, in a scratch database (on PostgreSQL a copy of the generated data when that is "
        "on PostgreSQL). Floor: the INSERT/UPDATE statements the services sent for "
        "one case (case, steps, events, notifications, documents, delivery, task rows, audit "
        "entries and head, case-number sequence), captured and replayed through "
        "`connection.cursor()` for other drafts with their keys remapped, one transaction per "
        "service. Beside it the floor with the reads: every statement the services sent, "
        "reads, locks and savepoints included, replayed raw in order; services and floors run "
        "interleaved, a case of each in turn. The services run as deployed: notices and the "
        "signed decision are issued in the service and rendered by task workers "
        "(docs/adr/0008-documents-by-task.md); one worker's documents per second are shown "
        "beside them, and for comparison the services rendering the documents in the request, "
        "as before.\n\n"
        "Targets: issue 6's, the services at ≥ 50% of the write floor's cases/s; and, since "
        "docs/adr/0010-lifecycle-floor.md, the services at ≥ 50% of the floor with the reads "
        "and a platform ceiling from the audit head of ≥ 50 cases/s, at 10M cases on "
        "PostgreSQL."
    ),
    "## Work queues and case search (a clerk of the busiest agency)": (
        "Written by `yiwang bench run` (`bench/queues.py`) on the data of `yiwang bench "
        "generate`. Each call is evaluated as the console does (the page's count and its 20 "
        "rows); p50 / p99 per call. Floor: the very statements each call sent, replayed as raw "
        "SQL through `connection.cursor()`.\n\n"
        "Target: queue p99 < 50 ms at 10M cases on PostgreSQL."
    ),
    "## Deadline scan (supervision: open cases near or past their deadline)": (
        "Written by `yiwang bench run` (`bench/deadline_scan.py`): "
        "`cases_near_deadline(platform, within=2)` read to the end — every case whose clock "
        "runs and whose promised or statutory deadline is within 2 working days or past, as "
        "(case id, number, agency, which deadline, due, working days left/over), streamed in "
        "chunks. Floor: the same statements, the case SELECT through a server-side cursor in "
        "the same chunks, nothing made of the rows.\n\n"
        "Target: < 5 s for 1,000,000 open cases."
    ),
    "## Portal pages under concurrent load (gunicorn + wrk)": (
        "Written by `yiwang bench run` (`bench/portal_load.py`): gunicorn serving the generated "
        "database with `yiwang.config.settings.bench`; wrk loads the guide page (a visitor "
        "without a session) and the search page, then a bare Django view on the same server "
        "(a bench-only URL) returning the very same bytes.\n\n"
        "Target: the guide page at ≥ 50% of the bare view's requests/s."
    ),
}


# --- running the benchmarks ----------------------------------------------------------------


def _run(script: str, args: list[str]) -> dict[str, Any] | None:
    """Run bench/<script> with ``args`` and ``--json``; its result, or None
    when it failed (its output is shown either way)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    try:
        cmd = [sys.executable, str(BENCH / script), *args, "--json", out]
        print(f"\n$ {' '.join(cmd[1:])}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        print(f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
        text = Path(out).read_text("utf-8") if Path(out).exists() else ""
        if not text:
            print(f"  {script} failed (exit {proc.returncode})", flush=True)
            return None
        result: dict[str, Any] = json.loads(text)
        return result
    finally:
        Path(out).unlink(missing_ok=True)


_AUDIT_LINE = re.compile(r"：([\d.]+) 秒，([\d,]+) 条/秒")


def _audit(database: str, entries: int, repeat: int) -> dict[str, Any] | None:
    """bench/audit_verify.py as it is (it prints; the runner reads its lines)."""
    vendor = C.vendor_of(database)
    args = ["--entries", str(entries), "--repeat", str(repeat)]
    if vendor == "postgresql":
        args += ["--postgres", database]
    cmd = [sys.executable, str(BENCH / "audit_verify.py"), *args]
    print(f"\n$ {' '.join(cmd[1:])}", flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    floor = chain = None
    for line in proc.stdout.splitlines():
        m = _AUDIT_LINE.search(line)
        if not m:
            continue
        rate = float(m.group(2).replace(",", ""))
        if line.startswith("读取下限"):
            floor = (float(m.group(1)), rate)
        elif line.startswith("校验哈希链"):
            chain = (float(m.group(1)), rate)
    if floor is None or chain is None:
        sys.stdout.write(proc.stderr[-3000:])
        print(f"  audit_verify.py failed (exit {proc.returncode})")
        return None
    met = chain[1] >= 200_000
    name = C.vendor_name(vendor)
    command = f".venv/bin/python bench/audit_verify.py {' '.join(args)}"
    body = (
        f"Entries: {entries:,}; best of {repeat} runs.\n\n"
        "| database | floor (entries/s) | chain check (entries/s) | time ratio check / floor "
        "| target met |\n|---|---|---|---|---|\n"
        f"| {name} | {floor[1]:,.0f} | {chain[1]:,.0f} | {chain[0] / floor[0]:.2f} | "
        f"{'yes' if met else 'no'} |\n\n"
        f"- chain check ≥ 200,000 entries/s: {chain[1]:,.0f} — {'met' if met else 'not met'}\n"
    )
    return {
        "key": f"audit-{vendor}",
        "section": AUDIT_SECTION,
        "title": f"{name}, {entries:,} entries (`yiwang bench run`)",
        "command": command,
        "body": body,
        "met": met,
        "summary": f"audit verify {name}: {chain[1]:,.0f} entries/s (target ≥ 200,000) — "
        f"{'met' if met else 'not met'}",
        "data": {"floor": floor[1], "rate": chain[1]},
    }


# --- BENCHMARKS.md -------------------------------------------------------------------------


def _block(result: dict[str, Any], run_command: str) -> str:
    return (
        f"### {result['title']}\n\n"
        f"Machine: {C.machine()}. Date: {dt.date.today().isoformat()}. "
        f"Run by `{run_command}`.\n\n"
        f"```sh\n{result['command']}\n```\n\n"
        f"{result['body'].rstrip()}\n"
    )


def write_results(results: list[dict[str, Any]], run_command: str, path: Path) -> None:
    """Put each result's block into its section of ``path`` (made when
    missing, before the catalogue section), replacing the block with the same
    key and leaving everything else as it is."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    text = text.replace(
        "Other benchmarks (case lifecycle, queues, deadline scan, portal load) arrive with "
        "issue 6.",
        "The other benchmarks of issue 6 (case lifecycle, queues, deadline scan, portal load) "
        "are in the sections below, written by `yiwang bench run --write`.",
    )
    for result in results:
        section = result["section"]
        start = text.find(section + "\n")
        if start < 0:
            intro = INTROS.get(section, "")
            new = f"{section}\n\n" + (f"{intro}\n\n" if intro else "")
            at = text.find(CATALOGUE_SECTION)
            text = text.rstrip("\n") + "\n\n" + new if at < 0 else text[:at] + new + text[at:]
            start = text.find(section + "\n")
        nxt = text.find("\n## ", start + len(section))
        end = len(text) if nxt < 0 else nxt + 1
        body = text[start:end]
        key = result["key"]
        block = f"<!-- bench:{key} -->\n{_block(result, run_command)}<!-- /bench:{key} -->\n"
        pattern = re.compile(rf"<!-- bench:{re.escape(key)} -->\n.*?<!-- /bench:{key} -->\n", re.S)
        found = pattern.search(body)
        if found is not None:
            body = body[: found.start()] + block + body[found.end() :]
        else:
            body = body.rstrip("\n") + "\n\n" + block + "\n"
        text = text[:start] + body + text[end:]
    path.write_text(re.sub(r"\n{3,}", "\n\n", text), "utf-8")


# --- the command ---------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="yiwang bench run", description="运行基准测试（issue 6），与同一次运行测得的下限比较"
    )
    parser.add_argument("--quick", action="store_true", help="few repetitions (small data)")
    parser.add_argument(
        "--database",
        help="the generated database (default: DATABASE_URL, else var/bench/bench.sqlite3)",
    )
    parser.add_argument(
        "--postgres", help="a PostgreSQL URL for the lifecycle and audit scratch databases"
    )
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument(
        "--only", help=f"comma-separated subset of: {', '.join(NAMES)}", default=",".join(NAMES)
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    database = args.database or os.environ.get("DATABASE_URL") or C.DEFAULT_DATABASE
    only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in only if n not in NAMES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    vendor = C.vendor_of(database)
    postgres = args.postgres or (database if vendor == "postgresql" else None)
    quick = args.quick
    run_command = "yiwang bench run" + (" --quick" if quick else "") + f" --database {database}"
    if args.postgres:
        run_command += f" --postgres {args.postgres}"

    if ("queues" in only or "deadline" in only or "portal" in only) and not C.manifest(database):
        print(
            f"没有找到 {database} 的生成数据：请先运行 yiwang bench generate（--database 相同）。\n"
            f"No generated data for {database}: run `yiwang bench generate` first."
        )
        return 2
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    failed: list[str] = []

    def keep(name: str, result: dict[str, Any] | None) -> None:
        if result is None:
            failed.append(name)
        else:
            results.append(result)

    if "queues" in only:
        keep(
            "queues",
            _run("queues.py", ["--database", database, "--repeat", "20" if quick else "100"]),
        )
    if "deadline" in only:
        keep(
            "deadline",
            _run("deadline_scan.py", ["--database", database, "--repeat", "1" if quick else "3"]),
        )
    if "portal" in only:
        if shutil.which("wrk") is None:
            from bench.portal_load import WRK_MISSING

            print(WRK_MISSING)
            failed.append("portal (wrk missing)")
        else:
            seconds = "5" if quick else "15"
            keep("portal", _run("portal_load.py", ["--database", database, "--seconds", seconds]))
    if "audit" in only:
        entries, repeat = (50_000, 2) if quick else (200_000, 5)
        keep("audit sqlite", _audit("sqlite:///", entries, repeat))
        if postgres:
            keep("audit postgresql", _audit(postgres, entries, repeat))

    if "lifecycle" in only:
        cases = ["--cases", "5" if quick else "30"]
        keep("lifecycle sqlite", _run("lifecycle.py", [*cases, "--database", "sqlite:///"]))
        if postgres:
            # In a copy of the generated data when that is on PostgreSQL: the
            # writes then go into tables and indexes of the measured size.
            # Last: copying 10M cases is gigabytes of writes whose checkpoint
            # would show in the other benchmarks' p99.
            template = ["--template", database] if C.vendor_of(database) == "postgresql" else []
            keep(
                "lifecycle postgresql",
                _run("lifecycle.py", [*cases, "--database", postgres, *template]),
            )

    print(f"\n== {len(results)} benchmarks in {time.perf_counter() - started:.0f} s ==")
    for r in results:
        print(f"  {r['summary']}")
    for name in failed:
        print(f"  FAILED: {name}")
    if args.write and results:
        write_results(results, run_command, ROOT / "BENCHMARKS.md")
        print("BENCHMARKS.md updated")
    if failed:
        return 1
    if args.strict and any(r["met"] is False for r in results):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
