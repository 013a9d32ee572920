"""The one filter definition for demand lists: the pages, the API and the Excel exports use it alike."""

from decimal import Decimal

from django.db.models import QuerySet
from ninja import Field
from pydantic import field_validator, model_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.core.textsearch import search
from xiangzhen.demands.models import Demand
from xiangzhen.demands.priority import annotate_priority
from xiangzhen.regions import codes

SORTS = {
    "newest": ("-created_at", "-id"),
    "deadline": ("deadline", "-id"),
    "priority": ("-priority", "deadline", "-id"),
}
SORT_LABELS = {"newest": "最新", "deadline": "截止日期临近", "priority": "优先帮扶"}


class DemandFilters(PageFilters):
    range_field = "budget_max"  # the budget range check drops its upper end

    q: str = Field("", max_length=100, title="关键词", description="中文全文检索，标题命中排在前面")
    region: str = Field("", title="所在区划", description="区划代码（12 位或 2/4/6/9 位前缀），含下级")
    domain: str = Field("", max_length=40, title="领域", description="领域代码，如 education")
    beneficiary: str = Field("", max_length=40, title="受益群体", description="受益群体代码，如 left_behind_children")
    aid_mode: str = Field("", title="帮扶方式", description="relief / self_development")
    status: str = Field("", title="状态", description="draft / submitted / returned / published …")
    budget_min: Decimal | None = Field(None, ge=0, title="最低资金（元）")
    budget_max: Decimal | None = Field(None, ge=0, title="最高资金（元）")
    key_county_only: bool = Field(False, title="只看重点帮扶县", description="所在县为国家或省级乡村振兴重点帮扶县")
    sort: str = Field("newest", title="排序", description="newest / deadline / priority")

    @field_validator("aid_mode")
    @classmethod
    def _aid_mode(cls, value: str) -> str:
        return one_of(value, list(Demand.AidMode.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Demand.Status.values))

    @field_validator("sort")
    @classmethod
    def _sort(cls, value: str) -> str:
        return one_of(value or "newest", list(SORTS)) or "newest"

    @model_validator(mode="after")
    def _budget_range(self) -> "DemandFilters":
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise ValueError("最低资金不能高于最高资金")
        return self

    def apply(self, queryset: "QuerySet[Demand]") -> "QuerySet[Demand]":
        queryset = annotate_priority(queryset)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.domain:
            queryset = queryset.filter(domains__code=self.domain)
        if self.beneficiary:
            queryset = queryset.filter(beneficiaries__group__code=self.beneficiary)
        if self.aid_mode:
            queryset = queryset.filter(aid_mode=self.aid_mode)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.budget_min is not None:
            queryset = queryset.filter(budget__gte=self.budget_min)
        if self.budget_max is not None:
            queryset = queryset.filter(budget__lte=self.budget_max)
        if self.key_county_only:
            queryset = queryset.filter(**{"in_key_county": True})
        queryset = queryset.order_by(*SORTS[self.sort])
        return search(queryset, self.q)
