"""Five-society linkage (五社联动): social work stations, volunteers and their service hours, and
the incubation of rural community organizations."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from xiangzhen.core.constraints import exactly_one_of
from xiangzhen.core.crypto import EncryptedTextField, mask_phone


class SocialWorkStation(models.Model):
    """A township social work station (乡镇社工站), kept by county civil affairs staff."""

    class Status(models.TextChoices):
        OPERATING = "operating", "运营中"
        SUSPENDED = "suspended", "暂停运营"
        CLOSED = "closed", "已撤销"

    region = models.ForeignKey("regions.Region", verbose_name="所在乡镇", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    operator = models.ForeignKey(
        "organizations.Organization",
        verbose_name="运营机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_on = models.DateField("建站日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPERATING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_region_field = "region__code"
    scope_organization_field = "operator_id"

    class Meta:
        verbose_name = "社工站"
        verbose_name_plural = "社工站"
        ordering = ["region_id", "id"]

    def __str__(self) -> str:
        return self.name


class StationStaff(models.Model):
    station = models.ForeignKey(
        SocialWorkStation, verbose_name="社工站", on_delete=models.CASCADE, related_name="staff"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("岗位", max_length=50)
    qualification = models.CharField("职业资格", max_length=100, blank=True)
    phone = EncryptedTextField("手机号", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_region_field = "station__region__code"
    scope_organization_field = "station__operator_id"

    class Meta:
        verbose_name = "社工站工作人员"
        verbose_name_plural = "社工站工作人员"
        ordering = ["station_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class Volunteer(models.Model):
    """A volunteer registered by an organization or a station, with skills and service areas."""

    name = models.CharField("姓名", max_length=50)
    phone = EncryptedTextField("手机号")
    skills = models.CharField("技能特长", max_length=200, blank=True)
    areas = models.ManyToManyField("regions.Region", verbose_name="服务区域", blank=True, related_name="+")
    # Where the registering organization or station is: the region the volunteer is scoped by.
    region = models.ForeignKey("regions.Region", verbose_name="登记地", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="登记组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        SocialWorkStation, verbose_name="登记社工站", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关联账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "region__code"
    scope_organization_field = "organization_id"

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"
        ordering = ["-created_at", "-id"]
        constraints = [
            exactly_one_of("organization", "station", name="volunteer_one_registrar"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class VolunteerService(models.Model):
    """One piece of volunteer work; only hours the organizer confirmed count."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已驳回"

    volunteer = models.ForeignKey(Volunteer, verbose_name="志愿者", on_delete=models.PROTECT, related_name="services")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="组织方",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        SocialWorkStation, verbose_name="组织社工站", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    served_on = models.DateField("服务日期")
    hours = models.DecimalField("服务时长（小时）", max_digits=4, decimal_places=1)
    content = models.CharField("服务内容", max_length=500)
    region = models.ForeignKey("regions.Region", verbose_name="服务地点", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RECORDED, db_index=True)
    reject_reason = models.CharField("驳回原因", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)

    scope_region_field = "region__code"
    scope_organization_field = "organization_id"

    class Meta:
        verbose_name = "志愿服务记录"
        verbose_name_plural = "志愿服务记录"
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0")) & Q(hours__lte=Decimal("24")), name="volunteer_service_hours"
            ),
            exactly_one_of("organization", "station", name="volunteer_service_one_organizer"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.served_on} {self.hours}h"

    @property
    def organizer_name(self) -> str:
        return str(self.organization or self.station)


class IncubationRecord(models.Model):
    """The filing and incubation of one rural community organization."""

    class Stage(models.TextChoices):
        FILED = "filed", "已备案"
        INCUBATING = "incubating", "孵化中"
        REGISTERED = "registered", "已登记"
        STOPPED = "stopped", "已终止"

    organization = models.OneToOneField(
        "organizations.Organization", verbose_name="农村社区社会组织", on_delete=models.PROTECT, related_name="+"
    )
    incubator_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="孵化枢纽组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    incubator_station = models.ForeignKey(
        SocialWorkStation, verbose_name="孵化社工站", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.FILED, db_index=True)
    filed_on = models.DateField("备案日期")
    notes = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_region_field = "organization__region__code"
    scope_organization_field = "organization_id"

    class Meta:
        verbose_name = "孵化培育记录"
        verbose_name_plural = "孵化培育记录"
        ordering = ["-filed_on", "-id"]
        constraints = [
            exactly_one_of("incubator_organization", "incubator_station", name="incubation_one_incubator"),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def incubator_name(self) -> str:
        return str(self.incubator_organization or self.incubator_station)
