"""The one filter definition for each list of brands, cases and commendations (pages, API, exports)."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.brands.models import CharityBrand, Commendation, ExemplaryCase
from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.regions import codes
from xiangzhen.regions.selectors import in_key_counties


class BrandFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="品牌名称、编号或社会组织名称包含")
    status: str = Field("", title="状态", description="active / retired")
    organization: int | None = Field(None, title="社会组织")
    domain: str = Field("", max_length=40, title="领域", description="领域代码")
    region: str = Field("", title="地区", description="社会组织登记地在其中")
    key_counties: bool = Field(False, title="仅重点帮扶县")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(CharityBrand.Status.values))

    def apply(self, queryset: "QuerySet[CharityBrand]") -> "QuerySet[CharityBrand]":
        if self.q:
            queryset = queryset.filter(
                Q(name__icontains=self.q) | Q(number__icontains=self.q) | Q(organization__name__icontains=self.q)
            )
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        if self.domain:
            queryset = queryset.filter(domains__code=self.domain).distinct()
        if self.region:
            queryset = queryset.filter(organization__region__code__range=codes.subtree_bounds(self.region))
        if self.key_counties:
            queryset = in_key_counties(queryset, "organization__region_id")
        return queryset


class CaseFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="标题、编号、摘要或社会组织名称包含")
    status: str = Field("", title="状态", description="draft / submitted / returned / published / withdrawn")
    organization: int | None = Field(None, title="社会组织")
    brand: int | None = Field(None, title="公益品牌")
    campaign: int | None = Field(None, title="专项行动")
    region: str = Field("", title="地区", description="案例所属地区在其中")
    key_counties: bool = Field(False, title="仅重点帮扶县")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(ExemplaryCase.Status.values))

    def apply(self, queryset: "QuerySet[ExemplaryCase]") -> "QuerySet[ExemplaryCase]":
        if self.q:
            queryset = queryset.filter(
                Q(title__icontains=self.q)
                | Q(number__icontains=self.q)
                | Q(summary__icontains=self.q)
                | Q(organization__name__icontains=self.q)
            )
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        if self.brand is not None:
            queryset = queryset.filter(brand_id=self.brand)
        if self.campaign is not None:
            queryset = queryset.filter(campaign_id=self.campaign)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.key_counties:
            queryset = in_key_counties(queryset, "organization__region_id")
        return queryset


class CommendationFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="表彰名称、表彰单位、文号或社会组织名称包含")
    year: int | None = Field(None, ge=2000, le=2100, title="年度")
    organization: int | None = Field(None, title="社会组织")
    region: str = Field("", title="地区", description="社会组织登记地在其中")

    def apply(self, queryset: "QuerySet[Commendation]") -> "QuerySet[Commendation]":
        if self.q:
            queryset = queryset.filter(
                Q(title__icontains=self.q)
                | Q(issuing_department__icontains=self.q)
                | Q(document_number__icontains=self.q)
                | Q(organization__name__icontains=self.q)
            )
        if self.year is not None:
            queryset = queryset.filter(year=self.year)
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        if self.region:
            queryset = queryset.filter(organization__region__code__range=codes.subtree_bounds(self.region))
        return queryset
