import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangzhen.core.errors import XiangzhenError
from xiangzhen.reporting import services
from xiangzhen.reporting.models import ReportingSchedule


class Command(BaseCommand):
    help = "按各省报送规则开启当前报告期，并为每个报送单位生成报告草稿（可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", help="省级区划代码；默认全部启用规则的省份")
        parser.add_argument("--on", type=datetime.date.fromisoformat, help="按此日期确定报告期（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = (
            [options["province"]]
            if options["province"]
            else list(ReportingSchedule.objects.filter(is_active=True).values_list("province_id", flat=True))
        )
        for code in provinces:
            try:
                periods = services.open_periods(actor=None, province_code=code, on=options["on"])
            except XiangzhenError as exc:
                raise CommandError(f"{code}：{exc.message}") from exc
            for period in periods:
                self.stdout.write(f"{period}：{period.reports.count()} 份报告，截止 {period.due_date:%Y-%m-%d}")
