"""The one filter definition for monitored households: pages, the API and the Excel export use it.

There is no search by name: names are encrypted, and a search box for them would invite typing
people's names into URLs and logs. Search is by household number only.
"""

from django.db.models import QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.monitoring.models import MonitoredHousehold
from xiangzhen.regions import codes


class HouseholdFilters(PageFilters):
    q: str = Field("", max_length=40, title="编号", description="监测对象编号（或其一部分）")
    region: str = Field("", title="所在区划", description="区划代码（村或其上级前缀），含下级")
    category: str = Field("", title="监测类型", description="unstable / marginal / sudden")
    status: str = Field("", title="状态", description="monitoring / risk_eliminated / moved_out")
    risk: str = Field("", title="风险类型", description="illness / education / disability / disaster …")

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return one_of(value, list(MonitoredHousehold.Category.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(MonitoredHousehold.Status.values))

    @field_validator("risk")
    @classmethod
    def _risk(cls, value: str) -> str:
        return one_of(value, list(MonitoredHousehold.Risk.values))

    def apply(self, queryset: "QuerySet[MonitoredHousehold]") -> "QuerySet[MonitoredHousehold]":
        if self.q:
            queryset = queryset.filter(number__icontains=self.q)
        if self.region:
            queryset = queryset.filter(village__code__range=codes.subtree_bounds(self.region))
        if self.category:
            queryset = queryset.filter(category=self.category)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.risk:
            # JSON containment is not on SQLite; the risk codes are distinct words, so a text match is exact.
            queryset = queryset.filter(risks__icontains=f'"{self.risk}"')
        return queryset
