"""`yiwang run`: migrate the embedded database, load the demo city, serve.

The development server is enough for one person trying the platform; a
deployment runs gunicorn instead (docs/deployment.md).
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from yiwang.demo.loader import format_accounts, load_demo


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据并启动平台"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")

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
        if not options["no_demo"]:
            lines.append(format_accounts(summary))
        self.stdout.write("\n".join(lines))
        call_command(
            "runserver",
            f"{options['host']}:{options['port']}",
            use_reloader=False,
            use_threading=True,
        )
