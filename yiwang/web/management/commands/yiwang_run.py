"""`yiwang run`: migrate the embedded database, load the demo city, serve.

The development server is enough for one person trying the platform; a
deployment runs gunicorn instead (docs/deployment.md). One background worker
starts beside the server, so the embedded platform needs no other server:
messages go out and scheduled tasks run with nothing else installed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yiwang.demo.loader import format_accounts, load_demo


def start_worker() -> subprocess.Popen[bytes]:
    """One worker process over every queue, with this process's settings.
    A process rather than a thread: it is the same program a production
    worker machine runs, and its signals and database connection are its own."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "django",
            "tasks_worker",
            "--settings",
            settings.SETTINGS_MODULE,
            "--interval",
            "1",
            "--verbosity",
            "0",
        ]
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # the worker finishes its current task, then leaves
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据并启动平台（含一个后台任务执行进程）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务进程（另行运行 yiwang worker）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        base = f"http://{options['host']}:{options['port']}"
        lines = ["", "一网政务服务平台已就绪："]
        if not options["no_demo"]:
            summary = load_demo()
            lines.append(summary["message"])
        lines += [
            f"  门户（申请人）  {base}/",
            f"  管理平台（工作人员）  {base}/console/",
            f"  接口文档  {base}/api/docs",
            f"  健康检查  {base}/healthz",
        ]
        if not options["no_worker"]:
            lines.append("  后台任务  已启动 1 个执行进程（消息发送、定时任务）")
        if not options["no_demo"]:
            lines.append(format_accounts(summary))
        self.stdout.write("\n".join(lines))
        worker = None if options["no_worker"] else start_worker()
        # A plain kill of `yiwang run` must stop its worker too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command(
                "runserver",
                f"{options['host']}:{options['port']}",
                use_reloader=False,
                use_threading=True,
            )
        finally:
            if worker is not None:
                stop_worker(worker)
