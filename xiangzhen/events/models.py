"""Events: matchmaking fairs, expos, field visits, contests and agricultural fairs.

Agricultural fairs (农博会, 农贸会, 展销会) list the villages that take part; sales made there are
purchases whose `event` is the fair (consumption app).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangzhen.core.constraints import exactly_one_of
from xiangzhen.core.crypto import EncryptedTextField, mask_phone


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
    capacity = models.PositiveIntegerField("名额", null=True, blank=True, help_text="留空表示不限")
    agenda = models.TextField("议程", blank=True)
    # A venture contest's results, once published: frozen with the number of winners.
    results_published_at = models.DateTimeField("结果发布时间", null=True, blank=True)
    winner_count = models.PositiveIntegerField("获奖数", null=True, blank=True)

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

    @property
    def is_contest(self) -> bool:
        return self.kind == self.Kind.VENTURE_CONTEST


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


class EventRegistration(models.Model):
    """An organization or a village registered to attend an event; staff check attendees in."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", "社会组织"
        VILLAGE = "village", "村（社区）"

    class Status(models.TextChoices):
        REGISTERED = "registered", "已报名"
        CHECKED_IN = "checked_in", "已签到"
        CANCELLED = "cancelled", "已取消"

    LIVE_STATUSES = (Status.REGISTERED, Status.CHECKED_IN)

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField("报名方", max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", null=True, blank=True, on_delete=models.PROTECT,
        related_name="event_registrations",
    )  # fmt: skip
    village = models.ForeignKey(
        "regions.Region", verbose_name="村（社区）", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = EncryptedTextField("联系电话", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.REGISTERED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报名人", on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField("报名时间", auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签到登记人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        ordering = ["event_id", "registered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="organization", organization__isnull=False, village__isnull=True)
                    | Q(kind="village", organization__isnull=True, village__isnull=False)
                ),
                name="event_registration_one_party",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["registered", "checked_in", "cancelled"]), name="event_registration_status"
            ),
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(status__in=["registered", "checked_in"]),
                name="event_registration_one_live_per_organization",
            ),
            models.UniqueConstraint(
                fields=["event", "village"],
                condition=Q(status__in=["registered", "checked_in"]),
                name="event_registration_one_live_per_village",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.party_name}"

    @property
    def party_name(self) -> str:
        if self.organization_id:
            return self.organization.name if self.organization else ""
        return (self.village.full_name or self.village.name) if self.village else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone) if self.contact_phone else ""


class EventFeature(models.Model):
    """A published demand or offer featured at an event (exactly one of the two)."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.PROTECT, related_name="features")
    demand = models.ForeignKey(
        "demands.Demand", verbose_name="需求项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offer = models.ForeignKey(
        "offers.Offer", verbose_name="供给项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="添加人", on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动推介项目"
        verbose_name_plural = "活动推介项目"
        ordering = ["event_id", "id"]
        constraints = [
            exactly_one_of("offer", "demand", name="event_feature_demand_or_offer"),
            models.UniqueConstraint(fields=["event", "demand"], name="event_feature_demand_once"),
            models.UniqueConstraint(fields=["event", "offer"], name="event_feature_offer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.demand or self.offer}"


# ---------------------------------------------------------------- the venture philanthropy contest


class ContestCriterion(models.Model):
    """One scoring criterion of a venture contest; the weights of a contest sum to 100."""

    event = models.ForeignKey(Event, verbose_name="大赛", on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField("评分项", max_length=100)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["event_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="contest_criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="contest_criterion_weight"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="contest_criterion_max_score"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（权重 {self.weight}）"


class ContestJudge(models.Model):
    """A user the organizers assigned to judge a contest."""

    event = models.ForeignKey(Event, verbose_name="大赛", on_delete=models.PROTECT, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评委", on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指定人", on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("指定时间", auto_now_add=True)

    class Meta:
        verbose_name = "评委"
        verbose_name_plural = "评委"
        ordering = ["event_id", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="contest_judge_once")]

    def __str__(self) -> str:
        return str(self.user)


class ContestEntry(models.Model):
    """A project plan an organization entered in a venture contest; a winner's plan becomes a draft offer."""

    event = models.ForeignKey(Event, verbose_name="大赛", on_delete=models.PROTECT, related_name="entries")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="社会组织", on_delete=models.PROTECT, related_name="contest_entries"
    )
    title = models.CharField("项目名称", max_length=200)
    plan = models.TextField("项目计划书")
    budget = models.DecimalField("预算（元）", max_digits=12, decimal_places=2)
    domains = models.ManyToManyField("core.Domain", verbose_name="服务领域", related_name="+")
    target_region = models.ForeignKey(
        "regions.Region", verbose_name="服务地区", on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    # Frozen when the results are published.
    total = models.DecimalField("加权总分", max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    is_winner = models.BooleanField("获奖", default=False)
    offer = models.ForeignKey(
        "offers.Offer", verbose_name="转入供给项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # For attachments (core.attachments.downloadable): the entrant and the staff over the contest's region.
    scope_region_field = "event__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "参赛项目"
        verbose_name_plural = "参赛项目"
        ordering = ["event_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organization", "title"], name="contest_entry_unique_title"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="contest_entry_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class JudgeScore(models.Model):
    """One judge's score of one entry on one criterion (0 … the criterion's maximum)."""

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评委", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(ContestEntry, verbose_name="参赛项目", on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(
        ContestCriterion, verbose_name="评分项", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    scored_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        verbose_name = "评委评分"
        verbose_name_plural = "评委评分"
        ordering = ["entry_id", "judge_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry", "criterion"], name="judge_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="judge_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.criterion.name}: {self.score}"
