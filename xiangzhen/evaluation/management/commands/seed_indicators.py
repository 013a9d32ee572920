from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangzhen.core.errors import XiangzhenError
from xiangzhen.evaluation import services


class Command(BaseCommand):
    help = "载入各省默认评估指标（evaluation/data/default_indicators.json）；已有指标的省份不变。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", action="append", help="只载入这些省份（12 位区划代码，可重复）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = services.seed_default_indicators(actor=None, province_codes=options["province"])
        except XiangzhenError as exc:
            raise CommandError(exc.message) from exc
        for code, count in created.items():
            self.stdout.write(f"{code}：新增 {count} 项指标" if count else f"{code}：已有指标，未改动")
