"""The Excel export of match lists. No database access here."""

from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Font

from xiangzhen.core.excel import new_sheet, to_bytes
from xiangzhen.matching.selectors import EXPORT_HEADERS


def export_workbook(rows: Iterable[list[Any]]) -> bytes:
    """One sheet: the header row, then one row per match."""
    workbook, sheet = new_sheet("供需对接")
    sheet.append(EXPORT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    return to_bytes(workbook)
