"""The one filter definition for each campaign list: pages, the API and the Excel exports use it alike."""

from datetime import date

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.campaigns.models import Activity, Campaign, Enrollment
from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.regions import codes
from xiangzhen.regions.selectors import in_key_counties


class CampaignFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="编号或名称包含")
    kind: str = Field("", title="类型", description="pairing / relief / consumption / brand / facilities / other")
    status: str = Field("", title="状态", description="draft / published / closed")
    region: str = Field("", title="地区", description="区划代码：实施地区在其中，或是它的上级")
    key_counties: bool = Field(False, title="仅重点帮扶县", description="实施地区在国家或省级乡村振兴重点帮扶县内")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return one_of(value, list(Campaign.Kind.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Campaign.Status.values))

    def apply(self, queryset: "QuerySet[Campaign]") -> "QuerySet[Campaign]":
        if self.q:
            queryset = queryset.filter(Q(number__icontains=self.q) | Q(name__icontains=self.q))
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.region:
            inside = Q(region__code__range=codes.subtree_bounds(self.region))
            queryset = queryset.filter(inside | Q(region_id__in=codes.ancestor_codes(self.region)))
        if self.key_counties:
            queryset = in_key_counties(queryset, "region_id")
        return queryset


class ActivityFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="编号、活动名称、地点或社会组织名称包含")
    kind: str = Field("", title="专项行动类型")
    campaign: int | None = Field(None, title="专项行动", description="专项行动编号（id）")
    organization: int | None = Field(None, title="社会组织", description="社会组织编号（id）")
    brand: int | None = Field(None, title="公益品牌", description="公益品牌编号（id）")
    region: str = Field("", title="活动地区", description="区划代码：活动地区在其中")
    key_counties: bool = Field(False, title="仅重点帮扶县")
    date_from: date | None = Field(None, title="起始日期")
    date_to: date | None = Field(None, title="截止日期")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return one_of(value, list(Campaign.Kind.values))

    def apply(self, queryset: "QuerySet[Activity]") -> "QuerySet[Activity]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q)
                | Q(title__icontains=self.q)
                | Q(place__icontains=self.q)
                | Q(organization__name__icontains=self.q)
            )
        if self.kind:
            queryset = queryset.filter(campaign__kind=self.kind)
        if self.campaign is not None:
            queryset = queryset.filter(campaign_id=self.campaign)
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        if self.brand is not None:
            queryset = queryset.filter(brand_id=self.brand)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.key_counties:
            queryset = in_key_counties(queryset, "region_id")
        if self.date_from:
            queryset = queryset.filter(held_on__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(held_on__lte=self.date_to)
        return queryset


class EnrollmentFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="社会组织名称包含")
    status: str = Field("", title="状态", description="enrolled / withdrawn")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Enrollment.Status.values))

    def apply(self, queryset: "QuerySet[Enrollment]") -> "QuerySet[Enrollment]":
        if self.q:
            queryset = queryset.filter(organization__name__icontains=self.q)
        if self.status:
            queryset = queryset.filter(status=self.status)
        return queryset
