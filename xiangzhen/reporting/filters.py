"""The one filter definition for report lists: the page, the API and the Excel export use it alike."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.regions import codes
from xiangzhen.reporting.models import Report


class ReportFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="报告编号或报送单位名称包含")
    status: str = Field("", title="状态", description="draft / submitted / returned / accepted")
    region: str = Field("", title="报送单位区划", description="区划代码（12 位或 2/4/6/9 位前缀），含下级")
    period: int | None = Field(None, title="报告期", description="报告期编号（id）")
    year: int | None = Field(None, ge=2000, le=2100, title="年度")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Report.Status.values))

    def apply(self, queryset: "QuerySet[Report]") -> "QuerySet[Report]":
        if self.q:
            queryset = queryset.filter(Q(number__icontains=self.q) | Q(region__name__icontains=self.q))
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.period is not None:
            queryset = queryset.filter(period_id=self.period)
        if self.year is not None:
            queryset = queryset.filter(period__year=self.year)
        return queryset
