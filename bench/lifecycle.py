"""Benchmark: case lifecycle throughput through the services, against the
raw-SQL floor of the same row writes (issue 6).

A scratch database (a temporary SQLite file, or ``<database>_lifecycle`` on
the PostgreSQL server of ``--database``) gets the case test world (a city,
梁溪区市场监督管理局 and its staff, built through the services) and one item
whose guide has two handling steps (审查, 复核) before 决定 and 送达. Drafts
with their three materials are prepared first (not timed). Then, per case:
``case_submit`` → ``case_accept`` → ``case_step_complete`` ×2 →
``case_decide`` (granted) → ``case_deliver`` (electronic); only the service
calls are timed.

Floor: the INSERT / UPDATE statements those services sent for one case
(captured with ``connection.execute_wrapper``: case, steps, events,
notifications, documents, delivery, audit entries and the audit head, the
case-number sequence), replayed through ``connection.cursor()`` for other
drafts, one transaction per service as the services do, with the keys
remapped (the case, the rows each INSERT returned, unique numbers, hashes and
verification codes). It reads nothing and renders nothing. The target
(services ≥ 50% of its cases/s) is measured against it.

Beside it, the floor with the reads: every statement the services sent
(the reads, row locks and savepoints too) replayed raw in its place, the
reads as captured. Against it the ratio is what the ORM and the Python
rules cost over the same database work.

The services run as deployed: the notices and the signed decision are
issued in the service's transaction and rendered by task workers
(docs/adr/0008-documents-by-task.md), so the floor replays their rows and
task rows too. Shown beside it: one worker rendering, signing and storing
those documents (documents per second), and, for comparison, the services
with the documents rendered inside the request (the immediate task backend,
as before ADR 0008).

Usage::

    .venv/bin/python bench/lifecycle.py                       # temporary SQLite
    .venv/bin/python bench/lifecycle.py --database postgres://postgres@127.0.0.1:5432/h_x
    .venv/bin/python bench/lifecycle.py --cases 10 --profile  # cProfile of the services

Targets: the services at ≥ 50% of the write floor's cases/s (issue 6); at
≥ 50% of the floor with the reads, and the audit head held briefly enough for
a platform ceiling ≥ 50 cases/s (docs/adr/0010-lifecycle-floor.md).
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import _common as C  # noqa: E402

SECTION = "## Case lifecycle throughput (submit → accept → 2 steps → grant → conclude)"
TARGET = 0.5
# docs/adr/0010-lifecycle-floor.md: 25× a province's average load.
CEILING_TARGET = 50
TWO_STEPS = [
    {"code": "accept", "name": "受理", "role_code": "clerk", "time_limit": 1},
    {"code": "review", "name": "审查", "role_code": "reviewer", "time_limit": 2},
    {"code": "recheck", "name": "复核", "role_code": "reviewer", "time_limit": 1},
    {"code": "decide", "name": "决定", "role_code": "approver", "time_limit": 1},
    {"code": "deliver", "name": "送达", "role_code": "clerk", "time_limit": 1},
]
WRITES = ("INSERT", "UPDATE", "DELETE")
# Django's own BEGIN (SQLite) is replayed by the replay's own atomic block.
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "END")


# --- the world and the lifecycle --------------------------------------------------------


class World:
    def __init__(self) -> None:
        from yiwang.domains.cases.tests.conftest import build_case_world
        from yiwang.domains.catalog.tests.conftest import full_guide, publish_item
        from yiwang.domains.orgs.models import Staff

        w = build_case_world()
        self.item = publish_item(city=w, guide=full_guide(steps=TWO_STEPS), name="食品经营许可")
        self.applicant = w.applicant
        self.clerk = Staff.objects.get(pk=w.clerk.pk)
        self.reviewer = Staff.objects.get(pk=w.reviewer.pk)
        self.approver = Staff.objects.get(pk=w.approver.pk)

    def draft(self) -> int:
        from yiwang.domains.cases import services
        from yiwang.domains.cases.tests.conftest import FORM, pdf, png

        me = self.applicant
        case = services.case_draft_save(
            actor=me, item_id=self.item.pk, variant_code="first", form_data=FORM
        )
        for code, data, name in (
            ("application", pdf("申请书"), "申请书.pdf"),
            ("licence", png(), "营业执照.png"),
            ("layout", pdf("平面图"), "平面图.pdf"),
        ):
            services.case_material_upload(
                actor=me, case_id=case.pk, code=code, data=data, filename=name
            )
        return int(case.pk)

    def lifecycle(self, case_id: int, spent: Counter[str], hook: Any = None) -> None:
        """The six service calls of one case; ``spent`` adds each one's seconds;
        ``hook(name)`` is told before each call (the capture uses it)."""
        from yiwang.domains.cases import services
        from yiwang.domains.cases.models import CaseStep

        def step_id() -> int:
            return int(
                CaseStep.objects.filter(case_id=case_id, status="active")
                .order_by("order")
                .values_list("pk", flat=True)[0]
            )

        calls: list[tuple[str, Any]] = [
            ("case_submit", lambda: services.case_submit(actor=self.applicant, case_id=case_id)),
            ("case_accept", lambda: services.case_accept(actor=self.clerk, case_id=case_id)),
            (
                "case_step_complete",
                lambda sid: services.case_step_complete(
                    actor=self.reviewer, step_id=sid, opinion="材料齐全，符合条件"
                ),
            ),
            (
                "case_step_complete",
                lambda sid: services.case_step_complete(
                    actor=self.reviewer, step_id=sid, opinion="复核同意"
                ),
            ),
            (
                "case_decide",
                lambda: services.case_decide(
                    actor=self.approver,
                    case_id=case_id,
                    decision="granted",
                    reason="申请材料齐全，符合法定条件",
                ),
            ),
            (
                "case_deliver",
                lambda: services.case_deliver(actor=self.clerk, case_id=case_id, way="electronic"),
            ),
        ]
        for name, call in calls:
            arg = (step_id(),) if name == "case_step_complete" else ()
            if hook is not None:
                hook(name)
            t0 = time.perf_counter()
            call(*arg)
            spent[name] += time.perf_counter() - t0


# --- the floor: the captured writes, replayed -----------------------------------------------

_INSERT = re.compile(r'^INSERT INTO "(\w+)" \(([^)]*)\)', re.S)
_UPDATE = re.compile(r'^UPDATE "(\w+)" SET', re.S)
_COLUMN_BEFORE = re.compile(r'"(\w+)"\s*=\s*\(?[^%=]*$')


def _param_columns(sql: str, n: int) -> tuple[str, str, list[str]]:
    """(operation, table, the column each of the ``n`` parameters goes to)."""
    m = _INSERT.match(sql)
    if m:
        cols = [c.strip().strip('"') for c in m.group(2).split(",")]
        return "INSERT", m.group(1), [cols[i % len(cols)] for i in range(n)]
    m = _UPDATE.match(sql)
    if m:
        out = []
        pos = 0
        for _ in range(n):
            at = sql.index("%s", pos)
            before = _COLUMN_BEFORE.search(sql[:at])
            out.append(before.group(1) if before else "?")
            pos = at + 2
        return "UPDATE", m.group(1), out
    op = sql.split(None, 1)[0].upper()
    return op, "?", ["?"] * n


class Template:
    """The write statements of one case's lifecycle, grouped by service call
    (one transaction each), with what each parameter means."""

    def __init__(self) -> None:
        # Per service call: (sql, params, operation, table, parameter columns, is a write).
        self.groups: list[
            tuple[str, list[tuple[str, tuple[Any, ...], str, str, list[str], bool]]]
        ] = []
        self.old_ids: dict[str, list[int]] = {}
        self.case_id = 0
        self.number = ""

    def capture(self, world: World, case_id: int) -> None:
        from django.db import connection

        from yiwang.domains.cases.models import Case

        tables = (
            "cases_casestep",
            "cases_caseevent",
            "cases_casedocument",
            "cases_notification",
            "cases_delivery",
            "core_auditentry",
        )
        before = {t: self._max_id(t) for t in tables}

        def hook(name: str) -> None:
            self.groups.append((name, []))

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if self.groups:
                p = tuple(params or ())
                write = sql.lstrip().split(None, 1)[0].upper() in WRITES
                op, table, cols = _param_columns(sql.strip(), len(p))
                self.groups[-1][1].append((sql, p, op, table, cols, write))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            world.lifecycle(case_id, Counter(), hook)
        self.case_id = case_id
        self.number = str(Case.objects.get(pk=case_id).number)
        with connection.cursor() as cur:
            for t in tables:
                cur.execute(f'SELECT id FROM "{t}" WHERE id > %s ORDER BY id', [before[t]])
                self.old_ids[t] = [r[0] for r in cur.fetchall()]

    @staticmethod
    def _max_id(table: str) -> int:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            return int(cur.fetchone()[0])

    def counts(self) -> Counter[tuple[str, str]]:
        return Counter(
            (op, table) for _, stmts in self.groups for _, _, op, table, _, write in stmts if write
        )

    def statements(self) -> int:
        return sum(len(stmts) for _, stmts in self.groups)

    def replay(self, case_id: int, serial: int, reads: bool = False) -> None:
        """The same writes for draft ``case_id`` (its number ends in F + serial);
        with ``reads``, every other statement the services sent as well, in
        its place and as sent (keyed to the captured case: the same plans and
        nearly the same rows), its rows fetched."""
        from django.db import connection, transaction

        number = f"{self.number.rsplit('-', 1)[0]}-F{serial:05d}"
        inserted: dict[str, int] = Counter()
        new_id: dict[tuple[str, int], int] = {}

        def remap(op: str, table: str, object_table: str, col: str, v: Any) -> Any:
            if col == "case_id" and v == self.case_id:
                return case_id
            if col == "id" and op == "UPDATE":
                if table == "cases_case" and v == self.case_id:
                    return case_id
                return new_id.get((table, v), v)
            if col == "document_id" and v is not None:
                return new_id.get(("cases_casedocument", v), v)
            if col == "last_id":
                return new_id.get(("core_auditentry", v), v)
            if col == "object_id":
                if object_table == "cases_case" and str(v) == str(self.case_id):
                    return str(case_id)
                return str(new_id.get((object_table, int(v)), v))
            if col == "id" and op == "INSERT" and isinstance(v, str | uuid.UUID):
                return type(v)(str(uuid.uuid4())) if isinstance(v, str) else uuid.uuid4()
            if col in ("hash", "verify_code"):
                return secrets.token_hex(32 if col == "hash" else 8)
            if isinstance(v, str) and self.number in v:
                return v.replace(self.number, number)
            return v

        for _name, stmts in self.groups:
            with transaction.atomic(), connection.cursor() as cur:
                for sql, params, op, table, cols, write in stmts:
                    if not write:
                        if reads and op not in _TRANSACTION_CONTROL:
                            cur.execute(sql, params)
                            if cur.description is not None:
                                cur.fetchall()
                        continue
                    values = list(params)
                    # Audit entries: each row's object id is keyed by its own row's type.
                    width = next((j for j in range(1, len(cols)) if cols[j] == cols[0]), len(cols))
                    tables = (
                        [
                            str(values[at]).replace(".", "_")
                            for at in range(cols.index("object_type"), len(values), width)
                        ]
                        if table == "core_auditentry"
                        else []
                    )
                    for i, (col, v) in enumerate(zip(cols, values, strict=True)):
                        object_table = tables[i // width] if tables else ""
                        # PostgreSQL's bulk INSERT binds one array per column
                        # (… SELECT * FROM UNNEST(%s::integer[], …)).
                        if isinstance(v, list):
                            values[i] = [remap(op, table, object_table, col, x) for x in v]
                        else:
                            values[i] = remap(op, table, object_table, col, v)
                    cur.execute(sql, values)
                    if op == "INSERT" and "RETURNING" in sql.upper():
                        # A multi-row INSERT returns one id per row, drawn in
                        # VALUES order: mapped in that order to the captured ones.
                        olds = self.old_ids.get(table, [])
                        for got in sorted(r[0] for r in cur.fetchall()):
                            k = inserted[table]
                            if k < len(olds):
                                new_id[(table, olds[k])] = got
                            inserted[table] += 1


# --- running -----------------------------------------------------------------------------


def _rows_per_case(case_ids: list[int]) -> Counter[str]:
    """Rows each table holds for these cases (to check the floor wrote what the
    services did)."""
    from django.db import connection

    out: Counter[str] = Counter()
    marks = ", ".join(["%s"] * len(case_ids))
    with connection.cursor() as cur:
        for t in (
            "cases_casestep",
            "cases_caseevent",
            "cases_casedocument",
            "cases_notification",
            "cases_delivery",
        ):
            cur.execute(f'SELECT COUNT(*) FROM "{t}" WHERE case_id IN ({marks})', case_ids)
            out[t] = int(cur.fetchone()[0])
    return out


def _task_backend(backend: str) -> None:
    """Switch the task engine: the database backend queues rows for workers
    (production); the immediate one runs each task inside the request."""
    from django.conf import settings as dj
    from django.core.signals import setting_changed

    dj.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default", "sweeps"]}}
    setting_changed.send(sender=type(dj), setting="TASKS", value=dj.TASKS, enter=True)


DB_BACKEND = "django_tasks_db.DatabaseBackend"
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


class HeadHold:
    """How long each transaction holds the audit head's row lock: from
    linking its entries (which locks the head) to its commit. Every audited write
    of the platform waits for that lock, so its sum per case bounds the
    whole platform's cases per second however many servers run."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.locks = 0

    def __enter__(self) -> HeadHold:
        from django.db import transaction

        from yiwang.core import audit

        self._real = real = audit._locked_head_hash

        def timed(conn: Any) -> str:
            t0 = time.perf_counter()
            head = real(conn)

            def released() -> None:
                self.seconds += time.perf_counter() - t0
                self.locks += 1

            transaction.on_commit(released, using=conn.alias)
            return head

        audit._locked_head_hash = timed  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: Any) -> None:
        from yiwang.core import audit

        audit._locked_head_hash = self._real  # type: ignore[assignment]


def _render_pending(case_ids: list[int]) -> tuple[int, float]:
    """What a task worker does for these cases' documents: (documents, seconds)."""
    from yiwang.core.actors import SYSTEM
    from yiwang.domains.cases.models import CaseDocument, DocumentStatus
    from yiwang.domains.cases.services import case_document_render

    ids = list(
        CaseDocument.objects.filter(case_id__in=case_ids, status=DocumentStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    t0 = time.perf_counter()
    for pk in ids:
        case_document_render(actor=SYSTEM, document_id=pk)
    return len(ids), time.perf_counter() - t0


def _case_count() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute('SELECT COUNT(*) FROM "cases_case"')
        return int(cur.fetchone()[0])


def run(database: str, cases: int, profile: bool, command: str, template: str = "") -> C.Result:
    vendor = C.vendor_of(database)
    tmp = tempfile.TemporaryDirectory(prefix="yiwang-bench-lifecycle-")
    scratch = (
        C.scratch_postgres(database, "lifecycle", create=True, template=C.database_name(template))
        if vendor == "postgresql"
        else f"sqlite:///{Path(tmp.name) / 'lifecycle.sqlite3'}"
    )
    C.setup_django(scratch, tmp.name)
    C.quiet_logs()
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        call_command("migrate", verbosity=0)
        existing = _case_count()
        where = (
            f"a copy of the generated database `{C.database_name(template)}` "
            f"({existing:,} cases before the run)"
            if template
            else "an empty scratch database"
        )
        t0 = time.perf_counter()
        world = World()
        n = cases
        drafts = [world.draft() for _ in range(4 * n + 2)]
        prep_s = time.perf_counter() - t0
        print(f"  {C.vendor_name(vendor)}: world and {len(drafts)} drafts in {prep_s:.1f} s")
        # The first case warms every cache (templates, fonts, keys); the second
        # is the template the floor replays.
        world.lifecycle(drafts[0], Counter())
        _render_pending([drafts[0]])  # fonts and keys loaded before anything is timed
        template = Template()
        template.capture(world, drafts[1])
        service_ids = drafts[2 : 2 + n]
        floor_ids = drafts[2 + n : 2 + 2 * n]
        inline_ids = drafts[2 + 2 * n : 2 + 3 * n]
        full_floor_ids = drafts[2 + 3 * n :]

        spent: Counter[str] = Counter()
        profiler = None
        if profile:  # times under the profiler are longer; see its listing
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        # Interleaved, a case of each in turn, so the machine's swings (other
        # work, a checkpoint) fall on the services and both floors alike.
        floor_s = full_floor_s = 0.0
        with HeadHold() as hold:
            for k in range(n):
                if profiler is not None:
                    profiler.enable()
                world.lifecycle(service_ids[k], spent)
                if profiler is not None:
                    profiler.disable()
                t0 = time.perf_counter()
                template.replay(floor_ids[k], k)
                floor_s += time.perf_counter() - t0
                t0 = time.perf_counter()
                template.replay(full_floor_ids[k], n + k, reads=True)
                full_floor_s += time.perf_counter() - t0

        docs, render_s = _render_pending(service_ids)

        _task_backend(IMMEDIATE_BACKEND)
        inline_spent: Counter[str] = Counter()
        try:
            for cid in inline_ids:
                world.lifecycle(cid, inline_spent)
        finally:
            _task_backend(DB_BACKEND)
        inline_s = sum(inline_spent.values())
        service_calls_s = sum(spent.values())

        from yiwang.domains.cases.models import Case

        concluded = Case.objects.filter(pk__in=service_ids + inline_ids, status="concluded").count()
        assert concluded == 2 * n, f"{concluded} of {2 * n} cases concluded"
        rows_s, rows_f = _rows_per_case(service_ids), _rows_per_case(floor_ids)
        assert rows_s == rows_f, f"floor wrote other rows: {dict(rows_f)} vs {dict(rows_s)}"
        rows_ff = _rows_per_case(full_floor_ids)
        assert rows_s == rows_ff, f"floor wrote other rows: {dict(rows_ff)} vs {dict(rows_s)}"
        counts = template.counts()
        writes = sum(counts.values())
        audit_rows = counts[("INSERT", "core_auditentry")]

        floor_rate = n / floor_s
        rate = n / service_calls_s
        inline_rate = n / inline_s
        ratio = rate / floor_rate
        full_floor_rate = n / full_floor_s
        full_ratio = rate / full_floor_rate
        statements = template.statements()
        ceiling = n / hold.seconds  # cases/s the head lock lets the whole platform do
        met = ratio >= TARGET
        doc_rate = docs / render_s if render_s else 0.0

        def calls(c: Counter[str]) -> str:
            return ", ".join(f"{name} {c[name] / n * 1000:.1f} ms" for name in dict.fromkeys(c))

        lines = [
            "| measurement | cases/s | ms per case | services' cases/s ÷ this |",
            "|---|---|---|---|",
            f"| **floor** (the target's): the same {writes} write statements as raw SQL "
            f"(6 transactions) | {floor_rate:,.1f} | {floor_s / n * 1000:.1f} | "
            f"**{ratio:.3f}** |",
            f"| floor with the reads: all {statements} statements the services send "
            f"({statements - writes} of them reads, savepoints), raw | {full_floor_rate:,.1f} | "
            f"{full_floor_s / n * 1000:.1f} | {full_ratio:.3f} |",
            f"| services as deployed (documents issued, rendered by the task workers) | "
            f"{rate:,.2f} | {service_calls_s / n * 1000:.1f} | 1.00 |",
            f"| for comparison: services rendering and signing the documents in the request "
            f"(before ADR 0008) | {inline_rate:,.2f} | {inline_s / n * 1000:.1f} | "
            f"{rate / inline_rate:.2f} |",
        ]
        table = "\n".join(lines)
        tally = ", ".join(f"{op} {t} ×{c}" for (op, t), c in sorted(counts.items()))
        body = (
            f"Database: {where}. "
            f"Cases: {n} per measurement (plus one warm-up and the captured template); "
            f"set-up (world and {len(drafts)} drafts through the services) {prep_s:.0f} s; "
            f"the services and the two floors run interleaved, a case of each in turn.\n\n"
            f"{table}\n\n"
            f"Task worker, same process: {docs} documents of those cases (acceptance notices, "
            f"signed decisions) rendered, signed and stored in {render_s:.1f} s — "
            f"{doc_rate:,.1f} documents/s, {render_s / max(docs, 1) * 1000:.0f} ms each, "
            f"so one worker keeps up with {doc_rate / 2:,.1f} cases/s (two documents per case); "
            f"workers scale out (docs/deployment.md).\n\n"
            f"Audit head held per case: {hold.seconds / n * 1000:.1f} ms over "
            f"{hold.locks / n:.0f} transactions (from the head's lock, taken when each "
            f"transaction links its audit entries just before commit, docs/adr/"
            f"0009-audit-linked-at-commit.md, to its commit); every audited write of the "
            f"platform queues for that lock, so the whole platform's lifecycle throughput is "
            f"bounded by ~{ceiling:,.0f} cases/s however many servers run it"
            + (
                " (SQLite serialises whole write transactions anyway: one writer at a time)"
                if vendor == "sqlite"
                else ""
            )
            + ".\n\n"
            f"Write statements per case ({writes}, {audit_rows} of them audit-entry INSERTs, "
            f"one per service transaction): {tally}.\n\n"
            f"Per call (services as deployed): {calls(spent)}.\n\n"
            f"Per call (rendering in the request): {calls(inline_spent)}.\n\n"
            f"- issue 6's target, services ≥ 50% of the write floor's cases/s: ratio "
            f"{ratio:.3f} — {'met' if met else 'not met'}\n"
            + (
                f"- services ≥ 50% of the floor with the reads (docs/adr/0010-lifecycle-floor.md): "
                f"ratio {full_ratio:.3f} — {'met' if full_ratio >= TARGET else 'not met'}\n"
                f"- platform ceiling from the audit head ≥ {CEILING_TARGET} cases/s (ADR 0010): "
                f"~{ceiling:,.0f} cases/s — "
                f"{'met' if ceiling >= CEILING_TARGET else 'not met'}\n"
                if vendor == "postgresql"
                else f"- ratio to the floor with the reads {full_ratio:.3f}, ceiling "
                f"~{ceiling:,.0f} cases/s: ADR 0010's targets are for PostgreSQL "
                f"(SQLite's statements run in-process, so its ratios mostly measure Python)\n"
            )
        )
        print(
            f"  floor {floor_rate:,.1f} cases/s; services {rate:,.2f} cases/s (ratio {ratio:.3f})"
        )
        print(
            f"  floor with the reads ({statements} statements): {full_floor_rate:,.1f} cases/s "
            f"(services' ratio {full_ratio:.3f})"
        )
        print(f"  rendering in the request: {inline_rate:,.2f} cases/s")
        print(f"  worker: {docs} documents in {render_s:.1f} s ({doc_rate:,.1f}/s)")
        print(
            f"  audit head held {hold.seconds / n * 1000:.1f} ms per case: "
            f"platform ceiling ~{ceiling:,.0f} cases/s"
        )
        print(f"  per call: {calls(spent)}")
        print(f"  per call, rendering in the request: {calls(inline_spent)}")
        if profiler is not None:
            import pstats

            pstats.Stats(profiler).sort_stats("cumulative").print_stats("yiwang|django_tasks", 70)
        return C.Result(
            key=f"lifecycle-{vendor}",
            section=SECTION,
            title=f"{C.server_version()}",
            command=command,
            body=body,
            met=met,
            summary=(
                f"lifecycle {C.vendor_name(vendor)}: {rate:.2f} cases/s, floor "
                f"{floor_rate:.1f}, ratio {ratio:.3f} (target ≥ {TARGET}) — "
                f"{'met' if met else 'not met'}; with the reads {full_ratio:.3f}; "
                f"ceiling ~{ceiling:,.0f} cases/s"
            ),
            data={
                "cases": n,
                "floor_rate": floor_rate,
                "rate": rate,
                "ratio": ratio,
                "full_floor_rate": full_floor_rate,
                "full_ratio": full_ratio,
                "statements": statements,
                "inline_rate": inline_rate,
                "documents_per_second": doc_rate,
                "head_hold_ms_per_case": hold.seconds / n * 1000,
                "writes": writes,
            },
        )
    finally:
        connections.close_all()
        if vendor == "postgresql":
            C.scratch_postgres(database, "lifecycle", create=False)
        tmp.cleanup()
        del connection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        default="sqlite:///",
        help="a PostgreSQL URL (a scratch database is made on its server) or sqlite (temporary)",
    )
    parser.add_argument("--cases", type=int, default=30, help="cases per measurement")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the services (PDFs replaced)"
    )
    parser.add_argument(
        "--template",
        default="",
        help="PostgreSQL: run in a copy of this database (the generated data, e.g. 10M cases)",
    )
    parser.add_argument("--json", help="write the result here (for bench/runner.py)")
    args = parser.parse_args(argv)
    flags = f" --database {args.database}" if C.vendor_of(args.database) == "postgresql" else ""
    if args.template and C.vendor_of(args.database) == "postgresql":
        flags += f" --template {args.template}"
    command = f".venv/bin/python bench/lifecycle.py --cases {args.cases}{flags}"
    template = args.template if C.vendor_of(args.database) == "postgresql" else ""
    result = run(args.database, args.cases, args.profile, command, template)
    result.dump(args.json)
    print(result.summary)
    return 0 if result.met else 1


if __name__ == "__main__":
    raise SystemExit(main())
