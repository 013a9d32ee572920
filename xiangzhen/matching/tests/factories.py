"""Factories for matching tests: published demands and offers, and matches written straight to the table."""

from decimal import Decimal

import factory
from django.utils import timezone

from xiangzhen.core.models import BeneficiaryGroup
from xiangzhen.demands.models import Demand, DemandBeneficiary
from xiangzhen.demands.tests import factories as demand_factories
from xiangzhen.matching.models import Match
from xiangzhen.offers.models import Offer
from xiangzhen.offers.tests.factories import OfferFactory

SHIBADONG = "433124110226"


class DemandFactory(demand_factories.DemandFactory):
    """A published demand of 十八洞村 needing 30,000 yuan for 30 people; `people` sets the head count."""

    title = factory.Sequence(lambda n: f"留守儿童课后辅导需求{n}")
    description = "村里三十名留守儿童放学后无人辅导功课。"
    budget = Decimal("30000.00")
    status = Demand.Status.PUBLISHED

    @factory.post_generation
    def people(obj, create, extracted, **kwargs):
        if create:
            group = BeneficiaryGroup.objects.order_by("sort_order").first()
            DemandBeneficiary.objects.create(demand=obj, group=group, head_count=extracted or 30)


def published_offer(organization, created_by, **kwargs) -> Offer:
    kwargs.setdefault("status", Offer.Status.PUBLISHED)
    return OfferFactory(organization=organization, created_by=created_by, **kwargs)


class MatchFactory(factory.django.DjangoModelFactory):
    """A match written straight to the table, for list and figure tests."""

    class Meta:
        model = Match

    number = factory.Sequence(lambda n: f"DJ-433124-2026-{n + 900000:06d}")
    demand = factory.SubFactory(DemandFactory)
    organization = factory.SubFactory("xiangzhen.organizations.tests.factories.OrganizationFactory")
    origin = Match.Origin.TAKE
    status = Match.Status.PROPOSED
    committed_amount = Decimal("1000.00")
    people_to_serve = 5
    proposed_by = factory.SubFactory("xiangzhen.accounts.tests.factories.UserFactory")
    proposed_at = factory.LazyFunction(timezone.now)
