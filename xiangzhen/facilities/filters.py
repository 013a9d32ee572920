"""The one filter definition of the room lists: the pages, the API and the Excel exports use it alike."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.facilities.models import Facility
from xiangzhen.regions import codes
from xiangzhen.regions.selectors import in_key_counties


class FacilityFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="编号、名称或建设组织名称包含")
    kind: str = Field("", title="类型", description="children_room / reading_room / livestream_room / clinic_room")
    status: str = Field("", title="状态", description="planned / building / in_use / closed")
    region: str = Field("", title="地区", description="区划代码（县、乡镇或村）：小屋在其中")
    key_counties: bool = Field(False, title="仅重点帮扶县", description="只列国家或省级乡村振兴重点帮扶县的小屋")
    builder: int | None = Field(None, title="建设组织", description="社会组织编号")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return one_of(value, list(Facility.Kind.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Facility.Status.values))

    def apply(self, queryset: "QuerySet[Facility]") -> "QuerySet[Facility]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q) | Q(name__icontains=self.q) | Q(builder__name__icontains=self.q)
            )
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.region:
            queryset = queryset.filter(village__code__range=codes.subtree_bounds(self.region))
        if self.key_counties:
            queryset = in_key_counties(queryset, "village_id")
        if self.builder is not None:
            queryset = queryset.filter(builder_id=self.builder)
        return queryset
