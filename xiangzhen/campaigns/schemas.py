from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xiangzhen.campaigns.models import Activity, Campaign, Enrollment, Participation
from xiangzhen.campaigns.progress import progress_of


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    actual: Decimal
    target: Decimal
    percent: int | None


class CampaignIn(Schema):
    kind: str = Field(..., title="类型", description="pairing / relief / consumption / brand / facilities / other")
    name: str = Field(..., title="名称", max_length=200, description="kind 为 other 时即该省自定的专项行动名称")
    description: str = Field(..., title="行动方案", max_length=20000)
    start_date: date = Field(..., title="开始日期")
    end_date: date = Field(..., title="结束日期")
    region_code: str = Field("", title="实施地区", description="区划代码；不填为本部门所在地区（平台管理员必填）")
    target_organizations: int = Field(0, ge=0, title="目标参与组织（家）")
    target_activities: int = Field(0, ge=0, title="目标活动（场）")
    target_people_served: int = Field(0, ge=0, title="目标服务人次")
    target_money: Decimal = Field(Decimal("0"), ge=0, title="目标投入资金（元）")
    target_purchases: Decimal = Field(Decimal("0"), ge=0, title="目标消费帮扶（元）")


class CampaignPatch(Schema):
    version: int | None = Field(None, title="版本")
    kind: str | None = None
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    start_date: date | None = None
    end_date: date | None = None
    region_code: str | None = None
    target_organizations: int | None = Field(None, ge=0)
    target_activities: int | None = Field(None, ge=0)
    target_people_served: int | None = Field(None, ge=0)
    target_money: Decimal | None = Field(None, ge=0)
    target_purchases: Decimal | None = Field(None, ge=0)


class CampaignPublicOut(Schema):
    """A published campaign and its progress: what anyone may read."""

    id: int
    number: str
    kind: str
    kind_label: str
    name: str
    region_code: str
    region_name: str
    description: str
    start_date: date
    end_date: date
    status: str
    status_label: str
    progress: list[FigureOut]
    facilities: int

    @staticmethod
    def resolve_kind_label(obj: Campaign) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj: Campaign) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Campaign) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_status_label(obj: Campaign) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_progress(obj: Campaign) -> list[dict[str, object]]:
        return [
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "actual": f.actual,
                "target": f.target,
                "percent": f.percent,
            }
            for f in progress_of(obj).figures(obj)
        ]

    @staticmethod
    def resolve_facilities(obj: Campaign) -> int:
        return progress_of(obj).facilities


class CampaignOut(CampaignPublicOut):
    version: int
    created_at: datetime
    published_at: datetime | None
    closed_at: datetime | None
    allowed_actions: list[str]

    @staticmethod
    def resolve_allowed_actions(obj: Campaign) -> list[str]:
        from xiangzhen.campaigns.services import WORKFLOW

        return WORKFLOW.allowed_actions(obj.status)


class EnrollIn(Schema):
    organization_id: int = Field(..., title="社会组织", description="本人任管理员的社会组织编号")
    reason: str = Field("", max_length=500, title="原因", description="退出时可填写")


class EnrollmentOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    status: str
    status_label: str
    enrolled_at: datetime

    @staticmethod
    def resolve_organization_name(obj: Enrollment) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_status_label(obj: Enrollment) -> str:
        return obj.get_status_display()


class ActivityIn(Schema):
    organization_id: int = Field(..., title="社会组织", description="已报名的本组织编号")
    title: str = Field(..., max_length=200, title="活动名称")
    held_on: date = Field(..., title="活动日期")
    region_code: str = Field(..., title="活动地区", description="区划代码，通常是实施地区内的村")
    place: str = Field("", max_length=200, title="具体地点")
    description: str = Field(..., max_length=20000, title="活动内容")
    money: Decimal = Field(Decimal("0"), ge=0, title="投入资金（元）")
    in_kind: str = Field("", max_length=5000, title="捐赠物资")
    in_kind_value: Decimal = Field(Decimal("0"), ge=0, title="物资折价（元）")
    people_served: int = Field(0, ge=0, title="服务人次", description="填写了受益群体时按各群体人次合计")
    beneficiaries: dict[str, int] = Field(
        default_factory=dict, title="受益群体", description="受益群体代码 → 人次；扶弱济困必填"
    )
    brand_id: int | None = Field(None, title="公益品牌", description="本组织的公益品牌编号")


class ActivityPatch(Schema):
    title: str | None = Field(None, max_length=200)
    held_on: date | None = None
    region_code: str | None = None
    place: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    money: Decimal | None = Field(None, ge=0)
    in_kind: str | None = Field(None, max_length=5000)
    in_kind_value: Decimal | None = Field(None, ge=0)
    people_served: int | None = Field(None, ge=0)
    beneficiaries: dict[str, int] | None = None
    brand_id: int | None = None


class BeneficiaryOut(Schema):
    group: str
    group_name: str
    count: int


class ActivityPublicOut(Schema):
    id: int
    number: str
    campaign_id: int
    organization_name: str
    brand_name: str | None
    title: str
    held_on: date
    region_code: str
    region_name: str
    place: str
    description: str
    money: Decimal
    in_kind: str
    in_kind_value: Decimal
    people_served: int
    beneficiaries: list[BeneficiaryOut]

    @staticmethod
    def resolve_organization_name(obj: Activity) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_brand_name(obj: Activity) -> str | None:
        return obj.brand.name if obj.brand_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_region_code(obj: Activity) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Activity) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_beneficiaries(obj: Activity) -> list[dict[str, object]]:
        return [{"group": b.group.code, "group_name": b.group.name, "count": b.count} for b in obj.beneficiaries.all()]


class ActivityOut(ActivityPublicOut):
    organization_id: int
    brand_id: int | None
    recorded_by: str
    recorded_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_recorded_by(obj: Activity) -> str:
        return str(obj.recorded_by)


class ParticipationIn(Schema):
    hours: Decimal = Field(..., gt=0, le=24, title="志愿服务时长（小时）")
    role: str = Field("", max_length=100, title="承担工作")
    user_id: int | None = Field(None, title="参与人", description="不填为本人；管理员可填本组织成员的用户编号")


class ParticipationOut(Schema):
    id: int
    user_id: int
    user_name: str
    hours: Decimal
    role: str
    recorded_at: datetime

    @staticmethod
    def resolve_user_name(obj: Participation) -> str:
        return obj.user.full_name or obj.user.username
