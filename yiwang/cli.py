"""The ``yiwang`` command: a thin front on Django's management commands.

yiwang run [--port N]        migrate, load the demo city, serve on 127.0.0.1
yiwang audit verify          check the whole audit chain and every audited row
yiwang demo load             load the demo city (idempotent)
yiwang calendar load YEAR    seed a year from chinese-calendar
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
}


def translate(argv: list[str]) -> list[str]:
    for words, command in sorted(ALIASES.items(), key=lambda kv: -len(kv[0])):
        if tuple(argv[: len(words)]) == words:
            return [command, *argv[len(words) :]]
    return argv


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.local")
    from django.core.management import execute_from_command_line

    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    execute_from_command_line(["yiwang", *translate(args)])


if __name__ == "__main__":
    main()
