"""Evaluation indicators (评估评价体系): a province's indicators with weights and formulas, and the
yearly score of every social organization registered in the province, with its breakdown.

A score is derived data: `services.compute_scores` recomputes a province's year from the records
(matches, activities, purchases, pairings, rooms, funds) and keeps, with each score, the measure
values, each indicator's value and points, and the indicator versions used, so a published score
can always be explained even after the indicators change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Indicator(models.Model):
    """One indicator of a province: a weight (the province's active weights sum to 100) and a
    formula over the measures of one organization in one year whose value (0–1) earns that share
    of the weight."""

    class Category(models.TextChoices):
        PARTICIPATION = "participation", "参与情况"
        RESULTS = "results", "帮扶成效"
        EVALUATIONS = "evaluations", "受助评价"
        TIMELINESS = "timeliness", "记录及时性"
        TRANSPARENCY = "transparency", "信息公开"

    province = models.ForeignKey("regions.Region", verbose_name="省份", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=100)
    weight = models.DecimalField("权重（分）", max_digits=5, decimal_places=2)
    formula = models.CharField("计算公式", max_length=500)
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    scope_region_field = "province__code"

    class Meta:
        verbose_name = "评估指标"
        verbose_name_plural = "评估指标"
        ordering = ["province_id", "category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="indicator_code_unique_per_province"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="indicator_weight_0_100"),
            models.CheckConstraint(
                condition=Q(category__in=["participation", "results", "evaluations", "timeliness", "transparency"]),
                name="indicator_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight} 分）"


def category_order() -> models.Case:
    """Indicators in the order of their categories (participation first), for lists and breakdowns."""
    return models.Case(
        *[models.When(category=value, then=index) for index, value in enumerate(Indicator.Category.values)],
        output_field=models.IntegerField(),
    )


class Scheme(models.Model):
    """How a province uses the score in 社会组织等级评估: the points the rural-revitalization
    indicator carries out of the rating's total (e.g. 50 of 1000), and the commendation list size."""

    province = models.OneToOneField(
        "regions.Region", verbose_name="省份", on_delete=models.PROTECT, related_name="+", primary_key=True
    )
    rating_points = models.DecimalField("等级评估中的分值", max_digits=6, decimal_places=2, default=50)
    rating_total = models.DecimalField("等级评估总分", max_digits=6, decimal_places=2, default=1000)
    commendation_top = models.PositiveSmallIntegerField("表彰候选每组名额", default=3)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    scope_region_field = "province__code"

    class Meta:
        verbose_name = "评估方案"
        verbose_name_plural = "评估方案"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_points__gt=0)
                & Q(rating_total__gt=0)
                & Q(rating_points__lte=models.F("rating_total")),
                name="scheme_rating_points_within_total",
            ),
            models.CheckConstraint(condition=Q(commendation_top__gte=1), name="scheme_commendation_top_positive"),
        ]

    def __str__(self) -> str:
        return f"评估方案（{self.province_id}）"


class Score(models.Model):
    """One organization's score for one year, computed from the records; the breakdown is kept."""

    province = models.ForeignKey("regions.Region", verbose_name="省份", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="scores"
    )
    year = models.PositiveSmallIntegerField("年度")
    # The organization's kind and registration region when computed: its ranking group.
    kind = models.CharField("组织类型", max_length=30)
    level = models.CharField("登记层级", max_length=10)
    region = models.ForeignKey("regions.Region", verbose_name="登记地", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("组内排名")
    group_size = models.PositiveIntegerField("组内组织数")
    measures = models.JSONField("计量值")
    breakdown = models.JSONField("得分明细")
    indicator_versions = models.JSONField("所用指标版本")
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="计算人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_region_field = "region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "评估得分"
        verbose_name_plural = "评估得分"
        ordering = ["-year", "kind", "level", "rank", "organization_id"]
        indexes = [models.Index(fields=["province", "year", "kind", "level", "rank"])]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="score_one_per_organization_year"),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=100), name="score_total_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.total}"
