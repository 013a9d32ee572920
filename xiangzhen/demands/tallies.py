"""What one demand contributes to the statistics (`stats.rollups`) in its current state.

- demands_published: 1 on the day it was published (Asia/Shanghai), in its region; a demand
  withdrawn or expired later still was published then (as `matching.selectors.success_rate` counts);
- demands_completed: 1 once it is completed (or evaluated), on the day its last match was completed.
"""

import datetime

from django.db.models import Max, QuerySet
from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.stats.rollups import Tally

COMPLETED_STATUSES = (Demand.Status.COMPLETED, Demand.Status.EVALUATED)


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def demand_tallies(demand: Demand) -> list[Tally]:
    tallies = []
    if demand.published_at is not None:
        tallies.append(Tally("demands_published", demand.region_id, local_date(demand.published_at)))
    if demand.status in COMPLETED_STATUSES:
        if hasattr(demand, "last_completed_at"):  # read with the demand by `for_recount`
            last = demand.last_completed_at
        else:
            last = demand.matches.filter(completed_at__isnull=False).aggregate(last=Max("completed_at"))["last"]
        if last is not None:
            tallies.append(Tally("demands_completed", demand.region_id, local_date(last)))
    return tallies


def for_recount(demands: "QuerySet[Demand]") -> "QuerySet[Demand]":
    """Only what `demand_tallies` reads (no personal fields to decrypt), the last completion of a
    match joined in (no query per completed demand)."""
    return demands.only("id", "region", "published_at", "status").annotate(
        last_completed_at=Max("matches__completed_at")
    )
