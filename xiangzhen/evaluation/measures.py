"""Measures: the figures of one organization in one year that indicator formulas are written over.

`measure_table(province_code, year)` computes every measure for ALL approved organizations
registered in the province at once, with a fixed number of grouped queries (about twenty,
whatever the number of organizations): never a query per organization. Years are calendar years in
local time (Asia/Shanghai). Shares are between 0 and 1, and 0 when there is nothing to count.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, CharField, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from xiangzhen.campaigns.models import Activity, Participation
from xiangzhen.consumption.models import Purchase
from xiangzhen.core.models import Attachment
from xiangzhen.facilities.models import Facility
from xiangzhen.funds.models import Disbursement, Disclosure, Fund
from xiangzhen.funds.schedule import PERIOD_MONTHS, add_months
from xiangzhen.matching.models import Match, MatchActivity, MatchEvaluation, MatchMilestone
from xiangzhen.organizations.models import Organization
from xiangzhen.pairings.models import Pairing
from xiangzhen.regions.codes import subtree_bounds

RECORD_WITHIN_DAYS = 7
ZERO = Decimal(0)
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    unit: str
    description: str


MEASURES: list[Measure] = [
    Measure("matches_taken", "承接对接数", "个", "当年经县级确认的供需对接数（含之后取消的）"),
    Measure("matches_completed", "完成对接数", "个", "当年完成（含已评价）的供需对接数"),
    Measure("match_people_served", "对接服务人数", "人", "当年完成的对接计划服务人数之和"),
    Measure("evaluation_count", "受助评价数", "条", "当年对本组织对接的评价条数（需求方与县级）"),
    Measure("evaluation_average", "受助评价平均分", "分", "当年评价的平均分（1–5 分），无评价为 0"),
    Measure("activities", "专项行动活动数", "场", "当年举办的专项行动活动场次"),
    Measure("people_served", "活动服务人次", "人次", "当年专项行动活动服务人次之和"),
    Measure("volunteer_hours", "志愿服务时长", "小时", "当年活动中成员志愿服务时长之和"),
    Measure("purchases", "消费帮扶金额", "元", "当年消费帮扶采购金额之和"),
    Measure("pairings_active", "结对帮扶数", "个", "当年处于结对中的结对帮扶数"),
    Measure("facilities_in_use", "在用小屋数", "个", "当年处于使用中的四小建设小屋数"),
    Measure("money_disbursed", "专项基金拨付金额", "元", "本组织专项基金当年拨付金额之和"),
    Measure("activity_timeliness", "活动记录及时率", "", f"当年活动中在活动日后 {RECORD_WITHIN_DAYS} 天内登记的比例"),
    Measure("milestone_timeliness", "对接节点按期率", "", "当年到期的对接节点中按期完成的比例"),
    Measure("timeliness", "记录及时率", "", "活动按时登记与节点按期完成合计占比"),
    Measure("disclosure_timeliness", "基金信息按期公开率", "", "当年到期的专项基金信息公开中按期公开的比例"),
    Measure("report_evidence_share", "完成报告佐证率", "", "当年完成的对接中有完成报告且附有佐证材料的比例"),
    Measure("transparency", "信息公开率", "", "按期公开与有佐证的完成对接合计占比"),
]
NAMES = [m.name for m in MEASURES]
BY_NAME = {m.name: m for m in MEASURES}


@dataclass(frozen=True)
class Year:
    year: int
    today: datetime.date

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The year as an aware [start, end) range in local time."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime(self.year, 1, 1, tzinfo=zone)
        return start, datetime.datetime(self.year + 1, 1, 1, tzinfo=zone)

    def during(self, field: str) -> Q:
        start, end = self.moments
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})

    def dated(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last})


def organizations_of(province_code: str) -> "QuerySet[Organization]":
    """The organizations a province scores: approved ones registered anywhere in it."""
    return Organization.objects.filter(
        region__code__range=subtree_bounds(province_code), status=Organization.Status.APPROVED
    ).select_related("region")


def _grouped(queryset: "QuerySet[Any]", key: str, **aggregates: Any) -> dict[int, dict[str, Any]]:
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {row[key]: row for row in rows}


def _share(part: int, whole: int) -> Decimal:
    return clean(Decimal(part) / Decimal(whole)) if whole else ZERO


def clean(value: Decimal) -> Decimal:
    """`value` to four places, without trailing zeros (3, 0.5, 4.6667)."""
    value = value.quantize(PLACES)
    return value.to_integral() if value == value.to_integral() else value.normalize()


def _number(value: Any) -> Decimal:
    return clean(Decimal(str(value)) if value is not None else ZERO)


def disclosure_record(
    activated_on: datetime.date,
    closed_on: datetime.date | None,
    disclosures: Iterable[tuple[datetime.date, datetime.date]],
    span: Year,
) -> tuple[int, int]:
    """(disclosures due in the year up to today, of which made on time) for one fund.

    Follows `funds.schedule`: the next disclosure is due three months after the end of the last
    disclosed period (or the approval); a closed fund's last one three months after closing. Each
    disclosure (period end, publication date) answers the earliest due date still open.
    """
    pending = sorted(disclosures)
    index, last, due_count, on_time = 0, activated_on, 0, 0
    horizon = min(span.today, span.last)
    while not (closed_on is not None and last >= closed_on):
        due = add_months(last, PERIOD_MONTHS)
        if closed_on is not None and due > closed_on:
            due = add_months(closed_on, PERIOD_MONTHS)
        if due > horizon:
            break
        counted = due >= span.first
        if index < len(pending):
            period_end, published_on = pending[index]
            index += 1
            due_count += counted
            on_time += counted and published_on <= due
            last = period_end if period_end > last else due
        else:
            due_count += counted
            last = due
    return due_count, on_time


def measure_table(province_code: str, year: int, today: datetime.date | None = None) -> dict[int, dict[str, Decimal]]:
    """Every measure of every approved organization of the province for `year`, by organization id."""
    span = Year(year, today or timezone.localdate())
    bounds = subtree_bounds(province_code)
    org_ids = list(organizations_of(province_code).values_list("pk", flat=True))
    table: dict[int, dict[str, Decimal]] = {pk: dict.fromkeys(NAMES, ZERO) for pk in org_ids}

    def put(rows: dict[int, dict[str, Any]], **names: str) -> None:
        for org_id, row in rows.items():
            if org_id in table:
                for measure, column in names.items():
                    table[org_id][measure] = _number(row[column])

    in_province = Q(organization__region__code__range=bounds)
    matches = Match.objects.filter(in_province)
    put(_grouped(matches.filter(span.during("confirmed_at")), "organization_id", n=Count("pk")), matches_taken="n")
    completed = matches.filter(span.during("completed_at"), status__in=Match.SUCCESS_STATUSES)
    put(
        _grouped(completed, "organization_id", n=Count("pk"), people=Sum("people_to_serve")),
        matches_completed="n",
        match_people_served="people",
    )
    evaluations = MatchEvaluation.objects.filter(
        span.during("evaluated_at"), match__organization__region__code__range=bounds
    )
    put(
        _grouped(evaluations, "match__organization_id", n=Count("pk"), avg=Avg("score")),
        evaluation_count="n",
        evaluation_average="avg",
    )
    activities = Activity.objects.filter(in_province, span.dated("held_on"))
    put(
        _grouped(activities, "organization_id", n=Count("pk"), people=Sum("people_served")),
        activities="n",
        people_served="people",
    )
    hours = Participation.objects.filter(
        activity__organization__region__code__range=bounds,
        activity__held_on__gte=span.first,
        activity__held_on__lte=span.last,
    )
    put(_grouped(hours, "activity__organization_id", h=Sum("hours")), volunteer_hours="h")
    purchases = Purchase.objects.filter(buyer__region__code__range=bounds).filter(span.dated("purchased_on"))
    put(_grouped(purchases, "buyer_id", amount=Sum("amount")), purchases="amount")
    start, _end = span.moments
    pairings = Pairing.objects.filter(in_province, confirmed_at__isnull=False, start_date__lte=span.last).filter(
        Q(status__in=[Pairing.Status.ACTIVE, Pairing.Status.UNDER_REVIEW])
        | Q(status=Pairing.Status.ENDED, ended_at__gte=start)
    )
    put(_grouped(pairings, "organization_id", n=Count("pk")), pairings_active="n")
    facilities = Facility.objects.filter(
        builder__region__code__range=bounds,
        opened_on__isnull=False,
        opened_on__lte=span.last,
        status__in=[Facility.Status.IN_USE, Facility.Status.CLOSED],
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=span.first))
    put(_grouped(facilities, "builder_id", n=Count("pk")), facilities_in_use="n")
    paid = Disbursement.objects.filter(fund__organization__region__code__range=bounds).filter(span.dated("paid_on"))
    put(_grouped(paid, "fund__organization_id", amount=Sum("amount")), money_disbursed="amount")

    _timeliness(table, activities, bounds, span)
    _transparency(table, completed, bounds, span)
    return table


def _timeliness(table: dict[int, dict[str, Decimal]], activities: Any, bounds: tuple[str, str], span: Year) -> None:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # activities, timely, milestones, on time
    for org_id, held_on, recorded_at in activities.values_list("organization_id", "held_on", "recorded_at"):
        counts[org_id][0] += 1
        counts[org_id][1] += (timezone.localtime(recorded_at).date() - held_on).days <= RECORD_WITHIN_DAYS
    milestones = MatchMilestone.objects.filter(match__organization__region__code__range=bounds).filter(
        span.dated("due_date")
    )
    for org_id, due_date, done_on in milestones.values_list("match__organization_id", "due_date", "done_on"):
        if done_on is None and due_date >= span.today:
            continue  # not yet due: neither on time nor late
        counts[org_id][2] += 1
        counts[org_id][3] += done_on is not None and done_on <= due_date
    for org_id, (n_activities, timely, n_milestones, on_time) in counts.items():
        if org_id in table:
            table[org_id]["activity_timeliness"] = _share(timely, n_activities)
            table[org_id]["milestone_timeliness"] = _share(on_time, n_milestones)
            table[org_id]["timeliness"] = _share(timely + on_time, n_activities + n_milestones)


def _transparency(table: dict[int, dict[str, Decimal]], completed: Any, bounds: tuple[str, str], span: Year) -> None:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # due, on time, completed, evidenced
    funds = list(
        Fund.objects.filter(
            organization__region__code__range=bounds,
            activated_at__isnull=False,
            status__in=[Fund.Status.ACTIVE, Fund.Status.CLOSED],
        ).values_list("pk", "organization_id", "activated_at", "closed_at")
    )
    by_fund: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    disclosures = Disclosure.objects.filter(fund_id__in=[f[0] for f in funds], project__isnull=True)
    for fund_id, period_end, published_at in disclosures.values_list("fund_id", "period_end", "published_at"):
        by_fund[fund_id].append((period_end, timezone.localtime(published_at).date()))
    for fund_id, org_id, activated_at, closed_at in funds:
        closed_on = timezone.localtime(closed_at).date() if closed_at else None
        assert activated_at is not None
        due, on_time = disclosure_record(timezone.localtime(activated_at).date(), closed_on, by_fund[fund_id], span)
        counts[org_id][0] += due
        counts[org_id][1] += on_time

    def attached(model: str) -> Exists:
        return Exists(
            Attachment.objects.filter(owner_type=model, owner_id=Cast(OuterRef("pk"), output_field=CharField()))
        )

    activity_documents = MatchActivity.objects.filter(match=OuterRef("pk")).filter(
        attached(MatchActivity._meta.label_lower)
    )
    evidenced = completed.annotate(
        documents=attached(Match._meta.label_lower), photos=Exists(activity_documents)
    ).values_list("organization_id", "completion_report", "documents", "photos")
    for org_id, report, documents, photos in evidenced:
        counts[org_id][2] += 1
        counts[org_id][3] += bool(report.strip()) and (bool(documents) or bool(photos))
    for org_id, (due, on_time, n_completed, n_evidenced) in counts.items():
        if org_id in table:
            table[org_id]["disclosure_timeliness"] = _share(on_time, due)
            table[org_id]["report_evidence_share"] = _share(n_evidenced, n_completed)
            table[org_id]["transparency"] = _share(on_time + n_evidenced, due + n_completed)
