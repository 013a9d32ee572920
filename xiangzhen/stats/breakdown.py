"""A region's figures split by its child regions and by month, for the dashboards' tables, charts
and map. County level and above: grouped sums over the rollup rows (one query per split, whatever
the size of the subtree); below county, the same tallies summed from the records of the county.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.stats import rollups
from xiangzhen.stats.figures import SUMMED, bounds, local_tallies
from xiangzhen.stats.models import Rollup

# How many leading digits name a child region, by the parent's level ("" = the country).
CHILD_PREFIX = {"": 2, "province": 4, "city": 6, "county": 9, "township": 12}


@dataclass
class ChildFigures:
    code: str
    name: str
    sums: dict[str, Decimal] = field(default_factory=dict)  # metric → value in the period
    organizations: int = 0

    def value(self, metric: str) -> Decimal:
        return self.sums.get(metric, Decimal(0))

    @property
    def success_rate(self) -> Decimal | None:
        published = self.value("demands_published")
        if not published:
            return None
        return (self.value("matches_completed") / published * 100).quantize(Decimal("0.1"))

    @property
    def average_days_to_match(self) -> Decimal | None:
        matched = self.value("demands_matched")
        if not matched:
            return None
        return (self.value("match_wait_days") / matched).quantize(Decimal("0.1"))


def level_key(code: str) -> str:
    return codes.level_of(code).value if code else ""


def children(code: str) -> list[Region]:
    if not code:
        return list(Region.objects.filter(level=codes.Level.PROVINCE).order_by("code"))
    return list(Region.objects.filter(parent_id=code).order_by("code"))


def by_child(code: str, start: datetime.date, end: datetime.date) -> list[ChildFigures]:
    """The period's sums and distinct organizations for each child region of `code`."""
    level = level_key(code)
    if level == codes.Level.VILLAGE:
        return []
    n = CHILD_PREFIX[level]
    rows = {region.code[:n]: ChildFigures(region.code, region.name) for region in children(code)}
    if level in ("", codes.Level.PROVINCE, codes.Level.CITY):
        in_range = Rollup.objects.filter(
            region_code__range=bounds(code), month__gte=start.replace(day=1), month__lte=end
        )
        sums = (
            in_range.filter(metric__in=SUMMED)
            .annotate(child=Substr("region_code", 1, n))
            .order_by()
            .values_list("child", "metric")
            .annotate(total=Sum("value"))
        )
        for child, metric, total in sums:
            if child in rows:
                rows[child].sums[metric] = total
        organizations = (
            in_range.filter(metric="org_participation")
            .annotate(child=Substr("region_code", 1, n))
            .order_by()
            .values_list("child")
            .annotate(n=Count("dimension", distinct=True))
        )
        for child, count in organizations:
            if child in rows:
                rows[child].organizations = count
    else:
        distinct: defaultdict[str, set[str]] = defaultdict(set)
        for tally in local_tallies(code, end):
            child = tally.region_code[:n]
            if tally.on < start or child not in rows or tally.metric in ("pairings", "facilities"):
                continue
            if tally.metric == "org_participation":
                distinct[child].add(tally.dimension)
            else:
                figures = rows[child].sums
                figures[tally.metric] = figures.get(tally.metric, Decimal(0)) + Decimal(tally.value)
        for child, ids in distinct.items():
            rows[child].organizations = len(ids)
    return list(rows.values())


def by_month(code: str, months: list[datetime.date], metrics: list[str]) -> dict[str, list[Decimal]]:
    """metric → one value per month of `months` (first days), for the trend chart."""
    values: dict[str, list[Decimal]] = {metric: [Decimal(0)] * len(months) for metric in metrics}
    position = {month: i for i, month in enumerate(months)}
    if not code or rollups.rollup_region(code) == code:
        rows = (
            Rollup.objects.filter(
                region_code__range=bounds(code), metric__in=metrics, month__gte=months[0], month__lte=months[-1]
            )
            .order_by()
            .values_list("metric", "month")
            .annotate(total=Sum("value"))
        )
        for metric, month, total in rows:
            values[metric][position[month]] += total
        return values
    last = months[-1]
    end = datetime.date(last.year + (last.month == 12), last.month % 12 + 1, 1) - datetime.timedelta(days=1)
    for tally in local_tallies(code, end):
        month = tally.on.replace(day=1)
        if tally.metric in values and month in position:
            values[tally.metric][position[month]] += Decimal(tally.value)
    return values
