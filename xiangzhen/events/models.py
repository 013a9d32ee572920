"""Events: matchmaking fairs, expos, field visits, contests and agricultural fairs.

Agricultural fairs (农博会, 农贸会, 展销会) list the villages that take part; sales made there are
purchases whose `event` is the fair (consumption app).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Event(models.Model):
    class Kind(models.TextChoices):
        MATCHMAKING_FAIR = "matchmaking_fair", "项目对接会"
        CHARITY_EXPO = "charity_expo", "公益博览会"
        FIELD_VISIT = "field_visit", "现场考察调研"
        CHARITY_EXHIBITION = "charity_exhibition", "慈善展览会"
        VENTURE_CONTEST = "venture_contest", "公益创投大赛"
        AGRICULTURAL_EXPO = "agricultural_expo", "农博会"
        FARMERS_MARKET = "farmers_market", "农贸会"
        TRADE_FAIR = "trade_fair", "展销会"

    AGRICULTURAL_FAIRS = (Kind.AGRICULTURAL_EXPO, Kind.FARMERS_MARKET, Kind.TRADE_FAIR)

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        FINISHED = "finished", "已结束"
        CANCELLED = "cancelled", "已取消"

    number = models.CharField("编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField("名称", max_length=200)
    # The organizing level and place: staff of this region and above manage it.
    region = models.ForeignKey("regions.Region", verbose_name="举办地区", on_delete=models.PROTECT, related_name="+")
    venue = models.CharField("地点", max_length=200)
    organizer = models.CharField("主办单位", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    description = models.TextField("简介", blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="所属专项行动", null=True, blank=True, on_delete=models.PROTECT,
        related_name="events",
    )  # fmt: skip
    villages = models.ManyToManyField(
        "regions.Region", verbose_name="参展村", blank=True, related_name="+", through="EventVillage"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=500, blank=True)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "活动与会展"
        verbose_name_plural = "活动与会展"
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="event_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_agricultural_fair(self) -> bool:
        return self.kind in self.AGRICULTURAL_FAIRS

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.FINISHED)


class EventVillage(models.Model):
    """A village taking part in an agricultural fair (its booth, its products)."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.PROTECT, related_name="participations")
    village = models.ForeignKey("regions.Region", verbose_name="参展村", on_delete=models.PROTECT, related_name="+")
    booth = models.CharField("展位", max_length=50, blank=True)
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "参展村"
        verbose_name_plural = "参展村"
        ordering = ["event_id", "village_id"]
        constraints = [models.UniqueConstraint(fields=["event", "village"], name="event_village_unique")]

    def __str__(self) -> str:
        return f"{self.event} · {self.village}"
