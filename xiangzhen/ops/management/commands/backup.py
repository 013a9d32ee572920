"""manage.py backup DIR — the database, the attachments and a manifest that a restore is checked against."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xiangzhen.ops import backup


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump）与附件，并写出带行数和透明日志根哈希的清单"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="备份目录（新建或空目录）")
        parser.add_argument("--no-media", action="store_false", dest="media", help="不备份附件目录")
        parser.add_argument(
            "--dated", action="store_true", help="在目录下新建以当前时间命名的子目录（定时备份用，如 2026-12-06T0300）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            directory = Path(options["directory"])
            if options["dated"]:
                directory = directory / timezone.localtime().strftime("%Y-%m-%dT%H%M%S")
            manifest = backup.backup(directory, media=options["media"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {directory}：{len(manifest['tables'])} 张表 {rows} 行，"
            f"透明日志 {manifest['tlog']['size']} 条，根哈希 {manifest['tlog']['root']}"
        )
