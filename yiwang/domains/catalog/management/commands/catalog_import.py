"""``yiwang catalog_import FILE [--dry-run] --actor-login LOGIN [--publish]``:
import basic-catalogue entries and implementation lists from an Excel
workbook (docs/catalog-excel.md), all or nothing, through the catalogue
services as the named staff member (R3.2, R3.5). Every problem is listed
with its sheet, row and column; the exit status is 1 when there is any."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.core.actors import SYSTEM, Actor
from yiwang.domains.catalog.excel import MAX_UPLOAD_BYTES, catalog_workbook_import
from yiwang.domains.catalog.excel_layout import xlsx_content_error
from yiwang.domains.orgs.selectors import staff_for_user


def actor_for_login(login: str) -> Actor:
    user = get_user_model().objects.filter(username__iexact=login, kind="staff").first()
    staff = staff_for_user(user.pk) if user is not None else None
    if staff is None:
        raise CommandError(f"没有登录名为 {login} 的在岗工作人员")
    return staff


class Command(BaseCommand):
    help = (
        "从 Excel 工作簿导入基本目录和实施清单"
        "（先预检，全部无误才写入，要么全部成功要么全部不生效）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Excel 工作簿（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只预检，不写入任何数据")
        parser.add_argument("--actor-login", help="以该工作人员的身份和权限导入（登录名）")
        parser.add_argument(
            "--as-system", action="store_true", help="以平台系统身份导入（不检查权限，慎用）"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="导入后一并审核、合法性审查并发布（需相应权限）",
        )
        parser.add_argument(
            "--max-errors", type=int, default=200, help="最多列出的问题条数（默认 200）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["actor_login"]) == bool(options["as_system"]):
            raise CommandError("请用 --actor-login 指定导入人（或用 --as-system 以系统身份导入）")
        actor = SYSTEM if options["as_system"] else actor_for_login(options["actor_login"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        data = path.read_bytes()
        reason = xlsx_content_error(data, max_bytes=MAX_UPLOAD_BYTES * 10)
        if reason:
            raise CommandError(reason)
        dry_run = options["dry_run"]
        done = [0]

        def progress(sheet: str, row: int) -> None:
            done[0] += 1
            if done[0] % 100 == 0:
                self.stderr.write(f"已处理 {done[0]} 条……")

        self.stderr.write("正在预检……" if dry_run else "正在导入……")
        report = catalog_workbook_import(
            actor=actor, data=data, dry_run=dry_run, publish=options["publish"], on_row=progress
        )
        limit = options["max_errors"]
        for error in report.errors[:limit]:
            self.stdout.write(self.style.ERROR(str(error)))
        if len(report.errors) > limit:
            self.stdout.write(f"……其余 {len(report.errors) - limit} 个问题未列出")
        if report.errors:
            self.stdout.write(self.style.ERROR(report.summary()))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(report.summary()))
