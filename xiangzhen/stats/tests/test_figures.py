import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.regions.models import Designation
from xiangzhen.stats import rollups
from xiangzhen.stats.figures import figures, local_sums, rollup_sums, uses_rollups

XIANGXI = "433100000000"
HUAYUAN = "433124000000"
FENGHUANG = "433123000000"
SHUANGLONG = "433124110000"  # 双龙镇
SHIBADONG = "433124110226"
START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world(db):
    """In 花垣县 (a provincial key county) during H1 2026: three published demands of 十八洞村
    (a poverty-exited village), one matched after 4 days and completed, one matched after 2 days
    and under way, one waiting; one demand published in 2025 and one elsewhere, which do not count.
    Written straight to the tables, then the rollups rebuilt from them (as after an import)."""
    Designation.objects.create(region_id=HUAYUAN, kind=Designation.Kind.PROVINCIAL_KEY_COUNTY)
    Designation.objects.create(region_id=FENGHUANG, kind=Designation.Kind.NATIONAL_KEY_COUNTY)
    Designation.objects.create(region_id=SHIBADONG, kind=Designation.Kind.POVERTY_EXITED_VILLAGE)
    foundation = OrganizationFactory(kind="foundation", region_id="430000000000")
    agency = OrganizationFactory(kind="social_service_agency", region_id=HUAYUAN)
    done = DemandFactory(published_at=at(datetime.date(2026, 2, 1)), status=Demand.Status.COMPLETED)
    running = DemandFactory(published_at=at(datetime.date(2026, 3, 1)), status=Demand.Status.IN_PROGRESS)
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
    rollups.rebuild()


def test_figures_of_a_city_subtree_for_a_half_year(world, django_assert_max_num_queries):
    assert uses_rollups(XIANGXI, START, END)
    with django_assert_max_num_queries(6):
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
    # Nobody confirmed, completed or recorded anything in H2; the match under way still covers the village.
    assert later.organizations == 0
    assert (later.key_villages, later.key_villages_covered) == (1, 1)
    assert later.money_committed == Decimal("0.00")


def test_a_quarter_counts_only_its_own_months(world):
    q2 = figures(XIANGXI, datetime.date(2026, 4, 1), END)
    assert (q2.demands_published, q2.demands_matched, q2.completed_matches, q2.demands_completed) == (1, 0, 1, 1)
    assert q2.organizations == 1  # the foundation completed its match in April


def test_below_county_and_odd_periods_come_from_the_records_and_agree(world):
    assert not uses_rollups(SHUANGLONG, START, END)
    township = figures(SHUANGLONG, START, END)
    county = figures(HUAYUAN, START, END)
    assert township.as_json() | {"region_code": HUAYUAN, "key_counties": 1, "key_counties_covered": 1} == (
        county.as_json()
    )
    period, _standing, _organizations = local_sums(HUAYUAN, START, END)
    assert period == rollup_sums(HUAYUAN, START, END)
    # Not month-aligned: the evening of 30 June falls outside.
    assert figures(XIANGXI, START, datetime.date(2026, 6, 29)).demands_published == 2


def test_figures_as_json_carry_money_and_dates_as_strings(world):
    data = figures(XIANGXI, START, END).as_json()
    assert data["money_committed"] == "15000.50"
    assert data["start"] == "2026-01-01"
    assert data["success_rate"] == "0.3333"
    assert data["organizations_by_kind"] == {"foundation": 1, "social_service_agency": 1}


def test_the_whole_country(world):
    country = figures("", START, END)
    assert country.demands_published == 4  # the one in 431100 too
    assert country.region_code == ""
