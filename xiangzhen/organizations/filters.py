"""The one filter definition for organization lists: the page, the API and the Excel export use it alike."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes


class OrganizationFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="名称或统一社会信用代码包含")
    kind: str = Field("", title="类型", description="social_group / foundation / social_service_agency")
    status: str = Field("", title="状态", description="submitted / returned / approved / suspended")
    rating: str = Field("", title="等级评估", description="1A…5A")
    is_hub: bool | None = Field(None, title="枢纽型社会组织")
    region: str = Field("", title="登记地", description="区划代码（12 位或 2/4/6/9 位前缀），含下级")
    domain: str = Field("", max_length=40, title="服务领域", description="领域代码，如 education")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return one_of(value, list(Organization.Kind.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Organization.Status.values))

    @field_validator("rating")
    @classmethod
    def _rating(cls, value: str) -> str:
        return one_of(value.upper(), list(Organization.Rating.values))

    def apply(self, queryset: "QuerySet[Organization]") -> "QuerySet[Organization]":
        if self.q:
            queryset = queryset.filter(Q(name__icontains=self.q) | Q(credit_code__icontains=self.q.upper()))
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.rating:
            queryset = queryset.filter(rating=self.rating)
        if self.is_hub is not None:
            queryset = queryset.filter(is_hub=self.is_hub)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.domain:
            queryset = queryset.filter(domains__code=self.domain)
        return queryset
