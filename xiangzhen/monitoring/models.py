"""Return-to-poverty monitoring (防止返贫监测): the households the county watches, their members,
which organizations may help them, and the help they record.

Names, ID numbers and phones are encrypted at rest (core.crypto) and masked everywhere; only the
county's rural revitalization staff may show them in full, one household at a time, audited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from xiangzhen.core.crypto import EncryptedTextField


class MonitoredHousehold(models.Model):
    """A household under monitoring (监测对象), recorded by the county."""

    class Category(models.TextChoices):
        UNSTABLE = "unstable", "脱贫不稳定户"
        MARGINAL = "marginal", "边缘易致贫户"
        SUDDEN = "sudden", "突发严重困难户"

    class Status(models.TextChoices):
        MONITORING = "monitoring", "监测中"
        RISK_ELIMINATED = "risk_eliminated", "风险消除"
        MOVED_OUT = "moved_out", "已迁出"

    class Risk(models.TextChoices):
        ILLNESS = "illness", "因病"
        EDUCATION = "education", "因学"
        DISABILITY = "disability", "因残"
        DISASTER = "disaster", "因灾"
        ACCIDENT = "accident", "因意外"
        BUSINESS_FAILURE = "business_failure", "产业失败"
        UNSTABLE_JOB = "unstable_job", "务工就业不稳"
        OTHER = "other", "其他"

    number = models.CharField("编号", max_length=40, unique=True)
    village = models.ForeignKey("regions.Region", verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("监测类型", max_length=20, choices=Category.choices, db_index=True)
    head_name = EncryptedTextField("户主姓名")
    head_id_number = EncryptedTextField("户主身份证号")
    # A keyed hash of the ID number: finds a household registered twice without decrypting anything.
    id_number_key = models.CharField("身份证标识", max_length=64, unique=True, editable=False)
    phone = EncryptedTextField("联系电话", blank=True)
    risks = models.JSONField("风险类型", default=list)
    income_per_capita = models.DecimalField("人均纯收入（元/年）", max_digits=12, decimal_places=2)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.MONITORING, db_index=True)
    identified_on = models.DateField("识别日期")
    closed_on = models.DateField("风险消除或迁出日期", null=True, blank=True)
    close_reason = models.CharField("风险消除或迁出原因", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_region_field = "village__code"

    class Meta:
        verbose_name = "监测对象"
        verbose_name_plural = "监测对象"
        ordering = ["-identified_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(income_per_capita__gte=0), name="household_income_not_negative"),
            models.CheckConstraint(
                condition=Q(status="monitoring") | Q(closed_on__isnull=False),
                name="household_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def risk_labels(self) -> list[str]:
        labels = dict(self.Risk.choices)
        return [str(labels.get(r, r)) for r in self.risks]


class HouseholdMember(models.Model):
    """One person of a monitored household."""

    household = models.ForeignKey(
        MonitoredHousehold, verbose_name="监测对象", on_delete=models.CASCADE, related_name="members"
    )
    name = EncryptedTextField("姓名")
    id_number = EncryptedTextField("身份证号")
    relation = models.CharField("与户主关系", max_length=20)
    health = models.CharField("健康状况", max_length=50, blank=True)
    education = models.CharField("文化程度", max_length=50, blank=True)
    work = models.CharField("务工或就业情况", max_length=100, blank=True)

    scope_region_field = "household__village__code"

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]

    def __str__(self) -> str:
        return f"{self.household.number} {self.relation}"


class HouseholdAccess(models.Model):
    """The county lets one organization see one household (masked) and record help for it, until a date."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        MonitoredHousehold, verbose_name="监测对象", on_delete=models.CASCADE, related_name="accesses"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授权人", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    until = models.DateField("有效期至")
    # Organizations only ever see masked personal data; the field says so on the record.
    masked_only = models.BooleanField("仅可查看打码信息", default=True, editable=False)

    scope_region_field = "household__village__code"
    scope_organization_field = "organization_id"

    class Meta:
        verbose_name = "帮扶授权"
        verbose_name_plural = "帮扶授权"
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "household"], name="household_access_unique"),
            models.CheckConstraint(condition=Q(masked_only=True), name="household_access_masked_only"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.household.number}"


class AssistanceRecord(models.Model):
    """Help an organization gave a monitored household it was granted: what, when, how much."""

    class Kind(models.TextChoices):
        MONEY = "money", "资金"
        GOODS = "goods", "物资"
        SERVICE = "service", "服务"
        JOB = "job", "就业岗位"
        TRAINING = "training", "技能培训"

    household = models.ForeignKey(
        MonitoredHousehold, verbose_name="监测对象", on_delete=models.PROTECT, related_name="assistance"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("帮扶类型", max_length=20, choices=Kind.choices)
    what = models.CharField("帮扶内容", max_length=200)
    given_on = models.DateField("帮扶日期")
    amount = models.DecimalField("金额或折价（元）", max_digits=12, decimal_places=2, default=0)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_region_field = "household__village__code"
    scope_organization_field = "organization_id"

    class Meta:
        verbose_name = "帮扶记录"
        verbose_name_plural = "帮扶记录"
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="assistance_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.household.number} {self.what}"
