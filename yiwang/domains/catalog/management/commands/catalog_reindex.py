"""``yiwang catalog_reindex [--check]``: rebuild the portal's search table
(one row per public service item, R3.4) from the items and renew the cache
tokens, so every cached portal count and guide page is rendered again.
``--check`` only reports how the table differs from the items (exit status 1
when it does). The catalogue services keep the table current; this is for
bulk loads that bypass them and for peace of mind after a restore."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from yiwang.domains.catalog.search_index import search_rows_differences, search_rows_rebuild


class Command(BaseCommand):
    help = "重建门户事项检索表（公开事项），并使门户缓存失效"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只检查检索表是否与事项一致")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            problems = search_rows_differences()
            for line in problems[:50]:
                self.stdout.write(line)
            if problems:
                raise CommandError(
                    f"检索表有 {len(problems)} 处与事项不一致，请运行 catalog_reindex"
                )
            self.stdout.write(self.style.SUCCESS("检索表与事项一致"))
            return
        started = time.perf_counter()
        with transaction.atomic():
            total = search_rows_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"检索表已重建：{total} 个公开事项，用时 {time.perf_counter() - started:.1f} 秒"
            )
        )
