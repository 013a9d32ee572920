"""What one activity contributes to the statistics in its current state.

All on the activity's date and in the activity's region: one activity (dimension: the campaign's
kind), the people served per beneficiary group (one tally per ActivityBeneficiary; an activity
without groups counts its typed head count under no group), the volunteer hours of its
participations, and the organization taking part.
"""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from xiangzhen.campaigns.models import Activity, ActivityBeneficiary, Participation
from xiangzhen.stats.rollups import Tally


def activity_tallies(activity: Activity) -> list[Tally]:
    region, on = activity.region_id, activity.held_on
    kind = activity.campaign.kind
    tallies = [
        Tally("activities", region, on, 1, kind),
        Tally("org_participation", region, on, 1, str(activity.organization_id)),
    ]
    # Read with the activity when it came from `for_recount`; a service's activity reads them now.
    beneficiaries = getattr(activity, "counted_beneficiaries", None)
    if beneficiaries is None:
        beneficiaries = list(activity.beneficiaries.select_related("group"))
    for beneficiary in beneficiaries:
        tallies.append(Tally("people_served", region, on, beneficiary.count, beneficiary.group.code))
    if not beneficiaries and activity.people_served:
        tallies.append(Tally("people_served", region, on, activity.people_served, ""))
    participations = getattr(activity, "counted_participations", None)
    if participations is None:
        participations = activity.participations.only("hours")
    hours = sum((participation.hours for participation in participations), Decimal(0))
    if hours:
        tallies.append(Tally("volunteer_hours", region, on, hours))
    return tallies


def for_recount(activities: "QuerySet[Activity]") -> "QuerySet[Activity]":
    """Activities with what `activity_tallies` reads: the campaign joined, the beneficiary groups
    and the participations' hours prefetched (two queries per chunk, none per activity)."""
    return activities.select_related("campaign").prefetch_related(
        Prefetch(
            "beneficiaries",
            queryset=ActivityBeneficiary.objects.select_related("group"),
            to_attr="counted_beneficiaries",
        ),
        Prefetch(
            "participations",
            queryset=Participation.objects.only("id", "activity", "hours"),
            to_attr="counted_participations",
        ),
    )
