import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiangzhen.campaigns.models import Activity, Participation
from xiangzhen.campaigns.tests.conftest import SHIBADONG

pytestmark = pytest.mark.django_db


def sheet_text(response) -> str:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(str(v) for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row)


def test_api_create_publish_enroll_and_record(client, county_official, org_admin, organization):
    client.force_login(county_official)
    body = {
        "kind": "relief", "name": "接口行动", "description": "方案", "start_date": "2026-01-01",
        "end_date": "2026-12-31", "target_people_served": 100,
    }  # fmt: skip
    created = client.post("/api/v1/campaigns/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    assert created.json()["allowed_actions"] == ["publish"]
    assert client.post(f"/api/v1/campaigns/{campaign_id}/publish").status_code == 200
    client.force_login(org_admin)
    enrolled = client.post(
        f"/api/v1/campaigns/{campaign_id}/enroll",
        json.dumps({"organization_id": organization.pk}),
        content_type="application/json",
    )
    assert enrolled.status_code == 201, enrolled.content
    activity = {
        "organization_id": organization.pk, "title": "走访", "held_on": "2026-11-20", "region_code": SHIBADONG,
        "description": "走访", "people_served": 9,
    }  # fmt: skip
    refused = client.post(
        f"/api/v1/campaigns/{campaign_id}/activities", json.dumps(activity), content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "beneficiaries"
    activity["beneficiaries"] = {"left_behind_children": 9}
    recorded = client.post(
        f"/api/v1/campaigns/{campaign_id}/activities", json.dumps(activity), content_type="application/json"
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["people_served"] == 9
    progress = {f["key"]: f for f in client.get(f"/api/v1/campaigns/{campaign_id}").json()["progress"]}
    assert progress["people_served"]["actual"] == "9" or progress["people_served"]["actual"] == 9
    assert progress["people_served"]["percent"] == 9


def test_participation_api_for_self_and_members(client, activity, org_admin, org_member, other_org_admin):
    client.force_login(org_member)
    own = client.post(
        f"/api/v1/campaigns/activities/{activity.pk}/participations",
        json.dumps({"hours": "2", "role": "签到"}),
        content_type="application/json",
    )
    assert own.status_code == 201, own.content
    for_admin = client.post(
        f"/api/v1/campaigns/activities/{activity.pk}/participations",
        json.dumps({"hours": "2", "user_id": org_admin.pk}),
        content_type="application/json",
    )
    assert for_admin.status_code == 403
    client.force_login(org_admin)
    outsider = client.post(
        f"/api/v1/campaigns/activities/{activity.pk}/participations",
        json.dumps({"hours": "2", "user_id": other_org_admin.pk}),
        content_type="application/json",
    )
    assert outsider.status_code == 403
    removed = client.delete(f"/api/v1/campaigns/activities/{activity.pk}/participations/{own.json()['id']}")
    assert removed.status_code == 204
    assert not Participation.objects.exists()


def test_out_of_scope_is_404(client, activity, campaign, other_county_official):
    client.force_login(other_county_official)
    assert client.get(f"/api/v1/campaigns/{campaign.pk}").status_code == 404
    assert client.get(f"/api/v1/campaigns/activities/{activity.pk}").status_code == 404
    assert client.get(reverse("campaigns:activity_detail", args=[activity.pk])).status_code == 404


def test_lists_filter_and_export(client, activity, campaign, county_civil_affairs):
    client.force_login(county_civil_affairs)
    listed = client.get("/api/v1/campaigns/?kind=relief&status=published&region=433124")
    assert [c["id"] for c in listed.json()["items"]] == [campaign.pk]
    assert client.get("/api/v1/campaigns/?kind=pairing").json()["count"] == 0
    assert client.get("/api/v1/campaigns/?key_counties=true").json()["count"] == 0  # no designations in tests
    page = client.get(reverse("campaigns:list"), {"q": "扶弱", "kind": "bogus"})
    assert page.status_code == 200 and campaign.name in page.content.decode()
    exported = client.get(reverse("campaigns:export"))
    assert campaign.number in sheet_text(exported)
    assert activity.number in sheet_text(client.get(reverse("campaigns:campaign_activity_export", args=[campaign.pk])))
    assert "花垣县助农服务中心" in sheet_text(client.get(reverse("campaigns:enrollment_export", args=[campaign.pk])))
    assert activity.number in sheet_text(client.get(reverse("campaigns:activity_export")))


def test_key_counties_filter_uses_the_designations(client, activity, campaign, county_official, platform_admin):
    from xiangzhen.regions import services as regions
    from xiangzhen.regions.models import Region

    regions.set_designations(
        actor=platform_admin, region=Region.objects.get(pk="433124000000"), kinds={"provincial_key_county"}
    )
    client.force_login(county_official)
    assert client.get("/api/v1/campaigns/?key_counties=true").json()["count"] == 1
    assert client.get("/api/v1/campaigns/activities?key_counties=true").json()["count"] == 1


def test_public_pages_show_progress_and_hide_contacts(client, activity, campaign, organization):
    response = client.get(reverse("campaigns:public_detail", args=[campaign.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert campaign.name in text and activity.title in text and organization.name in text
    assert organization.contact_phone not in text and organization.contact_name not in text
    assert str(activity.recorded_by) not in text
    public_api = client.get(f"/api/v1/campaigns/public/{campaign.pk}/activities").json()["items"][0]
    assert "recorded_by" not in public_api and public_api["people_served"] == 25
    assert client.get(reverse("campaigns:public")).status_code == 200
    assert campaign.number in sheet_text(client.get(reverse("campaigns:public_export")))


def test_public_page_of_a_draft_is_404(client, draft_campaign):
    assert client.get(reverse("campaigns:public_detail", args=[draft_campaign.pk])).status_code == 404


def test_record_activity_page_with_photo(client, enrolled, campaign, org_member):
    client.force_login(org_member)
    url = reverse("campaigns:activity_create", kwargs={"campaign_id": campaign.pk})
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    response = client.post(
        url,
        {
            "organization": enrolled.organization_id, "title": "页面登记", "held_on": "2026-11-20",
            "region_code": SHIBADONG, "description": "内容", "money": "0", "in_kind_value": "0",
            "group_extreme_poverty": "4", "photos": [photo],
        },
    )  # fmt: skip
    activity = Activity.objects.get(title="页面登记")
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:activity_detail", args=[activity.pk]
    )
    assert activity.people_served == 4
    detail = client.get(response["Location"]).content.decode()
    assert "p.png" in detail


def test_record_activity_page_shows_the_relief_rule(client, enrolled, campaign, org_member):
    client.force_login(org_member)
    url = reverse("campaigns:activity_create", kwargs={"campaign_id": campaign.pk})
    response = client.post(
        url,
        {
            "organization": enrolled.organization_id, "title": "无群体", "held_on": "2026-11-20",
            "region_code": SHIBADONG, "description": "内容", "money": "0", "in_kind_value": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "须写明受益群体" in response.content.decode()


def test_detail_page_enroll_and_withdraw(client, campaign, organization, org_admin):
    client.force_login(org_admin)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "报名参加" in page
    client.post(
        reverse("campaigns:enrollment", args=[campaign.pk]), {"organization": organization.pk, "action": "enroll"}
    )
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "登记活动" in page and "退出" in page
