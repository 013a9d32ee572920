import io
from datetime import date

import pytest
from openpyxl import Workbook

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.funds import excel, services
from xiangzhen.funds.models import Donation
from xiangzhen.tlog.models import LogEntry

pytestmark = pytest.mark.django_db


def workbook(rows, header=None, title_rows=()):
    wb = Workbook()
    sheet = wb.active
    for row in title_rows:
        sheet.append(row)
    sheet.append(header or excel.HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(fund, actor, content, dry_run=False, filename="捐赠.xlsx"):
    return services.import_donations(actor=actor, fund=fund, filename=filename, content=content, dry_run=dry_run)


def test_template_imports_back_after_the_example_row(fund, org_member):
    content = excel.template_workbook()
    report = run(fund, org_member, content, dry_run=True)
    assert report.ok and report.created == 1


def test_import_is_idempotent_by_receipt_or_transaction_number(fund, org_member):
    today = date.today().isoformat()
    content = workbook(
        [
            ["SJ-1", "", "个人", "石爱心", 100, today, "银行转账", "否", "", ""],
            [None] * 10,  # blank rows between blocks are skipped
            ["", "T-2", "企业", "湘西某公司", "２００.５０", today, "网络募捐平台", "是", "", "教育"],
        ]
    )
    first = run(fund, org_member, content)
    assert first.ok and first.created == 2 and len(first.numbers) == 2
    assert LogEntry.objects.filter(kind="donation").count() == 2
    again = run(fund, org_member, content)
    assert again.ok and again.created == 0 and again.existing == 2
    assert Donation.objects.filter(fund=fund).count() == 2
    assert Donation.objects.get(transaction_number="T-2").amount == 200.5


def test_bank_statement_headers_are_understood(fund, org_member):
    content = workbook(
        [["对方户名", "交易金额", "交易日期", "交易流水号"], ["龙大山", "1,000.00", "2026年1月5日", 20260105001]],
        header=["某某银行对公账户交易明细"],
    )
    report = run(fund, org_member, content)
    assert report.ok, report.errors
    donation = Donation.objects.get(fund=fund)
    assert donation.transaction_number == "20260105001" and donation.channel == "bank"
    assert donation.donor_kind == "individual"


def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_written(fund, org_member):
    today = date.today().isoformat()
    content = workbook(
        [
            ["SJ-1", "", "个人", "石爱心", 100, today, "银行转账", "否", "", ""],
            ["SJ-2", "", "个人", "", "一百元", "明天", "飞鸽传书", "也许", "", ""],
            ["SJ-1", "", "个人", "石爱心", 100, today, "银行转账", "否", "", ""],
            ["", "", "个人", "王五", True, today, "", "", "", ""],
        ]
    )
    report = run(fund, org_member, content)
    assert not report.ok
    rows = {row for row, _ in report.errors}
    assert rows == {3, 4, 5}
    messages = " ".join(message for _, message in report.errors)
    for expected in (
        "请填写捐赠方名称",
        "捐赠金额应为金额",
        "不是有效日期",
        "捐赠渠道",
        "对外匿名",
        "与第 2 行重复",
        "收据编号或交易流水号",
    ):
        assert expected in messages
    assert not Donation.objects.exists()
    assert not LogEntry.objects.exists()


def test_wrong_files_are_refused(fund, org_member):
    with pytest.raises(ValidationFailed, match="xlsx"):
        run(fund, org_member, b"x", filename="a.csv")
    with pytest.raises(ValidationFailed, match="表头"):
        run(fund, org_member, workbook([["a"]], header=["随便"]))
