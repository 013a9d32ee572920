"""The one filter definition for each consumption list: pages, the API and the Excel exports use it alike."""

from datetime import date

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.consumption.models import Product, Purchase
from xiangzhen.core import textsearch
from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.regions import codes
from xiangzhen.regions.selectors import in_key_counties


class ProductFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="产品名称、生产主体、认证、介绍（分词检索）或编号")
    category: str = Field(
        "", title="品类", description="grain_oil / fruit_vegetable / meat_egg / … / handicraft / other"
    )
    producer_kind: str = Field(
        "", title="主体类型", description="cooperative / household_enterprise / enterprise / household"
    )
    region: str = Field("", title="产地", description="区划代码：该地区及下级的产品")
    key_counties: bool = Field(False, title="只看重点帮扶县")
    paired: bool = Field(False, title="只看结对帮扶地区", description="有结对中的社会组织帮扶的村（或其所在乡镇、县）")
    status: str = Field("", title="状态", description="listed / delisted（公开目录只有在售）")

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return one_of(value, list(Product.Category.values))

    @field_validator("producer_kind")
    @classmethod
    def _producer_kind(cls, value: str) -> str:
        return one_of(value, list(Product.ProducerKind.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Product.Status.values))

    def apply(self, queryset: "QuerySet[Product]") -> "QuerySet[Product]":
        from xiangzhen.consumption.selectors import paired_condition

        if self.category:
            queryset = queryset.filter(category=self.category)
        if self.producer_kind:
            queryset = queryset.filter(producer_kind=self.producer_kind)
        if self.region:
            queryset = queryset.filter(origin__code__range=codes.subtree_bounds(self.region))
        if self.key_counties:
            queryset = in_key_counties(queryset, "origin_id")
        if self.paired:
            queryset = queryset.filter(paired_condition())
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.q:
            by_number = queryset.filter(number__iexact=self.q)
            queryset = by_number if by_number.exists() else textsearch.search(queryset, self.q, title_field="name")
        return queryset


class PurchaseFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="编号、批次、发票号码、产品名称或采购组织名称包含")
    channel: str = Field("", title="渠道", description="direct / ecommerce / fair")
    organization: int | None = Field(None, title="采购组织", description="社会组织编号")
    region: str = Field("", title="产地", description="区划代码：产自该地区及下级的产品")
    event: int | None = Field(None, title="展销会", description="活动编号（id）")
    campaign: int | None = Field(None, title="专项行动", description="专项行动编号（id）")
    by_member: str = Field("", title="采购方式", description="member 成员个人采购 / organization 组织采购")
    date_from: date | None = Field(None, title="起始日期")
    date_to: date | None = Field(None, title="截止日期")

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        return one_of(value, list(Purchase.Channel.values))

    @field_validator("by_member")
    @classmethod
    def _by_member(cls, value: str) -> str:
        return one_of(value, ["member", "organization"])

    def apply(self, queryset: "QuerySet[Purchase]") -> "QuerySet[Purchase]":
        if self.q:
            queryset = queryset.filter(
                Q(number__icontains=self.q)
                | Q(batch__number__icontains=self.q)
                | Q(invoice_number__icontains=self.q)
                | Q(product__name__icontains=self.q)
                | Q(buyer__name__icontains=self.q)
            )
        if self.channel:
            queryset = queryset.filter(channel=self.channel)
        if self.organization is not None:
            queryset = queryset.filter(buyer_id=self.organization)
        if self.region:
            queryset = queryset.filter(product__origin__code__range=codes.subtree_bounds(self.region))
        if self.event is not None:
            queryset = queryset.filter(event_id=self.event)
        if self.campaign is not None:
            queryset = queryset.filter(campaign_id=self.campaign)
        if self.by_member == "member":
            queryset = queryset.filter(member__isnull=False)
        elif self.by_member == "organization":
            queryset = queryset.filter(member__isnull=True)
        if self.date_from:
            queryset = queryset.filter(purchased_on__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(purchased_on__lte=self.date_to)
        return queryset
