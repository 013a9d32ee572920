"""The one filter definition for match lists: the page, the API and the Excel export use it alike."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.matching.models import Match
from xiangzhen.regions import codes


class MatchFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="对接编号、需求标题或社会组织名称包含")
    status: str = Field("", title="状态", description="proposed / accepted / confirmed / in_progress / …")
    origin: str = Field(
        "", title="对接方式", description="order（点单）/ take（接单）/ recommendation / event（活动对接）"
    )
    region: str = Field("", title="需求所在区划", description="区划代码（12 位或 2/4/6/9 位前缀），含下级")
    organization: int | None = Field(None, title="社会组织", description="社会组织编号")
    demand: int | None = Field(None, title="需求项目", description="需求项目编号（id）")
    offer: int | None = Field(None, title="供给项目", description="供给项目编号（id）")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Match.Status.values))

    @field_validator("origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        return one_of(value, list(Match.Origin.values))

    def apply(self, queryset: "QuerySet[Match]") -> "QuerySet[Match]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q)
                | Q(demand__title__icontains=self.q)
                | Q(organization__name__icontains=self.q)
            )
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.origin:
            queryset = queryset.filter(origin=self.origin)
        if self.region:
            queryset = queryset.filter(demand__region__code__range=codes.subtree_bounds(self.region))
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        if self.demand is not None:
            queryset = queryset.filter(demand_id=self.demand)
        if self.offer is not None:
            queryset = queryset.filter(offer_id=self.offer)
        return queryset
