"""Benchmark of ``yiwang audit verify`` (R14.3, R14.5): how fast the chain is checked.

Builds a scratch database, appends N correctly chained entries with bulk
inserts, then times

- the floor: a raw ``SELECT … ORDER BY id`` of the same columns, read to the end;
- the chain check (``verify_chain``): the same read plus one SM3 per entry;
- the whole ``audit_verify`` (chain plus every audited row).

Usage::

    .venv/bin/python bench/audit_verify.py                 # temporary SQLite file
    .venv/bin/python bench/audit_verify.py --entries 1000000
    .venv/bin/python bench/audit_verify.py --postgres postgres://postgres@127.0.0.1:5432/test

With ``--postgres`` a scratch database ``yiwang_audit_bench`` is created on
that server and dropped afterwards; the database named in the URL is only
used to connect. Target: at least 200,000 entries/s for the chain check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRATCH_DB = "yiwang_audit_bench"
TARGET = 200_000


def _scratch_postgres(url: str, create: bool) -> str:
    import psycopg

    parts = urlsplit(url)
    # Connect to the server's maintenance database: the one named in the URL
    # need not exist (only the server is taken from it).
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
        if create:
            conn.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    return urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))


def _generate(n: int, batch: int = 10_000) -> None:
    from django.db import connection, transaction

    from yiwang.core.audit import canonical_json, entry_hash
    from yiwang.core.models import AuditEntry, AuditHead

    actors = [("staff", str(i), name) for i, name in enumerate(["张伟", "王芳", "李娜", "刘洋"])]
    actions = ["cases.case_accept", "cases.case_step_complete", "orgs.agency_update"]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        prev = head.last_hash
        base = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)
        last_id = head.last_id
        done = 0
        while done < n:
            rows = []
            for i in range(done, min(n, done + batch)):
                kind, aid, label = actors[i % len(actors)]
                action = actions[i % len(actions)]
                # Every 7th time has no microseconds: SQLite then stores no fraction.
                at = base + dt.timedelta(
                    seconds=i, microseconds=0 if i % 7 == 0 else 123 * i % 10**6
                )
                change = canonical_json({"status": ["received", "accepted"], "n": i})
                context = canonical_json({"channel": "console", "ip": "10.1.2.3"})
                object_type, object_id = "bench.synthetic", str(100_000 + i // 3)
                state = f"{i:064x}"
                h = entry_hash(
                    prev,
                    at,
                    kind,
                    aid,
                    label,
                    action,
                    object_type,
                    object_id,
                    change,
                    context,
                    state,
                )
                rows.append(
                    AuditEntry(
                        at=at,
                        actor_kind=kind,
                        actor_id=aid,
                        actor_label=label,
                        action=action,
                        object_type=object_type,
                        object_id=object_id,
                        change=change,
                        context=context,
                        state_digest=state,
                        prev_hash=prev,
                        hash=h,
                    )
                )
                prev = h
            AuditEntry.objects.bulk_create(rows)
            done += len(rows)
        last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
        AuditHead.objects.filter(id=1).update(
            last_id=last_id, last_hash=prev, count=AuditEntry.objects.count()
        )
    # What autovacuum (PostgreSQL) or a routine ANALYZE would have done by now.
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _floor(*, joined: bool = False) -> tuple[int, float]:
    from django.db import transaction

    from yiwang.core.audit import _batches, chain_columns_sql, chain_sql

    sql = chain_sql() if joined else chain_columns_sql()
    started = time.perf_counter()
    count = 0
    with transaction.atomic():
        for rows in _batches(sql):
            for _row in rows:
                count += 1
    return count, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument(
        "--no-prefetch", action="store_true", help="read batches without the helper thread"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing; best is shown")
    parser.add_argument("--postgres", help="URL of a PostgreSQL server to make a scratch DB on")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="yiwang-bench-")
    os.environ["YIWANG_VAR_DIR"] = tmp.name
    if args.postgres:
        os.environ["DATABASE_URL"] = _scratch_postgres(args.postgres, create=True)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.config.settings.test"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from yiwang.core import audit
    from yiwang.core.audit import VerifyReport, audit_verify, verify_chain

    if args.no_prefetch:
        audit.PREFETCH.clear()

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        _generate(args.entries)
        print(
            f"数据库：{connection.vendor}；生成 {args.entries:,} 条审计日志用时 "
            f"{time.perf_counter() - started:.1f} 秒"
        )

        from django.db import transaction

        # Best of several runs: the figures are what the code can do, not what
        # a busy machine let it do once. The first read also warms the cache.
        _floor()
        floor_n, floor_s = min((_floor() for _ in range(args.repeat)), key=lambda r: r[1])
        joined_s = min(_floor(joined=True)[1] for _ in range(args.repeat))

        def chain_once() -> VerifyReport:
            with transaction.atomic():
                return verify_chain(VerifyReport())

        chain = min((chain_once() for _ in range(args.repeat)), key=lambda r: r.chain_seconds)
        full = min((audit_verify() for _ in range(args.repeat)), key=lambda r: r.seconds)
        assert chain.ok and full.ok, [str(p) for p in chain.problems + full.problems]
        assert chain.entries == floor_n == full.entries

        floor_rate = floor_n / floor_s
        chain_rate = chain.entries / chain.chain_seconds
        print(f"读取下限（SELECT 各列 … ORDER BY id）：{floor_s:.3f} 秒，{floor_rate:,.0f} 条/秒")
        print(
            f"读取（数据库拼接哈希原文，校验所用查询）：{joined_s:.3f} 秒，"
            f"{floor_n / joined_s:,.0f} 条/秒"
        )
        print(f"校验哈希链：{chain.chain_seconds:.3f} 秒，{chain_rate:,.0f} 条/秒")
        print(f"完整校验（链 + {full.rows} 行数据）：{full.seconds:.3f} 秒")
        print(f"链校验耗时 / 读取下限 = {chain.chain_seconds / floor_s:.2f}")
        ok = chain_rate >= TARGET
        print(f"目标 ≥ {TARGET:,} 条/秒：{'达到' if ok else '未达到'}")
        return 0 if ok else 1
    finally:
        connections.close_all()
        if args.postgres:
            _scratch_postgres(args.postgres, create=False)
        tmp.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
