from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.pairings.models import Pairing


class PairingIn(Schema):
    region_code: str = Field(..., title="结对地区", description="县、乡镇或村的区划代码")
    start_date: date = Field(..., title="开始日期")
    end_date: date = Field(..., title="结束日期")
    committed_money: Decimal = Field(Decimal("0"), title="承诺帮扶资金（元）")
    committed_projects: int = Field(0, title="承诺帮扶项目（个）")
    committed_volunteer_hours: Decimal = Field(Decimal("0"), title="承诺志愿服务（小时）")
    committed_purchases: Decimal = Field(Decimal("0"), title="承诺消费帮扶（元）")
    note: str = Field("", title="结对说明", max_length=5000)


class ProposeIn(PairingIn):
    organization_id: int = Field(..., title="社会组织", description="申请结对的社会组织编号（须为其管理员）")


class ArrangeIn(PairingIn):
    organization_credit_code: str = Field(..., title="社会组织统一社会信用代码", max_length=18)


class ResubmitIn(PairingIn):
    region_code: str = Field("", title="结对地区", description="不可更改，可不填")
    version: int | None = Field(None, title="版本")


class StartReviewIn(Schema):
    year: int | None = Field(None, title="考核年度", description="不填为今年")
    version: int | None = Field(None, title="版本")


class ConcludeReviewIn(Schema):
    assessment: str = Field(..., title="考核意见", max_length=5000)
    outcome: str = Field(..., title="考核结论", description="renewed / ended")
    new_end_date: date | None = Field(None, title="续签至", description="续签时必填")
    version: int | None = Field(None, title="版本")


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    commitment: Decimal
    achieved: Decimal
    percent: Decimal | None


class ProgressOut(Schema):
    period_start: date
    period_end: date
    figures: list[FigureOut]


class ReviewOut(Schema):
    year: int
    period_start: date
    period_end: date
    figures: Any
    assessment: str
    outcome: str
    new_end_date: date | None
    reviewed_by: str
    reviewed_at: datetime

    @staticmethod
    def resolve_reviewed_by(obj: Any) -> str:
        return str(obj.reviewed_by)


class PairingOut(Schema):
    id: int
    number: str
    organization_id: int
    organization_name: str
    region_code: str
    region_name: str
    region_level: str
    origin: str
    status: str
    status_label: str
    start_date: date
    end_date: date
    committed_money: Decimal
    committed_projects: int
    committed_volunteer_hours: Decimal
    committed_purchases: Decimal
    note: str
    return_reason: str
    end_reason: str
    review_year: int | None
    version: int
    proposed_at: datetime
    confirmed_at: datetime | None
    allowed_actions: list[str]

    @staticmethod
    def resolve_organization_name(obj: Pairing) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_region_code(obj: Pairing) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Pairing) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_region_level(obj: Pairing) -> str:
        return obj.region.level

    @staticmethod
    def resolve_status_label(obj: Pairing) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_allowed_actions(obj: Pairing) -> list[str]:
        from xiangzhen.pairings.services import WORKFLOW

        return WORKFLOW.allowed_actions(obj.status)


class PairingDetailOut(PairingOut):
    """A pairing with its progress (`progress.pairing_progress`, set by the API as `measured`) and reviews."""

    progress: ProgressOut
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_progress(obj: Any) -> Any:
        return obj.measured

    @staticmethod
    def resolve_reviews(obj: Any) -> Any:
        from xiangzhen.pairings.selectors import reviews

        return list(reviews(obj))


class CoverOut(Schema):
    pairing_id: int
    number: str
    organization_name: str
    level: str
    level_label: str


class KeyVillageOut(Schema):
    code: str
    name: str
    full_name: str
    designations: list[str]
    paired: bool
    covers: list[CoverOut]


class CountyCoverageOut(Schema):
    code: str
    name: str
    total: int
    paired: int
    gap: int


class KeyVillageReportOut(Schema):
    region_code: str
    region_name: str
    total: int
    paired: int
    gap: int
    villages: list[KeyVillageOut]
    counties: list[CountyCoverageOut]
