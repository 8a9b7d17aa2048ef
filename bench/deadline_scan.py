"""Benchmark: the supervision scan of every open case near or past its
deadline (``cases_near_deadline``), against the bare SQL (issue 6).

Reads the database made by ``yiwang bench generate`` (``--database``). The
scan runs as the platform (every agency), with the 即将超时 window of
``--within`` working days, and is read to the end: each row becomes a
``NearDeadline`` (case id, number, agency, which deadline, due date, working
days left or over). Floor: the statements it sent, replayed through
``connection.chunked_cursor()`` (a server-side cursor on PostgreSQL) and
fetched in the same chunks, with nothing made of the rows. Best of
``--repeat`` runs each.

Target: < 5 s for 1,000,000 open cases. On smaller data the time per
million open cases is shown beside the measurement.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import _common as C  # noqa: E402

SECTION = "## Deadline scan (supervision: open cases near or past their deadline)"
TARGET_S = 5.0
MILLION = 1_000_000
CHUNK = 5000


def run(database: str, within: int, repeat: int, command: str) -> C.Result:
    vendor = C.vendor_of(database)
    tmp = tempfile.TemporaryDirectory(prefix="yiwang-bench-deadline-")
    C.setup_django(database, tmp.name, generated=True)
    C.quiet_logs()
    from django.db import connection, connections

    from yiwang.core.actors import SYSTEM
    from yiwang.domains.cases import selectors
    from yiwang.domains.cases.models import Case

    try:
        open_cases = Case.objects.filter(status__in=selectors.CLOCK_RUNNING).count()
        all_open = Case.objects.filter(status__in=selectors.OPEN_STATUSES).count()

        def scan() -> tuple[int, int]:
            n = over = 0
            for row in selectors.cases_near_deadline(SYSTEM, within=within, chunk_size=CHUNK):
                n += 1
                over += row.days_left < 0
            return n, over

        statements: list[tuple[str, Any]] = []

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            found, overdue = scan()
        # Only the case statement is streamed; the rest (agency names, the
        # calendar) are small reads.
        main = next(
            i for i, (sql, _) in enumerate(statements) if "promised_due" in sql and "FROM" in sql
        )
        main_sql = statements[main]

        def floor() -> int:
            n = 0
            for i, (sql, params) in enumerate(statements):
                if i == main:
                    continue
                with connection.cursor() as cur:
                    cur.execute(sql, params)
                    cur.fetchall()
            with connection.chunked_cursor() as cur:
                cur.execute(*main_sql)
                while rows := cur.fetchmany(CHUNK):
                    n += len(rows)
            return n

        def best(fn: Any) -> float:
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            return min(times)

        assert floor() == found
        floor_s = best(floor)
        scan_s = best(scan)
        per_million = scan_s * MILLION / max(open_cases, 1)
        met = scan_s < TARGET_S and per_million < TARGET_S
        ratio = scan_s / floor_s if floor_s else float("nan")
        at_scale = open_cases >= MILLION
        floor_per_million = floor_s * MILLION / max(open_cases, 1)
        lines = [
            "| measurement | rows | seconds | rows/s | per 1M open cases (s) |",
            "|---|---|---|---|---|",
            f"| floor: the same SELECT, server-side cursor, chunks of {CHUNK:,} | {found:,} | "
            f"{floor_s:.3f} | {found / floor_s:,.0f} | {floor_per_million:.2f} |",
            f"| cases_near_deadline(within={within}) read to the end | {found:,} | "
            f"{scan_s:.3f} | {found / scan_s:,.0f} | {per_million:.2f} |",
        ]
        body = (
            f"Open cases: {all_open:,} (clock running — 办理中 / 已决定: {open_cases:,}); listed: "
            f"{found:,}, of them {overdue:,} past their deadline. Best of {repeat} runs. Time "
            f"ratio scan / floor: {ratio:.2f}.\n\n"
            + "\n".join(lines)
            + f"\n\n- scan of 1,000,000 open cases < {TARGET_S:.0f} s: "
            + (
                f"{scan_s:.2f} s — {'met' if met else 'not met'}\n"
                if at_scale
                else f"{per_million:.2f} s per million open cases on this data "
                f"({open_cases:,} measured) — {'met' if met else 'not met'} (extrapolated)\n"
            )
        )
        print(
            f"  {found:,} rows ({overdue:,} overdue) of {open_cases:,} open: scan {scan_s:.3f} s, "
            f"floor {floor_s:.3f} s, ratio {ratio:.2f}, {per_million:.2f} s per 1M open"
        )
        return C.Result(
            key=f"deadline-{vendor}",
            section=SECTION,
            title=f"{C.server_version()}, {open_cases:,} open cases with a running clock",
            command=command,
            body=body,
            met=met,
            summary=(
                f"deadline scan {C.vendor_name(vendor)}: {scan_s:.2f} s for {open_cases:,} open "
                f"({per_million:.2f} s per 1M; target < {TARGET_S:.0f} s) — "
                f"{'met' if met else 'not met'}"
            ),
            data={"seconds": scan_s, "floor": floor_s, "open": open_cases, "rows": found},
        )
    finally:
        connections.close_all()
        tmp.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=C.DEFAULT_DATABASE)
    parser.add_argument("--within", type=int, default=2, help="working days (即将超时)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the result here (for bench/runner.py)")
    args = parser.parse_args(argv)
    command = (
        f".venv/bin/python bench/deadline_scan.py --database {args.database} "
        f"--within {args.within} --repeat {args.repeat}"
    )
    result = run(args.database, args.within, args.repeat, command)
    result.dump(args.json)
    print(result.summary)
    return 0 if result.met else 1


if __name__ == "__main__":
    raise SystemExit(main())
