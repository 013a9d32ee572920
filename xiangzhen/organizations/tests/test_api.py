import io

import pytest
from openpyxl import load_workbook

from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.organizations.tests.factories import OrganizationFactory, credit_code_for

API = "/api/v1/organizations"
HUAYUAN, FENGHUANG, XIANGXI = "433124000000", "433123000000", "433100000000"


def as_user(client, user):
    client.force_login(user)
    return client


def payload(**overrides):
    body = {
        "name": "花垣县青年创业协会",
        "credit_code": credit_code_for("social_group"),
        "kind": "social_group",
        "region_code": HUAYUAN,
        "registration_authority": "花垣县民政局",
        "contact_name": "麻勇",
        "contact_phone": "13874300000",
        "domains": ["employment_skills"],
        "is_rural_community": True,
        "founder_type": "graduate",
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_list_is_scoped_and_paginated(client, province_civil_affairs, organization, other_org_admin):
    OrganizationFactory.create_batch(25, region_id=HUAYUAN)
    body = as_user(client, province_civil_affairs).get(API + "/").json()
    assert body["count"] == 27 and len(body["items"]) == 20
    assert len(client.get(API + "/?page=2").json()["items"]) == 7


@pytest.mark.django_db
def test_list_filters(client, city_civil_affairs, organization, other_org_admin):
    hub = OrganizationFactory(
        name="湘西州枢纽中心", region_id=XIANGXI, is_hub=True, kind="foundation", rating="5A", rating_year=2024
    )
    as_user(client, city_civil_affairs)

    def names(query):
        response = client.get(API + "/?" + query)
        assert response.status_code == 200, response.content
        return sorted(o["name"] for o in response.json()["items"])

    assert names(f"region={HUAYUAN}") == ["花垣县助农服务中心"]
    assert names("region=4331") == sorted(["花垣县助农服务中心", "凤凰县乡村发展协会", "湘西州枢纽中心"])
    assert names("is_hub=true") == ["湘西州枢纽中心"]
    assert names("kind=social_group") == ["凤凰县乡村发展协会"]
    assert names("rating=5a") == ["湘西州枢纽中心"]
    assert names("q=助农") == ["花垣县助农服务中心"]
    assert names(f"q={hub.credit_code[:10].lower()}") == ["湘西州枢纽中心"]
    assert names("status=submitted") == []
    hub.domains.add(*__import__("xiangzhen.core.models", fromlist=["Domain"]).Domain.objects.filter(code="health"))
    assert names("domain=health") == ["湘西州枢纽中心"]


@pytest.mark.django_db
def test_bad_filter_is_a_problem_naming_the_field(client, county_official):
    response = as_user(client, county_official).get(API + "/?kind=company")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "kind"


@pytest.mark.django_db
def test_detail_out_of_scope_is_404_like_missing(client, other_county_official, organization):
    as_user(client, other_county_official)
    hidden = client.get(f"{API}/{organization.pk}")
    missing = client.get(f"{API}/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert (
        client.post(f"{API}/{organization.pk}/suspend", {"reason": "x"}, content_type="application/json").status_code
        == 404
    )


@pytest.mark.django_db
def test_detail_fields(client, county_official, organization):
    body = as_user(client, county_official).get(f"{API}/{organization.pk}").json()
    assert body["credit_code"] == organization.credit_code
    assert body["region_code"] == HUAYUAN and "花垣县" in body["region_name"]
    assert body["status_label"] == "已通过" and body["kind_label"] == "社会服务机构"


@pytest.mark.django_db
def test_org_user_registers_through_api(client, org_admin):
    response = as_user(client, org_admin).post(API + "/", payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["domains"] == ["employment_skills"]
    assert Membership.objects.get(organization_id=body["id"]).user == org_admin


@pytest.mark.django_db
def test_validation_problem_has_chinese_field_messages(client, org_admin):
    bad = payload(credit_code="51433124MJ00000100", contact_phone="888")
    response = as_user(client, org_admin).post(API + "/", bad, content_type="application/json")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/validation") and problem["status"] == 422 and problem["title"] == "数据校验未通过"
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(fields) == {"credit_code", "contact_phone"}
    assert fields["credit_code"].startswith("统一社会信用代码校验位错误")
    assert "联系电话“888”格式不正确" in fields["contact_phone"]


@pytest.mark.django_db
def test_missing_field_problem(client, org_admin):
    body = payload()
    del body["name"]
    response = as_user(client, org_admin).post(API + "/", body, content_type="application/json")
    assert response.status_code == 422
    assert {"field": "name", "message": "“name”为必填项"} in response.json()["errors"]


@pytest.mark.django_db
def test_staff_cannot_post(client, county_civil_affairs):
    response = as_user(client, county_civil_affairs).post(API + "/", payload(), content_type="application/json")
    assert response.status_code == 403 and response.json()["type"].endswith("/forbidden")


@pytest.mark.django_db
def test_review_flow_over_api(client, county_civil_affairs, org_admin, organization):
    Organization.objects.filter(pk=organization.pk).update(status="submitted")
    reviewer = as_user(client, county_civil_affairs)
    no_reason = reviewer.post(f"{API}/{organization.pk}/return", {"reason": ""}, content_type="application/json")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    returned = reviewer.post(
        f"{API}/{organization.pk}/return", {"reason": "请补充地址"}, content_type="application/json"
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    again = reviewer.post(f"{API}/{organization.pk}/approve")
    assert again.status_code == 409 and again.json()["type"].endswith("/invalid-transition")
    assert "不能执行“审核通过”" in again.json()["detail"]

    admin = as_user(client, org_admin)
    patched = admin.patch(
        f"{API}/{organization.pk}", {"address": "花垣镇 1 号", "version": 2}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["version"] == 3
    stale = admin.patch(f"{API}/{organization.pk}", {"address": "x", "version": 2}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["type"].endswith("/conflict")
    assert admin.post(f"{API}/{organization.pk}/resubmit?version=3").json()["status"] == "submitted"

    approved = as_user(client, county_civil_affairs).post(f"{API}/{organization.pk}/approve")
    assert approved.json()["status"] == "approved"


@pytest.mark.django_db
def test_wrong_level_reviewer_gets_403(client, city_civil_affairs, organization):
    Organization.objects.filter(pk=organization.pk).update(status="submitted")
    response = as_user(client, city_civil_affairs).post(f"{API}/{organization.pk}/approve")
    assert response.status_code == 403


@pytest.mark.django_db
def test_members_and_invitations_api(client, org_admin, organization):
    as_user(client, org_admin)
    members = client.get(f"{API}/{organization.pk}/members").json()
    assert [m["username"] for m in members] == ["org_admin"]
    demote = client.patch(
        f"{API}/{organization.pk}/members/{members[0]['id']}", {"role": "member"}, content_type="application/json"
    )
    assert demote.status_code == 422 and demote.json()["errors"][0]["field"] == "role"
    created = client.post(
        f"{API}/{organization.pk}/invitations",
        {"full_name": "李四", "email": "li@example.com"},
        content_type="application/json",
    )
    assert created.status_code == 201 and "token_hash" not in created.json()
    listed = client.get(f"{API}/{organization.pk}/invitations").json()
    revoked = client.post(f"{API}/{organization.pk}/invitations/{listed[0]['id']}/revoke")
    assert revoked.json()["revoked_at"] is not None


@pytest.mark.django_db
def test_export_api_returns_filtered_xlsx(client, province_civil_affairs, organization, other_org_admin):
    response = as_user(client, province_civil_affairs).get(API + f"/export?region={FENGHUANG}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["凤凰县乡村发展协会"]


@pytest.mark.django_db
def test_list_api_query_count_does_not_grow(client, province_civil_affairs, django_assert_max_num_queries):
    from xiangzhen.core.models import Domain

    domains = list(Domain.objects.all()[:3])
    for organization in OrganizationFactory.create_batch(20):
        organization.domains.set(domains)
    as_user(client, province_civil_affairs)
    client.get(API + "/")  # warm the session
    with django_assert_max_num_queries(6):
        body = client.get(API + "/?domain=" + domains[0].code).json()
    assert body["count"] == 20 and len(body["items"][0]["domains"]) == 3


@pytest.mark.django_db
def test_anonymous_api_is_401(client, organization):
    assert client.get(API + "/").status_code == 401
