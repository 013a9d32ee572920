"""What people fill in about campaigns and activities, and the rules it must meet.

One checker per input serves the page, the API, the demo and the services.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xiangzhen.campaigns.models import Activity, Campaign
from xiangzhen.core.models import BeneficiaryGroup
from xiangzhen.core.validation import InputData, Problems, clean_texts
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")
MAX_COUNT = 10_000_000


def parse_amount(value: Any, label: str, problems: Problems, name: str) -> Decimal:
    """A non-negative amount in yuan with at most two decimals (empty is 0)."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().replace(",", "")
    if not text:
        return Decimal("0.00")
    try:
        amount = Decimal(text)
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.fail(name, _("%(label)s应为金额（元），当前为“%(value)s”") % {"label": label, "value": value})
        return Decimal("0.00")
    if amount < 0:
        problems.fail(name, _("%(label)s不能为负数") % {"label": label})
    elif amount > MAX_AMOUNT:
        problems.fail(name, _("%(label)s超过了上限") % {"label": label})
    elif amount != amount.quantize(CENT):
        problems.fail(name, _("%(label)s最多保留两位小数") % {"label": label})
    return amount.quantize(CENT) if amount.is_finite() and abs(amount) <= MAX_AMOUNT else Decimal("0.00")


def parse_count(value: Any, label: str, problems: Problems, name: str) -> int:
    """A whole number ≥ 0 (empty is 0)."""
    if value is None or str(value).strip() == "":
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        problems.fail(name, _("%(label)s应为整数，当前为“%(value)s”") % {"label": label, "value": value})
        return 0
    if number < 0 or number > MAX_COUNT:
        problems.fail(name, _("%(label)s应在 0 到 %(max)s 之间") % {"label": label, "max": MAX_COUNT})
        return 0
    return number


def parse_day(value: Any, label: str, problems: Problems, name: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        problems.fail(name, _("请填写%(label)s") % {"label": label})
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.fail(name, _("%(label)s“%(value)s”不是有效日期，应写成 2026-06-30") % {"label": label, "value": text})
        return None


def _region(code: Any, label: str, problems: Problems, name: str) -> Region | None:
    text = str(code or "").strip()
    if not text:
        problems.fail(name, _("请选择%(label)s") % {"label": label})
        return None
    try:
        normalized = codes.normalize(text)
    except ValueError as exc:
        problems.fail(name, str(exc))
        return None
    region = Region.objects.filter(pk=normalized).first()
    if region is None:
        problems.fail(name, _("%(label)s“%(code)s”不存在") % {"label": label, "code": text})
    return region


# ---------------------------------------------------------------- campaigns


@dataclass
class CampaignData(InputData):
    kind: str
    name: str
    description: str
    start_date: Any
    end_date: Any
    region_code: str = ""
    target_organizations: Any = 0
    target_activities: Any = 0
    target_people_served: Any = 0
    target_money: Any = "0"
    target_purchases: Any = "0"

    @classmethod
    def of(cls, campaign: Campaign) -> "CampaignData":
        return cls(
            kind=campaign.kind, name=campaign.name, description=campaign.description,
            start_date=campaign.start_date, end_date=campaign.end_date, region_code=campaign.region_id,
            target_organizations=campaign.target_organizations, target_activities=campaign.target_activities,
            target_people_served=campaign.target_people_served, target_money=campaign.target_money,
            target_purchases=campaign.target_purchases,
        )  # fmt: skip


@dataclass
class CleanCampaign:
    kind: str
    name: str
    description: str
    start_date: date
    end_date: date
    region: Region
    targets: dict[str, Any]


TARGET_LABELS = {
    "target_organizations": "目标参与组织",
    "target_activities": "目标活动场次",
    "target_people_served": "目标服务人次",
}


def clean_campaign_data(data: CampaignData) -> CleanCampaign:
    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"name": _("请填写专项行动名称"), "description": _("请填写行动方案")},
        max_lengths={"name": ("名称", 200), "description": ("行动方案", 20000)},
        also=("kind",),
    )  # fmt: skip
    if text["kind"] not in Campaign.Kind.values:
        problems.fail("kind", _("请选择专项行动类型：%(kinds)s") % {"kinds": "、".join(Campaign.Kind.values)})
    start = parse_day(data.start_date, "开始日期", problems, "start_date")
    end = parse_day(data.end_date, "结束日期", problems, "end_date")
    if start and end and end < start:
        problems.fail("end_date", _("结束日期 %(end)s 不能早于开始日期 %(start)s") % {"end": end, "start": start})
    region = _region(data.region_code, "实施地区", problems, "region_code")
    if region is not None and region.level not in (codes.Level.PROVINCE, codes.Level.CITY, codes.Level.COUNTY):
        problems.fail("region_code", _("专项行动在省、市、县三级组织，“%(name)s”是乡镇或村") % {"name": region.name})
    targets: dict[str, Any] = {
        name: parse_count(getattr(data, name), label, problems, name) for name, label in TARGET_LABELS.items()
    }
    targets["target_money"] = parse_amount(data.target_money, "目标投入资金", problems, "target_money")
    targets["target_purchases"] = parse_amount(data.target_purchases, "目标消费帮扶金额", problems, "target_purchases")
    problems.raise_any()
    assert start is not None and end is not None and region is not None
    return CleanCampaign(text["kind"], text["name"], text["description"], start, end, region, targets)


# ---------------------------------------------------------------- activities


@dataclass
class ActivityData(InputData):
    title: str
    held_on: Any
    region_code: str
    description: str
    place: str = ""
    money: Any = "0"
    in_kind: str = ""
    in_kind_value: Any = "0"
    people_served: Any = 0
    beneficiaries: dict[str, Any] = field(default_factory=dict)
    brand_id: int | None = None

    @classmethod
    def of(cls, activity: Activity) -> "ActivityData":
        return cls(
            title=activity.title, held_on=activity.held_on, region_code=activity.region_id,
            description=activity.description, place=activity.place, money=activity.money, in_kind=activity.in_kind,
            in_kind_value=activity.in_kind_value, people_served=activity.people_served,
            beneficiaries={b.group.code: b.count for b in activity.beneficiaries.select_related("group")},
            brand_id=activity.brand_id,
        )  # fmt: skip


@dataclass
class CleanActivity:
    title: str
    held_on: date
    region: Region
    place: str
    description: str
    money: Decimal
    in_kind: str
    in_kind_value: Decimal
    people_served: int
    beneficiaries: dict[BeneficiaryGroup, int]
    brand_id: int | None


def clean_activity_data(data: ActivityData, campaign: Campaign, *, today: date) -> CleanActivity:
    """Check an activity against its campaign: the date within its period and not in the future,
    the place inside its region; for 扶弱济困 the beneficiary groups and their counts are required,
    and whenever groups are given `people_served` is their sum."""
    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"title": _("请填写活动名称"), "description": _("请填写活动内容")},
        max_lengths={
            "title": ("活动名称", 200), "description": ("活动内容", 20000), "place": ("具体地点", 200),
            "in_kind": ("捐赠物资", 5000),
        },
    )  # fmt: skip
    held_on = parse_day(data.held_on, "活动日期", problems, "held_on")
    if held_on is not None:
        if held_on > today:
            problems.fail("held_on", _("活动日期 %(day)s 不能晚于今天：只登记已经开展的活动") % {"day": held_on})
        elif not campaign.start_date <= held_on <= campaign.end_date:
            problems.fail(
                "held_on",
                _("活动日期 %(day)s 不在专项行动期间（%(start)s 至 %(end)s）")
                % {"day": held_on, "start": campaign.start_date, "end": campaign.end_date},
            )
    region = _region(data.region_code, "活动地区", problems, "region_code")
    if region is not None and not codes.contains(campaign.region_id, region.code):
        problems.fail(
            "region_code",
            _("活动地区“%(name)s”不在专项行动的实施地区“%(campaign_region)s”内")
            % {"name": region.full_name or region.name, "campaign_region": campaign.region.name},
        )
    money = parse_amount(data.money, "投入资金", problems, "money")
    in_kind_value = parse_amount(data.in_kind_value, "物资折价", problems, "in_kind_value")
    if in_kind_value > 0 and not text["in_kind"]:
        problems.fail("in_kind", _("填写了物资折价，请写明捐赠了哪些物资"))
    groups = {g.code: g for g in BeneficiaryGroup.objects.all()}
    beneficiaries: dict[BeneficiaryGroup, int] = {}
    for code, raw in (data.beneficiaries or {}).items():
        group = groups.get(str(code))
        if group is None:
            problems.fail("beneficiaries", _("没有代码为“%(code)s”的受益群体") % {"code": code})
            continue
        count = parse_count(raw, group.name, problems, "beneficiaries")
        if count > 0:
            beneficiaries[group] = count
    if beneficiaries:
        people_served = sum(beneficiaries.values())
    elif campaign.kind == Campaign.Kind.RELIEF:
        problems.fail("beneficiaries", _("扶弱济困专项行动的活动须写明受益群体及各群体人次"))
        people_served = 0
    else:
        people_served = parse_count(data.people_served, "服务人次", problems, "people_served")
    problems.raise_any()
    assert held_on is not None and region is not None
    return CleanActivity(
        title=text["title"], held_on=held_on, region=region, place=text["place"], description=text["description"],
        money=money, in_kind=text["in_kind"], in_kind_value=in_kind_value, people_served=people_served,
        beneficiaries=beneficiaries, brand_id=data.brand_id or None,
    )  # fmt: skip
