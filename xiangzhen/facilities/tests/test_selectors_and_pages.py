import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiangzhen.facilities import selectors, services
from xiangzhen.facilities.filters import FacilityFilters
from xiangzhen.facilities.tests.factories import facility_data
from xiangzhen.facilities.validation import UsageData
from xiangzhen.regions import services as regions
from xiangzhen.regions.models import Region

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_scope_filters_and_public_list(room, organization, org_admin, other_county_official, county_official):
    planned = services.register_facility(actor=org_admin, builder=organization, data=facility_data(name="规划中小屋"))
    assert set(selectors.facilities(county_official)) == {room, planned}
    assert list(selectors.facilities(other_county_official)) == []
    assert list(selectors.facilities(county_official, FacilityFilters(status="planned"))) == [planned]
    assert list(selectors.facilities(county_official, FacilityFilters(kind="clinic_room"))) == []
    assert list(selectors.facilities(county_official, FacilityFilters(region="433123000000"))) == []
    assert list(selectors.public_facilities()) == [room]


def test_key_county_filter(room, county_official, platform_admin):
    key_only = FacilityFilters(key_counties=True)
    assert list(selectors.facilities(county_official, key_only)) == []
    regions.set_designations(
        actor=platform_admin, region=Region.objects.get(pk="433124000000"), kinds={"provincial_key_county"}
    )
    assert list(selectors.facilities(county_official, key_only)) == [room]


def test_rooms_by_county_counts_kinds_and_statuses(room, livestream_room, organization, org_admin, city_civil_affairs):
    services.register_facility(actor=org_admin, builder=organization, data=facility_data(name="规划中"))
    rows = {r.county.code: r for r in selectors.rooms_by_county(city_civil_affairs, "433100000000")}
    huayuan = rows["433124000000"]
    assert huayuan.total == 3
    assert huayuan.by_kind == {"reading_room": 2, "livestream_room": 1}
    assert huayuan.by_status == {"in_use": 2, "planned": 1}
    assert rows["433123000000"].total == 0
    assert selectors.default_area(city_civil_affairs) == "433100000000"


def test_planned_rooms_of_others_stay_out_of_the_county_table(organization, org_admin, other_county_official):
    services.register_facility(actor=org_admin, builder=organization, data=facility_data(name="规划中"))
    rows = {r.county.code: r for r in selectors.rooms_by_county(other_county_official, "433100000000")}
    assert rows["433124000000"].total == 0


def test_usage_totals_by_month(livestream_room, org_admin):
    for kind, count, amount in (("visits", 10, "0"), ("visits", 5, "0"), ("sales", 2, "99.90"), ("sessions", 1, "0")):
        services.record_usage(
            actor=org_admin, facility=livestream_room,
            data=UsageData(used_on=date.today(), kind=kind, count=count, amount=amount),
        )  # fmt: skip
    (month,) = selectors.usage_by_month(livestream_room)
    assert (month.visits, month.sessions, month.sales_count, str(month.sales_amount)) == (15, 1, 2, "99.90")


def test_api_register_open_and_record(client, organization, org_admin):
    client.force_login(org_admin)
    body = {"builder_id": organization.pk, "kind": "clinic_room", "name": "十八洞村医生小屋", "village": "433124110226"}
    created = client.post("/api/v1/facilities/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    facility_id = created.json()["id"]
    assert client.post(f"/api/v1/facilities/{facility_id}/start").json()["status"] == "building"
    opened = client.post(
        f"/api/v1/facilities/{facility_id}/open", json.dumps({"opened_on": str(date.today())}),
        content_type="application/json",
    )  # fmt: skip
    assert opened.json()["status"] == "in_use"
    usage = {"used_on": str(date.today()), "kind": "consultations", "count": 7}
    response = client.post(
        f"/api/v1/facilities/{facility_id}/usages", json.dumps(usage), content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["kind_label"] == "问诊人次"
    wrong = client.post(
        f"/api/v1/facilities/{facility_id}/usages", json.dumps({**usage, "kind": "sales"}),
        content_type="application/json",
    )  # fmt: skip
    assert wrong.status_code == 422 and "不能记录" in wrong.json()["detail"]
    months = client.get(f"/api/v1/facilities/{facility_id}/usage-by-month").json()
    assert months[0]["consultations"] == 7
    assert client.get(f"/api/v1/facilities/{facility_id}/usages/export").status_code == 200
    rows = client.get("/api/v1/facilities/by-county?area=433100000000").json()
    assert next(r for r in rows if r["code"] == "433124000000")["by_kind"] == {"clinic_room": 1}
    client.logout()
    assert client.get(f"/api/v1/facilities/public/{facility_id}").json()["name"] == "十八洞村医生小屋"
    assert client.get(f"/api/v1/facilities/{facility_id}").status_code == 401


def test_pages_render_for_builder_and_staff(client, room, org_admin, county_official):
    client.force_login(org_admin)
    for url in (
        "/facilities/", "/facilities/new/", f"/facilities/{room.pk}/", f"/facilities/{room.pk}/usages/new/",
        "/facilities/by-county/", "/facilities/by-county/?area=433100000000&kind=reading_room",
        "/facilities/export/", "/facilities/by-county/export/", f"/facilities/{room.pk}/usages/export/",
    ):  # fmt: skip
        assert client.get(url).status_code == 200, url
    client.force_login(county_official)
    page = client.get("/facilities/by-county/?area=433100000000").content.decode()
    assert "花垣县" in page and "凤凰县" in page and 'id="chart-rooms-by-county"' in page
    province = client.get("/facilities/by-county/?area=430000000000").content.decode()
    assert "湘西" in province and "?area=433100000000" in province


def test_usage_and_photos_from_the_pages(client, room, org_member):
    client.force_login(org_member)
    response = client.post(
        f"/facilities/{room.pk}/usages/new/", {"used_on": date.today().isoformat(), "kind": "visits", "count": "9"}
    )
    assert response.status_code == 302
    client.post(f"/facilities/{room.pk}/photos/", {"photos": [SimpleUploadedFile("a.png", PNG)]})
    detail = client.get(f"/facilities/{room.pk}/").content.decode()
    assert "<img" in detail and ">9<" in detail


def test_status_moves_from_the_detail_page(client, organization, org_admin):
    facility = services.register_facility(actor=org_admin, builder=organization, data=facility_data())
    client.force_login(org_admin)
    client.post(f"/facilities/{facility.pk}/act/", {"action": "start", "version": facility.version})
    client.post(f"/facilities/{facility.pk}/act/", {"action": "open", "version": 2, "opened_on": str(date.today())})
    facility.refresh_from_db()
    assert facility.status == "in_use" and facility.opened_on == date.today()


def test_public_pages_need_no_login_and_show_only_rooms_in_use(client, room, organization, org_admin):
    planned = services.register_facility(actor=org_admin, builder=organization, data=facility_data(name="规划中小屋"))
    listing = client.get("/facilities/public/").content.decode()
    assert room.name in listing and "规划中小屋" not in listing
    assert client.get(f"/facilities/public/{room.pk}/").status_code == 200
    assert client.get(f"/facilities/public/{planned.pk}/").status_code == 404
    assert client.get("/facilities/public/export/").status_code == 200


def test_out_of_scope_detail_is_missing(client, room, other_county_official):
    client.force_login(other_county_official)
    assert client.get(f"/facilities/{room.pk}/").status_code == 404
