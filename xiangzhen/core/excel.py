"""The workbook plumbing every Excel template, export and import shares. No database access here.

Each app keeps its own column list, its cell formatting and its row parsing; what is the same
everywhere — the column declaration, the styled header row, the instructions sheet of a template,
text-formatted code columns, 是/否 cells, saving to bytes and the download response — lives here,
so every file the platform hands out looks and reads the same. Reading an uploaded import
(header search, cell folding, dates) is `xiangzhen.core.sheets`.
"""

import io
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import save_workbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "E6F4EA"
YES = frozenset({"是", "Y", "YES", "TRUE", "1", "√"})
NO = frozenset({"否", "N", "NO", "FALSE", "0", ""})


@dataclass(frozen=True)
class Column:
    """One column of an import template (and of the export that imports back)."""

    key: str
    header: str
    required: bool
    explanation: str


def headers(columns: Iterable[Column]) -> list[str]:
    """Header texts; required columns are starred."""
    return [c.header + ("*" if c.required else "") for c in columns]


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook and its first sheet, titled."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    return workbook, sheet


def header_row(sheet: Worksheet, values: Sequence[Any], widths: Sequence[float]) -> None:
    """Append the header row bold on the platform's green, size the columns, and keep it in view."""
    sheet.append(list(values))
    for cell, width in zip(sheet[1], widths, strict=True):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def text_format(sheet: Worksheet, columns: Sequence[Column], text_keys: Collection[str], *, row: int) -> None:
    """Format the code and phone cells of `row` as text, so Excel keeps their leading zeros."""
    for index, column in enumerate(columns, start=1):
        if column.key in text_keys:
            sheet.cell(row=row, column=index).number_format = "@"


def instructions_sheet(
    workbook: Workbook, columns: Iterable[Column], sections: Iterable[list[list[Any]]], widths: dict[str, float]
) -> None:
    """The template's “填写说明” sheet: each column with whether it is required, then `sections`
    (a title row and its rows each, separated by a blank row)."""
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for column in columns:
        notes.append([column.header, "是" if column.required else "否", column.explanation])
    for rows in sections:
        notes.append([])
        for row in rows:
            notes.append(row)
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in widths.items():
        notes.column_dimensions[letter].width = width
    for cells in notes.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def yes_no(text: str, label: str, errors: list[str], *, yes: Collection[str] = YES) -> bool:
    """A 是/否 cell (already trimmed); anything else is noted in `errors` and read as 否."""
    if text.upper() in yes:
        return True
    if text.upper() not in NO:
        errors.append(f"{label}应填“是”或“否”，当前为“{text}”")
    return False


def to_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    save_workbook(workbook, buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx file as an attachment named `filename`."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
