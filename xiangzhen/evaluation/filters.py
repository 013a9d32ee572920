"""The one filter definition of the score list: the page, the API and the Excel exports use it alike."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.evaluation.models import Score
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes

LEVELS = [codes.Level.PROVINCE, codes.Level.CITY, codes.Level.COUNTY]


class ScoreFilters(PageFilters):
    year: int | None = Field(None, ge=2020, le=2100, title="年度", description="不填为最近计算的年度")
    kind: str = Field("", title="组织类型", description="social_group / foundation / social_service_agency")
    level: str = Field("", title="登记层级", description="province / city / county")
    region: str = Field("", title="登记地", description="区划代码：登记地在其中")
    q: str = Field("", max_length=100, title="关键词", description="社会组织名称或统一社会信用代码包含")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return one_of(value, list(Organization.Kind.values))

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        return one_of(value, [str(level) for level in LEVELS])

    def year_or_latest(self, queryset: "QuerySet[Score]") -> int:
        """The year asked for, or the latest year with scores (this year when there are none)."""
        if self.year is not None:
            return self.year
        latest = queryset.order_by("-year").values_list("year", flat=True).first()
        return latest or timezone.localdate().year

    def apply(self, queryset: "QuerySet[Score]") -> "QuerySet[Score]":
        queryset = queryset.filter(year=self.year_or_latest(queryset))
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.level:
            queryset = queryset.filter(level=self.level)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.q:
            queryset = queryset.filter(
                Q(organization__name__icontains=self.q) | Q(organization__credit_code__icontains=self.q.upper())
            )
        return queryset
