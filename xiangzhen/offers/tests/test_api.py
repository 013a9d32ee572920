import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from xiangzhen.core.models import Domain
from xiangzhen.offers.models import Offer
from xiangzhen.offers.tests.factories import OfferFactory

API = "/api/v1/offers"
HUAYUAN, SHIBADONG = "433124000000", "433124110226"
YEAR = timezone.localdate().year


def as_user(client, user):
    client.force_login(user)
    return client


def payload(organization, **overrides):
    body = {
        "organization_id": organization.pk,
        "title": "农村留守儿童课后辅导",
        "description": "每周三次课后辅导",
        "domains": ["education"],
        "beneficiary_groups": ["left_behind_children"],
        "service_regions": [HUAYUAN],
        "capacity_demands": 3,
        "capacity_amount": "20000.50",
        "window_start": timezone.localdate().isoformat(),
        "window_end": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "aid_mode": "relief",
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_create_submit_publish_over_the_api(client, organization, org_admin, county_civil_affairs):
    response = as_user(client, org_admin).post(API + "/", payload(organization), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"GJ-433124-{YEAR}-000001" and body["status"] == "draft"
    assert body["capacity_amount"] == "20000.50" and body["allowed_actions"] == ["submit"]
    assert body["organization"]["contact_name"] == organization.contact_name
    offer_id = body["id"]
    assert client.post(f"{API}/{offer_id}/submit").json()["status"] == "submitted"
    as_user(client, county_civil_affairs)
    response = client.post(f"{API}/{offer_id}/publish?version=2")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"


@pytest.mark.django_db
def test_bad_input_is_problem_json_naming_fields(client, organization, org_admin):
    as_user(client, org_admin)
    response = client.post(
        API + "/",
        payload(organization, capacity_demands="many", window_end="2020-02-30"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"capacity_demands", "window_end"} <= fields
    response = client.post(
        API + "/",
        payload(organization, window_end="2000-01-01", domains=["astrology"]),
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "不能早于开始日期" in errors["window_end"] and "astrology" in errors["domains"]
    assert not Offer.objects.exists()


@pytest.mark.django_db
def test_illegal_transition_and_conflict_are_409(client, submitted_offer, county_civil_affairs, org_admin):
    as_user(client, org_admin)
    response = client.post(f"{API}/{submitted_offer.pk}/submit")
    assert response.status_code == 409 and response.json()["type"].endswith("invalid-transition")
    as_user(client, county_civil_affairs)
    response = client.post(f"{API}/{submitted_offer.pk}/publish?version=99")
    assert response.status_code == 409 and response.json()["type"].endswith("conflict")
    response = client.post(f"{API}/{submitted_offer.pk}/return", {"reason": ""}, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"


@pytest.mark.django_db
def test_out_of_scope_is_404_and_forbidden_is_403(client, submitted_offer, other_org_admin, province_civil_affairs):
    as_user(client, other_org_admin)
    assert client.get(f"{API}/{submitted_offer.pk}").status_code == 404
    assert (
        client.patch(f"{API}/{submitted_offer.pk}", {"title": "x"}, content_type="application/json").status_code == 404
    )
    as_user(client, province_civil_affairs)
    assert client.get(f"{API}/{submitted_offer.pk}").status_code == 200
    assert client.post(f"{API}/{submitted_offer.pk}/publish").status_code == 403


@pytest.mark.django_db
def test_create_for_another_organization_is_404(client, organization, other_org_admin):
    response = as_user(client, other_org_admin).post(API + "/", payload(organization), content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db
def test_patch_published_capacity(client, published_offer, org_admin):
    as_user(client, org_admin)
    response = client.patch(
        f"{API}/{published_offer.pk}", {"capacity_demands": 7, "version": 1}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["capacity_demands"] == 7
    response = client.patch(f"{API}/{published_offer.pk}", {"title": "新名字"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "title"


@pytest.mark.django_db
def test_public_api_needs_no_login_and_hides_the_phone(client, published_offer, submitted_offer):
    assert client.get(API + "/").status_code == 401
    response = client.get(API + "/public")
    assert response.status_code == 200
    body = response.json()
    assert [o["id"] for o in body["items"]] == [published_offer.pk]
    assert "contact_phone" not in body["items"][0] and "contact_phone" not in body["items"][0]["organization"]
    assert published_offer.organization.contact_phone not in response.content.decode()
    assert client.get(f"{API}/public/{published_offer.pk}").status_code == 200
    assert client.get(f"{API}/public/{submitted_offer.pk}").status_code == 404
    export = client.get(API + "/public/export")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [published_offer.number]


@pytest.mark.django_db
def test_public_filters_and_search(client, organization):
    OfferFactory(
        organization=organization, status="published", title="助老服务", description="空巢老人助餐", regions=[SHIBADONG]
    )
    OfferFactory(organization=organization, status="published", title="留守儿童陪伴", nationwide=True)
    body = client.get(API + "/public?q=留守儿童").json()
    assert [o["title"] for o in body["items"]] == ["留守儿童陪伴"]
    body = client.get(API + "/public?covers=433124110226").json()
    assert sorted(o["title"] for o in body["items"]) == ["助老服务", "留守儿童陪伴"]
    response = client.get(API + "/public?aid_mode=gift")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "aid_mode"


@pytest.mark.django_db
def test_scoped_export(client, organization, org_admin, draft_offer):
    response = as_user(client, org_admin).get(API + "/export")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == draft_offer.number and rows[0][13] == "草稿"


@pytest.mark.django_db
def test_upload_attachment(client, draft_offer, org_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = as_user(client, org_admin).post(
        f"{API}/{draft_offer.pk}/attachments", {"files": [SimpleUploadedFile("a.png", png)]}
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["original_name"] == "a.png"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/public"])
def test_list_query_count_does_not_grow(
    client, province_civil_affairs, organization, path, django_assert_max_num_queries
):
    domains = [d.code for d in Domain.objects.all()[:3]]
    for _ in range(20):
        OfferFactory(
            organization=organization, status="published", domains=domains, groups=["left_behind_children"],
            regions=[HUAYUAN, SHIBADONG],
        )  # fmt: skip
    as_user(client, province_civil_affairs)
    client.get(API + path)  # warm the session
    with django_assert_max_num_queries(8):
        body = client.get(API + path + "?domain=" + domains[0]).json()
    assert body["count"] == 20 and len(body["items"][0]["domains"]) == 3
    assert len(body["items"][0]["service_regions"]) == 2
