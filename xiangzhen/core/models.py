from django.conf import settings
from django.db import models


class Domain(models.Model):
    """A field of work (产业振兴, 教育 …): shared by organizations, demands and offers."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领域"
        verbose_name_plural = "领域"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class BeneficiaryGroup(models.Model):
    """A group of people in difficulty (低保对象, 留守儿童 …) that aid is aimed at."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    # The policies ask to tilt toward the most vulnerable; matching reads this flag.
    most_vulnerable = models.BooleanField("最困难群体", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "受益群体"
        verbose_name_plural = "受益群体"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who changed what and when, written by the services themselves.

    Services write it inside their own transaction, so bulk imports and background tasks are
    recorded exactly like clicks, and a rolled-back change leaves no entry behind.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    # The region the object belongs to, so province staff read only their own province's trail.
    region_code = models.CharField("所属区划", max_length=12, blank=True, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
