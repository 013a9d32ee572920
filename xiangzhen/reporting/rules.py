"""Who may do what with reporting. Scope (whether a record is visible at all) is `core.scope`.

The reporting region's staff of both departments (市级民政部门会同乡村振兴部门) write and submit;
province staff of the departments the schedule names as recipients accept or return; province staff
of either department (and platform admins) keep the schedule and open and close periods.
"""

from typing import Any

from xiangzhen.accounts.roles import department_of, is_platform_admin, is_province_staff
from xiangzhen.reporting.models import Report, ReportingSchedule


def can_manage(user: Any, province_code: str) -> bool:
    if is_platform_admin(user):
        return True
    department = department_of(user)
    return bool(department and is_province_staff(user) and department.region_id == province_code)


def is_reporter(user: Any, report: Report) -> bool:
    department = department_of(user)
    return bool(department and department.region_id == report.region_id)


def is_reviewer(user: Any, report: Report, schedule: ReportingSchedule | None) -> bool:
    department = department_of(user)
    return bool(
        department
        and schedule is not None
        and department.region_id == report.period.province_id
        and department.kind in schedule.recipient_kinds
    )


def edit_block_reason(report: Report) -> str:
    """Why the written parts can no longer be changed, or "" while they can."""
    if report.status == Report.Status.ACCEPTED:
        return "报告已被省级接收，不能再修改"
    if report.status == Report.Status.SUBMITTED:
        return "报告已报送，正在等待省级审核，不能修改；如需修改请联系省级退回"
    if report.period.is_closed:
        return "报告期已关闭，不能再修改或报送"
    return ""


def available_actions(user: Any, report: Report, schedule: ReportingSchedule | None) -> list[str]:
    actions = []
    if is_reporter(user, report) and not edit_block_reason(report):
        actions += ["edit", "submit" if report.status == Report.Status.DRAFT else "resubmit"]
    if report.status == Report.Status.SUBMITTED and is_reviewer(user, report, schedule):
        actions += ["accept", "return"]
    return actions
