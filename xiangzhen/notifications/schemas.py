"""API input and output shapes for the inbox and subscriptions."""

import datetime as dt

from ninja import Field, Schema

from xiangzhen.notifications.models import Notification, Subscription


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    demand_id: int | None
    organization_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    emailed_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: Notification) -> str:
        return obj.get_kind_display()


class ReadAllOut(Schema):
    marked: int = Field(..., title="标为已读的条数")


class SubscriptionIn(Schema):
    organization_id: int = Field(..., title="社会组织")
    domains: list[str] = Field([], title="领域代码（空为全部）")
    beneficiary_groups: list[str] = Field([], title="受益群体代码（空为全部）")
    regions: list[str] = Field([], title="关注区域代码（空为供给项目服务区域）")


class SubscriptionPatch(Schema):
    domains: list[str] | None = Field(None, title="领域代码（空为全部）")
    beneficiary_groups: list[str] | None = Field(None, title="受益群体代码（空为全部）")
    regions: list[str] | None = Field(None, title="关注区域代码（空为供给项目服务区域）")
    is_active: bool | None = Field(None, title="有效")


class RegionRef(Schema):
    code: str
    name: str


class SubscriptionOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    domains: list[str]
    beneficiary_groups: list[str]
    regions: list[RegionRef]
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_organization_name(obj: Subscription) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_domains(obj: Subscription) -> list[str]:
        return [d.code for d in obj.domains.all()]

    @staticmethod
    def resolve_beneficiary_groups(obj: Subscription) -> list[str]:
        return [g.code for g in obj.beneficiary_groups.all()]

    @staticmethod
    def resolve_regions(obj: Subscription) -> list[dict[str, str]]:
        return [{"code": r.code, "name": r.full_name or r.name} for r in obj.regions.all()]
