"""``yiwang bench …``: the benchmark commands of a source checkout.

yiwang bench generate --scale {tiny,small,medium,province} [--database URL] [--reset]
yiwang bench run …            the benchmarks (bench/runner.py)

``--database`` (default: the dedicated SQLite file var/bench/bench.sqlite3,
never the platform's own database) becomes DATABASE_URL before Django is set
up, so everything after runs against the benchmark database. ``generate``
sets Django up here; ``run`` leaves that to the runner.
"""

from __future__ import annotations

import argparse
import os
import sys

USAGE = __doc__ or ""


def _database(argv: list[str]) -> str:
    from bench.generate import default_database_url

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--database")
    parser.add_argument("--reset", action="store_true")
    known, _ = parser.parse_known_args(argv)
    return known.database or default_database_url()


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command not in ("generate", "run"):
        print(f"未知的子命令 {command}（可选：generate、run）\n{USAGE}", file=sys.stderr)
        return 2
    if "-h" in rest or "--help" in rest:
        os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    else:
        url = _database(rest)
        os.environ["DATABASE_URL"] = url
        if command == "generate":
            from bench.generate import _prepare_database

            reset = "--reset" in rest
            _prepare_database(url, reset)
    if command == "generate":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.local")
        import django

        django.setup()
        from bench import generate

        return generate.main(rest)
    # The runner sets Django up itself (settings per benchmark, scratch folders).
    try:
        from bench import runner
    except ImportError:
        print("yiwang bench run：基准测试尚未就绪（bench/runner.py 不存在）。", file=sys.stderr)
        return 2
    return int(runner.main(rest) or 0)
