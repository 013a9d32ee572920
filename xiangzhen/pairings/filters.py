"""The one filter definition of the pairing list: the page, the API and the Excel export use it alike."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.pairings.models import Pairing
from xiangzhen.regions import codes
from xiangzhen.regions.selectors import in_key_counties


class PairingFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="编号、社会组织名称或结对地区名称包含")
    status: str = Field("", title="状态", description="proposed / returned / active / under_review / ended / withdrawn")
    key_counties: bool = Field(False, title="仅重点帮扶县", description="只看省乡村振兴重点帮扶县内的结对")
    region: str = Field("", title="结对地区", description="区划代码：结对地区在其中")
    organization: int | None = Field(None, title="社会组织", description="社会组织编号")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Pairing.Status.values))

    def apply(self, queryset: "QuerySet[Pairing]") -> "QuerySet[Pairing]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q) | Q(organization__name__icontains=self.q) | Q(region__name__contains=self.q)
            )
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.key_counties:
            queryset = in_key_counties(queryset, "region_id")
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        return queryset
