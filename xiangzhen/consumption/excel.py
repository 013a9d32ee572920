"""Excel for consumption assistance: the purchase import template and reader, and the exports.
No database access here.

The reader takes the platform's template and the usual headers of an invoice list or an online
shop's order export (发票号码, 商品编号, 数量, 金额, 开票日期 …); title and blank rows are skipped,
full-width characters folded, numbers typed as text read as numbers.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xiangzhen.consumption.models import Product, Purchase, PurchaseBatch
from xiangzhen.consumption.validation import PurchaseData
from xiangzhen.core.excel import (
    Column,
    header_row,
    headers,
    instructions_sheet,
    local_minute,
    new_sheet,
    text_format,
    to_bytes,
)
from xiangzhen.core.sheets import data_rows, find_header, header_keys, read_sheet

COLUMNS = [
    Column("product", "产品编号", True, "帮扶产品目录中的产品编号，如 CP-433124-2026-000001"),
    Column("quantity", "数量", True, "按产品的计量单位，大于 0，最多两位小数"),
    Column("amount", "金额（元）", False, "不填按 数量 × 产品单价 计算"),
    Column("purchased_on", "采购日期", True, "如 2026-06-30"),
    Column("channel", "渠道", True, "直接采购 / 电商平台 / 展销会"),
    Column("event", "展销会编号", False, "渠道为展销会时必填：农博会、农贸会或展销会的编号"),
    Column("invoice_number", "发票号码", True, "同一发票上的同一产品只登记一次，重复导入时跳过"),
    Column("campaign", "专项行动编号", False, "本组织已报名的专项行动，如消费帮扶助振兴行动"),
    Column("member", "采购成员账号", False, "成员个人采购（以买代帮）时填其登录账号；组织采购不填"),
]
HEADERS = headers(COLUMNS)
TEXT_COLUMNS = {"product", "event", "invoice_number", "campaign", "member"}
ALIASES = {
    "product": ["产品编号", "商品编号", "产品"],
    "quantity": ["数量", "采购数量", "购买数量"],
    "amount": ["金额（元）", "金额", "采购金额", "价税合计", "实付金额"],
    "purchased_on": ["采购日期", "日期", "开票日期", "下单日期", "购买日期"],
    "channel": ["渠道", "采购渠道"],
    "event": ["展销会编号", "展销会", "活动编号"],
    "invoice_number": ["发票号码", "发票号", "发票编号", "订单号"],
    "campaign": ["专项行动编号", "专项行动"],
    "member": ["采购成员账号", "采购成员", "成员账号"],
}
HEADER_KEYS = header_keys(COLUMNS, ALIASES)


def template_workbook(example_product: str = "CP-433124-2026-000001") -> bytes:
    workbook, sheet = new_sheet("消费帮扶采购")
    header_row(sheet, HEADERS, [26, 10, 12, 12, 10, 24, 20, 24, 16])
    sheet.append([example_product, 10, "", date.today().isoformat(), "直接采购", "", "No.12345678", "", ""])
    text_format(sheet, COLUMNS, TEXT_COLUMNS, row=2)
    note = (
        "第 2 行为示例，导入前请删除。一次导入为一个采购批次，写入透明日志。"
        "先预览、确认后一次性写入，有任何一行出错则不写入；"
        "同一发票号码上的同一产品已登记过的行显示“已导入，跳过”，不会重复登记。"
    )
    instructions_sheet(workbook, COLUMNS, [[["说明", "", note]]], {"A": 18, "C": 80})
    return to_bytes(workbook)


@dataclass
class ParsedRow:
    row_number: int
    data: PurchaseData
    errors: list[str]


def _number_or_text(raw: Any, text: str) -> Any:
    return raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else text


def parse_purchases(filename: str, content: bytes) -> list[ParsedRow]:
    """The data rows of the first sheet as purchase input; blank rows are skipped."""
    sheet = read_sheet(filename, content)
    positions, header_end = find_header(
        sheet, COLUMNS, anchor="invoice_number", examples=("产品编号", "发票号码"), keys=HEADER_KEYS
    )
    parsed: list[ParsedRow] = []
    for row_number, raw, cells in data_rows(sheet, positions, header_end):
        errors: list[str] = []
        quantity = raw.get("quantity")
        if isinstance(quantity, bool) or isinstance(raw.get("amount"), bool):
            errors.append("数量和金额应为数字，不能是“是/否”")
        when = raw.get("purchased_on")
        data = PurchaseData(
            product=cells.get("product", ""),
            quantity=_number_or_text(quantity, cells.get("quantity", "")) if not isinstance(quantity, bool) else "",
            amount=_number_or_text(raw.get("amount"), cells.get("amount", ""))
            if not isinstance(raw.get("amount"), bool)
            else "",
            purchased_on=when if isinstance(when, date) else cells.get("purchased_on", ""),
            channel=cells.get("channel", ""),
            event=cells.get("event", ""),
            invoice_number=cells.get("invoice_number", ""),
            campaign=cells.get("campaign", ""),
            member=cells.get("member", ""),
        )
        parsed.append(ParsedRow(row_number, data, errors))
    return parsed


# ---------------------------------------------------------------- exports


def products_workbook(products: Iterable[Product]) -> bytes:
    workbook, sheet = new_sheet("帮扶产品")
    titles = [
        "产品编号", "产品名称", "品类", "生产主体", "主体类型", "产地", "区划代码", "计量单位", "单价（元）",
        "认证", "库存", "上市季节", "订购电话", "状态",
    ]  # fmt: skip
    header_row(sheet, titles, [24, 24, 12, 24, 14, 36, 16, 10, 12, 20, 10, 14, 16, 8])
    for p in products:
        sheet.append([
            p.number, p.name, p.get_category_display(), p.producer_name, p.get_producer_kind_display(),
            p.origin.full_name or p.origin.name, p.origin_id, p.unit, p.price, p.certification,
            p.stock, p.season, p.contact_phone, p.get_status_display(),
        ])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=9).number_format = "#,##0.00"
    return to_bytes(workbook)


def purchases_workbook(purchases: Iterable[Purchase]) -> bytes:
    """The purchases as recorded; a member's purchase says so without naming the member."""
    workbook, sheet = new_sheet("消费帮扶采购")
    titles = [
        "编号", "批次", "采购日期", "采购组织", "成员个人采购", "产品编号", "产品", "产地", "数量", "单位",
        "金额（元）", "渠道", "展销会", "专项行动", "发票号码",
    ]  # fmt: skip
    header_row(sheet, titles, [24, 24, 12, 28, 10, 24, 20, 36, 10, 8, 14, 12, 24, 24, 18])
    for p in purchases:
        sheet.append([
            p.number, p.batch.number, p.purchased_on, p.buyer.name, "是" if p.member_id else "否", p.product.number,
            p.product.name, p.product.origin.full_name or p.product.origin.name, p.quantity, p.product.unit,
            p.amount, p.get_channel_display(), p.event.name if p.event_id else "",  # type: ignore[union-attr]
            p.campaign.name if p.campaign_id else "", p.invoice_number,  # type: ignore[union-attr]
        ])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=3).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=11).number_format = "#,##0.00"
    return to_bytes(workbook)


def batches_workbook(batches: Iterable[PurchaseBatch]) -> bytes:
    workbook, sheet = new_sheet("采购批次")
    header_row(
        sheet,
        ["批次编号", "采购组织", "来源", "导入文件", "笔数", "合计金额（元）", "登记时间"],
        [24, 28, 12, 24, 8, 16, 18],
    )
    for b in batches:
        sheet.append([
            b.number, b.organization.name, b.get_source_display(), b.file_name, b.purchase_count, b.total_amount,
            local_minute(b.recorded_at),
        ])  # fmt: skip
    return to_bytes(workbook)


def totals_workbook(tables: dict[str, list[Any]]) -> bytes:
    """One sheet per grouping (buyer, origin county, campaign): name, count, amount."""
    workbook, first = new_sheet("按采购组织")
    titles = {"buyer": "按采购组织", "county": "按产地县", "campaign": "按专项行动"}
    for index, (key, rows) in enumerate(tables.items()):
        sheet = first if index == 0 else workbook.create_sheet(titles[key])
        header_row(sheet, [titles[key].removeprefix("按"), "笔数", "金额（元）"], [36, 10, 16])
        for row in rows:
            sheet.append([row.label, row.purchase_count, row.amount])
            sheet.cell(row=sheet.max_row, column=3).number_format = "#,##0.00"
    return to_bytes(workbook)
