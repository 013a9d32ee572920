"""Periodic reporting (定期报送): a province's schedule, its periods, one report per city per period and
the report's history of submissions and reviews."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ReportingSchedule(models.Model):
    """How a province wants reports: data, so a new province needs a row, not code.

    山西: quarterly, due the 20th of the quarter's 3rd month; 湖南: half-yearly, due the 10th
    ("early") of the half-year's 6th month. Both from cities, to both province departments.
    """

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", "每季度"
        HALF_YEARLY = "half_yearly", "每半年"
        YEARLY = "yearly", "每年"

    class Level(models.TextChoices):
        CITY = "city", "市（州）"
        COUNTY = "county", "县（区）"

    province = models.OneToOneField(
        "regions.Region", verbose_name="省份", on_delete=models.PROTECT, related_name="reporting_schedule"
    )
    frequency = models.CharField("报送频次", max_length=20, choices=Frequency.choices)
    due_month = models.PositiveSmallIntegerField(
        "截止月份（报告期第几个月）", help_text="从报告期第一个月起算：季度的最后一个月为 3，半年的最后一个月为 6"
    )
    due_day = models.PositiveSmallIntegerField("截止日", help_text="当月第几日（含当日）；超过当月天数时取月末")
    reporting_level = models.CharField("报送层级", max_length=10, choices=Level.choices, default=Level.CITY)
    to_civil_affairs = models.BooleanField("报送省民政厅", default=True)
    to_rural_revitalization = models.BooleanField("报送省乡村振兴局", default=True)
    remind_days = models.CharField("提前提醒天数", max_length=50, default="7,1", help_text="逗号分隔，如 7,1")
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    scope_region_field = "province__code"

    class Meta:
        verbose_name = "报送规则"
        verbose_name_plural = "报送规则"
        ordering = ["province_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["quarterly", "half_yearly", "yearly"]),
                name="reporting_schedule_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(due_month__gte=1) & Q(due_month__lte=24), name="reporting_schedule_due_month"
            ),
            models.CheckConstraint(condition=Q(due_day__gte=1) & Q(due_day__lte=31), name="reporting_schedule_due_day"),
            models.CheckConstraint(
                condition=Q(to_civil_affairs=True) | Q(to_rural_revitalization=True),
                name="reporting_schedule_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province.name}：{self.get_frequency_display()}"

    @property
    def recipient_kinds(self) -> list[str]:
        kinds = []
        if self.to_civil_affairs:
            kinds.append("civil_affairs")
        if self.to_rural_revitalization:
            kinds.append("rural_revitalization")
        return kinds

    @property
    def remind_day_list(self) -> list[int]:
        return sorted({int(x) for x in self.remind_days.split(",") if x.strip().isdigit()}, reverse=True)


class ReportPeriod(models.Model):
    """One period of a province's schedule with its dates as they were when it was opened."""

    province = models.ForeignKey("regions.Region", verbose_name="省份", on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField("报送频次", max_length=20, choices=ReportingSchedule.Frequency.choices)
    year = models.PositiveSmallIntegerField("年度")
    index = models.PositiveSmallIntegerField("期次")
    label = models.CharField("名称", max_length=40)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    due_date = models.DateField("截止日期", db_index=True)
    reporting_level = models.CharField("报送层级", max_length=10, choices=ReportingSchedule.Level.choices)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关闭人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField("开启时间", auto_now_add=True)

    scope_region_field = "province__code"

    class Meta:
        verbose_name = "报告期"
        verbose_name_plural = "报告期"
        ordering = ["-start", "province_id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "frequency", "year", "index"], name="report_period_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="report_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.province.name} {self.label}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Report(models.Model):
    """One city's report for one period: figures frozen at submission and three written parts."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已接收"

    number = models.CharField("编号", max_length=40, unique=True)
    period = models.ForeignKey(ReportPeriod, verbose_name="报告期", on_delete=models.PROTECT, related_name="reports")
    region = models.ForeignKey(
        "regions.Region", verbose_name="报送单位区划", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    progress = models.TextField("工作进展情况", blank=True)
    difficulties = models.TextField("困难问题", blank=True)
    practices = models.TextField("经验做法", blank=True)
    # Filled from stats.figures at each submission and never recomputed afterwards.
    figures = models.JSONField("统计数据", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("最近报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Days after the due date of the first submission (0 = on time); null until submitted.
    days_late = models.PositiveIntegerField("逾期天数", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_comment = models.CharField("审核意见", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_region_field = "region__code"

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    class Meta:
        verbose_name = "定期报告"
        verbose_name_plural = "定期报告"
        ordering = ["period_id", "region_id"]
        indexes = [models.Index(fields=["period", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["period", "region"], name="report_one_per_region_and_period"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "accepted"]), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(figures__isnull=False), name="report_submitted_has_figures"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""), name="report_returned_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.region.name} {self.period.label}"

    @property
    def is_on_time(self) -> bool | None:
        return None if self.days_late is None else self.days_late == 0


class ReportVersion(models.Model):
    """One step of a report's history: each submission keeps the texts and figures as sent, each
    review who decided, when and why. Rows are only ever added."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "报送"
        RESUBMIT = "resubmit", "重新报送"
        ACCEPT = "accept", "接收"
        RETURN = "return", "退回"

    report = models.ForeignKey(Report, verbose_name="定期报告", on_delete=models.PROTECT, related_name="versions")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    # The name as it was, so the record reads the same after a rename or a change of post.
    actor_name = models.CharField("操作人姓名", max_length=100)
    department_name = models.CharField("所在部门", max_length=100, blank=True)
    at = models.DateTimeField("时间")
    comment = models.CharField("意见", max_length=500, blank=True)
    progress = models.TextField("工作进展情况", blank=True)
    difficulties = models.TextField("困难问题", blank=True)
    practices = models.TextField("经验做法", blank=True)
    figures = models.JSONField("统计数据", null=True, blank=True)

    scope_region_field = "report__region__code"

    class Meta:
        verbose_name = "报告记录"
        verbose_name_plural = "报告记录"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["submit", "resubmit", "accept", "return"]), name="report_version_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_name}"
