"""Benchmark: the portal guide page and search page under concurrent load,
against a bare Django view returning the same bytes from the same server
(issue 6).

Starts a production-style server on the generated (or any migrated)
database: gunicorn with ``--workers`` worker processes, DEBUG off, the
default per-process cache, ``yiwang.config.settings.bench`` (the local
settings plus one bench-only URL, ``/__bench__/bare/<key>/``, that no other
settings module routes). The bytes of each page are fetched once and stored
for the bare view; then wrk (``apt-get install wrk``) loads, for
``--seconds`` each with ``--connections`` connections:

- the guide page ``/items/<code>/`` of a public item (a visitor without a
  session: the cached page), and the bare view with its bytes;
- the search page ``/items/?q=<word>``, and the bare view with its bytes.

Target: the guide page at ≥ 50% of the bare view's requests/s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import _common as C  # noqa: E402

SECTION = "## Portal pages under concurrent load (gunicorn + wrk)"
TARGET = 0.5
WRK_MISSING = (
    "wrk 未安装：请执行 `apt-get install -y wrk`（Debian 软件包）后重试。\n"
    "wrk is not installed: run `apt-get install -y wrk` (Debian package) and try again."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pick_pages(database: str, var_dir: str) -> tuple[str, str]:
    """(guide path, search path): a public item with the most materials among
    the first ones, and a search for its name's first two characters."""
    code = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from bench import _common as C;"
            "C.setup_django(sys.argv[2], sys.argv[3], generated=True);"
            "from yiwang.domains.catalog import public;"
            "rows = list(public.item_search('', page=1).object_list);"
            "best = max(rows, key=lambda r: public.guide_detail(r.implementation_code)"
            ".materials.count());"
            "print(best.implementation_code); print(best.name)",
            str(ROOT),
            database,
            var_dir,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    item, name = code[0].strip(), code[1].strip()
    word = name[:2] or "许可"
    return f"/items/{item}/", f"/items/?q={urllib.parse.quote(word)}"


def _wrk(url: str, seconds: int, connections: int, threads: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": ms("50%"),
        "p99": ms("99%"),
        "non2xx": float(non2xx.group(1)) if non2xx else 0.0,
        "errors": 1.0 if errors else 0.0,
    }


def run(database: str, workers: int, seconds: int, connections: int, command: str) -> C.Result:
    vendor = C.vendor_of(database)
    if shutil.which("wrk") is None:
        raise SystemExit(WRK_MISSING)
    tmp = tempfile.TemporaryDirectory(prefix="yiwang-bench-portal-")
    bare_dir = Path(tmp.name) / "bare"
    bare_dir.mkdir()
    (Path(tmp.name) / "static").mkdir()
    guide, search = _pick_pages(database, tmp.name)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "yiwang.config.settings.bench",
        "YIWANG_BENCH_BARE_DIR": str(bare_dir),
        "YIWANG_VAR_DIR": C.VAR_DIR,
        "YIWANG_DEBUG": "0",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "yiwang.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        rows: list[tuple[str, int, dict[str, float], dict[str, float]]] = []
        for key, path in (("guide", guide), ("search", search)):
            # Each worker renders and caches the page before the load starts.
            for _ in range(workers * 4):
                with urllib.request.urlopen(base + path, timeout=30) as r:
                    body = r.read()
            (bare_dir / f"{key}.html").write_bytes(body)
            with urllib.request.urlopen(f"{base}/__bench__/bare/{key}/", timeout=30) as r:
                assert r.read() == body, "the bare view returned other bytes"
            threads = min(2, connections)
            floor = _wrk(f"{base}/__bench__/bare/{key}/", seconds, connections, threads)
            real = _wrk(base + path, seconds, connections, threads)
            rows.append((path, len(body), real, floor))
            print(
                f"  {path}: {real['rps']:,.0f} req/s (bare {floor['rps']:,.0f}), "
                f"p50 {real['p50']:.1f} ms, p99 {real['p99']:.1f} ms"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        tmp.cleanup()

    lines = [
        "| page | bytes | req/s | p50 ms | p99 ms | bare view req/s | bare p50 ms | bare p99 ms "
        "| share of bare req/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    guide_share = 0.0
    for path, size, real, floor in rows:
        share = real["rps"] / floor["rps"] if floor["rps"] else 0.0
        if path == guide:
            guide_share = share
        flag = " (errors)" if real["non2xx"] or real["errors"] else ""
        lines.append(
            f"| GET {urllib.parse.unquote(path)}{flag} | {size:,} | {real['rps']:,.0f} | "
            f"{real['p50']:.2f} | {real['p99']:.2f} | {floor['rps']:,.0f} | "
            f"{floor['p50']:.2f} | {floor['p99']:.2f} | {share:.0%} |"
        )
    met = guide_share >= TARGET
    body = (
        f"Server: gunicorn, {workers} sync workers, `yiwang.config.settings.bench` (DEBUG off, "
        f"per-process memory cache), on the {C.vendor_name(vendor)} database; load: wrk, "
        f"{connections} connections, {seconds} s per URL, on the same 2 cores.\n\n"
        + "\n".join(lines)
        + f"\n\n- guide page ≥ 50% of the bare view's requests/s: {guide_share:.0%} — "
        f"{'met' if met else 'not met'}\n"
    )
    return C.Result(
        key=f"portal-{vendor}",
        section=SECTION,
        title=f"{C.vendor_name(vendor)} database, {workers} workers",
        command=command,
        body=body,
        met=met,
        summary=(
            f"portal load {C.vendor_name(vendor)}: guide page at {guide_share:.0%} of the bare "
            f"view's req/s (target ≥ 50%) — {'met' if met else 'not met'}"
        ),
        data={"guide_share": guide_share, "rows": [(p, s, r, f) for p, s, r, f in rows]},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=C.DEFAULT_DATABASE)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", help="write the result here (for bench/runner.py)")
    args = parser.parse_args(argv)
    command = (
        f".venv/bin/python bench/portal_load.py --database {args.database} "
        f"--workers {args.workers} --seconds {args.seconds} --connections {args.connections}"
    )
    result = run(args.database, args.workers, args.seconds, args.connections, command)
    result.dump(args.json)
    print(result.summary)
    return 0 if result.met else 1


if __name__ == "__main__":
    raise SystemExit(main())
