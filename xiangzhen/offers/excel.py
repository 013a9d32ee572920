"""Excel export of offer lists, and the import template and its row parsing.

No database access here: the caller passes the listed offers, and the import passes a resolver
for the service-area names.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from xiangzhen.core.excel import Column, header_row, headers, instructions_sheet, new_sheet, text_format, to_bytes
from xiangzhen.core.sheets import data_rows, find_header, normalize, parse_date, parse_yuan, read_sheet
from xiangzhen.offers.models import AidMode, Offer
from xiangzhen.offers.validation import LABELS, OfferData

SHEET_TITLE = "供给项目"
HEADERS = [
    "编号", "项目名称", "社会组织", "登记地", "服务领域", "受益群体", "服务区域", "帮扶方式",
    "可承接需求数", "可投入资金（元）", "可提供物资", "开始日期", "结束日期", "状态", "发布时间", "项目内容",
]  # fmt: skip
WIDE = {"项目名称", "社会组织", "服务区域", "项目内容"}


def _row(offer: Offer) -> list[object]:
    area = "全国" if offer.nationwide else "、".join(r.full_name or r.name for r in offer.service_regions.all())
    published = offer.published_at.strftime("%Y-%m-%d %H:%M") if offer.published_at else ""
    return [
        offer.number,
        offer.title,
        offer.organization.name,
        offer.organization.region.name,
        "、".join(d.name for d in offer.domains.all()),
        "、".join(g.name for g in offer.beneficiary_groups.all()),
        area,
        offer.get_aid_mode_display(),
        offer.capacity_demands,
        offer.capacity_amount,
        offer.in_kind,
        offer.window_start,
        offer.window_end,
        offer.get_status_display(),
        published,
        offer.description,
    ]


def export_workbook(offers: Iterable[Offer]) -> bytes:
    """The listed offers, one row each; money stays a number with two decimals."""
    workbook, sheet = new_sheet(SHEET_TITLE)
    header_row(sheet, HEADERS, [32 if header in WIDE else 16 for header in HEADERS])
    for offer in offers:
        sheet.append(_row(offer))
        row = sheet.max_row
        sheet.cell(row=row, column=10).number_format = "#,##0.00"
        sheet.cell(row=row, column=12).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=13).number_format = "yyyy-mm-dd"
    return to_bytes(workbook)


# ---------------------------------------------------------------- import template and row parsing
# The sheet reading (header search over merged title rows, NFKC folding, Excel dates) is the
# shared one in `xiangzhen.core.sheets`; what is here is only the offer's columns and values.

IMPORT_SHEET_TITLE = "供给项目导入"
AREA_SEPARATORS = re.compile(r"[、,;\n]+")
LIST_SEPARATORS = re.compile(r"[、,;/\n]+")
NATIONWIDE = "全国"
AID_MODES = {"输血": AidMode.RELIEF, "造血": AidMode.SELF_DEVELOPMENT}

IMPORT_COLUMNS = [
    Column(
        "external_ref", "外部编号", False, "本组织自己的项目编号；填写后按它识别重复导入，不填则按项目名称+服务期限识别"
    ),
    Column("title", "项目名称", True, "不超过 200 字"),
    Column("description", "项目内容", True, "做什么、怎么做、为谁做、预期成效"),
    Column("domains", "服务领域", True, "多个用顿号“、”分隔，取值见“填写说明”"),
    Column("beneficiary_groups", "受益群体", False, "多个用顿号“、”分隔，取值见“填写说明”"),
    Column(
        "service_regions",
        "服务区域",
        True,
        "填“全国”，或区划代码、区划名称（任意层级，多个用顿号分隔）；重名时写上级，如 花垣县/双龙镇",
    ),
    Column("aid_mode", "帮扶方式", True, "输血 / 造血"),
    Column("capacity_demands", "可承接需求数", True, "正整数"),
    Column("capacity_amount", "可投入资金（元）", False, "数字，单位元，最多两位小数；可写“5万”"),
    Column("in_kind", "可提供物资", False, "不超过 500 字"),
    Column("window_start", "开始日期", True, "如 2026-07-01"),
    Column("window_end", "结束日期", True, "不早于开始日期，期限不超过 5 年"),
]
IMPORT_HEADERS = headers(IMPORT_COLUMNS)
IMPORT_TEXT_COLUMNS = {"external_ref", "service_regions"}


def template_workbook(domain_names: list[str], group_names: list[str]) -> bytes:
    """The import template: headers, one example row, and a sheet explaining each column and name."""
    workbook, sheet = new_sheet(IMPORT_SHEET_TITLE)
    header_row(sheet, IMPORT_HEADERS, [32 if c.key in ("title", "description", "service_regions") else 16
                                       for c in IMPORT_COLUMNS])  # fmt: skip
    year = date.today().year
    sheet.append([
        "GY-2026-01", "留守儿童课后辅导", "每周三次为留守儿童开展课后辅导和阅读陪伴，配备志愿者和图书。",
        "教育", "农村留守儿童、空巢老人", "花垣县、凤凰县/沱江镇", "造血", 3, 50000,
        "课外读物 200 册", date(year, 7, 1), date(year + 1, 6, 30),
    ])  # fmt: skip
    text_format(sheet, IMPORT_COLUMNS, IMPORT_TEXT_COLUMNS, row=2)
    note = (
        "第 1 个工作表第 2 行为示例，导入前请删除。导入的项目为草稿，核对后再逐个提交审核。先预览、确认后一次性写入，"
        "有任何一行出错则不写入。同一组织同一外部编号（未填时：同一项目名称和服务期限）的行重复导入时跳过，不会重复创建。"
    )
    sections = [
        [["服务领域", "", ""], *([name, "", ""] for name in domain_names)],
        [["受益群体", "", ""], *([name, "", ""] for name in group_names)],
        [["说明", "", note]],
    ]
    instructions_sheet(workbook, IMPORT_COLUMNS, sections, {"A": 20, "C": 80})
    return to_bytes(workbook)


class AreaResolver(Protocol):
    def resolve(self, text: str) -> tuple[str | None, str]: ...


@dataclass
class ParsedRow:
    row_number: int
    external_ref: str
    data: OfferData
    errors: list[str]
    failed: set[str]  # fields whose cell could not be read (the offer rules would only repeat it)


def _whole_number(value: Any, errors: list[str]) -> Any:
    """3, 3.0, "３", "3个" → 3; anything else is left as typed for the offer rules to name."""
    if isinstance(value, bool):
        errors.append(f"可承接需求数应为正整数，当前为“{value}”")
        return 0
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = normalize(value).removesuffix("个").strip()
    return int(text) if text.isdigit() else text


def _amount(value: Any, errors: list[str]) -> Any:
    """Yuan as a Decimal: numbers, "50,000", "¥5万", "5万元"; blank is 0."""
    if isinstance(value, bool):
        errors.append(f"可投入资金应为数字（单位：元），当前为“{value}”")
        return Decimal("0")
    return parse_yuan(value, "可投入资金", errors)


def _aid_mode(text: str, errors: list[str]) -> str:
    if text in AidMode.values:
        return text
    mode = next((value for label, value in AID_MODES.items() if text.startswith(label)), None)
    if mode is None:
        errors.append(f"帮扶方式“{text}”不正确，应为“输血”或“造血”" if text else "请填写帮扶方式（输血或造血）")
        return ""
    return mode


def _service_area(text: str, resolver: AreaResolver, errors: list[str]) -> tuple[bool, list[str]]:
    if not text:
        return False, []  # the offer rules ask for an area
    parts = [p.strip() for p in AREA_SEPARATORS.split(text) if p.strip()]
    if NATIONWIDE in parts:
        if len(parts) > 1:
            errors.append("服务区域填了“全国”，就不要再填其他区划")
        return True, []
    found: list[str] = []
    for part in parts:
        code, problem = resolver.resolve(part)
        if problem:
            errors.append(problem)
        elif code and code not in found:
            found.append(code)
    return False, found


# How each typed column is read: (raw cell, its normalized text, resolver, errors) → value.
READERS: dict[str, Callable[[Any, str, AreaResolver, list[str]], Any]] = {
    "service_regions": lambda _, text, resolver, errors: _service_area(text, resolver, errors),
    "aid_mode": lambda _, text, __, errors: _aid_mode(text, errors),
    "capacity_demands": lambda value, _, __, errors: _whole_number(value, errors),
    "capacity_amount": lambda value, _, __, errors: _amount(value, errors),
    "window_start": lambda value, _, __, errors: parse_date(value, LABELS["window_start"], errors) or "",
    "window_end": lambda value, _, __, errors: parse_date(value, LABELS["window_end"], errors) or "",
}


def parse_workbook(filename: str, content: bytes, resolver: AreaResolver) -> list[ParsedRow]:
    """Turn the rows of the first sheet into offer data, noting every cell that cannot be read.

    What is read here is only the cell's shape; the offer's own rules (`clean_offer_data`) run on
    the result in the service, so an import and the form refuse the same things.
    """
    sheet = read_sheet(filename, content)
    positions, header_end = find_header(sheet, IMPORT_COLUMNS, anchor="title", examples=("项目名称", "服务区域"))
    parsed: list[ParsedRow] = []
    for row_number, raw, cells in data_rows(sheet, positions, header_end):
        errors: list[str] = []
        failed: set[str] = set()
        typed: dict[str, Any] = {}
        for key, reader in READERS.items():
            before = len(errors)
            typed[key] = reader(raw.get(key), cells.get(key, ""), resolver, errors)
            if len(errors) > before:
                failed.add(key)
        nationwide, regions = typed["service_regions"]
        data = OfferData(
            title=cells.get("title", ""),
            description=cells.get("description", ""),
            aid_mode=typed["aid_mode"],
            capacity_demands=typed["capacity_demands"],
            capacity_amount=typed["capacity_amount"],
            window_start=typed["window_start"],
            window_end=typed["window_end"],
            domains=[d.strip() for d in LIST_SEPARATORS.split(cells.get("domains", "")) if d.strip()],
            beneficiary_groups=[
                g.strip() for g in AREA_SEPARATORS.split(cells.get("beneficiary_groups", "")) if g.strip()
            ],
            service_regions=regions,
            nationwide=nationwide,
            in_kind=cells.get("in_kind", ""),
        )
        parsed.append(ParsedRow(row_number, cells.get("external_ref", ""), data, errors, failed))
    return parsed
