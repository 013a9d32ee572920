"""The county's key villages, paired and not yet paired, and the per-county counts above it."""

import io

import pytest
from openpyxl import load_workbook

from xiangzhen.core.errors import Forbidden, NotFound
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory
from xiangzhen.pairings import selectors, services
from xiangzhen.pairings.tests.factories import HUAYUAN, NEIGHBOUR, SHIBADONG, SHUANGLONG, active, proposed
from xiangzhen.regions.models import Designation

pytestmark = pytest.mark.django_db

LONGMEN = "433124102200"  # 龙门村, 龙潭镇
WACHANG = "433123101201"  # 瓦场村, 凤凰县


@pytest.fixture
def designated():
    for code, kind in [
        (SHIBADONG, "poverty_exited_village"),
        (SHIBADONG, "key_assisted_village"),
        (NEIGHBOUR, "key_assisted_village"),
        (LONGMEN, "poverty_exited_village"),
        (WACHANG, "key_assisted_village"),
        ("433124102201", "demonstration_village"),  # not a kind this page counts
    ]:
        Designation.objects.create(region_id=code, kind=kind)


def test_county_page_lists_the_gap_first_and_says_how_each_is_covered(
    designated, organization, org_admin, county_official
):
    village_pairing = active(organization, org_admin, county_official)
    other = OrganizationFactory(name="双龙镇帮扶协会")
    township_pairing = active(
        other, MembershipFactory(organization=other).user, county_official, region_code=SHUANGLONG
    )
    proposed(organization, org_admin, region_code=LONGMEN)  # not confirmed: LONGMEN stays in the gap
    report = selectors.key_village_report(county_official)
    assert report.region.code == HUAYUAN and report.is_county
    assert [v.region.code for v in report.villages] == [LONGMEN, SHIBADONG, NEIGHBOUR]
    assert (report.total, report.paired, report.gap) == (3, 2, 1)
    by_code = {v.region.code: v for v in report.villages}
    assert [(c.pairing, c.level) for c in by_code[SHIBADONG].covers] == [
        (village_pairing, "village"),
        (township_pairing, "township"),
    ]
    assert [c.level_label for c in by_code[NEIGHBOUR].covers] == ["所在乡镇结对"]
    assert by_code[SHIBADONG].kind_labels == ["重点帮扶村", "脱贫村"]


def test_a_county_wide_pairing_covers_every_village_and_an_ended_one_none(
    designated, organization, org_admin, county_official
):
    county_wide = active(organization, org_admin, county_official, region_code=HUAYUAN)
    assert selectors.key_village_report(county_official).gap == 0
    services.end_pairing(actor=county_official, pairing=county_wide, reason="期满")
    assert selectors.key_village_report(county_official).gap == 3


def test_city_and_province_see_counts_per_county(
    designated, organization, org_admin, county_official, city_civil_affairs, province_rural_revitalization
):
    active(organization, org_admin, county_official)
    for user in (city_civil_affairs, province_rural_revitalization):
        report = selectors.key_village_report(user)
        rows = [(c.county.name, c.total, c.paired, c.gap) for c in report.counties]
        assert rows == [("花垣县", 3, 1, 2), ("凤凰县", 1, 0, 1)]
        assert (report.total, report.paired, report.gap) == (4, 1, 3)
    drilled = selectors.key_village_report(city_civil_affairs, HUAYUAN)
    assert drilled.is_county and drilled.total == 3


def test_out_of_scope_regions_look_missing_and_organizations_are_refused(
    designated, county_official, other_county_official, org_admin, village_submitter
):
    with pytest.raises(NotFound):
        selectors.key_village_report(other_county_official, HUAYUAN)
    with pytest.raises(NotFound):
        selectors.key_village_report(county_official, "433100000000")
    for user in (org_admin, village_submitter):
        with pytest.raises(Forbidden):
            selectors.key_village_report(user)
    # A township or village code means its county.
    assert selectors.key_village_report(county_official, SHIBADONG).region.code == HUAYUAN


def test_page_and_export(client, designated, organization, org_admin, county_official, city_civil_affairs):
    active(organization, org_admin, county_official)
    client.force_login(county_official)
    page = client.get("/pairings/key-villages/").content.decode()
    assert "龙门村" in page and "张刀村" in page and organization.name in page and "本村结对" in page
    assert page.index("龙门村") < page.index("十八洞村")  # the gap first
    response = client.get("/pairings/key-villages/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("村", "区划代码", "认定类型", "是否已结对")
    assert [r[3] for r in rows[1:]] == ["未结对", "未结对", "已结对"]
    client.force_login(city_civil_affairs)
    city = client.get("/pairings/key-villages/").content.decode()
    assert "花垣县" in city and f"?region={HUAYUAN}" in city
    api = client.get(f"/api/v1/pairings/key-villages?region={HUAYUAN}").json()
    assert (api["total"], api["paired"], api["gap"]) == (3, 1, 2)
    assert api["villages"][-1]["covers"][0]["level"] == "village"
    client.force_login(org_admin)
    assert client.get("/pairings/key-villages/").status_code == 403
