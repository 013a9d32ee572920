"""Charity brands (公益品牌), exemplary cases (典型案例) and commendations (表彰)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class CharityBrand(models.Model):
    """An organization's named, repeated programme; its activities carry the brand."""

    class Status(models.TextChoices):
        ACTIVE = "active", "运行中"
        RETIRED = "retired", "已停止"

    number = models.CharField("编号", max_length=40, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="brands"
    )
    name = models.CharField("品牌名称", max_length=100)
    description = models.TextField("品牌简介")
    started_year = models.PositiveSmallIntegerField("创立年份")
    domains = models.ManyToManyField("core.Domain", verbose_name="领域", blank=True, related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_region_field = "organization__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "公益品牌"
        verbose_name_plural = "公益品牌"
        ordering = ["organization_id", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="brand_name_unique")]

    def __str__(self) -> str:
        return self.name


class ExemplaryCase(models.Model):
    """A case written up by staff, with figures drawn from the records, reviewed, then public."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤下"

    number = models.CharField("编号", max_length=40, unique=True)
    title = models.CharField("标题", max_length=200)
    region = models.ForeignKey("regions.Region", verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="cases"
    )
    brand = models.ForeignKey(
        CharityBrand, verbose_name="公益品牌", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="专项行动", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )  # fmt: skip
    summary = models.CharField("摘要", max_length=300)
    body = models.TextField("正文")
    # Figures read from the records when the case was written (and refreshed on each edit).
    figures = models.JSONField("案例数据", default=dict)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        ordering = ["-published_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Commendation(models.Model):
    """A commendation of an organization: the year, the title and the issuing department."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="commendations"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("表彰名称", max_length=200)
    issuing_department = models.CharField("表彰单位", max_length=200)
    # The issuer's region: staff of that region and above record and see it.
    region = models.ForeignKey(
        "regions.Region", verbose_name="表彰单位所在地区", on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField("文号", max_length=100, blank=True)
    awarded_on = models.DateField("表彰日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "表彰"
        verbose_name_plural = "表彰"
        ordering = ["-year", "-awarded_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "title"], name="commendation_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000), name="commendation_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}：{self.organization}"
