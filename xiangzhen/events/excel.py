"""Excel exports of events, an event's registrations and a fair's sales. No database access beyond the rows given."""

from collections.abc import Iterable
from typing import Any

from xiangzhen.core.excel import header_row, local_minute, new_sheet, to_bytes
from xiangzhen.events.models import Event, EventRegistration


def events_workbook(events: Iterable[Event]) -> bytes:
    workbook, sheet = new_sheet("活动与会展")
    titles = ["编号", "类型", "名称", "举办地区", "地点", "主办单位", "开始日期", "结束日期", "参展村（个）", "状态"]
    header_row(sheet, titles, [22, 12, 30, 30, 24, 24, 12, 12, 12, 10])
    for e in events:
        sheet.append([
            e.number, e.get_kind_display(), e.name, e.region.full_name or e.region.name, e.venue, e.organizer,
            e.starts_on, e.ends_on, int(getattr(e, "village_count", 0) or 0), e.get_status_display(),
        ])  # fmt: skip
        for column in (7, 8):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    return to_bytes(workbook)


def registrations_workbook(event: Event, registrations: Iterable[EventRegistration]) -> bytes:
    """An event's registrations (`registrations` from selectors.registration_sheet), phones masked."""
    workbook, sheet = new_sheet("报名名单")
    titles = ["报名方", "类别", "区划代码", "联系人", "联系电话", "状态", "报名时间", "签到时间"]
    header_row(sheet, titles, [36, 12, 16, 12, 16, 10, 18, 18])
    for r in registrations:
        sheet.append([
            r.party_name, r.get_kind_display(), r.village_id or "", r.contact_name, r.masked_phone,
            r.get_status_display(), local_minute(r.registered_at), local_minute(r.checked_in_at),
        ])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"
    return to_bytes(workbook)


def fair_sales_workbook(event: Event, sales: Any) -> bytes:
    """Sales per participating village and the total (`sales` from consumption.selectors.fair_sales)."""
    workbook, sheet = new_sheet("展销会销售")
    header_row(sheet, ["参展村", "区划代码", "展位", "笔数", "销售额（元）"], [30, 16, 12, 10, 16])
    for row in sales.villages:
        sheet.append([row.village_name, row.village_code, row.booth, row.purchase_count, row.amount])
        sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0.00"
    sheet.append([f"{event.name} 合计", "", "", sales.purchase_count, sales.total])
    sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0.00"
    return to_bytes(workbook)


def results_workbook(event: Event, figures: Any) -> bytes:
    """An event's results (`figures` from selectors.results): who came, what was featured, matches made."""
    workbook, sheet = new_sheet("活动成果")
    header_row(sheet, ["项目", "数量"], [36, 18])
    rows: list[tuple[str, Any]] = [("活动", f"{event.number} {event.name}"), ("报名单位（个）", figures.registrations)]
    rows += [(f"其中：{label}", n) for label, n in figures.by_kind]
    rows += [
        ("已签到（个）", figures.checked_in),
        ("推介需求（个）", figures.featured_demands),
        ("推介供给（个）", figures.featured_offers),
        ("活动对接（个）", figures.matches),
    ]
    rows += [(f"其中：{label}", n) for _, label, n in figures.by_status]
    rows += [
        ("承诺资金（元）", figures.committed_amount),
        ("计划服务人数", figures.people_to_serve),
        ("已完成对接（个）", figures.completed),
    ]
    for label, value in rows:
        sheet.append([label, value])
    return to_bytes(workbook)


def contest_workbook(event: Event, ranking: Iterable[Any]) -> bytes:
    """A venture contest's ranking (`ranking` from selectors.ranking)."""
    workbook, sheet = new_sheet("大赛排名")
    titles = ["名次", "社会组织", "项目名称", "预算（元）", "加权总分", "评分评委数", "获奖", "转入供给项目"]
    header_row(sheet, titles, [8, 30, 36, 14, 12, 12, 8, 24])
    published = bool(event.results_published_at)
    for row in ranking:
        entry = row.entry
        sheet.append([
            row.rank, entry.organization.name, entry.title, entry.budget, row.total, row.judges,
            "是" if published and entry.is_winner else "", entry.offer.number if entry.offer else "",
        ])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=4).number_format = "#,##0.00"
    return to_bytes(workbook)
