"""Seed the demo province (湖南省, with 湘西州's 凤凰县, 花垣县 and 保靖县 down to villages).

Everything goes through the services, as a real operator's actions would. Idempotent: accounts
and departments that exist are left as they are.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiangzhen.accounts import services as accounts
from xiangzhen.accounts.models import Department, User
from xiangzhen.regions import services as regions
from xiangzhen.regions.models import Designation, Region

DEMO_PASSWORD = "Xiangzhen-2026"

DEPARTMENTS = [
    ("civil_affairs", "430000000000", "湖南省民政厅"),
    ("rural_revitalization", "430000000000", "湖南省乡村振兴局"),
    ("civil_affairs", "433100000000", "湘西州民政局"),
    ("rural_revitalization", "433100000000", "湘西州乡村振兴局"),
    ("civil_affairs", "433124000000", "花垣县民政局"),
    ("rural_revitalization", "433124000000", "花垣县乡村振兴局"),
    ("civil_affairs", "433123000000", "凤凰县民政局"),
    ("rural_revitalization", "433123000000", "凤凰县乡村振兴局"),
    ("civil_affairs", "433125000000", "保靖县民政局"),
    ("rural_revitalization", "433125000000", "保靖县乡村振兴局"),
]

# (username, full name, role, department name or None, region code for submitters, what to try)
USERS = [
    ("admin", "平台管理员", "platform_admin", None, None, "账号、区划、分类"),
    ("hn_minzheng", "湖南省民政厅 李明", "department_staff", "湖南省民政厅", None, "全省社会组织、操作日志、区划认定"),
    ("hn_xiangzhen", "湖南省乡村振兴局 王芳", "department_staff", "湖南省乡村振兴局", None, "全省数据、区划认定"),
    ("xx_minzheng", "湘西州民政局 田华", "department_staff", "湘西州民政局", None, "审核州级社会组织"),
    ("hy_minzheng", "花垣县民政局 石磊", "department_staff", "花垣县民政局", None, "审核花垣县社会组织"),
    ("hy_xiangzhen", "花垣县乡村振兴局 龙英", "department_staff", "花垣县乡村振兴局", None, "花垣县的需求与帮扶"),
    ("fh_xiangzhen", "凤凰县乡村振兴局 吴强", "department_staff", "凤凰县乡村振兴局", None, "凤凰县（看不到花垣县）"),
    ("sbd_cun", "十八洞村 施成", "submitter", None, "433124110226", "十八洞村的需求填报"),
]

DESIGNATIONS = [
    ("433124000000", "provincial_key_county"),
    ("433125000000", "provincial_key_county"),
    ("433124110226", "poverty_exited_village"),
    ("433124110226", "demonstration_village"),
]


class Command(BaseCommand):
    help = "创建演示省份的部门、账号、社会组织和区划认定，并打印各角色的演示登录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    def _seed_libraries(self, organizations: list[tuple[Any, str]]) -> None:
        """Demands of 十八洞村, offers of the 花垣县 organization, and one match under way."""
        from xiangzhen.demands.demo import seed_demo_demands
        from xiangzhen.funds.demo import seed_demo_fund
        from xiangzhen.matching.demo import seed_demo_match
        from xiangzhen.offers.demo import seed_demo_offers
        from xiangzhen.reporting.demo import seed_demo_reporting

        users = {u.username: u for u in User.objects.filter(username__in=["sbd_cun", "hy_xiangzhen", "hy_minzheng"])}
        organization, admin_username = next((o, u) for o, u in organizations if u == "hy_zhunong")
        org_admin = User.objects.get(username=admin_username)
        demands = seed_demo_demands(submitter=users["sbd_cun"], county_official=users["hy_xiangzhen"])
        offers = seed_demo_offers(organization=organization, member=org_admin, reviewer=users["hy_minzheng"])
        match = seed_demo_match(
            demand=demands[0], offer=offers[0], org_admin=org_admin, county_official=users["hy_xiangzhen"]
        )
        seed_demo_fund(organization=organization, org_admin=org_admin, reviewer=users["hy_minzheng"], match=match)
        from xiangzhen.facilities.demo import seed_demo_facilities

        seed_demo_facilities(organization=organization, org_admin=org_admin)
        from xiangzhen.campaigns.demo import seed_demo_campaigns

        seed_demo_campaigns(organization=organization, org_admin=org_admin)
        from xiangzhen.consumption.demo import seed_demo_consumption

        seed_demo_consumption(organization=organization, org_admin=org_admin, county_official=users["hy_xiangzhen"])
        from xiangzhen.events.demo import seed_demo_events

        seed_demo_events(
            organization=organization, org_admin=org_admin, organizer=users["hy_minzheng"],
            village_staff=users["sbd_cun"], judges=[users["hy_xiangzhen"], User.objects.get(username="xx_minzheng")],
        )  # fmt: skip
        from xiangzhen.pairings.demo import seed_demo_pairings

        seed_demo_pairings(
            organizations=organizations, org_admin=org_admin, county_official=users["hy_xiangzhen"],
            admin=User.objects.get(username="admin"),
        )  # fmt: skip
        seed_demo_reporting()
        # Capacity building, five-society linkage, monitoring and the portal's articles (after the
        # brands demo: articles link its case and commendation).
        from xiangzhen.linkage.demo import seed_demo_linkage
        from xiangzhen.monitoring.demo import seed_demo_monitoring
        from xiangzhen.portal.demo import seed_demo_articles
        from xiangzhen.training.demo import seed_demo_training

        seed_demo_training(organization=organization, org_admin=org_admin, match=match)
        seed_demo_linkage(organization=organization, org_admin=org_admin)
        seed_demo_monitoring(organization=organization, org_admin=org_admin)
        seed_demo_articles()
        from xiangzhen.evaluation.demo import seed_demo_evaluation

        seed_demo_evaluation()  # after every other demo record: the scores are computed from them
        # The demo's public records are in the log; a signed checkpoint lets visitors verify them at once.
        from xiangzhen.tlog.services import publish_checkpoint

        publish_checkpoint(actor=None)

    def handle(self, *args: Any, **options: Any) -> None:
        from xiangzhen.organizations.demo import seed_demo_organizations

        departments = {}
        for kind, code, name in DEPARTMENTS:
            existing = Department.objects.filter(kind=kind, region_id=code).first()
            departments[name] = existing or accounts.create_department(
                actor=None, kind=kind, region_code=code, name=name
            )
        for username, full_name, role, department, region_code, _ in USERS:
            if not User.objects.filter(username=username).exists():
                accounts.create_user(
                    actor=None,
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    role=role,
                    department=departments.get(department or ""),
                    region_code=region_code,
                )
        admin = User.objects.get(username="admin")
        by_region: dict[str, set[str]] = {}
        for code, kind in DESIGNATIONS:
            by_region.setdefault(code, set()).add(kind)
        for code, kinds in by_region.items():
            region = Region.objects.get(pk=code)
            current = set(Designation.objects.filter(region=region).values_list("kind", flat=True))
            regions.set_designations(actor=admin, region=region, kinds=current | kinds)
        organizations = seed_demo_organizations(actor=admin, password=DEMO_PASSWORD)
        self._seed_libraries(organizations)
        if options["quiet"]:
            return
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, _role, _, _, purpose in USERS:
            self.stdout.write(f"  {username:<14} {full_name:<22} {purpose}")
        for organization, username in organizations:
            self.stdout.write(
                f"  {username:<14} {organization.name}（社会组织管理员，{organization.get_status_display()}）"
            )
        self.stdout.write("\n打开 http://127.0.0.1:8000/ 登录；API 文档：http://127.0.0.1:8000/api/v1/docs\n")
