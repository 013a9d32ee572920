"""Excel exports of the rooms and of the rooms by county. No database access here."""

from collections.abc import Iterable

from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.facilities.models import Facility, FacilityUsage


def facilities_workbook(facilities: Iterable[Facility], public: bool) -> bytes:
    workbook, sheet = new_sheet("四小建设")
    titles = ["编号", "名称", "类型", "所在村", "建设组织", "状态", "启用日期", "地址"]
    if not public:
        titles += ["建设资金（元）", "专项行动", "关闭原因"]
    header_row(sheet, titles, [22, 24, 12, 36, 28, 10, 12, 30, 14, 24, 30][: len(titles)])
    for f in facilities:
        row: list[object] = [
            f.number, f.name, f.get_kind_display(), f.village.full_name or f.village.name, f.builder.name,
            f.get_status_display(), f.opened_on, f.address,
        ]  # fmt: skip
        if not public:
            row += [f.funding, f.campaign.name if f.campaign_id else "", f.close_reason]  # type: ignore[union-attr]
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=7).number_format = "yyyy-mm-dd"
    return to_bytes(workbook)


def by_county_workbook(rows: Iterable[object]) -> bytes:
    workbook, sheet = new_sheet("各县小屋")
    kinds = [label for _, label in Facility.Kind.choices]
    statuses = [label for _, label in Facility.Status.choices]
    header_row(
        sheet,
        ["区划代码", "县（市、区）", *kinds, *statuses, "合计"],
        [14, 18] + [10] * (len(kinds) + len(statuses) + 1),
    )
    for row in rows:
        sheet.append(
            [row.county.code, row.county.name, *row.kind_counts, *row.status_counts, row.total]  # type: ignore[attr-defined]
        )
    return to_bytes(workbook)


def usages_workbook(usages: Iterable[FacilityUsage]) -> bytes:
    workbook, sheet = new_sheet("使用记录")
    header_row(sheet, ["日期", "类型", "数量", "销售额（元）", "说明", "记录人"], [12, 16, 10, 14, 40, 20])
    for u in usages:
        sheet.append([u.used_on, u.get_kind_display(), u.count, u.amount, u.note, str(u.recorded_by)])
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
    return to_bytes(workbook)
