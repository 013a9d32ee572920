"""The Excel template, export and row parsing for demands.

Import and export share the columns (the export adds number, status and priority; contacts masked).
Parsing copes with what officials' files really contain: title rows and merged header cells
above the data, blank rows, full-width digits and punctuation (NFKC), numbers typed as text and
text typed where a number belongs (a row error, not a crash). That sheet reading is shared by
every import and lives in `xiangzhen.core.sheets`; here are the demand's columns and values.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from xiangzhen.core.excel import (
    YES,
    Column,
    header_row,
    headers,
    instructions_sheet,
    new_sheet,
    text_format,
    to_bytes,
    yes_no,
)
from xiangzhen.core.sheets import data_rows, find_header, parse_date, parse_yuan, read_sheet
from xiangzhen.demands.models import Demand
from xiangzhen.demands.validation import DemandData

SHEET_TITLE = "需求项目"
LIST_SEPARATORS = re.compile(r"[、,;/\n]+")
PAIR_SEPARATORS = re.compile(r"[;,、\n]+")
YES_OR_AGREED = YES | {"同意", "已同意"}

COLUMNS = [
    Column("title", "标题", True, "一句话说明需要什么，不超过 100 字，如“十八洞村留守儿童课后辅导”"),
    Column("description", "需求描述", True, "要做什么、为谁做、现在的困难"),
    Column("region", "所在地", True, "12 位区划代码，或本县内的“乡镇/村”名称，如 双龙镇/十八洞村；县本级填县名"),
    Column("domains", "领域", True, "多个用顿号“、”分隔，取值见“填写说明”"),
    Column("beneficiaries", "受益群体及人数", False, "“群体:人数”，多个用分号分隔，如 农村留守儿童:30;空巢老人:12"),
    Column("aid_mode", "帮扶方式", True, "输血 / 造血"),
    Column("budget", "所需资金（元）", False, "数字，单位元，可为 0"),
    Column("in_kind", "所需物资或服务", False, ""),
    Column("period_start", "期望开始日期", False, "如 2026-07-01"),
    Column("period_end", "期望结束日期", False, "不早于开始日期"),
    Column("deadline", "征集截止日期", True, "如 2026-06-30，不早于今天"),
    Column("contact_name", "联系人", True, "代农户填报时填村干部"),
    Column("contact_phone", "联系电话", True, "手机号或带区号的固定电话"),
    Column("on_behalf_of_household", "代农户填报", False, "是 / 否"),
    Column("household_name", "农户姓名", False, "代农户填报时必填"),
    Column("household_consent", "农户已同意", False, "代农户填报时必须为“是”"),
]
HEADERS = headers(COLUMNS)
TEXT_COLUMNS = {"region", "contact_phone"}
AID_MODES = {"输血": Demand.AidMode.RELIEF, "造血": Demand.AidMode.SELF_DEVELOPMENT}


# ---------------------------------------------------------------- writing


def _cells(data: DemandData, region: str, domain_names: dict[str, str], group_names: dict[str, str]) -> list[Any]:
    values = {
        **data.as_dict(),
        "region": region,
        "domains": "、".join(domain_names.get(c, c) for c in data.domains),
        "beneficiaries": ";".join(f"{group_names.get(c, c)}:{n}" for c, n in data.beneficiaries.items()),
        "aid_mode": "造血" if data.aid_mode == Demand.AidMode.SELF_DEVELOPMENT else "输血",
        "budget": float(data.budget),
        "on_behalf_of_household": "是" if data.on_behalf_of_household else "否",
        "household_consent": "是" if data.household_consent else "否",
    }
    return [values[c.key] if values[c.key] is not None else "" for c in COLUMNS]


def template_workbook(domain_names: dict[str, str], group_names: dict[str, str], example_region: str) -> bytes:
    """The import template: headers, one example row, and a sheet explaining each column and name."""
    workbook, sheet = new_sheet(SHEET_TITLE)
    header_row(sheet, HEADERS, [20] * len(HEADERS))
    example = DemandData(
        title="留守儿童课后辅导",
        description="村里 30 名留守儿童放学后无人辅导作业，希望有志愿者每周开展三次课后辅导和阅读活动。",
        region_code="",
        deadline=date(date.today().year + 1, 6, 30),
        contact_name="石金",
        contact_phone="13974300000",
        domains=["education"],
        beneficiaries={"left_behind_children": 30},
        budget=Decimal("20000"),
        in_kind="课外读物 200 册",
    )
    sheet.append(_cells(example, example_region, domain_names, group_names))
    text_format(sheet, COLUMNS, TEXT_COLUMNS, row=2)
    note = (
        "第 1 个工作表第 2 行为示例，导入前请删除。先预览、确认后一次性写入，有任何一行出错则不写入。"
        "同一县、同一标题、同一所在地、同一截止日期的需求重复导入时不会重复创建。"
    )
    sections = [
        [["领域", "", ""], *([name, "", ""] for name in dict.fromkeys(domain_names.values()))],
        [["受益群体", "", ""], *([name, "", ""] for name in dict.fromkeys(group_names.values()))],
        [["说明", "", note]],
    ]
    instructions_sheet(workbook, COLUMNS, sections, {"A": 20, "C": 80})
    return to_bytes(workbook)


@dataclass
class ExportRow:
    number: str
    status: str
    data: DemandData
    region: str
    priority: str
    published_at: datetime | None


EXPORT_HEADERS = ["编号", "状态", *HEADERS, "优先帮扶标识", "发布时间"]


def export_workbook(rows: Iterable[ExportRow], domain_names: dict[str, str], group_names: dict[str, str]) -> bytes:
    """The listed demands with the template's columns plus number, status and priority (contacts masked)."""
    workbook, sheet = new_sheet(SHEET_TITLE)
    header_row(sheet, EXPORT_HEADERS, [20] * len(EXPORT_HEADERS))
    for row in rows:
        published = row.published_at.replace(tzinfo=None) if row.published_at else ""
        sheet.append(
            [row.number, row.status, *_cells(row.data, row.region, domain_names, group_names), row.priority, published]
        )
    return to_bytes(workbook)


# ---------------------------------------------------------------- reading


class Resolver(Protocol):
    def resolve(self, text: str) -> tuple[Any, str]: ...


@dataclass
class ParsedRow:
    row_number: int
    data: DemandData
    errors: list[str]
    region_failed: bool = False


def _budget(value: Any, errors: list[str]) -> Decimal:
    if isinstance(value, bool):
        errors.append(f"所需资金“{value}”应为数字（单位：元）")
        return Decimal("0")
    return parse_yuan(value, "所需资金", errors)


def _flag(text: str, label: str, errors: list[str]) -> bool:
    return yes_no(text, label, errors, yes=YES_OR_AGREED)


def _beneficiaries(text: str, errors: list[str]) -> dict[str, int]:
    result: dict[str, int] = {}
    for part in PAIR_SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        name, sep, count = part.partition(":")
        count = count.strip().removesuffix("人").strip()
        if not sep or not name.strip():
            errors.append(f"受益群体“{part}”应写成“群体:人数”，如 农村留守儿童:30")
        elif not count.isdigit() or int(count) <= 0:
            errors.append(f"受益群体“{name.strip()}”的人数“{count}”应为大于 0 的整数")
        else:
            result[name.strip()] = int(count)
    return result


def parse_workbook(filename: str, content: bytes, resolver: Resolver) -> list[ParsedRow]:
    """Turn the rows of the first sheet into demand data, noting every cell that cannot be read."""
    sheet = read_sheet(filename, content)
    positions, header_end = find_header(sheet, COLUMNS, anchor="title", examples=("标题", "所在地"))
    parsed: list[ParsedRow] = []
    for row_number, raw, cells in data_rows(sheet, positions, header_end):
        errors: list[str] = []
        region, problem = resolver.resolve(cells.get("region", ""))
        if problem:
            errors.append(problem)
        aid_text = cells.get("aid_mode", "")
        aid_mode = next((v for label, v in AID_MODES.items() if aid_text.startswith(label)), None)
        if aid_mode is None and aid_text in Demand.AidMode.values:
            aid_mode = Demand.AidMode(aid_text)
        if aid_mode is None:
            errors.append(
                f"帮扶方式“{aid_text}”不正确，应为“输血”或“造血”" if aid_text else "请填写帮扶方式（输血或造血）"
            )
        domains = [d.strip() for d in LIST_SEPARATORS.split(cells.get("domains", "")) if d.strip()]
        data = DemandData(
            title=cells.get("title", ""),
            description=cells.get("description", ""),
            region_code=region.code if region is not None else "",
            deadline=parse_date(raw.get("deadline"), "征集截止日期", errors),
            contact_name=cells.get("contact_name", ""),
            contact_phone=cells.get("contact_phone", ""),
            domains=domains,
            beneficiaries=_beneficiaries(cells.get("beneficiaries", ""), errors),
            aid_mode=aid_mode or Demand.AidMode.RELIEF,
            budget=_budget(raw.get("budget"), errors),
            in_kind=cells.get("in_kind", ""),
            period_start=parse_date(raw.get("period_start"), "期望开始日期", errors),
            period_end=parse_date(raw.get("period_end"), "期望结束日期", errors),
            on_behalf_of_household=_flag(cells.get("on_behalf_of_household", ""), "代农户填报", errors),
            household_name=cells.get("household_name", ""),
            household_consent=_flag(cells.get("household_consent", ""), "农户已同意", errors),
        )
        parsed.append(ParsedRow(row_number, data, errors, region_failed=region is None))
    return parsed
