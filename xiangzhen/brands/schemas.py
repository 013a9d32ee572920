from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.brands.figures import brand_results
from xiangzhen.brands.models import CharityBrand, Commendation, ExemplaryCase


class CodeName(Schema):
    code: str
    name: str


class BrandIn(Schema):
    organization_id: int = Field(..., title="社会组织", description="本人任管理员的社会组织编号")
    name: str = Field(..., max_length=100, title="品牌名称")
    description: str = Field(..., max_length=10000, title="品牌简介")
    started_year: int = Field(..., title="创立年份")
    domains: list[str] = Field(default_factory=list, title="领域", description="领域代码")


class BrandPatch(Schema):
    name: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=10000)
    started_year: int | None = None
    domains: list[str] | None = None


class BrandStatusIn(Schema):
    status: str = Field(..., title="状态", description="active（运行中）/ retired（已停止）")


class BrandOut(Schema):
    """A brand and its results, summed from the activities that carry it (no contacts)."""

    id: int
    number: str
    name: str
    description: str
    started_year: int
    organization_id: int
    organization_name: str
    domains: list[CodeName]
    status: str
    status_label: str
    activities: int
    people_served: int
    money: Decimal
    years_active: int
    campaigns: int

    @staticmethod
    def resolve_organization_name(obj: CharityBrand) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_domains(obj: CharityBrand) -> list[dict[str, str]]:
        return [{"code": d.code, "name": d.name} for d in obj.domains.all()]

    @staticmethod
    def resolve_status_label(obj: CharityBrand) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_activities(obj: CharityBrand) -> int:
        return brand_results(obj).activities

    @staticmethod
    def resolve_people_served(obj: CharityBrand) -> int:
        return brand_results(obj).people_served

    @staticmethod
    def resolve_money(obj: CharityBrand) -> Decimal:
        return brand_results(obj).money

    @staticmethod
    def resolve_years_active(obj: CharityBrand) -> int:
        return brand_results(obj).years_active

    @staticmethod
    def resolve_campaigns(obj: CharityBrand) -> int:
        return brand_results(obj).campaigns


class CaseIn(Schema):
    title: str = Field(..., max_length=200, title="标题")
    summary: str = Field(..., max_length=300, title="摘要")
    body: str = Field(..., max_length=50000, title="正文")
    organization_id: int = Field(..., title="社会组织", description="辖区内的社会组织编号")
    brand_id: int | None = Field(None, title="公益品牌", description="该组织的公益品牌编号")
    campaign_id: int | None = Field(None, title="专项行动", description="该组织参加的专项行动编号")


class CasePatch(Schema):
    version: int | None = Field(None, title="版本")
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=300)
    body: str | None = Field(None, max_length=50000)
    organization_id: int | None = None
    brand_id: int | None = None
    campaign_id: int | None = None


class CasePublicOut(Schema):
    id: int
    number: str
    title: str
    summary: str
    body: str
    region_name: str
    organization_name: str
    brand_name: str | None
    campaign_name: str | None
    figures: dict[str, Any]
    published_at: datetime | None

    @staticmethod
    def resolve_region_name(obj: ExemplaryCase) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_organization_name(obj: ExemplaryCase) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_brand_name(obj: ExemplaryCase) -> str | None:
        return obj.brand.name if obj.brand_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_campaign_name(obj: ExemplaryCase) -> str | None:
        return obj.campaign.name if obj.campaign_id else None  # type: ignore[union-attr]


class CaseOut(CasePublicOut):
    region_code: str
    organization_id: int
    brand_id: int | None
    campaign_id: int | None
    status: str
    status_label: str
    return_reason: str
    version: int
    created_at: datetime
    allowed_actions: list[str]

    @staticmethod
    def resolve_region_code(obj: ExemplaryCase) -> str:
        return obj.region_id

    @staticmethod
    def resolve_status_label(obj: ExemplaryCase) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_allowed_actions(obj: ExemplaryCase) -> list[str]:
        from xiangzhen.brands.services import CASE_WORKFLOW

        return CASE_WORKFLOW.allowed_actions(obj.status)


class CommendationIn(Schema):
    organization_id: int = Field(..., title="社会组织")
    year: int = Field(..., title="年度")
    title: str = Field(..., max_length=200, title="表彰名称")
    issuing_department: str = Field(..., max_length=200, title="表彰单位")
    document_number: str = Field("", max_length=100, title="文号")
    awarded_on: date = Field(..., title="表彰日期")


class CommendationPatch(Schema):
    year: int | None = None
    title: str | None = Field(None, max_length=200)
    issuing_department: str | None = Field(None, max_length=200)
    document_number: str | None = Field(None, max_length=100)
    awarded_on: date | None = None


class CommendationOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    year: int
    title: str
    issuing_department: str
    document_number: str
    awarded_on: date
    region_code: str

    @staticmethod
    def resolve_organization_name(obj: Commendation) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_region_code(obj: Commendation) -> str:
        return obj.region_id
