import pytest

from conftest import FENGHUANG, HUAYUAN, HUNAN, SHIBADONG, XIANGXI
from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import staff
from xiangzhen.core.models import AuditEntry
from xiangzhen.regions.models import Designation

API = "/api/v1/regions"


@pytest.fixture
def signed_in(client, county_official):
    client.force_login(county_official)
    return client


def put_kinds(client, code, kinds):
    return client.put(f"{API}/{code}/designations", {"kinds": kinds}, content_type="application/json")


def test_anonymous_gets_401_problem(client, db):
    response = client.get(f"{API}/{HUAYUAN}")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_search_endpoint(signed_in):
    response = signed_in.get(f"{API}/search", {"q": "sbd", "level": "village"})
    assert response.status_code == 200
    found = {r["code"]: r for r in response.json()}
    assert found[SHIBADONG]["name"] == "十八洞村"
    assert found[SHIBADONG]["level_label"] == "村"
    assert all(r["level"] == "village" for r in response.json())
    within = signed_in.get(f"{API}/search", {"q": "和平村", "within": FENGHUANG}).json()
    assert [r["code"] for r in within] == ["433123104207"]
    bad = signed_in.get(f"{API}/search", {"q": "x", "level": "town"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "level"


def test_detail_with_level_label_full_name_designations_and_ancestors(signed_in, platform_admin, client):
    client.force_login(platform_admin)
    assert put_kinds(client, SHIBADONG, ["demonstration_village", "poverty_exited_village"]).status_code == 200
    body = client.get(f"{API}/{SHIBADONG}").json()
    assert body["name"] == "十八洞村"
    assert body["level"] == "village" and body["level_label"] == "村"
    assert body["full_name"] == "湖南省 湘西土家族苗族自治州 花垣县 双龙镇 十八洞村"
    assert body["parent_code"] == "433124110000"
    assert body["designations"] == [
        {"kind": "demonstration_village", "label": "示范创建村"},
        {"kind": "poverty_exited_village", "label": "脱贫村"},
    ]
    assert [a["code"] for a in body["ancestors"]] == [HUNAN, XIANGXI, HUAYUAN, "433124110000"]


def test_short_codes_are_normalized(signed_in):
    assert signed_in.get(f"{API}/433124").json()["code"] == HUAYUAN


def test_bad_code_is_422_and_unknown_code_is_404(signed_in):
    bad = signed_in.get(f"{API}/43312x")
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/problem+json")
    assert "格式不正确" in bad.json()["detail"]
    assert bad.json()["errors"][0]["field"] == "code"
    for path in ("433124999999", "433124999999/children", "433124999999/ancestors", "433124999999/counts"):
        missing = signed_in.get(f"{API}/{path}")
        assert missing.status_code == 404, path
        assert missing.json()["status"] == 404


def test_children_with_counts_and_designations(signed_in, platform_admin):
    from xiangzhen.regions.models import Region
    from xiangzhen.regions.services import set_designations

    set_designations(actor=platform_admin, region=Region.objects.get(pk=HUAYUAN), kinds=["national_key_county"])
    body = signed_in.get(f"{API}/{XIANGXI}/children").json()
    rows = {r["code"]: r for r in body}
    assert len(rows) == 8
    assert rows[HUAYUAN]["counts"] == {"township": 12, "village": rows[HUAYUAN]["counts"]["village"]}
    assert rows[HUAYUAN]["counts"]["village"] > 0
    assert rows[HUAYUAN]["designations"] == [{"kind": "national_key_county", "label": "国家乡村振兴重点帮扶县"}]
    assert rows["433101000000"]["counts"] == {"township": 0, "village": 0}


def test_children_endpoint_query_count_does_not_grow(signed_in, django_assert_max_num_queries):
    # a province with 14 cities, and a county with 12 townships: same small number of queries
    for code in (HUNAN, HUAYUAN, "420000000000"):
        with django_assert_max_num_queries(8):
            response = signed_in.get(f"{API}/{code}/children")
        assert response.status_code == 200


def test_ancestors_and_counts_endpoints(signed_in):
    ancestors = signed_in.get(f"{API}/{SHIBADONG}/ancestors").json()
    assert [a["level"] for a in ancestors] == ["province", "city", "county", "township"]
    counts = signed_in.get(f"{API}/{XIANGXI}/counts").json()
    assert counts == {"code": XIANGXI, "counts": {"county": 8, "township": 41, "village": 683}}
    provinces = signed_in.get(f"{API}/").json()
    assert len(provinces) >= 31


def test_county_official_cannot_set_designations(signed_in):
    response = put_kinds(signed_in, HUAYUAN, ["national_key_county"])
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert "省级" in response.json()["detail"]
    assert not Designation.objects.filter(region_id=HUAYUAN).exists()


def test_province_staff_of_another_province_cannot_set_a_hunan_region(client, db):
    shanxi = staff(Department.Kind.RURAL_REVITALIZATION, "140000000000", username="sx_xc")
    client.force_login(shanxi)
    assert put_kinds(client, HUAYUAN, ["national_key_county"]).status_code == 403
    assert put_kinds(client, "140100000000", ["national_key_county"]).status_code == 422  # a city: level rule
    assert put_kinds(client, "140121000000", ["national_key_county"]).status_code == 200  # 清徐县


def test_province_staff_sets_and_clears_designations_with_audit(client, province_rural_revitalization):
    client.force_login(province_rural_revitalization)
    response = put_kinds(client, HUAYUAN, ["national_key_county"])
    assert response.status_code == 200
    assert response.json()["designations"][0]["kind"] == "national_key_county"
    entry = AuditEntry.objects.get(action="regions.set_designations", object_id=HUAYUAN)
    assert entry.after == {"designations": ["national_key_county"]}
    assert put_kinds(client, HUAYUAN, []).json()["designations"] == []
    assert not Designation.objects.filter(region_id=HUAYUAN).exists()


@pytest.mark.parametrize(
    "code,kinds,field",
    [
        (SHIBADONG, ["national_key_county"], "region"),  # county kind on a village
        (HUAYUAN, ["key_assisted_village"], "region"),  # village kind on a county
        (XIANGXI, ["demonstration_village"], "region"),  # nothing on a city
        (HUAYUAN, ["golden_county"], "kinds"),  # unknown kind
    ],
)
def test_designation_level_rules(client, platform_admin, code, kinds, field):
    client.force_login(platform_admin)
    response = put_kinds(client, code, kinds)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not Designation.objects.filter(region_id=code).exists()


def test_designations_listing_paginated_and_filtered(client, platform_admin):
    client.force_login(platform_admin)
    put_kinds(client, HUAYUAN, ["national_key_county"])
    put_kinds(client, FENGHUANG, ["provincial_key_county"])
    put_kinds(client, SHIBADONG, ["demonstration_village"])
    body = client.get(f"{API}/designations").json()
    assert body["count"] == 3
    assert body["items"][0]["region"]["code"] == FENGHUANG
    by_kind = client.get(f"{API}/designations", {"kind": "national_key_county"}).json()
    assert [i["region"]["code"] for i in by_kind["items"]] == [HUAYUAN]
    assert by_kind["items"][0]["label"] == "国家乡村振兴重点帮扶县"
    assert by_kind["items"][0]["set_by"] == str(platform_admin)
    within = client.get(f"{API}/designations", {"within": HUAYUAN}).json()
    assert [i["region"]["code"] for i in within["items"]] == [HUAYUAN, SHIBADONG]
    assert client.get(f"{API}/designations", {"kind": "x"}).status_code == 422
