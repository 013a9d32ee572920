"""Demo return-to-poverty monitoring through the services: two monitored households in 十八洞村 with
their members, the first granted to the demo organization, which recorded one assistance; and a
relocation site (易地扶贫搬迁安置点) designated in 花垣县 with a follow-up demand the county published.
Called by `manage.py seed_demo`.

All people are fictional: names say 演示, ID numbers have a valid check character but the sequence
code 000 that is never issued (GB 11643), and phones are in the 13800000000 test range.
Idempotent: nothing happens if the first household already exists.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.core.crypto import lookup_hash
from xiangzhen.monitoring import services
from xiangzhen.monitoring.models import MonitoredHousehold
from xiangzhen.monitoring.validation import with_check_digit
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.models import Designation, Region

SHIBADONG = "433124110226"
RELOCATION_SITE = "433124109007"  # 花垣镇 登高楼社区 (demo designation)
FOLLOW_UP_TITLE = "安置点搬迁群众就业技能培训"

HOUSEHOLDS: list[dict[str, Any]] = [
    {
        "head": ("施演示", with_check_digit("43312419750101000")), "category": "unstable",
        "risks": ["illness"], "income": "5800", "phone": "13800000011",
        "members": [
            ("龙演示", with_check_digit("43312419780202000"), "配偶", "慢性病", "初中", "在家务农"),
            ("施小演", with_check_digit("43312420100303000"), "子女", "健康", "小学在读", ""),
        ],
    },
    {
        "head": ("麻演示", with_check_digit("43312419600404000"), ), "category": "marginal",
        "risks": ["unstable_job", "education"], "income": "7200", "phone": "",
        "members": [("麻小演", with_check_digit("43312420050505000"), "子女", "健康", "高中在读", "")],
    },
]  # fmt: skip


def seed_demo_monitoring(*, organization: Organization, org_admin: Any) -> list[MonitoredHousehold]:
    first_key = lookup_hash(HOUSEHOLDS[0]["head"][1])
    if MonitoredHousehold.objects.filter(id_number_key=first_key).exists():
        return list(MonitoredHousehold.objects.filter(village_id=SHIBADONG))
    county = User.objects.get(username="hy_xiangzhen")
    today = timezone.localdate()
    households = []
    for spec in HOUSEHOLDS:
        name, id_number = spec["head"]
        household = services.create_household(
            actor=county,
            data=services.HouseholdData(
                village_code=SHIBADONG, category=spec["category"], head_name=name, head_id_number=id_number,
                income_per_capita=Decimal(spec["income"]), identified_on=today - datetime.timedelta(days=200),
                phone=spec["phone"], risks=spec["risks"],
            ),
        )  # fmt: skip
        for member_name, member_id, relation, health, education, work in spec["members"]:
            services.add_member(
                actor=county, household=household,
                data=services.MemberData(
                    name=member_name, id_number=member_id, relation=relation, health=health, education=education,
                    work=work,
                ),
            )  # fmt: skip
        households.append(household)
    services.grant_access(
        actor=county, household=households[0], organization_id=organization.pk,
        until=today + datetime.timedelta(days=365),
    )  # fmt: skip
    services.record_assistance(
        actor=org_admin, household=households[0], organization_id=organization.pk,
        data=services.AssistanceData(
            kind="job", what="猕猴桃基地季节性务工岗位 1 个", given_on=today - datetime.timedelta(days=30),
            amount=Decimal("0"), note="每月工资约 2400 元",
        ),
    )  # fmt: skip
    seed_demo_relocation_site()
    return households


def seed_demo_relocation_site() -> None:
    """Designate the site (by the province) and publish its follow-up demand (by the county)."""
    from xiangzhen.demands import services as demands
    from xiangzhen.demands.models import Demand
    from xiangzhen.demands.validation import DemandData
    from xiangzhen.regions import services as regions

    site = Region.objects.filter(pk=RELOCATION_SITE).first()
    if site is None:
        return  # the demo regions are not loaded down to communities
    current = set(Designation.objects.filter(region=site).values_list("kind", flat=True))
    if Designation.Kind.RELOCATION_SITE not in current:
        regions.set_designations(
            actor=User.objects.get(username="hn_xiangzhen"), region=site,
            kinds=current | {Designation.Kind.RELOCATION_SITE},
        )  # fmt: skip
    if not Demand.objects.filter(title=FOLLOW_UP_TITLE).exists():
        demands.create_demand(
            actor=User.objects.get(username="hy_xiangzhen"),
            data=DemandData(
                title=FOLLOW_UP_TITLE, region_code=RELOCATION_SITE,
                description="安置点 120 户搬迁群众中有 60 名劳动力希望学习家政、电商客服技能，就近就业。",
                deadline=timezone.localdate() + datetime.timedelta(days=60), contact_name="花垣县乡村振兴局",
                contact_phone="0743-7221000", domains=["employment_skills"], beneficiaries={"relocated_people": 60},
                budget=Decimal("40000"), aid_mode="self_development",
            ),
            publish=True,
        )  # fmt: skip
