"""The figures of a region's whole subtree for a period: the one interface every report and
dashboard reads. Callers check that the region lies in the user's scope.

Where the numbers come from:
- the additive figures (demands published, matched, completed; money committed, donated,
  disbursed; purchases; people served; activities; volunteer hours; room use) are sums of rollup
  rows (`stats.rollups`, kept by the services) over the subtree's code range and the period's
  months — a few hundred rows for a province, whatever the number of records. When the region is
  below county (rollups keep counties) or the period does not start and end on month boundaries,
  the same tallies are summed from the records themselves (`local_sums`);
- organizations taking part: the distinct organizations of `org_participation` in the subtree and
  period (a match confirmed or completed, a match activity, a pairing started, a campaign activity,
  a disbursement…), joined to Organization for kind and registration level;
- pairings active and rooms built are standing counts: every pairing started by the period's end
  that is active now, every room in use now that opened by the period's end;
- key counties covered: designated counties in the subtree where some organization took part in
  the period; key villages covered: designated villages with a match under way in the period
  (confirmed by its end, not completed before its start) — both computed, not rolled up.

Definitions (periods are Asia/Shanghai days, both ends inclusive): published counts demands by
publication day; matched counts county confirmations (a demand served by two organizations counts
twice), average days to match is over those confirmations; completed demands by the day their last
match completed; success rate = completed matches ÷ published demands of the period.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, CharField, Count, Exists, OuterRef, Q, Sum, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast
from django.utils import timezone

from xiangzhen.demands.priority import KEY_COUNTY_KINDS
from xiangzhen.matching.models import Match
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Designation
from xiangzhen.stats import rollups
from xiangzhen.stats.metrics import METRICS
from xiangzhen.stats.models import Rollup

ZERO = Decimal("0.00")
KEY_VILLAGE_KINDS = (Designation.Kind.POVERTY_EXITED_VILLAGE, Designation.Kind.KEY_ASSISTED_VILLAGE)
# A match "happened" once the county confirmed it; declined and cancelled ones did not.
MATCHED_STATUSES = (
    Match.Status.CONFIRMED,
    Match.Status.IN_PROGRESS,
    Match.Status.COMPLETED,
    Match.Status.EVALUATED,
)
# Standing counts: which dimension values of a metric count as "active" / "built".
ACTIVE_PAIRING_STATUSES = ("active", "under_review")
BUILT_FACILITY_STATUSES = ("in_use",)
# Every summed metric (all but the distinct count): named, so the query can use the metric index.
SUMMED = sorted(name for name in METRICS if name != "org_participation")
# Figures also kept split by their dimension.
SPLIT = {
    "people_served": "people_served_by_group",
    "activities": "activities_by_campaign_kind",
    "money_disbursed": "money_disbursed_by_target",
    "purchases": "purchases_by_channel",
}


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
    money_donated: Decimal = ZERO
    money_disbursed: Decimal = ZERO
    money_disbursed_by_target: dict[str, str] = field(default_factory=dict)
    purchases: Decimal = ZERO
    purchase_count: int = 0
    purchases_by_channel: dict[str, str] = field(default_factory=dict)
    people_served: int = 0
    people_served_by_group: dict[str, int] = field(default_factory=dict)
    activities: int = 0
    activities_by_campaign_kind: dict[str, int] = field(default_factory=dict)
    volunteer_hours: Decimal = ZERO
    pairings_started: int = 0
    pairings_active: int = 0
    facilities_built: int = 0
    facility_usage: int = 0
    facility_sales: Decimal = ZERO

    def as_json(self) -> dict[str, Any]:
        """JSON-safe (money, rates and dates as strings), for freezing into a report and the log."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, (Decimal, datetime.date)):
                data[key] = str(value)
        return data


NATIONAL = ("000000000000", "999999999999")


def bounds(code: str) -> tuple[str, str]:
    """The code range of `code`'s subtree; the whole country for ""."""
    return codes.subtree_bounds(code) if code else NATIONAL


def month_aligned(start: datetime.date, end: datetime.date) -> bool:
    return start.day == 1 and (end + datetime.timedelta(days=1)).day == 1


def uses_rollups(code: str, start: datetime.date, end: datetime.date) -> bool:
    """Whether the additive figures can come from the rollup rows (county or above, whole months)."""
    return (code == "" or rollups.rollup_region(code) == code) and month_aligned(start, end)


# ---------------------------------------------------------------- sums


Sums = dict[tuple[str, str], Decimal]  # (metric, dimension) → value


def rollup_sums(code: str, start: datetime.date, end: datetime.date) -> Sums:
    """The period's sums per metric and dimension from the rollup rows: one query."""
    rows = (
        Rollup.objects.filter(
            metric__in=SUMMED, region_code__range=bounds(code), month__gte=start.replace(day=1), month__lte=end
        )
        .order_by()
        .values_list("metric", "dimension")
        .annotate(total=Sum("value"))
    )
    return {(metric, dimension): total for metric, dimension, total in rows}


def standing_sums(code: str, end: datetime.date) -> Sums:
    """Pairings and rooms by status, over every month up to the period's end: one query."""
    rows = (
        Rollup.objects.filter(region_code__range=bounds(code), metric__in=("pairings", "facilities"), month__lte=end)
        .order_by()
        .values_list("metric", "dimension")
        .annotate(total=Sum("value"))
    )
    return {(metric, dimension): total for metric, dimension, total in rows}


def local_tallies(code: str, until: datetime.date) -> Iterable[rollups.Tally]:
    """Every registered record's tallies that fall in `code`'s subtree up to `until`, from the
    records themselves (for regions below county and odd periods; subtrees there are small)."""
    lo, hi = bounds(code)
    for model, tallies in rollups.registered().items():
        for instance in rollups.records(model, bounds(rollups.rollup_region(code) if code else "")):
            for tally in tallies(instance):
                if lo <= tally.region_code <= hi and tally.on <= until:
                    yield tally


def local_sums(code: str, start: datetime.date, end: datetime.date) -> tuple[Sums, Sums, set[tuple[str, str]]]:
    """(period sums, standing sums up to the end, (county, organization id) taking part) from the records."""
    period: defaultdict[tuple[str, str], Decimal] = defaultdict(Decimal)
    standing: defaultdict[tuple[str, str], Decimal] = defaultdict(Decimal)
    organizations: set[tuple[str, str]] = set()
    for tally in local_tallies(code, end):
        key = (tally.metric, tally.dimension)
        if tally.metric in ("pairings", "facilities"):
            standing[key] += Decimal(tally.value)
        if tally.on < start:
            continue
        if tally.metric == "org_participation":
            organizations.add((rollups.rollup_region(tally.region_code), tally.dimension))
        else:
            period[key] += Decimal(tally.value)
    return dict(period), dict(standing), organizations


# ---------------------------------------------------------------- organizations and coverage


def _level_of_region() -> CaseWhen:
    """The registration level from the organization's region code, in SQL (trailing zeros tell it)."""
    return CaseWhen(
        When(region__code__endswith="0" * 10, then=Value(codes.Level.PROVINCE.value)),
        When(region__code__endswith="0" * 8, then=Value(codes.Level.CITY.value)),
        When(region__code__endswith="0" * 6, then=Value(codes.Level.COUNTY.value)),
        When(region__code__endswith="000", then=Value(codes.Level.TOWNSHIP.value)),
        default=Value(codes.Level.VILLAGE.value),
        output_field=CharField(),
    )


def _participation(code: str, start: datetime.date, end: datetime.date) -> "Any":
    return Rollup.objects.filter(
        metric="org_participation",
        region_code__range=bounds(code),
        month__gte=start.replace(day=1),
        month__lte=end,
    )


def organization_counts(organizations: "Any") -> tuple[dict[str, int], dict[str, int]]:
    """Organizations (a queryset) by kind and by registration level: one query."""
    rows = (
        organizations.annotate(level=_level_of_region()).order_by().values_list("kind", "level").annotate(n=Count("pk"))
    )
    by_kind: dict[str, int] = {}
    by_level: dict[str, int] = {}
    for kind, level, n in rows:
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_level[level] = by_level.get(level, 0) + n
    return dict(sorted(by_kind.items())), dict(sorted(by_level.items()))


def _key_counties(
    code: str, start: datetime.date, end: datetime.date, local: set[tuple[str, str]] | None
) -> tuple[int, int]:
    designated = Designation.objects.filter(region__code__range=bounds(code), kind__in=KEY_COUNTY_KINDS)
    if local is not None:  # from the records: the counties where somebody took part
        counties = set(designated.values_list("region_id", flat=True))
        return len(counties), len(counties & {county for county, _ in local})
    took_part = _participation(code, start, end).filter(region_code=OuterRef("region_id"))
    row = designated.aggregate(
        total=Count("region_id", distinct=True), covered=Count("region_id", distinct=True, filter=Q(Exists(took_part)))
    )
    return row["total"] or 0, row["covered"] or 0


def _key_villages(code: str, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    stop = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    working = Match.objects.filter(
        status__in=MATCHED_STATUSES, confirmed_at__lt=stop, demand__region_id=OuterRef("region_id")
    ).exclude(completed_at__lt=begin)
    row = Designation.objects.filter(region__code__range=bounds(code), kind__in=KEY_VILLAGE_KINDS).aggregate(
        total=Count("region_id", distinct=True), covered=Count("region_id", distinct=True, filter=Q(Exists(working)))
    )
    return row["total"] or 0, row["covered"] or 0


# ---------------------------------------------------------------- the figures


def _int(value: Decimal | None) -> int:
    return int(value or 0)


def _money(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(ZERO)


def figures(region_code: str, start: datetime.date, end: datetime.date) -> Figures:
    """The figures for `region_code`'s subtree ("" for the whole country) over [start, end]; a
    bounded number of queries at county level and above over whole months."""
    code = codes.normalize(region_code) if region_code else ""
    local_organizations: set[tuple[str, str]] | None = None
    if uses_rollups(code, start, end):
        period, standing = rollup_sums(code, start, end), standing_sums(code, end)
        ids = _participation(code, start, end).annotate(org=Cast("dimension", BigIntegerField())).values("org")
        by_kind, by_level = organization_counts(Organization.objects.filter(pk__in=ids))
    else:
        period, standing, local_organizations = local_sums(code, start, end)
        by_kind, by_level = organization_counts(
            Organization.objects.filter(pk__in=sorted({int(i) for _, i in local_organizations}))
        )

    totals: dict[str, Decimal] = defaultdict(Decimal)
    split: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for (metric, dimension), value in period.items():
        totals[metric] += value
        if metric in SPLIT:
            split[metric][dimension] = split[metric].get(dimension, Decimal(0)) + value

    published = _int(totals["demands_published"])
    matched = _int(totals["demands_matched"])
    completed_matches = _int(totals["matches_completed"])
    rate = None
    if published:
        rate = (Decimal(completed_matches) / published).quantize(Decimal("0.0001"))
    average_days = None
    if matched:
        average_days = (totals["match_wait_days"] / matched).quantize(Decimal("0.1"))

    key_counties, key_counties_covered = _key_counties(code, start, end, local_organizations)
    key_villages, key_villages_covered = _key_villages(code, start, end)

    def by(metric: str, money: bool = False) -> dict[str, Any]:
        values = split.get(metric, {})
        return {k: (str(_money(v)) if money else int(v)) for k, v in sorted(values.items()) if v}

    return Figures(
        region_code=code,
        start=start,
        end=end,
        demands_published=published,
        demands_matched=matched,
        demands_completed=_int(totals["demands_completed"]),
        completed_matches=completed_matches,
        success_rate=rate,
        average_days_to_match=average_days,
        organizations=sum(by_kind.values()),
        organizations_by_kind=by_kind,
        organizations_by_level=by_level,
        key_counties=key_counties,
        key_counties_covered=key_counties_covered,
        key_villages=key_villages,
        key_villages_covered=key_villages_covered,
        money_committed=_money(totals["money_committed"]),
        money_donated=_money(totals["money_donated"]),
        money_disbursed=_money(totals["money_disbursed"]),
        money_disbursed_by_target=by("money_disbursed", money=True),
        purchases=_money(totals["purchases"]),
        purchase_count=_int(totals["purchase_count"]),
        purchases_by_channel=by("purchases", money=True),
        people_served=_int(totals["people_served"]),
        people_served_by_group=by("people_served"),
        activities=_int(totals["activities"]),
        activities_by_campaign_kind=by("activities"),
        volunteer_hours=Decimal(totals["volunteer_hours"]).quantize(Decimal("0.1")),
        pairings_started=_int(totals["pairings"]),
        pairings_active=sum(_int(standing.get(("pairings", s))) for s in ACTIVE_PAIRING_STATUSES),
        facilities_built=sum(_int(standing.get(("facilities", s))) for s in BUILT_FACILITY_STATUSES),
        facility_usage=_int(totals["facility_usage"]),
        facility_sales=_money(totals["facility_sales"]),
    )
