import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import DemandFactory
from xiangzhen.matching.tests.factories import published_offer
from xiangzhen.organizations.tests.factories import OrganizationFactory

SHIBADONG = "433124110226"
SHUANGLONG_TOWN = "433124110000"
HUAYUAN = "433124000000"
XIANGXI = "433100000000"
HUNAN = "430000000000"
FENGHUANG = "433123000000"


def make_demand(**kwargs):
    """A published demand of 十八洞村 (education, 30 left-behind children, 30,000 元) unless overridden."""
    kwargs.setdefault("status", Demand.Status.PUBLISHED)
    kwargs.setdefault("title", "十八洞村留守儿童课后辅导")
    kwargs.setdefault("description", "村里三十名留守儿童放学后无人辅导功课，希望开展课后辅导和阅读陪伴。")
    kwargs.setdefault("budget", Decimal("30000.00"))
    kwargs.setdefault("groups", {"left_behind_children": 30})
    return DemandFactory(**kwargs)


def make_offer(organization=None, creator=None, **kwargs):
    """A published education offer serving 花垣县 (3 slots, 50,000 元)."""
    organization = organization or OrganizationFactory()
    kwargs.setdefault("title", "农村留守儿童课后辅导")
    kwargs.setdefault("description", "为农村留守儿童开展课后辅导和阅读陪伴。")
    kwargs.setdefault("groups", ["left_behind_children"])
    if creator is None:
        from xiangzhen.accounts.tests.factories import UserFactory

        creator = UserFactory()
    return published_offer(organization, creator, **kwargs)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _fresh_corpus():
    """Each test sees the IDF of its own records."""
    from xiangzhen.recommendations import text

    text.clear()
    yield
    text.clear()


@pytest.fixture
def demand(village_submitter):
    return make_demand(entered_by=village_submitter)
