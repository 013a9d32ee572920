from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.core.errors import NotFound
from xiangzhen.matching import selectors
from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory, published_offer
from xiangzhen.organizations.models import Organization
from xiangzhen.organizations.tests.factories import OrganizationFactory

FENGHUANG_VILLAGE_PREFIX = "433123"


def at(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))


@pytest.mark.django_db
def test_success_rate_on_known_data(organization):
    jan, feb = date(2026, 1, 15), date(2026, 2, 15)
    in_jan = [DemandFactory(published_at=at(jan)) for _ in range(4)]
    DemandFactory(published_at=at(feb))
    DemandFactory(region_id="433123000000", published_at=at(jan))  # 凤凰县
    DemandFactory(status="submitted")  # never published
    MatchFactory(demand=in_jan[0], organization=organization, status=Match.Status.COMPLETED)
    MatchFactory(demand=in_jan[0], organization=OrganizationFactory(), status=Match.Status.EVALUATED)
    MatchFactory(demand=in_jan[1], organization=organization, status=Match.Status.EVALUATED)
    MatchFactory(demand=in_jan[2], organization=organization, status=Match.Status.IN_PROGRESS)
    MatchFactory(demand=in_jan[3], organization=organization, status=Match.Status.CANCELLED, cancel_reason="x")

    figures = selectors.success_rate("433124000000", date(2026, 1, 1), date(2026, 1, 31))
    assert (figures.published_demands, figures.completed_matches, figures.demands_completed) == (4, 3, 2)
    assert figures.active_matches == 4 and figures.rate == 0.75 and figures.percent == "75.0%"
    whole = selectors.success_rate("433100000000")  # 湘西州, any time
    assert whole.published_demands == 6 and whole.completed_matches == 3 and whole.rate == 0.5
    assert selectors.success_rate("433124", date(2026, 3, 1), date(2026, 3, 31)).rate is None
    # the end day counts whole
    assert selectors.success_rate("433124000000", date(2026, 2, 15), date(2026, 2, 15)).published_demands == 1


@pytest.mark.django_db
def test_success_rate_for_checks_scope(county_official, other_county_official):
    assert selectors.success_rate_for(county_official, "433124110226").region_code == "433124110226"
    with pytest.raises(NotFound):
        selectors.success_rate_for(other_county_official, "433124000000")
    with pytest.raises(NotFound):
        selectors.success_rate_for(county_official, "not-a-code")


@pytest.mark.django_db
def test_duplicates_find_the_same_village_and_domain_only(county_official, organization):
    a, b = DemandFactory(), DemandFactory()
    health = DemandFactory(domains=["health"])
    other_village = DemandFactory(region_id="433124110201")
    MatchFactory(demand=a, organization=organization, status=Match.Status.CONFIRMED)
    MatchFactory(demand=b, organization=OrganizationFactory(), status=Match.Status.IN_PROGRESS)
    MatchFactory(demand=health, organization=OrganizationFactory(), status=Match.Status.CONFIRMED)
    MatchFactory(demand=other_village, organization=OrganizationFactory(), status=Match.Status.CONFIRMED)
    MatchFactory(demand=b, organization=OrganizationFactory(), status=Match.Status.DECLINED, decline_reason="x")

    groups = selectors.duplicates(county_official, "433124000000")
    assert len(groups) == 1
    group = groups[0]
    assert group.region.code == "433124110226" and group.domain_code == "education"
    assert {m.demand_id for m in group.matches} == {a.pk, b.pk}
    assert group.organizations == 2 and group.demands == 2 and group.committed == Decimal("2000.00")


@pytest.mark.django_db
def test_duplicates_out_of_scope_is_not_found(other_county_official):
    with pytest.raises(NotFound):
        selectors.duplicates(other_county_official, "433124000000")


@pytest.mark.django_db
def test_coverage_and_candidate_offers(organization, org_admin, published_demand):
    fits = published_offer(organization, org_admin, title="合适", capacity_demands=1)
    published_offer(organization, org_admin, title="领域不同", domains=["health"])
    published_offer(organization, org_admin, title="区域不同", regions=["433123000000"])
    published_offer(organization, org_admin, title="草稿", status="draft")
    published_offer(organization, org_admin, title="全国", nationwide=True)
    suspended = OrganizationFactory(status=Organization.Status.SUSPENDED)
    published_offer(suspended, org_admin, title="组织暂停")
    assert sorted(o.title for o in selectors.candidate_offers(published_demand)) == ["全国", "合适"]

    MatchFactory(
        demand=published_demand, organization=organization, offer=fits, committed_amount="12000", people_to_serve=20
    )
    MatchFactory(
        demand=published_demand, organization=OrganizationFactory(), committed_amount="5000",
        status=Match.Status.CANCELLED, cancel_reason="x",
    )  # fmt: skip
    cover = selectors.coverage(published_demand)
    assert (cover.budget, cover.covered, cover.remaining) == (Decimal("30000"), Decimal("12000"), Decimal("18000"))
    assert (cover.people_needed, cover.people_covered, cover.active_matches, cover.percent) == (30, 20, 1, 40)
    # the one slot of `fits` is taken now
    assert [o.title for o in selectors.candidate_offers(published_demand)] == ["全国"]
    load = selectors.offer_load(fits)
    assert load.slots_left == 0 and load.amount_left == Decimal("38000")


@pytest.mark.django_db
def test_scope_of_the_match_list(
    county_official, other_county_official, village_submitter, org_admin, other_org_admin, organization, platform_admin
):
    ours = MatchFactory(demand=DemandFactory(), organization=organization)
    theirs = MatchFactory(demand=DemandFactory(region_id="433123000000"), organization=OrganizationFactory())
    assert list(selectors.matches(county_official)) == [ours]
    assert list(selectors.matches(village_submitter)) == [ours]
    assert list(selectors.matches(org_admin)) == [ours]
    assert list(selectors.matches(other_county_official)) == [theirs]
    assert list(selectors.matches(other_org_admin)) == []
    assert set(selectors.matches(platform_admin)) == {ours, theirs}
    with pytest.raises(NotFound):
        selectors.get_match(other_county_official, ours.pk)


@pytest.mark.django_db
def test_duplicates_mark_one_household_served_by_two_organizations(client, county_official, village_submitter):
    from xiangzhen.demands import services as demand_services
    from xiangzhen.demands.tests.factories import demand_data

    def for_household(title, name):
        data = demand_data(title=title, on_behalf_of_household=True, household_name=name, household_consent=True)
        demand = demand_services.create_demand(actor=village_submitter, data=data, submit=True)
        return demand_services.publish_demand(actor=county_official, demand=demand)

    first = for_household("龙大爷家危房修缮", "龙老四")
    second = for_household("龙大爷家屋顶补漏", " 龙老四 ")
    other = for_household("石奶奶家助餐", "石秀英")
    assert first.household_key and first.household_key == second.household_key != other.household_key
    MatchFactory(demand=first, organization=OrganizationFactory(), status=Match.Status.CONFIRMED)
    MatchFactory(demand=second, organization=OrganizationFactory(), status=Match.Status.IN_PROGRESS)
    MatchFactory(demand=other, organization=OrganizationFactory(), status=Match.Status.CONFIRMED)

    [group] = selectors.duplicates(county_official, "433124000000")
    assert group.repeated_households == {first.household_key}
    client.force_login(county_official)
    page = client.get("/matches/duplicates/?county=433124000000").content.decode()
    assert "同一农户由多家组织帮扶" in page and page.count("同一农户</span>") == 2
