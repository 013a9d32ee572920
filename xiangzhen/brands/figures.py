"""Figures drawn from the records for brands and exemplary cases — summed, never typed.

A brand's results are those of the activities that carry it; a case's figures are those of the
activities it is about (the brand's if it names one, else the organization's in the campaign it
names, else all the organization's), plus the organization's completed matches.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from xiangzhen.campaigns.models import Activity
from xiangzhen.matching.models import Match

COMPLETED_MATCHES = (Match.Status.COMPLETED, Match.Status.EVALUATED)


@dataclass(frozen=True)
class Results:
    activities: int
    people_served: int
    money: Decimal
    years_active: int
    campaigns: int
    first_year: int | None
    last_year: int | None


def results(activities: "QuerySet[Activity]") -> Results:
    """Activities, people served, money (own money + in-kind value), distinct years and campaigns."""
    totals = activities.order_by().aggregate(
        n=Count("id"), people=Sum("people_served"), money=Sum("money"), in_kind=Sum("in_kind_value"),
        campaigns=Count("campaign", distinct=True),
    )  # fmt: skip
    years = sorted(set(activities.order_by().annotate(y=ExtractYear("held_on")).values_list("y", flat=True)))
    return Results(
        activities=totals["n"] or 0,
        people_served=totals["people"] or 0,
        money=(totals["money"] or Decimal(0)) + (totals["in_kind"] or Decimal(0)),
        years_active=len(years),
        campaigns=totals["campaigns"] or 0,
        first_year=years[0] if years else None,
        last_year=years[-1] if years else None,
    )


def with_results(queryset: "QuerySet[Any]") -> "QuerySet[Any]":
    """Each brand of `queryset` with its results annotated in the same query (no query per row)."""
    activities = Activity.objects.filter(brand=OuterRef("pk")).order_by().values("brand")

    def summed(value: Any, output: Any) -> Coalesce:
        zero = Value(Decimal("0.00")) if isinstance(output, DecimalField) else Value(0)
        return Coalesce(Subquery(activities.annotate(v=value).values("v")), zero, output_field=output)

    money = DecimalField(max_digits=16, decimal_places=2)
    return queryset.annotate(
        r_activities=summed(Count("id"), IntegerField()),
        r_people=summed(Sum("people_served"), IntegerField()),
        r_money=summed(Sum("money"), money),
        r_in_kind=summed(Sum("in_kind_value"), money),
        r_campaigns=summed(Count("campaign", distinct=True), IntegerField()),
        r_years=summed(Count(ExtractYear("held_on"), distinct=True), IntegerField()),
    )


def brand_results(brand: Any) -> Results:
    """A brand's results: from `with_results` annotations when present, else summed now."""
    if "r_activities" not in brand.__dict__:
        return results(Activity.objects.filter(brand=brand))
    get = brand.__dict__.get
    return Results(
        activities=int(get("r_activities") or 0),
        people_served=int(get("r_people") or 0),
        money=Decimal(get("r_money") or 0) + Decimal(get("r_in_kind") or 0),
        years_active=int(get("r_years") or 0),
        campaigns=int(get("r_campaigns") or 0),
        first_year=None,
        last_year=None,
    )


def case_activities(organization_id: int, brand_id: int | None, campaign_id: int | None) -> "QuerySet[Activity]":
    queryset = Activity.objects.filter(organization_id=organization_id)
    if brand_id is not None:
        queryset = queryset.filter(brand_id=brand_id)
    if campaign_id is not None:
        queryset = queryset.filter(campaign_id=campaign_id)
    return queryset


def case_figures(organization_id: int, brand_id: int | None, campaign_id: int | None) -> dict[str, Any]:
    """The figures stored in `ExemplaryCase.figures` (JSON-safe), as of today."""
    found = results(case_activities(organization_id, brand_id, campaign_id))
    matches = Match.objects.filter(organization_id=organization_id, status__in=COMPLETED_MATCHES).count()
    scope = "brand" if brand_id else "campaign" if campaign_id else "organization"
    return {
        "scope": scope,
        "activities": found.activities,
        "people_served": found.people_served,
        "money": str(found.money.quantize(Decimal("0.01"))),
        "years_active": found.years_active,
        "campaigns": found.campaigns,
        "matches_completed": matches,
        "as_of": timezone.localdate().isoformat(),
    }


FIGURE_LABELS = [
    ("activities", "开展活动（场）"),
    ("people_served", "服务人次"),
    ("money", "投入资金及物资（元）"),
    ("matches_completed", "完成供需对接（个）"),
    ("campaigns", "参与专项行动（个）"),
    ("years_active", "活跃年数"),
]


def labelled(figures: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(label, figures[key]) for key, label in FIGURE_LABELS if key in figures]
