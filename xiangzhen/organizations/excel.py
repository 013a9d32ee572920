"""The Excel template, export and row parsing for organizations. No database access here.

Import and export share the columns, so an exported file can be edited and imported again.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.excel import CONTENT_TYPE as CONTENT_TYPE  # the tests check downloads against it
from xiangzhen.core.excel import (
    Column,
    header_row,
    headers,
    instructions_sheet,
    new_sheet,
    text_format,
    to_bytes,
    yes_no,
)
from xiangzhen.organizations.credit_code import CATEGORY_BY_KIND, make_credit_code
from xiangzhen.organizations.models import Organization
from xiangzhen.organizations.validation import OrganizationData

SHEET_TITLE = "社会组织"
DOMAIN_SEPARATORS = ("、", ",", "，", ";", "；", "/")

COLUMNS = [
    Column("name", "名称", True, "登记证书上的全称"),
    Column(
        "credit_code",
        "统一社会信用代码",
        True,
        "18 位，第 1 位为 5（民政登记），第 2 位：1 社会团体、2 社会服务机构、3 基金会",
    ),
    Column("kind", "类型", True, "社会团体 / 基金会 / 社会服务机构"),
    Column("region_code", "登记地区划代码", True, "登记管理机关所在省、市或县的 12 位区划代码，如花垣县 433124000000"),
    Column("registration_authority", "登记管理机关", True, "如 花垣县民政局"),
    Column("supervising_unit", "业务主管单位", False, "可空"),
    Column("domains", "服务领域", False, "多个用顿号“、”分隔，取值见下表"),
    Column("rating", "等级评估", False, "1A、2A、3A、4A、5A，未评估留空"),
    Column("rating_year", "评估年度", False, "填写等级评估时必填，如 2024"),
    Column("is_hub", "枢纽型社会组织", False, "是 / 否"),
    Column("is_rural_community", "农村社区社会组织", False, "是 / 否"),
    Column("founder_type", "创办人类型", False, "仅农村社区社会组织：高校毕业生 / 退役军人 / 返乡创业农民工 / 其他"),
    Column("contact_name", "联系人", True, ""),
    Column("contact_phone", "联系电话", True, "手机号或带区号的固定电话，如 0743-7221234"),
    Column("address", "地址", False, ""),
    Column("description", "简介", False, ""),
]
HEADERS = headers(COLUMNS)
TEXT_COLUMNS = {"credit_code", "region_code", "contact_phone", "rating_year"}

KIND_BY_LABEL = {label: value for value, label in Organization.Kind.choices}
KIND_LABEL_ALIASES = {"民办非企业单位": "social_service_agency", "民非": "social_service_agency"}
FOUNDER_BY_LABEL = {label: value for value, label in Organization.FounderType.choices}


def _header_row(sheet: Worksheet) -> None:
    header_row(sheet, HEADERS, [28 if c.key in ("name", "description", "address") else 18 for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        if column.key in TEXT_COLUMNS:  # codes and phones stay text, so Excel keeps leading zeros
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].number_format = "@"


def _row(data: OrganizationData, domain_names: dict[str, str]) -> list[str]:
    values = {
        **data.as_dict(),
        "kind": Organization.Kind(data.kind).label if data.kind in Organization.Kind.values else data.kind,
        "domains": "、".join(domain_names.get(code, code) for code in data.domains),
        "rating_year": str(data.rating_year) if data.rating_year else "",
        "is_hub": "是" if data.is_hub else "否",
        "is_rural_community": "是" if data.is_rural_community else "否",
        "founder_type": Organization.FounderType(data.founder_type).label if data.founder_type else "",
    }
    return [str(values[c.key] or "") for c in COLUMNS]


def _append(sheet: Worksheet, values: list[str]) -> None:
    sheet.append(values)
    text_format(sheet, COLUMNS, TEXT_COLUMNS, row=sheet.max_row)


EXAMPLE = OrganizationData(
    name="花垣县十八洞乡村发展促进会",
    credit_code=make_credit_code(f"5{CATEGORY_BY_KIND['social_group']}433124", "MJ000001"),
    kind="social_group",
    region_code="433124000000",
    registration_authority="花垣县民政局",
    supervising_unit="花垣县农业农村局",
    domains=["industry", "education"],
    rating="3A",
    rating_year=2024,
    is_rural_community=True,
    founder_type="returning_migrant_worker",
    contact_name="石文",
    contact_phone="0743-7221234",
    address="花垣县双龙镇十八洞村",
    description="组织村民发展猕猴桃产业，开展留守儿童课后服务。",
)


def template_workbook(domain_names: dict[str, str]) -> bytes:
    """The import template: headers, one example row, and a sheet explaining each column and code."""
    workbook, sheet = new_sheet(SHEET_TITLE)
    _header_row(sheet)
    _append(sheet, _row(EXAMPLE, domain_names))
    kinds = [[label, CATEGORY_BY_KIND[value], ""] for value, label in Organization.Kind.choices]
    domains = [[name, code, ""] for code, name in domain_names.items()]
    founders = [[label, "", ""] for _, label in Organization.FounderType.choices]
    note = "第 1 个工作表第 2 行为示例，导入前请删除。同一统一社会信用代码重复导入时更新原记录，不会重复创建。"
    sections = [
        [["类型", "信用代码第 2 位", ""], *kinds],
        [["服务领域", "代码", ""], *domains],
        [["创办人类型", "", ""], *founders],
        [["说明", "", note]],
    ]
    instructions_sheet(workbook, COLUMNS, sections, {"A": 20, "B": 16, "C": 80})
    return to_bytes(workbook)


def export_workbook(rows: Iterable[OrganizationData], domain_names: dict[str, str]) -> bytes:
    """The listed organizations with the template's columns, so the file can be imported back."""
    workbook, sheet = new_sheet(SHEET_TITLE)
    _header_row(sheet)
    for data in rows:
        _append(sheet, _row(data, domain_names))
    return to_bytes(workbook)


@dataclass
class ParsedRow:
    row_number: int
    data: OrganizationData
    errors: list[str]


def parse_rows(table: list[list[str]], domains_by_name: dict[str, str]) -> list[ParsedRow]:
    """Turn the rows of the first sheet into profile data, noting cells that cannot be read."""
    if not table:
        raise ValidationFailed.on("file", "文件为空")
    header = [h.strip().rstrip("*").strip() for h in table[0]]
    positions: dict[str, int] = {}
    for column in COLUMNS:
        if column.header in header:
            positions[column.key] = header.index(column.header)
        elif column.required:
            raise ValidationFailed.on("file", f"表头缺少“{column.header}”列，请使用平台提供的导入模板")
    parsed: list[ParsedRow] = []
    for row_number, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in positions.items()}
        errors: list[str] = []
        kind_label = cells.get("kind", "")
        kind = KIND_BY_LABEL.get(kind_label) or KIND_LABEL_ALIASES.get(kind_label) or kind_label
        if kind_label and kind not in Organization.Kind.values:
            errors.append(f"类型“{kind_label}”不正确，应为社会团体、基金会或社会服务机构")
        year_text = cells.get("rating_year", "").removesuffix(".0").removesuffix("年")
        rating_year = None
        if year_text:
            if year_text.isdigit():
                rating_year = int(year_text)
            else:
                errors.append(f"评估年度“{year_text}”应为 4 位年份，如 2024")
        founder_label = cells.get("founder_type", "")
        founder = FOUNDER_BY_LABEL.get(founder_label, founder_label)
        if founder and founder not in Organization.FounderType.values:
            errors.append(f"创办人类型“{founder_label}”不正确，应为高校毕业生、退役军人、返乡创业农民工或其他")
            founder = ""
        domain_text = cells.get("domains", "")
        for separator in DOMAIN_SEPARATORS:
            domain_text = domain_text.replace(separator, "、")
        domains = [domains_by_name.get(d.strip(), d.strip()) for d in domain_text.split("、") if d.strip()]
        data = OrganizationData(
            name=cells.get("name", ""),
            credit_code=cells.get("credit_code", ""),
            kind=kind,
            region_code=cells.get("region_code", "").removesuffix(".0"),
            registration_authority=cells.get("registration_authority", ""),
            supervising_unit=cells.get("supervising_unit", ""),
            domains=domains,
            rating=cells.get("rating", ""),
            rating_year=rating_year,
            is_hub=yes_no(cells.get("is_hub", ""), "枢纽型社会组织", errors),
            is_rural_community=yes_no(cells.get("is_rural_community", ""), "农村社区社会组织", errors),
            founder_type=founder,
            contact_name=cells.get("contact_name", ""),
            contact_phone=cells.get("contact_phone", "").removesuffix(".0"),
            address=cells.get("address", ""),
            description=cells.get("description", ""),
        )
        parsed.append(ParsedRow(row_number, data, errors))
    return parsed
