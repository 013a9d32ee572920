"""Run an allocation proposal for a province or city from the command line and print its figures."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangzhen.accounts.models import User
from xiangzhen.allocation import services
from xiangzhen.core.errors import XiangzhenError


class Command(BaseCommand):
    help = "为省或市生成智能推荐方案（总得分最高的一组对接建议，需逐项人工确认），并与先到先得接单对比"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region_code", help="省或市的区划代码，如 430000000000")
        parser.add_argument(
            "--min-key-share", dest="min_key_share", type=int, default=0,
            help="重点帮扶县需求最低覆盖比例（%%，0–100，默认不设）",
        )  # fmt: skip
        parser.add_argument("--as", dest="username", default=None, help="以哪个用户的名义（默认第一个平台管理员）")

    def handle(self, *args: Any, **options: Any) -> None:
        users = User.objects.filter(is_active=True)
        if options["username"]:
            actor = users.filter(username=options["username"]).first()
        else:
            actor = users.filter(role=User.Role.PLATFORM_ADMIN).order_by("pk").first()
        if actor is None:
            raise CommandError("找不到发起用户：请用 --as 指定省、市工作人员或平台管理员")
        try:
            run = services.propose(
                actor=actor, region_code=options["region_code"], min_key_county_share=options["min_key_share"]
            )
        except XiangzhenError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"智能推荐方案 #{run.pk}（{run.region.name}）")
        self.stdout.write(
            f"  参与：需求 {run.demands_considered} 个（重点帮扶县 {run.key_county_demands} 个），"
            f"供给项目 {run.offers_considered} 个，候选组合 {run.candidate_pairs} 个；求解 {run.solver_seconds:.3f} 秒"
        )
        self.stdout.write(f"  {'':8}{'推荐方案':>10}{'先到先得':>10}")
        self.stdout.write(f"  {'覆盖需求':8}{run.demands_covered:>10}{run.greedy_covered:>10}")
        self.stdout.write(f"  {'重点帮扶县':8}{run.key_county_covered:>10}{run.greedy_key_county_covered:>10}")
        self.stdout.write(f"  {'总得分':8}{run.total_score:>10.2f}{run.greedy_total_score:>10.2f}")
        self.stdout.write("  方案仅为建议：请在 /allocation/ 页面逐项确认或放弃。")
