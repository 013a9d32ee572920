"""API input and output shapes for periodic reporting."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from xiangzhen.reporting import rules, selectors
from xiangzhen.reporting.models import Report, ReportingSchedule


class ScheduleIn(Schema):
    frequency: str = Field(..., title="报送频次 quarterly / half_yearly / yearly")
    due_month: int = Field(..., title="截止月份（报告期第几个月，1–24）")
    due_day: int = Field(..., title="截止日（1–31，含当日）")
    reporting_level: str = Field("city", title="报送层级 city / county")
    to_civil_affairs: bool = Field(True, title="报送省民政厅")
    to_rural_revitalization: bool = Field(True, title="报送省乡村振兴局")
    remind_days: str = Field("7,1", max_length=50, title="截止前提醒天数，逗号分隔")
    is_active: bool = Field(True, title="启用")
    version: int | None = Field(None, title="版本（防止并发覆盖）")


class ScheduleOut(Schema):
    id: int
    province_code: str
    province_name: str
    frequency: str
    due_month: int
    due_day: int
    reporting_level: str
    to_civil_affairs: bool
    to_rural_revitalization: bool
    remind_days: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_province_code(obj: ReportingSchedule) -> str:
        return obj.province_id

    @staticmethod
    def resolve_province_name(obj: ReportingSchedule) -> str:
        return obj.province.name


class OpenIn(Schema):
    province_code: str = Field(..., title="省级区划代码")
    on: dt.date | None = Field(None, title="按此日期确定报告期（默认今天）")


class PeriodOut(Schema):
    id: int
    province_code: str = Field(..., alias="province_id")
    label: str
    year: int
    index: int
    start: dt.date
    end: dt.date
    due_date: dt.date
    closed_at: dt.datetime | None


class PeriodRowOut(Schema):
    report_id: int
    number: str
    region_code: str
    region_name: str
    status: str
    first_submitted_at: dt.datetime | None
    is_late: bool
    days_late: int


class PeriodSummaryOut(Schema):
    period: PeriodOut
    expected: int
    submitted: int
    accepted: int
    on_time: int
    reporting_rate: str
    on_time_rate: str
    rows: list[PeriodRowOut]


class TextsIn(Schema):
    progress: str | None = Field(None, max_length=20000, title="工作进展情况")
    difficulties: str | None = Field(None, max_length=20000, title="困难问题")
    practices: str | None = Field(None, max_length=20000, title="经验做法")
    version: int | None = Field(None, title="版本（防止并发覆盖）")


class ReviewIn(Schema):
    comment: str = Field("", max_length=500, title="审核意见（退回时必填）")
    version: int | None = Field(None, title="版本（防止并发覆盖）")


class ReportOut(Schema):
    id: int
    number: str
    period_id: int
    period_label: str
    region_code: str
    region_name: str
    status: str
    due_date: dt.date
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    days_late: int | None
    reviewed_at: dt.datetime | None
    reviewed_by: str | None
    review_comment: str
    version: int

    @staticmethod
    def resolve_period_label(obj: Report) -> str:
        return obj.period.label

    @staticmethod
    def resolve_region_code(obj: Report) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Report) -> str:
        return obj.region.name

    @staticmethod
    def resolve_due_date(obj: Report) -> dt.date:
        return obj.period.due_date

    @staticmethod
    def resolve_reviewed_by(obj: Report) -> str | None:
        return str(obj.reviewed_by) if obj.reviewed_by else None


class VersionOut(Schema):
    action: str
    actor_name: str
    department_name: str
    at: dt.datetime
    comment: str


class ReportDetailOut(ReportOut):
    progress: str
    difficulties: str
    practices: str
    figures: dict[str, Any] = Field(..., title="统计数据（报送后为固定值）")
    figures_frozen: bool
    actions: list[str]
    edit_blocked_reason: str
    history: list[VersionOut]

    @staticmethod
    def resolve_figures(obj: Report) -> dict[str, Any]:
        return obj.shown_figures  # type: ignore[attr-defined]


def detail(user: Any, report: Report) -> Report:
    """The report with what the detail shows attached: figures as shown, actions, history."""
    data, frozen = selectors.shown_figures(report)
    report.shown_figures = data  # type: ignore[attr-defined]
    report.figures_frozen = frozen  # type: ignore[attr-defined]
    report.actions = rules.available_actions(user, report, selectors.schedule_of(report.period.province_id))  # type: ignore[attr-defined]
    report.edit_blocked_reason = rules.edit_block_reason(report)  # type: ignore[attr-defined]
    report.history = list(selectors.history(report))  # type: ignore[attr-defined]
    return report


def summary(period_summary: selectors.PeriodSummary) -> dict[str, Any]:
    s = period_summary
    return {
        "period": s.period,
        "expected": s.expected,
        "submitted": s.submitted,
        "accepted": s.accepted,
        "on_time": s.on_time,
        "reporting_rate": s.reporting_rate,
        "on_time_rate": s.on_time_rate,
        "rows": [
            {
                "report_id": r.report.pk, "number": r.report.number, "region_code": r.report.region_id,
                "region_name": r.report.region.name, "status": r.report.status,
                "first_submitted_at": r.report.first_submitted_at, "is_late": r.is_late, "days_late": r.days_late,
            }
            for r in s.rows
        ],
    }  # fmt: skip
