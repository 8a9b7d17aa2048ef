"""A province-shaped data set for the benchmarks (``yiwang bench generate``).

One fictional province (江南省, code 39) with its cities, counties and towns
(6-digit GB/T 2260-shaped codes for province, city and county, 12-digit
statistical codes for towns), its agencies (valid GB 32100 credit codes) with
service centres, halls and one window each, five staff per agency (head,
administrator, clerk, reviewer, approver: login ``b<agency>_<role>``, the demo
password), a catalogue of published items (each with its own published
version, four handling steps and two materials, like
``bench/catalog_portal.py`` clones them), persons (valid resident ID numbers)
and entities (valid credit codes) with logins, and cases spread over three
years in realistic states and ages.

Shape of the cases. Each day gets a share of the cases (weekdays more than
rest days, growing over the three years); agencies get their cases by a
Zipf-like weight (the busiest one handles a few per cent of the province),
items within an agency likewise. A case's state follows its age: all but a
few of those submitted in the last month are still open, older ones end
(concluded — granted or denied —, refused, returned or withdrawn) and by
about 200 days every case has ended, which leaves about 10 % open. Open cases
are submitted (待受理), correcting (待补正), handling (审查中) or decided
(待送达); accepted ones have their due dates computed on the working-day
calendar from the pinned version's limits, and a closed ``ClockPause`` (a
correction) where the case is older than its limit, so due dates fall around
today and a share (~8 %) is overdue. Each accepted open case has its four
``CaseStep`` rows (the active one is what the 审查中 queue finds) and its
timeline events (``CaseEvent``); ended cases carry their dates and decision
on the row only (no steps, events or materials: nothing measured reads them).
Case numbers are unique, built like ``case_submit`` does
(``<county code>-<date>-<serial>``) and recorded in ``CaseNumberSequence``,
so a case submitted after generation gets the next serial.

Speed: rows are written with ``COPY … FROM STDIN`` on PostgreSQL (foreign-key
triggers off for the load through ``session_replication_role``; the big
tables' secondary indexes and unique constraints dropped before and rebuilt
after from their own definitions, then ``ANALYZE``) and with ``executemany``
in large transactions on SQLite (foreign keys off, ``synchronous=OFF``,
indexes dropped and rebuilt the same way). Encrypted fields hold real SM4
ciphertext: each person's ID number and phone are encrypted once and the
ciphertext reused on every case of that person.

No audit entries are written for generated rows: ``yiwang audit verify`` on a
generated database reports the rows as unaudited and is not meaningful there.

Usage (through the ``yiwang`` command, see docs/benchmarks.md)::

    yiwang bench generate --scale small                      # var/bench/bench.sqlite3
    yiwang bench generate --scale province --reset \
        --database postgres://postgres@127.0.0.1:5432/yiwang_bench
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# --- the scales -------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    cities: int
    counties: int
    towns: int
    agencies: int
    items: int
    persons: int
    entities: int
    cases: int

    @property
    def applicants(self) -> int:
        return self.persons + self.entities

    @property
    def divisions(self) -> int:
        return 1 + self.cities + self.counties + self.towns


SCALES: dict[str, Scale] = {
    #                 cities counties towns agencies   items  persons entities      cases
    "tiny": Scale(2, 4, 16, 50, 500, 1_800, 200, 20_000),
    "small": Scale(16, 120, 1_500, 3_000, 5_000, 45_000, 5_000, 500_000),
    "medium": Scale(16, 120, 1_500, 3_000, 20_000, 180_000, 20_000, 1_000_000),
    "province": Scale(16, 120, 1_500, 3_000, 100_000, 900_000, 100_000, 10_000_000),
}
DEFAULT_SCALE = "small"

YEARS = 3  # cases are spread over this many years up to today
OPEN_FULL_DAYS = 45  # cases younger than this are nearly all open …
OPEN_LAST_DAY = 180  # … and none older than this is
OVERDUE_SHARE = 0.08  # of the accepted open cases
ZIPF = 0.75  # agency and item weights: 1 / rank ** ZIPF
SEED = 20260601
BULK_ROWS = 200_000  # tables at least this big get their indexes rebuilt after the load
CHUNK = 5_000

PROVINCE = ("390000", "江南省")
PLACE = (
    "安平宁泰清河江湖山川东西南阳城丰华兴隆昌德福庆永长新石桥林源溪云龙凤金玉宝和顺成乐明"
    "光远广义仁文武崇高定盛元春黄白青梅桃柳松海岭峰泉塘湾港"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇浩然晨阳欣怡子"
    "涵佳琪思雨梓萱俊一鸣海峰丹婷雪梅春燕晓东立新振卫永德庆"
)
COMPANY = ("科技", "贸易", "机械", "食品", "建筑", "物流", "纺织", "电子", "餐饮", "文化", "农业")
COMPANY_FORM = ("有限公司", "有限责任公司", "股份有限公司", "商行", "经营部", "合作社")

# (local name, province-level name, short name, kind); the first is the
# division's management office (it runs the service centre).
DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("政务服务管理办公室", "政务服务管理办公室", "政务办", "management"),
    ("行政审批局", "政务服务和大数据管理局", "审批局", "department"),
    ("市场监督管理局", "市场监督管理局", "市场监管局", "department"),
    ("公安局", "公安厅", "公安局", "department"),
    ("自然资源和规划局", "自然资源厅", "自然资源局", "department"),
    ("卫生健康委员会", "卫生健康委员会", "卫健委", "department"),
    ("人力资源和社会保障局", "人力资源和社会保障厅", "人社局", "department"),
    ("住房和城乡建设局", "住房和城乡建设厅", "住建局", "department"),
    ("交通运输局", "交通运输厅", "交通运输局", "department"),
    ("生态环境局", "生态环境厅", "生态环境局", "department"),
    ("民政局", "民政厅", "民政局", "department"),
    ("教育局", "教育厅", "教育局", "department"),
    ("医疗保障局", "医疗保障局", "医保局", "department"),
    ("住房公积金管理中心", "住房公积金管理中心", "公积金中心", "delegated"),
    ("农业农村局", "农业农村厅", "农业农村局", "department"),
    ("水利局", "水利厅", "水利局", "department"),
    ("文化广电和旅游局", "文化和旅游厅", "文广旅局", "department"),
    ("商务局", "商务厅", "商务局", "department"),
    ("应急管理局", "应急管理厅", "应急管理局", "department"),
    ("退役军人事务局", "退役军人事务厅", "退役军人局", "department"),
    ("司法局", "司法厅", "司法局", "department"),
    ("财政局", "财政厅", "财政局", "department"),
    ("发展和改革委员会", "发展和改革委员会", "发改委", "department"),
    ("工业和信息化局", "工业和信息化厅", "工信局", "department"),
    ("科学技术局", "科学技术厅", "科技局", "department"),
    ("城市管理局", "住房和城乡建设执法监督局", "城管局", "department"),
    ("林业局", "林业局", "林业局", "department"),
    ("体育局", "体育局", "体育局", "department"),
    ("统计局", "统计局", "统计局", "department"),
    ("档案馆", "档案馆", "档案馆", "delegated"),
    ("气象局", "气象局", "气象局", "delegated"),
    ("烟草专卖局", "烟草专卖局", "烟草局", "delegated"),
    ("残疾人联合会", "残疾人联合会", "残联", "delegated"),
    ("民族宗教事务局", "民族宗教事务委员会", "民宗局", "department"),
    ("人民防空办公室", "人民防空办公室", "人防办", "department"),
    ("地方金融监督管理局", "地方金融监督管理局", "金融局", "department"),
    ("消防救援支队", "消防救援总队", "消防救援", "delegated"),
    ("邮政管理局", "邮政管理局", "邮政管理局", "delegated"),
    ("税务局", "税务局", "税务局", "department"),
    ("供电公司", "电力有限公司", "供电公司", "enterprise"),
    ("水务集团有限公司", "水利投资集团有限公司", "水务集团", "enterprise"),
    ("燃气有限公司", "天然气管网有限公司", "燃气公司", "enterprise"),
)

# Item names: 30 subjects × 7 middles × 9 actions = 1,890 catalogue entries
# (the vocabulary of bench/catalog_portal.py).
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
PROMISED_LIMITS = ((1, 2), (3, 4), (5, 6), (10, 6), (15, 4), (20, 3), (30, 2), (45, 1), (60, 1))

STAFF_ROLES = (
    ("head", "unit_head", "负责人"),
    ("admin", "unit_admin", "办公室主任"),
    ("clerk", "clerk", "窗口受理员"),
    ("reviewer", "reviewer", "审查员"),
    ("approver", "approver", "审批科科长"),
)

# (code, name, role, share of the promised limit)
STEPS = (
    ("accept", "受理", "clerk", 0.0),
    ("review", "审查", "reviewer", 0.6),
    ("decide", "决定", "approver", 0.2),
    ("deliver", "送达", "clerk", 0.2),
)


def manifest_path(url: str) -> Path:
    """Where the manifest of the database at ``url`` lives: var/bench/<name>.json."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        name = Path(parts.path).stem or "bench"
    else:
        name = parts.path.strip("/") or "bench"
    return _var_dir() / "bench" / f"{name}.json"


def load_manifest(url: str) -> dict[str, Any]:
    """The manifest written by the last generation into the database at ``url``."""
    return json.loads(manifest_path(url).read_text(encoding="utf-8"))


def _var_dir() -> Path:
    import os

    return Path(os.environ.get("YIWANG_VAR_DIR", ROOT / "var"))


def default_database_url() -> str:
    return f"sqlite:///{_var_dir() / 'bench' / 'bench.sqlite3'}"


# --- small helpers -----------------------------------------------------------------------


def _spread(total: int, parts: int, rng: random.Random, jitter: float = 0.35) -> list[int]:
    """``total`` split into ``parts`` positive counts that vary by ±jitter."""
    if parts <= 0:
        return []
    weights = [1 + jitter * (2 * rng.random() - 1) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    i = 0
    while sum(counts) < total:
        counts[i % parts] += 1
        i += 1
    while sum(counts) > total:
        if counts[i % parts] > 1:
            counts[i % parts] -= 1
        i += 1
    return counts


def _zipf_cum(n: int) -> list[float]:
    """Cumulative weights 1/rank**ZIPF of ranks 1..n."""
    cum: list[float] = []
    acc = 0.0
    for rank in range(1, n + 1):
        acc += 1 / rank**ZIPF
        cum.append(acc)
    return cum


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def place(self, suffix: str) -> str:
        for _ in range(1000):
            name = self.rng.choice(PLACE) + self.rng.choice(PLACE)
            if name[0] != name[1] and name not in self.used:
                self.used.add(name)
                return name + suffix
        raise RuntimeError("地名用尽")

    def person(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) if rng.random() < 0.3 else rng.choice(GIVEN) + rng.choice(GIVEN)
        return rng.choice(SURNAMES) + given


# --- the bulk writer --------------------------------------------------------------------


class Writer:
    """Bulk inserts for one database connection: COPY on PostgreSQL,
    executemany on SQLite; a progress bar and the time per table."""

    def __init__(self, *, progress: bool, bulk: bool) -> None:
        import sqlite3

        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.progress = progress
        self.bulk = bulk
        self.stats: dict[str, list[float]] = {}
        if self.vendor == "sqlite":
            # Django stores datetimes as naive UTC text, dates as ISO text.
            sqlite3.register_adapter(dt.datetime, lambda v: v.isoformat(" "))
            sqlite3.register_adapter(dt.date, lambda v: v.isoformat())

    def quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def next_id(self, model: Any) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def load(
        self,
        model: Any,
        columns: Sequence[str],
        chunks: Iterable[list[tuple[Any, ...]]],
        *,
        total: int,
        constants: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> int:
        """Write the rows (tuples in ``columns`` order, given in chunks); every
        other column gets ``constants[column]`` or the field's default."""
        from django.db import transaction
        from tqdm import tqdm

        table = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise RuntimeError(f"{table} 没有这些列：{unknown}")
        constants = dict(constants or {})
        rest = [c for c in fields if c not in columns]
        extra: list[Any] = []
        for c in rest:
            if c in constants:
                extra.append(constants[c])
            else:
                extra.append(_default(fields[c], table))
        cols = [*columns, *rest]
        tail = tuple(extra)
        started = time.perf_counter()
        bar = tqdm(
            total=total,
            desc=f"{label or table:<28}",
            unit="rows",
            unit_scale=True,
            disable=not self.progress,
            file=sys.stderr,
            smoothing=0.1,
        )
        written = 0
        io = 0.0  # seconds spent handing rows to the database (the rest is making them)
        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # Binary COPY spares the server parsing text (dates, times,
                # numbers); JSON given as text in the rows needs the text format.
                binary = not any(fields[c].get_internal_type() == "JSONField" for c in columns)
                sql = (
                    f"COPY {self.quote(table)} ({', '.join(self.quote(c) for c in cols)}) "
                    f"FROM STDIN{' (FORMAT BINARY)' if binary else ''}"
                )
                if binary:
                    tail = tuple(
                        _jsonb(v) if fields[c].get_internal_type() == "JSONField" else v
                        for c, v in zip(rest, tail, strict=True)
                    )
                    cursor.execute(
                        "SELECT attname, atttypid FROM pg_attribute "
                        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                        [table],
                    )
                    oids = dict(cursor.fetchall())
                with cursor.cursor.copy(sql) as copy:
                    if binary:
                        copy.set_types([oids[c] for c in cols])
                    write = copy.write_row
                    for chunk in chunks:
                        t0 = time.perf_counter()
                        if tail:
                            for row in chunk:
                                write(row + tail)
                        else:
                            for row in chunk:
                                write(row)
                        io += time.perf_counter() - t0
                        written += len(chunk)
                        bar.update(len(chunk))
            else:
                marks = ", ".join("?" * len(cols))
                sql = (
                    f"INSERT INTO {self.quote(table)} "
                    f"({', '.join(self.quote(c) for c in cols)}) VALUES ({marks})"
                )
                raw = cursor.cursor
                for chunk in chunks:
                    t0 = time.perf_counter()
                    raw.executemany(sql, [row + tail for row in chunk] if tail else chunk)
                    io += time.perf_counter() - t0
                    written += len(chunk)
                    bar.update(len(chunk))
        bar.close()
        seconds = time.perf_counter() - started
        stat = self.stats.setdefault(table, [0, 0.0, 0.0])
        stat[0] += written
        stat[1] += seconds
        stat[2] += io
        return written

    # -- indexes around a big load ---------------------------------------------------

    def detach_indexes(self, tables: Sequence[str]) -> list[str]:
        """Drop the secondary indexes and unique constraints of ``tables``
        (primary keys and foreign keys stay); return the statements that
        rebuild them exactly as they were."""
        restore: list[str] = []
        with self.connection.cursor() as c:
            for table in tables:
                if self.vendor == "postgresql":
                    c.execute(
                        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE conrelid = %s::regclass AND contype = 'u'",
                        [table],
                    )
                    for name, definition in c.fetchall():
                        c.execute(
                            f"ALTER TABLE {self.quote(table)} DROP CONSTRAINT {self.quote(name)}"
                        )
                        restore.append(
                            f"ALTER TABLE {self.quote(table)} ADD CONSTRAINT "
                            f"{self.quote(name)} {definition}"
                        )
                    c.execute(
                        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                        "JOIN pg_class i ON i.oid = x.indexrelid "
                        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                        "WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)",
                        [table],
                    )
                    for name, definition in c.fetchall():
                        c.execute(f"DROP INDEX {self.quote(name)}")
                        restore.append(definition)
                else:
                    c.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = %s AND sql IS NOT NULL",
                        [table],
                    )
                    for name, definition in c.fetchall():
                        c.execute(f"DROP INDEX {self.quote(name)}")
                        restore.append(definition)
        return restore

    def rebuild_indexes(self, statements: Sequence[str]) -> None:
        from tqdm import tqdm

        started = time.perf_counter()
        with self.connection.cursor() as c:
            if self.vendor == "postgresql":
                c.execute("SET maintenance_work_mem = '1GB'")
                c.execute("SET max_parallel_maintenance_workers = 2")
            for sql in tqdm(
                statements,
                desc=f"{'indexes and constraints':<28}",
                unit="idx",
                disable=not self.progress,
                file=sys.stderr,
            ):
                c.execute(sql)
        stat = self.stats.setdefault("(index rebuild)", [0, 0.0, 0.0])
        stat[0] += len(statements)
        stat[1] += time.perf_counter() - started
        stat[2] = stat[1]


def _jsonb(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(json.loads(value) if isinstance(value, str) else value)


def _default(field: Any, table: str) -> Any:
    if field.has_default():
        value = field.get_default()
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return value
    if field.null:
        return None
    raise RuntimeError(
        f"生成器不知道如何填写 {table}.{field.column}（无默认值），请更新 bench/generate.py"
    )


def _chunked(rows: Iterable[tuple[Any, ...]], size: int = CHUNK) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- the generator ------------------------------------------------------------------------


@dataclass(slots=True)
class _Agency:
    id: int
    seq: int
    name: str
    kind: str
    division_id: int
    division_code: str
    level: str
    staff: dict[str, tuple[int, str]]  # role key -> (staff id, name)
    items: list[int]


@dataclass(slots=True)
class _Item:
    id: int
    version_id: int
    agency: int  # index into agencies
    division_id: int
    prefix: str  # case number prefix (county-level code)
    title: str
    audience: str
    promised: int
    statutory: int
    step_ids: tuple[int, int, int, int]
    step_limits: tuple[int, int, int, int]


class Generator:
    def __init__(self, name: str, *, progress: bool, bulk: bool, seed: int = SEED) -> None:
        from django.utils import timezone

        self.scale_name = name
        self.scale = SCALES[name]
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.w = Writer(progress=progress, bulk=bulk)
        self.pg = self.w.vendor == "postgresql"
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        # "now" as the rows hold it (naive UTC on SQLite)
        self.now_db = self.now if self.pg else self.now.replace(tzinfo=None)
        self.start = self.today - dt.timedelta(days=365 * YEARS)
        self.counts: dict[str, int] = {}
        self.models: list[Any] = []

    # -- time --------------------------------------------------------------------------

    def _utc(self, value: dt.datetime) -> dt.datetime:
        """A naive UTC datetime as the database layer wants it."""
        return value.replace(tzinfo=dt.UTC) if self.pg else value

    def _calendar(self) -> None:
        """Load the working-day calendar for every year the cases touch, and
        index the working days so due dates are list lookups."""
        from yiwang.core.actors import SYSTEM
        from yiwang.core.calendar import (
            calendar_package_years,
            calendar_year_define,
            calendar_year_load_from_package,
            get_work_calendar,
        )
        from yiwang.core.models import CalendarYear

        first = self.start - dt.timedelta(days=10)
        last = self.today + dt.timedelta(days=500)
        loaded = set(CalendarYear.objects.values_list("year", flat=True))
        package = calendar_package_years()
        for year in range(first.year, last.year + 1):
            if year in loaded:
                continue
            if year in package:
                calendar_year_load_from_package(actor=SYSTEM, year=year)
            else:
                calendar_year_define(
                    actor=SYSTEM,
                    year=year,
                    days=[],
                    source="manual",
                    note="基准测试数据：国务院放假安排公布前仅按周末计算",
                )
        cal = get_work_calendar()
        self.cal = cal
        self.day0 = first.toordinal()
        self.wd: list[dt.date] = []
        self.next_wd: list[int] = []  # per day from day0: index of the first working day after it
        day = first
        days: list[dt.date] = []
        while day <= last:
            days.append(day)
            if cal.is_working_day(day):
                self.wd.append(day)
            day += dt.timedelta(days=1)
        j = 0
        for day in days:
            while j < len(self.wd) and self.wd[j] <= day:
                j += 1
            self.next_wd.append(j)
        self.today_wd = self.next_wd[self.today.toordinal() - self.day0] - 1  # last wd ≤ today
        # Midnight (Asia/Shanghai) of each day, in UTC.
        self.midnight = [
            self._utc(dt.datetime.combine(d, dt.time()) - dt.timedelta(hours=8)) for d in days
        ]

    def k_after(self, day: dt.date) -> int:
        return self.next_wd[day.toordinal() - self.day0]

    # -- organisations -----------------------------------------------------------------

    def divisions(self) -> None:
        from yiwang.domains.orgs.models import Division

        rng = self.rng
        s = self.scale
        next_id = self.w.next_id(Division)
        rows: list[tuple[Any, ...]] = []
        pid = next_id
        rows.append((pid, PROVINCE[0], PROVINCE[1], "province", None))
        self.province = (pid, PROVINCE[0], PROVINCE[1])
        self.cities: list[tuple[int, str, str]] = []
        self.counties: list[tuple[int, str, str, int]] = []  # id, code, full name, city index
        self.towns: list[tuple[int, str, str, int]] = []  # id, code, name, county index
        nid = pid + 1
        per_city = _spread(s.counties, s.cities, rng)
        per_county = _spread(s.towns, s.counties, rng)
        for ci in range(s.cities):
            code = f"39{ci + 1:02d}00"
            name = self.names.place("市")
            rows.append((nid, code, name, "city", pid))
            self.cities.append((nid, code, name))
            city_id = nid
            nid += 1
            districts = max(1, per_city[ci] // 3)
            for k in range(per_city[ci]):
                if k < districts:
                    suffix, serial = "区", 2 + k
                elif k < per_city[ci] - 1 or per_city[ci] < 4:
                    suffix, serial = "县", 21 + k - districts
                else:
                    suffix, serial = "市", 81
                short = self.names.place(suffix)
                full = f"{name}{short}" if suffix == "区" else short
                ccode = f"{code[:4]}{serial:02d}"
                rows.append((nid, ccode, short, "county", city_id))
                self.counties.append((nid, ccode, full, ci))
                nid += 1
        for ki, (county_id, ccode, _full, _ci) in enumerate(self.counties):
            n = per_county[ki]
            streets = n // 3
            for t in range(n):
                if t < streets:
                    tcode, suffix = f"{ccode}{t + 1:03d}000", "街道"
                elif t < n - 2 or n < 5:
                    tcode, suffix = f"{ccode}{100 + t - streets + 1:03d}000", "镇"
                else:
                    tcode, suffix = f"{ccode}{200 + t - streets:03d}000", "乡"
                tname = self.names.place(suffix)
                rows.append((nid, tcode, tname, "town", county_id))
                self.towns.append((nid, tcode, tname, ki))
                nid += 1
        self.w.load(
            Division,
            ["id", "code", "name", "level", "parent_id"],
            [rows],
            total=len(rows),
            label="divisions",
        )
        self.models.append(Division)
        self.counts["divisions"] = len(rows)

    def agencies(self) -> None:
        from yiwang.core.checkdigits import make_credit_code
        from yiwang.domains.orgs.models import Agency, Hall, ServiceCentre, Window

        s = self.scale
        # (division id, code, name prefix, level) of every division that has agencies
        seats: list[tuple[int, str, str, str]] = [
            (self.province[0], self.province[1], self.province[2], "province")
        ]
        seats += [(i, c, n, "city") for i, c, n in self.cities]
        seats += [(i, c, n, "county") for i, c, n, _ in self.counties]
        base = {"province": 41.0, "city": 36.0, "county": 20.0}
        want = sum(base[lvl] for *_, lvl in seats)
        per = [
            max(1, min(len(DEPARTMENTS), round(base[lvl] * s.agencies / want))) for *_, lvl in seats
        ]
        i = len(per) - 1
        while sum(per) != s.agencies:
            step = 1 if sum(per) < s.agencies else -1
            if 1 <= per[i] + step <= len(DEPARTMENTS):
                per[i] += step
            i = (i - 1) % len(per)
        aid = self.w.next_id(Agency)
        rows: list[tuple[Any, ...]] = []
        self.agency_list: list[_Agency] = []
        managers: dict[int, int] = {}  # division id -> management agency id
        for (div_id, code, prefix, level), n in zip(seats, per, strict=True):
            for k in range(n):
                local, provincial, short, kind = DEPARTMENTS[k]
                dept = provincial if level == "province" else local
                name = f"国家税务总局{prefix}税务局" if local == "税务局" else f"{prefix}{dept}"
                authority, body = ("9", "1") if kind == "enterprise" else ("1", "1")
                if kind == "delegated":
                    body = "2"
                seq = len(self.agency_list) + 1
                credit = make_credit_code(authority, body, code[:6], 39_000_000 + seq)
                short_name = (prefix[:2] if level != "province" else "省") + short
                rows.append(
                    (
                        aid,
                        name,
                        short_name,
                        kind,
                        credit,
                        div_id,
                        None,
                        "12345",
                        f"{prefix}政务服务中心",
                    )
                )
                self.agency_list.append(_Agency(aid, seq, name, kind, div_id, code, level, {}, []))
                if k == 0:
                    managers[div_id] = aid
                aid += 1
        self.w.load(
            Agency,
            [
                "id",
                "name",
                "short_name",
                "kind",
                "credit_code",
                "division_id",
                "parent_id",
                "phone",
                "address",
            ],
            [rows],
            total=len(rows),
            label="agencies",
        )
        self.counts["agencies"] = len(rows)

        # A service centre and its hall for every division with a management office,
        # a 便民服务中心 in every town; one comprehensive window in each hall.
        cid = self.w.next_id(ServiceCentre)
        hid = self.w.next_id(Hall)
        wid = self.w.next_id(Window)
        centres, halls, windows = [], [], []
        centre_of: dict[int, int] = {}
        for div_id, _code, prefix, _lvl in seats:
            if div_id not in managers:
                continue
            centres.append((cid, div_id, managers[div_id], f"{prefix}政务服务中心"))
            centre_of[div_id] = cid
            halls.append(
                (
                    hid,
                    cid,
                    div_id,
                    f"{prefix}政务服务中心大厅",
                    "hall",
                    f"{prefix}市民中心",
                    "12345",
                )
            )
            windows.append((wid, hid, "01", "综合受理窗口", "comprehensive"))
            cid, hid, wid = cid + 1, hid + 1, wid + 1
        for town_id, _tcode, tname, ki in self.towns:
            county_id = self.counties[ki][0]
            if county_id not in centre_of:
                continue
            halls.append(
                (
                    hid,
                    centre_of[county_id],
                    town_id,
                    f"{tname}便民服务中心",
                    "town_centre",
                    tname,
                    "",
                )
            )
            windows.append((wid, hid, "01", "综合服务窗口", "comprehensive"))
            hid, wid = hid + 1, wid + 1
        hours = "周一至周五 9:00-12:00，13:30-17:00（法定节假日除外）"
        self.w.load(
            ServiceCentre, ["id", "division_id", "agency_id", "name"], [centres], total=len(centres)
        )
        self.w.load(
            Hall,
            ["id", "centre_id", "division_id", "name", "level", "address", "phone"],
            [halls],
            total=len(halls),
            constants={"hours": hours},
        )
        self.w.load(
            Window,
            ["id", "hall_id", "number", "name", "kind"],
            [windows],
            total=len(windows),
            constants={"active": True},
        )
        self.models += [Agency, ServiceCentre, Hall, Window]
        self.counts["service centres"] = len(centres)
        self.counts["halls"] = len(halls)

    def staff(self) -> None:
        from django.contrib.auth.hashers import make_password

        from yiwang.core.checkdigits import make_resident_id
        from yiwang.core.pii import blind_index, encrypt
        from yiwang.demo import DEMO_PASSWORD
        from yiwang.domains.accounts.models import User
        from yiwang.domains.orgs.models import Role, RoleGrant, Staff

        rng = self.rng
        self.password_hash = make_password(DEMO_PASSWORD)
        roles = dict(Role.objects.values_list("code", "pk"))
        missing = {r for _, r, _ in STAFF_ROLES} - roles.keys()
        if missing:
            raise RuntimeError(f"缺少默认角色 {sorted(missing)}：请先执行 migrate")
        uid = self.w.next_id(User)
        sid = self.w.next_id(Staff)
        gid = self.w.next_id(RoleGrant)
        users, staff, grants = [], [], []
        seen: set[str] = set()
        joined = self._utc(dt.datetime.combine(self.start, dt.time(1)) - dt.timedelta(days=400))
        for a in self.agency_list:
            for key, role, title in STAFF_ROLES:
                name = self.names.person()
                while True:
                    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(12000))
                    number = make_resident_id(a.division_code[:6], born, rng.randrange(1000))
                    if number not in seen:
                        seen.add(number)
                        break
                login = f"b{a.seq:04d}_{key}"
                users.append(
                    (uid, self.password_hash, login, "staff", name, joined, False, False, True)
                )
                phone = f"139{a.seq:04d}{len(staff) % 10000:04d}"
                staff.append(
                    (
                        sid,
                        uid,
                        a.id,
                        name,
                        encrypt(number),
                        blind_index(number),
                        encrypt(phone),
                        title,
                    )
                )
                role_codes = [role]
                if key == "admin" and a.kind == "management":
                    role_codes.append("centre_admin")
                if key == "head" and a.kind == "management":
                    role_codes.append("supervisor")
                for code in role_codes:
                    grants.append((gid, sid, roles[code], a.id, joined))
                    gid += 1
                a.staff[key] = (sid, name)
                uid += 1
                sid += 1
        user_cols = [
            "id",
            "password",
            "username",
            "kind",
            "display_name",
            "date_joined",
            "is_superuser",
            "is_staff",
            "is_active",
        ]
        self.w.load(
            User,
            user_cols,
            [users],
            total=len(users),
            label="accounts_user (staff)",
            constants={"first_name": "", "last_name": "", "email": ""},
        )
        self.w.load(
            Staff,
            ["id", "user_id", "agency_id", "name", "id_number", "id_index", "phone", "title"],
            [staff],
            total=len(staff),
            constants={"active": True},
        )
        self.w.load(
            RoleGrant,
            ["id", "staff_id", "role_id", "agency_id", "granted_at"],
            [grants],
            total=len(grants),
            constants={"step_code": ""},
        )
        self.models += [User, Staff, RoleGrant]
        self.counts["staff"] = len(staff)

    # -- catalogue ---------------------------------------------------------------------

    def catalogue(self) -> None:
        from django.db import transaction

        # Entries and items point at their current versions, written after
        # them: one transaction, so the deferred foreign-key checks pass.
        with transaction.atomic():
            self._catalogue()

    def _catalogue(self) -> None:
        from yiwang.domains.catalog.models import (
            CatalogEntry,
            CatalogEntryVersion,
            ItemType,
            ItemVersion,
            MaterialSpec,
            ServiceItem,
            StepSpec,
        )
        from yiwang.domains.catalog.search import search_keys

        rng = self.rng
        s = self.scale
        names = [s_ + m + a for s_ in SUBJECTS for m in MIDDLES for a in ACTIONS]
        n_entries = min(len(names), max(100, s.items // 5))
        rng.shuffle(names)
        names = names[:n_entries]
        keys = {n: search_keys(n) for n in names}
        types = list(ItemType.objects.order_by("order", "code").values_list("pk", "code"))
        if not types:
            raise RuntimeError("缺少事项类型：请先执行 migrate")
        licensing = next((pk for pk, code in types if code in ("01", "XK")), types[0][0])
        valid_from = self._utc(dt.datetime.combine(self.start, dt.time()) - dt.timedelta(days=60))
        province_depts = [
            a for a in self.agency_list if a.level == "province" and a.kind != "management"
        ] or [self.agency_list[0]]
        eid = self.w.next_id(CatalogEntry)
        evid = self.w.next_id(CatalogEntryVersion)
        entries, entry_versions = [], []
        entry_ids: list[tuple[int, int, str]] = []  # entry id, entry version id, name
        for i, name in enumerate(names):
            owner = province_depts[i % len(province_depts)]
            entries.append((eid, f"{i + 1:06d}000000", None, owner.id, "active", evid, valid_from))
            basis = json.dumps(
                [{"name": f"《{name[:2]}管理条例》", "article": f"第{i % 40 + 1}条"}],
                ensure_ascii=False,
            )
            entry_versions.append(
                (
                    evid,
                    eid,
                    1,
                    "published",
                    name,
                    licensing if i % 3 else types[i % len(types)][0],
                    basis,
                    '["province", "city", "county"]',
                    valid_from,
                    valid_from,
                )
            )
            entry_ids.append((eid, evid, name))
            eid += 1
            evid += 1
        # CatalogEntry.current points at a version row written after it: both go in
        # with the checks deferred (PostgreSQL) or off (SQLite bulk load).
        self.w.load(
            CatalogEntry,
            ["id", "basic_code", "parent_id", "owner_id", "lifecycle", "current_id", "created_at"],
            [entries],
            total=len(entries),
            label="catalog entries",
        )
        self.w.load(
            CatalogEntryVersion,
            [
                "id",
                "entry_id",
                "number",
                "status",
                "name",
                "item_type_id",
                "legal_basis",
                "exercise_levels",
                "valid_from",
                "created_at",
            ],
            [entry_versions],
            total=len(entry_versions),
            constants={"change_reason": "", "valid_to": None},
        )

        implementers = [i for i, a in enumerate(self.agency_list) if a.kind != "management"]
        rng.shuffle(implementers)
        towns_of: dict[str, list[tuple[int, str]]] = {}
        for town_id, tcode, _n, _ki in self.towns:
            towns_of.setdefault(tcode[:6], []).append((town_id, tcode))
        limits = [lim for lim, w in PROMISED_LIMITS for _ in range(w)]
        stride = 7
        while math.gcd(stride, n_entries) != 1:
            stride += 1
        item_id = self.w.next_id(ServiceItem)
        version_id = self.w.next_id(ItemVersion)
        step_id = self.w.next_id(StepSpec)
        mat_id = self.w.next_id(MaterialSpec)
        self.items: list[_Item] = []
        per_agency: dict[int, int] = {}
        item_rows, version_rows, step_rows, mat_rows = [], [], [], []
        for i in range(s.items):
            ai = implementers[i % len(implementers)]
            a = self.agency_list[ai]
            k = per_agency.get(ai, 0)
            per_agency[ai] = k + 1
            offset = (a.seq * 131) % n_entries
            e_id, ev_id, name = entry_ids[(offset + k * stride) % n_entries]
            division_id, division_code = a.division_id, a.division_code
            if a.level == "county" and rng.random() < 0.15 and towns_of.get(division_code[:6]):
                division_id, division_code = rng.choice(towns_of[division_code[:6]])
            code = f"{division_code[:6]}{a.seq:04d}{k:04d}{e_id % 100000:05d}"
            initials, pinyin = keys[name]
            roll = rng.random()
            audience = "person" if roll < 0.5 else "entity" if roll < 0.8 else "both"
            promised = rng.choice(limits)
            statutory = max(20, promised * 2)
            step_limits = tuple(max(1, round(promised * share)) for *_x, share in STEPS)
            step_limits = (0, *step_limits[1:])
            step_ids = (step_id, step_id + 1, step_id + 2, step_id + 3)
            item_rows.append(
                (
                    item_id,
                    code,
                    e_id,
                    a.id,
                    division_id,
                    rng.random() < 0.1,
                    "active",
                    version_id,
                    name,
                    initials,
                    pinyin,
                    audience,
                    valid_from,
                )
            )
            depth = 4 if rng.random() < 0.6 else 3
            version_rows.append(
                (
                    version_id,
                    item_id,
                    1,
                    "published",
                    ev_id,
                    valid_from,
                    audience,
                    "promised",
                    statutory,
                    promised,
                    f"{name}决定书",
                    "证照" if "许可" in name or "核发" in name else "批文",
                    '["window", "mail", "electronic"]',
                    f"{a.name}（{self._hall_name(a)}）",
                    "周一至周五 9:00-12:00，13:30-17:00（法定节假日除外）",
                    "12345",
                    "12345",
                    True,
                    depth,
                    0 if depth == 4 else 1,
                    valid_from,
                )
            )
            for order, ((scode, sname, srole, _share), limit) in enumerate(
                zip(STEPS, step_limits, strict=True), start=1
            ):
                step_rows.append(
                    (step_id, version_id, scode, sname, srole, limit, "working_days", False, order)
                )
                step_id += 1
            mat_rows.append(
                (
                    mat_id,
                    version_id,
                    "M01",
                    f"{name}申请书",
                    "form",
                    "paper",
                    "required",
                    1,
                    "applicant",
                    1,
                )
            )
            mat_rows.append(
                (
                    mat_id + 1,
                    version_id,
                    "M02",
                    "身份证明材料",
                    "certificate",
                    "electronic",
                    "optional",
                    1,
                    "government",
                    2,
                )
            )
            mat_id += 2
            a.items.append(len(self.items))
            self.items.append(
                _Item(
                    item_id,
                    version_id,
                    ai,
                    division_id,
                    division_code[:6],
                    name,
                    audience,
                    promised,
                    statutory,
                    step_ids,
                    step_limits,  # type: ignore[arg-type]
                )
            )
            item_id += 1
            version_id += 1
        self.w.load(
            ServiceItem,
            [
                "id",
                "implementation_code",
                "entry_id",
                "agency_id",
                "division_id",
                "is_convenience",
                "lifecycle",
                "current_id",
                "search_name",
                "search_initials",
                "search_pinyin",
                "audience",
                "created_at",
            ],
            _chunked(item_rows),
            total=len(item_rows),
            constants={"suspend_reason": "", "suspend_note": ""},
        )
        self.w.load(
            ItemVersion,
            [
                "id",
                "item_id",
                "number",
                "status",
                "entry_version_id",
                "valid_from",
                "audience",
                "handling_kind",
                "statutory_limit",
                "promised_limit",
                "result_name",
                "result_type",
                "delivery_ways",
                "address",
                "hours",
                "consult_phone",
                "complaint_phone",
                "online",
                "online_depth",
                "onsite_trips",
                "created_at",
            ],
            _chunked(version_rows),
            total=len(version_rows),
            constants={
                "valid_to": None,
                "acceptance_conditions": (
                    "申请人应当具备法律法规规定的条件，申请材料齐全、符合法定形式。"
                ),
                "process_description": "受理 → 审查 → 决定 → 送达",
                "rights_obligations": "申请人有权依法申请，并对申请材料的真实性负责。",
                "legal_remedy": "对决定不服的，可依法申请行政复议或提起行政诉讼。",
                "result_sample": "",
            },
        )
        self.w.load(
            StepSpec,
            [
                "id",
                "version_id",
                "code",
                "name",
                "role_code",
                "time_limit",
                "time_unit",
                "is_special",
                "order",
            ],
            _chunked(step_rows),
            total=len(step_rows),
        )
        self.w.load(
            MaterialSpec,
            [
                "id",
                "version_id",
                "code",
                "name",
                "kind",
                "form",
                "necessity",
                "copies",
                "source",
                "order",
            ],
            _chunked(mat_rows),
            total=len(mat_rows),
            constants={"variant_id": None, "blank_form": "", "example": ""},
        )
        self.models += [
            CatalogEntry,
            CatalogEntryVersion,
            ServiceItem,
            ItemVersion,
            StepSpec,
            MaterialSpec,
        ]
        self.counts["catalog entries"] = len(entries)
        self.counts["service items"] = len(item_rows)

    def _hall_name(self, a: _Agency) -> str:
        return "政务服务中心大厅"

    def search_table(self) -> None:
        from django.db import transaction

        from yiwang.domains.catalog.search_index import search_rows_rebuild

        started = time.perf_counter()
        if self.w.progress:
            print(f"{'search table (rebuild)':<28}: …", file=sys.stderr, flush=True)
        with transaction.atomic():
            n = search_rows_rebuild(batch=20_000)
        took = time.perf_counter() - started
        self.w.stats["catalog_itemsearchrow"] = [n, took, took]

    # -- applicants --------------------------------------------------------------------

    def applicants(self) -> None:
        from yiwang.core.checkdigits import make_credit_code, make_resident_id
        from yiwang.core.pii import blind_index, encrypt, mask_name
        from yiwang.domains.accounts.models import Entity, Person, User

        rng = self.rng
        s = self.scale
        county_codes = [c[1] for c in self.counties]
        uid = self.w.next_id(User)
        pid = self.w.next_id(Person)
        eid = self.w.next_id(Entity)
        # (user id, kind, name, code ciphertext, phone ciphertext, actor id, label)
        self.persons: list[tuple[int, str, str, str, str, int, str]] = []
        self.entities: list[tuple[int, str, str, str, str, int, str]] = []
        hash_ = self.password_hash
        span = (self.start - dt.date(2015, 1, 1)).days
        prefixes = (
            "139",
            "138",
            "137",
            "136",
            "150",
            "151",
            "152",
            "158",
            "186",
            "187",
            "188",
            "177",
        )
        person_rows: list[tuple[Any, ...]] = []

        def people() -> Iterator[list[tuple[Any, ...]]]:
            nonlocal uid, pid
            seen: set[str] = set()
            users: list[tuple[Any, ...]] = []
            for i in range(s.persons):
                name = self.names.person()
                while True:
                    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(24000))
                    number = make_resident_id(rng.choice(county_codes), born, rng.randrange(1000))
                    if number not in seen:
                        seen.add(number)
                        break
                phone = f"{prefixes[i % len(prefixes)]}{(i // len(prefixes)) * 7919 % 10**8:08d}"
                index = blind_index(number)
                joined = self._utc(
                    dt.datetime.combine(dt.date(2015, 1, 1), dt.time(2))
                    + dt.timedelta(days=rng.randrange(span), seconds=rng.randrange(50000))
                )
                code_c, phone_c = encrypt(number), encrypt(phone)
                users.append(
                    (uid, hash_, "P" + index, "person", mask_name(name), joined, False, False, True)
                )
                person_rows.append(
                    (pid, uid, name, code_c, index, phone_c, blind_index(phone), joined)
                )
                self.persons.append((uid, "person", name, code_c, phone_c, pid, mask_name(name)))
                uid += 1
                pid += 1
                if len(users) >= CHUNK:
                    yield users
                    users = []
            for i in range(s.entities):
                users.append(self._entity(i, uid, eid + i, rng, county_codes, span))
                uid += 1
                if len(users) >= CHUNK:
                    yield users
                    users = []
            if users:
                yield users

        self.entity_rows: list[tuple[Any, ...]] = []
        self._entity_helpers = (make_credit_code, make_resident_id, encrypt, hash_)
        self.w.load(
            User,
            [
                "id",
                "password",
                "username",
                "kind",
                "display_name",
                "date_joined",
                "is_superuser",
                "is_staff",
                "is_active",
            ],
            people(),
            total=s.applicants,
            label="accounts_user (applicants)",
            constants={"first_name": "", "last_name": "", "email": ""},
        )
        self.w.load(
            Person,
            [
                "id",
                "user_id",
                "name",
                "id_number",
                "id_index",
                "phone",
                "phone_index",
                "created_at",
            ],
            _chunked(person_rows),
            total=len(person_rows),
            constants={"verified_by": "check_digit"},
        )
        person_rows.clear()
        self.w.load(
            Entity,
            [
                "id",
                "user_id",
                "name",
                "credit_code",
                "legal_representative",
                "legal_representative_id",
                "phone",
                "created_at",
            ],
            _chunked(self.entity_rows),
            total=len(self.entity_rows),
            constants={"verified_by": "check_digit"},
        )
        self.entity_rows.clear()
        self.models += [Person, Entity]
        self.counts["persons"] = s.persons
        self.counts["entities"] = s.entities

    def _entity(
        self,
        i: int,
        uid: int,
        eid: int,
        rng: random.Random,
        county_codes: list[str],
        span: int,
    ) -> tuple[Any, ...]:
        make_credit_code, make_resident_id, encrypt, hash_ = self._entity_helpers
        county = rng.choice(county_codes)
        body = rng.choice("123")
        credit = make_credit_code("9", body, county, 50_000_000 + i)
        place = rng.choice(PLACE) + rng.choice(PLACE)
        name = f"江南{place}{rng.choice(COMPANY)}{rng.choice(COMPANY_FORM)}"
        if body == "2":
            name = f"{place}{rng.choice(COMPANY)}个体工商户"
        rep = self.names.person()
        rep_id = make_resident_id(
            county,
            dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(18000)),
            rng.randrange(1000),
        )
        phone = f"0{570 + i % 20}{8_000_000 + i % 2_000_000:07d}"
        joined = self._utc(
            dt.datetime.combine(dt.date(2015, 1, 1), dt.time(2))
            + dt.timedelta(days=rng.randrange(span), seconds=rng.randrange(50000))
        )
        code_c, phone_c = encrypt(credit), encrypt(phone)
        self.entity_rows.append((eid, uid, name, credit, rep, encrypt(rep_id), phone_c, joined))
        # The case keeps the credit code encrypted like an ID number.
        self.entities.append((uid, "entity", name, code_c, phone_c, eid, name))
        return (uid, hash_, "E" + credit, "entity", name, joined, False, False, True)

    # -- cases -------------------------------------------------------------------------

    def _day_counts(self) -> list[tuple[dt.date, int]]:
        """How many cases were submitted each day: rest days a quarter of a
        working day, volume growing by half over the span."""
        days = []
        weights = []
        day = self.start + dt.timedelta(days=1)
        total_days = (self.today - self.start).days
        while day <= self.today:
            w = 1.0 if self.cal.is_working_day(day) else 0.25
            w *= 1 + 0.5 * (day - self.start).days / total_days
            if day == self.today:
                # Only the part of today that has passed.
                local = self.now.astimezone(dt.timezone(dt.timedelta(hours=8)))
                w *= max(0.02, (local.hour * 3600 + local.minute * 60) / 86400)
            days.append(day)
            weights.append(w)
            day += dt.timedelta(days=1)
        n = self.scale.cases
        total_w = sum(weights)
        counts = [int(n * w / total_w) for w in weights]
        short = n - sum(counts)
        for i in range(short):
            counts[-1 - (i * 7) % len(counts)] += 1
        return list(zip(days, counts, strict=True))

    def cases(self) -> None:
        from yiwang.domains.cases.models import Case, CaseNumberSequence

        self._calendar_ready()
        rng = self.rng
        agencies = self.agency_list
        # Only agencies with items get cases (management offices have none),
        # ranked in a random order by a Zipf-like weight.
        order_idx = [i for i, a in enumerate(agencies) if a.items]
        rng.shuffle(order_idx)
        cum = _zipf_cum(len(order_idx))
        ranked = range(len(order_idx))
        self.case_counts = [0] * len(agencies)
        self.open_counts = [0] * len(agencies)
        persons, entities = self.persons, self.entities
        n_persons, n_entities = len(persons), len(entities)
        items = self.items
        seq: dict[tuple[str, dt.date], int] = {}
        self.open: list[tuple[Any, ...]] = []
        day_counts = self._day_counts()
        self.counts["cases"] = self.scale.cases
        first_id = self.w.next_id(Case)
        now = self.now_db
        today = self.today
        now_local = self.now.astimezone(dt.timezone(dt.timedelta(hours=8)))
        now_secs = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
        day0 = self.day0
        midnight = self.midnight
        wd = self.wd
        next_wd = self.next_wd
        today_wd = self.today_wd
        td = dt.timedelta
        stats = {"open": 0, "overdue": 0, "paused": 0}
        granted_reason = "经审查，申请材料齐全、符合法定形式，符合法定条件，准予许可。"
        denied_reason = "经审查，申请人不符合法定条件，不予许可。"
        refuse_reason = "申请事项依法不属于本机关职权范围，不予受理。"
        return_reason = "申请材料经补正仍不符合要求，予以退件。"
        withdraw_reason = "申请人主动撤回申请。"
        ways = ("electronic", "window", "mail", "electronic")

        def rows() -> Iterator[list[tuple[Any, ...]]]:
            cid = first_id
            chunk: list[tuple[Any, ...]] = []
            for day, n in day_counts:
                if n == 0:
                    continue
                age = (today - day).days
                day_s = f"{day:%Y%m%d}"
                dord = day.toordinal() - day0
                base = midnight[dord]
                if age <= OPEN_FULL_DAYS:
                    p_open = 0.97
                elif age < OPEN_LAST_DAY:
                    p_open = 0.97 * (OPEN_LAST_DAY - age) / (OPEN_LAST_DAY - OPEN_FULL_DAYS)
                else:
                    p_open = 0.0
                picks = rng.choices(range(len(ranked)), cum_weights=cum, k=n)
                for pick in picks:
                    ai = order_idx[pick]
                    a = agencies[ai]
                    its = a.items
                    it = items[its[int(len(its) * rng.random() ** 2)]]
                    aud = it.audience
                    if aud == "entity" or (aud == "both" and rng.random() < 0.3):
                        ap = entities[int(n_entities * rng.random())] if n_entities else persons[0]
                    else:
                        ap = persons[int(n_persons * rng.random())]
                    online = rng.random() < 0.72
                    if online:
                        secs = 25200 + int(rng.random() * 57600)
                        channel = "online"
                        sb = (ap[1], str(ap[5]), ap[6])
                    else:
                        secs = 30600 + int(rng.random() * 32400)
                        channel = "window"
                        clerk = a.staff["clerk"]
                        sb = ("staff", str(clerk[0]), clerk[1])
                    if age == 0 and secs >= now_secs:
                        secs = int(now_secs * rng.random())
                    submitted = base + td(seconds=secs)
                    created = submitted - td(seconds=60 + int(rng.random() * 1800))
                    key = (it.prefix, day)
                    serial = seq.get(key, 0) + 1
                    seq[key] = serial
                    number = f"{it.prefix}-{day_s}-{serial:05d}"
                    promised_l = it.promised
                    statutory_l = it.statutory
                    accepted_at = accepted_on = p_due = s_due = decided_at = concluded_at = None
                    decision = decision_reason = delivery = ended = ""
                    p_lim = s_lim = None
                    updated = submitted
                    self.case_counts[ai] += 1
                    if rng.random() < p_open:
                        # -- an open case ------------------------------------------------
                        r = rng.random()
                        if age <= 1:
                            status = (
                                "submitted" if r < 0.7 else "correcting" if r < 0.8 else "handling"
                            )
                        elif age <= 7:
                            status = (
                                "submitted"
                                if r < 0.25
                                else "correcting"
                                if r < 0.4
                                else "handling"
                                if r < 0.9
                                else "decided"
                            )
                        else:
                            status = (
                                "submitted"
                                if r < 0.03
                                else "correcting"
                                if r < 0.1
                                else "handling"
                                if r < 0.8
                                else "decided"
                            )
                        pause = None
                        if status in ("handling", "decided"):
                            lag = 0 if age == 0 else min(age, int(rng.random() * 3))
                            accepted_on = day + td(days=lag)
                            k0 = next_wd[dord + lag]
                            acc_secs = 30600 + int(rng.random() * 30000)
                            if accepted_on == today:
                                acc_secs = max(secs + 60, min(acc_secs, now_secs - 30))
                            accepted_at = midnight[dord + lag] + td(seconds=acc_secs)
                            if accepted_at > now or accepted_at < submitted:
                                accepted_at = submitted + td(seconds=30)
                            d0 = k0 + promised_l - 1  # unpaused due, index into wd
                            if rng.random() < OVERDUE_SHARE:
                                target = today_wd - 1 - int(rng.random() * 10)
                            else:
                                off = min(2, promised_l - 1)
                                target = today_wd + int(
                                    rng.random() * (min(15, promised_l - off - 1) + 1)
                                )
                            n_pause = 0
                            if d0 < target:
                                off = min(2, promised_l - 1)
                                n_pause = target - d0
                                ps = k0 + off
                                pe = ps + n_pause - 1
                                if pe >= today_wd or ps > today_wd:
                                    n_pause = 0
                                else:
                                    pause = (ps, pe, n_pause)
                                    stats["paused"] += 1
                            p_lim, s_lim = promised_l, statutory_l
                            p_due = wd[d0 + n_pause]
                            s_idx = k0 + statutory_l - 1
                            s_due = wd[s_idx + (n_pause if pause and pause[0] <= s_idx else 0)]
                            if p_due < today:
                                stats["overdue"] += 1
                            updated = accepted_at
                            if status == "decided":
                                lo = max(accepted_on.toordinal(), today.toordinal() - 5)
                                dday = lo + int(rng.random() * (today.toordinal() - lo + 1))
                                decided_at = midnight[dday - day0] + td(
                                    seconds=32400 + int(rng.random() * 28000)
                                )
                                if decided_at > now or decided_at <= accepted_at:
                                    decided_at = accepted_at + (now - accepted_at) / 2
                                decision = "granted" if rng.random() < 0.95 else "denied"
                                decision_reason = (
                                    granted_reason if decision == "granted" else denied_reason
                                )
                                updated = decided_at
                        elif status == "correcting":
                            updated = submitted + (now - submitted) / 3
                        stats["open"] += 1
                        self.open_counts[ai] += 1
                        self.open.append(
                            (
                                cid,
                                status,
                                ai,
                                it,
                                number,
                                submitted,
                                sb,
                                online,
                                accepted_on,
                                accepted_at,
                                decided_at,
                                pause,
                            )
                        )
                    else:
                        # -- an ended case -----------------------------------------------
                        r = rng.random()
                        if r < 0.92 and age >= 3:
                            status = "concluded"
                            lag = min(int(rng.random() * 3), age - 2)
                            accepted_on = day + td(days=lag)
                            k0 = next_wd[dord + lag]
                            accepted_at = midnight[dord + lag] + td(
                                seconds=30600 + int(rng.random() * 30000)
                            )
                            if accepted_at < submitted:
                                accepted_at = submitted + td(seconds=600)
                            p_lim, s_lim = promised_l, statutory_l
                            p_due = wd[k0 + promised_l - 1]
                            s_due = wd[k0 + statutory_l - 1]
                            took = max(1, int(promised_l * (0.15 + 0.95 * rng.random())))
                            cidx = min(k0 + took - 1, today_wd - 1)
                            cday = wd[cidx]
                            concluded_at = midnight[cday.toordinal() - day0] + td(
                                seconds=36000 + int(rng.random() * 25000)
                            )
                            if concluded_at <= accepted_at:
                                concluded_at = accepted_at + td(hours=2)
                            decided_at = concluded_at - td(seconds=int(rng.random() * 20000) + 60)
                            if decided_at <= accepted_at:
                                decided_at = accepted_at + td(hours=1)
                            decision = "granted" if rng.random() < 0.95 else "denied"
                            decision_reason = (
                                granted_reason if decision == "granted" else denied_reason
                            )
                            delivery = ways[int(rng.random() * 4)]
                        else:
                            # (the few cases of the last days that ended ended quickly)
                            status = (
                                "refused"
                                if (r < 0.95 and age >= 3) or r < 0.5
                                else "returned"
                                if (r < 0.98 and age >= 3) or r < 0.8
                                else "withdrawn"
                            )
                            ended = (
                                refuse_reason
                                if status == "refused"
                                else return_reason
                                if status == "returned"
                                else withdraw_reason
                            )
                            span = min(300000.0, (now - submitted).total_seconds())
                            concluded_at = submitted + td(
                                seconds=span * (0.05 + 0.9 * rng.random())
                            )
                        updated = concluded_at
                    chunk.append(
                        (
                            cid,
                            number,
                            status,
                            channel,
                            it.id,
                            it.version_id,
                            it.title,
                            a.id,
                            it.division_id,
                            ap[0],
                            ap[1],
                            ap[2],
                            ap[3],
                            ap[4],
                            sb[0],
                            sb[1],
                            sb[2],
                            submitted,
                            accepted_at,
                            accepted_on,
                            p_lim,
                            s_lim,
                            p_due,
                            s_due,
                            decision,
                            decision_reason,
                            decided_at,
                            delivery,
                            concluded_at,
                            ended,
                            created,
                            updated,
                        )
                    )
                    cid += 1
                    if len(chunk) >= CHUNK:
                        yield chunk
                        chunk = []
            if chunk:
                yield chunk

        self.w.load(
            Case,
            [
                "id",
                "number",
                "status",
                "channel",
                "item_id",
                "version_id",
                "title",
                "agency_id",
                "division_id",
                "applicant_id",
                "applicant_kind",
                "applicant_name",
                "applicant_code",
                "contact_phone",
                "submitted_by_kind",
                "submitted_by_id",
                "submitted_by_label",
                "submitted_at",
                "accepted_at",
                "accepted_on",
                "promised_limit",
                "statutory_limit",
                "promised_due",
                "statutory_due",
                "decision",
                "decision_reason",
                "decided_at",
                "delivery_way",
                "concluded_at",
                "ended_reason",
                "created_at",
                "updated_at",
            ],
            rows(),
            total=self.scale.cases,
            constants={"kind": "single", "form_data": "{}", "variant_code": "", "mail_address": ""},
        )
        sid = self.w.next_id(CaseNumberSequence)
        seq_rows = [
            (sid + i, prefix, day, last)
            for i, ((prefix, day), last) in enumerate(sorted(seq.items()))
        ]
        self.w.load(
            CaseNumberSequence,
            ["id", "division_code", "day", "last"],
            _chunked(seq_rows),
            total=len(seq_rows),
        )
        self.models += [Case, CaseNumberSequence]
        self.case_stats = stats
        self.counts["open cases"] = stats["open"]
        self.counts["overdue cases"] = stats["overdue"]

    def _calendar_ready(self) -> None:
        if not hasattr(self, "wd"):
            self._calendar()

    def case_children(self) -> None:
        """Steps, timeline events and clock pauses of the open cases."""
        from yiwang.domains.cases.models import CaseEvent, CaseStep, ClockPause

        rng = self.rng
        wd = self.wd
        td = dt.timedelta
        agencies = self.agency_list
        open_ = self.open
        accepted = sum(1 for o in open_ if o[8] is not None)
        now = self.now_db
        # Ids are read before a COPY starts: no other statement may run during one.
        first_step, first_event = self.w.next_id(CaseStep), self.w.next_id(CaseEvent)

        def steps() -> Iterator[list[tuple[Any, ...]]]:
            sid = first_step
            chunk: list[tuple[Any, ...]] = []
            for cid, status, ai, it, _num, _sub, _sb, _on, acc_on, acc_at, dec_at, pause in open_:
                if acc_on is None:
                    continue
                a = agencies[ai]
                clerk, reviewer, approver = (
                    a.staff["clerk"],
                    a.staff["reviewer"],
                    a.staff["approver"],
                )
                ids, limits = it.step_ids, it.step_limits
                chunk.append(
                    (
                        sid,
                        cid,
                        ids[0],
                        "accept",
                        "受理",
                        "clerk",
                        1,
                        "done",
                        0,
                        acc_on,
                        None,
                        clerk[0],
                        acc_at,
                        acc_at,
                        "accepted",
                        "",
                    )
                )
                review_due = self._due(acc_on, limits[1], pause)
                if status == "handling":
                    assigned = rng.random() < 0.6
                    chunk.append(
                        (
                            sid + 1,
                            cid,
                            ids[1],
                            "review",
                            "审查",
                            "reviewer",
                            2,
                            "active",
                            limits[1],
                            acc_on,
                            review_due,
                            reviewer[0] if assigned else None,
                            min(acc_at + td(hours=1), now) if assigned else None,
                            None,
                            "",
                            "",
                        )
                    )
                    chunk.append(
                        (
                            sid + 2,
                            cid,
                            ids[2],
                            "decide",
                            "决定",
                            "approver",
                            3,
                            "waiting",
                            limits[2],
                            None,
                            None,
                            None,
                            None,
                            None,
                            "",
                            "",
                        )
                    )
                    chunk.append(
                        (
                            sid + 3,
                            cid,
                            ids[3],
                            "deliver",
                            "送达",
                            "clerk",
                            4,
                            "waiting",
                            limits[3],
                            None,
                            None,
                            None,
                            None,
                            None,
                            "",
                            "",
                        )
                    )
                else:  # decided: the result waits to be delivered
                    mid = acc_at + (dec_at - acc_at) / 2
                    chunk.append(
                        (
                            sid + 1,
                            cid,
                            ids[1],
                            "review",
                            "审查",
                            "reviewer",
                            2,
                            "done",
                            limits[1],
                            acc_on,
                            review_due,
                            reviewer[0],
                            min(acc_at + td(hours=1), now),
                            mid,
                            "pass",
                            "经审查，材料齐全，符合条件。",
                        )
                    )
                    dec_day = mid.date()
                    chunk.append(
                        (
                            sid + 2,
                            cid,
                            ids[2],
                            "decide",
                            "决定",
                            "approver",
                            3,
                            "done",
                            limits[2],
                            dec_day,
                            None,
                            approver[0],
                            mid,
                            dec_at,
                            "granted",
                            "同意。",
                        )
                    )
                    dday = (dec_at + td(hours=8)).date()
                    deliver_due = wd[self.k_after(dday) + limits[3] - 1]
                    assigned = rng.random() < 0.3
                    chunk.append(
                        (
                            sid + 3,
                            cid,
                            ids[3],
                            "deliver",
                            "送达",
                            "clerk",
                            4,
                            "active",
                            limits[3],
                            dday,
                            deliver_due,
                            clerk[0] if assigned else None,
                            dec_at if assigned else None,
                            None,
                            "",
                            "",
                        )
                    )
                sid += 4
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        self.w.load(
            CaseStep,
            [
                "id",
                "case_id",
                "spec_id",
                "code",
                "name",
                "role_code",
                "order",
                "status",
                "time_limit",
                "started_on",
                "due_on",
                "assignee_id",
                "claimed_at",
                "finished_at",
                "outcome",
                "opinion",
            ],
            steps(),
            total=accepted * 4,
            constants={"natural_days": False},
        )

        def events() -> Iterator[list[tuple[Any, ...]]]:
            eid = first_event
            chunk: list[tuple[Any, ...]] = []
            for cid, status, ai, _it, num, sub, sb, online, acc_on, acc_at, dec_at, _p in open_:
                a = agencies[ai]
                unit = "申请人" if online else a.name
                chunk.append(
                    (eid, cid, sub, "submit", "提交申请", f"办件编号 {num}", sb[2], unit, True)
                )
                eid += 1
                if status == "correcting":
                    chunk.append(
                        (
                            eid,
                            cid,
                            min(sub + td(hours=3), now),
                            "request_correction",
                            "一次性告知补正",
                            "申请书：签字不全",
                            a.staff["clerk"][1],
                            a.name,
                            True,
                        )
                    )
                    eid += 1
                if acc_on is not None:
                    chunk.append(
                        (eid, cid, acc_at, "accept", "受理", "", a.staff["clerk"][1], a.name, True)
                    )
                    eid += 1
                if dec_at is not None:
                    chunk.append(
                        (
                            eid,
                            cid,
                            dec_at,
                            "decide",
                            "作出决定",
                            "准予许可",
                            a.staff["approver"][1],
                            a.name,
                            True,
                        )
                    )
                    eid += 1
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        n_events = (
            len(open_)
            + accepted
            + sum(1 for o in open_ if o[1] == "correcting" or o[10] is not None)
        )
        self.w.load(
            CaseEvent,
            [
                "id",
                "case_id",
                "at",
                "kind",
                "title",
                "detail",
                "actor_label",
                "unit_name",
                "public",
            ],
            events(),
            total=n_events,
            constants={"document_id": None},
        )
        pauses = [(cid, wd[p[0]], wd[p[1]]) for cid, *_rest, p in open_ if p is not None]
        pid = self.w.next_id(ClockPause)
        self.w.load(
            ClockPause,
            ["id", "case_id", "kind", "reason", "started_on", "ended_on"],
            _chunked(
                (pid + i, cid, "correction", "申请人补正材料", s, e)
                for i, (cid, s, e) in enumerate(pauses)
            ),
            total=len(pauses),
        )
        self.models += [CaseStep, CaseEvent, ClockPause]
        self.counts["case steps"] = accepted * 4
        self.counts["case events"] = n_events

    def _due(self, start: dt.date, limit: int, pause: tuple[int, int, int] | None) -> dt.date:
        """What ``WorkCalendar.deadline`` gives for ``limit`` working days after
        ``start`` with the case's one closed pause (indexes into the working days)."""
        k = self.k_after(start)
        if limit <= 0:
            return start
        if pause is not None:
            ps, pe, n = pause
            if k <= ps <= k + limit - 1:
                return self.wd[k + limit - 1 + n]
            if ps < k <= pe:
                return self.wd[pe + limit]
        return self.wd[k + limit - 1]

    # -- the whole run -----------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        from django.db import DatabaseError, connection

        big = [
            "cases_case",
            "cases_casestep",
            "cases_caseevent",
            "accounts_user",
            "accounts_person",
        ]
        restore: list[str] = []
        bulk = self.w.bulk and self.scale.cases >= BULK_ROWS
        started = time.perf_counter()
        replica = False
        if self.w.bulk and self.pg:
            # Generated rows are consistent by construction; skipping the
            # per-row foreign-key triggers is what makes COPY fast. It needs a
            # superuser; without one the load is slower, not wrong.
            try:
                with connection.cursor() as c:
                    c.execute("SET session_replication_role = replica")
                replica = True
            except DatabaseError as exc:
                print(f"外键触发器未关闭（{exc}），导入会较慢", file=sys.stderr)
        try:
            self._calendar()
            if bulk:
                restore = self.w.detach_indexes(big)
            self.divisions()
            self.agencies()
            self.staff()
            self.catalogue()
            self.applicants()
            self.cases()
            self.case_children()
            if restore:
                self.w.rebuild_indexes(restore)
        finally:
            if replica:
                with connection.cursor() as c:
                    c.execute("SET session_replication_role = DEFAULT")
        self.search_table()
        self._sequences()
        t0 = time.perf_counter()
        with connection.cursor() as c:
            # On PostgreSQL VACUUM too, as after any bulk load: it sets the
            # visibility map, without which the queues' index-only scans
            # fetch every heap row (measured: the 审查中 queue at 10M cases
            # 380 ms after ANALYZE alone, ~20 ms after VACUUM ANALYZE).
            # (Inside a transaction — the test suite's — VACUUM cannot run.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            c.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        took = time.perf_counter() - t0
        self.w.stats["(analyze)"] = [0, took, took]
        self.seconds = time.perf_counter() - started
        return self.manifest()

    def _sequences(self) -> None:
        from django.core.management.color import no_style
        from django.db import connection

        if connection.vendor != "postgresql":
            return  # SQLite's AUTOINCREMENT follows explicit ids by itself
        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                c.execute(sql)

    def manifest(self) -> dict[str, Any]:
        from django.db import connection

        busiest = max(range(len(self.agency_list)), key=lambda i: self.case_counts[i])
        a = self.agency_list[busiest]
        from yiwang.demo import DEMO_PASSWORD

        person = self.persons[0] if self.persons else None
        return {
            "scale": self.scale_name,
            "shape": asdict(self.scale),
            "vendor": connection.vendor,
            "generated_at": self.now.isoformat(),
            "today": self.today.isoformat(),
            "seconds": round(self.seconds, 1),
            "counts": self.counts,
            "tables": {
                k: {"rows": int(v[0]), "seconds": round(v[1], 2), "db_seconds": round(v[2], 2)}
                for k, v in self.w.stats.items()
            },
            "password": DEMO_PASSWORD,
            "busiest_agency": {
                "id": a.id,
                "name": a.name,
                "division_code": a.division_code,
                "cases": self.case_counts[busiest],
                "open_cases": self.open_counts[busiest],
                "accounts": {key: f"b{a.seq:04d}_{key}" for key, _r, _t in STAFF_ROLES},
            },
            "clerk": f"b{a.seq:04d}_clerk",
            "reviewer": f"b{a.seq:04d}_reviewer",
            "agency_id": a.id,
            "applicant_user_id": person[0] if person else None,
        }


def generate(
    scale: str = DEFAULT_SCALE, *, progress: bool = False, bulk: bool = False, seed: int = SEED
) -> dict[str, Any]:
    """Generate the data set of ``scale`` into the current database (migrated,
    with no generated rows yet) and return the manifest. ``bulk`` allows
    session-wide load settings and dropping/rebuilding indexes: only for a
    dedicated database outside any outer transaction (the command line)."""
    if scale not in SCALES:
        raise ValueError(f"未知的规模 {scale}（可选：{'、'.join(SCALES)}）")
    return Generator(scale, progress=progress, bulk=bulk, seed=seed).run()


# --- the command ---------------------------------------------------------------------------


def _prepare_database(url: str, reset: bool) -> None:
    """Create the database if it is missing (PostgreSQL), or drop and make it
    again with ``reset``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path if not parts.path.startswith("//") else parts.path[1:])
        path.parent.mkdir(parents=True, exist_ok=True)
        if reset:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.strip("/")
    if not name:
        raise SystemExit("数据库地址须写明数据库名 / the database URL must name a database")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _sqlite_load_mode(on: bool) -> None:
    from django.db import connection

    with connection.cursor() as c:
        if on:
            c.execute("PRAGMA foreign_keys = OFF")
            c.execute("PRAGMA synchronous = OFF")
            c.execute("PRAGMA journal_mode = MEMORY")
            c.execute("PRAGMA cache_size = -1000000")
            c.execute("PRAGMA temp_store = MEMORY")
        else:
            c.execute("PRAGMA journal_mode = WAL")
            c.execute("PRAGMA synchronous = NORMAL")
            c.execute("PRAGMA foreign_keys = ON")


def summary(manifest: dict[str, Any]) -> str:
    lines = [
        "",
        f"规模 / scale: {manifest['scale']}    数据库 / database: {manifest['vendor']}    "
        f"用时 / total: {manifest['seconds']:.0f} s",
        "",
        f"{'table':<30}{'rows':>12}{'seconds':>10}{'in db':>8}{'rows/s':>12}",
    ]
    for table, st in manifest["tables"].items():
        rate = st["rows"] / st["seconds"] if st["seconds"] and st["rows"] else 0
        lines.append(
            f"{table:<30}{st['rows']:>12,}{st['seconds']:>10.1f}{st['db_seconds']:>8.1f}"
            f"{rate:>12,.0f}"
        )
    lines.append(
        "(seconds: making and writing the rows; in db: of which handing them to the database)"
    )
    lines.append("")
    for k, v in manifest["counts"].items():
        lines.append(f"  {k}: {v:,}")
    b = manifest["busiest_agency"]
    lines += [
        "",
        f"办件最多的机构 / busiest agency: {b['name']} (id {b['id']}), "
        f"{b['cases']:,} cases, {b['open_cases']:,} open",
        f"账户（密码 {manifest['password']}）/ accounts (password {manifest['password']}):",
    ]
    for key, login in b["accounts"].items():
        lines.append(f"  {key:<10} {login}")
    lines.append("未写审计记录：在生成的数据库上执行 yiwang audit verify 没有意义。")
    lines.append("No audit entries were written: `yiwang audit verify` is not meaningful here.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """``yiwang bench generate``: DATABASE_URL is set and Django set up by the caller."""
    import argparse
    import os

    parser = argparse.ArgumentParser(
        prog="yiwang bench generate", description="生成省级规模的基准测试数据"
    )
    parser.add_argument("--scale", choices=list(SCALES), default=DEFAULT_SCALE)
    parser.add_argument("--database", help="数据库地址（默认 var/bench/bench.sqlite3）")
    parser.add_argument("--reset", action="store_true", help="删除并重建数据库")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    from django.core.management import call_command
    from django.db import connection

    from yiwang.domains.cases.models import Case

    url = os.environ["DATABASE_URL"]
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if Case.objects.exists():
        print(
            "该数据库中已有办件，拒绝生成；如需重新生成请加 --reset（将删除整个数据库）。\n"
            "The database already holds cases; refusing to generate. Use --reset to drop and "
            "recreate it.",
            file=sys.stderr,
        )
        return 2
    if connection.vendor == "sqlite":
        connection.close()
        _sqlite_load_mode(True)
    try:
        manifest = generate(args.scale, progress=not args.no_progress, bulk=True, seed=args.seed)
    finally:
        if connection.vendor == "sqlite":
            _sqlite_load_mode(False)
    manifest["database"] = _public_url(url)
    path = manifest_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    print(summary(manifest))
    print(f"\n清单 / manifest: {path}")
    return 0


def _public_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
