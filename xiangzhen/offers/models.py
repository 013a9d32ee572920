from django.conf import settings
from django.db import models
from django.db.models import F, Q


class AidMode(models.TextChoices):
    """The same values as `Demand.aid_mode`, so matching compares them directly."""

    RELIEF = "relief", "输血"
    SELF_DEVELOPMENT = "self_development", "造血"


class Offer(models.Model):
    """What a social organization can do for rural revitalization: one entry of the 供给项目库.

    Its service area is a set of regions at any level (a county covers every township and village
    in it) or the whole country; its capacity is how many demands and how much money it can take on.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        PUBLISHED = "published", "已发布"
        CLOSED = "closed", "已关闭"

    number = models.CharField("编号", max_length=40, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField("项目名称", max_length=200)
    description = models.TextField("项目内容")
    domains = models.ManyToManyField("core.Domain", verbose_name="服务领域", related_name="+")
    beneficiary_groups = models.ManyToManyField(
        "core.BeneficiaryGroup", verbose_name="受益群体", blank=True, related_name="+"
    )
    service_regions = models.ManyToManyField("regions.Region", verbose_name="服务区域", blank=True, related_name="+")
    nationwide = models.BooleanField("面向全国", default=False)
    capacity_demands = models.PositiveIntegerField("可承接需求数")
    capacity_amount = models.DecimalField("可投入资金（元）", max_digits=12, decimal_places=2)
    in_kind = models.CharField("可提供物资", max_length=500, blank=True)
    window_start = models.DateField("开始日期")
    window_end = models.DateField("结束日期")
    aid_mode = models.CharField("帮扶方式", max_length=20, choices=AidMode.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    close_reason = models.CharField("关闭原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    search_index = models.TextField("检索索引", blank=True, editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Set only on offers created by an Excel import; re-importing the same row finds it (see services).
    import_key = models.CharField("导入标识", max_length=64, null=True, blank=True, unique=True, editable=False)

    # Civil affairs staff see the offers of organizations registered in their region subtree;
    # organization people see their own organizations' offers.
    scope_region_field = "organization__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "供给项目"
        verbose_name_plural = "供给项目"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "window_end"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity_demands__gte=1), name="offer_capacity_demands_positive"),
            models.CheckConstraint(condition=Q(capacity_amount__gte=0), name="offer_capacity_amount_not_negative"),
            models.CheckConstraint(condition=Q(window_end__gte=F("window_start")), name="offer_window_ordered"),
            models.CheckConstraint(
                condition=Q(aid_mode__in=["relief", "self_development"]), name="offer_aid_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "published", "closed"]),
                name="offer_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        """Published offers, and closed ones that were published before, are public records."""
        return self.status in PUBLIC_STATUSES and self.published_at is not None


PUBLIC_STATUSES = (Offer.Status.PUBLISHED, Offer.Status.CLOSED)
