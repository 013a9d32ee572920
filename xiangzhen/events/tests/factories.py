"""Events for tests: a published event of 花垣县, a venture contest with criteria, and the matrix's world."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xiangzhen.events import services
from xiangzhen.events.services import attendance, contest
from xiangzhen.events.validation import EventData

HUAYUAN = "433124000000"


def make_event(organizer: Any, *, kind: str = "matchmaking_fair", capacity: int | None = None, publish: bool = True,
               name: str = "花垣县项目对接会", starts_in: int = 0, days: int = 1) -> Any:  # fmt: skip
    today = timezone.localdate()
    event = services.create_event(
        actor=organizer,
        data=EventData(
            kind=kind, name=name, region_code=HUAYUAN, venue="花垣县政务中心", organizer="花垣县民政局",
            starts_on=today + timedelta(days=starts_in), ends_on=today + timedelta(days=starts_in + days),
            capacity=capacity, agenda="09:00 开幕\n10:00 项目推介",
        ),
    )  # fmt: skip
    return services.publish_event(actor=organizer, event=event) if publish else event


DEFAULT_CRITERIA = (("可行性", "60", "100"), ("创新性", "40", "10"))


def make_contest(organizer: Any, *, criteria: tuple[tuple[str, str, str], ...] = DEFAULT_CRITERIA) -> Any:
    event = make_event(organizer, kind="venture_contest", name="花垣县公益创投大赛")
    for name, weight, max_score in criteria:
        contest.add_criterion(actor=organizer, event=event, name=name, weight=weight, max_score=max_score)
    return event


def entry_data(**changes: Any) -> contest.EntryData:
    data = contest.EntryData(
        title="留守儿童四点半课堂", plan="在十八洞村开设课后辅导课堂，每周五次。", budget=Decimal("80000.00"),
        target_region_code="433124110226", domains=["education"],
    )  # fmt: skip
    return data.merged(changes)


def matrix_world(organization: Any, org_admin: Any, county_official: Any) -> dict[str, Any]:
    """On the world's published fair (consumption's 矩阵农博会): the organization registered and its
    published offer featured. A published 花垣县 venture contest with one criterion (weight 100), the
    county official as its judge, and the organization's entry scored by the judge (results not published);
    a second judge, a 湘西州 staffer, has not scored yet (so may be removed)."""
    from xiangzhen.accounts.tests.factories import staff
    from xiangzhen.events.models import Event
    from xiangzhen.offers.models import Offer

    fair = Event.objects.get(name="矩阵农博会")
    registration = attendance.register(
        actor=org_admin, event=fair, organization=organization, contact_name="矩阵联系人", contact_phone="13800000000"
    )
    offer = Offer.objects.filter(organization=organization, status="published").order_by("pk").first()
    assert offer is not None
    feature = attendance.add_feature(actor=county_official, event=fair, offer_id=offer.pk)
    race = make_contest(county_official, criteria=(("可行性", "100", "100"),))
    contest.assign_judge(actor=county_official, event=race, username=county_official.username)
    idle_judge = contest.assign_judge(
        actor=county_official, event=race, username=staff("civil_affairs", "433100000000", username="xx_judge").username
    )
    entry = contest.submit_entry(
        actor=org_admin, event=race, organization=organization, data=entry_data(title="矩阵参赛项目")
    )
    criterion = race.criteria.get()
    contest.score_entry(actor=county_official, entry=entry, scores={criterion.pk: "80"})
    return {
        "registration_id": registration.pk,
        "feature_id": feature.pk,
        "contest_id": race.pk,
        "entry_id": entry.pk,
        "criterion_id": criterion.pk,
        "judge_id": idle_judge.pk,
        "judge_username": org_admin.username,
    }
