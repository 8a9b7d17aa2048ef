"""Load the demo city (idempotent): calendar, divisions, agencies, halls,
staff with roles, applicants. Prints the demo accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.demo.loader import format_accounts, load_demo


class Command(BaseCommand):
    help = "载入演示城市数据（可重复执行，不会重复创建）"

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        self.stdout.write(self.style.SUCCESS(summary["message"]))
        self.stdout.write(format_accounts(summary))
