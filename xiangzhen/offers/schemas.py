from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.offers.models import Offer


class OfferIn(Schema):
    organization_id: int = Field(..., title="社会组织", description="提交方社会组织编号（须为其成员）")
    title: str = Field(..., title="项目名称", max_length=200)
    description: str = Field(..., title="项目内容", max_length=10000)
    domains: list[str] = Field(default_factory=list, title="服务领域", description="领域代码列表，至少一个")
    beneficiary_groups: list[str] = Field(default_factory=list, title="受益群体", description="受益群体代码列表")
    service_regions: list[str] = Field(
        default_factory=list, title="服务区域", description="区划代码列表（任意层级，含下级）；面向全国时留空"
    )
    nationwide: bool = Field(False, title="面向全国")
    capacity_demands: int = Field(..., title="可承接需求数")
    capacity_amount: Decimal = Field(Decimal("0"), title="可投入资金", description="元，两位小数")
    in_kind: str = Field("", title="可提供物资", max_length=500)
    window_start: date = Field(..., title="开始日期")
    window_end: date = Field(..., title="结束日期")
    aid_mode: str = Field(..., title="帮扶方式", description="relief（输血）/ self_development（造血）")


class OfferPatch(Schema):
    """Only the fields sent are changed. `version` guards against overwriting someone else's edit."""

    version: int | None = Field(None, title="版本")
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10000)
    domains: list[str] | None = None
    beneficiary_groups: list[str] | None = None
    service_regions: list[str] | None = None
    nationwide: bool | None = None
    capacity_demands: int | None = None
    capacity_amount: Decimal | None = None
    in_kind: str | None = Field(None, max_length=500)
    window_start: date | None = None
    window_end: date | None = None
    aid_mode: str | None = None


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class CodeName(Schema):
    code: str
    name: str


class OrganizationRef(Schema):
    id: int
    name: str
    region_code: str
    region_name: str
    contact_name: str


class OfferPublicOut(Schema):
    """What anyone may read: the organization by name and contact person only, no phone."""

    id: int
    number: str
    title: str
    description: str
    organization: OrganizationRef
    domains: list[CodeName]
    beneficiary_groups: list[CodeName]
    service_regions: list[CodeName]
    nationwide: bool
    capacity_demands: int
    capacity_amount: Decimal
    in_kind: str
    window_start: date
    window_end: date
    aid_mode: str
    aid_mode_label: str
    status: str
    status_label: str
    published_at: datetime | None

    @staticmethod
    def resolve_organization(obj: Offer) -> dict[str, object]:
        organization = obj.organization
        return {
            "id": organization.pk,
            "name": organization.name,
            "region_code": organization.region_id,
            "region_name": organization.region.full_name or organization.region.name,
            "contact_name": organization.contact_name,
        }

    @staticmethod
    def resolve_domains(obj: Offer) -> list[dict[str, str]]:
        return [{"code": d.code, "name": d.name} for d in obj.domains.all()]

    @staticmethod
    def resolve_beneficiary_groups(obj: Offer) -> list[dict[str, str]]:
        return [{"code": g.code, "name": g.name} for g in obj.beneficiary_groups.all()]

    @staticmethod
    def resolve_service_regions(obj: Offer) -> list[dict[str, str]]:
        return [{"code": r.code, "name": r.full_name or r.name} for r in obj.service_regions.all()]

    @staticmethod
    def resolve_aid_mode_label(obj: Offer) -> str:
        return obj.get_aid_mode_display()

    @staticmethod
    def resolve_status_label(obj: Offer) -> str:
        return obj.get_status_display()


class OfferOut(OfferPublicOut):
    """The full record for the organization and its reviewers."""

    contact_phone: str
    return_reason: str
    close_reason: str
    version: int
    reviewed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]

    @staticmethod
    def resolve_contact_phone(obj: Offer) -> str:
        return obj.organization.contact_phone

    @staticmethod
    def resolve_allowed_actions(obj: Offer) -> list[str]:
        from xiangzhen.offers.services import WORKFLOW

        return WORKFLOW.allowed_actions(obj.status)


class ImportRowOut(Schema):
    row_number: int
    title: str
    area: str
    window: str
    outcome: str = Field(..., description="create（新增草稿）/ exists（已导入过，跳过）")


class ImportErrorOut(Schema):
    row: int
    message: str


class ImportReportOut(Schema):
    ok: bool
    created: int
    existing: int
    rows: list[ImportRowOut]
    errors: list[ImportErrorOut]
    numbers: list[str] = Field(..., description="新建草稿的编号（确认导入时）")

    @staticmethod
    def resolve_errors(obj: Any) -> list[dict[str, Any]]:
        return [{"row": row, "message": message} for row, message in obj.errors]
