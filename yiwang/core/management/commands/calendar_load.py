"""``yiwang calendar load YEAR…``: seed working-day calendar years from the
``chinese-calendar`` package as the platform itself (idempotent). The calendar
carries every working-day time limit (R6.4, R10.2); loads are audited (R14.3)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.core.actors import SYSTEM
from yiwang.core.calendar import calendar_package_years, calendar_year_load_from_package
from yiwang.core.errors import DomainError
from yiwang.core.models import AuditEntry


class Command(BaseCommand):
    help = "从 chinese-calendar 软件包载入指定年份的节假日与调休安排（可重复执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="*", type=int, metavar="YEAR", help="年份，可多个")
        parser.add_argument("--all", action="store_true", help="载入软件包覆盖的全部年份")

    def handle(self, *args: Any, **options: Any) -> None:
        years: list[int] = list(options["years"])
        if options["all"]:
            years = list(calendar_package_years())
        if not years:
            raise CommandError("请指定年份，例如：yiwang calendar load 2026")
        failed = False
        for year in years:
            before = AuditEntry.objects.count()
            try:
                calendar_year_load_from_package(actor=SYSTEM, year=year)
            except DomainError as exc:
                self.stderr.write(self.style.ERROR(f"{year}年：{exc.message}"))
                failed = True
                continue
            if AuditEntry.objects.count() == before:
                self.stdout.write(f"{year}年：已是最新，未作改动")
            else:
                self.stdout.write(self.style.SUCCESS(f"{year}年：已载入"))
        if failed:
            raise CommandError("部分年份未能载入")
