"""The shared reading of .xlsx imports: cell folding, header search, dates, amounts."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from xiangzhen.core import sheets
from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.excel import Column

COLUMNS = [
    Column("title", "标题", True, ""),
    Column("region", "所在地", True, ""),
    Column("note", "备注", False, ""),
]


def sheet_of(*rows, merge=()):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for cells in merge:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return sheets.read_sheet("导入.xlsx", buffer.getvalue())


def message(excinfo):
    return excinfo.value.errors[0].message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("４３３１２４", "433124"),
        ("（ 双龙镇 ）", "( 双龙镇 )"),
        (433124110226.0, "433124110226"),
        (2.5, "2.5"),
        ("  是 ", "是"),
    ],
)
def test_normalize_folds_full_width_and_whole_floats(value, text):
    assert sheets.normalize(value) == text


def test_header_key_ignores_spaces_star_and_width():
    assert sheets.header_key(" 标 题* ") == sheets.header_key("标题") == "标题"
    assert sheets.header_key("金额（元）") == "金额(元)"


def test_read_sheet_refuses_other_files():
    with pytest.raises(ValidationFailed) as excinfo:
        sheets.read_sheet("导入.xls", b"")
    assert message(excinfo) == "只支持 .xlsx 文件，请使用平台提供的导入模板"
    with pytest.raises(ValidationFailed) as excinfo:
        sheets.read_sheet("导入.csv", b"", wrong_type="只支持 .xlsx 文件")
    assert message(excinfo) == "只支持 .xlsx 文件"
    with pytest.raises(ValidationFailed) as excinfo:
        sheets.read_sheet("导入.XLSX", b"not a workbook")
    assert message(excinfo) == "无法读取 Excel 文件，请确认文件是 .xlsx 格式且未损坏"


def test_header_below_a_merged_title_row_and_merged_over_two_rows():
    sheet = sheet_of(
        ["2026 年需求汇总", "", ""],
        ["标题*", "所在地*", "备注"],
        ["", "", ""],
        ["课后辅导", "十八洞村", ""],
        ["", "", ""],
        ["图书角", "双龙镇", "二期"],
        merge=["A1:C1", "A2:A3", "B2:B3", "C2:C3"],
    )
    assert sheets.merged_value(sheet, 1, 3) == ("2026 年需求汇总", 1)
    assert sheets.merged_value(sheet, 3, 2) == ("所在地*", 3)
    positions, header_end = sheets.find_header(sheet, COLUMNS, anchor="title", examples=("标题", "所在地"))
    assert positions == {"title": 1, "region": 2, "note": 3}
    assert header_end == 3
    rows = list(sheets.data_rows(sheet, positions, header_end))
    assert [(number, cells["title"]) for number, _, cells in rows] == [(4, "课后辅导"), (6, "图书角")]


def test_header_through_aliases_and_one_of_groups():
    sheet = sheet_of(["对方户名", "交易金额"], ["石爱心", 500])
    keys = sheets.header_keys(COLUMNS, {"title": ["对方户名"], "region": ["交易金额"], "note": ["流水号"]})
    with pytest.raises(ValidationFailed) as excinfo:
        sheets.find_header(
            sheet, COLUMNS, anchor="title", examples=("x",), keys=keys, one_of={"备注或流水号": ("note",)}
        )
    assert message(excinfo) == "表头缺少“备注或流水号”列，请使用平台提供的导入模板"


def test_missing_required_column_is_named():
    sheet = sheet_of(["标题", "备注"], ["课后辅导", ""])
    with pytest.raises(ValidationFailed) as excinfo:
        sheets.find_header(sheet, COLUMNS, anchor="title", examples=("标题", "所在地"))
    assert message(excinfo) == "表头缺少“所在地”列，请使用平台提供的导入模板"


def test_no_header_names_the_example_columns_and_the_hint():
    sheet = sheet_of(*([f"说明 {n}"] for n in range(12)), ["标题", "所在地"])
    with pytest.raises(ValidationFailed) as excinfo:
        sheets.find_header(sheet, COLUMNS, anchor="title", examples=("标题", "所在地"))
    assert message(excinfo) == "前 10 行中找不到表头（应含“标题”“所在地”等列），请使用平台提供的导入模板"
    with pytest.raises(ValidationFailed) as excinfo:
        sheets.find_header(sheet, COLUMNS, anchor="title", examples=("金额", "捐赠方"), hint="")
    assert message(excinfo) == "前 10 行中找不到表头（应含“金额”“捐赠方”等列）"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (datetime(2026, 6, 30, 9, 0), date(2026, 6, 30)),
        (date(2026, 6, 30), date(2026, 6, 30)),
        (46203, date(2026, 6, 30)),  # the Excel serial number of 2026-06-30
        ("2026-06-30", date(2026, 6, 30)),
        ("2026/6/30", date(2026, 6, 30)),
        ("2026.6.30", date(2026, 6, 30)),
        ("2026年6月30日", date(2026, 6, 30)),
        ("２０２６年６月３０日", date(2026, 6, 30)),
        ("2026-06-30 00:00:00", date(2026, 6, 30)),
    ],
)
def test_parse_date_reads_what_people_type(value, expected):
    errors: list[str] = []
    assert sheets.parse_date(value, "截止日期", errors) == expected
    assert errors == []


@pytest.mark.parametrize("value", ["2026-02-30", "明年六月", True])
def test_parse_date_notes_what_is_no_date(value):
    errors: list[str] = []
    assert sheets.parse_date(value, "截止日期", errors) is None
    assert errors == [f"截止日期“{sheets.normalize(value)}”不是有效日期，应写成 2026-06-30"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "0"), (20000, "20000"), (2.5, "2.5"), ("50,000", "50000"), ("¥5万", "50000"), ("５万元", "50000")],
)
def test_parse_yuan(value, expected):
    errors: list[str] = []
    assert sheets.parse_yuan(value, "所需资金", errors) == Decimal(expected)
    assert errors == []


def test_parse_yuan_notes_what_is_no_amount():
    errors: list[str] = []
    assert sheets.parse_yuan("两万", "所需资金", errors) == Decimal("0")
    assert errors == ["所需资金“两万”应为数字（单位：元）"]
