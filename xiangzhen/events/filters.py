"""The one filter definition for event lists: pages, the API and the Excel exports use it alike."""

from datetime import date

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.events.models import Event
from xiangzhen.regions import codes


class EventFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="编号、名称、地点或主办单位包含")
    kind: str = Field(
        "", title="类型", description="matchmaking_fair / … / agricultural_expo / farmers_market / trade_fair"
    )
    fairs: bool = Field(False, title="只看农博会、农贸会、展销会")
    status: str = Field("", title="状态", description="draft / published / finished / cancelled")
    region: str = Field("", title="举办地区", description="区划代码：该地区及下级举办的活动")
    date_from: date | None = Field(None, title="起始日期", description="结束日期不早于")
    date_to: date | None = Field(None, title="截止日期", description="开始日期不晚于")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return one_of(value, list(Event.Kind.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Event.Status.values))

    def apply(self, queryset: "QuerySet[Event]") -> "QuerySet[Event]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q)
                | Q(name__icontains=self.q)
                | Q(venue__icontains=self.q)
                | Q(organizer__icontains=self.q)
            )
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.fairs:
            queryset = queryset.filter(kind__in=Event.AGRICULTURAL_FAIRS)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.date_from:
            queryset = queryset.filter(ends_on__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(starts_on__lte=self.date_to)
        return queryset
