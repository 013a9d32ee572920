"""The reporting records of the authorization matrix's world: 湖南's schedule, the current period and
湘西州's draft with its three parts written (so its city staff can submit it)."""

from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import staff
from xiangzhen.reporting import services
from xiangzhen.reporting.demo import HUNAN, seed_schedules

XIANGXI = "433100000000"


def matrix_world() -> dict[str, Any]:
    schedule = next(r for r in seed_schedules() if r.province_id == HUNAN)
    (period,) = services.open_periods(actor=None, province_code=HUNAN, on=timezone.localdate().replace(day=1))
    writer = staff(Department.Kind.RURAL_REVITALIZATION, XIANGXI, username="xx_xc_matrix")
    report = services.update_report(
        actor=writer,
        report=period.reports.get(region_id=XIANGXI),
        texts={"progress": "矩阵进展", "difficulties": "矩阵困难", "practices": "矩阵做法"},
    )
    return {"schedule_id": schedule.pk, "period_id": period.pk, "report_id": report.pk}
