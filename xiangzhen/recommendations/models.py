"""Matching weights: how much each named feature counts, kept as data a province can change."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

# The features of `scoring.score`, in the order they are shown, with their Chinese names.
FEATURES = {
    "domain_overlap": "领域重合",
    "group_overlap": "受益群体重合",
    "geography": "地域就近",
    "text_similarity": "内容相似",
    "budget_fit": "资金匹配",
    "organization_record": "组织信誉",
    "tilt": "优先倾斜强度",
}
DEFAULTS = {
    "domain_overlap": 2.0,
    "group_overlap": 1.5,
    "geography": 2.0,
    "text_similarity": 1.5,
    "budget_fit": 1.0,
    "organization_record": 1.0,
    "tilt": 1.0,
}
MAX_WEIGHT = 10.0


class MatchingWeights(models.Model):
    """One province's weights (or, with no region, the national default every province starts from)."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name="省份",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示全国默认权重",
    )
    domain_overlap = models.FloatField(FEATURES["domain_overlap"], default=DEFAULTS["domain_overlap"])
    group_overlap = models.FloatField(FEATURES["group_overlap"], default=DEFAULTS["group_overlap"])
    geography = models.FloatField(FEATURES["geography"], default=DEFAULTS["geography"])
    text_similarity = models.FloatField(FEATURES["text_similarity"], default=DEFAULTS["text_similarity"])
    budget_fit = models.FloatField(FEATURES["budget_fit"], default=DEFAULTS["budget_fit"])
    organization_record = models.FloatField(FEATURES["organization_record"], default=DEFAULTS["organization_record"])
    tilt = models.FloatField(FEATURES["tilt"], default=DEFAULTS["tilt"])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    # Province staff see their province's row; everyone with a region scope reads the national one
    # through the selectors.
    scope_region_field = "region__code"

    class Meta:
        verbose_name = "匹配权重"
        verbose_name_plural = "匹配权重"
        ordering = ["region_id"]
        constraints = [
            # At most one national row: NULL regions are otherwise distinct for a unique index.
            models.UniqueConstraint(Coalesce("region", Value("")), name="matching_weights_one_per_province"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__gte": 0}) & Q(**{f"{f}__lte": MAX_WEIGHT}), name=f"matching_weights_{f}_0_10"
                )
                for f in FEATURES
            ],
        ]

    def __str__(self) -> str:
        return f"匹配权重（{self.region.name if self.region else '全国默认'}）"


class TextCorpus(models.Model):
    """Document frequencies of the words of published offers and public demands: the IDF of text
    similarity. Counted by a background task when something is published; scoring reads the newest."""

    built_at = models.DateTimeField("统计时间", auto_now_add=True)
    documents = models.PositiveIntegerField("文档数")
    frequencies = models.JSONField("词频", default=dict)

    class Meta:
        verbose_name = "文本语料统计"
        verbose_name_plural = "文本语料统计"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"语料统计 #{self.pk}（{self.documents} 篇）"
