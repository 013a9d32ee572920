"""manage.py verify_backup DIR — does the database hold exactly what the backup's manifest says?

Recounts every table and recomputes the transparency log's root from the leaves, then checks the
latest checkpoint's signature and root. Any difference exits non-zero, naming the table.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangzhen.ops import backup
from xiangzhen.tlog import note
from xiangzhen.tlog.verify import load_key

SHOWN = 20


def add_target_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--target-url",
        default="",
        help="另一个数据库（如 postgres://…/scratch 或 sqlite:///path），默认当前配置的数据库",
    )
    parser.add_argument("--key", default="", help="透明日志验证公钥或其文件，默认由本机签名密钥导出")


def target_and_key(options: dict[str, Any]) -> tuple[backup.Target, note.VerifierKey | None]:
    try:
        target = backup.Target.from_url(options["target_url"]) if options["target_url"] else backup.Target.default()
        key = load_key(options["key"]) if options["key"] else None
    except (backup.BackupError, note.NoteError, ValueError) as exc:
        raise CommandError(str(exc)) from None
    return target, key


def report(command: BaseCommand, directory: Path, target: backup.Target, key: note.VerifierKey | None) -> None:
    try:
        problems = backup.verify(directory, target=target, key=key)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    if problems:
        shown = problems[:SHOWN] + ([f"……另有 {len(problems) - SHOWN} 处"] if len(problems) > SHOWN else [])
        raise CommandError("恢复后的数据与备份不一致：\n" + "\n".join(shown))
    manifest = backup.read_manifest(directory)
    command.stdout.write(
        f"核对通过：{len(manifest['tables'])} 张表行数一致，透明日志 {manifest['tlog']['size']} 条、"
        f"根哈希 {manifest['tlog']['root']} 一致，最新检查点签名有效"
    )


class Command(BaseCommand):
    help = "核对数据库与备份清单：各表行数、按叶子重算的透明日志根哈希、最新已签名检查点"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="backup 命令写出的备份目录")
        add_target_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        target, key = target_and_key(options)
        report(self, Path(options["directory"]), target, key)
