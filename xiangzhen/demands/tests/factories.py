import datetime

import factory
from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.core.textsearch import index_text
from xiangzhen.demands.models import Demand, DemandBeneficiary

SHIBADONG = "433124110226"
HUAYUAN = "433124000000"


class DemandFactory(factory.django.DjangoModelFactory):
    """A demand of 十八洞村 entered by a village submitter; `domains` and `groups` take codes."""

    class Meta:
        model = Demand
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"XQ-433124-2026-9{n:05d}")
    title = factory.Sequence(lambda n: f"测试需求{n}")
    description = "村里需要帮助"
    region_id = SHIBADONG
    aid_mode = Demand.AidMode.RELIEF
    budget = 10000
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    contact_name = "石金"
    contact_phone = "13974300000"
    entered_by = factory.SubFactory(UserFactory, role=User.Role.SUBMITTER, region_id=SHIBADONG)
    status = Demand.Status.SUBMITTED
    published_at = factory.LazyAttribute(
        lambda o: None if o.status in (Demand.Status.DRAFT, Demand.Status.SUBMITTED, Demand.Status.RETURNED)
        else timezone.now()
    )  # fmt: skip
    search_index = factory.LazyAttribute(lambda d: index_text(d.title, d.description))

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create:
            obj.domains.set(Domain.objects.filter(code__in=extracted or ["education"]))

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            for code, count in extracted.items():
                DemandBeneficiary.objects.create(
                    demand=obj, group=BeneficiaryGroup.objects.get(code=code), head_count=count
                )


def demand_data(**overrides):
    """Valid input for the services: a need of 十八洞村."""
    from xiangzhen.demands.validation import DemandData

    values = {
        "title": "留守儿童课后辅导",
        "description": "村里 30 名留守儿童放学后无人辅导作业，希望每周开展三次课后辅导。",
        "region_code": SHIBADONG,
        "deadline": timezone.localdate() + datetime.timedelta(days=60),
        "contact_name": "石金",
        "contact_phone": "13974300000",
        "domains": ["education"],
        "beneficiaries": {"left_behind_children": 30},
        "budget": 20000,
    }
    values.update(overrides)
    return DemandData(**values)
