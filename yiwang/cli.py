"""The ``yiwang`` command: a thin front on Django's management commands.

yiwang run [--port N]        migrate, load the demo city, serve on 127.0.0.1 (with one worker)
yiwang worker                run a background task worker (production: on each worker machine)
yiwang tasks enqueue NAME    queue one run of a scheduled task (from cron); tasks status, list
yiwang audit verify          check the whole audit chain and every audited row
yiwang demo load             load the demo city (idempotent)
yiwang calendar load YEAR    seed a year from chinese-calendar
yiwang bench generate|run …  benchmark data and benchmarks (source checkout; docs/benchmarks.md)
yiwang <django command> …    anything manage.py accepts (migrate, shell, …)
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    ("audit", "verify"): "audit_verify",
    ("demo", "load"): "demo_load",
    ("calendar", "load"): "calendar_load",
    ("run",): "yiwang_run",
    ("worker",): "tasks_worker",
}


def translate(argv: list[str]) -> list[str]:
    for words, command in sorted(ALIASES.items(), key=lambda kv: -len(kv[0])):
        if tuple(argv[: len(words)]) == words:
            return [command, *argv[len(words) :]]
    return argv


def bench(argv: list[str]) -> int:
    """``yiwang bench …``: bench/ lives in the source checkout, not in the
    installed package. Its command sets DATABASE_URL before Django starts."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    if not (root / "bench" / "cli.py").is_file():
        print(
            "yiwang bench 需要源代码目录中的 bench/（安装包不含基准测试），"
            "请在源代码检出目录中运行。\n"
            "yiwang bench needs bench/ from a source checkout; it is not in the installed package.",
            file=sys.stderr,
        )
        return 2
    sys.path.insert(0, str(root))
    from bench.cli import main as bench_main

    return bench_main(argv)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "bench":
        raise SystemExit(bench(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.local")
    from django.core.management import execute_from_command_line

    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    execute_from_command_line(["yiwang", *translate(args)])


if __name__ == "__main__":
    main()
