"""The one filter definition for training lists: pages, the API and the Excel exports use it alike."""

from datetime import date

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.regions import codes
from xiangzhen.training.models import Talent, Training


class TrainingFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="编号、课程名称或授课人包含")
    status: str = Field("", title="状态", description="draft / open / finished / cancelled")
    mode: str = Field("", title="方式", description="in_person / online")
    region: str = Field("", title="所属区划", description="区划代码：该地区及下级的培训")
    date_from: date | None = Field(None, title="起始日期", description="结束日期不早于")
    date_to: date | None = Field(None, title="截止日期", description="开始日期不晚于")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Training.Status.values))

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str) -> str:
        return one_of(value, list(Training.Mode.values))

    def apply(self, queryset: "QuerySet[Training]") -> "QuerySet[Training]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q) | Q(title__icontains=self.q) | Q(trainer__icontains=self.q)
            )
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.mode:
            queryset = queryset.filter(mode=self.mode)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.date_from:
            queryset = queryset.filter(ends_on__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(starts_on__lte=self.date_to)
        return queryset


class TalentFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="姓名或组织名称包含")
    level: str = Field("", title="社会工作者职业资格", description="assistant / social_worker / senior")
    domain: str = Field("", title="领域代码")
    region: str = Field("", title="组织登记地", description="区划代码：该地区及下级登记的组织")

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        return one_of(value, [v for v in Talent.Qualification.values if v])

    def apply(self, queryset: "QuerySet[Talent]") -> "QuerySet[Talent]":
        if self.q:
            queryset = queryset.filter(Q(person__full_name__icontains=self.q) | Q(organization__name__icontains=self.q))
        if self.level:
            queryset = queryset.filter(social_work_level=self.level)
        if self.domain:
            queryset = queryset.filter(domains__code=self.domain)
        if self.region:
            queryset = queryset.filter(organization__region__code__range=codes.subtree_bounds(self.region))
        return queryset
