"""Every read of reporting a user makes, already scoped by `core.scope`: schedules and periods are the
province's (province staff and platform admins), reports the reporting region's and above."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xiangzhen.core.scope import get_in_scope, restrict
from xiangzhen.reporting.filters import ReportFilters
from xiangzhen.reporting.models import Report, ReportingSchedule, ReportPeriod, ReportVersion
from xiangzhen.stats.figures import figures


def schedules(user: Any) -> "QuerySet[ReportingSchedule]":
    return restrict(ReportingSchedule.objects.select_related("province", "updated_by"), user)


def get_schedule(user: Any, schedule_id: Any) -> ReportingSchedule:
    return get_in_scope(ReportingSchedule.objects.select_related("province"), user, pk=schedule_id)


def schedule_of(province_code: str) -> ReportingSchedule | None:
    """The province's schedule, for permission checks on a report the caller already may see."""
    return ReportingSchedule.objects.filter(province_id=province_code).first()


def periods(user: Any) -> "QuerySet[ReportPeriod]":
    return restrict(ReportPeriod.objects.select_related("province"), user)


def get_period(user: Any, period_id: Any) -> ReportPeriod:
    return get_in_scope(ReportPeriod.objects.select_related("province", "closed_by"), user, pk=period_id)


def reports(user: Any, filters: ReportFilters | None = None) -> "QuerySet[Report]":
    """Reports the user may see: their region's and those below it; a fixed number of queries per page."""
    queryset = restrict(
        Report.objects.select_related("period", "region", "submitted_by", "reviewed_by").order_by(
            "-period__start", "region_id"
        ),
        user,
    )
    return filters.apply(queryset) if filters else queryset


def get_report(user: Any, report_id: Any) -> Report:
    return get_in_scope(
        Report.objects.select_related("period", "period__province", "region", "submitted_by", "reviewed_by"),
        user,
        pk=report_id,
    )


def history(report: Report) -> "QuerySet[ReportVersion]":
    return report.versions.select_related("actor").order_by("at", "id")


def shown_figures(report: Report) -> tuple[dict[str, Any], bool]:
    """The figures to show and whether they are frozen: as submitted once submitted, live before."""
    if report.figures is not None:
        return report.figures, True
    return figures(report.region_id, report.period.start, report.period.end).as_json(), False


@dataclass
class PeriodRow:
    report: Report
    is_late: bool  # submitted after the due date, or still not submitted after it
    days_late: int


@dataclass
class PeriodSummary:
    period: ReportPeriod
    expected: int
    submitted: int
    accepted: int
    on_time: int
    rows: list[PeriodRow] = field(default_factory=list)

    @property
    def late(self) -> list[PeriodRow]:
        return [r for r in self.rows if r.is_late]

    @property
    def reporting_rate(self) -> str:
        return _percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> str:
        return _percent(self.on_time, self.expected)


def _percent(part: int, whole: int) -> str:
    return "—" if not whole else f"{part * 100 / whole:.1f}%"


def period_summary(period: ReportPeriod, today: datetime.date | None = None) -> PeriodSummary:
    """Expected and submitted reports, reporting and on-time rates (on time = first submitted by the
    due date, over all expected reports) and which regions are late; one query for the reports."""
    day = today or timezone.localdate()
    reports = list(period.reports.select_related("region", "reviewed_by", "submitted_by").order_by("region_id"))
    rows = []
    for report in reports:
        if report.days_late is not None:
            rows.append(PeriodRow(report, report.days_late > 0, report.days_late))
        else:
            overdue = max(0, (day - period.due_date).days)
            rows.append(PeriodRow(report, overdue > 0, overdue))
    return PeriodSummary(
        period=period,
        expected=len(reports),
        submitted=sum(1 for r in reports if r.first_submitted_at is not None),
        accepted=sum(1 for r in reports if r.status == Report.Status.ACCEPTED),
        on_time=sum(1 for r in reports if r.days_late == 0),
        rows=rows,
    )
