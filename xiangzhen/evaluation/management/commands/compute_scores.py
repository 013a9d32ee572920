from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xiangzhen.core.errors import XiangzhenError
from xiangzhen.evaluation import services
from xiangzhen.evaluation.models import Indicator


class Command(BaseCommand):
    help = "按各省启用的评估指标计算社会组织某年度的得分与排名（可重复运行，覆盖该年度旧得分）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", help="省级区划代码；默认全部启用了指标的省份")
        parser.add_argument("--year", type=int, help="年度，默认今年")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or timezone.localdate().year
        provinces = (
            [options["province"]]
            if options["province"]
            else list(Indicator.objects.filter(is_active=True).values_list("province_id", flat=True).distinct())
        )
        for code in sorted(set(provinces)):
            try:
                result = services.compute_scores(actor=None, province_code=code, year=year)
            except XiangzhenError as exc:
                raise CommandError(f"{code}：{exc.message}") from exc
            self.stdout.write(f"{result.province.name} {result.year} 年度：{result.count} 个社会组织")
