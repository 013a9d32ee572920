"""Reading an uploaded .xlsx import: the sheet-handling every Excel import shares. No database access here.

Officials' and bank files are hand-made: title rows (often merged) above the header, header cells
merged across rows, full-width digits and punctuation, codes typed as numbers (433124110226.0),
dates typed as text (2026年6月30日). What copes with that lives here, once; each app keeps its
own columns and how its own values are read. The writing side (templates, exports) is
`xiangzhen.core.excel`.
"""

import io
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.excel import Column

HEADER_SEARCH_ROWS = 10
TEMPLATE_HINT = "，请使用平台提供的导入模板"
ONLY_XLSX = "只支持 .xlsx 文件" + TEMPLATE_HINT
DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?")


def normalize(value: Any) -> str:
    """A cell as text: full-width digits and punctuation folded (NFKC), 433124110226.0 → 433124110226."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def header_key(value: Any) -> str:
    """A header cell as compared: folded, without white space or the required-column star."""
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", normalize(value)).rstrip("*"))


def header_keys(columns: Iterable[Column], aliases: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Column key by header text as compared: each column's header, or else the `aliases` given per key."""
    if aliases is not None:
        return {header_key(alias): key for key, names in aliases.items() for alias in names}
    return {header_key(c.header): c.key for c in columns}


def read_sheet(filename: str, content: bytes, *, wrong_type: str = ONLY_XLSX) -> Worksheet:
    """The first sheet of an .xlsx upload (formulas as their last computed values)."""
    if not filename.lower().endswith(".xlsx"):
        raise ValidationFailed.on("file", wrong_type)
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except Exception:
        raise ValidationFailed.on("file", "无法读取 Excel 文件，请确认文件是 .xlsx 格式且未损坏") from None
    return workbook.worksheets[0]


def merged_value(sheet: Worksheet, row: int, column: int) -> tuple[Any, int]:
    """The value shown in a cell (a merged range shows its top-left value) and the range's last row."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return sheet.cell(merged.min_row, merged.min_col).value, merged.max_row
    return sheet.cell(row, column).value, row


def find_header(
    sheet: Worksheet,
    columns: Sequence[Column],
    *,
    anchor: str,
    examples: Sequence[str],
    keys: Mapping[str, str] | None = None,
    one_of: Mapping[str, Collection[str]] | None = None,
    hint: str = TEMPLATE_HINT,
) -> tuple[dict[str, int], int]:
    """Column positions by key, and the last row of the header (merged headers may span rows).

    The header is the first of the top `HEADER_SEARCH_ROWS` rows that has the `anchor` column;
    headers are matched through `keys` (by default the columns' own headers). A required column
    missing from it, or a group of `one_of` (its label → keys) with none of its keys, is refused;
    no such row at all is refused naming the `examples` columns, followed by `hint`.
    """
    keys = header_keys(columns) if keys is None else keys
    for row in range(1, min(sheet.max_row, HEADER_SEARCH_ROWS) + 1):
        positions: dict[str, int] = {}
        last_row = row
        for column in range(1, sheet.max_column + 1):
            value, ends = merged_value(sheet, row, column)
            key = keys.get(header_key(value))
            if key and key not in positions:
                positions[key] = column
                last_row = max(last_row, ends)
        if anchor in positions:
            missing = [c.header for c in columns if c.required and c.key not in positions]
            missing += [label for label, group in (one_of or {}).items() if not any(k in positions for k in group)]
            if missing:
                raise ValidationFailed.on("file", f"表头缺少“{'、'.join(missing)}”列{TEMPLATE_HINT}")
            return positions, last_row
    named = "".join(f"“{name}”" for name in examples)
    raise ValidationFailed.on("file", f"前 {HEADER_SEARCH_ROWS} 行中找不到表头（应含{named}等列）{hint}")


def data_rows(
    sheet: Worksheet, positions: Mapping[str, int], header_end: int
) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
    """Each row below the header as (row number, raw cells by key, their `normalize`d text by key).

    Blank rows are passed over: hand-made sheets often leave them between blocks.
    """
    for row_number in range(header_end + 1, sheet.max_row + 1):
        raw = {key: sheet.cell(row_number, column).value for key, column in positions.items()}
        cells = {key: normalize(value) for key, value in raw.items()}
        if any(cells.values()):
            yield row_number, raw, cells


def parse_date(value: Any, label: str, errors: list[str]) -> date | None:
    """A date cell: an Excel date or serial number, or text like 2026-06-30, 2026/6/30, 2026年6月30日.

    Blank is None; anything else is noted in `errors` (naming `label`) and read as None.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            converted = from_excel(value)
            if isinstance(converted, datetime):
                return converted.date()
        except (ValueError, OverflowError, TypeError):
            pass
    text = normalize(value)
    match = DATE_TEXT.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    errors.append(f"{label}“{text}”不是有效日期，应写成 2026-06-30")
    return None


def parse_yuan(value: Any, label: str, errors: list[str]) -> Decimal:
    """An amount in yuan: a number, or text like "50,000", "¥5万", "5万元"; blank is 0.

    Text that is no amount is noted in `errors` (naming `label`) and read as 0. A TRUE/FALSE
    (bool) cell is left to the caller to refuse: each import words that refusal its own way.
    """
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = re.sub(r"[\s,元¥]", "", normalize(value))
    multiplier = Decimal("1")
    if text.endswith("万"):
        text, multiplier = text[:-1], Decimal("10000")
    try:
        return Decimal(text) * multiplier
    except InvalidOperation:
        errors.append(f"{label}“{normalize(value)}”应为数字（单位：元）")
        return Decimal("0")
