"""The figures of a region's whole subtree for a period, computed from the records as they are now.

This is the one interface every report and dashboard reads; rollups kept current by the services
will later sit behind it without changing its callers. Each figure is one plain aggregate over a
code range (a region's subtree is a contiguous range of 12-digit codes), so the number of queries
does not grow with the data. Callers check that the region lies in the user's scope.

Definitions (periods are Asia/Shanghai days, both ends inclusive):
- published / completed / success rate: demands published in the period, as the matching app
  counts them (`matching.selectors.success_rate`: completed matches ÷ published demands);
- matched: of those demands, the ones with a match the county confirmed (not cancelled since);
- days to match: average from a demand's publication to its first such confirmation;
- organizations, key-county and key-village coverage: matches on demands in the subtree that were
  confirmed by the period's end and not completed before its start (work under way in the period);
- money committed: the committed amounts of matches confirmed in the period, not cancelled.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.demands.priority import KEY_COUNTY_KINDS
from xiangzhen.matching.models import Match
from xiangzhen.matching.selectors import success_rate
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Designation

ZERO = Decimal("0.00")
KEY_VILLAGE_KINDS = (Designation.Kind.POVERTY_EXITED_VILLAGE, Designation.Kind.KEY_ASSISTED_VILLAGE)
# A match "happened" once the county confirmed it; declined and cancelled ones did not.
MATCHED_STATUSES = (
    Match.Status.CONFIRMED,
    Match.Status.IN_PROGRESS,
    Match.Status.COMPLETED,
    Match.Status.EVALUATED,
)
SECONDS_PER_DAY = Decimal(86400)


@dataclass(frozen=True)
class Figures:
    region_code: str
    start: datetime.date
    end: datetime.date
    demands_published: int
    demands_matched: int
    demands_completed: int
    completed_matches: int
    success_rate: Decimal | None  # 0.0000–1.0000 (can exceed 1 when several organizations complete one demand)
    average_days_to_match: Decimal | None
    organizations: int
    organizations_by_kind: dict[str, int] = field(default_factory=dict)
    organizations_by_level: dict[str, int] = field(default_factory=dict)
    key_counties: int = 0
    key_counties_covered: int = 0
    key_villages: int = 0
    key_villages_covered: int = 0
    money_committed: Decimal = ZERO

    def as_json(self) -> dict[str, Any]:
        """JSON-safe (money, rates and dates as strings), for freezing into a report and the log."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, (Decimal, datetime.date)):
                data[key] = str(value)
        return data


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _level_of_region() -> Case:
    """The registration level from the organization's region code, in SQL (trailing zeros tell it)."""
    return Case(
        When(region__code__endswith="0" * 10, then=Value(codes.Level.PROVINCE.value)),
        When(region__code__endswith="0" * 8, then=Value(codes.Level.CITY.value)),
        When(region__code__endswith="0" * 6, then=Value(codes.Level.COUNTY.value)),
        When(region__code__endswith="000", then=Value(codes.Level.TOWNSHIP.value)),
        default=Value(codes.Level.VILLAGE.value),
        output_field=CharField(),
    )


def _coverage(designations: "QuerySet[Designation]", working: "QuerySet[Match]", *, subtree: bool) -> tuple[int, int]:
    """(designated regions, those with work under way): one query. For counties the work may be
    anywhere in the county's subtree: a code range from the county's code to its 6-digit prefix + 9s."""
    if subtree:
        upper = Concat(Substr(OuterRef("region_id"), 1, 6), Value("999999"), output_field=CharField())
        near = working.filter(demand__region__code__gte=OuterRef("region_id"), demand__region__code__lte=upper)
    else:
        near = working.filter(demand__region__code=OuterRef("region_id"))
    row = designations.aggregate(
        total=Count("region_id", distinct=True), covered=Count("region_id", distinct=True, filter=Exists(near))
    )
    return row["total"] or 0, row["covered"] or 0


def figures(region_code: str, start: datetime.date, end: datetime.date) -> Figures:
    """The figures for `region_code`'s subtree over [start, end]; a bounded number of queries."""
    code = codes.normalize(region_code)
    bounds = codes.subtree_bounds(code)
    begin, stop = _day_start(start), _day_start(end + datetime.timedelta(days=1))
    rate = success_rate(code, start, end)

    published = Demand.objects.filter(region__code__range=bounds, published_at__gte=begin, published_at__lt=stop)
    first_confirmed = (
        Match.objects.filter(demand=OuterRef("pk"), status__in=MATCHED_STATUSES, confirmed_at__isnull=False)
        .order_by()
        .values("demand")
        .annotate(first=Min("confirmed_at"))
        .values("first")
    )
    matched = published.annotate(first=Subquery(first_confirmed)).filter(first__isnull=False)
    waits = matched.annotate(
        wait=ExpressionWrapper(F("first") - F("published_at"), output_field=DurationField())
    ).aggregate(n=Count("pk"), average=Avg("wait"))
    average_days = None
    if waits["average"] is not None:
        average_days = (Decimal(waits["average"].total_seconds()) / SECONDS_PER_DAY).quantize(Decimal("0.1"))

    in_subtree = Match.objects.filter(demand__region__code__range=bounds)
    working = in_subtree.filter(status__in=MATCHED_STATUSES, confirmed_at__lt=stop).exclude(completed_at__lt=begin)
    organizations = (
        Organization.objects.filter(Exists(working.filter(organization=OuterRef("pk"))))
        .annotate(level=_level_of_region())
        .order_by()
        .values_list("kind", "level")
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, int] = {}
    by_level: dict[str, int] = {}
    for kind, level, n in organizations:
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_level[level] = by_level.get(level, 0) + n

    designated = Designation.objects.filter(region__code__range=bounds)
    key_counties, key_counties_covered = _coverage(designated.filter(kind__in=KEY_COUNTY_KINDS), working, subtree=True)
    key_villages, key_villages_covered = _coverage(
        designated.filter(kind__in=KEY_VILLAGE_KINDS), working, subtree=False
    )
    money = in_subtree.filter(status__in=MATCHED_STATUSES, confirmed_at__gte=begin, confirmed_at__lt=stop).aggregate(
        total=Sum("committed_amount")
    )["total"]

    return Figures(
        region_code=code,
        start=start,
        end=end,
        demands_published=rate.published_demands,
        demands_matched=waits["n"],
        demands_completed=rate.demands_completed,
        completed_matches=rate.completed_matches,
        success_rate=None if rate.rate is None else Decimal(str(rate.rate)).quantize(Decimal("0.0001")),
        average_days_to_match=average_days,
        organizations=sum(by_kind.values()),
        organizations_by_kind=dict(sorted(by_kind.items())),
        organizations_by_level=dict(sorted(by_level.items())),
        key_counties=key_counties,
        key_counties_covered=key_counties_covered,
        key_villages=key_villages,
        key_villages_covered=key_villages_covered,
        money_committed=(money or ZERO).quantize(ZERO),
    )
