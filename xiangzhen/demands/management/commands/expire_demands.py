"""Close published demands whose collection deadline has passed. Run daily (cron or a task queue)."""

from typing import Any

from django.core.management.base import BaseCommand

from xiangzhen.demands.services import expire_overdue_demands


class Command(BaseCommand):
    help = "将征集截止日期已过的已发布需求标记为“已过期”"

    def handle(self, *args: Any, **options: Any) -> None:
        numbers = expire_overdue_demands()
        for number in numbers:
            self.stdout.write(number)
        self.stdout.write(self.style.SUCCESS(f"已过期 {len(numbers)} 条需求"))
