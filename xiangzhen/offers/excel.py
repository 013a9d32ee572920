"""Excel export of offer lists. No database access here: the caller passes the listed offers."""

from collections.abc import Iterable

from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.offers.models import Offer

SHEET_TITLE = "供给项目"
HEADERS = [
    "编号", "项目名称", "社会组织", "登记地", "服务领域", "受益群体", "服务区域", "帮扶方式",
    "可承接需求数", "可投入资金（元）", "可提供物资", "开始日期", "结束日期", "状态", "发布时间", "项目内容",
]  # fmt: skip
WIDE = {"项目名称", "社会组织", "服务区域", "项目内容"}


def _row(offer: Offer) -> list[object]:
    area = "全国" if offer.nationwide else "、".join(r.full_name or r.name for r in offer.service_regions.all())
    published = offer.published_at.strftime("%Y-%m-%d %H:%M") if offer.published_at else ""
    return [
        offer.number,
        offer.title,
        offer.organization.name,
        offer.organization.region.name,
        "、".join(d.name for d in offer.domains.all()),
        "、".join(g.name for g in offer.beneficiary_groups.all()),
        area,
        offer.get_aid_mode_display(),
        offer.capacity_demands,
        offer.capacity_amount,
        offer.in_kind,
        offer.window_start,
        offer.window_end,
        offer.get_status_display(),
        published,
        offer.description,
    ]


def export_workbook(offers: Iterable[Offer]) -> bytes:
    """The listed offers, one row each; money stays a number with two decimals."""
    workbook, sheet = new_sheet(SHEET_TITLE)
    header_row(sheet, HEADERS, [32 if header in WIDE else 16 for header in HEADERS])
    for offer in offers:
        sheet.append(_row(offer))
        row = sheet.max_row
        sheet.cell(row=row, column=10).number_format = "#,##0.00"
        sheet.cell(row=row, column=12).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=13).number_format = "yyyy-mm-dd"
    return to_bytes(workbook)
