"""Scale-out on one PostgreSQL: two web servers (gunicorn, production
settings, sessions and cache in one Redis) and two task workers, driven at
once through both servers like a load balancer would (docs/deployment.md).

Runs on PostgreSQL only: several processes sharing one database is the
production shape; the embedded SQLite default is one machine by design.
The processes are real subprocesses on 127.0.0.1 against the test database,
so the data they must see is committed (transactional_db).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection
from django_tasks_db.models import DBTaskResult

from yiwang.core import signing
from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.core.crypto import sm3_hex
from yiwang.domains.accounts.services import person_change_password
from yiwang.domains.cases.models import Case, CaseDocument, CaseMaterial, Notification
from yiwang.domains.cases.tests.conftest import FORM, build_case_world, pdf, png
from yiwang.domains.orgs.services import api_client_issue

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
CASES = 12  # distinct applications, half first sent to each web process
TWINS = 2  # applications sent to both web processes at once with one Idempotency-Key
RACED = 4  # applications both web processes try to accept at the same moment
PASSWORD = "Scale@2026out"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="scale-out test: several processes on one PostgreSQL (SQLite is the "
        "one-machine embedded default)",
    ),
    pytest.mark.skipif(
        not os.path.exists(REDIS_SERVER),
        reason="redis-server not installed (apt-get install redis-server; .ci/run does)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict  # the test database pytest-django created (test_…)
    user = urllib.parse.quote(db.get("USER") or "", safe="")
    password = urllib.parse.quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@dataclass
class Platform:
    webs: list[str]
    token: str
    world: Any
    env: dict[str, str]
    media: Path
    deliveries: Path
    redis_port: int
    logs: list[Path] = field(default_factory=list)

    def log_tails(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + "\n".join(p.read_text(errors="replace").splitlines()[-15:])
            for p in self.logs
            if p.exists()
        )


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    # SIGINT: gunicorn's quick shutdown (nothing is in flight by now); an idle
    # worker and redis-server leave at once on it too.
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 15
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_http(url: str, procs: list[subprocess.Popen[bytes]], seconds: float = 45) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        dead = [p.args for p in procs if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up; exited: {dead}")
        time.sleep(0.2)


@pytest.fixture
def cluster(transactional_db: Any, tmp_path: Path, settings: Any) -> Iterator[Platform]:
    t0 = time.monotonic()
    world = build_case_world()
    # The test settings hash with MD5 for speed, which production does not
    # accept: the applicant sets a password production can check.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    person_change_password(
        actor=world.applicant,
        person=world.applicant,
        old_password="Yiwang@2026",
        new_password=PASSWORD,
    )
    _, token = api_client_issue(actor=SYSTEM, agency=world.lx_scj, name="梁溪市场监管审批系统")
    # Production never creates the platform root on the fly: it is made once
    # and shared (docs/documents.md), as here in YIWANG_KEY_DIR.
    signing.init_root(folder=tmp_path / "keys")
    redis_port = _free_port()
    ports = [_free_port(), _free_port()]
    deliveries = tmp_path / "deliveries.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yiwang.config.settings.production",
        "DATABASE_URL": _database_url(),
        "YIWANG_SECRET_KEY": settings.SECRET_KEY,
        "YIWANG_PII_KEYS": json.dumps(settings.YIWANG_PII_KEYS),
        "YIWANG_KEY_ENCRYPTION_KEYS": json.dumps(settings.YIWANG_KEY_ENCRYPTION_KEYS),
        "YIWANG_VAR_DIR": str(tmp_path),  # shared file storage: media/ under it
        "YIWANG_KEY_DIR": str(tmp_path / "keys"),
        "YIWANG_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "YIWANG_SECURE_COOKIES": "0",  # plain HTTP on the loopback
        "YIWANG_NOTIFIERS": "tests.scaleout.notifier.FileNotifier",
        "YIWANG_TEST_DELIVERY_LOG": str(deliveries),
        "YIWANG_WEB_WORKERS": "2",
        "YIWANG_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    print(f"world built in {time.monotonic() - t0:.1f}s")
    plat = Platform(
        webs=[f"http://127.0.0.1:{p}" for p in ports],
        token=token,
        world=world,
        env=env,
        media=tmp_path / "media",
        deliveries=deliveries,
        redis_port=redis_port,
    )
    commands: list[tuple[str, list[str], dict[str, str]]] = [
        (
            "redis",
            [
                REDIS_SERVER,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            {},
        )
    ]
    for n, port in enumerate(ports, 1):
        commands.append(
            (
                f"web{n}",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "python:yiwang.config.gunicorn",
                    "yiwang.config.wsgi",
                ],
                {"YIWANG_BIND": f"127.0.0.1:{port}"},
            )
        )
    for n in (1, 2):
        commands.append(
            (
                f"worker{n}",
                [
                    sys.executable,
                    "-m",
                    "django",
                    "tasks_worker",
                    "--worker-id",
                    f"worker{n}",
                    "--interval",
                    "0.2",
                    "--no-startup-delay",
                ],
                {},
            )
        )
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for name, cmd, extra in commands:
            log = tmp_path / f"{name}.log"
            plat.logs.append(log)
            with log.open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        cmd, cwd=ROOT, env={**env, **extra}, stdout=out, stderr=subprocess.STDOUT
                    )
                )
        for web in plat.webs:
            _wait_http(f"{web}/healthz", procs)
        print(f"processes up in {time.monotonic() - t0:.1f}s")
        yield plat
    finally:
        t = time.monotonic()
        _stop(procs)  # before transactional_db empties the tables they use
        print(f"stopped in {time.monotonic() - t:.1f}s")


class Client:
    """urllib with one cookie jar: cookies are per host, not port, so both web
    processes see the same browser — as behind a load balancer."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, str]:
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.read().decode(), r.geturl()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), url

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def form(self, url: str, fields: dict[str, str]) -> tuple[int, str, str]:
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields}
        return self.request(
            "POST",
            url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def _api(
    plat: Platform, web: str, path: str, body: dict[str, Any], key: str = ""
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {plat.token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    status, text, _ = Client().request(
        "POST", f"{web}/api/cases{path}", data=json.dumps(body).encode(), headers=headers
    )
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def _application(plat: Platform, content: bytes) -> dict[str, Any]:
    return {
        "item": plat.world.item.implementation_code,
        "variant": "first",
        "form": FORM,
        "applicant": {"id_number": plat.world.applicant.id_number},
        "files": [
            {
                "material": "application",
                "filename": "申请书.pdf",
                "content_base64": base64.b64encode(content).decode(),
            },
            # The same picture in every application: stored once under its SM3
            # even when both machines write it at the same moment.
            {
                "material": "licence",
                "filename": "执照.png",
                "content_base64": base64.b64encode(png()).decode(),
            },
        ],
    }


def _drain(plat: Platform, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        assert time.monotonic() < deadline, "tasks still waiting\n" + plat.log_tails()
        time.sleep(0.2)


def test_two_web_processes_and_two_workers_share_one_postgresql(cluster: Platform) -> None:
    """R1.4, R5.1, R5.3, R5.7: applications with uploads and acceptances go
    through two web processes at once, their messages and notices through two workers:
    no duplicate case number, no lost case or upload, every message delivered
    exactly once, sessions valid on both processes, the audit chain whole."""
    plat = cluster
    web_a, web_b = plat.webs
    t0 = time.monotonic()
    marks: dict[str, float] = {}
    contents = {i: pdf(f"申请书 第{i}份") for i in range(CASES + TWINS)}

    # 1. Submissions: half to each process; the twins to both at once.
    with ThreadPoolExecutor(max_workers=8) as pool:
        singles = {
            i: pool.submit(
                _api, plat, plat.webs[i % 2], "", _application(plat, contents[i]), f"s-{i}"
            )
            for i in range(CASES)
        }
        twins = {
            k: [
                pool.submit(
                    _api, plat, web, "", _application(plat, contents[CASES + k]), f"twin-{k}"
                )
                for web in (web_a, web_b)
            ]
            for k in range(TWINS)
        }
    numbers: dict[int, str] = {}
    for i, future in singles.items():
        status, body = future.result()
        assert status == 201, (status, body, plat.log_tails())
        numbers[i] = body["number"]
    for k, pair in twins.items():
        answers = [f.result() for f in pair]
        assert all(s in (200, 201) for s, _ in answers), (answers, plat.log_tails())
        twin_numbers = {b["number"] for _, b in answers}
        assert len(twin_numbers) == 1, answers  # one case for one key, whichever process won
        numbers[CASES + k] = twin_numbers.pop()

    marks["submitted"] = time.monotonic() - t0
    # 2. Acceptances, each through the process that did not take the
    #    application; the first RACED by both processes at the same moment.
    with ThreadPoolExecutor(max_workers=8) as pool:
        accepts = {
            i: [
                pool.submit(_api, plat, web, f"/{number}/accept", {"opinion": "材料齐全"})
                for web in ((web_a, web_b) if i < RACED else (plat.webs[(i + 1) % 2],))
            ]
            for i, number in numbers.items()
        }
    for i, futures in accepts.items():
        statuses = sorted(f.result()[0] for f in futures)
        expected = [200, 409] if i < RACED else [200]
        assert statuses == expected, (i, [f.result() for f in futures], plat.log_tails())

    marks["accepted"] = time.monotonic() - t0
    # 3. A session made on one process is honoured, and ended, on the other.
    browser = Client()
    status, page, _ = browser.request("GET", f"{web_a}/login/")
    assert status == 200
    status, page, landed = browser.form(
        f"{web_a}/login/", {"username": "13812345678", "password": PASSWORD}
    )
    assert status == 200 and "/login/" not in landed, page[:500]
    status, page, _ = browser.request("GET", f"{web_b}/my/notifications/")
    assert status == 200 and "您的申请已受理" in page
    # The session is read through the shared Redis (cached_db), not a process's memory.
    assert redis.Redis(port=plat.redis_port).keys("*cached_db*"), "no session cached in Redis"
    assert browser.form(f"{web_b}/logout/", {})[0] == 200
    _, _, landed = browser.request("GET", f"{web_a}/my/notifications/")
    assert "/login/" in landed, "logged out on one process, still logged in on the other"

    marks["sessions"] = time.monotonic() - t0
    # 4. Scheduled work queued the way cron does it.
    subprocess.run(
        [sys.executable, "-m", "django", "tasks", "enqueue", "certificates_expire"],
        cwd=ROOT,
        env=plat.env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    _drain(plat)
    marks["drained"] = time.monotonic() - t0
    print("scale-out timings (s):", {k: round(v, 1) for k, v in marks.items()})

    # No duplicate case number, every case there and accepted.
    cases = list(Case.objects.exclude(status="draft"))
    assert len(cases) == CASES + TWINS
    assert sorted(c.number for c in cases) == sorted(numbers.values())
    assert all(c.accepted_on is not None for c in cases)

    # Every upload stored, with the SM3 of what was sent, on the shared disk.
    for i, number in numbers.items():
        stored = {
            m.code: m for m in CaseMaterial.objects.filter(case__number=number).exclude(path="")
        }
        for code, sent in (("application", contents[i]), ("licence", png())):
            material = stored[code]
            assert material.sm3 == sm3_hex(sent), (number, code)
            assert sm3_hex((plat.media / material.path).read_bytes()) == material.sm3

    # Every task ran exactly once, on one of the two workers, and both took part.
    rows = list(DBTaskResult.objects.all())
    assert {r.status for r in rows} == {"SUCCESSFUL"}, [
        (r.task_path, r.status, r.traceback[-300:]) for r in rows if r.status != "SUCCESSFUL"
    ]
    assert all(len(r.worker_ids) == 1 for r in rows)
    assert {r.worker_ids[0] for r in rows} == {"worker1", "worker2"}
    deliver_rows = [r for r in rows if r.task_path.endswith("notify.deliver")]
    render_rows = [r for r in rows if r.task_path.endswith("documents.render")]
    assert [r.task_path.rsplit(".", 1)[1] for r in rows if r not in deliver_rows + render_rows] == [
        "certificates_expire"
    ]

    # Every acceptance notice rendered once by a worker (ADR 0008), stored on
    # the shared disk with the digest on record.
    docs = list(CaseDocument.objects.filter(case__in=cases))
    assert len(docs) == len(render_rows) == CASES + TWINS
    assert {r.args_kwargs["kwargs"]["document_id"] for r in render_rows} == {d.pk for d in docs}
    for doc in docs:
        assert doc.status == "ready" and doc.attempts == 1, (doc.number, doc.error)
        assert sm3_hex((plat.media / doc.path).read_bytes()) == doc.sm3

    # Every message delivered once: one line per notification, none twice.
    notes = set(Notification.objects.values_list("pk", flat=True))
    assert len(notes) == 2 * (CASES + TWINS)  # submitted + accepted
    lines = [json.loads(x) for x in plat.deliveries.read_text().splitlines()]
    delivered = Counter(x["id"] for x in lines)
    assert set(delivered) == notes
    assert max(delivered.values()) == 1, [n for n, c in delivered.items() if c > 1]
    assert len(deliver_rows) == len(notes)

    report = audit_verify()
    assert report.ok, report.first_problem
