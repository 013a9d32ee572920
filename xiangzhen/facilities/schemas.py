from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.facilities.models import Facility, FacilityUsage


class FacilityIn(Schema):
    builder_id: int = Field(..., title="建设组织", description="社会组织编号（须已审核通过）")
    kind: str = Field(..., title="类型", description="children_room / reading_room / livestream_room / clinic_room")
    name: str = Field(..., title="名称", max_length=200)
    village: str = Field(..., title="所在村", description="村（社区）的 12 位区划代码")
    funding: Decimal = Field(Decimal("0"), title="建设资金（元）")
    campaign: str = Field("", title="专项行动编号", description="“四小建设助振兴”专项行动，可不填")
    address: str = Field("", title="地址", max_length=200)
    description: str = Field("", title="简介", max_length=5000)


class OpenIn(Schema):
    opened_on: date = Field(..., title="启用日期")
    version: int | None = Field(None, title="版本")


class UsageIn(Schema):
    used_on: date = Field(..., title="日期")
    kind: str = Field(..., title="类型", description="visits / sessions / consultations（医生小屋）/ sales（直播小屋）")
    count: int = Field(..., title="数量", description="人次、场次或销售笔数")
    amount: Decimal = Field(Decimal("0"), title="销售额（元）", description="仅直播销售")
    note: str = Field("", title="说明", max_length=500)


class FacilityPublicOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    name: str
    village_code: str
    village_name: str
    builder_name: str
    status: str
    status_label: str
    opened_on: date | None
    address: str
    description: str

    @staticmethod
    def resolve_kind_label(obj: Facility) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_village_code(obj: Facility) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj: Facility) -> str:
        return obj.village.full_name or obj.village.name

    @staticmethod
    def resolve_builder_name(obj: Facility) -> str:
        return obj.builder.name

    @staticmethod
    def resolve_status_label(obj: Facility) -> str:
        return obj.get_status_display()


class FacilityOut(FacilityPublicOut):
    builder_id: int
    campaign_number: str | None
    funding: Decimal
    closed_on: date | None
    close_reason: str
    version: int
    created_at: datetime
    allowed_actions: list[str]

    @staticmethod
    def resolve_campaign_number(obj: Facility) -> str | None:
        return obj.campaign.number if obj.campaign_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_allowed_actions(obj: Facility) -> list[str]:
        from xiangzhen.facilities.services import WORKFLOW

        return WORKFLOW.allowed_actions(obj.status)


class UsageOut(Schema):
    id: int
    used_on: date
    kind: str
    kind_label: str
    count: int
    amount: Decimal
    note: str

    @staticmethod
    def resolve_kind_label(obj: FacilityUsage) -> str:
        return obj.get_kind_display()


class CountyRowOut(Schema):
    code: str
    name: str
    total: int
    by_kind: dict[str, int]
    by_status: dict[str, int]

    @staticmethod
    def resolve_code(obj: Any) -> str:
        return str(obj.county.code)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.county.name)


class MonthOut(Schema):
    month: date
    visits: int
    sessions: int
    consultations: int
    sales_count: int
    sales_amount: Decimal
