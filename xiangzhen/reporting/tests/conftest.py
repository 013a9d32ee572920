import datetime

import pytest
from django.utils import timezone

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import staff
from xiangzhen.reporting import services
from xiangzhen.reporting.demo import seed_schedules
from xiangzhen.reporting.models import Report

XIANGXI = "433100000000"
HUNAN = "430000000000"


@pytest.fixture
def schedules(db):
    return {schedule.province_id: schedule for schedule in seed_schedules()}


@pytest.fixture
def city_rural_revitalization(db):
    """湘西州 rural revitalization staff: writes and submits the city's report with civil affairs."""
    return staff(Department.Kind.RURAL_REVITALIZATION, XIANGXI, username="xx_xc", full_name="湘西州乡村振兴局 向军")


@pytest.fixture
def period(schedules):
    """湖南's half-year containing today, opened with a draft for each of its 14 cities."""
    (opened,) = services.open_periods(actor=None, province_code=HUNAN, on=timezone.localdate().replace(day=1))
    return opened


@pytest.fixture
def report(period) -> Report:
    """湘西州's draft."""
    return period.reports.get(region_id=XIANGXI)


def write(report: Report, actor) -> Report:
    return services.update_report(
        actor=actor,
        report=report,
        texts={"progress": "开展结对帮扶 12 项。", "difficulties": "资金不足。", "practices": "五社联动。"},
    )


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
