"""The one filter definition for organization lists: the page, the API and the Excel export use it alike."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from ninja import Field, Schema
from pydantic import ValidationError, field_validator

from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes


def _one_of(value: str, allowed: list[str]) -> str:
    if value and value not in allowed:
        raise ValueError(f"应为 {'、'.join(allowed)} 之一")
    return value


class OrganizationFilters(Schema):
    q: str = Field("", max_length=100, title="关键词", description="名称或统一社会信用代码包含")
    kind: str = Field("", title="类型", description="social_group / foundation / social_service_agency")
    status: str = Field("", title="状态", description="submitted / returned / approved / suspended")
    rating: str = Field("", title="等级评估", description="1A…5A")
    is_hub: bool | None = Field(None, title="枢纽型社会组织")
    region: str = Field("", title="登记地", description="区划代码（12 位或 2/4/6/9 位前缀），含下级")
    domain: str = Field("", max_length=40, title="服务领域", description="领域代码，如 education")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return _one_of(value, list(Organization.Kind.values))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return _one_of(value, list(Organization.Status.values))

    @field_validator("rating")
    @classmethod
    def _rating(cls, value: str) -> str:
        return _one_of(value.upper(), list(Organization.Rating.values))

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return codes.normalize(value) if value.strip() else ""

    @field_validator("q")
    @classmethod
    def _q(cls, value: str) -> str:
        return value.strip()

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> tuple["OrganizationFilters", dict[str, str]]:
        """Parse query parameters for a page: bad values are dropped and reported, never a crash."""
        data = {name: str(params.get(name, "")).strip() for name in cls.model_fields if params.get(name, "")}
        problems: dict[str, str] = {}
        while True:
            try:
                return cls.model_validate(data), problems
            except ValidationError as exc:
                for err in exc.errors():
                    name = str(err["loc"][0]) if err["loc"] else ""
                    problems[name] = str(err["msg"]).removeprefix("Value error, ")
                    data.pop(name, None)
                if not any(str(err["loc"][0]) in cls.model_fields for err in exc.errors() if err["loc"]):
                    return cls.model_validate({}), problems

    def apply(self, queryset: "QuerySet[Organization]") -> "QuerySet[Organization]":
        if self.q:
            queryset = queryset.filter(Q(name__icontains=self.q) | Q(credit_code__icontains=self.q.upper()))
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.rating:
            queryset = queryset.filter(rating=self.rating)
        if self.is_hub is not None:
            queryset = queryset.filter(is_hub=self.is_hub)
        if self.region:
            queryset = queryset.filter(region__code__range=codes.subtree_bounds(self.region))
        if self.domain:
            queryset = queryset.filter(domains__code=self.domain)
        return queryset
