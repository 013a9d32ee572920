"""Pairing (结对帮扶): an organization bound to a county, township or village for a period.

The commitments are typed once; progress against them is never typed but computed from the
records kept elsewhere (matches, disbursements, activities, purchases) — see `progress.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Pairing(models.Model):
    class Origin(models.TextChoices):
        ORGANIZATION = "organization", "社会组织申请"
        STAFF = "staff", "部门安排"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待确认"
        RETURNED = "returned", "已退回"
        ACTIVE = "active", "结对中"
        UNDER_REVIEW = "under_review", "年度考核中"
        ENDED = "ended", "已结束"
        WITHDRAWN = "withdrawn", "已撤回"

    number = models.CharField("编号", max_length=40, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="pairings"
    )
    # A county, township or village: everything recorded inside its subtree counts as progress.
    region = models.ForeignKey("regions.Region", verbose_name="结对地区", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField("发起方式", max_length=20, choices=Origin.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    committed_money = models.DecimalField("承诺帮扶资金（元）", max_digits=14, decimal_places=2, default=0)
    committed_projects = models.PositiveIntegerField("承诺帮扶项目（个）", default=0)
    committed_volunteer_hours = models.DecimalField("承诺志愿服务（小时）", max_digits=10, decimal_places=1, default=0)
    committed_purchases = models.DecimalField("承诺消费帮扶（元）", max_digits=14, decimal_places=2, default=0)
    note = models.TextField("结对说明", blank=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    end_reason = models.CharField("结束原因", max_length=500, blank=True)
    # The year under annual review while the status is under_review; cleared when the review concludes.
    review_year = models.PositiveSmallIntegerField("考核年度", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("发起时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope_region_field = "region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="pairing_dates_ordered"),
            models.CheckConstraint(
                condition=Q(committed_money__gte=0)
                & Q(committed_volunteer_hours__gte=0)
                & Q(committed_purchases__gte=0),
                name="pairing_commitments_not_negative",
            ),
            # One live pairing of an organization with a place; an ended one may be paired again.
            models.UniqueConstraint(
                fields=["organization", "region"],
                condition=Q(status__in=["proposed", "returned", "active", "under_review"]),
                name="pairing_one_live_per_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.organization} ↔ {self.region}"


class PairingReview(models.Model):
    """The annual review of a pairing: the figures as they stood, a written assessment, the outcome."""

    class Outcome(models.TextChoices):
        RENEWED = "renewed", "续签"
        ENDED = "ended", "结束"

    pairing = models.ForeignKey(Pairing, verbose_name="结对帮扶", on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField("考核年度")
    period_start = models.DateField("考核期间开始")
    period_end = models.DateField("考核期间结束")
    # Progress against each commitment, frozen when the review is concluded.
    figures = models.JSONField("考核数据")
    assessment = models.TextField("考核意见")
    outcome = models.CharField("考核结论", max_length=20, choices=Outcome.choices)
    new_end_date = models.DateField("续签至", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="考核人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("考核时间", auto_now_add=True)

    scope_region_field = "pairing__region__code"
    scope_organization_field = "pairing__organization"

    class Meta:
        verbose_name = "结对年度考核"
        verbose_name_plural = "结对年度考核"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "year"], name="pairing_review_once_a_year"),
            models.CheckConstraint(
                condition=Q(outcome="ended") | Q(new_end_date__isnull=False), name="pairing_review_renewal_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pairing.number} {self.year} 年度考核"
