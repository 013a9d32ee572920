"""Demo events of 花垣县 through the services: an upcoming matchmaking fair with its agenda, two
registrations and featured demands and offers; a charity expo that has finished, with its attendees
checked in and what it featured; and a venture contest taking entries, with criteria, two judges and
one scored entry. Called by `manage.py seed_demo` (the agricultural fair is the consumption demo's).

Idempotent: nothing happens if the upcoming fair already exists.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.events import services
from xiangzhen.events.models import Event
from xiangzhen.events.services import attendance, contest
from xiangzhen.events.validation import EventData
from xiangzhen.offers.models import Offer
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import subtree_bounds

HUAYUAN = "433124000000"
SHIBADONG = "433124110226"
UPCOMING = "花垣县社会组织参与乡村振兴项目对接会"
FINISHED = "花垣县公益慈善博览会"
CONTEST = "花垣县第一届乡村振兴公益创投大赛"
CRITERIA = (
    ("需求契合度", "30", "100"),
    ("可行性", "30", "100"),
    ("可持续性", "25", "100"),
    ("预算合理性", "15", "100"),
)


def _published_event(organizer: Any, *, kind: str, name: str, starts_in: int, days: int, **extra: Any) -> Event:
    today = timezone.localdate()
    event = services.create_event(
        actor=organizer,
        data=EventData(
            kind=kind, name=name, region_code=HUAYUAN, organizer="花垣县民政局、花垣县乡村振兴局",
            starts_on=today + datetime.timedelta(days=starts_in),
            ends_on=today + datetime.timedelta(days=starts_in + days), **extra,
        ),
    )  # fmt: skip
    return services.publish_event(actor=organizer, event=event)


def _attend(event: Event, *, organization: Organization, org_admin: Any, village_staff: Any) -> list[Any]:
    """The demo organization and 十八洞村 register."""
    return [
        attendance.register(
            actor=org_admin, event=event, organization=organization, contact_name="龙晓梅",
            contact_phone="13974312001",
        ),
        attendance.register(
            actor=village_staff, event=event, village_code=SHIBADONG, contact_name="施成",
            contact_phone="13907431234",
        ),
    ]  # fmt: skip


def _feature(event: Event, organizer: Any, demands: list[Demand], offers: list[Offer]) -> None:
    for demand in demands:
        attendance.add_feature(actor=organizer, event=event, demand_id=demand.pk)
    for offer in offers:
        attendance.add_feature(actor=organizer, event=event, offer_id=offer.pk)


def seed_demo_events(
    *, organization: Organization, org_admin: Any, organizer: Any, village_staff: Any, judges: list[Any]
) -> list[Event]:
    """`organizer` (花垣县 staff) runs the events, `village_staff` registers 十八洞村, `judges` judge the contest."""
    if Event.objects.filter(name=UPCOMING).exists():
        return list(Event.objects.filter(name__in=[UPCOMING, FINISHED, CONTEST]).order_by("starts_on", "id"))
    in_county = Demand.objects.filter(status=Demand.Status.PUBLISHED, region__code__range=subtree_bounds(HUAYUAN))
    demands = list(in_county.order_by("id")[:2])
    offers = list(Offer.objects.filter(status=Offer.Status.PUBLISHED, organization=organization).order_by("id"))

    upcoming = _published_event(
        organizer, kind="matchmaking_fair", name=UPCOMING, starts_in=14, days=0, venue="花垣县政务服务中心三楼会议室",
        capacity=60, description="县内脱贫村需求与社会组织项目现场对接，可当场点单、接单。",
        agenda="09:00 签到\n09:30 开幕致辞\n10:00 村级需求推介\n11:00 社会组织项目路演\n14:00 分组对接洽谈\n16:30 签约",
    )  # fmt: skip
    _attend(upcoming, organization=organization, org_admin=org_admin, village_staff=village_staff)
    _feature(upcoming, organizer, demands, offers[:1])

    expo = _published_event(
        organizer, kind="charity_expo", name=FINISHED, starts_in=-2, days=2, venue="花垣县边城广场",
        description="社会组织公益项目展示与乡村振兴成果展。", agenda="全天 展位开放\n10:00 公益项目发布",
    )  # fmt: skip
    for registration in _attend(expo, organization=organization, org_admin=org_admin, village_staff=village_staff):
        attendance.check_in(actor=organizer, registration=registration)
    _feature(expo, organizer, demands[:1], offers)
    expo = services.finish_event(actor=organizer, event=expo)

    race = _published_event(
        organizer, kind="venture_contest", name=CONTEST, starts_in=-3, days=30, venue="花垣县民政局",
        description="面向社会组织征集服务脱贫村的公益项目，评审优秀项目转入供给项目库。",
        agenda="第 1—30 天 网上提交项目计划书，评委随到随评\n第 35 天 公布结果",
    )  # fmt: skip
    for name, weight, max_score in CRITERIA:
        contest.add_criterion(actor=organizer, event=race, name=name, weight=weight, max_score=max_score)
    for judge in judges:
        contest.assign_judge(actor=organizer, event=race, username=judge.username)
    entry = contest.submit_entry(
        actor=org_admin, event=race, organization=organization,
        data=contest.EntryData(
            title="十八洞村留守儿童四点半课堂",
            plan="在十八洞村小学开设课后课堂，驻村社工和大学生志愿者每周五天辅导作业、组织阅读与手工活动，配套家访和心理关怀。",
            budget="80000", target_region_code=SHIBADONG, domains=["education"],
        ),
    )  # fmt: skip
    scores = {c.pk: "85" for c in race.criteria.all()}
    contest.score_entry(actor=judges[0], entry=entry, scores=scores)
    return [race, expo, upcoming]
