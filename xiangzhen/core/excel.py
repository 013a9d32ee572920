"""The workbook plumbing every Excel template, export and import shares. No database access here.

Each app keeps its own column list, its cell formatting and its row parsing; what is the same
everywhere — the column declaration, the styled header row, the instructions sheet of a template,
text-formatted code columns, 是/否 cells, saving to bytes and the download response — lives here,
so every file the platform hands out looks and reads the same. Reading an uploaded import
(header search, cell folding, dates) is `xiangzhen.core.sheets`.

Every workbook leaves through `to_bytes`, which first neutralises formula injection: a text cell
that begins with = + - @ or a tab / carriage return (what Excel and LibreOffice read as the start
of a formula, or of DDE) is written as plain text with Excel's quote prefix. The value itself is
unchanged, so an export that imports back still reads the same text. No export writes formulas.
"""

import datetime
import io
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import save_workbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "E6F4EA"
# What makes a spreadsheet program read a typed-in or pasted cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def local_minute(value: datetime.datetime | None) -> str:
    """A moment as a cell shows it: local (Asia/Shanghai) time to the minute, blank when unset."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


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


def neutralise_formulas(workbook: Workbook) -> int:
    """Make every cell whose text could run as a formula plain text; returns how many were changed.

    openpyxl stores a string starting with "=" as a formula: it is turned back into a string. Other
    risky starts are already strings, but get the quote prefix too, so editing the cell in Excel (or
    saving the sheet as CSV and opening that) does not turn them into formulas either.
    """
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def to_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file, with formula injection neutralised."""
    neutralise_formulas(workbook)
    buffer = io.BytesIO()
    save_workbook(workbook, buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx file as an attachment named `filename`."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
