"""Progress is computed from the records other apps keep: each figure, and what must not count."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.facilities.models import Facility
from xiangzhen.matching.models import Match
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory
from xiangzhen.pairings import progress
from xiangzhen.pairings.tests.factories import (
    FENGHUANG_VILLAGE,
    LONGTAN_VILLAGE,
    NEIGHBOUR,
    SHIBADONG,
    SHUANGLONG,
    active,
    activity,
    completed_match,
    disbursement,
    fund_of,
    purchase,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
INSIDE = TODAY - datetime.timedelta(days=5)
BEFORE = TODAY - datetime.timedelta(days=40)  # the pairings start 30 days ago


@pytest.fixture
def pairing(organization, org_admin, county_official):
    return active(organization, org_admin, county_official)


@pytest.fixture
def other_organization():
    return OrganizationFactory(name="另一家社会组织")


def test_projects_are_completed_matches_of_the_organization_in_the_place(pairing, organization, other_organization):
    completed_match(organization, SHIBADONG, INSIDE)
    completed_match(organization, SHIBADONG, TODAY)
    evaluated = completed_match(organization, SHIBADONG, INSIDE)
    Match.objects.filter(pk=evaluated.pk).update(status=Match.Status.EVALUATED)
    completed_match(organization, NEIGHBOUR, INSIDE)  # another village
    completed_match(organization, SHIBADONG, BEFORE)  # before the pairing started
    completed_match(other_organization, SHIBADONG, INSIDE)  # another organization
    running = completed_match(organization, SHIBADONG, INSIDE)
    Match.objects.filter(pk=running.pk).update(status=Match.Status.IN_PROGRESS)
    figure = progress.pairing_progress(pairing).projects
    assert figure.achieved == 3 and figure.commitment == 2 and figure.percent == Decimal("150.0")
    assert figure.bar == 100


def test_money_is_disbursements_to_the_place_plus_activity_money(
    pairing, organization, org_admin, other_organization, county_official
):
    fund = fund_of(organization, org_admin)
    disbursement(fund, "1000", INSIDE, pairing=pairing)
    match = completed_match(organization, SHIBADONG, INSIDE)
    disbursement(fund, "2000", INSIDE, match=match)
    there = activity(organization, org_admin, SHIBADONG, INSIDE, money="300")
    disbursement(fund, "400", INSIDE, activity=there)
    room = Facility.objects.create(
        number="XW-433124-2026-800001", kind=Facility.Kind.READING_ROOM, name="十八洞村阅读小屋",
        village_id=SHIBADONG, builder=organization, created_by=org_admin,
    )  # fmt: skip
    disbursement(fund, "500", INSIDE, facility=room)
    # None of these count: another place, before the period, another organization's fund and activity.
    elsewhere = activity(organization, org_admin, LONGTAN_VILLAGE, INSIDE, money="7000")
    disbursement(fund, "7000", INSIDE, activity=elsewhere)
    disbursement(fund, "7000", BEFORE, pairing=pairing)
    other_fund = fund_of(other_organization, org_admin)
    disbursement(other_fund, "7000", INSIDE, pairing=pairing)
    activity(other_organization, org_admin, SHIBADONG, INSIDE, money="7000")
    figure = progress.pairing_progress(pairing).money
    assert figure.achieved == Decimal("4200.00")
    assert figure.percent == Decimal("4.2")


def test_volunteer_hours_are_members_hours_on_activities_in_the_place(pairing, organization, org_admin, org_member):
    activity(organization, org_admin, SHIBADONG, INSIDE, hours=[(org_admin, "4"), (org_member, "3.5")])
    activity(organization, org_admin, SHIBADONG, TODAY, hours=[(org_member, "2")])
    activity(organization, org_admin, NEIGHBOUR, INSIDE, hours=[(org_member, "8")])
    activity(organization, org_admin, SHIBADONG, BEFORE, hours=[(org_member, "8")])
    other = OrganizationFactory()
    activity(other, org_admin, SHIBADONG, INSIDE, hours=[(org_admin, "8")])
    figure = progress.pairing_progress(pairing).volunteer_hours
    assert figure.achieved == Decimal("9.5") and figure.commitment == Decimal("200.0")


def test_purchases_are_the_organizations_purchases_of_products_from_the_place(pairing, organization, org_admin):
    purchase(organization, org_admin, SHIBADONG, "1200", INSIDE)
    purchase(organization, org_admin, SHIBADONG, "800", TODAY)
    purchase(organization, org_admin, FENGHUANG_VILLAGE, "5000", INSIDE)
    purchase(organization, org_admin, SHIBADONG, "5000", BEFORE)
    purchase(OrganizationFactory(), org_admin, SHIBADONG, "5000", INSIDE)
    figure = progress.pairing_progress(pairing).purchases
    assert figure.achieved == Decimal("2000") and figure.percent == Decimal("4.0")


def test_a_township_pairing_counts_every_village_of_the_township(organization, org_admin, county_official):
    township = active(organization, org_admin, county_official, region_code=SHUANGLONG)
    purchase(organization, org_admin, SHIBADONG, "100", INSIDE)
    purchase(organization, org_admin, NEIGHBOUR, "200", INSIDE)
    purchase(organization, org_admin, LONGTAN_VILLAGE, "400", INSIDE)
    assert progress.pairing_progress(township).purchases.achieved == Decimal("300")


def test_the_review_period_narrows_the_figures(pairing, organization, org_admin):
    purchase(organization, org_admin, SHIBADONG, "100", INSIDE)
    purchase(organization, org_admin, SHIBADONG, "200", TODAY)
    only_today = progress.pairing_progress(pairing, TODAY, TODAY)
    assert only_today.purchases.achieved == Decimal("200")
    start, end = progress.review_period(pairing, TODAY.year)
    assert start == max(pairing.start_date, datetime.date(TODAY.year, 1, 1))
    assert end == datetime.date(TODAY.year, 12, 31)


def test_nothing_committed_has_no_percentage(organization, org_admin, county_official):
    pairing = active(organization, org_admin, county_official, committed_purchases="0")
    purchase(organization, org_admin, SHIBADONG, "100", INSIDE)
    figure = progress.pairing_progress(pairing).purchases
    assert figure.percent is None and figure.achieved == Decimal("100") and figure.bar == 100


def test_a_page_of_pairings_is_measured_in_a_fixed_number_of_queries(
    django_assert_num_queries, organization, org_admin, county_official
):
    pairings = [active(organization, org_admin, county_official)]
    for code in (NEIGHBOUR, SHUANGLONG, LONGTAN_VILLAGE):
        other = OrganizationFactory()
        admin = MembershipFactory(organization=other).user
        pairings.append(active(other, admin, county_official, region_code=code))
        purchase(other, admin, code if code != SHUANGLONG else SHIBADONG, "10", INSIDE)
    purchase(organization, org_admin, SHIBADONG, "10", INSIDE)
    with django_assert_num_queries(5):
        one = progress.progress_by_pairing(pairings[:1])
    with django_assert_num_queries(5):
        many = progress.progress_by_pairing(pairings)
    assert one[pairings[0].pk].purchases.achieved == Decimal("10")
    assert [many[p.pk].purchases.achieved for p in pairings] == [Decimal("10")] * 4
    assert many[pairings[0].pk] == progress.pairing_progress(pairings[0])
