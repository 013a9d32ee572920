import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from xiangzhen.core.models import AuditEntry
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import SHIBADONG, DemandFactory
from xiangzhen.regions.models import Designation

API = "/api/v1/demands"


def as_user(client, user):
    client.force_login(user)
    return client


def payload(**overrides):
    body = {
        "title": "空巢老人助餐",
        "description": "为 12 位空巢老人每天送一顿午餐",
        "region_code": SHIBADONG,
        "domains": ["elderly_care"],
        "beneficiaries": [{"group": "empty_nest_elderly", "head_count": 12}],
        "budget": "36000.00",
        "deadline": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat(),
        "contact_name": "石金",
        "contact_phone": "13974300000",
    }
    body.update(overrides)
    return body


def titles(response):
    assert response.status_code == 200, response.content
    return [d["title"] for d in response.json()["items"]]


@pytest.mark.django_db
def test_search_finds_words_inside_longer_text_and_ranks_title_hits_first(client, county_official):
    DemandFactory(title="村小学图书角", description="为农村留守儿童课后辅导添置图书")
    DemandFactory(title="农村留守儿童课后辅导", description="每周三次")
    DemandFactory(title="村道路灯", description="夜间照明")
    as_user(client, county_official)
    assert titles(client.get(API + "/?q=留守儿童")) == ["农村留守儿童课后辅导", "村小学图书角"]
    assert titles(client.get(API + "/?q=照明")) == ["村道路灯"]
    assert titles(client.get(API + "/?q=养猪")) == []


@pytest.mark.django_db
def test_filters(client, county_official, fenghuang_village):
    Designation.objects.create(region_id="433124000000", kind="national_key_county")
    DemandFactory(title="教育", domains=["education"], budget=5000, groups={"left_behind_children": 3})
    DemandFactory(title="养老", domains=["elderly_care"], budget=50000, aid_mode="self_development",
                  status="published")  # fmt: skip
    DemandFactory(title="乡镇级", region_id="433124110000", budget=100, domains=["health"])
    province = as_user(client, county_official)
    assert titles(province.get(API + "/?domain=education")) == ["教育"]
    assert titles(province.get(API + "/?beneficiary=left_behind_children")) == ["教育"]
    assert titles(province.get(API + "/?aid_mode=self_development")) == ["养老"]
    assert titles(province.get(API + "/?status=published")) == ["养老"]
    assert sorted(titles(province.get(API + "/?budget_min=1000&budget_max=10000"))) == ["教育"]
    assert sorted(titles(province.get(API + f"/?region={SHIBADONG}"))) == ["养老", "教育"]
    assert len(titles(province.get(API + "/?key_county_only=true"))) == 3
    assert titles(province.get(API + "/?sort=priority"))  # runs on SQLite and PostgreSQL


@pytest.mark.django_db
def test_key_county_only_and_priority_sort(client, platform_admin, fenghuang_village):
    Designation.objects.create(region_id="433124000000", kind="provincial_key_county")
    Designation.objects.create(region_id=SHIBADONG, kind="poverty_exited_village")
    DemandFactory(title="凤凰", region_id=fenghuang_village)
    DemandFactory(title="花垣县本级", region_id="433124000000")
    DemandFactory(title="十八洞")
    as_user(client, platform_admin)
    assert sorted(titles(client.get(API + "/?key_county_only=true"))) == ["十八洞", "花垣县本级"]
    assert titles(client.get(API + "/?sort=priority")) == ["十八洞", "花垣县本级", "凤凰"]
    item = client.get(API + "/?sort=priority").json()["items"][0]
    assert item["priority_flags"] == ["省级乡村振兴重点帮扶县", "脱贫村"]


@pytest.mark.django_db
def test_bad_filter_is_a_problem_naming_the_field(client, county_official):
    response = as_user(client, county_official).get(API + "/?status=lost")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "status"
    reversed_range = client.get(API + "/?budget_min=10&budget_max=1")
    assert reversed_range.status_code == 422 and "最低资金不能高于最高资金" in reversed_range.json()["detail"]


@pytest.mark.django_db
def test_public_list_needs_no_login_and_hides_contacts(client, published_demand, submitted_demand):
    DemandFactory(status="published", on_behalf_of_household=True, household_name="龙大爷", household_consent=True)
    response = client.get(API + "/public")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 2 and submitted_demand.number not in response.content.decode()
    body = response.content.decode()
    assert "13974300000" not in body and "龙大爷" not in body and "石金" not in body
    assert items[0]["contact_phone"] == "139****0000"
    assert {i["household_name"] for i in items} == {"", "龙**"}
    assert client.get(f"{API}/public/{published_demand.pk}").json()["contact_name"] == "石*"
    assert client.get(f"{API}/public/{submitted_demand.pk}").status_code == 404
    assert client.get(API + "/public?status=draft").json()["count"] == 0
    assert client.get(API + "/").status_code == 401


@pytest.mark.django_db
def test_public_export_masks(client, published_demand):
    response = client.get(API + "/public/export")
    assert response.status_code == 200
    text = " ".join(
        str(c.value) for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows() for c in r
    )
    assert published_demand.number in text and "13974300000" not in text


@pytest.mark.django_db
def test_detail_masks_unless_revealed_and_logs(
    client, county_official, province_rural_revitalization, published_demand
):
    as_user(client, county_official)
    masked = client.get(f"{API}/{published_demand.pk}").json()
    assert masked["contact_phone"] == "139****0000" and masked["personal_masked"]
    full = client.get(f"{API}/{published_demand.pk}?reveal=true").json()
    assert full["contact_phone"] == "13974300000" and not full["personal_masked"]
    assert AuditEntry.objects.filter(action="demands.view_personal").count() == 1
    denied = as_user(client, province_rural_revitalization).get(f"{API}/{published_demand.pk}?reveal=true")
    assert denied.status_code == 403


@pytest.mark.django_db
def test_out_of_scope_is_404_like_missing(client, other_county_official, submitted_demand):
    as_user(client, other_county_official)
    hidden, missing = client.get(f"{API}/{submitted_demand.pk}"), client.get(f"{API}/999999")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert client.post(f"{API}/{submitted_demand.pk}/publish").status_code == 404


@pytest.mark.django_db
def test_submitter_creates_and_county_publishes_over_api(client, village_submitter, county_official):
    created = as_user(client, village_submitter).post(API + "/", payload(submit=True), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "submitted" and body["number"].startswith("XQ-433124-")
    assert body["beneficiaries"] == [{"group": "empty_nest_elderly", "group_name": "空巢老人", "head_count": 12}]
    demand_id = body["id"]
    reviewer = as_user(client, county_official)
    no_reason = reviewer.post(f"{API}/{demand_id}/return", {"reason": ""}, content_type="application/json")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    flags = reviewer.get(f"{API}/{demand_id}/flags")
    assert flags.status_code == 200 and flags.json() == []
    published = reviewer.post(f"{API}/{demand_id}/publish?version={body['version']}")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = reviewer.post(f"{API}/{demand_id}/publish")
    assert again.status_code == 409 and again.json()["type"].endswith("/invalid-transition")
    stale = reviewer.patch(f"{API}/{demand_id}", {"title": "x", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["type"].endswith("/conflict")
    patched = reviewer.patch(
        f"{API}/{demand_id}",
        {"budget": "30000", "version": published.json()["version"]},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["budget"] == "30000.00"


@pytest.mark.django_db
def test_validation_problem_names_fields_in_chinese(client, village_submitter):
    bad = payload(contact_phone="888", domains=[], region_code="433100000000")
    response = as_user(client, village_submitter).post(API + "/", bad, content_type="application/json")
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "数据校验未通过"
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(fields) == {"contact_phone", "domains", "region_code"}
    assert "联系电话“888”格式不正确" in fields["contact_phone"]
    negative = client.post(API + "/", payload(budget="-1"), content_type="application/json")
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "budget"
    missing = payload()
    del missing["deadline"]
    response = client.post(API + "/", missing, content_type="application/json")
    assert {"field": "deadline", "message": "“deadline”为必填项"} in response.json()["errors"]
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_org_user_cannot_create(client, org_admin):
    response = as_user(client, org_admin).post(API + "/", payload(), content_type="application/json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_import_preview_and_confirm_over_api(client, county_official):
    from xiangzhen.demands.tests.test_import import row, workbook

    content = workbook([row()])
    as_user(client, county_official)
    first = io.BytesIO(content)
    first.name = "需求.xlsx"
    preview = client.post(API + "/import/preview", {"file": first})
    assert preview.status_code == 200, preview.content
    assert preview.json()["ok"] and preview.json()["created"] == 1 and not Demand.objects.exists()
    upload = io.BytesIO(content)
    upload.name = "需求.xlsx"
    confirmed = client.post(API + "/import", {"file": upload, "publish": "true"})
    assert confirmed.status_code == 200, confirmed.content
    assert Demand.objects.get().status == "published"
    bad = io.BytesIO(workbook([row(budget="abc")]))
    bad.name = "bad.xlsx"
    report = client.post(API + "/import/preview", {"file": bad}).json()
    assert not report["ok"] and report["errors"] == [{"row": 2, "message": "所需资金“abc”应为数字（单位：元）"}]
    template = client.get(API + "/import/template")
    assert (
        template.status_code == 200
        and template["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.mark.django_db
def test_attachment_upload_over_api(client, village_submitter):
    demand = DemandFactory(status="draft")
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    png.name = "现场.png"
    response = as_user(client, village_submitter).post(f"{API}/{demand.pk}/attachments", {"files": [png]})
    assert response.status_code == 200, response.content
    from xiangzhen.core.attachments import attachments_of

    assert [a.original_name for a in attachments_of(demand)] == ["现场.png"]
    fake = io.BytesIO(b"MZ not a photo")
    fake.name = "x.jpg"
    rejected = client.post(f"{API}/{demand.pk}/attachments", {"files": [fake]})
    assert rejected.status_code == 422 and "内容与扩展名不符" in rejected.json()["detail"]


@pytest.mark.django_db
def test_export_is_scoped(client, village_submitter, published_demand, fenghuang_demand):
    response = as_user(client, village_submitter).get(API + "/export")
    text = " ".join(
        str(c.value) for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows() for c in r
    )
    assert published_demand.number in text and fenghuang_demand.number not in text


@pytest.mark.django_db
def test_list_query_count_does_not_grow(client, province_rural_revitalization, django_assert_max_num_queries):
    Designation.objects.create(region_id="433124000000", kind="national_key_county")
    for i in range(20):
        DemandFactory(domains=["education", "health"], groups={"left_behind_children": i + 1, "empty_nest_elderly": 2},
                      status="published")  # fmt: skip
    as_user(client, province_rural_revitalization)
    for url in (API + "/?sort=priority", API + "/public", API + "/?q=测试"):
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200 and len(response.json()["items"]) == 20
