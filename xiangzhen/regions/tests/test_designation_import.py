"""Bulk designations: table or pasted list, preview, all-or-nothing, idempotent, ambiguous names."""

import io

import pytest
from openpyxl import Workbook

from conftest import FENGHUANG, HUAYUAN, SHIBADONG
from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import staff
from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.regions import services
from xiangzhen.regions.models import Designation

BAOJING = "433125000000"
DAPING_FENGHUANG = "433123101214"
DAPING_BAOJING = "433125110221"


def table(rows: list[tuple[str, ...]], header=("区划代码", "名称", "认定类型")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_table_rows_accept_codes_names_labels_and_kind_codes(province_rural_revitalization):
    content = table(
        [
            (HUAYUAN, "", "国家乡村振兴重点帮扶县"),
            ("", "十八洞村", "demonstration_village"),
            ("", "凤凰县", "省级乡村振兴重点帮扶县"),
        ]
    )
    rows = services.designation_rows_from_table("d.xlsx", content)
    report = services.import_designations(actor=province_rural_revitalization, rows=rows, dry_run=True)
    assert report.ok, report.errors
    assert [(r.row_number, r.region.code, r.kind, r.outcome) for r in report.rows] == [
        (2, HUAYUAN, "national_key_county", "create"),
        (3, SHIBADONG, "demonstration_village", "create"),
        (4, FENGHUANG, "provincial_key_county", "create"),
    ]
    assert not Designation.objects.exists()  # preview writes nothing

    done = services.import_designations(actor=province_rural_revitalization, rows=rows, source="d.xlsx")
    assert done.created == 3
    assert set(Designation.objects.values_list("region_id", "kind")) == {
        (HUAYUAN, "national_key_county"),
        (SHIBADONG, "demonstration_village"),
        (FENGHUANG, "provincial_key_county"),
    }
    assert Designation.objects.get(region_id=HUAYUAN).set_by == province_rural_revitalization
    assert AuditEntry.objects.filter(action="regions.import_designations").count() == 3


def test_reimport_is_idempotent(province_rural_revitalization):
    rows = services.designation_rows_from_text(f"{SHIBADONG}\n凤凰县/大坪村\n", "poverty_exited_village")
    first = services.import_designations(actor=province_rural_revitalization, rows=rows)
    assert first.created == 2
    again = services.import_designations(actor=province_rural_revitalization, rows=rows)
    assert again.ok and (again.created, again.unchanged) == (0, 2)
    assert Designation.objects.count() == 2
    assert AuditEntry.objects.filter(action="regions.import_designations").count() == 2


def test_ambiguous_name_is_a_row_error_until_qualified(province_rural_revitalization):
    rows = services.designation_rows_from_text("大坪村\n保靖县/大坪村\n凤凰/大坪村\n", "key_assisted_village")
    report = services.import_designations(actor=province_rural_revitalization, rows=rows, dry_run=True)
    assert not report.ok
    number, message = report.errors[0]
    assert number == 1
    assert "对应多个区划" in message and DAPING_FENGHUANG in message and DAPING_BAOJING in message
    assert "县名/大坪村" in message
    assert [r.region.code for r in report.rows[1:]] == [DAPING_BAOJING, DAPING_FENGHUANG]


def test_any_bad_row_means_nothing_is_written(province_rural_revitalization):
    rows = [
        services.DesignationRow(2, SHIBADONG, "重点帮扶村"),  # fine
        services.DesignationRow(3, "433124999999", "重点帮扶村"),  # no such code
        services.DesignationRow(4, "不存在村", "重点帮扶村"),  # no such name
        services.DesignationRow(5, SHIBADONG, "金牌村"),  # unknown kind
        services.DesignationRow(6, HUAYUAN, "重点帮扶村"),  # village kind on a county
        services.DesignationRow(7, SHIBADONG, "key_assisted_village"),  # duplicate of row 2
        services.DesignationRow(8, "12345", "重点帮扶村"),  # malformed code
        services.DesignationRow(9, SHIBADONG, "重点帮扶村", name="大坪村"),  # code and name disagree
        services.DesignationRow(10, "", "重点帮扶村"),  # empty
    ]
    report = services.import_designations(actor=province_rural_revitalization, rows=rows)
    assert [n for n, _ in report.errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = dict(report.errors)
    assert "不存在" in messages[3]
    assert "未找到" in messages[4]
    assert "认定类型“金牌村”不正确" in messages[5]
    assert "村（社区）或乡镇" in messages[6]
    assert "与第 2 行重复" in messages[7]
    assert "格式不正确" in messages[8]
    assert "不一致" in messages[9]
    assert "不能为空" in messages[10]
    assert not Designation.objects.exists()


def test_other_province_staff_cannot_import_hunan_regions(db):
    shanxi = staff(Department.Kind.CIVIL_AFFAIRS, "140000000000", username="sx_mz")
    rows = services.designation_rows_from_text(f"{SHIBADONG}\n十八洞村", "demonstration_village")
    report = services.import_designations(actor=shanxi, rows=rows)
    messages = dict(report.errors)
    assert "无权设置" in messages[1]
    assert "未找到" in messages[2]  # names are looked up only inside the user's own province
    assert not Designation.objects.exists()


def test_only_province_staff_and_admins_may_import(county_official, platform_admin):
    rows = services.designation_rows_from_text(HUAYUAN, "national_key_county")
    with pytest.raises(Forbidden):
        services.import_designations(actor=county_official, rows=rows)
    assert services.import_designations(actor=platform_admin, rows=rows).created == 1
    with pytest.raises(ValidationFailed):
        services.import_designations(actor=platform_admin, rows=[])


def test_table_needs_kind_and_a_region_column():
    with pytest.raises(ValidationFailed, match="认定类型"):
        services.designation_rows_from_table("d.csv", "区划代码,名称\n433124000000,花垣县\n".encode())
    rows = services.designation_rows_from_table("d.csv", "名称,类型\n花垣县,国家乡村振兴重点帮扶县\n\n".encode())
    assert [(r.row_number, r.reference, r.kind) for r in rows] == [(2, "花垣县", "国家乡村振兴重点帮扶县")]


def test_pasted_list_skips_blank_lines_and_keeps_line_numbers():
    rows = services.designation_rows_from_text("十八洞村\n\n  凤凰县/大坪村，\n", "key_assisted_village")
    assert [(r.row_number, r.reference) for r in rows] == [(1, "十八洞村"), (3, "凤凰县/大坪村")]
