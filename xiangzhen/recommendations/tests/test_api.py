"""The API and pages: scope (404 like missing), accepting a recommendation, weights."""

import pytest

from xiangzhen.core.models import AuditEntry
from xiangzhen.demands.models import Demand
from xiangzhen.matching import services as matching_services
from xiangzhen.matching.models import Match
from xiangzhen.matching.services import Commitment
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.recommendations.models import MatchingWeights
from xiangzhen.recommendations.tests.conftest import HUNAN, make_demand, make_offer

API = "/api/v1/recommendations"
pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def test_demand_recommendations_over_the_api(client, county_official, demand):
    offer = make_offer(organization=OrganizationFactory(rating="4A", rating_year=2025))
    data = as_user(client, county_official).get(f"{API}/demands/{demand.pk}").json()
    (row,) = data["offers"]
    assert row["offer_id"] == offer.pk
    assert "同县" in row["chips"] and "4A 级" in row["chips"]
    assert {f["code"] for f in row["features"]} >= {"geography", "text_similarity", "tilt_key_county"}


def test_organizations_with_a_record_but_no_fitting_offer_are_listed_apart(client, county_official, demand):
    from xiangzhen.matching.tests.factories import MatchFactory

    veteran = OrganizationFactory(name="花垣县老牌助学会")
    done = make_demand(entered_by=demand.entered_by, status=Demand.Status.COMPLETED)
    MatchFactory(demand=done, organization=veteran, status=Match.Status.COMPLETED)
    data = as_user(client, county_official).get(f"{API}/demands/{demand.pk}").json()
    assert data["organizations"] == [
        {"organization_id": veteran.pk, "organization_name": "花垣县老牌助学会", "completed_in_county": 1}
    ]


def test_out_of_scope_records_answer_404(client, other_county_official, other_org_admin, village_submitter):
    draft = make_demand(entered_by=village_submitter, status=Demand.Status.SUBMITTED)
    assert as_user(client, other_county_official).get(f"{API}/demands/{draft.pk}").status_code == 404
    assert client.get(f"{API}/demands/999999").status_code == 404
    hidden = make_offer(status="draft")
    assert as_user(client, other_org_admin).get(f"{API}/offers/{hidden.pk}").status_code == 404
    assert client.get(f"{API}/organizations/{hidden.organization_id}").status_code == 404
    assert as_user(client, other_county_official).get(f"/recommendations/demand/{draft.pk}/").status_code == 404


def test_offer_and_organization_recommend_published_demands(client, org_admin, organization, demand):
    offer = make_offer(organization=organization)
    as_user(client, org_admin)
    (row,) = client.get(f"{API}/offers/{offer.pk}").json()["demands"]
    assert row["demand_id"] == demand.pk
    (row,) = client.get(f"{API}/organizations/{organization.pk}").json()["demands"]
    assert (row["demand_id"], row["offer_id"]) == (demand.pk, offer.pk)
    page = client.get(f"/recommendations/organization/{organization.pk}/")
    assert page.status_code == 200
    assert "同县" in page.content.decode() and "采纳推荐" in page.content.decode()


def test_demand_side_accepts_a_recommendation_like_an_order(client, village_submitter, org_admin, organization, demand):
    offer = make_offer(organization=organization)
    body = {"demand_id": demand.pk, "offer_id": offer.pk, "committed_amount": "10000", "people_to_serve": 30}
    created = as_user(client, village_submitter).post(f"{API}/accept", body, content_type="application/json")
    assert created.status_code == 201, created.content
    match = Match.objects.get(pk=created.json()["id"])
    assert (match.origin, match.status, match.offer_id) == ("recommendation", "proposed", offer.pk)
    # The organization answers, as for 点单.
    matching_services.accept_match(actor=org_admin, match=match)
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACCEPTED


def test_organization_accepts_a_recommendation_like_a_take(client, org_admin, organization, county_official, demand):
    offer = make_offer(organization=organization)
    body = {"demand_id": demand.pk, "offer_id": offer.pk, "committed_amount": "5000"}
    created = as_user(client, org_admin).post(f"{API}/accept", body, content_type="application/json")
    assert created.status_code == 201, created.content
    match = Match.objects.get(pk=created.json()["id"])
    assert match.origin == Match.Origin.RECOMMENDATION
    with pytest.raises(Exception, match="只有"):
        matching_services.accept_match(actor=org_admin, match=match)
    matching_services.accept_match(actor=county_official, match=match)
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACCEPTED


def test_accept_page_posts_create_a_match_and_someone_else_is_refused(
    client, village_submitter, other_org_admin, demand
):
    offer = make_offer()
    response = as_user(client, village_submitter).post(
        "/recommendations/accept/", {"demand_id": demand.pk, "offer_id": offer.pk, "committed_amount": "100"}
    )
    match = Match.objects.get()
    assert response.status_code == 302 and match.origin == "recommendation"
    other = make_demand(entered_by=village_submitter)
    refused = as_user(client, other_org_admin).post(
        f"{API}/accept", {"demand_id": other.pk, "offer_id": offer.pk}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_match_services_refuse_a_foreign_origin(village_submitter, demand):
    offer = make_offer()
    with pytest.raises(Exception, match="对接方式"):
        matching_services.order_offer(
            actor=village_submitter, demand=demand, offer=offer, commitment=Commitment(), origin="take"
        )


def test_province_staff_change_their_provinces_weights_audited(client, province_rural_revitalization):
    as_user(client, province_rural_revitalization)
    response = client.put(
        f"{API}/weights", {"province_code": "43", "weights": {"geography": 3.5}}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["weights"]["geography"] == 3.5 and response.json()["own_row"]
    assert MatchingWeights.objects.get(region_id=HUNAN).geography == 3.5
    assert AuditEntry.objects.filter(action="recommendations.update_weights").count() == 1
    assert client.get(f"{API}/weights?province=43").json()["weights"]["geography"] == 3.5


def test_weights_are_validated_with_chinese_messages_naming_the_field(client, province_rural_revitalization):
    as_user(client, province_rural_revitalization)
    bad = client.put(
        f"{API}/weights", {"province_code": "43", "weights": {"tilt": 11}}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "优先倾斜强度" in bad.json()["detail"] and "0 到 10" in bad.json()["detail"]
    other = client.put(
        f"{API}/weights", {"province_code": "11", "weights": {"tilt": 1}}, content_type="application/json"
    )
    assert other.status_code == 403
    national = client.put(f"{API}/weights", {"weights": {"tilt": 1}}, content_type="application/json")
    assert national.status_code == 403


def test_weights_page_for_province_staff_and_admin(
    client, province_rural_revitalization, platform_admin, county_official
):
    page = as_user(client, province_rural_revitalization).get("/recommendations/weights/")
    assert page.status_code == 200 and "地域就近" in page.content.decode()
    saved = client.post("/recommendations/weights/", {"province": HUNAN, "geography": "4", "tilt": "2"})
    assert saved.status_code == 302
    assert MatchingWeights.objects.get(region_id=HUNAN).tilt == 2
    assert (
        as_user(client, platform_admin).post("/recommendations/weights/", {"province": "", "tilt": "3"}).status_code
        == 302
    )
    assert MatchingWeights.objects.get(region__isnull=True).tilt == 3
    assert (
        as_user(client, county_official).post("/recommendations/weights/", {"province": "110000000000"}).status_code
        == 404
    )


def test_demand_and_offer_pages_show_the_recommendations(client, county_official, org_admin, organization, demand):
    offer = make_offer(organization=organization)
    page = as_user(client, county_official).get(f"/demands/{demand.pk}/")
    assert page.status_code == 200 and "推荐" in page.content.decode() and offer.title in page.content.decode()
    page = as_user(client, org_admin).get(f"/offers/{offer.pk}/")
    assert page.status_code == 200 and demand.title in page.content.decode()
