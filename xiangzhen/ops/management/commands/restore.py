"""manage.py restore DIR [--verify] — put a backup back, and prove it is the data that was saved."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangzhen.ops import backup
from xiangzhen.ops.management.commands.verify_backup import add_target_arguments, report, target_and_key


class Command(BaseCommand):
    help = "从备份目录恢复数据库与附件；--verify 恢复后核对行数、透明日志根哈希与已签名检查点"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="backup 命令写出的备份目录")
        parser.add_argument("--verify", action="store_true", help="恢复后立即核对（不一致则以非零状态退出）")
        parser.add_argument("--no-media", action="store_false", dest="media", help="不恢复附件")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="不询问确认（脚本中使用）"
        )
        add_target_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        target, key = target_and_key(options)
        if options["interactive"]:
            where = options["target_url"] or "当前配置的数据库"
            answer = input(f"这会用备份覆盖 {where} 的全部数据。输入 yes 继续：")
            if answer.strip() != "yes":
                raise CommandError("已取消")
        try:
            manifest = backup.restore(directory, target=target, media=options["media"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份")
        if options["verify"]:
            report(self, directory, target, key)
