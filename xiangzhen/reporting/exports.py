"""The files a report and a period export to: a city's report and the province's consolidated
report in Word (official-document layout, see word.py), and the period's table in Excel. The
callers pass records they already read through the scoped selectors."""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import Department
from xiangzhen.core.excel import header_row, local_minute, new_sheet, to_bytes
from xiangzhen.reporting import selectors, word
from xiangzhen.reporting.models import Report, ReportPeriod
from xiangzhen.stats import presentation

KIND_SUFFIX = {"civil_affairs": "民政部门", "rural_revitalization": "乡村振兴部门"}


def _authorities(region_code: str, region_name: str, kinds: list[str]) -> list[str]:
    """The departments' own names (湘西州民政局) where they are registered, else a generic one."""
    names = dict(Department.objects.filter(region_id=region_code, kind__in=kinds).values_list("kind", "name"))
    return [names.get(kind) or f"{region_name}{KIND_SUFFIX[kind]}" for kind in kinds]


def _date(value: datetime.datetime | None) -> datetime.date:
    return timezone.localtime(value).date() if value else timezone.localdate()


def report_document(report: Report) -> bytes:
    period = report.period
    schedule = selectors.schedule_of(period.province_id)
    recipients = schedule.recipient_kinds if schedule else list(KIND_SUFFIX)
    data, frozen = selectors.shown_figures(report)
    figures_note = "以下数据为报送时固定的平台统计。" if frozen else "以下数据为平台实时统计，报送时固定。"
    document = word.OfficialDocument(
        authorities=_authorities(report.region_id, report.region.name, list(KIND_SUFFIX)),
        number=report.number,
        title=f"{report.region.name}关于{period.label}社会组织参与乡村振兴工作情况的报告",
        addressee="、".join(_authorities(period.province_id, period.province.name, recipients)) + "：",
        sections=[
            word.Section("主要数据", [figures_note], table=word.figures_table(data)),
            word.Section("工作进展情况", [report.progress or "（未填写）"]),
            word.Section("困难问题", [report.difficulties or "（未填写）"]),
            word.Section("经验做法", [report.practices or "（未填写）"]),
        ],
        date=_date(report.submitted_at),
    )
    return word.render(document)


def consolidated_document(period: ReportPeriod) -> bytes:
    """The province's report for the period, built from the accepted city reports."""
    summary = selectors.period_summary(period)
    accepted = [row.report for row in summary.rows if row.report.status == Report.Status.ACCEPTED]
    waiting = [row.report.region.name for row in summary.rows if row.report.status != Report.Status.ACCEPTED]
    late = [f"{row.report.region.name}（逾期 {row.days_late} 天）" for row in summary.late]
    overview = (
        f"本期应报 {summary.expected} 份，已报送 {summary.submitted} 份，已接收 {summary.accepted} 份，"
        f"报送率 {summary.reporting_rate}，按时报送率 {summary.on_time_rate}。"
    )
    notes = [overview]
    if late:
        notes.append("逾期：" + "、".join(late) + "。")
    if waiting:
        notes.append("以下单位的报告尚未接收，未计入本报告：" + "、".join(waiting) + "。")
    table = [["报送单位", *presentation.headline_headers()]]
    table += [[r.region.name, *presentation.headline(r.figures)] for r in accepted]
    if accepted:
        table.append(["合计", *presentation.headline(presentation.totals([r.figures or {} for r in accepted]))])
    cities = [
        word.Section(
            r.region.name,
            [f"工作进展情况：{r.progress}", f"困难问题：{r.difficulties}", f"经验做法：{r.practices}"],
        )
        for r in accepted
    ]
    schedule = selectors.schedule_of(period.province_id)
    kinds = schedule.recipient_kinds if schedule else list(KIND_SUFFIX)
    document = word.OfficialDocument(
        authorities=_authorities(period.province_id, period.province.name, kinds),
        title=f"{period.province.name}社会组织参与乡村振兴工作{period.label}汇总报告",
        addressee="",
        sections=[
            word.Section("报送情况", notes),
            word.Section(
                "主要数据", table=table if accepted else None, paragraphs=[] if accepted else ["本期暂无已接收的报告。"]
            ),
            word.Section("各地工作情况", subsections=cities),
        ],
        date=timezone.localdate(),
    )
    return word.render(document)


PERIOD_HEADERS = [
    "报送单位", "区划代码", "报告编号", "状态", "截止日期", "首次报送时间", "是否按时", "逾期天数",
    "审核人", "审核时间",
    *presentation.headline_headers(),
]  # fmt: skip


def _row(report: Report, days_late: int | None) -> list[Any]:
    on_time = "" if report.days_late is None else ("是" if report.days_late == 0 else "否")
    return [
        report.region.name, report.region_id, report.number, report.get_status_display(),
        report.period.due_date.isoformat(), local_minute(report.first_submitted_at), on_time,
        days_late if days_late else 0, str(report.reviewed_by or ""), local_minute(report.reviewed_at),
        *presentation.headline(report.figures),
    ]  # fmt: skip


def period_workbook(period: ReportPeriod) -> bytes:
    summary = selectors.period_summary(period)
    workbook, sheet = new_sheet("报送情况")
    header_row(sheet, PERIOD_HEADERS, [14, 14, 24, 10, 12, 18, 10, 10, 16, 18, *[16] * len(presentation.FIGURES)])
    for row in summary.rows:
        sheet.append(_row(row.report, row.days_late))
    sheet.append([])
    sheet.append(["应报", summary.expected, "已报送", summary.submitted, "报送率", summary.reporting_rate,
                  "按时报送率", summary.on_time_rate])  # fmt: skip
    return to_bytes(workbook)


def list_workbook(reports: Any) -> bytes:
    """The report list as filtered on the page."""
    workbook, sheet = new_sheet("定期报告")
    header_row(
        sheet,
        ["报告期", *PERIOD_HEADERS],
        [16, 14, 14, 24, 10, 12, 18, 10, 10, 16, 18, *[16] * len(presentation.FIGURES)],
    )
    for report in reports:
        sheet.append([report.period.label, *_row(report, report.days_late)])
    return to_bytes(workbook)
