"""Reads for allocation: the runs and items a user may see (scoped by `core.scope`) and the
demands and offers that take part in a new run."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiangzhen.allocation.models import AllocationRun, ProposalItem
from xiangzhen.core.scope import get_in_scope, restrict
from xiangzhen.demands.models import Demand
from xiangzhen.demands.priority import annotate_priority
from xiangzhen.matching.models import Match
from xiangzhen.offers.models import Offer
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes

ZERO = Decimal("0.00")


def runs(user: Any) -> "QuerySet[AllocationRun]":
    return restrict(AllocationRun.objects.select_related("region", "created_by"), user)


def get_run(user: Any, run_id: Any) -> AllocationRun:
    """One run the user may see; NotFound when missing or out of scope."""
    return get_in_scope(runs(user), user, pk=run_id)


def run_items(run: AllocationRun) -> "QuerySet[ProposalItem]":
    """A run's items with everything the table shows, in one query."""
    return ProposalItem.objects.filter(run=run).select_related(
        "demand", "demand__region", "offer", "offer__organization", "match", "decided_by"
    )


def get_item(user: Any, item_id: Any) -> ProposalItem:
    return get_in_scope(ProposalItem.objects.select_related("run", "demand", "offer"), user, pk=item_id)


def item_counts(run: AllocationRun) -> dict[str, int]:
    rows = ProposalItem.objects.filter(run=run).order_by().values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(ProposalItem.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# ---------------------------------------------------------------- what takes part in a run


def _live(model_field: str) -> Subquery:
    return Subquery(
        Match.objects.filter(**{model_field: OuterRef("pk")}, status__in=Match.ACTIVE_STATUSES)
        .order_by()
        .values(model_field)
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def _committed(model_field: str) -> Subquery:
    return Subquery(
        Match.objects.filter(**{model_field: OuterRef("pk")}, status__in=Match.ACTIVE_STATUSES)
        .order_by()
        .values(model_field)
        .annotate(total=Sum("committed_amount"))
        .values("total"),
    )


def open_demands(region_code: str) -> "QuerySet[Demand]":
    """Published demands in the region's subtree that still need someone: no live match yet, or
    budget left after their live matches. Annotated with `in_key_county`, `live` and `covered`;
    in published order (the order first-come-first-served would serve them)."""
    lo, hi = codes.subtree_bounds(region_code)
    queryset = (
        Demand.objects.filter(status=Demand.Status.PUBLISHED, region__code__range=(lo, hi))
        .annotate(live=Coalesce(_live("demand_id"), 0), covered=Coalesce(_committed("demand_id"), ZERO))
        .filter(Q(live=0) | Q(budget__gt=F("covered")))
        .order_by("published_at", "pk")
    )
    return annotate_priority(queryset)


def open_offers(region_code: str) -> "QuerySet[Offer]":
    """Published offers, window open, organization approved, a slot free, whose service area
    reaches into the region (nationwide, an ancestor of it, or a place inside it).
    Annotated with `taken` (live matches) and `committed` (their money)."""
    lo, hi = codes.subtree_bounds(region_code)
    above = [region_code, *codes.ancestor_codes(region_code)]
    through = Offer.service_regions.through
    reaches = through.objects.filter(offer_id=OuterRef("pk")).filter(
        Q(region__code__range=(lo, hi)) | Q(region_id__in=above)
    )
    return (
        Offer.objects.filter(
            Q(nationwide=True) | Q(Exists(reaches)),
            status=Offer.Status.PUBLISHED,
            window_end__gte=timezone.localdate(),
            organization__status=Organization.Status.APPROVED,
        )
        .annotate(taken=Coalesce(_live("offer_id"), 0), committed=Coalesce(_committed("offer_id"), ZERO))
        .filter(taken__lt=F("capacity_demands"))
        .select_related("organization")
        .order_by("pk")
    )


def serving_pairs(demand_ids: list[int]) -> set[tuple[int, int]]:
    """(demand, organization) pairs already joined by a live match: not proposed again."""
    rows = Match.objects.filter(demand_id__in=demand_ids, status__in=Match.ACTIVE_STATUSES).values_list(
        "demand_id", "organization_id"
    )
    return set(rows)
