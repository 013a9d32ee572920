"""The two provinces' real reporting schedules, from the policies in `seeds/`, through the services.

山西 (实施方案 五): 市级民政部门、乡村振兴部门于每个季度最后一个月 20 日前报告 — quarterly, due the
20th of the quarter's 3rd month. 湖南 (实施意见 四): 于每年 6 月初、12 月初报告 — half-yearly, due in
the 6th month of each half; "初" is read as the 10th, which province staff can change on the schedule page.
"""

from typing import Any

from xiangzhen.reporting import services
from xiangzhen.reporting.models import ReportingSchedule

SHANXI = "140000000000"
HUNAN = "430000000000"
SCHEDULES = {
    SHANXI: services.ScheduleData(frequency="quarterly", due_month=3, due_day=20),
    HUNAN: services.ScheduleData(frequency="half_yearly", due_month=6, due_day=10),
}


def seed_schedules(*, actor: Any = None) -> list[ReportingSchedule]:
    """Create the schedules that do not exist yet; a schedule a province has changed is left as it is."""
    existing = {r.province_id: r for r in ReportingSchedule.objects.filter(province_id__in=SCHEDULES)}
    return [
        existing.get(code) or services.save_schedule(actor=actor, province_code=code, data=data)
        for code, data in SCHEDULES.items()
    ]


def seed_demo_reporting() -> None:
    """The schedules, and 湖南's current period opened with a draft for every city (the demo province)."""
    seed_schedules()
    services.open_periods(actor=None, province_code=HUNAN)
