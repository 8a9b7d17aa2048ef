"""Benchmark of the portal catalogue (R3.4) at 100,000 service items: the
search and the guide page.

Builds a scratch database, loads the demo catalogue (``load_catalog``, about
66 published items), then bulk-clones ``ServiceItem`` rows up to ``--items``
(default 100,000). Each clone points at an existing published ``ItemVersion``
as its ``current`` version, with that version's entry, an agency and division
taken in turn from the demo ones, a unique implementation code and a search
name drawn from a vocabulary of real-looking item words (食品经营许可,
公积金提取变更 …) with its pinyin keys from ``search_keys``. The clones are
written with ``bulk_create``, so no audit entries are made for them: the
audit log plays no part in what is measured here.

It then times, with ``time.perf_counter`` over many repetitions (p50 and p99),

- ``item_search`` for "食品", "spxk", "shipin", "许可" (page 1 and page 50,
  20 a page) against a floor: the same three statements (count, rows with
  their joins, tags of the page) as bare SQL through ``connection.cursor()``;
- ``guide_detail`` of a demo item, and the guide page ``GET /items/<code>/``
  through Django's test ``Client``, against a floor: a bare view returning the
  same bytes through the same client and middleware;
- the search page ``GET /items/?q=食品`` against the same kind of floor.

Usage::

    .venv/bin/python bench/catalog_portal.py                  # temporary SQLite file
    .venv/bin/python bench/catalog_portal.py --items 100000 --write
    .venv/bin/python bench/catalog_portal.py --postgres postgres://postgres@127.0.0.1:5432/test

With ``--postgres`` a scratch database ``yiwang_catalog_bench`` is created on
that server and dropped afterwards. ``--write`` puts the results in
BENCHMARKS.md (section "Portal catalogue at 100,000 items", one row set per
database). Targets: search p99 < 50 ms; the guide page at least half the
bare view's requests/s (time ratio ≤ 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRATCH_DB = "yiwang_catalog_bench"
SEARCH_P99_MS = 50.0
GUIDE_RATIO = 2.0
QUERIES = ("食品", "spxk", "shipin", "许可")
PAGES = (1, 50)
SECTION = "## Portal catalogue at 100,000 items"

SUBJECTS = (
    "食品",
    "药品",
    "医疗器械",
    "建筑",
    "道路",
    "医师",
    "教师",
    "户口",
    "社保",
    "公积金",
    "排污",
    "烟草",
    "广告",
    "出版物",
    "旅行社",
    "危险化学品",
    "特种设备",
    "渔业",
    "种子",
    "兽药",
    "殡葬",
    "民办学校",
    "机动车",
    "船舶",
    "水利工程",
    "林木采伐",
    "燃气",
    "人力资源服务",
    "养老机构",
    "律师",
)
MIDDLES = ("", "经营", "生产", "执业", "使用", "运输", "零售")
ACTIONS = ("许可", "登记", "变更", "注销", "备案", "核发", "审批", "延续", "换证")


def _scratch_postgres(url: str, create: bool) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
        if create:
            conn.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    return urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))


def _names() -> list[tuple[str, str, str]]:
    """Every vocabulary name with its (initials, pinyin)."""
    from yiwang.domains.catalog.search import search_keys

    out = []
    for s in SUBJECTS:
        for m in MIDDLES:
            for a in ACTIONS:
                name = s + m + a
                out.append((name, *search_keys(name)))
    return out


def _clone(n: int, batch: int = 5_000) -> int:
    from django.db import connection, transaction

    from yiwang.domains.catalog.models import Lifecycle, ServiceItem, VersionStatus
    from yiwang.domains.orgs.models import Agency, Division

    templates = list(
        ServiceItem.objects.filter(current__status=VersionStatus.PUBLISHED).values(
            "entry_id", "current_id", "audience", "is_convenience"
        )
    )
    agencies = list(Agency.objects.values_list("id", flat=True))
    divisions = list(ServiceItem.objects.values_list("division_id", flat=True).distinct()) or list(
        Division.objects.values_list("id", flat=True)
    )
    names = _names()
    have = ServiceItem.objects.count()
    todo = max(0, n - have)
    done = 0
    started = time.perf_counter()
    with transaction.atomic():
        while done < todo:
            rows = []
            for i in range(done, min(todo, done + batch)):
                t = templates[i % len(templates)]
                # Co-prime strides so name, agency and division vary independently.
                name, initials, pinyin = names[(i * 7) % len(names)]
                rows.append(
                    ServiceItem(
                        implementation_code=f"BENCH{i:09d}",
                        entry_id=t["entry_id"],
                        current_id=t["current_id"],
                        agency_id=agencies[(i * 3) % len(agencies)],
                        division_id=divisions[(i * 5) % len(divisions)],
                        audience=t["audience"],
                        is_convenience=t["is_convenience"],
                        lifecycle=Lifecycle.ACTIVE,
                        search_name=name,
                        search_initials=initials,
                        search_pinyin=pinyin,
                    )
                )
            ServiceItem.objects.bulk_create(rows)
            done += len(rows)
            if done % 20_000 == 0 or done == todo:
                print(
                    f"  cloned {done:,}/{todo:,} items ({time.perf_counter() - started:.1f} s)",
                    flush=True,
                )
    # What autovacuum (PostgreSQL) or a routine ANALYZE would have done by now.
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return ServiceItem.objects.count()


def _time(fn: Callable[[], Any], repeat: int, warm: int = 1) -> tuple[float, float]:
    """(p50, p99) in ms of ``fn`` over ``repeat`` runs after ``warm`` unmeasured ones
    (p99 is the slowest run when there are fewer than 100)."""
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return statistics.median(samples), p99


# --- the bare-SQL floor of item_search ----------------------------------------------

_ASCII = re.compile(r"^[a-z0-9]+$")
_LETTERS = re.compile(r"^[a-z]+$")


def _bare_search(word: str, page: int, per_page: int = 20) -> tuple[int, list[Any], list[Any]]:
    """item_search's three statements written by hand: count, rows, tags."""
    from django.db import connection

    from yiwang.domains.catalog.models import ServiceItem
    from yiwang.domains.catalog.public import initials_pattern

    t_item = ServiceItem._meta.db_table
    t_entry = ServiceItem._meta.get_field("entry").related_model._meta.db_table
    t_version = ServiceItem._meta.get_field("current").related_model._meta.db_table
    t_agency = ServiceItem._meta.get_field("agency").related_model._meta.db_table
    t_division = ServiceItem._meta.get_field("division").related_model._meta.db_table
    version_model = ServiceItem._meta.get_field("current").related_model
    t_ev = version_model._meta.get_field("entry_version").related_model._meta.db_table
    ev_model = version_model._meta.get_field("entry_version").related_model
    t_type = ev_model._meta.get_field("item_type").related_model._meta.db_table
    t_through = ServiceItem.tags.through._meta.db_table
    t_tag = ServiceItem._meta.get_field("tags").related_model._meta.db_table

    cond = ["i.search_name LIKE %s"]
    params: list[Any] = [f"%{word}%"]
    low = word.lower()
    if _ASCII.match(low):
        cond.append("i.search_pinyin LIKE %s")
        params.append(f"%{low}%")
        if _LETTERS.match(low):
            cond.append("i.search_initials LIKE %s")
            params.append(initials_pattern(low))
    base = f"FROM {t_item} i JOIN {t_entry} e ON e.id = i.entry_id "
    joins = (
        f"JOIN {t_agency} a ON a.id = i.agency_id "
        f"JOIN {t_division} d ON d.id = i.division_id "
        f"LEFT JOIN {t_version} v ON v.id = i.current_id "
        f"LEFT JOIN {t_ev} ev ON ev.id = v.entry_version_id "
        f"LEFT JOIN {t_type} t ON t.id = ev.item_type_id "
    )
    where = (
        "WHERE i.current_id IS NOT NULL AND i.lifecycle IN ('active', 'suspended') "
        f"AND e.lifecycle = 'active' AND ({' OR '.join(cond)}) "
    )
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) {base}{where}", params)
        (count,) = cur.fetchone()
        cur.execute(
            "SELECT i.id, i.implementation_code, i.search_name, i.audience, i.is_convenience, "
            "i.lifecycle, i.suspend_reason, i.suspend_note, a.name, a.short_name, d.name, "
            "ev.name, t.name, v.online_depth, v.onsite_trips, v.promised_limit, "
            "v.promised_unit, "
            "CASE WHEN i.search_name = %s THEN 0 WHEN i.search_name LIKE %s THEN 1 ELSE 2 END "
            f"AS rank {base}{joins}{where}"
            "ORDER BY rank, i.search_pinyin, i.implementation_code LIMIT %s OFFSET %s",
            [word, f"%{word}%", *params, per_page, (page - 1) * per_page],
        )
        rows = cur.fetchall()
        tags: list[Any] = []
        if rows:
            ids = [r[0] for r in rows]
            cur.execute(
                f"SELECT x.serviceitem_id, g.code, g.name FROM {t_through} x "
                f"JOIN {t_tag} g ON g.id = x.tag_id "
                f"WHERE x.serviceitem_id IN ({', '.join(['%s'] * len(ids))}) "
                'ORDER BY g."order", g.code',
                ids,
            )
            tags = cur.fetchall()
    return count, rows, tags


# --- the bare-view floor --------------------------------------------------------------

_BARE: dict[str, bytes] = {}


def _install_urlconf() -> None:
    """A ROOT_URLCONF: the project's URLs plus /__bench__/<key>/, a view that
    returns the bytes stored under that key (same middleware, same client)."""
    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.urls import clear_url_caches, include, path

    def bare(request: HttpRequest, key: str) -> HttpResponse:
        return HttpResponse(_BARE[key], content_type="text/html; charset=utf-8")

    module = types.ModuleType("bench_catalog_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("__bench__/<str:key>/", bare),
        path("", include("yiwang.config.urls")),
    ]
    from yiwang.config import urls as project_urls

    for name in ("handler404", "handler500", "handler403"):
        setattr(module, name, getattr(project_urls, name))
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


# --- BENCHMARKS.md ---------------------------------------------------------------------


def _machine() -> str:
    import django

    cores = os.cpu_count()
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        mem_s = f"{mem:.0f} GiB"
    except (ValueError, OSError):
        mem_s = "?"
    return (
        f"{cores} cores, {mem_s}, {platform.platform(terse=True)}, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


def _write(vendor: str, body: str) -> None:
    """Put ``body`` (this database's block) into the section, keeping the other
    database's block and everything outside the section."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    start = text.find(SECTION)
    if start < 0:
        section = ""
        before, after = text.rstrip("\n") + "\n\n", ""
    else:
        nxt = text.find("\n## ", start + len(SECTION))
        end = len(text) if nxt < 0 else nxt + 1
        section = text[start:end]
        before, after = text[:start], text[end:]
    blocks: dict[str, str] = {}
    for m in re.finditer(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->\n", section, re.S):
        blocks[m.group(1)] = m.group(2)
    blocks[vendor] = body
    intro = (
        f"{SECTION} — R3.4\n\n"
        "Written by `bench/catalog_portal.py --write`. The demo catalogue (`load_catalog`) plus "
        "bulk-cloned service items (each pointing at a published demo version, with a name from "
        "a vocabulary such as 食品经营许可 / 公积金变更). Times are per call, p50 / p99 over the "
        "repetitions. Search floor: the same count, rows (same joins, WHERE, ORDER BY, LIMIT) "
        "and tags statements as bare SQL through `connection.cursor()`. Page floor: a bare view "
        "returning the same bytes through the same test `Client` and middleware.\n\n"
        f"Targets: search p99 < {SEARCH_P99_MS:.0f} ms; the guide page ≥ 50% of the bare "
        f"view's requests/s (time ratio ≤ {GUIDE_RATIO:.0f}).\n\n"
    )
    order = [k for k in ("sqlite", "postgresql") if k in blocks] + [
        k for k in blocks if k not in ("sqlite", "postgresql")
    ]
    new = intro + "".join(f"<!-- bench:{k} -->\n{blocks[k]}<!-- /bench:{k} -->\n\n" for k in order)
    path.write_text(before + new.rstrip("\n") + "\n" + ("\n" + after if after else ""), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100, help="timed calls per search")
    parser.add_argument("--page-repeat", type=int, default=200, help="timed calls per page")
    parser.add_argument("--postgres", help="URL of a PostgreSQL server to make a scratch DB on")
    parser.add_argument("--write", action="store_true", help="write the results to BENCHMARKS.md")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="yiwang-bench-")
    os.environ["YIWANG_VAR_DIR"] = tmp.name
    (Path(tmp.name) / "static").mkdir()  # whitenoise warns when STATIC_ROOT is missing
    if args.postgres:
        os.environ["DATABASE_URL"] = _scratch_postgres(args.postgres, create=True)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.config.settings.test"
    os.environ["YIWANG_ALLOWED_HOSTS"] = "testserver,localhost"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client

    from yiwang.demo.catalog import load_catalog
    from yiwang.domains.catalog import public
    from yiwang.domains.catalog.models import ServiceItem

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        loaded = load_catalog()
        print(f"database: {connection.vendor}; demo catalogue: {loaded['published']} published")
        total = _clone(args.items)
        print(f"{total:,} service items in {time.perf_counter() - started:.1f} s")

        results: list[tuple[str, tuple[float, float], tuple[float, float], str]] = []
        problems: list[str] = []
        search_p99 = 0.0

        # 1. item_search against bare SQL.
        for q in QUERIES:
            for page in PAGES:
                result = public.item_search(q, page=page)
                count, rows, _tags = _bare_search(q, page)
                got = [r.implementation_code for r in result.object_list]
                want = [r[1] for r in rows] if page <= result.paginator.num_pages else got
                assert result.paginator.count == count, (q, result.paginator.count, count)
                assert got == want, (q, page, got[:3], want[:3])

                def orm(q: str = q, page: int = page) -> None:
                    list(public.item_search(q, page=page).object_list)

                def bare(q: str = q, page: int = page) -> None:
                    _bare_search(q, page)

                floor = _time(bare, args.repeat)
                real = _time(orm, args.repeat)
                search_p99 = max(search_p99, real[1])
                label = f'item_search("{q}", page {page}) — {count:,} matches'
                results.append((label, real, floor, "search"))
                print(f"  {label}: {real[0]:.1f} / {real[1]:.1f} ms (floor {floor[1]:.1f})")

        # 2. The guide page and the search page against a bare view.
        _install_urlconf()
        client = Client(raise_request_exception=True)
        demo = (
            ServiceItem.objects.exclude(implementation_code__startswith="BENCH")
            .filter(current__isnull=False, lifecycle="active", is_convenience=False)
            .order_by("implementation_code")
            .values_list("implementation_code", flat=True)
        )
        # The demo item with the largest guide (most materials): the heaviest page.
        code = max(
            demo,
            key=lambda c: public.guide_detail(c).materials.count(),
        )
        results.append(
            (
                f"guide_detail({code})",
                _time(lambda: public.guide_detail(code), args.page_repeat),
                (0.0, 0.0),
                "info",
            )
        )
        print(f"  guide_detail({code}): {results[-1][1][0]:.2f} ms p50")
        pages = [
            (f"GET /items/{code}/ (guide page)", f"/items/{code}/", "guide"),
            ("GET /items/?q=食品 (search page)", "/items/?q=食品", "page"),
        ]
        for label, url, kind in pages:
            resp = client.get(url)
            assert resp.status_code == 200, (url, resp.status_code)
            key = kind
            _BARE[key] = resp.content
            bare_resp = client.get(f"/__bench__/{key}/")
            assert bare_resp.content == resp.content
            floor = _time(lambda key=key: client.get(f"/__bench__/{key}/"), args.page_repeat)
            real = _time(lambda url=url: client.get(url), args.page_repeat)
            results.append((f"{label}, {len(resp.content):,} bytes", real, floor, kind))
            print(f"  {label}: {real[0]:.1f} / {real[1]:.1f} ms (floor {floor[0]:.2f})")

        # Table and verdicts.
        lines = [
            "| measurement | p50 ms | p99 ms | floor p50 ms | floor p99 ms | ratio p50 |",
            "|---|---|---|---|---|---|",
        ]
        guide_ratio = 0.0
        for label, real, floor, kind in results:
            if kind == "info":
                lines.append(f"| {label} | {real[0]:.2f} | {real[1]:.2f} | — | — | — |")
                continue
            ratio = real[0] / floor[0]
            if kind == "guide":
                guide_ratio = ratio
            lines.append(
                f"| {label} | {real[0]:.2f} | {real[1]:.2f} | {floor[0]:.2f} | "
                f"{floor[1]:.2f} | {ratio:.2f} |"
            )
        search_ok = search_p99 < SEARCH_P99_MS
        guide_ok = guide_ratio <= GUIDE_RATIO
        if not search_ok:
            problems.append(
                f"search p99 {search_p99:.1f} ms is {search_p99 / SEARCH_P99_MS:.1f}× the target"
            )
        if not guide_ok:
            problems.append(f"guide time ratio {guide_ratio:.2f} > {GUIDE_RATIO:.0f}")
        table = "\n".join(lines)
        verdict = (
            f"- search p99 < {SEARCH_P99_MS:.0f} ms: worst p99 {search_p99:.1f} ms — "
            f"{'met' if search_ok else 'not met'}\n"
            f"- guide page ≥ 50% of the bare view's requests/s: time ratio {guide_ratio:.2f} "
            f"({100 / guide_ratio:.0f}% of its requests/s) — {'met' if guide_ok else 'not met'}\n"
        )
        print()
        print(table)
        print(verdict)

        if args.write:
            vendor = connection.vendor
            name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
            server = ""
            if vendor == "postgresql":
                server = f" {connection.pg_version // 10000}"
            elif vendor == "sqlite":
                import sqlite3

                server = f" {sqlite3.sqlite_version}"
            flags = f" --postgres {args.postgres}" if args.postgres else ""
            body = (
                f"### {name}{server}, {total:,} items\n\n"
                f"Machine: {_machine()}. Date: {dt.date.today().isoformat()}.\n\n"
                "```sh\n"
                f".venv/bin/python bench/catalog_portal.py --items {args.items}{flags} --write\n"
                "```\n\n"
                f"Repetitions: {args.repeat} per search, {args.page_repeat} per page.\n\n"
                f"{table}\n\n{verdict}\n"
            )
            _write(vendor, body)
            print("written to BENCHMARKS.md")
        for p in problems:
            print(f"target missed: {p}")
        return 0 if not problems else 1
    finally:
        connections.close_all()
        if args.postgres:
            _scratch_postgres(args.postgres, create=False)
        tmp.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
