"""Every read of matches a user makes, already scoped by `core.scope`, and the figures built on
them: a demand's coverage (partial fulfilment), the offers a demand can order, the county's
duplicate-service check and the match success rate."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import Forbidden, NotFound
from xiangzhen.core.excel import local_minute
from xiangzhen.core.models import Attachment, AuditEntry
from xiangzhen.core.scope import get_in_scope, region_in_scope, restrict, scope_of
from xiangzhen.demands import selectors as demand_selectors
from xiangzhen.demands.models import Demand
from xiangzhen.matching.filters import MatchFilters
from xiangzhen.matching.models import Match, MatchActivity, MatchEvaluation, MatchMilestone
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.offers.models import Offer
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

ZERO = Decimal("0.00")


def _money(value: Decimal | None) -> Decimal:
    """Yuan with two places (SQLite's SUM drops trailing zeros)."""
    return (value or ZERO).quantize(ZERO)


def _base() -> "QuerySet[Match]":
    return Match.objects.select_related("demand", "demand__region", "organization", "offer")


def matches(user: Any, filters: MatchFilters | None = None) -> "QuerySet[Match]":
    """Matches the user may see: of demands in their region subtree, or of their organizations."""
    queryset = restrict(_base(), user)
    return filters.apply(queryset) if filters else queryset


def match_list(user: Any, filters: MatchFilters | None = None) -> "QuerySet[Match]":
    """The scoped list for pages, the API and exports: a fixed number of queries for any page."""
    return matches(user, filters)


def get_match(user: Any, match_id: Any) -> Match:
    """One match the user may see, with its work and evaluations; NotFound when missing or out of scope."""
    queryset = (
        _base()
        .select_related("proposed_by", "accepted_by", "confirmed_by", "closed_by", "demand__entered_by")
        .prefetch_related(
            Prefetch("activities", queryset=MatchActivity.objects.select_related("recorded_by")),
            Prefetch("evaluations", queryset=MatchEvaluation.objects.select_related("evaluated_by")),
            Prefetch("milestones", queryset=MatchMilestone.objects.all()),
        )
    )
    return get_in_scope(queryset, user, pk=match_id)


def get_milestone(match: Match, milestone_id: Any) -> MatchMilestone:
    """A milestone of a match the caller fetched through `get_match`."""
    try:
        return MatchMilestone.objects.select_related("match").get(pk=int(milestone_id), match=match)
    except (MatchMilestone.DoesNotExist, ValueError, TypeError):
        raise NotFound("里程碑不存在") from None


def history(match: Match) -> "QuerySet[AuditEntry]":
    """The audit trail of a match the caller fetched through `get_match`."""
    return AuditEntry.objects.filter(object_type=Match._meta.label_lower, object_id=str(match.pk)).select_related(
        "actor"
    )


def activity_photos(match: Match) -> dict[int, list[Attachment]]:
    """Photos of each activity of the match, in one query."""
    ids = [str(a.pk) for a in match.activities.all()]
    result: dict[int, list[Attachment]] = defaultdict(list)
    label = MatchActivity._meta.label_lower
    for attachment in Attachment.objects.filter(owner_type=label, owner_id__in=ids).order_by("id"):
        result[int(attachment.owner_id)].append(attachment)
    return dict(result)


def activity_attachments(activity: MatchActivity) -> "QuerySet[Attachment]":
    return attachments_of(activity)


# ---------------------------------------------------------------- work totals and coverage


@dataclass
class WorkTotals:
    activities: int
    people_served: int
    amount_spent: Decimal


def work_totals(match: Match) -> WorkTotals:
    """Sums over the (prefetched) activities of a match."""
    items = list(match.activities.all())
    return WorkTotals(
        activities=len(items),
        people_served=sum(a.people_served for a in items),
        amount_spent=sum((a.amount_spent for a in items), ZERO),
    )


@dataclass
class Coverage:
    """What of a demand is covered by its live matches and what remains (partial fulfilment)."""

    budget: Decimal
    covered: Decimal
    remaining: Decimal
    people_needed: int
    people_covered: int
    active_matches: int

    @property
    def percent(self) -> int:
        if self.budget <= 0:
            return 100 if self.active_matches else 0
        return min(100, int(self.covered * 100 / self.budget))


def coverage(demand: Demand) -> Coverage:
    """Covered = committed amount of the demand's live matches; remaining = budget − covered."""
    row = (
        Match.objects.filter(demand_id=demand.pk, status__in=Match.ACTIVE_STATUSES)
        .order_by()
        .aggregate(n=Count("id"), amount=Sum("committed_amount"), people=Sum("people_to_serve"))
    )
    covered = _money(row["amount"])
    people_needed = sum(b.head_count for b in demand.beneficiaries.all())
    return Coverage(
        budget=demand.budget,
        covered=covered,
        remaining=max(demand.budget - covered, ZERO),
        people_needed=people_needed,
        people_covered=row["people"] or 0,
        active_matches=row["n"],
    )


@dataclass
class OfferLoad:
    """How much of an offer's capacity its live matches use."""

    capacity_demands: int
    capacity_amount: Decimal
    taken: int
    committed: Decimal

    @property
    def slots_left(self) -> int:
        return max(self.capacity_demands - self.taken, 0)

    @property
    def amount_left(self) -> Decimal:
        return max(self.capacity_amount - self.committed, ZERO)


def offer_load(offer: Offer) -> OfferLoad:
    row = (
        Match.objects.filter(offer_id=offer.pk, status__in=Match.ACTIVE_STATUSES)
        .order_by()
        .aggregate(n=Count("id"), amount=Sum("committed_amount"))
    )
    return OfferLoad(offer.capacity_demands, offer.capacity_amount, row["n"], _money(row["amount"]))


def _taken_subquery() -> Subquery:
    return Subquery(
        Match.objects.filter(offer_id=OuterRef("pk"), status__in=Match.ACTIVE_STATUSES)
        .order_by()
        .values("offer_id")
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def candidate_offers(demand: Demand, organization: Organization | None = None) -> "QuerySet[Offer]":
    """Published offers that could serve the demand now: their service area covers its place,
    they share a domain, their window is open, their organization is approved and a slot is free.
    (The services check all of it again under a lock; this is the list a person picks from.)"""
    domain_codes = [d.code for d in demand.domains.all()]
    queryset = offer_selectors.public_offers()
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    queryset = offer_selectors.offers_covering(demand.region_id, queryset)
    matching_domains = Offer.objects.filter(pk=OuterRef("pk"), domains__code__in=domain_codes)
    return (
        queryset.filter(
            Exists(matching_domains),
            window_end__gte=timezone.localdate(),
            organization__status=Organization.Status.APPROVED,
        )
        .annotate(taken=Coalesce(_taken_subquery(), 0))
        .filter(taken__lt=F("capacity_demands"))
        .order_by("organization__name", "title")
    )


# ---------------------------------------------------------------- a demand and its matches


@dataclass
class DemandMatches:
    demand: Demand
    coverage: Coverage
    matches: list[Match]
    in_scope: bool


def demand_matches(user: Any, demand_id: Any) -> DemandMatches:
    """A demand as the user may see it (in scope, or public), its coverage, and the matches of it
    the user may see (organizations: their own)."""
    try:
        demand, in_scope = demand_selectors.get_demand(user, demand_id), True
    except NotFound:
        demand, in_scope = demand_selectors.get_public_demand(demand_id), False
    visible = list(matches(user).filter(demand_id=demand.pk).order_by("proposed_at", "id"))
    return DemandMatches(demand, coverage(demand), visible, in_scope)


# ---------------------------------------------------------------- duplicate service


@dataclass
class DuplicateGroup:
    """A village (or township) served by several live matches in the same domain."""

    region: Region
    domain_code: str
    domain_name: str
    matches: list[Match] = field(default_factory=list)

    @property
    def organizations(self) -> int:
        return len({m.organization_id for m in self.matches})

    @property
    def demands(self) -> int:
        return len({m.demand_id for m in self.matches})

    @property
    def committed(self) -> Decimal:
        return sum((m.committed_amount for m in self.matches), ZERO)

    @property
    def people(self) -> int:
        return sum(m.people_to_serve for m in self.matches)

    @property
    def repeated_households(self) -> set[str]:
        """Household keys served by more than one organization in this group (same household, same domain)."""
        organizations_by_household: dict[str, set[int]] = {}
        for m in self.matches:
            if m.demand.household_key:
                organizations_by_household.setdefault(m.demand.household_key, set()).add(m.organization_id)
        return {key for key, orgs in organizations_by_household.items() if len(orgs) > 1}


def _region_or_default(user: Any, region_code: str | None) -> str | None:
    """The asked region if in the user's scope (NotFound otherwise); by default the user's own
    region; None (the whole platform) only for platform admins; Forbidden for organization people."""
    if not region_code:
        scope = scope_of(user)
        if scope.region_code or scope.everything:
            return scope.region_code
        raise Forbidden("只有工作人员和需求填报员可以查看区域统计")
    try:
        code = codes.normalize(region_code)
    except ValueError:
        raise NotFound("区划不存在或无权查看") from None
    if not region_in_scope(user, code):
        raise NotFound("区划不存在或无权查看")
    return code


def duplicates(user: Any, county_code: str | None) -> list[DuplicateGroup]:
    """For a county in the user's scope: places where more than one live match serves the same
    domain — several organizations on one demand (partial fulfilment), or on different demands of
    the same village — so the county can check nothing is done or counted twice."""
    county_code = _region_or_default(user, county_code)
    live = Match.objects.filter(status__in=Match.ACTIVE_STATUSES)
    if county_code:
        live = live.filter(demand__region__code__range=codes.subtree_bounds(county_code))
    keys = (
        live.order_by()
        .values("demand__region_id", "demand__domains__code", "demand__domains__name")
        .annotate(n=Count("id", distinct=True))
        .filter(n__gt=1, demand__domains__code__isnull=False)
    )
    groups: dict[tuple[str, str], DuplicateGroup] = {}
    wanted_regions = set()
    for row in keys:
        key = (row["demand__region_id"], row["demand__domains__code"])
        groups[key] = DuplicateGroup(
            region=Region(code=key[0]), domain_code=key[1], domain_name=row["demand__domains__name"]
        )
        wanted_regions.add(key[0])
    if not groups:
        return []
    regions = {r.code: r for r in Region.objects.filter(code__in=wanted_regions)}
    rows = (
        _base()
        .filter(pk__in=live.filter(demand__region_id__in=wanted_regions).values("pk"))
        .prefetch_related("demand__domains")
        .order_by("demand__region_id", "proposed_at", "id")
    )
    for match in rows:
        for domain in match.demand.domains.all():
            group = groups.get((match.demand.region_id, domain.code))
            if group is not None:
                group.matches.append(match)
    for (region_code, _), group in groups.items():
        group.region = regions.get(region_code, group.region)
    return sorted(groups.values(), key=lambda g: (g.region.code, g.domain_code))


# ---------------------------------------------------------------- success rate


@dataclass
class SuccessRate:
    """对接成功率: completed (or evaluated) matches ÷ demands published, for demands published in
    the period in the region subtree. `demands_completed` counts demands with at least one such
    match, so partial fulfilment by several organizations is visible too."""

    region_code: str
    start: datetime.date | None
    end: datetime.date | None
    published_demands: int
    completed_matches: int
    demands_completed: int
    active_matches: int

    @property
    def rate(self) -> float | None:
        if not self.published_demands:
            return None
        return round(self.completed_matches / self.published_demands, 4)

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def success_rate(
    region_code: str | None, start: datetime.date | None = None, end: datetime.date | None = None
) -> SuccessRate:
    """The figures for a region subtree and a period on the demands' publication time (both ends
    inclusive, Asia/Shanghai days). Aggregates only; callers check the region is in the user's scope."""
    code = codes.normalize(region_code) if region_code else ""
    published = Demand.objects.filter(published_at__isnull=False)
    if code:
        published = published.filter(region__code__range=codes.subtree_bounds(code))
    if start is not None:
        published = published.filter(published_at__gte=_day_start(start))
    if end is not None:
        published = published.filter(published_at__lt=_day_start(end + datetime.timedelta(days=1)))
    # One pass over the matches for all three counts: over a province each pass reads every
    # published demand's matches.
    done = Q(status__in=Match.SUCCESS_STATUSES)
    matches = Match.objects.filter(demand__in=published.values("pk")).aggregate(
        completed_matches=Count("pk", filter=done),
        demands_completed=Count("demand_id", filter=done, distinct=True),
        active_matches=Count("pk", filter=Q(status__in=Match.ACTIVE_STATUSES)),
    )
    return SuccessRate(region_code=code, start=start, end=end, published_demands=published.count(), **matches)


def success_rate_for(
    user: Any, region_code: str | None, start: datetime.date | None = None, end: datetime.date | None = None
) -> SuccessRate:
    """`success_rate` for a region in the user's scope (default: their own); NotFound otherwise."""
    return success_rate(_region_or_default(user, region_code), start, end)


def home_region(user: Any) -> str | None:
    """The region whose figures a staff member or submitter sees by default."""
    return scope_of(user).region_code


# ---------------------------------------------------------------- export


EXPORT_HEADERS = [
    "对接编号", "状态", "对接方式", "需求编号", "需求项目", "所在区划", "社会组织", "供给项目",
    "承诺资金（元）", "承诺物资或服务", "计划服务人数", "发起时间", "确认时间", "完成时间",
]  # fmt: skip


def export_rows(queryset: "QuerySet[Match]") -> list[list[Any]]:
    """Rows for an Excel export of a list the caller already scoped and filtered."""
    rows = []
    for m in queryset:
        rows.append(
            [
                m.number, m.get_status_display(), m.get_origin_display(), m.demand.number, m.demand.title,
                m.demand.region.full_name or m.demand.region.name, m.organization.name,
                m.offer.title if m.offer else "", m.committed_amount, m.committed_in_kind, m.people_to_serve,
                local_minute(m.proposed_at), local_minute(m.confirmed_at), local_minute(m.completed_at),
            ]
        )  # fmt: skip
    return rows
