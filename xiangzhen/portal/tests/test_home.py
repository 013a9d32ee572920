"""The visitor's home page: `/` for visitors, the region chooser, what is shown near them first."""

import pytest
from django.urls import reverse

from xiangzhen.portal.tests.factories import published_article

pytestmark = pytest.mark.django_db

HUAYUAN, FENGHUANG, XIANGXI, HUNAN = "433124000000", "433123000000", "433100000000", "430000000000"
FENGHUANG_VILLAGE = "433123101204"


@pytest.fixture
def two_counties(organization, org_admin):
    """A published demand in each of 花垣县 (十八洞村) and 凤凰县; an offer serving each county."""
    from xiangzhen.matching.tests.factories import DemandFactory
    from xiangzhen.offers.tests.factories import OfferFactory

    DemandFactory(status="published", title="花垣县的需求")
    DemandFactory(status="published", title="凤凰县的需求", region_id=FENGHUANG_VILLAGE)
    OfferFactory(organization=organization, created_by=org_admin, status="published", title="服务花垣的供给")
    OfferFactory(
        organization=organization, created_by=org_admin, status="published", title="服务凤凰的供给",
        regions=[FENGHUANG],
    )  # fmt: skip
    OfferFactory(organization=organization, created_by=org_admin, status="draft", title="未发布的供给")


def test_root_shows_the_portal_to_visitors_and_the_workbench_to_staff(client, two_counties, county_official):
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "花垣县的需求" in text and "工作人员登录" in text
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
    client.force_login(county_official)
    signed_in = client.get("/")
    assert signed_in.status_code == 200
    assert "portal-home" not in signed_in.content.decode()
    assert signed_in.templates[0].name == "core/home.html"


def test_region_chooser_walks_down_to_a_county_and_is_remembered(client, two_counties):
    # Default: the province of the newest published demand (湖南).
    page = client.get("/").content.decode()
    assert "<b>湖南省</b>" in page and f'value="{XIANGXI}"' in page
    response = client.get("/", {"region": XIANGXI})
    assert response.cookies["xz_region"].value == XIANGXI
    assert f'value="{HUAYUAN}">花垣县' in response.content.decode()
    county = client.get("/", {"region": HUAYUAN}).content.decode()
    assert f'href="?region={HUNAN}">湖南省</a>' in county and "<b>花垣县</b>" in county
    assert 'id="f-region"' not in county  # nothing to choose below a county
    remembered = client.get("/").content.decode()
    assert "<b>花垣县</b>" in remembered


def test_demands_near_the_visitor_come_first_then_elsewhere(client, two_counties):
    page = client.get("/", {"region": FENGHUANG}).content.decode()
    near, elsewhere = page.index("凤凰县的需求"), page.index("花垣县的需求")
    assert near < page.index("其他地区") < elsewhere
    assert "服务凤凰的供给" in page and "服务花垣的供给" not in page and "未发布的供给" not in page
    huayuan = client.get("/", {"region": HUAYUAN}).content.decode()
    assert huayuan.index("花垣县的需求") < huayuan.index("其他地区") < huayuan.index("凤凰县的需求")
    assert "服务花垣的供给" in huayuan and "服务凤凰的供给" not in huayuan
    # A city is served by offers for its counties too.
    city = client.get("/", {"region": XIANGXI}).content.decode()
    assert "服务花垣的供给" in city and "服务凤凰的供给" in city and "其他地区" not in city


@pytest.mark.parametrize("bad", ["abc", "999999000000", "433124110226", "<script>"])
def test_a_region_that_cannot_be_chosen_means_the_whole_country(client, two_counties, bad):
    response = client.get("/", {"region": bad})
    assert response.status_code == 200
    assert response.cookies["xz_region"].value == ""
    text = response.content.decode()
    assert "花垣县的需求" in text and "凤凰县的需求" in text and "<script>" not in text


def test_articles_grouped_by_kind_newest_first(client, county_civil_affairs, county_official):
    for n in range(4):
        published_article(county_civil_affairs, county_official, kind="news", title=f"新闻{n}")
    published_article(county_civil_affairs, county_official, kind="policy", title="一项政策")
    page = client.get("/").content.decode()
    assert "<h3>政策</h3>" in page and "<h3>新闻动态</h3>" in page and "<h3>规划</h3>" not in page
    assert "新闻3" in page and "新闻1" in page and "新闻0" not in page  # three per kind, newest first
    assert page.index("新闻3") < page.index("新闻2")


def test_home_query_count_does_not_grow_with_the_data(
    client, organization, org_admin, county_civil_affairs, county_official, django_assert_max_num_queries
):
    from xiangzhen.matching.tests.factories import DemandFactory
    from xiangzhen.offers.tests.factories import OfferFactory

    def grow(n: int) -> None:
        for i in range(n):
            DemandFactory(status="published", region_id=FENGHUANG_VILLAGE if i % 2 else "433124110226")
            OfferFactory(organization=organization, created_by=org_admin, status="published")
            published_article(county_civil_affairs, county_official, kind=["news", "policy", "notice"][i % 3])

    grow(2)
    with django_assert_max_num_queries(20) as small:
        client.get("/", {"region": HUAYUAN})
    grow(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/", {"region": HUAYUAN}).status_code == 200
