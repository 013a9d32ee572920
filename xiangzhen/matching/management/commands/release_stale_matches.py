"""Cancel proposals (点单 or 接单) nobody answered within MATCH_RELEASE_DAYS days; run daily."""

from typing import Any

from django.core.management.base import BaseCommand

from xiangzhen.matching.services import release_days, release_stale_matches


class Command(BaseCommand):
    help = "释放超过规定天数无人处理的对接申请（MATCH_RELEASE_DAYS，默认 7 天）"

    def handle(self, *args: Any, **options: Any) -> None:
        released = release_stale_matches()
        self.stdout.write(f"已释放 {len(released)} 条超过 {release_days()} 天未处理的对接申请")
        for number in released:
            self.stdout.write(f"  {number}")
