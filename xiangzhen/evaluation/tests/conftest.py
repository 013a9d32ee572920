import pytest

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import staff
from xiangzhen.evaluation import services


@pytest.fixture
def hunan_indicators(db):
    """湖南's default indicators (seven, active, weights summing to 100)."""
    services.seed_default_indicators(actor=None, province_codes=["430000000000"])
    from xiangzhen.evaluation.models import Indicator

    return list(Indicator.objects.filter(province_id="430000000000").order_by("pk"))


@pytest.fixture
def shanxi_civil_affairs(db):
    return staff(Department.Kind.CIVIL_AFFAIRS, "140000000000", username="sx_mz")
