"""The Excel export of monitored households (personal data masked by the selector)."""

from typing import Any

from xiangzhen.core.excel import header_row, new_sheet, to_bytes

HEADERS = ["编号", "所在村", "监测类型", "户主姓名", "户主身份证号", "联系电话", "风险类型", "人均纯收入（元/年）",
           "状态", "识别日期", "风险消除或迁出日期"]  # fmt: skip
WIDTHS = [26, 36, 14, 10, 22, 16, 24, 16, 10, 12, 16]


def export_workbook(rows: list[list[Any]]) -> bytes:
    workbook, sheet = new_sheet("监测对象")
    header_row(sheet, HEADERS, WIDTHS)
    for row in rows:
        sheet.append(row)
    return to_bytes(workbook)
