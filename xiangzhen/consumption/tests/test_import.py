import io
from datetime import date

import pytest
from openpyxl import Workbook

from xiangzhen.consumption import excel, services
from xiangzhen.consumption.models import Purchase, PurchaseBatch
from xiangzhen.core.errors import ValidationFailed
from xiangzhen.stats import rollups
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


def run(organization, actor, content, dry_run=False, filename="采购.xlsx"):
    return services.import_purchases(
        actor=actor, organization=organization, filename=filename, content=content, dry_run=dry_run
    )


def test_the_template_imports_back(product, organization, org_admin):
    report = run(organization, org_admin, excel.template_workbook(product.number), dry_run=True)
    assert report.ok, report.errors
    assert report.created == 1 and not Purchase.objects.exists()


def test_an_import_is_one_batch_and_a_second_import_skips_every_line(product, fair, organization, org_admin):
    today = date.today().isoformat()
    content = workbook(
        [
            [product.number, 10, "", today, "直接采购", "", "No.0001", "", ""],
            [None] * 9,
            [product.number, "２", 150, today, "展销会", fair.number, 20260001, "", ""],
        ],
        title_rows=[["某某单位消费帮扶采购清单"]],
    )
    first = run(organization, org_admin, content)
    assert first.ok, first.errors
    assert first.created == 2 and len(first.numbers) == 1
    batch = PurchaseBatch.objects.get()
    assert batch.source == PurchaseBatch.Source.IMPORT and batch.file_name == "采购.xlsx" and batch.purchase_count == 2
    assert sorted(Purchase.objects.values_list("amount", flat=True)) == [150, 880]
    assert Purchase.objects.get(invoice_number="20260001").event == fair
    again = run(organization, org_admin, content)
    assert again.ok and again.created == 0 and again.existing == 2 and again.numbers == []
    assert [r.outcome for r in again.rows] == ["exists", "exists"]
    assert PurchaseBatch.objects.count() == 1 and LogEntry.objects.filter(kind="purchase_batch").count() == 1
    assert rollups.differences() == []


def test_bad_rows_are_reported_with_their_numbers_and_nothing_is_written(product, organization, org_admin, org_member):
    today = date.today().isoformat()
    content = workbook(
        [
            [product.number, 1, "", today, "直接采购", "", "A-1", "", ""],
            ["CP-404", "一箱", "", "明天", "飞鸽", "", "", "", ""],
            [product.number, 1, "", today, "展销会", "", "A-2", "XD-404", "nobody"],
            [product.number, 1, "", today, "直接采购", "", "A-1", "", ""],
        ]
    )
    report = run(organization, org_admin, content)
    assert not report.ok
    assert {row for row, _ in report.errors} == {3, 4, 5}
    messages = " ".join(message for _, message in report.errors)
    for expected in (
        "产品“CP-404”不存在",
        "数量应为数字",
        "不是有效日期",
        "采购渠道",
        "请填写发票号码",
        "请选择是在哪一场",
        "专项行动“XD-404”不存在",
        "用户“nobody”不存在",
        "与第 2 行重复",
    ):
        assert expected in messages, expected
    assert not Purchase.objects.exists() and not LogEntry.objects.exists()


def test_a_plain_member_imports_their_own_purchases(product, organization, org_member, org_admin):
    today = date.today().isoformat()
    own = workbook([[product.number, 1, "", today, "电商平台", "", "M-1", "", ""]])
    report = run(organization, org_member, own)
    assert report.ok and Purchase.objects.get().member == org_member
    someone_else = workbook([[product.number, 1, "", today, "电商平台", "", "M-2", "", org_admin.username]])
    refused = run(organization, org_member, someone_else)
    assert not refused.ok and "只能登记本人" in refused.errors[0][1]


def test_wrong_files_are_refused(organization, org_admin):
    with pytest.raises(ValidationFailed, match="xlsx"):
        run(organization, org_admin, b"x", filename="a.csv")
    with pytest.raises(ValidationFailed, match="表头"):
        run(organization, org_admin, workbook([["a"]], header=["随便"]))
