"""Recompute the due dates of open cases after the working-day calendar
changed: ``yiwang cases_clock_refresh`` runs it here and now;
``yiwang tasks enqueue cases_clock_refresh`` leaves it to a worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.domains.cases.tasks import clock_refresh_open_cases


class Command(BaseCommand):
    help = "工作日历调整后，重新计算在办办件的办结期限"

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(n: int, total: int) -> None:
            self.stdout.write(f"已检查 {n}/{total} 件……")

        done = clock_refresh_open_cases(progress=progress)
        self.stdout.write(
            f"在办办件 {done['checked']} 件，其中 {done['moved']} 件的办结期限已重新计算。"
        )
