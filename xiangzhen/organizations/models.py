from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Organization(models.Model):
    """A social organization registered with a civil affairs authority."""

    class Kind(models.TextChoices):
        SOCIAL_GROUP = "social_group", "社会团体"
        FOUNDATION = "foundation", "基金会"
        SOCIAL_SERVICE_AGENCY = "social_service_agency", "社会服务机构"

    class Rating(models.TextChoices):
        A1 = "1A", "1A"
        A2 = "2A", "2A"
        A3 = "3A", "3A"
        A4 = "4A", "4A"
        A5 = "5A", "5A"

    class FounderType(models.TextChoices):
        GRADUATE = "graduate", "高校毕业生"
        VETERAN = "veteran", "退役军人"
        RETURNING_MIGRANT_WORKER = "returning_migrant_worker", "返乡创业农民工"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已通过"
        SUSPENDED = "suspended", "已暂停"

    name = models.CharField("名称", max_length=200, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    # The region of the registration authority: its level is the registration level, and civil
    # affairs staff of exactly that region review the organization.
    region = models.ForeignKey("regions.Region", verbose_name="登记地", on_delete=models.PROTECT, related_name="+")
    registration_authority = models.CharField("登记管理机关", max_length=100)
    supervising_unit = models.CharField("业务主管单位", max_length=100, blank=True)
    domains = models.ManyToManyField("core.Domain", verbose_name="服务领域", blank=True, related_name="+")
    rating = models.CharField("等级评估", max_length=2, choices=Rating.choices, blank=True)
    rating_year = models.PositiveSmallIntegerField("评估年度", null=True, blank=True)
    is_hub = models.BooleanField("枢纽型社会组织", default=False)
    is_rural_community = models.BooleanField("农村社区社会组织", default=False)
    founder_type = models.CharField("创办人类型", max_length=30, choices=FounderType.choices, blank=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_region_field = "region__code"
    scope_organization_field = "pk"

    class Meta:
        verbose_name = "社会组织"
        verbose_name_plural = "社会组织"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating_year__isnull=False), name="organization_rating_has_year"
            ),
            models.CheckConstraint(
                condition=Q(founder_type="") | Q(is_rural_community=True),
                name="organization_founder_only_rural_community",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "管理员"
        MEMBER = "member", "成员"

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("加入时间", auto_now_add=True)

    scope_region_field = "organization__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "组织成员"
        verbose_name_plural = "组织成员"
        ordering = ["organization_id", "-role", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.user}"


class Invitation(models.Model):
    """An organization admin's invitation; the link carries a secret whose hash is stored."""

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="invitations"
    )
    full_name = models.CharField("姓名", max_length=50)
    email = models.EmailField("邮箱")
    role = models.CharField("角色", max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token_hash = models.CharField("摘要", max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="邀请人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("邀请时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "成员邀请"
        verbose_name_plural = "成员邀请"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization} 邀请 {self.full_name}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
