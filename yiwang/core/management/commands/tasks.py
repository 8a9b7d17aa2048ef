"""``yiwang tasks``: the background queue from the command line.

yiwang tasks enqueue NAME   put one run of a scheduled task on the queue (cron calls this)
yiwang tasks list           the names the schedule knows
yiwang tasks status         rows per status, the oldest waiting task, recent failures;
                            exit status 1 when a task has failed
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yiwang.core.errors import DomainError
from yiwang.core.tasks import queue_state, scheduled_enqueue, scheduled_names, stale_running

STATUS_NAMES = {
    "READY": "待执行",
    "RUNNING": "执行中",
    "SUCCESSFUL": "已成功",
    "FAILED": "已失败",
}


class Command(BaseCommand):
    help = "后台任务：加入定时任务（enqueue）、列出定时任务（list）、查看队列状态（status）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        enqueue = sub.add_parser("enqueue", help="将一次定时任务加入队列")
        enqueue.add_argument("name", help="定时任务名称（见 yiwang tasks list）")
        sub.add_parser("list", help="列出可加入队列的定时任务")
        status = sub.add_parser("status", help="队列状态与最近失败的任务")
        status.add_argument("--failures", type=int, default=10, help="列出最近失败的条数")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "enqueue":
            try:
                result = scheduled_enqueue(options["name"])
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"已加入队列：{options['name']}（任务编号 {result.id}）")
        elif action == "list":
            for name, path in sorted(scheduled_names().items()):
                self.stdout.write(f"{name}\t{path}")
        else:
            self._status(options["failures"])

    def _status(self, failures: int) -> None:
        state = queue_state(failures=failures)
        for status, label in STATUS_NAMES.items():
            self.stdout.write(f"{label}\t{state.counts.get(status, 0)}")
        if state.oldest_ready is not None:
            waited = (timezone.now() - state.oldest_ready).total_seconds()
            self.stdout.write(f"最早的待执行任务已等待 {waited:.0f} 秒")
        stale = stale_running()
        if stale:
            self.stdout.write(
                self.style.WARNING(
                    f"执行超时（工作进程可能已失联）{len(stale)} 个，tasks_recover 将其重新排队"
                )
            )
        if not state.failed:
            return
        self.stdout.write(self.style.ERROR("最近失败的任务："))
        for row in state.failed:
            last = (row.traceback.strip().splitlines() or [""])[-1]
            when = timezone.localtime(row.finished_at).strftime("%Y-%m-%d %H:%M:%S")
            self.stdout.write(f"  {when} {row.task_path} {row.id}: {last}")
        sys.exit(1)
