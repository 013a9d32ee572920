from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from xiangzhen.core.textsearch import index_text
from xiangzhen.offers.models import AidMode, Offer
from xiangzhen.organizations.tests.factories import OrganizationFactory

HUAYUAN = "433124000000"


class OfferFactory(factory.django.DjangoModelFactory):
    """An offer written straight to the table (tests only); `regions` and `domains` set the links."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"GJ-433124-2026-{n + 900000:06d}")
    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"测试供给项目{n}")
    description = "为农村留守儿童开展课后辅导和阅读陪伴。"
    capacity_demands = 3
    capacity_amount = Decimal("50000.00")
    window_start = factory.LazyFunction(timezone.localdate)
    window_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=180))
    aid_mode = AidMode.SELF_DEVELOPMENT
    status = Offer.Status.DRAFT
    created_by = factory.SubFactory("xiangzhen.accounts.tests.factories.UserFactory")
    search_index = factory.LazyAttribute(lambda o: index_text(o.title, o.description))
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in (Offer.Status.PUBLISHED, Offer.Status.CLOSED) else None
    )

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create and not obj.nationwide:
            obj.service_regions.set(extracted if extracted is not None else [HUAYUAN])

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        from xiangzhen.core.models import Domain

        if create:
            codes = extracted if extracted is not None else ["education"]
            obj.domains.set(Domain.objects.filter(code__in=codes))

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        from xiangzhen.core.models import BeneficiaryGroup

        if create and extracted:
            obj.beneficiary_groups.set(BeneficiaryGroup.objects.filter(code__in=extracted))


def offer_data(**overrides):
    """Valid offer content for the services, serving 花垣县 unless overridden."""
    from xiangzhen.offers.validation import OfferData

    values = {
        "title": "农村留守儿童课后辅导",
        "description": "每周三次为留守儿童提供课后辅导、阅读陪伴和心理关爱。",
        "aid_mode": "self_development",
        "capacity_demands": 5,
        "capacity_amount": "80000.00",
        "window_start": timezone.localdate().isoformat(),
        "window_end": (timezone.localdate() + timedelta(days=365)).isoformat(),
        "domains": ["education"],
        "beneficiary_groups": [],
        "service_regions": [HUAYUAN],
        "nationwide": False,
        "in_kind": "图书 500 册",
    }
    values.update(overrides)
    return OfferData(**values)
