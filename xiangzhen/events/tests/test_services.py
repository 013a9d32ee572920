from datetime import timedelta

import pytest
from django.utils import timezone

from xiangzhen.consumption.tests.conftest import buy
from xiangzhen.consumption.tests.factories import MAANCUN, SHIBADONG, make_fair, purchase
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.events import selectors, services
from xiangzhen.events.filters import EventFilters
from xiangzhen.events.models import Event, EventVillage
from xiangzhen.events.validation import EventData

pytestmark = pytest.mark.django_db


def event_data(**changes):
    today = timezone.localdate()
    data = EventData(
        kind="matchmaking_fair", name="花垣县项目对接会", region_code="433124000000", venue="花垣县政务中心",
        organizer="花垣县民政局", starts_on=today, ends_on=today + timedelta(days=1),
    )  # fmt: skip
    return data.merged(changes)


def test_staff_of_the_region_or_above_organize(
    county_civil_affairs, city_civil_affairs, other_county_official, org_admin, village_submitter
):
    for actor in (county_civil_affairs, city_civil_affairs):
        event = services.create_event(actor=actor, data=event_data())
        assert event.status == Event.Status.DRAFT and event.number.startswith("HD-433124-")
    for actor in (other_county_official, org_admin, village_submitter):
        with pytest.raises(Forbidden):
            services.create_event(actor=actor, data=event_data())


def test_event_input_is_checked(county_official):
    with pytest.raises(ValidationFailed) as caught:
        services.create_event(
            actor=county_official,
            data=event_data(kind="party", name="", region_code="1", ends_on=timezone.localdate() - timedelta(days=3)),
        )
    assert {e.field for e in caught.value.errors} == {"kind", "name", "region_code", "ends_on"}


def test_the_workflow_and_who_sees_what(county_official, other_county_official, org_admin, platform_admin):
    event = services.create_event(actor=county_official, data=event_data())
    assert selectors.get_event(platform_admin, event.pk) == event
    with pytest.raises(NotFound):
        selectors.get_event(other_county_official, event.pk)
    assert not selectors.public_events().exists()
    event = services.publish_event(actor=county_official, event=event)
    assert selectors.get_event(org_admin, event.pk) == event  # published: everyone
    with pytest.raises(Forbidden):
        services.finish_event(actor=other_county_official, event=event)
    with pytest.raises(InvalidTransition):
        services.publish_event(actor=county_official, event=event)
    updated = services.update_event(actor=county_official, event=event, changes={"venue": "花垣县会展中心"})
    assert updated.venue == "花垣县会展中心"
    with pytest.raises(ValidationFailed, match="取消的原因"):
        services.cancel_event(actor=county_official, event=updated, reason=" ")
    cancelled = services.cancel_event(actor=county_official, event=updated, reason="天气原因")
    assert cancelled.status == Event.Status.CANCELLED and cancelled.cancel_reason == "天气原因"
    assert list(selectors.public_events(EventFilters())) == []


def test_fair_villages(county_official, product, organization, org_admin):
    fair = make_fair(county_official, [SHIBADONG, MAANCUN])
    with pytest.raises(ValidationFailed, match="不是村"):
        services.add_village(actor=county_official, event=fair, village_code="433124110000")
    with pytest.raises(ValidationFailed, match="已在参展村名单中"):
        services.add_village(actor=county_official, event=fair, village_code=SHIBADONG)
    buy(org_admin, organization, purchase(product, channel="fair", event=fair.pk))
    with pytest.raises(InvalidTransition, match="已有销售记录"):
        services.remove_village(actor=county_official, event=fair, village_code=SHIBADONG)
    services.remove_village(actor=county_official, event=fair, village_code=MAANCUN)
    assert list(EventVillage.objects.filter(event=fair).values_list("village_id", flat=True)) == [SHIBADONG]
    with pytest.raises(InvalidTransition, match="不能取消"):
        services.cancel_event(actor=county_official, event=fair, reason="取消")
    with pytest.raises(ValidationFailed, match="只能是农博会"):
        services.update_event(actor=county_official, event=fair, changes={"kind": "field_visit"})
    finished = services.finish_event(actor=county_official, event=fair)
    with pytest.raises(InvalidTransition, match="不能再调整参展村"):
        services.add_village(actor=county_official, event=finished, village_code=MAANCUN)


def test_only_fairs_have_villages(county_official):
    event = services.create_event(actor=county_official, data=event_data())
    with pytest.raises(InvalidTransition, match="只有农博会"):
        services.add_village(actor=county_official, event=event, village_code=SHIBADONG)
