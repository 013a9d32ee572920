from typing import Any

from django.core.management.base import BaseCommand

from xiangzhen.reporting.demo import seed_schedules


class Command(BaseCommand):
    help = "创建山西省（每季度）和湖南省（每半年）的定期报送规则；已存在的规则保持不变。"

    def handle(self, *args: Any, **options: Any) -> None:
        for schedule in seed_schedules():
            self.stdout.write(f"{schedule}：截止于报告期第 {schedule.due_month} 个月 {schedule.due_day} 日")
