"""The one filter definition for offer lists: the pages, the API and the Excel exports use it alike."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from ninja import Field
from pydantic import field_validator, model_validator

from xiangzhen.core.filters import PageFilters, one_of, region_prefix
from xiangzhen.core.textsearch import search
from xiangzhen.offers.models import AidMode, Offer
from xiangzhen.regions import codes

SORTS = {
    "newest": ("-created_at", "-id"),
    "window_end": ("window_end", "-id"),
    "published": ("-published_at", "-id"),
}


def covering_condition(region_code: str) -> Q:
    """Offers whose service area covers `region_code`: nationwide, or a service region that is
    the region itself or one of its ancestors — one indexed IN on the link table, no join fan-out."""
    wanted = [region_code, *codes.ancestor_codes(region_code)]
    through = Offer.service_regions.through
    linked = through.objects.filter(offer_id=OuterRef("pk"), region_id__in=wanted)
    return Q(nationwide=True) | Q(Exists(linked))


class OfferFilters(PageFilters):
    range_field = "amount_min"  # the amount range check drops its lower end

    q: str = Field("", max_length=100, title="关键词", description="中文全文检索，项目名称命中的排在前面")
    organization: int | None = Field(None, title="社会组织", description="社会组织编号")
    domain: str = Field("", max_length=40, title="服务领域", description="领域代码，如 education")
    beneficiary_group: str = Field("", max_length=40, title="受益群体", description="受益群体代码")
    aid_mode: str = Field("", title="帮扶方式", description="relief（输血）/ self_development（造血）")
    status: str = Field("", title="状态", description="draft / submitted / returned / published / closed")
    covers: str = Field("", title="服务区域覆盖", description="区划代码：服务区域覆盖该地的供给项目")
    amount_min: Decimal | None = Field(None, ge=0, title="最低可投入资金", description="元")
    amount_max: Decimal | None = Field(None, ge=0, title="最高可投入资金", description="元")
    sort: str = Field("newest", title="排序", description="newest（最新）/ window_end（截止日期）/ published")

    @field_validator("aid_mode")
    @classmethod
    def _aid_mode(cls, value: str) -> str:
        return one_of(value, list(AidMode.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(Offer.Status.values))

    @field_validator("sort")
    @classmethod
    def _sort(cls, value: str) -> str:
        return one_of(value or "newest", list(SORTS)) or "newest"

    @field_validator("covers")
    @classmethod
    def _covers(cls, value: str) -> str:
        return region_prefix(value)

    @field_validator("q", "domain", "beneficiary_group")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @model_validator(mode="after")
    def _range(self) -> "OfferFilters":
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise ValueError("最低可投入资金不能高于最高可投入资金")
        return self

    def apply(self, queryset: "QuerySet[Offer]") -> "QuerySet[Offer]":
        if self.organization is not None:
            queryset = queryset.filter(organization_id=self.organization)
        if self.domain:
            queryset = queryset.filter(domains__code=self.domain)
        if self.beneficiary_group:
            queryset = queryset.filter(beneficiary_groups__code=self.beneficiary_group)
        if self.aid_mode:
            queryset = queryset.filter(aid_mode=self.aid_mode)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.covers:
            queryset = queryset.filter(covering_condition(self.covers))
        if self.amount_min is not None:
            queryset = queryset.filter(capacity_amount__gte=self.amount_min)
        if self.amount_max is not None:
            queryset = queryset.filter(capacity_amount__lte=self.amount_max)
        queryset = queryset.order_by(*SORTS[self.sort])
        if self.q:
            queryset = search(queryset, self.q)
        return queryset
