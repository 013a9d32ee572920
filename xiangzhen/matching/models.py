"""Matches (供需对接): one demand served by one organization, and what happens until it is evaluated."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Match(models.Model):
    """One organization (with one of its offers, if any) serving one demand.

    Created by 点单 (the demand side picks an offer) or 接单 (an organization takes a demand);
    accepted by the other side, confirmed by the county, then carried out, completed and evaluated.
    """

    class Origin(models.TextChoices):
        ORDER = "order", "点单"
        TAKE = "take", "接单"
        RECOMMENDATION = "recommendation", "推荐"
        EVENT = "event", "活动对接"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待接受"
        ACCEPTED = "accepted", "待县级确认"
        CONFIRMED = "confirmed", "已确认"
        IN_PROGRESS = "in_progress", "实施中"
        COMPLETED = "completed", "已完成"
        EVALUATED = "evaluated", "已评价"
        DECLINED = "declined", "已拒绝"
        CANCELLED = "cancelled", "已取消"

    number = models.CharField("编号", max_length=40, unique=True)
    demand = models.ForeignKey(
        "demands.Demand", verbose_name="需求项目", on_delete=models.PROTECT, related_name="matches"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="matches"
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name="供给项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matches",
    )
    origin = models.CharField("对接方式", max_length=20, choices=Origin.choices)
    # The event where the match was made (origin "event"), so an event's results are counted.
    event = models.ForeignKey(
        "events.Event", verbose_name="对接活动", null=True, blank=True, on_delete=models.PROTECT, related_name="matches"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    committed_amount = models.DecimalField("承诺资金（元）", max_digits=12, decimal_places=2, default=0)
    committed_in_kind = models.TextField("承诺物资或服务", blank=True)
    people_to_serve = models.PositiveIntegerField("计划服务人数", default=0)
    note = models.TextField("对接说明", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("发起时间", db_index=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接受人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    started_at = models.DateTimeField("开始实施时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    evaluated_at = models.DateTimeField("评价时间", null=True, blank=True)
    decline_reason = models.CharField("拒绝原因", max_length=500, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拒绝或取消人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("拒绝或取消时间", null=True, blank=True)
    completion_report = models.TextField("完成报告", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Staff and submitters see the matches of demands in their region subtree; organization
    # people see their own organizations' matches.
    scope_region_field = "demand__region__code"
    scope_organization_field = "organization"

    # Matches that hold a slot of the offer's capacity and a share of the demand's budget.
    ACTIVE_STATUSES = (
        Status.PROPOSED,
        Status.ACCEPTED,
        Status.CONFIRMED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.EVALUATED,
    )
    SUCCESS_STATUSES = (Status.COMPLETED, Status.EVALUATED)

    class Meta:
        verbose_name = "供需对接"
        verbose_name_plural = "供需对接"
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["demand", "status"]),
            models.Index(fields=["offer", "status"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "proposed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(committed_amount__gte=0), name="match_committed_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(origin__in=["order", "take", "recommendation", "event"]), name="match_origin_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "proposed",
                        "accepted",
                        "confirmed",
                        "in_progress",
                        "completed",
                        "evaluated",
                        "declined",
                        "cancelled",
                    ]
                ),
                name="match_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="match_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="match_cancelled_has_reason"
            ),
            # One organization serves one demand through at most one live match.
            models.UniqueConstraint(
                fields=["demand", "organization"],
                condition=Q(status__in=["proposed", "accepted", "confirmed", "in_progress", "completed", "evaluated"]),
                name="match_one_active_per_demand_and_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class MatchActivity(models.Model):
    """One thing done under a match: a visit, a class, a delivery — with people, money and photos."""

    match = models.ForeignKey(Match, verbose_name="供需对接", on_delete=models.PROTECT, related_name="activities")
    date = models.DateField("日期")
    title = models.CharField("活动名称", max_length=100)
    description = models.TextField("活动内容", blank=True)
    people_served = models.PositiveIntegerField("服务人数", default=0)
    amount_spent = models.DecimalField("投入资金（元）", max_digits=12, decimal_places=2, default=0)
    in_kind_spent = models.TextField("投入物资", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope_region_field = "match__demand__region__code"
    scope_organization_field = "match__organization"

    class Meta:
        verbose_name = "对接活动"
        verbose_name_plural = "对接活动"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_spent__gte=0), name="match_activity_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class MatchMilestone(models.Model):
    """A planned step of a match with its due date, marked done when reached."""

    match = models.ForeignKey(Match, verbose_name="供需对接", on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField("节点名称", max_length=100)
    due_date = models.DateField("计划日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )

    scope_region_field = "match__demand__region__code"
    scope_organization_field = "match__organization"

    class Meta:
        verbose_name = "对接里程碑"
        verbose_name_plural = "对接里程碑"
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class MatchEvaluation(models.Model):
    """The demand side's or the county's score (1–5) and comment on a completed match."""

    class Side(models.TextChoices):
        DEMAND = "demand", "需求方"
        COUNTY = "county", "县级乡村振兴部门"

    match = models.ForeignKey(Match, verbose_name="供需对接", on_delete=models.PROTECT, related_name="evaluations")
    by_side = models.CharField("评价方", max_length=10, choices=Side.choices)
    score = models.PositiveSmallIntegerField("评分")
    comment = models.TextField("评价意见", blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField("评价时间", auto_now_add=True)

    scope_region_field = "match__demand__region__code"
    scope_organization_field = "match__organization"

    class Meta:
        verbose_name = "对接评价"
        verbose_name_plural = "对接评价"
        ordering = ["evaluated_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="match_evaluation_score_1_5"),
            models.CheckConstraint(condition=Q(by_side__in=["demand", "county"]), name="match_evaluation_side_valid"),
            models.UniqueConstraint(fields=["match", "by_side"], name="match_evaluation_one_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.get_by_side_display()} {self.score} 分"
