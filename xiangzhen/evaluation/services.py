"""Every write of evaluation: a province's indicators and scheme, and computing its scores.

One business action per function, one transaction each; each checks who acts, validates with
Chinese messages naming the field, and writes the audit trail. Indicators are created inactive;
the province's active weights must sum to 100 whenever a change touches them, so indicators are
switched on and reweighted together (`update_indicators` takes a whole set of changes at once).
"""

import json
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiangzhen.core import audit
from xiangzhen.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from xiangzhen.evaluation import formula, measures, rules
from xiangzhen.evaluation.models import Indicator, Scheme, Score, category_order
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Region

DEFAULTS_FILE = Path(__file__).parent / "data" / "default_indicators.json"
FULL_MARKS = Decimal(100)
CENT = Decimal("0.01")
FIRST_YEAR = 2020
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")
INDICATOR_FIELDS = ["category", "code", "name", "weight", "formula", "description", "is_active", "version"]


# ---------------------------------------------------------------- checks shared by the services


def province_of(code: Any) -> Region:
    """The province named by a 2- or 12-digit code, or ValidationFailed on `province_code`."""
    try:
        normalized = codes.normalize(str(code or ""))
    except ValueError as exc:
        raise ValidationFailed.on("province_code", str(exc)) from None
    if codes.level_of(normalized) != Level.PROVINCE:
        raise ValidationFailed.on("province_code", f"“{code}”不是省级区划代码")
    region = Region.objects.filter(pk=normalized).first()
    if region is None:
        raise ValidationFailed.on("province_code", f"省份“{code}”不存在")
    return region


def _require_manager(actor: Any, province: Region) -> None:
    if not rules.can_manage(actor, province.code):
        raise Forbidden(f"只有{province.name}民政部门的工作人员或平台管理员可以维护评估指标和计算得分")


def clean_weight(value: Any, name: str = "weight") -> Decimal:
    try:
        weight = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed.on(name, f"权重“{value}”不是数字") from None
    if not weight.is_finite() or weight <= 0 or weight > FULL_MARKS:
        raise ValidationFailed.on(name, "权重应大于 0 且不超过 100")
    if weight != weight.quantize(CENT):
        raise ValidationFailed.on(name, "权重最多保留两位小数")
    return weight.quantize(CENT)


def _text(value: Any, name: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed.on(name, f"请填写{label}")
    if len(text) > max_length:
        raise ValidationFailed.on(name, f"{label}不超过 {max_length} 个字")
    return text


def clean_formula(text: Any, name: str = "formula") -> str:
    """A formula that parses over the known measures; FormulaError on `name` naming what is wrong."""
    cleaned = " ".join(str(text or "").split())  # a formula typed over several lines is one expression
    try:
        formula.parse(cleaned, measures.NAMES)
    except formula.FormulaError as exc:
        raise ValidationFailed(exc.message, [FieldError(name, exc.message)]) from None
    return cleaned


def _category(value: Any, name: str = "category") -> str:
    if value not in Indicator.Category.values:
        raise ValidationFailed.on(name, f"类别应为 {'、'.join(Indicator.Category.values)} 之一")
    return str(value)


def _check_active_sum(indicators: list[Indicator]) -> None:
    active = [i for i in indicators if i.is_active]
    total = sum((i.weight for i in active), Decimal(0))
    if active and total != FULL_MARKS:
        raise ValidationFailed.on("weight", f"启用的指标权重合计应为 100 分，当前为 {total.normalize():f} 分")


def _record(actor: Any, action: str, instance: Any, province_code: str, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"evaluation.{action}", instance=instance, region_code=province_code, **kwargs)


# ---------------------------------------------------------------- indicators


@dataclass
class IndicatorData:
    category: str
    code: str
    name: str
    weight: Any
    formula: str
    description: str = ""


@transaction.atomic
def create_indicator(*, actor: Any, province_code: str, data: IndicatorData) -> Indicator:
    """Add an indicator to a province, inactive: it counts once switched on with the others reweighted."""
    province = province_of(province_code)
    _require_manager(actor, province)
    code = _text(data.code, "code", "代码", 40).lower()
    if not set(code) <= CODE_CHARS or not code[0].isalpha():
        raise ValidationFailed.on("code", "代码只能由小写字母、数字和下划线组成，并以字母开头")
    if Indicator.objects.filter(province=province, code=code).exists():
        raise ValidationFailed.on("code", f"本省已有代码为“{code}”的指标")
    indicator = Indicator(
        province=province,
        category=_category(data.category),
        code=code,
        name=_text(data.name, "name", "名称", 100),
        weight=clean_weight(data.weight),
        formula=clean_formula(data.formula),
        description=_text(data.description, "description", "说明", 2000, required=False),
        is_active=False,
        updated_by=actor if getattr(actor, "pk", None) else None,
    )
    indicator.save()
    _record(actor, "indicator.create", indicator, province.code, after=audit.snapshot(indicator, INDICATOR_FIELDS))
    return indicator


@dataclass
class IndicatorChange:
    """Changes to one indicator; None leaves a field as it is. `version` is the one the editor saw."""

    indicator_id: int
    version: int | None = None
    category: str | None = None
    name: str | None = None
    weight: Any = None
    formula: str | None = None
    description: str | None = None
    is_active: bool | None = None

    def changed(self) -> dict[str, Any]:
        skip = {"indicator_id", "version"}
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}
        return {name: value for name, value in values.items() if value is not None}


@transaction.atomic
def update_indicators(*, actor: Any, province_code: str, changes: list[IndicatorChange]) -> list[Indicator]:
    """Change several indicators of a province together (weights, formulas, switching on and off).

    The province's indicators are locked in key order; after the changes the active weights must
    sum to 100 (if any is active). Each changed indicator's version goes up and is audited.
    """
    province = province_of(province_code)
    _require_manager(actor, province)
    indicators = list(Indicator.objects.select_for_update().filter(province=province).order_by("pk"))
    by_id = {i.pk: i for i in indicators}
    before = {i.pk: audit.snapshot(i, INDICATOR_FIELDS) for i in indicators}
    touched: list[Indicator] = []
    for change in changes:
        indicator = by_id.get(change.indicator_id)
        if indicator is None:
            raise NotFound(f"指标 {change.indicator_id} 不存在或不属于{province.name}")
        if change.version is not None and change.version != indicator.version:
            raise Conflict(f"指标“{indicator.name}”刚刚已被他人修改，请刷新后重试")
        prefix = f"indicators[{indicator.code}]."
        values = change.changed()
        if "category" in values:
            indicator.category = _category(values["category"], prefix + "category")
        if "name" in values:
            indicator.name = _text(values["name"], prefix + "name", "名称", 100)
        if "weight" in values:
            indicator.weight = clean_weight(values["weight"], prefix + "weight")
        if "formula" in values:
            indicator.formula = clean_formula(values["formula"], prefix + "formula")
        if "description" in values:
            indicator.description = _text(values["description"], prefix + "description", "说明", 2000, required=False)
        if "is_active" in values:
            indicator.is_active = bool(values["is_active"])
        if audit.snapshot(indicator, INDICATOR_FIELDS) != before[indicator.pk] and indicator not in touched:
            touched.append(indicator)
    _check_active_sum(indicators)
    for indicator in touched:
        indicator.version += 1
        indicator.updated_by = actor if getattr(actor, "pk", None) else None
        indicator.save()
        after = audit.snapshot(indicator, INDICATOR_FIELDS)
        _record(actor, "indicator.update", indicator, province.code, before=before[indicator.pk], after=after)
    return touched


@transaction.atomic
def seed_default_indicators(*, actor: Any = None, province_codes: list[str] | None = None) -> dict[str, int]:
    """Load the default indicators of the data file for provinces that have none yet (active, summing
    to 100). A province that already has indicators is left as it is. Returns how many were created."""
    defaults = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))["provinces"]
    created: dict[str, int] = {}
    for code, rows in defaults.items():
        if province_codes is not None and code not in province_codes:
            continue
        province = province_of(code)
        if actor is not None:
            _require_manager(actor, province)
        if Indicator.objects.filter(province=province).exists():
            created[code] = 0
            continue
        indicators = [
            Indicator(
                province=province,
                category=_category(row["category"]),
                code=row["code"],
                name=row["name"],
                weight=clean_weight(row["weight"]),
                formula=clean_formula(row["formula"]),
                description=row.get("description", ""),
                is_active=True,
            )
            for row in rows
        ]
        _check_active_sum(indicators)
        for indicator in indicators:
            indicator.save()
            _record(actor, "indicator.create", indicator, code, after=audit.snapshot(indicator, INDICATOR_FIELDS))
        created[code] = len(indicators)
    return created


# ---------------------------------------------------------------- the scheme


def scheme_of(province: Region) -> Scheme:
    """The province's scheme, or the defaults (unsaved) when it never set one."""
    return Scheme.objects.filter(province=province).first() or Scheme(province=province)


@transaction.atomic
def update_scheme(
    *, actor: Any, province_code: str, rating_points: Any, rating_total: Any = None, commendation_top: Any = None
) -> Scheme:
    """How many of the 等级评估 points the rural-revitalization indicator carries, and the list size."""
    province = province_of(province_code)
    _require_manager(actor, province)
    scheme = Scheme.objects.select_for_update().filter(province=province).first() or Scheme(province=province)
    before = audit.snapshot(scheme) if scheme.updated_at else None
    try:
        points = Decimal(str(rating_points)).quantize(CENT)
        total = Decimal(str(rating_total)).quantize(CENT) if rating_total is not None else scheme.rating_total
    except (InvalidOperation, ValueError):
        raise ValidationFailed.on("rating_points", "分值应为数字") from None
    if total <= 0 or total > 9999:
        raise ValidationFailed.on("rating_total", "等级评估总分应大于 0 且小于 10000")
    if points <= 0 or points > total:
        raise ValidationFailed.on("rating_points", f"分值应大于 0 且不超过等级评估总分 {total:f}")
    top = scheme.commendation_top if commendation_top is None else commendation_top
    try:
        top = int(top)
    except (TypeError, ValueError):
        raise ValidationFailed.on("commendation_top", "表彰候选名额应为整数") from None
    if not 1 <= top <= 100:
        raise ValidationFailed.on("commendation_top", "表彰候选每组名额应在 1 到 100 之间")
    scheme.rating_points, scheme.rating_total, scheme.commendation_top = points, total, top
    scheme.updated_by = actor if getattr(actor, "pk", None) else None
    scheme.save()
    _record(actor, "scheme.update", scheme, province.code, before=before, after=audit.snapshot(scheme))
    return scheme


# ---------------------------------------------------------------- scores


@dataclass
class ScoredIndicator:
    indicator: Indicator
    raw: Decimal
    value: Decimal
    points: Decimal
    used: dict[str, Decimal] = field(default_factory=dict)


def score_one(indicators: list[Indicator], values: dict[str, Decimal]) -> tuple[Decimal, list[ScoredIndicator]]:
    """The total (0–100) and the per-indicator breakdown for one organization's measures.

    An indicator's formula value is held between 0 and 1; it earns that share of its weight."""
    parts = []
    for indicator in indicators:
        tree = formula.parse(indicator.formula, measures.NAMES)
        raw = formula.evaluate(indicator.formula, values)
        value = min(Decimal(1), max(Decimal(0), raw))
        points = (indicator.weight * value).quantize(CENT, rounding=ROUND_HALF_UP)
        used = {name: values[name] for name in formula.names_in(tree)}
        parts.append(ScoredIndicator(indicator, measures.clean(raw), measures.clean(value), points, used))
    return sum((p.points for p in parts), Decimal(0)), parts


def _breakdown(parts: list[ScoredIndicator]) -> list[dict[str, Any]]:
    return [
        {
            "code": p.indicator.code,
            "name": p.indicator.name,
            "category": p.indicator.category,
            "weight": str(p.indicator.weight),
            "formula": p.indicator.formula,
            "version": p.indicator.version,
            "measures": {name: str(v) for name, v in p.used.items()},
            "raw": str(p.raw),
            "value": str(p.value),
            "points": str(p.points),
        }
        for p in parts
    ]


def rank_groups(totals: list[tuple[int, tuple[str, str], Decimal]]) -> dict[int, tuple[int, int]]:
    """Competition ranking (1, 2, 2, 4) of (id, group, total) rows within each group: id → (rank, size)."""
    groups: dict[tuple[str, str], list[tuple[int, Decimal]]] = {}
    for key, group, total in totals:
        groups.setdefault(group, []).append((key, total))
    ranks: dict[int, tuple[int, int]] = {}
    for rows in groups.values():
        rows.sort(key=lambda row: (-row[1], row[0]))
        previous, rank = None, 0
        for position, (key, total) in enumerate(rows, start=1):
            if total != previous:
                rank, previous = position, total
            ranks[key] = (rank, len(rows))
    return ranks


@dataclass(frozen=True)
class ComputeResult:
    province: Region
    year: int
    count: int
    indicator_versions: dict[str, int]


@transaction.atomic
def compute_scores(*, actor: Any, province_code: str, year: Any, today: date | None = None) -> ComputeResult:
    """Score every approved organization registered in the province for `year` and rank them per
    kind and registration level. Replaces the province's scores of that year (they are derived
    data); each keeps its measures, breakdown and the indicator versions used. `actor` None is
    the system (the management command, the demo)."""
    province = province_of(province_code)
    if actor is not None:
        _require_manager(actor, province)
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed.on("year", f"年度“{year}”不是整数") from None
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed.on("year", f"年度应在 {FIRST_YEAR} 到 {today.year} 之间")
    active = Indicator.objects.filter(province=province, is_active=True)
    indicators = list(active.order_by(category_order(), "pk"))
    if not indicators:
        raise ValidationFailed.on("indicators", f"{province.name}尚未启用评估指标")
    _check_active_sum(indicators)
    Scheme.objects.select_for_update().filter(province=province).first()  # one computation of a province at a time
    table = measures.measure_table(province.code, year, today)
    organizations = {o.pk: o for o in measures.organizations_of(province.code)}
    versions = {i.code: i.version for i in indicators}
    now = timezone.now()
    scored = {}
    for org_id, values in table.items():
        total, parts = score_one(indicators, values)
        scored[org_id] = (total, parts, values)
    ranks = rank_groups(
        [
            (org_id, (organizations[org_id].kind, codes.level_of(organizations[org_id].region_id)), total)
            for org_id, (total, _, _) in scored.items()
        ]
    )
    Score.objects.filter(year=year, province=province).delete()
    Score.objects.filter(year=year, organization_id__in=list(scored)).delete()
    Score.objects.bulk_create(
        Score(
            province=province,
            organization_id=org_id,
            year=year,
            kind=organizations[org_id].kind,
            level=codes.level_of(organizations[org_id].region_id),
            region_id=organizations[org_id].region_id,
            total=total,
            rank=ranks[org_id][0],
            group_size=ranks[org_id][1],
            measures={name: str(v) for name, v in values.items()},
            breakdown=_breakdown(parts),
            indicator_versions=versions,
            computed_at=now,
            computed_by=actor if getattr(actor, "pk", None) else None,
        )
        for org_id, (total, parts, values) in scored.items()
    )
    scheme = Scheme.objects.filter(province=province).first()
    if scheme is None:
        scheme = Scheme(province=province)
        scheme.save()
    _record(
        actor,
        "compute",
        scheme,
        province.code,
        after={"year": year, "count": len(scored), "indicator_versions": versions},
        note=f"{province.name} {year} 年度评估得分：{len(scored)} 个社会组织",
    )
    return ComputeResult(province, year, len(scored), versions)
