from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xiangzhen.events.models import ContestEntry, ContestJudge, Event, EventFeature, EventRegistration, EventVillage


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
    capacity: int | None = Field(None, title="名额", description="可报名的单位数；不填表示不限", ge=1)
    agenda: str = Field("", title="议程", max_length=10000)


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
    capacity: int | None = Field(None, ge=1)
    agenda: str | None = Field(None, max_length=10000)


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
    capacity: int | None
    agenda: str
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


# ---------------------------------------------------------------- registrations, features, results


class RegistrationIn(Schema):
    organization_id: int | None = Field(None, title="社会组织", description="以社会组织名义报名时填写（二者选一）")
    village_code: str | None = Field(None, title="村（社区）", description="以村名义报名时填写 12 位区划代码")
    contact_name: str = Field(..., title="联系人", max_length=50)
    contact_phone: str = Field("", title="联系电话（加密保存，显示时打码）", max_length=30)


class RegistrationOut(Schema):
    id: int
    kind: str
    kind_label: str
    organization_id: int | None
    village_code: str | None
    party_name: str
    contact_name: str
    contact_phone: str = Field(..., description="打码显示")
    status: str
    status_label: str
    registered_at: datetime
    checked_in_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: EventRegistration) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_village_code(obj: EventRegistration) -> str | None:
        return obj.village_id

    @staticmethod
    def resolve_contact_phone(obj: EventRegistration) -> str:
        return obj.masked_phone

    @staticmethod
    def resolve_status_label(obj: EventRegistration) -> str:
        return obj.get_status_display()


class FeatureIn(Schema):
    demand_id: int | None = Field(None, title="需求项目（已发布，活动地区范围内）")
    offer_id: int | None = Field(None, title="供给项目（已发布）")


class FeatureOut(Schema):
    id: int
    kind: str
    record_id: int
    number: str
    title: str
    region_or_organization: str

    @staticmethod
    def resolve_kind(obj: EventFeature) -> str:
        return "demand" if obj.demand_id else "offer"

    @staticmethod
    def resolve_record_id(obj: EventFeature) -> int:
        return int(obj.demand_id or obj.offer_id or 0)

    @staticmethod
    def resolve_number(obj: EventFeature) -> str:
        return obj.demand.number if obj.demand else obj.offer.number if obj.offer else ""

    @staticmethod
    def resolve_title(obj: EventFeature) -> str:
        return obj.demand.title if obj.demand else obj.offer.title if obj.offer else ""

    @staticmethod
    def resolve_region_or_organization(obj: EventFeature) -> str:
        if obj.demand:
            return obj.demand.region.full_name or obj.demand.region.name
        return obj.offer.organization.name if obj.offer else ""


class CountOut(Schema):
    key: str
    label: str
    count: int


class ResultsOut(Schema):
    event_id: int
    number: str
    name: str
    registrations: int
    by_kind: list[CountOut]
    checked_in: int
    featured_demands: int
    featured_offers: int
    matches: int
    matches_by_status: list[CountOut]
    committed_amount: Decimal
    people_to_serve: int
    completed: int


# ---------------------------------------------------------------- the venture contest


class CriterionIn(Schema):
    name: str = Field(..., title="评分项", max_length=100)
    weight: Decimal = Field(..., title="权重", description="各评分项权重之和为 100")
    max_score: Decimal = Field(Decimal("100"), title="满分")


class CriterionOut(Schema):
    id: int
    name: str
    weight: Decimal
    max_score: Decimal


class JudgeIn(Schema):
    username: str = Field(..., title="评委用户名")


class JudgeOut(Schema):
    id: int
    username: str
    full_name: str

    @staticmethod
    def resolve_username(obj: ContestJudge) -> str:
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj: ContestJudge) -> str:
        return obj.user.full_name or obj.user.username


class EntryIn(Schema):
    organization_id: int = Field(..., title="社会组织")
    title: str = Field(..., title="项目名称", max_length=200)
    plan: str = Field(..., title="项目计划书", max_length=10000)
    budget: Decimal = Field(..., title="预算（元）")
    target_region_code: str = Field(..., title="服务地区", description="12 位区划代码")
    domains: list[str] = Field(..., title="服务领域", description="领域代码，如 education")


class EntryOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    title: str
    plan: str
    budget: Decimal
    target_region_code: str
    domains: list[str]
    total: Decimal | None
    rank: int | None
    is_winner: bool
    offer_id: int | None

    @staticmethod
    def resolve_organization_name(obj: ContestEntry) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_target_region_code(obj: ContestEntry) -> str:
        return obj.target_region_id

    @staticmethod
    def resolve_domains(obj: ContestEntry) -> list[str]:
        return sorted(d.code for d in obj.domains.all())


class ScoresIn(Schema):
    scores: dict[int, Decimal] = Field(..., title="各评分项得分", description="评分项 id → 得分（0 至满分）")


class PublishResultsIn(Schema):
    winners: int = Field(..., title="获奖数", ge=1)


class RankedOut(Schema):
    entry_id: int
    organization_name: str
    title: str
    total: Decimal | None
    judges: int
    rank: int | None
    is_winner: bool
    offer_number: str | None


class ContestResultsOut(Schema):
    event_id: int
    published: bool
    winner_count: int | None
    ranking: list[RankedOut]
