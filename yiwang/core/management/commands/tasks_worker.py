"""``yiwang worker``: run one background worker (django-tasks-db's
``db_worker``) over every queue, named after its machine and process so the
task table shows who ran what. Start as many as the work needs, on as many
machines: they share the queue through row locks (docs/deployment.md)."""

from __future__ import annotations

import os
import socket
from argparse import ArgumentParser

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


def default_worker_id() -> str:
    host = socket.gethostname().split(".")[0][:40]
    return f"{host}-{os.getpid()}-{get_random_string(6)}"


class Command(DbWorkerCommand):
    help = "运行后台任务执行进程（可在多台机器上各运行若干个）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Every queue unless told otherwise; never the code reloader: a worker
        # restarted mid-task would leave that task marked running.
        parser.set_defaults(queue_name="*", reload=False, worker_id=default_worker_id())
