"""API shapes. Personal fields are always masked in lists; the detail carries the personal view
the selector built (full only after an audited reveal)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from xiangzhen.core.crypto import mask_id_number, mask_name, mask_phone
from xiangzhen.monitoring.models import MonitoredHousehold


class HouseholdIn(Schema):
    village_code: str = Field(..., title="所在村", description="12 位村级区划代码")
    category: str = Field(..., title="监测类型", description="unstable / marginal / sudden")
    head_name: str = Field(..., title="户主姓名", max_length=50)
    head_id_number: str = Field(..., title="户主身份证号", max_length=18)
    phone: str = Field("", title="联系电话", max_length=30)
    risks: list[str] = Field(..., title="风险类型", description="illness / education / disability / …")
    income_per_capita: Decimal = Field(..., title="人均纯收入（元/年）", ge=0, max_digits=12, decimal_places=2)
    identified_on: date = Field(..., title="识别日期")


class MemberIn(Schema):
    name: str = Field(..., title="姓名", max_length=50)
    id_number: str = Field(..., title="身份证号", max_length=18)
    relation: str = Field(..., title="与户主关系", max_length=20)
    health: str = Field("", title="健康状况", max_length=50)
    education: str = Field("", title="文化程度", max_length=50)
    work: str = Field("", title="务工或就业情况", max_length=100)


class CloseIn(Schema):
    status: str = Field(..., title="结果", description="risk_eliminated（风险消除）/ moved_out（迁出）")
    on: date = Field(..., title="日期")
    reason: str = Field(..., title="原因", max_length=500)


class AccessIn(Schema):
    organization_id: int = Field(..., title="社会组织")
    until: date = Field(..., title="有效期至")


class AssistanceIn(Schema):
    organization_id: int = Field(..., title="社会组织", description="本人所在、已获授权的社会组织")
    kind: str = Field(..., title="帮扶类型", description="money / goods / service / job / training")
    what: str = Field(..., title="帮扶内容", max_length=200)
    given_on: date = Field(..., title="帮扶日期")
    amount: Decimal = Field(Decimal(0), title="金额或折价（元）", ge=0, max_digits=12, decimal_places=2)
    note: str = Field("", title="备注", max_length=500)


class HouseholdOut(Schema):
    id: int
    number: str
    village_code: str = Field(..., alias="village_id")
    village_name: str = Field(..., alias="village.name")
    category: str
    category_label: str = Field(..., alias="get_category_display")
    head_name: str
    head_id_number: str
    phone: str
    risks: list[str]
    income_per_capita: Decimal
    status: str
    status_label: str = Field(..., alias="get_status_display")
    identified_on: date
    closed_on: date | None
    close_reason: str

    @staticmethod
    def resolve_head_name(obj: MonitoredHousehold) -> str:
        return mask_name(obj.head_name)

    @staticmethod
    def resolve_head_id_number(obj: MonitoredHousehold) -> str:
        return mask_id_number(obj.head_id_number)

    @staticmethod
    def resolve_phone(obj: MonitoredHousehold) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


class MemberOut(Schema):
    name: str
    id_number: str
    relation: str
    health: str
    education: str
    work: str


class PersonalOut(Schema):
    head_name: str
    head_id_number: str
    phone: str
    members: list[MemberOut]
    masked: bool


class HouseholdDetailOut(Schema):
    household: HouseholdOut
    personal: PersonalOut


class AccessOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    until: date
    masked_only: bool


class AssistanceOut(Schema):
    id: int
    household_number: str = Field(..., alias="household.number")
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    what: str
    given_on: date
    amount: Decimal
    note: str


class RelocationSiteOut(Schema):
    code: str
    name: str
    full_name: str
    county: str
    demand_count: int
    open_count: int
