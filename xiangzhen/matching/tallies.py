"""What matches and their activities contribute to the statistics (`stats.rollups`), each in its
current state, all in the demand's region:

- a match the county confirmed (and not declined or cancelled since), on the confirmation day:
  demands_matched 1, match_wait_days the days from the demand's publication to the confirmation
  (the average wait is their sum ÷ demands_matched), money_committed its committed amount, and
  its organization taking part (org_participation);
- a completed (or evaluated) match, on the completion day: matches_completed 1 (the success rate
  is completed matches ÷ published demands) and its organization taking part;
- an activity of a match, on its date: the people it served (no beneficiary group is recorded
  on a match activity) and its organization taking part.
"""

from decimal import Decimal

from django.db.models import QuerySet

from xiangzhen.demands.tallies import local_date
from xiangzhen.matching.models import Match, MatchActivity
from xiangzhen.stats.rollups import Tally

MATCHED_STATUSES = (
    Match.Status.CONFIRMED,
    Match.Status.IN_PROGRESS,
    Match.Status.COMPLETED,
    Match.Status.EVALUATED,
)
SECONDS_PER_DAY = Decimal(86400)


def match_tallies(match: Match) -> list[Tally]:
    if match.status not in MATCHED_STATUSES or match.confirmed_at is None:
        return []
    demand = match.demand
    region, organization = demand.region_id, str(match.organization_id)
    confirmed_on = local_date(match.confirmed_at)
    tallies = [
        Tally("demands_matched", region, confirmed_on),
        Tally("money_committed", region, confirmed_on, match.committed_amount),
        Tally("org_participation", region, confirmed_on, 1, organization),
    ]
    if demand.published_at is not None:
        seconds = Decimal((match.confirmed_at - demand.published_at).total_seconds())
        tallies.append(
            Tally("match_wait_days", region, confirmed_on, (seconds / SECONDS_PER_DAY).quantize(Decimal("0.01")))
        )
    if match.status in Match.SUCCESS_STATUSES and match.completed_at is not None:
        completed_on = local_date(match.completed_at)
        tallies.append(Tally("matches_completed", region, completed_on))
        tallies.append(Tally("org_participation", region, completed_on, 1, organization))
    return tallies


def activity_tallies(activity: MatchActivity) -> list[Tally]:
    match = activity.match
    region = match.demand.region_id
    tallies = [Tally("org_participation", region, activity.date, 1, str(match.organization_id))]
    if activity.people_served:
        tallies.append(Tally("people_served", region, activity.date, activity.people_served, ""))
    return tallies


MATCH_FIELDS = ("id", "status", "confirmed_at", "completed_at", "committed_amount", "organization")
DEMAND_FIELDS = ("demand__id", "demand__region", "demand__published_at")


def matches_for_recount(matches: "QuerySet[Match]") -> "QuerySet[Match]":
    """Only what `match_tallies` reads, the demand joined in (no query per match)."""
    return matches.select_related("demand").only(*MATCH_FIELDS, *DEMAND_FIELDS)


def activities_for_recount(activities: "QuerySet[MatchActivity]") -> "QuerySet[MatchActivity]":
    return activities.select_related("match__demand").only(
        "id", "date", "people_served", "match__id", "match__organization", "match__demand__id", "match__demand__region"
    )
