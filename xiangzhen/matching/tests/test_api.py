from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory
from xiangzhen.organizations.tests.factories import OrganizationFactory

API = "/api/v1/matches"


def as_user(client, user):
    client.force_login(user)
    return client


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.django_db
def test_order_then_accept_confirm_over_the_api(
    client, village_submitter, county_official, org_admin, published_demand, offer
):
    body = {
        "demand_id": published_demand.pk,
        "offer_id": offer.pk,
        "committed_amount": "12000.00",
        "people_to_serve": 30,
    }
    created = as_user(client, village_submitter).post(API + "/order", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "proposed" and data["origin"] == "order"
    assert Decimal(data["coverage"]["covered"]) == Decimal("12000") and Decimal(data["coverage"]["remaining"]) == 18000
    match_id = data["id"]
    assert as_user(client, org_admin).get(f"{API}/{match_id}").json()["actions"] == ["accept", "decline", "cancel"]
    assert client.post(f"{API}/{match_id}/accept").json()["status"] == "accepted"
    confirmed = as_user(client, county_official).post(f"{API}/{match_id}/confirm")
    assert confirmed.json()["status"] == "confirmed"
    assert Demand.objects.get(pk=published_demand.pk).status == Demand.Status.MATCHED


@pytest.mark.django_db
def test_full_take_flow_over_the_api(client, village_submitter, county_official, org_admin, published_demand, offer):
    as_user(client, org_admin)
    created = client.post(
        API + "/take", {"demand_id": published_demand.pk, "offer_id": offer.pk, "committed_amount": 30000},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    match_id = created.json()["id"]
    as_user(client, village_submitter).post(f"{API}/{match_id}/accept")
    as_user(client, county_official).post(f"{API}/{match_id}/confirm")
    as_user(client, org_admin).post(f"{API}/{match_id}/start")
    activity = client.post(
        f"{API}/{match_id}/activities",
        {"date": timezone.localdate().isoformat(), "title": "课后辅导", "people_served": 28, "amount_spent": "800"},
        content_type="application/json",
    )
    assert activity.status_code == 201, activity.content
    done = client.post(f"{API}/{match_id}/complete", {"report": "按计划完成"}, content_type="application/json")
    assert done.json()["status"] == "completed"
    evaluation = as_user(client, village_submitter).post(
        f"{API}/{match_id}/evaluate", {"score": 5, "comment": "很好"}, content_type="application/json"
    )
    assert evaluation.status_code == 201 and evaluation.json()["by_side"] == "demand"
    detail = client.get(f"{API}/{match_id}").json()
    assert detail["status"] == "evaluated" and len(detail["activities"]) == 1 and len(detail["evaluations"]) == 1


@pytest.mark.django_db
def test_bad_amount_is_a_problem_naming_the_field_and_changes_nothing(
    client, village_submitter, published_demand, offer
):
    as_user(client, village_submitter)
    body = {"demand_id": published_demand.pk, "offer_id": offer.pk, "committed_amount": "99999"}
    data = problem(client.post(API + "/order", body, content_type="application/json"), 422)
    assert data["errors"][0]["field"] == "committed_amount" and "剩余资金缺口" in data["detail"]
    body["committed_amount"] = "很多"
    data = problem(client.post(API + "/order", body, content_type="application/json"), 422)
    assert data["errors"][0]["field"] == "committed_amount"
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_out_of_scope_is_404_like_missing(
    client, other_county_official, other_org_admin, village_submitter, published_demand, offer
):
    match = MatchFactory(
        demand=published_demand, organization=offer.organization, offer=offer, proposed_by=village_submitter
    )
    for outsider in (other_county_official, other_org_admin):
        as_user(client, outsider)
        problem(client.get(f"{API}/{match.pk}"), 404)
        problem(client.get(f"{API}/999999"), 404)
        problem(client.post(f"{API}/{match.pk}/accept"), 404)
        assert client.get(API + "/").json()["count"] == 0
    as_user(client, other_county_official)
    body = {"demand_id": published_demand.pk, "offer_id": offer.pk, "committed_amount": "1"}
    problem(client.post(API + "/order", body, content_type="application/json"), 404)


@pytest.mark.django_db
def test_illegal_transition_is_409(client, village_submitter, org_admin, published_demand, offer):
    match = MatchFactory(demand=published_demand, organization=offer.organization, offer=offer, origin="order")
    data = problem(as_user(client, village_submitter).post(f"{API}/{match.pk}/confirm"), 409)
    assert "当前状态为“待接受”" in data["detail"]
    data = problem(client.post(f"{API}/{match.pk}/accept"), 403)
    data = problem(
        as_user(client, org_admin).post(f"{API}/{match.pk}/decline", {"reason": ""}, content_type="application/json"),
        422,
    )
    assert data["errors"][0]["field"] == "reason"


@pytest.mark.django_db
def test_unauthenticated_is_401(client):
    problem(client.get(API + "/"), 401)


@pytest.mark.django_db
def test_list_filters_and_pagination(client, county_official, organization, published_demand):
    other_org = OrganizationFactory(name="另一组织")
    MatchFactory.create_batch(22, demand__region_id="433124110226", organization=organization)
    MatchFactory(demand=published_demand, organization=other_org, status="confirmed", origin="order")
    MatchFactory(demand__region_id="433123000000", organization=other_org)  # 凤凰县: out of scope
    as_user(client, county_official)
    body = client.get(API + "/").json()
    assert body["count"] == 23 and len(body["items"]) == 20
    assert client.get(API + "/?status=confirmed").json()["count"] == 1
    assert client.get(API + "/?origin=order").json()["count"] == 1
    assert client.get(f"{API}/?organization={other_org.pk}").json()["count"] == 1
    assert client.get(f"{API}/?demand={published_demand.pk}").json()["count"] == 1
    assert client.get(API + "/?region=433124110").json()["count"] == 23
    assert problem(client.get(API + "/?status=done"), 422)["errors"][0]["field"] == "status"


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(client, county_official, organization):
    MatchFactory.create_batch(3, demand__region_id="433124110226", organization=organization)
    as_user(client, county_official)
    client.get(API + "/")
    with CaptureQueriesContext(connection) as small:
        assert client.get(API + "/").status_code == 200
    MatchFactory.create_batch(15, demand__region_id="433124110226", organization=organization)
    with CaptureQueriesContext(connection) as large:
        assert client.get(API + "/").json()["count"] == 18
    assert len(large) == len(small) <= 8


@pytest.mark.django_db
def test_success_rate_endpoint(client, county_official, other_county_official, organization):
    today = timezone.localdate()
    done = DemandFactory()
    MatchFactory(demand=done, organization=organization, status="completed")
    DemandFactory()
    DemandFactory(status=Demand.Status.SUBMITTED)  # never published: not counted
    as_user(client, county_official)
    body = client.get(f"{API}/success-rate?region=433124000000&start={today - timedelta(days=1)}&end={today}").json()
    assert body["published_demands"] == 2 and body["completed_matches"] == 1 and body["rate"] == 0.5
    problem(as_user(client, other_county_official).get(f"{API}/success-rate?region=433124000000"), 404)


@pytest.mark.django_db
def test_duplicates_endpoint(client, county_official, other_county_official, organization):
    demand = DemandFactory()
    MatchFactory(demand=demand, organization=organization, status="confirmed")
    MatchFactory(demand=DemandFactory(), organization=OrganizationFactory(), status="in_progress")
    groups = as_user(client, county_official).get(f"{API}/duplicates?county=433124000000").json()
    assert len(groups) == 1 and groups[0]["domain_code"] == "education" and groups[0]["organizations"] == 2
    problem(as_user(client, other_county_official).get(f"{API}/duplicates?county=433124000000"), 404)
