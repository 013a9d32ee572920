"""The Excel export of match lists. No database access here."""

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import save_workbook

from xiangzhen.matching.selectors import EXPORT_HEADERS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_workbook(rows: Iterable[list[Any]]) -> bytes:
    """One sheet: the header row, then one row per match."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "供需对接"
    sheet.append(EXPORT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    save_workbook(workbook, buffer)
    return buffer.getvalue()
