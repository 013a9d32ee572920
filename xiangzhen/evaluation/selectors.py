"""Every read of evaluation.

Indicators and the scheme are a province's published rules: anyone signed in may read them (an
organization should know what it is scored on). Scores are scoped by `core.scope`: staff see
the organizations registered in their region subtree, platform admins all, and an organization's
own admins its scores; plain members and village submitters see none.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import AuditEntry
from xiangzhen.core.scope import restrict, scope_of
from xiangzhen.evaluation import measures, rules
from xiangzhen.evaluation.filters import ScoreFilters
from xiangzhen.evaluation.models import Indicator, Scheme, Score, category_order
from xiangzhen.organizations.models import Membership
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

# ---------------------------------------------------------------- indicators and the scheme


def provinces() -> "QuerySet[Region]":
    return Region.objects.filter(level=codes.Level.PROVINCE).order_by("code")


def default_province(user: Any) -> str:
    """The province a user's pages open on: their own (staff, organizations), else the first with indicators."""
    department = getattr(user, "department", None) if getattr(user, "role", "") == "department_staff" else None
    if department is not None:
        return codes.prefix(department.region_id)[:2].ljust(12, "0")
    scope = scope_of(user)
    if scope.organization_ids:
        memberships = Membership.objects.filter(user=user, is_active=True)
        region = memberships.values_list("organization__region_id", flat=True).first()
        if region:
            return region[:2].ljust(12, "0")
    first = Indicator.objects.order_by("province_id").values_list("province_id", flat=True).first()
    return first or "430000000000"


def indicators(province_code: str, *, active_only: bool = False) -> "QuerySet[Indicator]":
    queryset = Indicator.objects.filter(province_id=province_code).order_by(category_order(), "pk")
    return queryset.filter(is_active=True) if active_only else queryset


def get_indicator(indicator_id: Any) -> Indicator:
    try:
        return Indicator.objects.select_related("province", "updated_by").get(pk=int(indicator_id))
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise NotFound("指标不存在") from None


def active_weight(province_code: str) -> Decimal:
    return sum(indicators(province_code, active_only=True).values_list("weight", flat=True), Decimal(0))


def scheme(province_code: str) -> Scheme:
    return Scheme.objects.filter(province_id=province_code).first() or Scheme(province_id=province_code)


def measure_list() -> list[measures.Measure]:
    return measures.MEASURES


def indicator_history(province_code: str) -> "QuerySet[AuditEntry]":
    """Every change to the province's indicators and scheme, and every computation (newest first)."""
    return AuditEntry.objects.filter(
        region_code=province_code, object_type__in=["evaluation.indicator", "evaluation.scheme"]
    ).select_related("actor")


# ---------------------------------------------------------------- scores


def scores(user: Any) -> "QuerySet[Score]":
    """The scores a user may see (no year chosen yet)."""
    if not rules.reads_scores(user):
        return Score.objects.none()
    queryset = restrict(Score.objects.select_related("organization", "region", "province"), user)
    if getattr(user, "role", "") == "organization":
        admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN, is_active=True)
        queryset = queryset.filter(organization_id__in=admin_of.values("organization_id"))
    return queryset


def score_list(user: Any, filters: ScoreFilters) -> "QuerySet[Score]":
    """The ranking: by province, kind, level and rank."""
    return filters.apply(scores(user)).order_by("province_id", "kind", "level", "rank", "organization__name")


def years(user: Any) -> list[int]:
    return list(scores(user).order_by("-year").values_list("year", flat=True).distinct())


def get_score(user: Any, organization_id: Any, year: Any) -> Score:
    try:
        return scores(user).get(organization_id=int(organization_id), year=int(year))
    except (Score.DoesNotExist, ValueError, TypeError):
        raise NotFound("评估得分不存在或无权查看") from None


def organization_scores(user: Any, organization_id: Any) -> "QuerySet[Score]":
    """All years of one organization's scores the user may see (newest first)."""
    return scores(user).filter(organization_id=organization_id).order_by("-year")


def commendation_candidates(user: Any, filters: ScoreFilters, top: int | None = None) -> "QuerySet[Score]":
    """The first `top` of each kind and level (the province's scheme size when not given); ties included."""
    queryset = score_list(user, filters)
    if top is not None:
        return queryset.filter(rank__lte=top)
    condition = Q(pk__in=[])
    for province_id, size in schemes_for(queryset).items():
        condition |= Q(province_id=province_id, rank__lte=size.commendation_top)
    return queryset.filter(condition)


def schemes_for(queryset: "QuerySet[Score]") -> dict[str, Scheme]:
    """The scheme of each province among the scores (one query)."""
    province_ids = set(queryset.order_by().values_list("province_id", flat=True).distinct())
    found = {s.province_id: s for s in Scheme.objects.filter(province_id__in=province_ids)}
    return {p: found.get(p) or Scheme(province_id=p) for p in province_ids}


@dataclass(frozen=True)
class RatingRow:
    """One line of the 等级评估 export: the score converted into the rating's points."""

    score: Score
    scheme: Scheme

    @property
    def rating_points(self) -> Decimal:
        return (self.score.total * self.scheme.rating_points / Decimal(100)).quantize(Decimal("0.01"))

    @property
    def weight_share(self) -> Decimal:
        """The indicator's share of the rating, in percent."""
        return (self.scheme.rating_points * Decimal(100) / self.scheme.rating_total).quantize(Decimal("0.01"))


def rating_rows(user: Any, filters: ScoreFilters) -> list[RatingRow]:
    queryset = score_list(user, filters)
    schemes = schemes_for(queryset)
    return [RatingRow(score, schemes[score.province_id]) for score in queryset]


@dataclass(frozen=True)
class Part:
    """One indicator of a score's breakdown, with its measures labelled for people."""

    code: str
    name: str
    category: str
    weight: str
    formula: str
    version: int
    value: str
    points: str
    measures: list[tuple[str, str, str]]  # (label, value, unit)


def breakdown(score: Score) -> list[Part]:
    categories = dict(Indicator.Category.choices)
    return [
        Part(
            code=item["code"],
            name=item["name"],
            category=categories.get(item["category"], item["category"]),
            weight=item["weight"],
            formula=item["formula"],
            version=item["version"],
            value=item["value"],
            points=item["points"],
            measures=labelled(item["measures"].items()),
        )
        for item in score.breakdown
    ]


def labelled(values: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    rows = []
    for name, value in values:
        measure = measures.BY_NAME.get(name)
        rows.append((measure.label if measure else name, value, measure.unit if measure else ""))
    return rows
