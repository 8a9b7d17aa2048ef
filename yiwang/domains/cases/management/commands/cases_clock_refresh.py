"""Recompute the due dates of open cases after the working-day calendar
changed: ``yiwang cases_clock_refresh``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.core.actors import SYSTEM
from yiwang.domains.cases.lifecycle import ENDED
from yiwang.domains.cases.models import Case
from yiwang.domains.cases.services import case_clock_recompute


class Command(BaseCommand):
    help = "工作日历调整后，重新计算在办办件的办结期限"

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(
            Case.objects.filter(accepted_on__isnull=False)
            .exclude(status__in=[s.value for s in ENDED])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        moved = 0
        for n, pk in enumerate(ids, 1):
            moved += case_clock_recompute(actor=SYSTEM, case_id=pk)
            if n % 1000 == 0:
                self.stdout.write(f"已检查 {n}/{len(ids)} 件……")
        self.stdout.write(f"在办办件 {len(ids)} 件，其中 {moved} 件的办结期限已重新计算。")
