"""Every read of offers, already scoped: `core.scope` for people who work on them, and a public
selector over published offers for everyone else, anonymous visitors included."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import AuditEntry, BeneficiaryGroup, Domain
from xiangzhen.core.scope import get_in_scope, restrict, scope_of
from xiangzhen.offers.filters import OfferFilters, covering_condition
from xiangzhen.offers.models import PUBLIC_STATUSES, Offer
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region


def _base() -> "QuerySet[Offer]":
    return Offer.objects.select_related("organization", "organization__region")


def _with_relations(queryset: "QuerySet[Offer]") -> "QuerySet[Offer]":
    return queryset.prefetch_related(
        Prefetch("domains", queryset=Domain.objects.order_by("sort_order", "code")),
        Prefetch("beneficiary_groups", queryset=BeneficiaryGroup.objects.order_by("sort_order", "code")),
        Prefetch("service_regions", queryset=Region.objects.order_by("code")),
    )


def offers(user: Any) -> "QuerySet[Offer]":
    """Offers the user works with: their organizations' offers in every status; reviewers and
    other staff those of organizations registered in their region subtree, except drafts, which
    stay private to the organization until submitted (platform admins see everything)."""
    queryset = restrict(_base(), user)
    scope = scope_of(user)
    if not scope.everything:
        queryset = queryset.exclude(
            Q(status=Offer.Status.DRAFT) & ~Q(organization_id__in=sorted(scope.organization_ids))
        )
    return queryset


def offer_list(user: Any, filters: OfferFilters | None = None) -> "QuerySet[Offer]":
    """The scoped list for pages, the API and exports: relations prefetched, no query per row."""
    queryset = offers(user)
    return _with_relations(filters.apply(queryset) if filters else queryset)


def get_offer(user: Any, offer_id: Any) -> Offer:
    """One offer the user works with; NotFound when missing or out of scope."""
    return get_in_scope(_with_relations(offers(user)).select_related("reviewed_by", "created_by"), user, pk=offer_id)


def public_offers(filters: OfferFilters | None = None) -> "QuerySet[Offer]":
    """What anyone may browse: published offers (or, when asked with status=closed, closed ones)."""
    queryset = _base().filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)
    if filters is None or not filters.status:
        queryset = queryset.filter(status=Offer.Status.PUBLISHED)
    return _with_relations(filters.apply(queryset) if filters else queryset)


def get_public_offer(offer_id: Any) -> Offer:
    try:
        return _with_relations(_base().filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)).get(
            pk=int(offer_id)
        )
    except (Offer.DoesNotExist, ValueError, TypeError):
        raise NotFound("供给项目不存在或尚未发布") from None


def get_visible_offer(user: Any, offer_id: Any) -> tuple[Offer, bool]:
    """The offer as the user may see it: in scope (full record) or, failing that, public."""
    try:
        return get_offer(user, offer_id), True
    except NotFound:
        return get_public_offer(offer_id), False


def offers_covering(region_code: str, queryset: "QuerySet[Offer] | None" = None) -> "QuerySet[Offer]":
    """Offers (of `queryset`, default all) whose service area covers the region: nationwide, or one
    of their service regions is the region or an ancestor. One indexed IN query on the link table."""
    code = codes.normalize(region_code)
    return (queryset if queryset is not None else Offer.objects.all()).filter(covering_condition(code))


def covers(offer: Offer, region_code: str) -> bool:
    """Whether `offer`'s service area covers the region (uses prefetched service regions if present)."""
    if offer.nationwide:
        return True
    code = codes.normalize(region_code)
    wanted = {code, *codes.ancestor_codes(code)}
    cache = getattr(offer, "_prefetched_objects_cache", {})
    if "service_regions" in cache:
        return any(region.code in wanted for region in cache["service_regions"])
    return offer.service_regions.filter(code__in=wanted).exists()


def history(offer: Offer) -> "QuerySet[AuditEntry]":
    """The audit trail of one offer the caller has fetched through `get_offer`."""
    return AuditEntry.objects.filter(object_type=Offer._meta.label_lower, object_id=str(offer.pk)).select_related(
        "actor"
    )


def domain_names() -> dict[str, str]:
    return dict(Domain.objects.values_list("code", "name"))


def group_names() -> dict[str, str]:
    return dict(BeneficiaryGroup.objects.values_list("code", "name"))
