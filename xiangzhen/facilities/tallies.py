"""What rooms and their usage contribute to the statistics (`stats.rollups`), in their current state.

- facilities: one per room, split by status, on its opening date (or the day it was registered),
  in its village; the builder organization took part there (org_participation);
- facility_usage: each usage record its count, split by usage kind, on its date;
- facility_sales: a livestream sales record its amount.
"""

from django.db.models import QuerySet
from django.utils import timezone

from xiangzhen.facilities.models import Facility, FacilityUsage
from xiangzhen.stats.rollups import Tally


def facility_tallies(facility: Facility) -> list[Tally]:
    on = facility.opened_on or timezone.localdate(facility.created_at)
    return [
        Tally("facilities", facility.village_id, on, 1, facility.status),
        Tally("org_participation", facility.village_id, on, 1, str(facility.builder_id)),
    ]


def usage_tallies(usage: FacilityUsage) -> list[Tally]:
    village = usage.facility.village_id
    tallies = [Tally("facility_usage", village, usage.used_on, usage.count, usage.kind)]
    if usage.kind == FacilityUsage.Kind.SALES:
        tallies.append(Tally("facility_sales", village, usage.used_on, usage.amount))
    return tallies


def usages_for_recount(usages: "QuerySet[FacilityUsage]") -> "QuerySet[FacilityUsage]":
    """Only what `usage_tallies` reads, the room's village joined in (no query per usage record)."""
    return usages.select_related("facility").only(
        "id", "used_on", "kind", "count", "amount", "facility__id", "facility__village"
    )
