"""Reads of the recommendations app: top-k offers for a demand, top-k demands for an offer or an
organization, each explained; the records a user may ask about (out of scope → NotFound); weights."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xiangzhen.core.errors import NotFound
from xiangzhen.core.scope import scope_of
from xiangzhen.demands import selectors as demand_selectors
from xiangzhen.demands.models import Demand
from xiangzhen.matching.models import Match
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.offers.models import Offer
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.organizations.models import Organization
from xiangzhen.recommendations import scoring
from xiangzhen.recommendations.models import FEATURES, MatchingWeights
from xiangzhen.recommendations.scoring import Scored, Weights
from xiangzhen.regions.codes import subtree_bounds
from xiangzhen.regions.models import Region

# A nationwide offer could reach every published demand of its domains; the oldest this many are
# scored (the wait tilt favours them anyway).
MAX_DEMAND_CANDIDATES = 5000


@dataclass
class OfferRecommendation:
    scored: Scored
    offer: Offer


@dataclass
class RecordOrganization:
    """An organization with no fitting offer that completed matches in the demand's domain and county."""

    organization: Organization
    completed: int


@dataclass
class DemandRecommendations:
    demand: Demand
    offers: list[OfferRecommendation]
    organizations: list[RecordOrganization]


@dataclass
class DemandRecommendation:
    scored: Scored
    demand: Demand
    offer: Offer


# ---------------------------------------------------------------- the records a user may ask about


def visible_demand(user: Any, demand_id: Any) -> Demand:
    """A demand in the user's scope, or a public one; NotFound otherwise (like missing)."""
    try:
        return demand_selectors.get_demand(user, demand_id)
    except NotFound:
        return demand_selectors.get_public_demand(demand_id)


def visible_offer(user: Any, offer_id: Any) -> Offer:
    return offer_selectors.get_visible_offer(user, offer_id)[0]


def visible_organization(user: Any, organization_id: Any) -> Organization:
    return organization_selectors.get_organization(user, organization_id)


# ---------------------------------------------------------------- for a demand


def _record_organizations(demand: Demand, exclude: "QuerySet[Any]", k: int) -> list[RecordOrganization]:
    county = demand.region_id[:6].ljust(12, "0")
    domain_ids = [d.pk for d in demand.domains.all()]
    # The county's demands in these domains first, as a list (hundreds at most): joined in one
    # statement, PostgreSQL misjudged the county's share at national size and scanned every match.
    county_demands = list(
        Demand.objects.filter(region__code__range=subtree_bounds(county), domains__in=domain_ids)
        .values_list("pk", flat=True)
        .distinct()
    )
    rows = (
        Match.objects.filter(
            status__in=Match.SUCCESS_STATUSES,
            demand_id__in=county_demands,
            organization__status=Organization.Status.APPROVED,
        )
        .exclude(organization_id__in=exclude)
        .exclude(
            organization_id__in=Match.objects.filter(demand=demand, status__in=Match.ACTIVE_STATUSES).values(
                "organization_id"
            )
        )
        .order_by()
        .values("organization_id")
        .annotate(n=Count("demand_id", distinct=True))
        .order_by("-n", "organization_id")[:k]
    )
    counts = {row["organization_id"]: row["n"] for row in rows}
    organizations = Organization.objects.in_bulk(list(counts))
    return [RecordOrganization(organizations[pk], n) for pk, n in counts.items()]


def for_demand(demand: Demand, k: int = 10, *, weights: Weights | None = None) -> DemandRecommendations:
    """The k best offers for a demand, explained, and organizations with a record but no fitting offer."""
    ranked = scoring.top_offers(demand, k, weights=weights)
    offers = Offer.objects.select_related("organization").in_bulk([s.offer_id for s in ranked])
    fitting = scoring.candidate_offers(demand).values("organization_id")
    return DemandRecommendations(
        demand,
        [OfferRecommendation(s, offers[s.offer_id]) for s in ranked],
        _record_organizations(demand, fitting, k),
    )


# ---------------------------------------------------------------- for an offer or an organization


def candidate_demands(offer: Offer) -> "QuerySet[Demand]":
    """Published demands, still collecting, in the offer's service area, sharing a domain, that its
    organization does not serve yet (the window and capacity are judged by the scoring)."""
    queryset = Demand.objects.filter(
        status=Demand.Status.PUBLISHED,
        deadline__gte=timezone.localdate(),
        pk__in=Demand.domains.through.objects.filter(
            domain_id__in=Offer.domains.through.objects.filter(offer_id=offer.pk).values("domain_id")
        ).values("demand_id"),
    ).exclude(
        pk__in=Match.objects.filter(organization_id=offer.organization_id, status__in=Match.ACTIVE_STATUSES).values(
            "demand_id"
        )
    )
    if not offer.nationwide:
        area = Q(pk__in=[])
        for code in Offer.service_regions.through.objects.filter(offer_id=offer.pk).values_list("region_id", flat=True):
            area |= Q(region__code__range=subtree_bounds(code))
        queryset = queryset.filter(area)
    return queryset.order_by("published_at", "pk")


def _demand_rows(ranked: list[Scored]) -> list[DemandRecommendation]:
    demands = Demand.objects.select_related("region").in_bulk([s.demand_id for s in ranked])
    offers = Offer.objects.select_related("organization").in_bulk([s.offer_id for s in ranked])
    return [DemandRecommendation(s, demands[s.demand_id], offers[s.offer_id]) for s in ranked]


def for_offer(offer: Offer, k: int = 10, *, weights: Weights | None = None) -> list[DemandRecommendation]:
    """The k best published demands for an offer, explained (the tilt orders them too)."""
    ids = list(candidate_demands(offer).values_list("pk", flat=True)[:MAX_DEMAND_CANDIDATES])
    return _demand_rows(scoring.top_demands([offer.pk], ids, k, weights=weights))


def for_organization(
    organization: Organization, k: int = 10, *, weights: Weights | None = None
) -> list[DemandRecommendation]:
    """The k best published demands for any of the organization's published offers, each with its best offer."""
    offers = list(
        Offer.objects.filter(
            organization=organization, status=Offer.Status.PUBLISHED, window_end__gte=timezone.localdate()
        )
    )
    ids: set[int] = set()
    for offer in offers:
        ids.update(candidate_demands(offer).values_list("pk", flat=True)[:MAX_DEMAND_CANDIDATES])
    if not offers or not ids:
        return []
    return _demand_rows(scoring.top_demands([o.pk for o in offers], sorted(ids), k, weights=weights))


# ---------------------------------------------------------------- weights


@dataclass
class WeightsView:
    province_code: str | None
    name: str
    weights: Weights
    own_row: bool  # False: the province follows the national default
    updated_by: str
    updated_at: Any

    def items(self) -> list[tuple[str, str, float]]:
        return [(code, label, getattr(self.weights, code)) for code, label in FEATURES.items()]


def weights_view(province_code: str | None) -> WeightsView:
    """The weights in force for a province (or nationally), and where they come from."""
    row = MatchingWeights.objects.select_related("updated_by").filter(region_id=province_code).first()
    if province_code and row is None:
        national = weights_view(None)
        national.province_code, national.own_row = province_code, False
        national.name = str(Region.objects.filter(code=province_code).values_list("name", flat=True).first() or "")
        return national
    name = (
        str(Region.objects.filter(code=province_code).values_list("name", flat=True).first() or "")
        if province_code
        else "全国默认"
    )
    return WeightsView(
        province_code,
        name,
        Weights.of(row) if row else Weights(),
        row is not None,
        str(row.updated_by) if row and row.updated_by else "",
        row.updated_at if row else None,
    )


def home_province(user: Any) -> str | None:
    """The province of a staff member or submitter (None for admins and organization people)."""
    region = scope_of(user).region_code
    return region[:2] + "0" * 10 if region else None


def provinces() -> list[tuple[str, str]]:
    return list(Region.objects.filter(level="province").order_by("code").values_list("code", "name"))
