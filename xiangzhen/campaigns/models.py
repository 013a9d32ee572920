"""Special actions (专项行动): a campaign at a level and region, the organizations enrolled in it,
the activities recorded against it, and the people who took part.

Progress against a campaign's targets is summed from its activities (and the purchases and
rooms linked to it), never typed.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Campaign(models.Model):
    class Kind(models.TextChoices):
        PAIRING = "pairing", "结对帮扶助振兴"
        RELIEF = "relief", "扶弱济困助振兴"
        CONSUMPTION = "consumption", "消费帮扶助振兴"
        BRAND = "brand", "公益品牌助振兴"
        FACILITIES = "facilities", "四小建设助振兴"
        OTHER = "other", "其他专项行动"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "进行中"
        CLOSED = "closed", "已结束"

    number = models.CharField("编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField("名称", max_length=200)
    # The organizing level is the region's level; organizations anywhere inside it may enroll.
    region = models.ForeignKey("regions.Region", verbose_name="实施地区", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("行动方案")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    target_organizations = models.PositiveIntegerField("目标参与组织（家）", default=0)
    target_activities = models.PositiveIntegerField("目标活动（场）", default=0)
    target_people_served = models.PositiveIntegerField("目标服务人次", default=0)
    target_money = models.DecimalField("目标投入资金（元）", max_digits=14, decimal_places=2, default=0)
    target_purchases = models.DecimalField("目标消费帮扶（元）", max_digits=14, decimal_places=2, default=0)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="campaign_dates_ordered"),
            models.CheckConstraint(
                condition=Q(target_money__gte=0) & Q(target_purchases__gte=0), name="campaign_targets_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CLOSED)


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", "已报名"
        WITHDRAWN = "withdrawn", "已退出"

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.PROTECT, related_name="enrollments"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ENROLLED)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报名人", on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField("报名时间", auto_now_add=True)

    scope_region_field = "organization__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "专项行动报名"
        verbose_name_plural = "专项行动报名"
        ordering = ["campaign_id", "enrolled_at", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="enrollment_unique")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.campaign}"


class Activity(models.Model):
    """One activity an enrolled organization carried out (photos are attachments)."""

    number = models.CharField("编号", max_length=40, unique=True)
    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", on_delete=models.PROTECT, related_name="activities")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="activities"
    )
    brand = models.ForeignKey(
        "brands.CharityBrand", verbose_name="公益品牌", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activities",
    )  # fmt: skip
    title = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("活动日期", db_index=True)
    # Where it happened (usually a village): the county sees it, and pairings there count it.
    region = models.ForeignKey("regions.Region", verbose_name="活动地区", on_delete=models.PROTECT, related_name="+")
    place = models.CharField("具体地点", max_length=200, blank=True)
    description = models.TextField("活动内容")
    # Money the organization spent directly; money paid from a special fund is a disbursement
    # to this activity and is counted there, not here.
    money = models.DecimalField("投入资金（元）", max_digits=14, decimal_places=2, default=0)
    in_kind = models.TextField("捐赠物资", blank=True)
    in_kind_value = models.DecimalField("物资折价（元）", max_digits=14, decimal_places=2, default=0)
    people_served = models.PositiveIntegerField("服务人次", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_region_field = "region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "专项行动活动"
        verbose_name_plural = "专项行动活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"]), models.Index(fields=["region", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(money__gte=0) & Q(in_kind_value__gte=0), name="activity_money_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.campaign.is_public


class ActivityBeneficiary(models.Model):
    """How many people of one beneficiary group an activity served; `Activity.people_served` is their sum."""

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="beneficiaries")
    group = models.ForeignKey(
        "core.BeneficiaryGroup", verbose_name="受益群体", on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField("人次")

    class Meta:
        verbose_name = "活动受益群体"
        verbose_name_plural = "活动受益群体"
        ordering = ["activity_id", "group__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "group"], name="activity_beneficiary_unique"),
            models.CheckConstraint(condition=Q(count__gt=0), name="activity_beneficiary_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.count}"


class Participation(models.Model):
    """A member of the organization taking part in an activity, with the volunteer hours given."""

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="参与人", on_delete=models.PROTECT, related_name="participations"
    )
    hours = models.DecimalField("志愿服务时长（小时）", max_digits=6, decimal_places=1)
    role = models.CharField("承担工作", max_length=100, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope_region_field = "activity__region__code"
    scope_organization_field = "activity__organization"

    class Meta:
        verbose_name = "活动参与"
        verbose_name_plural = "活动参与"
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="participation_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="participation_hours_in_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.hours} 小时"
