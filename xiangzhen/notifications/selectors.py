"""Every read of the push: who a published demand reaches, a person's inbox, an organization's
subscriptions. The inbox is the recipient's alone; subscriptions go through `core.scope`."""

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import F, Prefetch, QuerySet

from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.core.scope import get_in_scope, restrict
from xiangzhen.demands.models import Demand
from xiangzhen.notifications.models import Notification, Subscription
from xiangzhen.offers.models import Offer
from xiangzhen.offers.selectors import offers_covering
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

# ---------------------------------------------------------------- who a demand reaches

REASON_SUBSCRIPTION = "subscription"
REASON_OFFER = "offer"
REASON_LABELS = {REASON_SUBSCRIPTION: "符合本组织的需求订阅", REASON_OFFER: "与本组织已发布的供给项目相符"}


@dataclass(frozen=True)
class DemandFacts:
    """What the push compares: the demand's region, domains and beneficiary groups."""

    region_code: str
    domain_ids: frozenset[int]
    group_ids: frozenset[int]

    @classmethod
    def of(cls, demand: Demand) -> "DemandFacts":
        return cls(
            region_code=demand.region_id,
            domain_ids=frozenset(demand.domains.values_list("pk", flat=True)),
            group_ids=frozenset(demand.beneficiaries.values_list("group_id", flat=True)),
        )


def subscription_fits(subscription: Subscription, facts: DemandFacts, offer_area_orgs: set[int]) -> bool:
    """Domain ∩ and group ∩ (an empty set means any); the area is the subscription's regions, each
    covering the demand's region (`codes.contains`), or, when it names none, the organization's
    published offers' service areas (`offer_area_orgs`: organizations with an offer covering it).

    Uses prefetched domains, groups and regions."""
    domains = {d.pk for d in subscription.domains.all()}
    if domains and not domains & facts.domain_ids:
        return False
    groups = {g.pk for g in subscription.beneficiary_groups.all()}
    if groups and not groups & facts.group_ids:
        return False
    regions = [r.code for r in subscription.regions.all()]
    if regions:
        return any(codes.contains(code, facts.region_code) for code in regions)
    return subscription.organization_id in offer_area_orgs


def _published_offers() -> "QuerySet[Offer]":
    return Offer.objects.filter(status=Offer.Status.PUBLISHED, organization__status=Organization.Status.APPROVED)


def organizations_to_notify(demand: Demand) -> dict[int, str]:
    """Approved organizations a newly published demand should reach, each with why (`REASON_*`).

    Those with an active subscription that fits, and those with a published offer whose service
    area covers the demand's region and that shares one of its domains. Coverage is by ancestor,
    so organizations registered at city or province level whose area is the city or province
    (or a nationwide offer) are reached by every county's demands: that is cross-level sharing.
    """
    facts = DemandFacts.of(demand)
    covering = offers_covering(facts.region_code, _published_offers())
    offer_area_orgs = set(covering.values_list("organization_id", flat=True))
    targets: dict[int, str] = {}
    if facts.domain_ids:
        fitting = covering.filter(domains__in=sorted(facts.domain_ids))
        for organization_id in fitting.order_by().values_list("organization_id", flat=True).distinct():
            targets[organization_id] = REASON_OFFER
    subscriptions = (
        Subscription.objects.filter(is_active=True, organization__status=Organization.Status.APPROVED)
        .order_by("organization_id", "pk")
        .prefetch_related(
            Prefetch("domains", queryset=Domain.objects.order_by()),
            Prefetch("beneficiary_groups", queryset=BeneficiaryGroup.objects.order_by()),
            Prefetch("regions", queryset=Region.objects.order_by().only("code")),
        )
    )
    for subscription in subscriptions:
        if subscription_fits(subscription, facts, offer_area_orgs):
            targets[subscription.organization_id] = REASON_SUBSCRIPTION
    return targets


# ---------------------------------------------------------------- the inbox


def inbox(user: Any) -> "QuerySet[Notification]":
    """The user's own notifications, unread first, newest first within each."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("organization")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


BADGE_SECONDS = 30


def badge_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_badge(user: Any) -> int:
    """The unread count for the top bar of every page, cached briefly so a page costs no extra
    query; the services drop the cached value when they change it (the worker's pushes show
    within BADGE_SECONDS where the cache is per process)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return int(cache.get_or_set(badge_key(user.pk), lambda: unread_count(user), BADGE_SECONDS) or 0)


def get_notification(user: Any, notification_id: Any) -> Notification:
    """One of the user's own notifications; anyone else's looks missing."""
    try:
        return inbox(user).get(pk=int(notification_id))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise NotFound("通知不存在") from None


# ---------------------------------------------------------------- subscriptions


def _with_relations(queryset: "QuerySet[Subscription]") -> "QuerySet[Subscription]":
    return queryset.select_related("organization").prefetch_related(
        Prefetch("domains", queryset=Domain.objects.order_by("sort_order", "code")),
        Prefetch("beneficiary_groups", queryset=BeneficiaryGroup.objects.order_by("sort_order", "code")),
        Prefetch("regions", queryset=Region.objects.order_by("code")),
    )


def subscriptions(user: Any, organization_id: int | None = None) -> "QuerySet[Subscription]":
    """Subscriptions of the user's own organizations (platform admins: all), relations prefetched."""
    queryset = restrict(Subscription.objects.all(), user)
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    return _with_relations(queryset)


def get_subscription(user: Any, subscription_id: Any) -> Subscription:
    """One subscription of the user's organizations; NotFound when missing or out of scope."""
    return get_in_scope(_with_relations(Subscription.objects.all()), user, pk=subscription_id)
