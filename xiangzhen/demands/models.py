"""The demand library (需求项目库): what villages and people in difficulty need."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangzhen.core.crypto import EncryptedTextField


class Demand(models.Model):
    """One need, collected by a village or township and reviewed and published by the county."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        PUBLISHED = "published", "已发布"
        MATCHED = "matched", "已对接"
        IN_PROGRESS = "in_progress", "实施中"
        COMPLETED = "completed", "已完成"
        EVALUATED = "evaluated", "已评价"
        WITHDRAWN = "withdrawn", "已撤回"
        EXPIRED = "expired", "已过期"

    class AidMode(models.TextChoices):
        RELIEF = "relief", "输血（直接帮扶）"
        SELF_DEVELOPMENT = "self_development", "造血（能力建设）"

    number = models.CharField("编号", max_length=40, unique=True)
    title = models.CharField("标题", max_length=100)
    description = models.TextField("需求描述")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    domains = models.ManyToManyField("core.Domain", verbose_name="领域", related_name="+")
    aid_mode = models.CharField("帮扶方式", max_length=20, choices=AidMode.choices, default=AidMode.RELIEF)
    budget = models.DecimalField("所需资金（元）", max_digits=12, decimal_places=2, default=0)
    in_kind = models.TextField("所需物资或服务", blank=True)
    period_start = models.DateField("期望开始日期", null=True, blank=True)
    period_end = models.DateField("期望结束日期", null=True, blank=True)
    deadline = models.DateField("征集截止日期", db_index=True)
    contact_name = EncryptedTextField("联系人")
    contact_phone = EncryptedTextField("联系电话")
    on_behalf_of_household = models.BooleanField("代农户填报", default=False)
    household_name = EncryptedTextField("农户姓名", blank=True)
    household_consent = models.BooleanField("农户已同意", default=False)
    # A keyed hash of the village and the household's name: lets the county see that one household
    # is served twice without anyone decrypting names. Empty unless entered on behalf of a household.
    household_key = models.CharField("农户标识", max_length=64, blank=True, db_index=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # jieba words of title and description, kept by the services (core.textsearch).
    search_index = models.TextField("检索索引", blank=True, editable=False)
    # A stable hash of county + title + region + deadline for rows that came from an Excel import,
    # so importing the same file twice creates nothing twice.
    import_key = models.CharField("导入标识", max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_region_field = "region__code"

    PUBLIC_STATUSES = (
        Status.PUBLISHED,
        Status.MATCHED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.EVALUATED,
    )
    OPEN_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED, Status.MATCHED, Status.IN_PROGRESS)

    class Meta:
        verbose_name = "需求项目"
        verbose_name_plural = "需求项目"
        ordering = ["-created_at", "-id"]
        indexes = [
            # Region and status first for the scoped lists; published_at and id too, so the counts a
            # province's library shows (and the join to domains) are answered from the index alone.
            models.Index(fields=["region", "status", "published_at", "id"], name="demand_region_status_pub"),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="demand_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="demand_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(on_behalf_of_household=False) | Q(household_consent=True),
                name="demand_household_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        """Published and later: anyone may read it (contacts masked) and download its attachments."""
        return self.status in self.PUBLIC_STATUSES

    @property
    def priority_flags(self) -> list[str]:
        """Designations of the region and its ancestors (国家乡村振兴重点帮扶县, 脱贫村 …), derived, not stored.

        List selectors fill `_priority_flags` for a whole page in one query.
        """
        cached = getattr(self, "_priority_flags", None)
        if cached is None:
            from xiangzhen.demands.priority import flags_for_regions

            cached = flags_for_regions([self.region_id])[self.region_id]
            self._priority_flags = cached
        return cached


class DemandBeneficiary(models.Model):
    """How many people of one beneficiary group a demand serves."""

    demand = models.ForeignKey(Demand, verbose_name="需求项目", on_delete=models.CASCADE, related_name="beneficiaries")
    group = models.ForeignKey(
        "core.BeneficiaryGroup", verbose_name="受益群体", on_delete=models.PROTECT, related_name="+"
    )
    head_count = models.PositiveIntegerField("人数")

    scope_region_field = "demand__region__code"

    class Meta:
        verbose_name = "受益群体人数"
        verbose_name_plural = "受益群体人数"
        ordering = ["group__sort_order", "group_id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "group"], name="demand_beneficiary_unique"),
            models.CheckConstraint(condition=Q(head_count__gt=0), name="demand_beneficiary_head_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.group}：{self.head_count} 人"
