"""The one filter definition for article lists (staff page, public page, exports)."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.portal.models import Article
from xiangzhen.regions import codes


class ArticleFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="标题、编号、摘要或正文包含")
    kind: str = Field("", title="类别", description="policy / plan / notice / news / case / commendation")
    status: str = Field("", title="状态", description="draft / submitted / returned / published / withdrawn")
    region: str = Field("", title="地区", description="文章所属地区在其中")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return one_of(value, list(Article.Kind.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Article.Status.values))

    def apply(self, queryset: "QuerySet[Article]") -> "QuerySet[Article]":
        if self.q:
            queryset = queryset.filter(
                Q(title__icontains=self.q) | Q(number__icontains=self.q) | Q(summary__icontains=self.q)
                | Q(body__icontains=self.q)
            )  # fmt: skip
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        return queryset
