import io

import pytest
from openpyxl import load_workbook

from xiangzhen.stats.tests.test_figures import FENGHUANG, HUAYUAN, SHUANGLONG, XIANGXI, world  # noqa: F401

H1 = "period=half&year=2026&part=1"


def test_a_county_official_sees_their_county_with_townships_to_drill_into(client, world, county_official):  # noqa: F811
    client.force_login(county_official)
    page = client.get(f"/stats/?{H1}").content.decode()
    assert "花垣县" in page and "15000.50" in page
    assert "2026年上半年" in page
    assert f"region={SHUANGLONG}" in page  # the township is a drill-down link
    assert 'id="chart-children-map"' in page and "chart-trend-data" in page
    township = client.get(f"/stats/?region={SHUANGLONG}&{H1}")
    assert township.status_code == 200 and "双龙镇" in township.content.decode()


def test_a_county_official_cannot_open_another_county_or_the_city(client, world, county_official):  # noqa: F811
    client.force_login(county_official)
    assert client.get(f"/stats/?region={FENGHUANG}").status_code == 404
    assert client.get(f"/stats/?region={XIANGXI}").status_code == 404
    assert client.get("/stats/?region=999999999999").status_code == 404
    assert client.get(f"/stats/?region={FENGHUANG}&export=xlsx").status_code == 404


def test_the_city_drills_down_to_its_counties_in_the_civil_affairs_view(client, world, city_civil_affairs):  # noqa: F811
    client.force_login(city_civil_affairs)
    page = client.get(f"/stats/?{H1}").content.decode()
    assert "湘西" in page
    assert f"region={HUAYUAN}" in page and f"region={FENGHUANG}" in page
    assert "参与社会组织（家）" in page  # the civil affairs view's first column
    rural = client.get(f"/stats/?{H1}&view=rural_revitalization").content.decode()
    assert "发布需求（个）" in rural


def test_export_holds_every_table(client, world, city_civil_affairs):  # noqa: F811
    client.force_login(city_civil_affairs)
    response = client.get(f"/stats/?{H1}&view=rural_revitalization&export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["主要数据", "下级区划", "下级区划对比"]
    headline = {row[0]: row[1] for row in workbook["主要数据"].iter_rows(min_row=2, values_only=True)}
    assert headline["发布需求项目（个）"] == "3"
    counties = {row[0]: row[1] for row in workbook["下级区划"].iter_rows(min_row=2, values_only=True)}
    assert counties["花垣县"] == 3 and counties["凤凰县"] == 0


def test_people_without_a_region_get_nothing(client, world, org_admin):  # noqa: F811
    client.force_login(org_admin)
    assert client.get("/stats/").status_code == 404


def test_the_platform_admin_sees_the_country(client, world, platform_admin):  # noqa: F811
    client.force_login(platform_admin)
    page = client.get(f"/stats/?{H1}").content.decode()
    assert "全国统计" in page and "湖南" in page


@pytest.mark.django_db
def test_the_public_summary_needs_no_login_and_stops_at_county(client, world):  # noqa: F811
    page = client.get(f"/stats/public/?region={XIANGXI}&{H1}").content.decode()
    assert "湘西" in page and "15000.50" in page
    assert "13974300000" not in page and "石金" not in page  # no personal data
    county = client.get(f"/stats/public/?region={HUAYUAN}&{H1}").content.decode()
    assert f"region={SHUANGLONG}" not in county  # no drill below county
    assert client.get(f"/stats/public/?region={SHUANGLONG}").status_code == 404
    assert client.get("/stats/public/").status_code == 200


def test_the_dashboard_reads_in_english(client, world, city_civil_affairs):  # noqa: F811
    client.force_login(city_civil_affairs)
    client.post("/i18n/setlang/", {"language": "en", "next": "/stats/"})
    page = client.get(f"/stats/?{H1}&view=rural_revitalization").content.decode()
    assert "First half of 2026" in page
    assert "Demands published (items)" in page and "Matches confirmed (matches)" in page  # headline and columns
    assert "Match success rate" in page and "Rural revitalization view" in page
    assert "发布需求" not in page and "（个）" not in page
    workbook = load_workbook(io.BytesIO(client.get(f"/stats/?{H1}&export=xlsx").content))
    assert workbook.sheetnames[0] == "Key figures"
    headline = {row[0]: row[1] for row in workbook["Key figures"].iter_rows(min_row=2, values_only=True)}
    assert headline["Demands published (items)"] == "3"
