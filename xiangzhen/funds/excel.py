"""Excel for funds: the donation import template and reader, and the exports. No database access here.

The reader takes the platform's template and also the usual headers of bank statements and
fundraising-platform exports (对方户名, 交易金额, 贷方发生额, 交易流水号 …); it skips title rows and
blank rows, folds full-width characters (NFKC) and turns a number typed as text into a number.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from xiangzhen.core.excel import (
    Column,
    header_row,
    headers,
    instructions_sheet,
    local_minute,
    new_sheet,
    text_format,
    to_bytes,
    yes_no,
)
from xiangzhen.core.sheets import data_rows, find_header, header_keys, read_sheet
from xiangzhen.funds import targets
from xiangzhen.funds.models import Disbursement, Disclosure, Donation, DonationRefund, Fund
from xiangzhen.funds.validation import DonationData

COLUMNS = [
    Column("receipt_number", "收据编号", False, "本组织开具的捐赠收据编号；与交易流水号至少填一个，重复导入时据此跳过"),
    Column("transaction_number", "交易流水号", False, "银行或募捐平台的流水号/订单号"),
    Column("donor_kind", "捐赠方类型", False, "个人 / 企业 / 社会组织 / 其他；不填按个人（对外打码）"),
    Column("donor_name", "捐赠方", True, "姓名或单位名称；仅本组织可见全名"),
    Column("amount", "金额（元）", True, "大于 0，最多两位小数"),
    Column("donated_on", "捐赠日期", True, "如 2026-06-30"),
    Column("channel", "渠道", False, "银行转账 / 网络募捐平台 / 现金 / 其他；不填按导入页所选"),
    Column("anonymous", "对外匿名", False, "是 / 否"),
    Column("restricted_project", "限定项目", False, "本基金的项目编号或名称；不填为非限定"),
    Column("restricted_domain", "限定领域", False, "领域名称，如 教育；与限定项目二选一"),
]
HEADERS = headers(COLUMNS)
TEXT_COLUMNS = {"receipt_number", "transaction_number"}
ALIASES = {
    "receipt_number": ["收据编号", "收据号", "票据编号", "票据号"],
    "transaction_number": ["交易流水号", "流水号", "交易号", "订单号", "交易单号", "支付流水号"],
    "donor_kind": ["捐赠方类型", "捐赠人类型"],
    "donor_name": ["捐赠方", "捐赠人", "捐赠者", "对方户名", "付款人", "付款方", "对方名称", "捐款人"],
    "amount": ["金额（元）", "金额", "捐赠金额", "交易金额", "贷方发生额", "收入金额", "入账金额", "捐款金额"],
    "donated_on": ["捐赠日期", "交易日期", "日期", "入账日期", "交易时间", "捐款时间"],
    "channel": ["渠道", "捐赠渠道"],
    "anonymous": ["对外匿名", "匿名"],
    "restricted_project": ["限定项目"],
    "restricted_domain": ["限定领域"],
}
HEADER_KEYS = header_keys(COLUMNS, ALIASES)
ANONYMOUS_YES = frozenset({"是", "Y", "YES", "TRUE", "1", "匿名"})  # 是/否 words and 匿名; “√” is not taken here
EITHER_REFERENCE = {"收据编号或交易流水号": ("receipt_number", "transaction_number")}


def template_workbook(example_project: str = "") -> bytes:
    workbook, sheet = new_sheet("捐赠")
    header_row(sheet, HEADERS, [18] * len(HEADERS))
    sheet.append(
        ["SJ-2026-0001", "", "个人", "石爱心", 500, date.today().isoformat(), "银行转账", "否", example_project, ""]
    )
    text_format(sheet, COLUMNS, TEXT_COLUMNS, row=2)
    note = (
        "第 2 行为示例，导入前请删除。"
        "也可直接上传银行对账单或募捐平台导出的表格（含“对方户名”“交易金额”“交易流水号”等列）。"
        "先预览、确认后一次性写入，有任何一行出错则不写入；收据编号或交易流水号已登记过的行会跳过，不会重复登记。"
    )
    instructions_sheet(workbook, COLUMNS, [[["说明", "", note]]], {"A": 18, "C": 80})
    return to_bytes(workbook)


@dataclass
class ParsedRow:
    row_number: int
    data: DonationData
    errors: list[str]


def parse_donations(filename: str, content: bytes, default_channel: str) -> list[ParsedRow]:
    """The data rows of the first sheet as donation input; blank rows are skipped."""
    sheet = read_sheet(filename, content, wrong_type="只支持 .xlsx 文件，请使用平台提供的导入模板或另存为 .xlsx")
    positions, header_end = find_header(
        sheet, COLUMNS, anchor="amount", examples=("金额", "捐赠方"), keys=HEADER_KEYS, one_of=EITHER_REFERENCE, hint=""
    )
    parsed: list[ParsedRow] = []
    for row_number, raw, cells in data_rows(sheet, positions, header_end):
        errors: list[str] = []
        amount = raw.get("amount")
        data = DonationData(
            donor_kind=cells.get("donor_kind") or "individual",
            donor_name=cells.get("donor_name", ""),
            amount=amount
            if isinstance(amount, (int, float)) and not isinstance(amount, bool)
            else cells.get("amount", ""),
            donated_on=raw.get("donated_on") if not isinstance(raw.get("donated_on"), str) else cells["donated_on"],
            channel=cells.get("channel") or default_channel,
            anonymous=yes_no(cells.get("anonymous", ""), "对外匿名", errors, yes=ANONYMOUS_YES),
            restricted_project=cells.get("restricted_project", ""),
            restricted_domain=cells.get("restricted_domain", ""),
            receipt_number=cells.get("receipt_number", ""),
            transaction_number=cells.get("transaction_number", ""),
        )
        parsed.append(ParsedRow(row_number, data, errors))
    return parsed


# ---------------------------------------------------------------- exports


def _date_cells(sheet: Worksheet, columns: Iterable[int]) -> None:
    for column in columns:
        sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"


def funds_workbook(rows: Iterable[tuple[Fund, Any]], public: bool) -> bytes:
    """One row per fund with its totals (income, expense, balance from the ledger)."""
    workbook, sheet = new_sheet("专项基金")
    titles = [
        "编号", "基金名称", "社会组织", "设立方类型", "设立方", "资助领域", "资助地区", "状态",
        "累计收入（元）", "累计支出（元）", "余额（元）", "宗旨和用途",
    ]  # fmt: skip
    header_row(sheet, titles, [20, 30, 30, 12, 20, 20, 30, 10, 16, 16, 16, 40])
    for fund, totals in rows:
        sheet.append([
            fund.number, fund.name, fund.organization.name, fund.get_founder_kind_display(),
            fund.public_founder_name if public else fund.founder_name,
            "、".join(d.name for d in fund.domains.all()),
            "、".join(r.full_name or r.name for r in fund.target_regions.all()),
            fund.get_status_display(), totals.income, totals.expense, totals.balance, fund.purpose,
        ])  # fmt: skip
        for column in (9, 10, 11):
            sheet.cell(row=sheet.max_row, column=column).number_format = "#,##0.00"
    return to_bytes(workbook)


def donations_workbook(donations: Iterable[Donation], public: bool) -> bytes:
    """The organization's export carries the donor and references; the public one masks them."""
    workbook, sheet = new_sheet("捐赠")
    titles = ["捐赠编号", "捐赠日期", "捐赠方", "捐赠方类型", "金额（元）", "渠道", "用途"]
    if not public:
        titles += ["对外匿名", "收据编号", "交易流水号"]
    header_row(sheet, titles, [24, 12, 20, 12, 14, 14, 24, 10, 20, 24][: len(titles)])
    for d in donations:
        row: list[Any] = [
            d.number, d.donated_on, d.public_donor if public else d.donor_name, d.get_donor_kind_display(),
            d.amount, d.get_channel_display(), d.purpose_label,
        ]  # fmt: skip
        if not public:
            row += ["是" if d.anonymous else "否", d.receipt_number, d.transaction_number]
        sheet.append(row)
        _date_cells(sheet, [2])
        sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0.00"
    return to_bytes(workbook)


def disbursements_workbook(disbursements: Iterable[Disbursement]) -> bytes:
    workbook, sheet = new_sheet("拨付")
    header_row(sheet, ["拨付编号", "拨付日期", "拨付对象", "收款方", "金额（元）", "用途"], [24, 12, 24, 24, 14, 40])
    for d in disbursements:
        kind = targets.kind_of(d)
        target = f"{targets.label(kind)} {d.target_number}"
        if kind == "project":
            target += f" {d.project.name}"  # type: ignore[union-attr]
        sheet.append([d.number, d.paid_on, target, d.payee, d.amount, d.purpose])
        _date_cells(sheet, [2])
        sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0.00"
    return to_bytes(workbook)


def refunds_workbook(refunds: Iterable[DonationRefund], public: bool) -> bytes:
    """Refunds with the donation they return money from; the reason only for the organization."""
    workbook, sheet = new_sheet("捐赠退款")
    titles = ["退款编号", "退款日期", "原捐赠编号", "金额（元）"] + ([] if public else ["退款原因"])
    header_row(sheet, titles, [24, 12, 24, 14, 40][: len(titles)])
    for r in refunds:
        sheet.append([r.number, r.refunded_on, r.donation.number, r.amount] + ([] if public else [r.reason]))
        _date_cells(sheet, [2])
        sheet.cell(row=sheet.max_row, column=4).number_format = "#,##0.00"
    return to_bytes(workbook)


def disclosures_workbook(disclosures: Iterable[Disclosure]) -> bytes:
    workbook, sheet = new_sheet("信息公开")
    titles = [
        "编号", "基金", "项目", "期间开始", "期间结束", "结项公开",
        "期间收入（元）", "期间支出（元）", "期末余额（元）", "公开时间", "公开内容",
    ]  # fmt: skip
    header_row(sheet, titles, [22, 24, 24, 12, 12, 10, 14, 14, 14, 18, 50])
    for d in disclosures:
        sheet.append([
            d.number, d.fund.number, f"{d.project.number} {d.project.name}" if d.project_id else "基金整体",  # type: ignore[union-attr]
            d.period_start, d.period_end, "是" if d.is_final else "否", d.income, d.expense, d.balance,
            local_minute(d.published_at), d.text,
        ])  # fmt: skip
        _date_cells(sheet, [4, 5])
        for column in (7, 8, 9):
            sheet.cell(row=sheet.max_row, column=column).number_format = "#,##0.00"
    return to_bytes(workbook)
