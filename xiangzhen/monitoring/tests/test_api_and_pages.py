import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiangzhen.accounts.models import User
from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.core.models import AuditEntry
from xiangzhen.demands.models import Demand
from xiangzhen.monitoring.tests.factories import (
    HEAD_ID,
    HEAD_NAME,
    HEAD_PHONE,
    MEMBER_ID,
    MEMBER_NAME,
    SHIBADONG,
    grant,
    make_household,
)
from xiangzhen.monitoring.validation import with_check_digit
from xiangzhen.regions.models import Designation, Region

API = "/api/v1/monitoring"
SECRETS = (HEAD_NAME, HEAD_ID, HEAD_PHONE, MEMBER_NAME, MEMBER_ID)
WRONG_ID = HEAD_ID[:17] + ("1" if HEAD_ID[17] != "1" else "2")
MASKED_ID = HEAD_ID[:4] + "*" * 10 + HEAD_ID[-4:]

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    if "spreadsheetml" in response["Content-Type"]:
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(str(v) for s in workbook.worksheets for row in s.iter_rows(values_only=True) for v in row)
    return response.content.decode()


def assert_masked(response) -> None:
    assert response.status_code == 200, response.status_code
    text = text_of(response)
    for secret in SECRETS:
        assert secret not in text, secret


def test_api_create_and_detail_masks_unless_revealed(client, county_official):
    client.force_login(county_official)
    body = {
        "village_code": SHIBADONG,
        "category": "unstable",
        "head_name": HEAD_NAME,
        "head_id_number": HEAD_ID,
        "phone": HEAD_PHONE,
        "risks": ["illness"],
        "income_per_capita": "4800",
        "identified_on": "2026-01-05",
    }
    created = client.post(f"{API}/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["head_id_number"] == MASKED_ID and created.json()["head_name"] == "龙**"
    pk = created.json()["id"]
    member = {"name": MEMBER_NAME, "id_number": MEMBER_ID, "relation": "子女"}
    assert client.post(f"{API}/{pk}/members", member, content_type="application/json").status_code == 201
    assert_masked(client.get(f"{API}/{pk}"))
    assert_masked(client.get(f"{API}/"))
    assert_masked(client.get(f"{API}/export"))
    assert not AuditEntry.objects.filter(action="monitoring.view_personal").exists()
    full = client.get(f"{API}/{pk}?reveal=true").json()["personal"]
    assert (full["head_name"], full["head_id_number"], full["phone"]) == (HEAD_NAME, HEAD_ID, HEAD_PHONE)
    assert full["members"][0]["id_number"] == MEMBER_ID and not full["masked"]
    assert AuditEntry.objects.filter(action="monitoring.view_personal", actor=county_official).count() == 1
    bad = client.post(f"{API}/", body | {"head_id_number": WRONG_ID}, content_type="application/json")
    assert bad.status_code == 422 and "校验码" in bad.content.decode()


@pytest.mark.parametrize(
    "role",
    ["platform_admin", "province_rural_revitalization", "city_civil_affairs", "county_civil_affairs",
     "village_submitter", "org_admin"],
)  # fmt: skip
def test_who_sees_masked_only(request, client, county_official, organization, role):
    household = make_household(county_official)
    grant(county_official, household, organization)
    user = request.getfixturevalue(role)
    client.force_login(user)
    for url in (f"{API}/", f"{API}/export", f"{API}/{household.pk}", reverse("monitoring:list"),
                reverse("monitoring:export"), reverse("monitoring:detail", args=[household.pk])):  # fmt: skip
        response = client.get(url)
        assert_masked(response)
        if "spreadsheetml" not in response["Content-Type"]:
            assert household.number in text_of(response), url
    assert client.get(f"{API}/{household.pk}?reveal=true").status_code == 403
    assert_masked(client.get(reverse("monitoring:detail", args=[household.pk]) + "?reveal=1"))
    assert not AuditEntry.objects.filter(action="monitoring.view_personal").exists()


def test_out_of_scope_looks_missing(client, county_official, other_county_official, other_org_admin, org_admin):
    household = make_household(county_official)  # not granted to org_admin's organization
    for user in (other_county_official, other_org_admin, org_admin):
        client.force_login(user)
        assert client.get(f"{API}/{household.pk}").status_code == 404
        assert client.get(reverse("monitoring:detail", args=[household.pk])).status_code == 404
        assert household.number not in client.get(f"{API}/").content.decode()


def test_page_reveal_for_county_staff_is_logged(client, county_official):
    household = make_household(county_official)
    client.force_login(county_official)
    page = client.get(reverse("monitoring:detail", args=[household.pk]) + "?reveal=1")
    text = page.content.decode()
    assert HEAD_NAME in text and HEAD_ID in text and MEMBER_ID in text
    assert AuditEntry.objects.filter(action="monitoring.view_personal").count() == 1
    assert_masked(client.get(reverse("monitoring:detail", args=[household.pk])))


def test_anonymous_is_refused(client, county_official):
    household = make_household(county_official)
    assert client.get(f"{API}/").status_code == 401
    assert client.get(f"{API}/{household.pk}").status_code == 401
    for name, args in (("list", []), ("export", []), ("detail", [household.pk]), ("relocation_sites", [])):
        response = client.get(reverse(f"monitoring:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_organization_records_assistance_through_page_and_api(client, county_official, organization, org_admin):
    household = make_household(county_official)
    client.force_login(org_admin)
    body = {"organization_id": organization.pk, "kind": "goods", "what": "冬衣两套", "given_on": "2026-01-10"}
    assert client.post(f"{API}/{household.pk}/assistance", body, content_type="application/json").status_code == 404
    grant(county_official, household, organization)
    created = client.post(f"{API}/{household.pk}/assistance", body, content_type="application/json")
    assert created.status_code == 201, created.content
    page = client.post(
        reverse("monitoring:assistance_add", args=[household.pk]),
        {"organization_id": organization.pk, "kind": "training", "what": "电商培训", "given_on": "2026-01-11",
         "amount": "0"},
    )  # fmt: skip
    assert page.status_code == 302
    assert [a["what"] for a in client.get(f"{API}/{household.pk}/assistance").json()] == ["电商培训", "冬衣两套"]
    client.force_login(county_official)
    assert len(client.get(f"{API}/{household.pk}/assistance").json()) == 2
    assert "冬衣两套" in client.get(reverse("monitoring:detail", args=[household.pk])).content.decode()


def test_county_pages_create_and_close(client, county_official):
    client.force_login(county_official)
    response = client.post(
        reverse("monitoring:create"),
        {"village_code": SHIBADONG, "category": "sudden", "head_name": HEAD_NAME,
         "head_id_number": with_check_digit("43312419600606006"), "risks": ["disaster", "other"],
         "income_per_capita": "3000", "identified_on": "2026-02-01"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "因灾" in detail.content.decode()
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    closed = client.post(
        reverse("monitoring:close", args=[pk]), {"status": "moved_out", "on": "2026-03-01", "reason": "随子女迁居"}
    )
    assert closed.status_code == 302
    listing = client.get(reverse("monitoring:list") + "?status=moved_out").content.decode()
    assert "已迁出" in listing


def test_relocation_site_files_demands_like_any_village(client, county_official, other_county_official):
    site = Region.objects.filter(code__startswith="433124", level="village").exclude(pk=SHIBADONG).first()
    assert site is not None
    Designation.objects.create(region=site, kind=Designation.Kind.RELOCATION_SITE)
    submitter = UserFactory(role=User.Role.SUBMITTER, region_id=site.code, username="site_submitter")
    body = {
        "title": "安置点就业帮扶车间",
        "description": "搬迁群众家门口就业",
        "region_code": site.code,
        "domains": ["industry"],
        "deadline": "2099-12-31",
        "contact_name": "石金",
        "contact_phone": "13974300000",
        "submit": True,
    }
    client.force_login(submitter)
    filed = client.post("/api/v1/demands/", body, content_type="application/json")
    assert filed.status_code == 201, filed.content
    demand = Demand.objects.get(pk=filed.json()["id"])
    assert demand.region_id == site.code and demand.status == Demand.Status.SUBMITTED
    client.force_login(county_official)
    published = client.post(f"/api/v1/demands/{demand.pk}/publish", content_type="application/json")
    assert published.status_code == 200, published.content
    sites = client.get(f"{API}/relocation-sites").json()
    assert [(s["code"], s["demand_count"], s["open_count"], s["county"]) for s in sites] == [
        (site.code, 1, 1, "花垣县")
    ]
    page = client.get(reverse("monitoring:relocation_sites")).content.decode()
    assert site.name in page
    client.force_login(other_county_official)
    assert client.get(f"{API}/relocation-sites").json() == []
