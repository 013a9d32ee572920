import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import HUAYUAN, HUNAN, SHIBADONG, XIANGXI
from xiangzhen.regions.models import Designation, Region


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def digest_of(response) -> str:
    match = re.search(r'name="digest" value="([0-9a-f]{64})"', response.content.decode())
    assert match, "the preview should offer a confirm button"
    return match.group(1)


@pytest.mark.parametrize(
    "url",
    [
        "/regions/",
        f"/regions/{HUAYUAN}/",
        "/regions/designations/",
        "/regions/designations/import/",
        "/regions/import/",
    ],
)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_browse_root_and_region_pages(client, county_official, django_assert_max_num_queries):
    client.force_login(county_official)
    root = client.get("/regions/")
    assert root.status_code == 200
    assert "湖南省" in root.content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(f"/regions/{XIANGXI}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "花垣县" in html and f'href="/regions/{HUAYUAN}/"' in html
    assert 'href="/regions/designations/' not in html  # a county official manages no designations
    village = client.get(f"/regions/{SHIBADONG}/").content.decode()
    for ancestor in ("湖南省", "湘西土家族苗族自治州", "花垣县", "双龙镇"):
        assert ancestor in village
    assert client.get("/regions/433124999999/").status_code == 404
    assert client.get("/regions/abc/").status_code == 404


def test_browse_search(client, county_official):
    client.force_login(county_official)
    html = client.get("/regions/", {"q": "sbd"}).content.decode()
    assert "十八洞村" in html and SHIBADONG in html
    within = client.get(f"/regions/{HUAYUAN}/", {"q": "和平村", "within": HUAYUAN}).content.decode()
    assert "433124108226" in within and "433123104207" not in within


def test_designation_page_is_for_province_staff_and_admins(client, county_official, province_civil_affairs):
    client.force_login(county_official)
    assert client.get("/regions/designations/").status_code == 403
    assert client.get("/regions/designations/import/").status_code == 403
    client.force_login(province_civil_affairs)
    page = client.get("/regions/designations/")
    assert page.status_code == 200
    assert "region-picker.js" in page.content.decode()


def test_set_designations_from_the_page(client, province_civil_affairs):
    client.force_login(province_civil_affairs)
    kinds = ["demonstration_village", "poverty_exited_village"]
    response = client.post("/regions/designations/", {"set-region": SHIBADONG, "set-kinds": kinds})
    assert response.status_code == 302
    assert set(Designation.objects.filter(region_id=SHIBADONG).values_list("kind", flat=True)) == {
        "demonstration_village",
        "poverty_exited_village",
    }
    listed = client.get(response["Location"]).content.decode()
    assert "十八洞村" in listed
    checked = re.findall(r'value="(\w+)" id="id_set-kinds_\d" checked', listed)
    assert checked == ["poverty_exited_village", "demonstration_village"]  # the form re-opens pre-filled
    bad = client.post("/regions/designations/", {"set-region": SHIBADONG, "set-kinds": ["national_key_county"]})
    assert bad.status_code == 200
    assert "只能设置在县级区划上，“十八洞村”不是县" in bad.content.decode()
    assert Designation.objects.filter(region_id=SHIBADONG).count() == 2


def test_designation_list_filters(client, platform_admin, province_civil_affairs):
    from xiangzhen.regions.services import set_designations

    set_designations(actor=platform_admin, region=Region.objects.get(pk=HUAYUAN), kinds=["national_key_county"])
    set_designations(actor=platform_admin, region=Region.objects.get(pk="140121000000"), kinds=["national_key_county"])
    client.force_login(province_civil_affairs)
    html = client.get("/regions/designations/").content.decode()
    assert "花垣县" in html and "清徐县" not in html  # their own province only
    outside = client.get("/regions/designations/", {"within": "140000000000"}).content.decode()
    assert "只能查看本省范围内的认定" in outside
    client.force_login(platform_admin)
    everything = client.get("/regions/designations/", {"kind": "national_key_county"}).content.decode()
    assert "花垣县" in everything and "清徐县" in everything


def test_designation_import_preview_then_confirm(client, province_rural_revitalization):
    client.force_login(province_rural_revitalization)
    preview = client.post(
        "/regions/designations/import/", {"text": f"{SHIBADONG}\n保靖县/大坪村", "kind": "key_assisted_village"}
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "十八洞村" in html and "433125110221" in html
    assert not Designation.objects.exists()
    confirmed = client.post("/regions/designations/import/", {"confirm": "1", "digest": digest_of(preview)})
    assert confirmed.status_code == 302
    assert set(Designation.objects.values_list("region_id", flat=True)) == {SHIBADONG, "433125110221"}
    # the stash is gone: confirming twice does nothing more
    again = client.post("/regions/designations/import/", {"confirm": "1", "digest": digest_of(preview)})
    assert again.status_code == 302 and Designation.objects.count() == 2


def test_designation_import_shows_row_errors_and_offers_no_confirm(client, province_rural_revitalization):
    client.force_login(province_rural_revitalization)
    upload = SimpleUploadedFile(
        "d.csv", "名称,认定类型\n大坪村,脱贫村\n十八洞村,脱贫村\n".encode("gb18030"), content_type="text/csv"
    )
    response = client.post("/regions/designations/import/", {"file": upload})
    html = response.content.decode()
    assert "第 2 行" in html and "对应多个区划" in html
    assert 'name="digest"' not in html
    assert not Designation.objects.exists()


def test_division_import_is_for_platform_admins(client, province_civil_affairs):
    client.force_login(province_civil_affairs)
    assert client.get("/regions/import/").status_code == 403


def test_division_import_preview_then_confirm(client, platform_admin):
    client.force_login(platform_admin)
    content = "统计用区划代码,名称\n433101001000,测试街道\n433101001001,测试社区\n433101999001,孤村\n"
    bad = client.post("/regions/import/", {"file": SimpleUploadedFile("t.csv", content.encode())})
    assert "第 4 行" in bad.content.decode() and 'name="digest"' not in bad.content.decode()
    good = "\n".join(content.splitlines()[:3]) + "\n"
    preview = client.post("/regions/import/", {"file": SimpleUploadedFile("t.csv", good.encode())})
    assert preview.status_code == 200
    assert not Region.objects.filter(pk="433101001000").exists()
    digest = digest_of(preview)
    assert client.post("/regions/import/", {"confirm": "1", "digest": "0" * 64}).status_code == 302
    assert not Region.objects.filter(pk="433101001000").exists()  # a wrong digest confirms nothing
    confirmed = client.post("/regions/import/", {"confirm": "1", "digest": digest})
    assert confirmed.status_code == 302
    assert Region.objects.get(pk="433101001001").parent_id == "433101001000"


def test_region_field_returns_a_region_and_checks_levels(db):
    from xiangzhen.regions.forms import RegionField

    field = RegionField(levels=["county"])
    assert field.clean(HUAYUAN) == Region.objects.get(pk=HUAYUAN)
    with pytest.raises(Exception, match="请选择县级区划"):
        field.clean(HUNAN)
    with pytest.raises(Exception, match="不存在"):
        field.clean("433124999999")
    html = field.widget.render("region", HUAYUAN)
    assert 'data-levels="county"' in html and 'data-api="/api/v1/regions/"' in html and "花垣县" in html
