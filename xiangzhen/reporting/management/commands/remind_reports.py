import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiangzhen.reporting import services


class Command(BaseCommand):
    help = "提醒尚未报送定期报告的单位（截止前按规则天数提醒、逾期提醒；每人每项只提醒一次）。每天运行一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.send_reminders(today=options["today"])
        self.stdout.write(f"已发送 {sent} 条提醒")
