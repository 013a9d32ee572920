"""A campaign's progress against its targets, summed from the records — never typed.

- organizations: enrollments still enrolled;
- activities and people served: its activities;
- money: the activities' own money + the value of in-kind gifts + special-fund disbursements paid
  to its activities (funds.Disbursement.activity);
- purchases: consumption-assistance purchases linked to the campaign (consumption.Purchase.campaign);
- rooms: four-small-rooms facilities linked to it (facilities.Facility.campaign).

`with_progress` puts every figure on each campaign of a queryset in the same query (one
subquery per figure, no query per row); `progress_of` reads them back, or sums them for one
campaign that was fetched without them.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from xiangzhen.campaigns.models import Activity, Campaign, Enrollment
from xiangzhen.consumption.models import Purchase
from xiangzhen.facilities.models import Facility
from xiangzhen.funds.models import Disbursement

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    actual: Decimal | int
    target: Decimal | int

    @property
    def percent(self) -> int | None:
        """Share of the target reached, in whole percent (None when there is no target)."""
        if not self.target:
            return None
        return int(Decimal(self.actual) * 100 / Decimal(self.target))

    @property
    def bar(self) -> int:
        return min(self.percent or 0, 100)


@dataclass(frozen=True)
class Progress:
    organizations: int
    activities: int
    people_served: int
    activity_money: Decimal
    in_kind_value: Decimal
    disbursed: Decimal
    purchases: Decimal
    facilities: int

    @property
    def money(self) -> Decimal:
        return self.activity_money + self.in_kind_value + self.disbursed

    def figures(self, campaign: Campaign) -> list[Figure]:
        return [
            Figure("organizations", "参与社会组织", "家", self.organizations, campaign.target_organizations),
            Figure("activities", "开展活动", "场", self.activities, campaign.target_activities),
            Figure("people_served", "服务人次", "人次", self.people_served, campaign.target_people_served),
            Figure("money", "投入资金（含物资折价、基金拨付）", "元", self.money, campaign.target_money),
            Figure("purchases", "消费帮扶金额", "元", self.purchases, campaign.target_purchases),
        ]


def _summed(queryset: QuerySet[Any], group: str, value: Any, output: Any) -> Coalesce:
    rows = queryset.order_by().values(group).annotate(v=value).values("v")
    zero = Value(ZERO) if isinstance(output, DecimalField) else Value(0)
    return Coalesce(Subquery(rows), zero, output_field=output)


def with_progress(queryset: "QuerySet[Campaign]") -> "QuerySet[Campaign]":
    activities = Activity.objects.filter(campaign=OuterRef("pk"))
    return queryset.annotate(
        p_organizations=_summed(
            Enrollment.objects.filter(campaign=OuterRef("pk"), status=Enrollment.Status.ENROLLED),
            "campaign", Count("id"), IntegerField(),
        ),
        p_activities=_summed(activities, "campaign", Count("id"), IntegerField()),
        p_people=_summed(activities, "campaign", Sum("people_served"), IntegerField()),
        p_money=_summed(activities, "campaign", Sum("money"), MONEY),
        p_in_kind=_summed(activities, "campaign", Sum("in_kind_value"), MONEY),
        p_disbursed=_summed(
            Disbursement.objects.filter(activity__campaign=OuterRef("pk")), "activity__campaign", Sum("amount"), MONEY
        ),
        p_purchases=_summed(Purchase.objects.filter(campaign=OuterRef("pk")), "campaign", Sum("amount"), MONEY),
        p_facilities=_summed(Facility.objects.filter(campaign=OuterRef("pk")), "campaign", Count("id"), IntegerField()),
    )  # fmt: skip


def progress_of(campaign: Campaign) -> Progress:
    """The campaign's figures: from `with_progress` annotations when present, else summed now."""
    if not hasattr(campaign, "p_activities"):
        campaign = with_progress(Campaign.objects.filter(pk=campaign.pk)).get()
    get = campaign.__dict__.get
    return Progress(
        organizations=int(get("p_organizations") or 0),
        activities=int(get("p_activities") or 0),
        people_served=int(get("p_people") or 0),
        activity_money=Decimal(get("p_money") or ZERO),
        in_kind_value=Decimal(get("p_in_kind") or ZERO),
        disbursed=Decimal(get("p_disbursed") or ZERO),
        purchases=Decimal(get("p_purchases") or ZERO),
        facilities=int(get("p_facilities") or 0),
    )
