"""Allocation proposals (智能推荐方案): for a province or city at one moment, the set of matches
with the largest total tilted score under every offer's capacity — proposed, never applied. People
confirm (which creates a match with origin "recommendation") or drop each item."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AllocationRun(models.Model):
    """One proposal for a region, with its figures and those of first-come-first-served 接单."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待处理"
        CLOSED = "closed", "已处理完毕"

    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("生成时间", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    demands_considered = models.PositiveIntegerField("参与需求数", default=0)
    offers_considered = models.PositiveIntegerField("参与供给数", default=0)
    candidate_pairs = models.PositiveIntegerField("候选对数", default=0)
    key_county_demands = models.PositiveIntegerField("重点帮扶县需求数", default=0)
    total_score = models.FloatField("推荐方案总分", default=0)
    demands_covered = models.PositiveIntegerField("推荐方案覆盖需求数", default=0)
    key_county_covered = models.PositiveIntegerField("推荐方案覆盖重点帮扶县需求数", default=0)
    greedy_total_score = models.FloatField("先到先得总分", default=0)
    greedy_covered = models.PositiveIntegerField("先到先得覆盖需求数", default=0)
    greedy_key_county_covered = models.PositiveIntegerField("先到先得覆盖重点帮扶县需求数", default=0)
    solver_seconds = models.FloatField("求解耗时（秒）", default=0)
    # At least this percentage of the run's key-county demands is covered (0: no minimum).
    min_key_county_share = models.PositiveSmallIntegerField("重点帮扶县需求最低覆盖比例（%）", default=0)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "智能推荐方案"
        verbose_name_plural = "智能推荐方案"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "closed"]), name="allocation_run_status_valid"),
        ]

    def __str__(self) -> str:
        return f"智能推荐方案 #{self.pk}"

    @property
    def score_gain(self) -> float:
        return self.total_score - self.greedy_total_score


class ProposalItem(models.Model):
    """One proposed match of a run: this offer for this demand, with its score."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DROPPED = "dropped", "已放弃"

    run = models.ForeignKey(AllocationRun, verbose_name="方案", on_delete=models.CASCADE, related_name="items")
    demand = models.ForeignKey("demands.Demand", verbose_name="需求项目", on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey("offers.Offer", verbose_name="供给项目", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField("得分")
    in_key_county = models.BooleanField("重点帮扶县", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    drop_reason = models.CharField("放弃原因", max_length=500, blank=True)
    match = models.ForeignKey(
        "matching.Match",
        verbose_name="供需对接",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_region_field = "run__region__code"

    class Meta:
        verbose_name = "推荐方案条目"
        verbose_name_plural = "推荐方案条目"
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "confirmed", "dropped"]), name="proposal_item_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(match__isnull=False), name="proposal_item_confirmed_has_match"
            ),
            models.UniqueConstraint(fields=["run", "demand", "offer"], name="proposal_item_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} ← {self.offer_id}"
