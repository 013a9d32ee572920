"""Demo special actions through the services: a 湖南省 公益品牌助振兴 campaign and a 花垣县
扶弱济困助振兴 campaign, the demo organization enrolled in both, four activities with beneficiary
groups and volunteer hours, and (via `brands.demo`) a brand, a published case and a commendation.
Called by `manage.py seed_demo`.

Idempotent: nothing happens if the 花垣县 campaign already exists.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.campaigns import services
from xiangzhen.campaigns.models import Campaign
from xiangzhen.campaigns.validation import ActivityData, CampaignData
from xiangzhen.organizations.models import Organization

RELIEF_NAME = "花垣县扶弱济困助振兴专项行动"
BRAND_CAMPAIGN_NAME = "湖南省公益品牌助振兴专项行动"
SHIBADONG = "433124110226"


def seed_demo_campaigns(*, organization: Organization, org_admin: Any) -> list[Campaign]:
    existing = Campaign.objects.filter(name=RELIEF_NAME).first()
    if existing is not None:
        return list(Campaign.objects.filter(name__in=[RELIEF_NAME, BRAND_CAMPAIGN_NAME]))
    from xiangzhen.brands.demo import seed_demo_brand, seed_demo_case_and_commendation

    users = {u.username: u for u in User.objects.filter(username__in=["hn_minzheng", "hy_xiangzhen"])}
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=120), today + datetime.timedelta(days=240)
    relief = services.create_campaign(
        actor=users["hy_xiangzhen"],
        data=CampaignData(
            kind="relief", name=RELIEF_NAME, start_date=start, end_date=end,
            description="动员社会组织走访慰问空巢老人、特困人员、留守儿童等困难群众，开展生活帮扶、心理关爱和助学服务。",
            target_organizations=10, target_activities=40, target_people_served=2000, target_money="200000",
        ),
    )  # fmt: skip
    brand_campaign = services.create_campaign(
        actor=users["hn_minzheng"],
        data=CampaignData(
            kind="brand", name=BRAND_CAMPAIGN_NAME, start_date=start, end_date=end,
            description="培育一批示范性强、可复制推广的社会组织公益品牌项目，服务乡村振兴。",
            target_organizations=100, target_activities=500, target_people_served=50000, target_money="5000000",
        ),
    )  # fmt: skip
    services.publish_campaign(actor=users["hy_xiangzhen"], campaign=relief)
    services.publish_campaign(actor=users["hn_minzheng"], campaign=brand_campaign)
    for campaign in (relief, brand_campaign):
        services.enroll(actor=org_admin, campaign=campaign, organization=organization)
    brand = seed_demo_brand(organization=organization, org_admin=org_admin)
    activities = [
        (relief, ActivityData(
            title="十八洞村空巢老人冬季走访", held_on=today - datetime.timedelta(days=60), region_code=SHIBADONG,
            place="十八洞村梨子寨", description="为空巢老人和特困人员送去棉被、米油，检查用电安全。", money="2400",
            in_kind="棉被 40 床、大米 400 斤", in_kind_value="6800",
            beneficiaries={"empty_nest_elderly": 32, "extreme_poverty": 8},
        ), 3),
        (relief, ActivityData(
            title="留守儿童“周末课堂”", held_on=today - datetime.timedelta(days=30), region_code=SHIBADONG,
            place="十八洞村村小", description="大学生志愿者为留守儿童辅导作业、开展阅读陪伴。", money="800",
            beneficiaries={"left_behind_children": 45, "children_in_difficulty": 6}, brand_id=brand.pk,
        ), 4),
        (brand_campaign, ActivityData(
            title="“苗乡书香”阅读角启用", held_on=today - datetime.timedelta(days=20), region_code=SHIBADONG,
            place="十八洞村党群服务中心", description="捐建阅读角，组织亲子共读。", money="1500",
            in_kind="图书 600 册", in_kind_value="9000", beneficiaries={"left_behind_children": 60},
            brand_id=brand.pk,
        ), 2.5),
        (relief, ActivityData(
            title="低保户就业技能培训", held_on=today - datetime.timedelta(days=7), region_code="433124000000",
            place="花垣县职业教育中心", description="面点制作、家政服务技能培训两期。", money="3600",
            beneficiaries={"dibao_recipients": 25, "monitored_households": 10},
        ), 6),
    ]  # fmt: skip
    for campaign, data, hours in activities:
        activity = services.record_activity(actor=org_admin, campaign=campaign, organization=organization, data=data)
        services.record_participation(
            actor=org_admin, activity=activity, participant=org_admin, hours=str(hours), role="组织协调"
        )
    seed_demo_case_and_commendation(organization=organization, brand=brand, campaign=relief)
    return [relief, brand_campaign]
