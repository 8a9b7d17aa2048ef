"""Mark certificates whose validity has ended as 失效: ``yiwang certificates_expire``
(daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.domains.certificates.services import certificates_expire_due


class Command(BaseCommand):
    help = "将有效期已届满的电子证照标记为“失效”"

    def handle(self, *args: Any, **options: Any) -> None:
        n = certificates_expire_due()
        self.stdout.write(f"已将 {n} 本有效期届满的电子证照标记为失效。")
