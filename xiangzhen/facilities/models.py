"""The four small rooms (四小建设): children's, reading, livestream and clinic rooms in villages."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Facility(models.Model):
    class Kind(models.TextChoices):
        CHILDREN_ROOM = "children_room", "宝贝小屋"
        READING_ROOM = "reading_room", "阅读小屋"
        LIVESTREAM_ROOM = "livestream_room", "直播小屋"
        CLINIC_ROOM = "clinic_room", "医生小屋"

    class Status(models.TextChoices):
        PLANNED = "planned", "规划中"
        BUILDING = "building", "建设中"
        IN_USE = "in_use", "使用中"
        CLOSED = "closed", "已关闭"

    number = models.CharField("编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField("名称", max_length=200)
    village = models.ForeignKey("regions.Region", verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    builder = models.ForeignKey(
        "organizations.Organization", verbose_name="建设组织", on_delete=models.PROTECT, related_name="facilities"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="专项行动", null=True, blank=True, on_delete=models.PROTECT,
        related_name="facilities",
    )  # fmt: skip
    funding = models.DecimalField("建设资金（元）", max_digits=14, decimal_places=2, default=0)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True)
    opened_on = models.DateField("启用日期", null=True, blank=True)
    closed_on = models.DateField("关闭日期", null=True, blank=True)
    close_reason = models.CharField("关闭原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "village__code"
    scope_organization_field = "builder"

    class Meta:
        verbose_name = "四小建设"
        verbose_name_plural = "四小建设"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(funding__gte=0), name="facility_funding_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "building"]) | Q(opened_on__isnull=False) | Q(status="closed"),
                name="facility_in_use_has_opening_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.PLANNED


class FacilityUsage(models.Model):
    """A usage record: visits, sessions, consultations, or sales made through a livestream room."""

    class Kind(models.TextChoices):
        VISITS = "visits", "到访人次"
        SESSIONS = "sessions", "活动/直播场次"
        CONSULTATIONS = "consultations", "问诊人次"
        SALES = "sales", "直播销售"

    facility = models.ForeignKey(Facility, verbose_name="小屋", on_delete=models.PROTECT, related_name="usages")
    used_on = models.DateField("日期", db_index=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField("数量")
    amount = models.DecimalField("销售额（元）", max_digits=14, decimal_places=2, default=0)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope_region_field = "facility__village__code"
    scope_organization_field = "facility__builder"

    class Meta:
        verbose_name = "小屋使用记录"
        verbose_name_plural = "小屋使用记录"
        ordering = ["-used_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="facility_usage_amount_not_negative"),
            models.CheckConstraint(condition=Q(kind="sales") | Q(amount=0), name="facility_usage_amount_only_sales"),
        ]

    def __str__(self) -> str:
        return f"{self.facility.name} {self.used_on} {self.get_kind_display()} {self.count}"
