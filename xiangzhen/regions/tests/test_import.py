"""Loading the country tree and importing township/village code tables."""

import io

import pytest
from openpyxl import Workbook

from conftest import HUAYUAN, SHIBADONG
from xiangzhen.core.models import AuditEntry
from xiangzhen.regions import services
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Region

JISHOU = "433101000000"  # 吉首市: a county with no townships in the test data
HEADER = "统计用区划代码,名称\n"


def csv_bytes(rows: list[tuple[str, str]], encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(f"{code},{name}\n" for code, name in rows)).encode(encoding)


def xlsx_bytes(rows: list[tuple[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["统计用区划代码", "名称"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


NEW_ROWS = [
    ("433101001000", "测试街道"),
    ("433101001001", "测试一社区"),
    ("433101001002", "测试二社区"),
]


def test_country_tree_has_every_province_and_county(db):
    assert Region.objects.filter(level=Level.PROVINCE).count() >= 31
    assert Region.objects.filter(level=Level.COUNTY).count() >= 2800
    assert Region.objects.get(pk=HUAYUAN).full_name == "湖南省 湘西土家族苗族自治州 花垣县"


def test_load_country_tree_is_idempotent(db):
    before = Region.objects.count()
    sample = Region.objects.get(pk=HUAYUAN)
    loaded = services.load_country_tree()
    assert loaded >= 2800 + 31
    assert Region.objects.count() == before
    again = Region.objects.get(pk=HUAYUAN)
    assert (again.name, again.parent_id, again.pinyin, again.full_name) == (
        sample.name,
        sample.parent_id,
        sample.pinyin,
        sample.full_name,
    )


def test_demo_divisions_are_loaded_with_parents_and_pinyin(db):
    village = Region.objects.get(pk=SHIBADONG)
    assert village.name == "十八洞村"
    assert village.level == Level.VILLAGE
    assert village.parent_id == "433124110000"
    assert village.pinyin == "shibadongcun"
    assert village.initials == "sbdc"
    assert village.full_name.endswith("花垣县 双龙镇 十八洞村")
    assert Region.objects.filter(code__startswith="43312", level=Level.TOWNSHIP).count() == 41
    assert Region.objects.filter(code__startswith="43312", level=Level.VILLAGE).count() == 683


@pytest.mark.parametrize("filename,content", [("t.csv", csv_bytes(NEW_ROWS)), ("t.xlsx", xlsx_bytes(NEW_ROWS))])
def test_import_divisions_from_csv_and_xlsx(platform_admin, filename, content):
    preview = services.import_divisions(actor=platform_admin, filename=filename, content=content, dry_run=True)
    assert preview.ok and (preview.created, preview.updated, preview.unchanged) == (3, 0, 0)
    assert not Region.objects.filter(code__startswith="433101001").exists()

    report = services.import_divisions(actor=platform_admin, filename=filename, content=content)
    assert (report.created, report.updated) == (3, 0)
    street = Region.objects.get(pk="433101001000")
    assert street.parent_id == JISHOU and street.level == Level.TOWNSHIP
    village = Region.objects.get(pk="433101001002")
    assert village.parent_id == "433101001000"
    assert village.full_name == "湖南省 湘西土家族苗族自治州 吉首市 测试街道 测试二社区"
    assert AuditEntry.objects.filter(action="regions.import_divisions", actor=platform_admin).count() == 1


def test_reimport_changes_nothing_and_renames_update(platform_admin):
    content = csv_bytes(NEW_ROWS)
    services.import_divisions(actor=platform_admin, filename="t.csv", content=content)
    again = services.import_divisions(actor=platform_admin, filename="t.csv", content=content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.filter(action="regions.import_divisions", actor=platform_admin).count() == 1

    renamed = csv_bytes([("433101001001", "测试一村"), *NEW_ROWS[::2]])
    report = services.import_divisions(actor=platform_admin, filename="t.csv", content=renamed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Region.objects.get(pk="433101001001").name == "测试一村"


def test_gb18030_csv_is_read(platform_admin):
    content = csv_bytes(NEW_ROWS, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    report = services.import_divisions(actor=platform_admin, filename="统计表.CSV", content=content)
    assert report.ok and report.created == 3
    assert Region.objects.get(pk="433101001000").name == "测试街道"


def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_written(platform_admin):
    rows = [
        ("433101001000", "测试街道"),  # row 2, fine
        ("43310100100", "短代码"),  # row 3, 11 digits
        ("433102000000", "县级代码"),  # row 4, not a township/village code
        ("433101999001", "没有上级的村"),  # row 5, township 433101999 missing
        ("433101001000", "重复街道"),  # row 6, duplicate of row 2
        ("433101001001", ""),  # row 7, empty name
        ("433101001002", "好的社区"),  # row 8, fine
    ]
    report = services.import_divisions(actor=platform_admin, filename="bad.csv", content=csv_bytes(rows))
    assert not report.ok
    numbers = [number for number, _ in report.errors]
    assert numbers == [3, 4, 5, 6, 7]
    messages = dict(report.errors)
    assert "12 位数字" in messages[3]
    assert "不是乡镇或村级代码" in messages[4]
    assert "上级区划“433101999000”不存在" in messages[5]
    assert "与第 2 行重复" in messages[6]
    assert "名称不能为空" in messages[7]
    assert not Region.objects.filter(code__startswith="433101001").exists()


def test_missing_columns_and_unknown_formats_are_rejected(platform_admin):
    from xiangzhen.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="表头应包含"):
        services.import_divisions(actor=platform_admin, filename="t.csv", content="代码,名字\n1,2\n".encode())
    with pytest.raises(ValidationFailed, match="只支持"):
        services.import_divisions(actor=platform_admin, filename="t.txt", content=b"x")
