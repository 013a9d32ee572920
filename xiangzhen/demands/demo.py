"""Demo demands of 十八洞村 and its neighbours, entered and published through the services.

Called by `manage.py seed_demo`. Idempotent: a demand whose title exists is left as it is.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xiangzhen.demands import services
from xiangzhen.demands.models import Demand
from xiangzhen.demands.validation import DemandData

SHIBADONG = "433124110226"

# (title, description, region, domains, beneficiaries, budget, aid mode, publish?)
DEMO = [
    ("十八洞村留守儿童课后辅导", "村里 32 名留守儿童放学后无人辅导作业，希望每周开展三次课后辅导和阅读陪伴。",
     SHIBADONG, ["education"], {"left_behind_children": 32}, "24000", "relief", True),
    ("十八洞村猕猴桃种植技术培训", "猕猴桃基地缺少技术员，希望组织两期修剪、病虫害防治培训，带动脱贫户增收。",
     SHIBADONG, ["agri_tech", "industry"], {"lifted_out_of_poverty": 45}, "18000", "self_development", True),
    ("十八洞村空巢老人助餐", "为 15 位空巢老人提供每周五天的午餐配送和健康随访。",
     SHIBADONG, ["elderly_care"], {"empty_nest_elderly": 15}, "36000", "relief", True),
    ("苗绣手工技能培训与订单对接", "组织留守妇女学习苗绣技艺，并对接稳定订单，实现居家就业。",
     SHIBADONG, ["employment_skills"], {"left_behind_women": 40}, "30000", "self_development", False),
]  # fmt: skip


def seed_demo_demands(*, submitter: Any, county_official: Any) -> list[Demand]:
    """The submitter proposes each need; the county publishes the ones marked to publish."""
    result = []
    deadline = timezone.localdate() + timedelta(days=90)
    for title, description, region, domains, groups, budget, mode, publish in DEMO:
        demand = Demand.objects.filter(title=title).first()
        if demand is None:
            data = DemandData(
                title=title, description=description, region_code=region, deadline=deadline,
                contact_name="施成", contact_phone="13907431234", domains=domains, beneficiaries=groups,
                budget=Decimal(budget), aid_mode=mode,
            )  # fmt: skip
            demand = services.create_demand(actor=submitter, data=data, submit=True)
            if publish:
                demand = services.publish_demand(actor=county_official, demand=demand)
        result.append(demand)
    return result
