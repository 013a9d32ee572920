"""API wiring and pages: propose → confirm → progress → review, filters, exports, query counts."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory
from xiangzhen.pairings.models import Pairing
from xiangzhen.pairings.tests.factories import (
    FENGHUANG_VILLAGE,
    SHIBADONG,
    active,
    proposed,
    purchase,
)
from xiangzhen.regions.models import Designation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_api_propose_confirm_and_progress(client, organization, org_admin, county_official):
    client.force_login(org_admin)
    body = {
        "organization_id": organization.pk, "region_code": SHIBADONG, "start_date": str(TODAY),
        "end_date": str(TODAY + datetime.timedelta(days=365)), "committed_purchases": "1000",
    }  # fmt: skip
    created = post(client, "/api/v1/pairings/", body)
    assert created.status_code == 201, created.content
    pairing = created.json()
    assert pairing["status"] == "proposed" and pairing["allowed_actions"] == ["confirm", "return", "withdraw"]
    assert post(client, f"/api/v1/pairings/{pairing['id']}/confirm").status_code == 403
    client.force_login(county_official)
    confirmed = post(client, f"/api/v1/pairings/{pairing['id']}/confirm", {"version": pairing["version"]}).json()
    assert confirmed["status"] == "active"
    purchase(organization, org_admin, SHIBADONG, "250", TODAY)
    detail = client.get(f"/api/v1/pairings/{pairing['id']}").json()
    purchases = next(f for f in detail["progress"]["figures"] if f["key"] == "purchases")
    assert (purchases["commitment"], purchases["achieved"], purchases["percent"]) == ("1000.00", "250.00", "25.0")
    returned = post(client, f"/api/v1/pairings/{pairing['id']}/return", {"reason": "晚了"})
    assert returned.status_code == 409 and returned["Content-Type"].startswith("application/problem+json")


def test_api_review_cycle(client, organization, org_admin, county_official):
    pairing = active(organization, org_admin, county_official)
    client.force_login(county_official)
    started = post(client, f"/api/v1/pairings/{pairing.pk}/review/start", {"year": TODAY.year}).json()
    assert started["status"] == "under_review" and started["review_year"] == TODAY.year
    missing = post(client, f"/api/v1/pairings/{pairing.pk}/review/conclude", {"assessment": "好", "outcome": "renewed"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "new_end_date"
    new_end = str(pairing.end_date + datetime.timedelta(days=365))
    body = {"assessment": "按期完成", "outcome": "renewed", "new_end_date": new_end}
    done = post(client, f"/api/v1/pairings/{pairing.pk}/review/conclude", body).json()
    assert done["status"] == "active" and done["end_date"] == new_end
    assert done["reviews"][0]["year"] == TODAY.year and done["reviews"][0]["figures"]["year"]["figures"]


def test_api_arrange_by_credit_code(client, organization, county_official, org_admin):
    client.force_login(county_official)
    body = {
        "organization_credit_code": organization.credit_code, "region_code": SHIBADONG, "start_date": str(TODAY),
        "end_date": str(TODAY + datetime.timedelta(days=30)), "committed_projects": 1,
    }  # fmt: skip
    response = post(client, "/api/v1/pairings/arrange", body)
    assert response.status_code == 201 and response.json()["origin"] == "staff"
    unknown = post(client, "/api/v1/pairings/arrange", {**body, "organization_credit_code": "X" * 18})
    assert unknown.status_code == 422


def test_list_filters_and_scope(client, organization, org_admin, county_official, other_county_official):
    Designation.objects.create(region_id="433124000000", kind="provincial_key_county")
    in_key_county = active(organization, org_admin, county_official)
    other = OrganizationFactory(name="凤凰县乡村发展协会", region_id="433123000000")
    elsewhere = proposed(other, MembershipFactory(organization=other).user, region_code=FENGHUANG_VILLAGE)
    client.force_login(county_official)
    assert [p["id"] for p in client.get("/api/v1/pairings/").json()["items"]] == [in_key_county.pk]
    client.force_login(other_county_official)
    listed = client.get("/api/v1/pairings/").json()["items"]
    assert [p["id"] for p in listed] == [elsewhere.pk]
    assert client.get(f"/api/v1/pairings/{in_key_county.pk}").status_code == 404
    from xiangzhen.accounts.tests.factories import staff

    province = staff("rural_revitalization", "430000000000", username="hn_xc2")
    client.force_login(province)

    def ids(query: str) -> list[int]:
        return [p["id"] for p in client.get(f"/api/v1/pairings/?{query}").json()["items"]]

    assert set(ids("")) == {in_key_county.pk, elsewhere.pk}
    assert ids("key_counties=true") == [in_key_county.pk]
    assert ids("status=proposed") == [elsewhere.pk]
    assert ids("region=433123") == [elsewhere.pk]
    assert ids(f"organization={organization.pk}") == [in_key_county.pk]
    assert ids("q=凤凰县乡村") == [elsewhere.pk]
    assert client.get("/api/v1/pairings/?status=nonsense").status_code == 422
    export = client.get("/api/v1/pairings/export?key_counties=true")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == in_key_county.number and rows[1][3] == SHIBADONG


def test_list_page_and_api_query_counts_do_not_grow_with_rows(client, organization, org_admin, county_official):
    active(organization, org_admin, county_official)
    client.force_login(county_official)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count("/pairings/")  # warm up: the first request of a session reads a little more
    few = (count("/pairings/"), count("/api/v1/pairings/"), count("/pairings/export/"))
    for _ in range(4):
        other = OrganizationFactory()
        active(other, MembershipFactory(organization=other).user, county_official)
    assert (count("/pairings/"), count("/api/v1/pairings/"), count("/pairings/export/")) == few


def test_pages_propose_confirm_review(client, organization, org_admin, county_official):
    client.force_login(org_admin)
    assert "申请结对" in client.get("/pairings/").content.decode()
    form = {
        "organization": organization.pk, "region_code": SHIBADONG, "start_date": str(TODAY),
        "end_date": str(TODAY + datetime.timedelta(days=365)), "committed_money": "5000", "committed_projects": "1",
        "committed_volunteer_hours": "0", "committed_purchases": "2000", "note": "产业帮扶",
    }  # fmt: skip
    response = client.post("/pairings/new/", form)
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pairings/{pairing.pk}/"
    again = client.post("/pairings/new/", form).content.decode()
    assert pairing.number in again  # a second live pairing with the same place is refused, naming the first
    client.force_login(county_official)
    page = client.get(f"/pairings/{pairing.pk}/").content.decode()
    assert "确认结对" in page and "<progress" in page
    client.post(f"/pairings/{pairing.pk}/act/", {"action": "confirm", "version": pairing.version})
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
    purchase(organization, org_admin, SHIBADONG, "500", TODAY)
    assert "25.0%" in client.get(f"/pairings/{pairing.pk}/").content.decode()
    client.post(f"/pairings/{pairing.pk}/review/", {"start": "1", "year": TODAY.year, "version": pairing.version})
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.UNDER_REVIEW
    review_page = client.get(f"/pairings/{pairing.pk}/review/").content.decode()
    assert f"{TODAY.year} 年度完成情况" in review_page
    client.post(
        f"/pairings/{pairing.pk}/review/",
        {"conclude": "1", "assessment": "完成良好", "outcome": "ended", "version": pairing.version},
    )
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED
    assert "完成良好" in client.get(f"/pairings/{pairing.pk}/").content.decode()
    client.force_login(org_admin)
    assert client.get(f"/pairings/{pairing.pk}/review/").status_code == 403


def test_returned_pairing_is_changed_and_resubmitted_from_the_page(client, organization, org_admin, county_official):
    pairing = proposed(organization, org_admin)
    client.force_login(county_official)
    client.post(f"/pairings/{pairing.pk}/act/", {"action": "return", "reason": "请补充说明", "version": 1})
    client.force_login(org_admin)
    page = client.get(f"/pairings/{pairing.pk}/edit/").content.decode()
    assert "请补充说明" in page
    form = {
        "start_date": str(TODAY), "end_date": str(TODAY + datetime.timedelta(days=200)), "committed_money": "8000",
        "committed_projects": "0", "committed_volunteer_hours": "0", "committed_purchases": "0", "note": "已补充",
        "version": 2,
    }  # fmt: skip
    assert client.post(f"/pairings/{pairing.pk}/edit/", form).status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PROPOSED and pairing.note == "已补充"


def test_arrange_page_is_for_rural_revitalization_staff(client, organization, county_official, county_civil_affairs):
    client.force_login(county_civil_affairs)
    assert client.get("/pairings/arrange/").status_code == 403
    client.force_login(county_official)
    form = {
        "credit_code": organization.credit_code, "region_code": SHIBADONG, "start_date": str(TODAY),
        "end_date": str(TODAY + datetime.timedelta(days=200)), "committed_money": "0", "committed_projects": "1",
        "committed_volunteer_hours": "0", "committed_purchases": "0",
    }  # fmt: skip
    assert client.post("/pairings/arrange/", form).status_code == 302
    assert Pairing.objects.get().origin == Pairing.Origin.STAFF
