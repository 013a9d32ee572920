"""Matches made at an event: the event argument of 点单 and 接单, and the event's results."""

from decimal import Decimal

import pytest

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.events import selectors
from xiangzhen.events.services import attendance
from xiangzhen.events.tests.factories import make_event
from xiangzhen.matching import services as matching
from xiangzhen.matching.models import Match
from xiangzhen.matching.services import Commitment
from xiangzhen.matching.tests.factories import DemandFactory, published_offer

pytestmark = pytest.mark.django_db


def terms(amount="10000", people=12):
    return Commitment(committed_amount=amount, people_to_serve=people)


def test_a_take_at_the_event_counts_in_its_results(county_official, org_admin, organization, village_submitter):
    event = make_event(county_official)
    demand = DemandFactory(entered_by=village_submitter)
    attendance.add_feature(actor=county_official, event=event, demand_id=demand.pk)
    registration = attendance.register(actor=org_admin, event=event, organization=organization, contact_name="张三")
    attendance.check_in(actor=county_official, registration=registration)
    match = matching.take_demand(actor=org_admin, demand=demand, commitment=terms(), event=event.pk)
    assert match.origin == Match.Origin.EVENT and match.event == event
    assert match.get_origin_display() == "活动对接"
    # The demand side answers a match the organization proposed at the event, then the county confirms.
    match = matching.accept_match(actor=village_submitter, match=match)
    match = matching.confirm_match(actor=county_official, match=match)
    other = DemandFactory(entered_by=village_submitter)
    matching.take_demand(actor=org_admin, demand=other, commitment=terms("500", 3))  # not at the event
    figures = selectors.results(event)
    assert figures.registrations == 1 and figures.checked_in == 1
    assert figures.by_kind == [("社会组织", 1), ("村（社区）", 0)]
    assert (figures.featured_demands, figures.featured_offers) == (1, 0)
    assert figures.matches == 1 and figures.by_status == [("confirmed", "已确认", 1)]
    assert figures.committed_amount == Decimal("10000.00") and figures.people_to_serve == 12
    assert figures.completed == 0


def test_an_order_at_the_event_through_a_featured_offer(county_official, org_admin, organization, village_submitter):
    event = make_event(county_official)
    offer = published_offer(organization, org_admin)
    attendance.add_feature(actor=county_official, event=event, offer_id=offer.pk)
    demand = DemandFactory(entered_by=village_submitter)
    match = matching.order_offer(actor=village_submitter, demand=demand, offer=offer, commitment=terms(), event=event)
    assert match.origin == "event" and match.event_id == event.pk
    matching.accept_match(actor=org_admin, match=match)  # the organization answers the demand side's pick


def test_the_event_must_be_running_and_the_match_belong_to_it(county_official, org_admin, organization):
    demand = DemandFactory()
    unrelated = make_event(county_official, name="无关的活动")
    with pytest.raises(ValidationFailed, match="未在活动") as caught:
        matching.take_demand(actor=org_admin, demand=demand, commitment=terms(), event=unrelated.pk)
    assert caught.value.errors[0].field == "event_id"
    later = make_event(county_official, name="下周的活动", starts_in=7)
    attendance.add_feature(actor=county_official, event=later, demand_id=demand.pk)
    with pytest.raises(ValidationFailed, match="不在进行中"):
        matching.take_demand(actor=org_admin, demand=demand, commitment=terms(), event=later.pk)
    draft = make_event(county_official, name="草稿", publish=False)
    with pytest.raises(ValidationFailed, match="尚未发布"):
        matching.take_demand(actor=org_admin, demand=demand, commitment=terms(), event=draft.pk)
    assert not Match.objects.exists()


def test_results_through_the_api_and_the_public_page(client, county_official, org_admin, organization):
    event = make_event(county_official)
    demand = DemandFactory()
    attendance.add_feature(actor=county_official, event=event, demand_id=demand.pk)
    attendance.register(actor=org_admin, event=event, organization=organization, contact_name="张三")
    client.force_login(org_admin)
    response = client.post(
        "/api/v1/matches/take", {"demand_id": demand.pk, "committed_amount": "300", "event_id": event.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["origin"] == "event" and response.json()["event_id"] == event.pk
    client.logout()
    figures = client.get(f"/api/v1/events/public/{event.pk}/results").json()
    assert figures["matches"] == 1 and figures["committed_amount"] == "300.00"
    page = client.get(f"/events/public/{event.pk}/").content.decode()
    assert demand.title in page and "活动成果" in page
    export = client.get(f"/events/public/{event.pk}/results/export/")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
