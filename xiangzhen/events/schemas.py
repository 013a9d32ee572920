from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xiangzhen.events.models import Event, EventVillage


class EventIn(Schema):
    kind: str = Field(
        ..., title="类型", description="agricultural_expo 农博会 / farmers_market 农贸会 / trade_fair 展销会 / …"
    )
    name: str = Field(..., title="名称", max_length=200)
    region_code: str = Field(..., title="举办地区", description="12 位区划代码（本部门辖区内）")
    venue: str = Field(..., title="地点", max_length=200)
    organizer: str = Field(..., title="主办单位", max_length=200)
    starts_on: date = Field(..., title="开始日期")
    ends_on: date = Field(..., title="结束日期")
    description: str = Field("", title="简介", max_length=10000)
    campaign_id: int | None = Field(None, title="所属专项行动")


class EventPatch(Schema):
    version: int | None = Field(None, title="版本")
    kind: str | None = None
    name: str | None = Field(None, max_length=200)
    region_code: str | None = None
    venue: str | None = Field(None, max_length=200)
    organizer: str | None = Field(None, max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None
    description: str | None = Field(None, max_length=10000)
    campaign_id: int | None = None


class EventOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    is_agricultural_fair: bool
    name: str
    region_code: str
    region_name: str
    venue: str
    organizer: str
    starts_on: date
    ends_on: date
    description: str
    campaign_id: int | None
    status: str
    status_label: str
    cancel_reason: str
    village_count: int
    version: int
    published_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: Event) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj: Event) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Event) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_status_label(obj: Event) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_village_count(obj: Event) -> int:
        return int(getattr(obj, "village_count", 0) or 0)


class VillageIn(Schema):
    village_code: str = Field(..., title="参展村", description="12 位村级区划代码")
    booth: str = Field("", title="展位", max_length=50)


class VillageOut(Schema):
    village_code: str
    village_name: str
    booth: str

    @staticmethod
    def resolve_village_code(obj: EventVillage) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj: EventVillage) -> str:
        return obj.village.full_name or obj.village.name


class VillageSalesOut(Schema):
    village_code: str
    village_name: str
    booth: str
    purchase_count: int
    amount: Decimal


class FairSalesOut(Schema):
    event_id: int
    number: str
    name: str
    purchase_count: int
    total: Decimal
    villages: list[VillageSalesOut]
