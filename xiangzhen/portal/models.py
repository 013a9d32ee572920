"""Articles (文章) published on the public portal: policy, plan, notice, news, case, commendation."""

from django.conf import settings
from django.db import models


class Article(models.Model):
    """A text written by civil affairs or rural revitalization staff, reviewed, then public."""

    class Kind(models.TextChoices):
        POLICY = "policy", "政策"
        PLAN = "plan", "规划"
        NOTICE = "notice", "通知公告"
        NEWS = "news", "新闻动态"
        CASE = "case", "典型案例"
        COMMENDATION = "commendation", "表彰"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤下"

    number = models.CharField("编号", max_length=40, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    # Markdown-like plain text; rendered by `portal.rendering` to escaped paragraphs.
    body = models.TextField("正文")
    region = models.ForeignKey("regions.Region", verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", verbose_name="发布部门", on_delete=models.PROTECT, related_name="+"
    )
    exemplary_case = models.ForeignKey(
        "brands.ExemplaryCase", verbose_name="关联典型案例", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    commendation = models.ForeignKey(
        "brands.Commendation", verbose_name="关联表彰", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    withdraw_reason = models.CharField("撤下原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["-published_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        """Published articles are public, and so are their attachments (`core.attachments`)."""
        return self.status == self.Status.PUBLISHED
