import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.regions.models import Designation
from xiangzhen.stats.figures import figures

XIANGXI = "433100000000"
HUAYUAN = "433124000000"
FENGHUANG = "433123000000"
SHIBADONG = "433124110226"
START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world(db):
    """In 花垣县 (a provincial key county) during H1 2026: three published demands of 十八洞村
    (a poverty-exited village), one matched after 4 days and completed, one matched after 2 days
    and under way, one waiting; one demand published in 2025 and one elsewhere, which do not count."""
    Designation.objects.create(region_id=HUAYUAN, kind=Designation.Kind.PROVINCIAL_KEY_COUNTY)
    Designation.objects.create(region_id=FENGHUANG, kind=Designation.Kind.NATIONAL_KEY_COUNTY)
    Designation.objects.create(region_id=SHIBADONG, kind=Designation.Kind.POVERTY_EXITED_VILLAGE)
    foundation = OrganizationFactory(kind="foundation", region_id="430000000000")
    agency = OrganizationFactory(kind="social_service_agency", region_id=HUAYUAN)
    done = DemandFactory(published_at=at(datetime.date(2026, 2, 1)))
    running = DemandFactory(published_at=at(datetime.date(2026, 3, 1)))
    DemandFactory(published_at=at(datetime.date(2026, 6, 30), 23))  # last evening of the period: counts
    DemandFactory(published_at=at(datetime.date(2025, 12, 31), 23))
    DemandFactory(region_id="431100000000", published_at=at(datetime.date(2026, 2, 1)))
    MatchFactory(
        demand=done,
        organization=foundation,
        status=Match.Status.COMPLETED,
        confirmed_at=at(datetime.date(2026, 2, 5)),
        completed_at=at(datetime.date(2026, 4, 1)),
        committed_amount=Decimal("12000.50"),
    )
    MatchFactory(
        demand=running,
        organization=agency,
        status=Match.Status.IN_PROGRESS,
        confirmed_at=at(datetime.date(2026, 3, 3)),
        committed_amount=Decimal("3000"),
    )
    MatchFactory(demand=running, status=Match.Status.CANCELLED, cancel_reason="重复", committed_amount=Decimal("999"))


def test_figures_of_a_city_subtree_for_a_half_year(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        result = figures(XIANGXI, START, END)
    assert result.demands_published == 3
    assert result.demands_matched == 2
    assert result.demands_completed == 1
    assert result.completed_matches == 1
    assert result.success_rate == Decimal("0.3333")
    assert result.average_days_to_match == Decimal("3.0")
    assert result.organizations == 2
    assert result.organizations_by_kind == {"foundation": 1, "social_service_agency": 1}
    assert result.organizations_by_level == {"county": 1, "province": 1}
    assert (result.key_counties, result.key_counties_covered) == (2, 1)
    assert (result.key_villages, result.key_villages_covered) == (1, 1)
    assert result.money_committed == Decimal("15000.50")


def test_figures_outside_the_subtree_or_period_are_empty(world):
    elsewhere = figures(FENGHUANG, START, END)
    assert (elsewhere.demands_published, elsewhere.organizations, elsewhere.key_counties_covered) == (0, 0, 0)
    assert elsewhere.key_counties == 1
    assert elsewhere.success_rate is None and elsewhere.average_days_to_match is None
    later = figures(XIANGXI, datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))
    assert later.demands_published == 0
    # The match under way still counts as taking part; the one completed in April does not.
    assert later.organizations == 1
    assert later.money_committed == Decimal("0.00")


def test_figures_as_json_carry_money_and_dates_as_strings(world):
    data = figures(XIANGXI, START, END).as_json()
    assert data["money_committed"] == "15000.50"
    assert data["start"] == "2026-01-01"
    assert data["success_rate"] == "0.3333"
    assert data["organizations_by_kind"] == {"foundation": 1, "social_service_agency": 1}


def test_the_figures_page_is_scoped_to_the_staff_region(client, world, county_official, other_county_official):
    client.force_login(county_official)
    page = client.get("/stats/?start=2026-01-01&end=2026-06-30").content.decode()
    assert "花垣县" in page and "15000.50" in page
    assert client.get(f"/stats/?region={XIANGXI}").status_code == 404
    client.force_login(other_county_official)
    assert client.get(f"/stats/?region={HUAYUAN}").status_code == 404
