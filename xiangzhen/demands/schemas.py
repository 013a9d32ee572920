from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.core.crypto import mask_name, mask_phone
from xiangzhen.demands.models import Demand


class BeneficiaryIn(Schema):
    group: str = Field(..., title="受益群体", description="受益群体代码或中文名称，如 left_behind_children")
    head_count: int = Field(..., title="人数", gt=0)


class DemandIn(Schema):
    title: str = Field(..., title="标题", max_length=100)
    description: str = Field(..., title="需求描述", max_length=5000)
    region_code: str = Field(..., title="所在区划", description="县、乡镇或村的 12 位区划代码")
    domains: list[str] = Field(default_factory=list, title="领域", description="领域代码列表")
    beneficiaries: list[BeneficiaryIn] = Field(default_factory=list, title="受益群体及人数")
    aid_mode: str = Field(
        Demand.AidMode.RELIEF, title="帮扶方式", description="relief（输血）/ self_development（造血）"
    )
    budget: Decimal = Field(Decimal("0"), title="所需资金（元）", ge=0, max_digits=12, decimal_places=2)
    in_kind: str = Field("", title="所需物资或服务", max_length=2000)
    period_start: date | None = Field(None, title="期望开始日期")
    period_end: date | None = Field(None, title="期望结束日期")
    deadline: date = Field(..., title="征集截止日期")
    contact_name: str = Field(..., title="联系人", max_length=50)
    contact_phone: str = Field(..., title="联系电话", max_length=30)
    on_behalf_of_household: bool = Field(False, title="代农户填报")
    household_name: str = Field("", title="农户姓名", max_length=50)
    household_consent: bool = Field(False, title="农户已同意")
    submit: bool = Field(False, title="保存后立即提交审核")
    publish: bool = Field(False, title="直接发布（县级乡村振兴部门）")


class DemandPatch(Schema):
    """Only the fields sent are changed. `version` guards against overwriting someone else's edit."""

    version: int | None = Field(None, title="版本")
    title: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=5000)
    region_code: str | None = None
    domains: list[str] | None = None
    beneficiaries: list[BeneficiaryIn] | None = None
    aid_mode: str | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    in_kind: str | None = Field(None, max_length=2000)
    period_start: date | None = None
    period_end: date | None = None
    deadline: date | None = None
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=30)
    on_behalf_of_household: bool | None = None
    household_name: str | None = Field(None, max_length=50)
    household_consent: bool | None = None


class BeneficiaryOut(Schema):
    group: str
    group_name: str
    head_count: int


def _beneficiaries(obj: Demand) -> list[dict[str, Any]]:
    return [
        {"group": b.group.code, "group_name": b.group.name, "head_count": b.head_count} for b in obj.beneficiaries.all()
    ]


class PublicDemandOut(Schema):
    """A demand as anyone sees it: personal data masked."""

    id: int
    number: str
    title: str
    description: str
    region_code: str
    region_name: str
    domains: list[str]
    beneficiaries: list[BeneficiaryOut]
    aid_mode: str
    aid_mode_label: str
    budget: Decimal
    in_kind: str
    period_start: date | None
    period_end: date | None
    deadline: date
    contact_name: str
    contact_phone: str
    on_behalf_of_household: bool
    household_name: str
    status: str
    status_label: str
    priority_flags: list[str]
    published_at: datetime | None

    @staticmethod
    def resolve_region_code(obj: Demand) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Demand) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_domains(obj: Demand) -> list[str]:
        return [d.code for d in obj.domains.all()]

    @staticmethod
    def resolve_beneficiaries(obj: Demand) -> list[dict[str, Any]]:
        return _beneficiaries(obj)

    @staticmethod
    def resolve_aid_mode_label(obj: Demand) -> str:
        return obj.get_aid_mode_display()

    @staticmethod
    def resolve_status_label(obj: Demand) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_contact_name(obj: Demand) -> str:
        return mask_name(obj.contact_name)

    @staticmethod
    def resolve_contact_phone(obj: Demand) -> str:
        return mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_household_name(obj: Demand) -> str:
        return mask_name(obj.household_name)


class DemandOut(PublicDemandOut):
    """A demand in the scoped library. Personal data stays masked unless `personal_masked` is false
    (the caller asked with `reveal=true`, their role allows it, and the view was logged)."""

    household_consent: bool
    entered_by: str
    return_reason: str
    version: int
    personal_masked: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_entered_by(obj: Demand) -> str:
        return str(obj.entered_by)

    @staticmethod
    def resolve_personal_masked(obj: Demand) -> bool:
        return not getattr(obj, "_revealed", False)

    @staticmethod
    def resolve_contact_name(obj: Demand) -> str:
        return obj.contact_name if getattr(obj, "_revealed", False) else mask_name(obj.contact_name)

    @staticmethod
    def resolve_contact_phone(obj: Demand) -> str:
        return obj.contact_phone if getattr(obj, "_revealed", False) else mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_household_name(obj: Demand) -> str:
        return obj.household_name if getattr(obj, "_revealed", False) else mask_name(obj.household_name)


class FlagOut(Schema):
    code: str
    explanation: str


class ImportRowOut(Schema):
    row_number: int
    title: str
    region_name: str
    budget: str
    outcome: str


class ImportErrorOut(Schema):
    row: int
    message: str


class ImportReportOut(Schema):
    ok: bool
    created: int
    existing: int
    rows: list[ImportRowOut]
    errors: list[ImportErrorOut]
    numbers: list[str]

    @staticmethod
    def resolve_errors(obj: Any) -> list[dict[str, Any]]:
        return [{"row": row, "message": message} for row, message in obj.errors]
