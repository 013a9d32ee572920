import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiangzhen.brands import services
from xiangzhen.brands.tests.factories import matrix_world

pytestmark = pytest.mark.django_db


def sheet_text(response) -> str:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(str(v) for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row)


@pytest.fixture
def world(organization, org_admin):
    return matrix_world(organization, org_admin)


def test_brand_api_create_and_results(client, org_admin, organization):
    client.force_login(org_admin)
    response = client.post(
        "/api/v1/brands/",
        json.dumps(
            {"organization_id": organization.pk, "name": "接口品牌", "description": "简介", "started_year": 2018}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["activities"] == 0 and body["organization_name"] == organization.name
    assert "contact_phone" not in body


def test_brand_list_needs_no_query_per_row(world, organization, org_admin, django_assert_max_num_queries):
    for n in range(3):
        services.create_brand(
            actor=org_admin, organization=organization,
            data=services.BrandData(name=f"品牌{n}", description="x", started_year=2020),
        )  # fmt: skip
    from xiangzhen.brands import figures, selectors

    with django_assert_max_num_queries(3):
        rows = list(selectors.public_brands())
        assert [figures.brand_results(b).activities for b in rows] == [0, 0, 0, 0]


def test_public_pages_hide_contacts(client, world, organization):
    for url in (
        reverse("brands:public_detail", args=[world["brand_id"]]),
        reverse("brands:case_public_detail", args=[world["case_id"]]),
        reverse("brands:public"),
        reverse("brands:case_public"),
    ):
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 200, url
        assert organization.name in text
        assert organization.contact_phone not in text and organization.contact_name not in text
    case = client.get(f"/api/v1/brands/cases/public/{world['case_id']}").json()
    assert case["figures"]["scope"] == "organization" and "created_by" not in case
    assert "矩阵表彰" in client.get(reverse("brands:public_detail", args=[world["brand_id"]])).content.decode()


def test_case_review_page_and_withdraw(client, world, city_civil_affairs):
    client.force_login(city_civil_affairs)
    url = reverse("brands:case_review", args=[world["case_id"]])
    page = client.get(url)
    assert page.status_code == 200 and "撤下" in page.content.decode()
    refused = client.post(url, {"action": "withdraw", "reason": "", "version": 3})
    assert refused.status_code == 200  # a reason is required: the form comes back
    done = client.post(url, {"action": "withdraw", "reason": "数据待核实", "version": 3})
    assert done.status_code == 302
    assert client.get(reverse("brands:case_public_detail", args=[world["case_id"]])).status_code == 404


def test_commendation_list_export_and_organization_page(client, world, county_civil_affairs, organization):
    client.force_login(county_civil_affairs)
    listed = client.get("/api/v1/brands/commendations?q=矩阵").json()
    assert listed["count"] == 1 and listed["items"][0]["document_number"] == ""
    assert "矩阵表彰" in sheet_text(client.get(reverse("brands:commendation_export")))
    page = client.get(reverse("brands:organization", args=[organization.pk])).content.decode()
    assert "矩阵表彰" in page and "矩阵品牌" in page and "矩阵案例" in page
    on_org = client.get(f"/api/v1/brands/organizations/{organization.pk}/commendations").json()
    assert [c["title"] for c in on_org] == ["矩阵表彰"]


def test_case_create_page(client, county_civil_affairs, organization):
    client.force_login(county_civil_affairs)
    url = reverse("brands:case_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "页面案例", "organization_id": organization.pk, "summary": "摘要", "body": "正文"}
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "页面案例" in detail and "开展活动" in detail


def test_out_of_scope_is_404(client, world, other_county_official):
    client.force_login(other_county_official)
    assert client.get(f"/api/v1/brands/{world['brand_id']}").status_code == 404
    assert client.get(f"/api/v1/brands/cases/{world['case_id']}").status_code == 404
    assert client.get(reverse("brands:commendation_edit", args=[world["commendation_id"]])).status_code == 404
