"""What one activity contributes to the statistics in its current state.

All on the activity's date and in the activity's region: one activity (dimension: the campaign's
kind), the people served per beneficiary group (one tally per ActivityBeneficiary; an activity
without groups counts its typed head count under no group), the volunteer hours of its
participations, and the organization taking part.
"""

from decimal import Decimal

from django.db.models import Sum

from xiangzhen.campaigns.models import Activity
from xiangzhen.stats.rollups import Tally


def activity_tallies(activity: Activity) -> list[Tally]:
    region, on = activity.region_id, activity.held_on
    kind = activity.campaign.kind
    tallies = [
        Tally("activities", region, on, 1, kind),
        Tally("org_participation", region, on, 1, str(activity.organization_id)),
    ]
    beneficiaries = list(activity.beneficiaries.select_related("group").order_by("group__code"))
    for beneficiary in beneficiaries:
        tallies.append(Tally("people_served", region, on, beneficiary.count, beneficiary.group.code))
    if not beneficiaries and activity.people_served:
        tallies.append(Tally("people_served", region, on, activity.people_served, ""))
    hours = activity.participations.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if hours:
        tallies.append(Tally("volunteer_hours", region, on, hours))
    return tallies
