"""The one filter definition for each fund list: pages, the API and the Excel exports use it alike."""

from datetime import date

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.funds.models import Disbursement, Disclosure, Donation, Fund
from xiangzhen.regions import codes


class FundFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="基金编号或名称、社会组织名称包含")
    status: str = Field("", title="状态", description="draft / submitted / returned / active / closed")
    organization: int | None = Field(None, title="社会组织", description="社会组织编号")
    domain: str = Field("", max_length=40, title="资助领域", description="领域代码")
    region: str = Field("", title="资助地区", description="区划代码：资助地区在其中或覆盖该地")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Fund.Status.values))

    def apply(self, queryset: "QuerySet[Fund]") -> "QuerySet[Fund]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q) | Q(name__icontains=self.q) | Q(organization__name__icontains=self.q)
            )
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        if self.domain:
            queryset = queryset.filter(domains__code=self.domain)
        if self.region:
            wanted = [self.region, *codes.ancestor_codes(self.region)]
            inside = Q(target_regions__code__range=codes.subtree_bounds(self.region))
            queryset = queryset.filter(inside | Q(target_regions__code__in=wanted)).distinct()
        return queryset


class MoneyFilters(PageFilters):
    q: str = Field(
        "", max_length=100, title="关键词", description="编号、收据编号或交易流水号（拨付：收款方、用途）包含"
    )
    date_from: date | None = Field(None, title="起始日期")
    date_to: date | None = Field(None, title="截止日期")


class DonationFilters(MoneyFilters):
    channel: str = Field("", title="渠道", description="bank / platform / cash / other")

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        return one_of(value, list(Donation.Channel.values))

    def apply(self, queryset: "QuerySet[Donation]") -> "QuerySet[Donation]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q)
                | Q(receipt_number__icontains=self.q)
                | Q(transaction_number__icontains=self.q)
            )
        if self.channel:
            queryset = queryset.filter(channel=self.channel)
        if self.date_from:
            queryset = queryset.filter(donated_on__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(donated_on__lte=self.date_to)
        return queryset


class DisbursementFilters(MoneyFilters):
    def apply(self, queryset: "QuerySet[Disbursement]") -> "QuerySet[Disbursement]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q)
                | Q(payee__icontains=self.q)
                | Q(purpose__icontains=self.q)
                | Q(match__number__icontains=self.q)
                | Q(project__number__icontains=self.q)
                | Q(pairing__number__icontains=self.q)
                | Q(activity__number__icontains=self.q)
                | Q(facility__number__icontains=self.q)
            )
        if self.date_from:
            queryset = queryset.filter(paid_on__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(paid_on__lte=self.date_to)
        return queryset


class DisclosureFilters(MoneyFilters):
    project: str = Field("", max_length=40, title="基金项目", description="项目编号；fund 表示基金整体的公开")

    def apply(self, queryset: "QuerySet[Disclosure]") -> "QuerySet[Disclosure]":
        if self.q:
            queryset = queryset.filter(Q(number__icontains=self.q) | Q(text__icontains=self.q))
        if self.project == "fund":
            queryset = queryset.filter(project__isnull=True)
        elif self.project:
            queryset = queryset.filter(project__number=self.project)
        if self.date_from:
            queryset = queryset.filter(period_end__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(period_start__lte=self.date_to)
        return queryset
