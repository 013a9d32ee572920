"""Capacity building (能力建设): trainings run by hub organizations or departments, and who took them.

A `Training` is organized either by a hub social organization (`Organization.is_hub`) or by a
department; its region (the organizer's) decides which staff see it in every status. Members of
organizations enroll (themselves, or by their organization's admin) while it is open; the organizer
marks attendance and completion, and completion earns a certificate with a public number.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangzhen.core.constraints import exactly_one_of
from xiangzhen.core.crypto import EncryptedTextField


class Training(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "线下"
        ONLINE = "online", "线上"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "报名中"
        FINISHED = "finished", "已结束"
        CANCELLED = "cancelled", "已取消"

    number = models.CharField("编号", max_length=40, unique=True)
    title = models.CharField("课程名称", max_length=200)
    description = models.TextField("课程简介", blank=True)
    organizer_organization = models.ForeignKey(
        "organizations.Organization", verbose_name="主办枢纽型社会组织", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    organizer_department = models.ForeignKey(
        "accounts.Department", verbose_name="主办部门", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # The organizer's region: staff of this region and above see the training in every status.
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+")
    trainer = models.CharField("授课人", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    mode = models.CharField("方式", max_length=20, choices=Mode.choices)
    place = models.CharField("地点", max_length=200, blank=True)
    link = models.URLField("线上链接", max_length=500, blank=True)
    capacity = models.PositiveIntegerField("名额")
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1)
    enrolled_count = models.PositiveIntegerField("已报名人数", default=0)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    cancel_reason = models.CharField("取消原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_region_field = "region__code"
    scope_organization_field = "organizer_organization"

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = "培训"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="training_dates_ordered"),
            models.CheckConstraint(condition=Q(enrolled_count__lte=F("capacity")), name="training_within_capacity"),
            exactly_one_of("organizer_organization", "organizer_department", name="training_one_organizer"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def organizer_name(self) -> str:
        organizer = self.organizer_organization or self.organizer_department
        return str(organizer) if organizer else ""

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)


class Enrollment(models.Model):
    """A member of an organization enrolled in a training; attendance, completion and certificate."""

    training = models.ForeignKey(Training, verbose_name="培训", on_delete=models.PROTECT, related_name="enrollments")
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="学员", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="所在社会组织", on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField("已出勤", default=False)
    attended_hours = models.DecimalField("出勤学时", max_digits=6, decimal_places=1, default=0)
    completed = models.BooleanField("已结业", default=False)
    certificate_number = models.CharField("证书编号", max_length=40, null=True, blank=True, unique=True)
    certified_on = models.DateField("发证日期", null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报名人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    scope_region_field = "training__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "培训报名"
        verbose_name_plural = "培训报名"
        ordering = ["training_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "attendee"], name="enrollment_unique_attendee"),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(attended=True), name="enrollment_completed_attended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} · {self.attendee}"


class Talent(models.Model):
    """A leading person (领军人才) of an organization in the talent pool, added by its admins or by
    civil affairs staff; the trainings they took are their completed enrollments."""

    class Qualification(models.TextChoices):
        NONE = "", "无"
        ASSISTANT = "assistant", "助理社会工作师"
        SOCIAL_WORKER = "social_worker", "社会工作师"
        SENIOR = "senior", "高级社会工作师"

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="所在社会组织", on_delete=models.PROTECT, related_name="+"
    )
    domains = models.ManyToManyField("core.Domain", verbose_name="擅长领域", blank=True, related_name="+")
    social_work_level = models.CharField("社会工作者职业资格", max_length=20, choices=Qualification.choices, blank=True)
    # Personal data: encrypted at rest (core.crypto), so never filtered on.
    social_work_certificate = EncryptedTextField("职业资格证书编号", blank=True)
    social_work_year = models.PositiveSmallIntegerField("取得年份", null=True, blank=True)
    other_qualifications = EncryptedTextField("其他资格（名称、证书编号、年份）", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="添加人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    scope_region_field = "organization__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "领军人才"
        verbose_name_plural = "领军人才"
        ordering = ["organization_id", "id"]

    def __str__(self) -> str:
        return str(self.person)


class LedProject(models.Model):
    """A match of the talent's organization that they led (recorded by the organization's admin)."""

    talent = models.ForeignKey(Talent, verbose_name="领军人才", on_delete=models.PROTECT, related_name="led_projects")
    match = models.ForeignKey("matching.Match", verbose_name="对接项目", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("担任角色", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "领衔项目"
        verbose_name_plural = "领衔项目"
        ordering = ["talent_id", "id"]
        constraints = [models.UniqueConstraint(fields=["talent", "match"], name="led_project_unique")]

    def __str__(self) -> str:
        return f"{self.talent} · {self.match}"
