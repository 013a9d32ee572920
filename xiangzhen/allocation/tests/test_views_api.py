import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiangzhen.allocation import services
from xiangzhen.allocation.models import ProposalItem
from xiangzhen.allocation.tests.conftest import HUNAN, XIANGXI
from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, published_offer
from xiangzhen.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/allocation"


def test_page_runs_a_proposal_and_shows_it_side_by_side_with_greedy(
    client, province_rural_revitalization, world, crafted_scores
):
    client.force_login(province_rural_revitalization)
    page = client.get("/allocation/")
    assert page.status_code == 200 and "生成推荐方案" in page.content.decode()
    response = client.post("/allocation/", {"region_code": HUNAN}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "先到先得接单" in html and "8.50" in html and "5.50" in html
    assert "重点帮扶县" in html and "确认" in html and "放弃" in html


def test_page_confirm_and_drop(client, province_rural_revitalization, world, crafted_scores):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    first, second = run.items.order_by("pk")
    client.force_login(province_rural_revitalization)
    client.post(f"/allocation/items/{first.pk}/confirm/")
    client.post(f"/allocation/items/{second.pk}/drop/", {"reason": "需求方另有安排"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ProposalItem.Status.CONFIRMED and first.match.origin == Match.Origin.RECOMMENDATION
    assert second.status == ProposalItem.Status.DROPPED


def test_pages_are_404_for_other_roles_and_out_of_scope(
    client, province_rural_revitalization, county_official, org_admin, world, crafted_scores
):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    item = run.items.first()
    for user in (county_official, org_admin):
        client.force_login(user)
        assert client.get("/allocation/").status_code == 404
        assert client.get(f"/allocation/runs/{run.pk}/").status_code == 404
        assert client.post(f"/allocation/items/{item.pk}/confirm/").status_code == 404
    item.refresh_from_db()
    assert item.status == ProposalItem.Status.PROPOSED


def test_city_staff_do_not_see_the_provinces_run(client, province_rural_revitalization, city_civil_affairs, world,
                                                 crafted_scores):  # fmt: skip
    province_run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    client.force_login(city_civil_affairs)
    assert client.get(f"/allocation/runs/{province_run.pk}/").status_code == 404
    assert client.get(f"{API}/runs/{province_run.pk}").status_code == 404
    assert client.get(f"{API}/runs").json() == []


def test_api_create_list_detail_confirm_drop(client, city_civil_affairs, world, crafted_scores):
    client.force_login(city_civil_affairs)
    created = client.post(f"{API}/runs", {"region_code": XIANGXI}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["region_code"] == XIANGXI and body["total_score"] == pytest.approx(8.5)
    assert body["greedy_total_score"] == pytest.approx(5.5) and len(body["items"]) == 2
    assert [r["id"] for r in client.get(f"{API}/runs").json()] == [body["id"]]
    assert client.get(f"{API}/runs/{body['id']}").json()["items"] == body["items"]
    first, second = body["items"]
    confirmed = client.post(f"{API}/items/{first['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["match_number"].startswith("DJ-")
    dropped = client.post(f"{API}/items/{second['id']}/drop", {"reason": "重复"}, content_type="application/json")
    assert dropped.json()["status"] == "dropped"
    again = client.post(f"{API}/items/{second['id']}/drop", {"reason": "重复"}, content_type="application/json")
    assert again.status_code == 409


def test_api_out_of_scope_is_404(client, province_rural_revitalization, other_county_official, world, crafted_scores):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    client.force_login(other_county_official)
    assert client.get(f"{API}/runs/{run.pk}").status_code == 404
    assert client.post(f"{API}/items/{run.items.first().pk}/confirm").status_code == 404
    assert client.post(f"{API}/runs", {"region_code": HUNAN}, content_type="application/json").status_code == 404


def _grow(world, extra):
    """More demands and offers in the same county, so a longer item table."""
    organization = world["x"].organization
    for i in range(extra):
        DemandFactory(entered_by=world["a"].entered_by, title=f"丙村需求{i}")
        published_offer(OrganizationFactory(), world["x"].created_by, title=f"补充供给{i}", capacity_demands=1)
    return organization


def test_run_detail_query_count_does_not_grow_with_items(client, province_rural_revitalization, world):
    client.force_login(province_rural_revitalization)
    small = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    # Warm the per-process caches (content types, the session) so both counts are steady state.
    client.get(f"/allocation/runs/{small.pk}/")
    client.get(f"{API}/runs/{small.pk}")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/allocation/runs/{small.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as few_api:
        assert client.get(f"{API}/runs/{small.pk}").status_code == 200
    _grow(world, 6)
    big = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    assert big.items.count() > small.items.count() + 4
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/allocation/runs/{big.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as many_api:
        assert client.get(f"{API}/runs/{big.pk}").status_code == 200
    assert len(many) == len(few) <= 12
    assert len(many_api) == len(few_api) <= 8


def test_page_and_api_take_a_minimum_key_county_share(client, city_civil_affairs, world, crafted_scores):
    client.force_login(city_civil_affairs)
    response = client.post("/allocation/", {"region_code": XIANGXI, "min_key_county_share": "100"}, follow=True)
    assert response.status_code == 200
    assert "最低覆盖 100%" in response.content.decode()
    created = client.post(
        f"{API}/runs", {"region_code": XIANGXI, "min_key_county_share": 50}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["min_key_county_share"] == 50
    refused = client.post(
        f"{API}/runs", {"region_code": XIANGXI, "min_key_county_share": 150}, content_type="application/json"
    )
    assert refused.status_code in (400, 422)
    bad = client.post("/allocation/", {"region_code": XIANGXI, "min_key_county_share": "abc"}, follow=True)
    assert "重点帮扶县最低覆盖比例应为" in bad.content.decode()
