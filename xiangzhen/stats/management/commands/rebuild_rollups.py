from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangzhen.stats import rollups


class Command(BaseCommand):
    help = "从业务记录重新统计汇总表；--check 只比对并列出不一致之处"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只比对，不改写汇总表")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        if check:
            lines = rollups.differences()
            if lines:
                raise CommandError("汇总表与业务记录不一致：\n" + "\n".join(lines))
            self.stdout.write("汇总表与业务记录一致")
            return
        written = rollups.rebuild()
        self.stdout.write(f"已重新统计，写入 {written} 行汇总")
