import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from xiangzhen.linkage.models import IncubationRecord, VolunteerService
from xiangzhen.linkage.tests.factories import STAFF_PHONE, VOLUNTEER_PHONE, matrix_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organization, org_admin):
    return matrix_world(organization, org_admin)


def cells(response) -> str:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row)


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_phones_are_masked_in_pages_api_and_exports(client, world, county_civil_affairs, org_admin):
    client.force_login(county_civil_affairs)
    staff_page = client.get(f"/linkage/stations/{world['station_id']}/").content.decode()
    assert "139****5678" in staff_page and STAFF_PHONE not in staff_page
    api = client.get(f"/api/v1/linkage/stations/{world['station_id']}/staff").content.decode()
    assert "139****5678" in api and STAFF_PHONE not in api
    client.force_login(org_admin)
    for url in ["/linkage/volunteers/", "/api/v1/linkage/volunteers"]:
        text = client.get(url).content.decode()
        assert "137****4321" in text and VOLUNTEER_PHONE not in text
    for url in ["/linkage/volunteers/export/", "/api/v1/linkage/volunteers/export"]:
        text = cells(client.get(url))
        assert "137****4321" in text and VOLUNTEER_PHONE not in text


def test_out_of_scope_records_look_missing(client, world, other_county_civil_affairs, other_org_admin):
    client.force_login(other_county_civil_affairs)
    assert client.get(f"/linkage/stations/{world['station_id']}/").status_code == 404
    assert client.get(f"/api/v1/linkage/stations/{world['station_id']}/staff").status_code == 404
    assert (
        post(client, f"/api/v1/linkage/incubations/{world['incubation_id']}/move", {"stage": "incubating"}).status_code
        == 404
    )
    assert client.get("/api/v1/linkage/incubations").json()["items"] == []
    client.force_login(other_org_admin)
    assert post(client, f"/api/v1/linkage/services/{world['service_id']}/confirm", {}).status_code == 404
    assert client.post(f"/linkage/services/{world['service_id']}/decide/", {"action": "confirm"}).status_code == 404
    assert client.get("/api/v1/linkage/services").json()["items"] == []


def test_organizer_confirms_from_the_page_and_totals_follow(client, world, org_admin, county_official):
    client.force_login(county_official)
    assert "确认</button>" not in client.get("/linkage/services/").content.decode()  # not the organizer
    client.force_login(org_admin)
    assert "确认</button>" in client.get("/linkage/services/").content.decode()
    assert client.get("/api/v1/linkage/totals/people").json() == []
    response = client.post(f"/linkage/services/{world['service_id']}/decide/", {"action": "confirm"})
    assert response.status_code == 302
    assert VolunteerService.objects.get(pk=world["service_id"]).status == "confirmed"
    (person,) = client.get("/api/v1/linkage/totals/people").json()
    assert (person["label"], Decimal(person["hours"])) == ("石志愿", Decimal(3))
    client.force_login(county_official)
    assert "石志愿" in client.get("/linkage/totals/").content.decode()
    assert "石志愿" in cells(client.get("/linkage/totals/export/"))


def test_reject_needs_a_reason_through_the_api(client, world, org_admin):
    client.force_login(org_admin)
    url = f"/api/v1/linkage/services/{world['service_id']}/reject"
    assert post(client, url, {"reason": ""}).status_code == 422
    assert post(client, url, {"reason": "未到场"}).json()["status"] == "rejected"


def test_incubation_pages_api_and_export(client, world, county_civil_affairs, county_official):
    client.force_login(county_civil_affairs)
    body = {"organization_id": world["linkage_waiting_organization_id"], "filed_on": "2026-01-05",
            "incubator_station_id": world["station_id"]}  # fmt: skip
    created = post(client, "/api/v1/linkage/incubations", body)
    assert created.status_code == 201, created.content
    assert created.json()["founder_type"] == "returning_migrant_worker"
    moved = post(client, f"/api/v1/linkage/incubations/{world['incubation_id']}/move", {"stage": "incubating"})
    assert moved.json()["stage"] == "incubating"
    client.force_login(county_official)  # not civil affairs: may read, may not move
    assert (
        post(client, f"/api/v1/linkage/incubations/{world['incubation_id']}/move", {"stage": "stopped"}).status_code
        == 403
    )
    assert IncubationRecord.objects.get(pk=world["incubation_id"]).stage == "incubating"
    page = client.get("/linkage/incubations/?founder_type=veteran").content.decode()
    assert "十八洞村老年协会" in page and "十八洞村妇女互助会" not in page
    assert "十八洞村妇女互助会" in cells(client.get("/linkage/incubations/export/"))
    assert "退役军人" in client.get("/linkage/guidance/").content.decode()


def test_station_writes_and_lists(client, world, county_civil_affairs, county_official):
    client.force_login(county_official)
    body = {"region": "433124109000", "name": "花垣镇社工站", "opened_on": "2025-06-01"}
    assert post(client, "/api/v1/linkage/stations", body).status_code == 403
    client.force_login(county_civil_affairs)
    assert post(client, "/api/v1/linkage/stations", body).status_code == 201
    coverage = {c["county"]: c for c in client.get("/api/v1/linkage/stations/coverage").json()}
    assert coverage["433124000000"]["with_station"] == 2
    page = client.get("/linkage/").content.decode()
    assert "花垣镇社工站" in page and "双龙镇社工站" in page
    assert "花垣镇社工站" in cells(client.get("/linkage/stations/export/"))
    staff = post(
        client,
        f"/api/v1/linkage/stations/{world['station_id']}/staff",
        {"name": "麻社工", "role": "社工", "phone": "13500001111"},
    )
    assert staff.json()["masked_phone"] == "135****1111"


def test_recording_service_from_the_page(client, world, org_admin, organization):
    client.force_login(org_admin)
    assert "石志愿" in client.get("/linkage/services/new/").content.decode()
    fields = {"volunteer": world["linkage_volunteer_id"], "organizer": f"org-{organization.pk}",
              "served_on": "2025-06-01", "content": "陪伴老人", "region": "433124110226"}  # fmt: skip
    refused = client.post("/linkage/services/new/", {**fields, "hours": "25"})
    assert refused.status_code == 200 and VolunteerService.objects.count() == 1
    assert client.post("/linkage/services/new/", {**fields, "hours": "1.5"}).status_code == 302
    made = VolunteerService.objects.latest("id")
    assert (made.hours, made.status, made.organization_id) == (Decimal("1.5"), "recorded", organization.pk)
