"""What people fill in about a room and its usage, and the rules it must meet (page, API and services alike)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xiangzhen.core.validation import InputData, Problems, clean_texts
from xiangzhen.facilities.models import Facility, FacilityUsage
from xiangzhen.funds.validation import parse_date, parse_money
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Region

MAX_COUNT = 1_000_000


@dataclass
class FacilityData(InputData):
    kind: str
    name: str
    village: str  # the 12-digit code of a village (村/社区)
    builder_id: Any
    funding: Any = "0"
    campaign: str = ""  # a campaign number, optional
    address: str = ""
    description: str = ""


@dataclass
class CleanFacility:
    kind: str
    name: str
    village: Region
    funding: Decimal
    campaign: Any
    address: str
    description: str


def clean_facility_data(data: FacilityData) -> CleanFacility:
    problems = Problems()
    text = clean_texts(
        data,
        problems,
        required={"name": "请填写小屋名称"},
        max_lengths={"name": ("名称", 200), "address": ("地址", 200), "description": ("简介", 5000)},
    )
    kind = str(data.kind or "").strip()
    if kind not in Facility.Kind.values:
        problems.fail("kind", "请选择小屋类型：宝贝小屋、阅读小屋、直播小屋或医生小屋")
    village = None
    raw = str(data.village or "").strip()
    if not raw:
        problems.fail("village", "请选择所在村（社区）")
    else:
        try:
            code = codes.normalize(raw)
        except ValueError:
            problems.fail("village", f"所在村代码“{raw}”格式不正确，应为 12 位区划代码")
        else:
            village = Region.objects.filter(pk=code).first()
            if village is None:
                problems.fail("village", f"区划代码“{code}”不存在")
            elif village.level != Level.VILLAGE:
                problems.fail("village", f"“{village.name}”不是村（社区），小屋须建在某个村（社区）")
    funding = Decimal("0.00")
    if str(data.funding or "").strip() not in ("", "0"):
        funding = parse_money(data.funding, "建设资金", problems, "funding") or funding
    campaign = None
    number = str(data.campaign or "").strip()
    if number:
        from xiangzhen.campaigns.models import Campaign

        campaign = Campaign.objects.filter(number=number).first()
        if campaign is None:
            problems.fail("campaign", f"找不到专项行动“{number}”")
        elif campaign.kind != Campaign.Kind.FACILITIES:
            problems.fail("campaign", f"专项行动“{campaign.name}”不是“四小建设助振兴”行动")
    problems.raise_any()
    assert village is not None
    return CleanFacility(kind, text["name"], village, funding, campaign, text["address"], text["description"])


@dataclass
class UsageData(InputData):
    used_on: Any
    kind: str
    count: Any
    amount: Any = "0"
    note: str = ""


@dataclass
class CleanUsage:
    used_on: date
    kind: str
    count: int
    amount: Decimal
    note: str


# Which usage each kind of room may record: sales only through a livestream room, consultations only in a clinic.
ALLOWED_USAGE: dict[str, set[str]] = {
    Facility.Kind.CHILDREN_ROOM: {"visits", "sessions"},
    Facility.Kind.READING_ROOM: {"visits", "sessions"},
    Facility.Kind.LIVESTREAM_ROOM: {"visits", "sessions", "sales"},
    Facility.Kind.CLINIC_ROOM: {"visits", "sessions", "consultations"},
}


def clean_usage_data(data: UsageData, facility: Facility, *, today: date) -> CleanUsage:
    problems = Problems()
    used_on = parse_date(data.used_on, "日期", problems, "used_on")
    if used_on and used_on > today:
        problems.fail("used_on", f"日期 {used_on} 不能晚于今天")
    if used_on and facility.opened_on and used_on < facility.opened_on:
        problems.fail("used_on", f"日期 {used_on} 早于小屋的启用日期 {facility.opened_on}")
    kind = str(data.kind or "").strip()
    if kind not in FacilityUsage.Kind.values:
        problems.fail("kind", "请选择记录类型：到访人次、活动/直播场次、问诊人次或直播销售")
    elif kind not in ALLOWED_USAGE[facility.kind]:
        label = FacilityUsage.Kind(kind).label
        problems.fail("kind", f"{facility.get_kind_display()}不能记录“{label}”")
    count = 0
    try:
        count = int(str(data.count).strip())
    except (TypeError, ValueError):
        problems.fail("count", f"数量应为整数，当前为“{data.count}”")
    else:
        if count <= 0:
            problems.fail("count", "数量应大于 0")
        elif count > MAX_COUNT:
            problems.fail("count", f"数量不超过 {MAX_COUNT}")
    amount = Decimal("0.00")
    if kind == FacilityUsage.Kind.SALES:
        amount = parse_money(data.amount, "销售额", problems, "amount") or amount
    elif str(data.amount or "").strip() not in ("", "0", "0.00"):
        problems.fail("amount", "只有直播销售记录填写销售额")
    note = str(data.note or "").strip()
    if len(note) > 500:
        problems.fail("note", "说明不超过 500 个字")
    problems.raise_any()
    assert used_on is not None
    return CleanUsage(used_on, kind, count, amount, note)
