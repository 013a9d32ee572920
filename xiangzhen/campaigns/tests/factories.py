"""Campaign records for other apps' tests (the authorization matrix)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xiangzhen.accounts.tests.factories import staff
from xiangzhen.campaigns import services
from xiangzhen.campaigns.validation import ActivityData, CampaignData


def matrix_world(organization: Any, org_admin: Any) -> dict[str, Any]:
    """A published 扶弱济困 campaign of 花垣县 with the organization enrolled, one activity at
    十八洞村 (two beneficiary groups) and org_admin's participation in it."""
    organizer = staff("rural_revitalization", "433124000000", username="hy_xc_campaigns")
    today = timezone.localdate()
    campaign = services.create_campaign(
        actor=organizer,
        data=CampaignData(
            kind="relief", name="矩阵扶弱济困行动", description="矩阵", start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=30), target_activities=4,
        ),
    )  # fmt: skip
    services.publish_campaign(actor=organizer, campaign=campaign)
    services.enroll(actor=org_admin, campaign=campaign, organization=organization)
    activity = services.record_activity(
        actor=org_admin, campaign=campaign, organization=organization,
        data=ActivityData(
            title="矩阵走访", held_on=today, region_code="433124110226", description="矩阵",
            beneficiaries={"empty_nest_elderly": 3, "extreme_poverty": 1},
        ),
    )  # fmt: skip
    participation = services.record_participation(actor=org_admin, activity=activity, participant=org_admin, hours="2")
    return {"campaign_id": campaign.pk, "activity_id": activity.pk, "participation_id": participation.pk}


def activity_body(world: dict[str, Any]) -> dict[str, Any]:
    """The body of POST /api/v1/campaigns/{campaign_id}/activities in the matrix."""
    return {
        "organization_id": world["organization_id"],
        "title": "矩阵活动二",
        "held_on": str(timezone.localdate()),
        "region_code": "433124110226",
        "description": "矩阵",
        "beneficiaries": {"dibao_recipients": 2},
    }
