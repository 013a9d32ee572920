import pytest

from xiangzhen.accounts.models import User
from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import DemandFactory


@pytest.fixture
def published_demand(db) -> Demand:
    return DemandFactory(title="十八洞村留守儿童课后辅导", status=Demand.Status.PUBLISHED)


@pytest.fixture
def submitted_demand(db) -> Demand:
    return DemandFactory(status=Demand.Status.SUBMITTED)


@pytest.fixture
def fenghuang_village() -> str:
    from xiangzhen.regions.models import Region

    return Region.objects.filter(code__startswith="433123", level="village").values_list("code", flat=True).first()


@pytest.fixture
def fenghuang_demand(fenghuang_village) -> Demand:
    return DemandFactory(
        title="凤凰县需求",
        region_id=fenghuang_village,
        entered_by=UserFactory(role=User.Role.SUBMITTER, region_id=fenghuang_village),
    )
