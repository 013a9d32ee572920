"""Portal API schemas: articles as the public sees them, and as staff work on them."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from xiangzhen.portal.models import Article
from xiangzhen.portal.rendering import render_body


class ArticleIn(Schema):
    kind: str = Field(..., title="类别", description="policy 政策 / plan 规划 / notice 通知公告 / news 新闻动态 / "
                      "case 典型案例 / commendation 表彰")  # fmt: skip
    title: str = Field(..., title="标题", max_length=200)
    body: str = Field(
        ..., title="正文", max_length=50000,
        description="纯文本：空行分段，以 # / ## / ### 开头的一行为小标题；不支持 HTML（原样显示为文字）",
    )  # fmt: skip
    summary: str = Field("", title="摘要", max_length=300)
    exemplary_case_id: int | None = Field(None, title="关联典型案例", description="仅“典型案例”类，须已发布")
    commendation_id: int | None = Field(None, title="关联表彰", description="仅“表彰”类")


class ArticlePatch(Schema):
    version: int | None = Field(None, title="版本", description="读取时的版本号；他人已修改时返回 409")
    kind: str | None = None
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=50000)
    summary: str | None = Field(None, max_length=300)
    exemplary_case_id: int | None = None
    commendation_id: int | None = None


class ArticleAttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    is_image: bool
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("core:attachment", args=[obj.pk])


class PublicArticleOut(Schema):
    """A published article in a list: no workflow fields, no people."""

    id: int
    number: str
    kind: str
    kind_label: str
    title: str
    summary: str
    region_code: str
    region_name: str
    department: str
    exemplary_case_id: int | None
    commendation_id: int | None
    published_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: Article) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj: Article) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Article) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_department(obj: Article) -> str:
        return obj.department.name


class PublicArticleDetailOut(PublicArticleOut):
    body: str
    body_html: str = Field(
        ..., description="正文（Markdown）渲染并按白名单清洗后的 HTML：段落、标题、列表、强调、表格和链接"
    )
    attachments: list[ArticleAttachmentOut]

    @staticmethod
    def resolve_body_html(obj: Article) -> str:
        return str(render_body(obj.body))

    @staticmethod
    def resolve_attachments(obj: Article) -> list[Any]:
        from xiangzhen.portal.selectors import attachments

        return list(attachments(obj))


class ArticleOut(PublicArticleOut):
    """An article as staff work on it."""

    status: str
    status_label: str
    return_reason: str
    withdraw_reason: str
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None

    @staticmethod
    def resolve_status_label(obj: Article) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_created_by(obj: Article) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_reviewed_by(obj: Article) -> str | None:
        return str(obj.reviewed_by) if obj.reviewed_by_id else None


class ArticleDetailOut(ArticleOut):
    body: str
    body_html: str
    attachments: list[ArticleAttachmentOut]
    actions: list[str] = Field(
        ..., description="调用者现在可以执行的流程操作（submit / resubmit / publish / return / withdraw）"
    )
    editable: bool = Field(..., description="调用者现在能否修改（草稿或已退回，且为撰写部门）")

    @staticmethod
    def resolve_body_html(obj: Article) -> str:
        return str(render_body(obj.body))

    @staticmethod
    def resolve_attachments(obj: Article) -> list[Any]:
        from xiangzhen.portal.selectors import attachments

        return list(attachments(obj))

    @staticmethod
    def resolve_actions(obj: Article, context: Any) -> list[str]:
        from xiangzhen.portal.rules import allowed_actions

        return allowed_actions(context["request"].user, obj)

    @staticmethod
    def resolve_editable(obj: Article, context: Any) -> bool:
        from xiangzhen.portal.rules import can_edit

        return can_edit(context["request"].user, obj)
