"""What organizers fill in about an event, and the rules it must meet (page, API and services alike)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from xiangzhen.core.validation import InputData, Problems, clean_texts
from xiangzhen.events.models import Event
from xiangzhen.funds.validation import parse_date
from xiangzhen.regions.models import Region


@dataclass
class EventData(InputData):
    kind: str
    name: str
    region_code: str
    venue: str
    organizer: str
    starts_on: Any
    ends_on: Any
    description: str = ""
    campaign_id: int | None = None
    capacity: Any = None  # None: unlimited
    agenda: str = ""

    @classmethod
    def of(cls, event: Event) -> "EventData":
        return cls(
            kind=event.kind, name=event.name, region_code=event.region_id, venue=event.venue,
            organizer=event.organizer, starts_on=event.starts_on, ends_on=event.ends_on,
            description=event.description, campaign_id=event.campaign_id, capacity=event.capacity,
            agenda=event.agenda,
        )  # fmt: skip


@dataclass
class CleanEvent:
    kind: str
    name: str
    region: Region
    venue: str
    organizer: str
    starts_on: date
    ends_on: date
    description: str
    campaign: Any
    capacity: int | None = None
    agenda: str = ""


def clean_event_data(data: EventData) -> CleanEvent:
    from xiangzhen.campaigns.models import Campaign

    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"name": "请填写活动名称", "venue": "请填写活动地点", "organizer": "请填写主办单位"},
        max_lengths={"name": ("活动名称", 200), "venue": ("活动地点", 200), "organizer": ("主办单位", 200),
                     "description": ("简介", 10000), "agenda": ("议程", 10000)},
    )  # fmt: skip
    kind = str(data.kind or "").strip()
    if kind not in Event.Kind.values:
        labels = "、".join(str(label) for label in Event.Kind.labels)
        problems.fail("kind", f"活动类型“{data.kind}”不正确，应为{labels}之一")
    region = Region.objects.filter(pk=str(data.region_code or "").strip()).first()
    if region is None:
        problems.fail("region_code", f"举办地区“{data.region_code}”不存在，请填写 12 位区划代码")
    starts_on = parse_date(data.starts_on, "开始日期", problems, "starts_on")
    ends_on = parse_date(data.ends_on, "结束日期", problems, "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        problems.fail("ends_on", f"结束日期 {ends_on} 不能早于开始日期 {starts_on}")
    campaign = None
    if data.campaign_id:
        campaign = Campaign.objects.filter(pk=data.campaign_id).first()
        if campaign is None:
            problems.fail("campaign_id", "所属专项行动不存在")
    capacity = None
    if data.capacity not in (None, ""):
        try:
            capacity = int(str(data.capacity).strip())
        except ValueError:
            capacity = 0
        if not 1 <= capacity <= 100000:
            problems.fail("capacity", f"名额“{data.capacity}”应为 1 到 100000 的整数；不限名额请留空")
    problems.raise_any()
    assert region is not None and starts_on is not None and ends_on is not None
    return CleanEvent(
        kind, text["name"], region, text["venue"], text["organizer"], starts_on, ends_on, text["description"], campaign,
        capacity, text["agenda"],
    )  # fmt: skip
