import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory

ROLES_IN_SCOPE = ["platform_admin", "county_official", "village_submitter", "org_admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES_IN_SCOPE)
def test_list_and_detail_render_per_role(client, request, role, published_demand, offer, village_submitter):
    match = MatchFactory(demand=published_demand, organization=offer.organization, offer=offer, origin="order")
    client.force_login(request.getfixturevalue(role))
    listing = client.get(reverse("matching:list"))
    assert listing.status_code == 200 and match.number in listing.content.decode()
    page = client.get(reverse("matching:detail", args=[match.pk])).content.decode()
    assert published_demand.title in page and "需求覆盖情况" in page
    accept_url = reverse("matching:action", args=[match.pk, "accept"])
    assert (accept_url in page) == (role == "org_admin")
    if role in ("county_official", "village_submitter"):
        assert "对接成功率" in listing.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_county_official", "other_org_admin"])
def test_out_of_scope_pages_are_404(client, request, role, published_demand, organization):
    match = MatchFactory(demand=published_demand, organization=organization)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("matching:detail", args=[match.pk])).status_code == 404
    assert client.post(reverse("matching:action", args=[match.pk, "accept"])).status_code == 404
    assert match.number not in client.get(reverse("matching:list")).content.decode()


@pytest.mark.django_db
def test_order_page_lists_covering_offers_and_creates_a_match(client, village_submitter, published_demand, offer):
    client.force_login(village_submitter)
    url = reverse("matching:order", args=[published_demand.pk])
    page = client.get(url).content.decode()
    assert offer.title in page
    bad = client.post(url, {"offer": offer.pk, "committed_amount": "40000", "people_to_serve": "10"})
    assert bad.status_code == 200 and "剩余资金缺口" in bad.content.decode()
    assert not Match.objects.exists()
    done = client.post(url, {"offer": offer.pk, "committed_amount": "20000", "people_to_serve": "10"})
    match = Match.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("matching:detail", args=[match.pk])
    assert match.origin == "order" and match.committed_amount == 20000


@pytest.mark.django_db
def test_order_page_is_404_for_organizations_and_other_counties(
    client, org_admin, other_county_official, published_demand
):
    for user in (org_admin, other_county_official):
        client.force_login(user)
        assert client.get(reverse("matching:order", args=[published_demand.pk])).status_code == 404


@pytest.mark.django_db
def test_take_page_then_accept_by_the_village(client, org_admin, village_submitter, published_demand, offer):
    client.force_login(org_admin)
    url = reverse("matching:take", args=[published_demand.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"organization": offer.organization_id, "offer": offer.pk, "committed_amount": "5000", "people_to_serve": "5"},
    )
    match = Match.objects.get()
    assert response.status_code == 302 and match.origin == "take" and match.offer == offer
    client.force_login(village_submitter)
    client.post(reverse("matching:action", args=[match.pk, "accept"]), {"version": match.version})
    match.refresh_from_db()
    assert match.status == "accepted"
    client.post(reverse("matching:action", args=[match.pk, "cancel"]), {"reason": ""})
    match.refresh_from_db()
    assert match.status == "accepted"  # a reason is required


@pytest.mark.django_db
def test_demand_page_shows_coverage_and_links(client, county_official, org_admin, published_demand, organization):
    MatchFactory(demand=published_demand, organization=organization, committed_amount="12000")
    client.force_login(county_official)
    page = client.get(reverse("matching:demand", args=[published_demand.pk])).content.decode()
    assert "12000.00 元" in page and "18000.00 元" in page
    assert reverse("matching:order", args=[published_demand.pk]) in page
    client.force_login(org_admin)
    page = client.get(reverse("matching:demand", args=[published_demand.pk])).content.decode()
    assert reverse("matching:take", args=[published_demand.pk]) in page


@pytest.mark.django_db
def test_activity_complete_evaluate_pages(client, org_admin, village_submitter, published_demand, organization):
    match = MatchFactory(demand=published_demand, organization=organization, status="in_progress")
    client.force_login(org_admin)
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    png.name = "现场.png"
    response = client.post(
        reverse("matching:activity", args=[match.pk]),
        {"date": "2020-01-01", "title": "课后辅导", "people_served": "20", "amount_spent": "300", "photos": [png]},
    )
    assert response.status_code == 302, response.content.decode()
    detail = client.get(reverse("matching:detail", args=[match.pk])).content.decode()
    assert "课后辅导" in detail and "现场.png" in detail
    client.post(reverse("matching:complete", args=[match.pk]), {"report": "全部完成"})
    client.force_login(village_submitter)
    client.post(reverse("matching:evaluate", args=[match.pk]), {"score": "5", "comment": "好"})
    match.refresh_from_db()
    assert match.status == "evaluated"


@pytest.mark.django_db
def test_export_is_scoped(client, county_official, organization):
    ours = MatchFactory(demand=DemandFactory(), organization=organization)
    MatchFactory(demand=DemandFactory(region_id="433123000000"), organization=organization)
    client.force_login(county_official)
    response = client.get(reverse("matching:export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "对接编号" and [r[0] for r in rows[1:]] == [ours.number]


@pytest.mark.django_db
def test_duplicates_page(client, county_official, other_county_official, organization):
    demand = DemandFactory()
    MatchFactory(demand=demand, organization=organization, status="confirmed")
    MatchFactory(demand=DemandFactory(), status="confirmed")
    client.force_login(county_official)
    page = client.get(reverse("matching:duplicates")).content.decode()
    assert "教育" in page and demand.title in page
    client.force_login(other_county_official)
    assert client.get(reverse("matching:duplicates") + "?county=433124000000").status_code == 404


@pytest.mark.django_db
def test_demand_libraries_show_the_match_success_rate(client, county_official):
    from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory

    done = DemandFactory()
    MatchFactory(demand=done, status="completed")
    DemandFactory()
    client.force_login(county_official)
    page = client.get("/demands/").content.decode()
    assert "对接成功率" in page and "50.0%" in page
    client.logout()
    assert "对接成功率" in client.get("/demands/public/").content.decode()
