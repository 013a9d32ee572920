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


class Attachment(models.Model):
    """A photo or document attached to any record (a demand, an offer, an activity …).

    Who may download it follows from its owner: the owner's scope rule, or the owner being public.
    """

    owner_type = models.CharField("所属对象类型", max_length=60)
    owner_id = models.CharField("所属对象编号", max_length=64)
    file = models.FileField("文件", upload_to="attachments/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Counter(models.Model):
    """A named sequence for human-readable numbers (XQ-433124-2026-000123)."""

    key = models.CharField("名称", max_length=60, unique=True)
    value = models.PositiveBigIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
