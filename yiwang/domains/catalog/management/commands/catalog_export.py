"""``yiwang catalog_export FILE [--division CODE]``: write the published
catalogue — basic-catalogue entries and implementation lists with their whole
guides — to an Excel workbook in the import layout (docs/catalog-excel.md),
optionally only one division's subtree (R3.2). ``--template`` writes the
blank workbook with the 填表说明 sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.core.errors import DomainError
from yiwang.domains.catalog.excel import catalog_workbook_export, catalog_workbook_template


class Command(BaseCommand):
    help = "把已发布的事项库（基本目录、实施清单及办事指南）导出为 Excel 工作簿"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要写入的 .xlsx 文件")
        parser.add_argument("--division", help="只导出该行政区划及其下级的事项（区划代码）")
        parser.add_argument("--template", action="store_true", help="只写出空白模板")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError("文件名应以 .xlsx 结尾")
        if options["template"]:
            path.write_bytes(catalog_workbook_template())
            self.stdout.write(self.style.SUCCESS(f"空白模板已写入 {path}"))
            return
        tmp = path.with_name(path.name + ".part")
        try:
            with tmp.open("wb") as out:
                catalog_workbook_export(division_code=options["division"], stream=out)
        except DomainError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(exc.message) from exc
        tmp.replace(path)
        self.stdout.write(self.style.SUCCESS(f"已导出到 {path}"))
