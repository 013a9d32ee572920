"""Sharing and push (共享推送): what organizations subscribe to, and the inbox it fills."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Subscription(models.Model):
    """An organization's standing interest in new demands: by domain, beneficiary group and area.

    An empty set means "any" for domains and groups; an empty area means "wherever the
    organization's published offers serve".
    """

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="subscriptions"
    )
    domains = models.ManyToManyField("core.Domain", verbose_name="领域（不选为全部）", blank=True, related_name="+")
    beneficiary_groups = models.ManyToManyField(
        "core.BeneficiaryGroup", verbose_name="受益群体（不选为全部）", blank=True, related_name="+"
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name="关注区域（不选为供给项目服务区域）", blank=True, related_name="+"
    )
    is_active = models.BooleanField("有效", default=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Organization people see their own organizations' subscriptions; staff have no business here.
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "需求订阅"
        verbose_name_plural = "需求订阅"
        ordering = ["organization_id", "-is_active", "-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "is_active"])]

    def __str__(self) -> str:
        return f"{self.organization} 的订阅 #{self.pk}"


class Notification(models.Model):
    """One message in one person's inbox; e-mailed to them once if they have an address."""

    class Kind(models.TextChoices):
        DEMAND_PUBLISHED = "demand_published", "新发布需求"
        REMINDER = "reminder", "提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    demand = models.ForeignKey(
        "demands.Demand", verbose_name="需求项目", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The organization the push was meant for (a person may belong to several).
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="社会组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("邮件尝试次数", default=0)
    email_error = models.CharField("邮件错误", max_length=300, blank=True)
    # Names the event a reminder is about (e.g. "disclosure:JJ-…:2026Q3"), so it reaches a person once.
    key = models.CharField("提醒标识", max_length=150, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            # Each event reaches each person at most once, even if the push runs twice.
            models.UniqueConstraint(
                fields=["recipient", "kind", "demand"],
                condition=Q(demand__isnull=False),
                name="notification_once_per_recipient_demand",
            ),
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once_per_recipient_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
