"""``yiwang audit verify``: check the whole audit chain and every audited row
(R14.3, R14.5). Exits with status 1 and names each broken entry on problems."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.core.audit import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链及全部受审计数据行；发现问题时逐条列出日志编号并以状态码 1 退出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chain-only", action="store_true", help="只校验哈希链，不比对数据行")
        parser.add_argument(
            "--max-problems", type=int, default=100, help="最多列出的问题条数（默认 100）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        err = self.stderr

        def progress(count: int) -> None:
            err.write(f"已校验 {count:,} 条……")
            err.flush()

        self.stderr.write("正在校验审计链……")
        report = audit_verify(progress, rows=not options["chain_only"])
        rate = report.entries_per_second
        self.stdout.write(
            f"审计日志 {report.entries:,} 条，数据行 {report.rows:,} 行；"
            f"用时 {report.seconds:.2f} 秒（哈希链 {rate:,.0f} 条/秒）"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("校验通过：审计链完整，数据与审计记录一致。"))
            return
        limit = options["max_problems"]
        self.stdout.write(self.style.ERROR(f"发现 {len(report.problems)} 个问题："))
        for problem in report.problems[:limit]:
            self.stdout.write(self.style.ERROR(f"  {problem}"))
        if len(report.problems) > limit:
            self.stdout.write(f"  ……其余 {len(report.problems) - limit} 个问题未列出")
        first = report.first_problem
        if first is not None and first.entry_id is not None:
            self.stdout.write(self.style.ERROR(f"第一个问题位于审计日志 #{first.entry_id}。"))
        sys.exit(1)
