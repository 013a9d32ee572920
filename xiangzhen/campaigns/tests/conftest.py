from datetime import timedelta

import pytest
from django.utils import timezone

from xiangzhen.campaigns import services
from xiangzhen.campaigns.validation import ActivityData, CampaignData

SHIBADONG = "433124110226"


def campaign_data(**changes) -> CampaignData:
    today = timezone.localdate()
    data = CampaignData(
        kind="relief",
        name="花垣县扶弱济困助振兴专项行动",
        description="组织社会组织走访慰问困难群众。",
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=120),
        target_organizations=5,
        target_activities=10,
        target_people_served=500,
        target_money="20000",
    )
    return data.merged(changes)


def activity_data(**changes) -> ActivityData:
    data = ActivityData(
        title="十八洞村困难老人走访",
        held_on=timezone.localdate() - timedelta(days=3),
        region_code=SHIBADONG,
        description="为空巢老人和特困人员送去冬衣。",
        place="村委会",
        money="1200.00",
        in_kind="棉衣 30 件",
        in_kind_value="1800.00",
        beneficiaries={"empty_nest_elderly": 20, "extreme_poverty": 5},
    )
    return data.merged(changes)


@pytest.fixture
def draft_campaign(county_official):
    return services.create_campaign(actor=county_official, data=campaign_data())


@pytest.fixture
def campaign(draft_campaign, county_official):
    return services.publish_campaign(actor=county_official, campaign=draft_campaign)


@pytest.fixture
def enrolled(campaign, organization, org_admin):
    return services.enroll(actor=org_admin, campaign=campaign, organization=organization)


@pytest.fixture
def activity(enrolled, campaign, organization, org_member):
    return services.record_activity(
        actor=org_member, campaign=campaign, organization=organization, data=activity_data()
    )
