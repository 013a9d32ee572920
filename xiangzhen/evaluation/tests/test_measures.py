"""Measures computed from real records of every kind, for all organizations of a province at once."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.evaluation.measures import Year, disclosure_record, measure_table
from xiangzhen.evaluation.tests import factories as f
from xiangzhen.funds import services as funds
from xiangzhen.funds.models import Disbursement, Disclosure, Fund
from xiangzhen.funds.validation import DisbursementData, DisclosureData, DonationData, FundData, ProjectData
from xiangzhen.matching.models import MatchActivity
from xiangzhen.organizations.tests.factories import OrganizationFactory

HUNAN = "430000000000"
YEAR = 2025
TODAY = date(2026, 3, 1)


def d(month: int, day: int, year: int = YEAR) -> date:
    return date(year, month, day)


def fund_with_money(organization, org_admin, reviewer) -> Fund:
    """An approved fund (activated 2 Jan 2025) with one disbursement in 2025, one in 2026, and one
    fund-level disclosure made on time (period to 31 Mar, published 30 Mar)."""
    fund = funds.create_fund(
        actor=org_admin,
        organization=organization,
        data=FundData(
            name="测评基金",
            founder_kind="enterprise",
            founder_name="某公司",
            purpose="资助",
            domains=["education"],
            target_regions=["433124000000"],
        ),
    )
    funds.submit_fund(actor=org_admin, fund=fund)
    fund = funds.approve_fund(actor=reviewer, fund=fund)
    today = timezone.localdate()
    project = funds.create_project(
        actor=org_admin,
        fund=fund,
        data=ProjectData(name="项目", start_date=today - datetime.timedelta(days=1), end_date=today),
    )
    funds.record_donation(
        actor=org_admin,
        fund=fund,
        data=DonationData(
            donor_kind="enterprise", donor_name="某公司", amount="10000", donated_on=today, channel="bank",
            receipt_number="EV-1",
        ),
    )  # fmt: skip
    for amount in ("2000.00", "500.00"):
        funds.record_disbursement(
            actor=org_admin,
            fund=fund,
            data=DisbursementData(
                amount=amount, paid_on=today, payee="十八洞村", purpose="课后辅导", project_number=project.number
            ),
        )
    Disbursement.objects.filter(fund=fund, amount=Decimal("2000")).update(paid_on=d(6, 1))
    Disbursement.objects.filter(fund=fund, amount=Decimal("500")).update(paid_on=d(1, 5, 2026))
    disclosure = funds.publish_disclosure(
        actor=org_admin, fund=fund, data=DisclosureData(period_start=d(1, 2), period_end=d(3, 31), text="一季度公开")
    )
    Disclosure.objects.filter(pk=disclosure.pk).update(published_at=f.moment(d(3, 30)))
    Fund.objects.filter(pk=fund.pk).update(activated_at=f.moment(d(1, 2)))
    return fund


@pytest.fixture
def records(organization, org_admin, county_civil_affairs):
    """A year of the 花垣县 organization's work, with records outside the year around it."""
    by = org_admin
    m1 = f.match(organization, status="completed", confirmed=d(3, 1), completed=d(6, 1), people=10)
    m2 = f.match(organization, status="evaluated", confirmed=d(4, 1), completed=d(7, 1), people=20)
    m3 = f.match(organization, status="in_progress", confirmed=d(5, 1))
    f.match(organization, status="in_progress", confirmed=d(12, 1, 2024))
    old = f.match(organization, status="completed", confirmed=d(9, 1, 2024), completed=d(11, 1, 2024))
    f.document(m1, by)  # the completion report's evidence: a document on the match…
    work = MatchActivity.objects.create(match=m2, date=d(6, 20), title="辅导", recorded_by=by)
    f.document(work, by)  # …or a photo of one of its activities
    f.evaluation(m1, score=4, on=d(6, 10))
    f.evaluation(m2, score=5, on=d(7, 10))
    f.evaluation(m2, score=3, on=d(7, 12), side="county")
    f.evaluation(old, score=1, on=d(11, 5, 2024))
    f.milestone(m3, due=d(5, 10), done=d(5, 9))  # on time
    f.milestone(m3, due=d(6, 10), done=d(6, 20))  # late
    f.milestone(m3, due=d(12, 31), done=None)  # overdue by "today"
    f.milestone(m1, due=d(1, 10, 2026), done=None)  # another year
    volunteers = [UserFactory(), UserFactory()]
    f.activity(organization, by, held=d(3, 10), recorded=d(3, 12), people=20, hours=["2.5", "3"], volunteers=volunteers)
    f.activity(organization, by, held=d(8, 1), recorded=d(8, 20), people=30)
    f.activity(organization, by, held=d(12, 30, 2024), recorded=d(12, 31, 2024), people=99)
    f.purchase(organization, by, amount="1200.50", on=d(5, 1))
    f.purchase(organization, by, amount="300", on=d(12, 31))
    f.purchase(organization, by, amount="999", on=d(1, 1, 2026))
    f.pairing(organization, by, status="active", start=d(6, 1, 2024), end=d(5, 31, 2026))
    f.pairing(organization, by, status="ended", start=d(1, 1, 2024), end=d(12, 31, 2024), ended=d(12, 1, 2024))
    f.pairing(organization, by, status="ended", start=d(1, 1, 2024), end=d(3, 1), ended=d(3, 1))
    f.pairing(organization, by, status="withdrawn", start=d(1, 1), end=d(12, 31))
    f.facility(organization, by, status="in_use", opened=d(2, 1))
    f.facility(organization, by, status="closed", opened=d(1, 1, 2024), closed=d(12, 1, 2024))
    f.facility(organization, by, status="building", opened=None)
    f.facility(organization, by, status="closed", opened=d(3, 1, 2024), closed=d(4, 1))
    fund_with_money(organization, org_admin, county_civil_affairs)
    other = OrganizationFactory(name="凤凰县乡村发展协会", kind="social_group", region_id="433123000000")
    f.activity(other, by, held=d(5, 5), recorded=d(5, 5), people=7)
    pending = OrganizationFactory(name="待审核组织", status="submitted")
    f.activity(pending, by, held=d(5, 5), recorded=d(5, 5))
    shanxi = OrganizationFactory(name="太原市公益服务中心", region_id="140105000000")
    f.activity(shanxi, by, held=d(5, 5), recorded=d(5, 5))
    return {"other": other, "pending": pending, "shanxi": shanxi}


def test_measures_of_one_year_from_the_records(organization, records):
    table = measure_table(HUNAN, YEAR, TODAY)
    assert table[organization.pk] == {
        "matches_taken": 3,
        "matches_completed": 2,
        "match_people_served": 30,
        "evaluation_count": 3,
        "evaluation_average": 4,
        "activities": 2,
        "people_served": 50,
        "volunteer_hours": Decimal("5.5"),
        "purchases": Decimal("1500.5"),
        "pairings_active": 2,
        "facilities_in_use": 2,
        "money_disbursed": 2000,
        "activity_timeliness": Decimal("0.5"),
        "milestone_timeliness": Decimal("0.3333"),
        "timeliness": Decimal("0.4"),
        # Due 2 Apr (met 30 Mar), then 30 Jun, 30 Sep and 30 Dec missed.
        "disclosure_timeliness": Decimal("0.25"),
        "report_evidence_share": 1,
        "transparency": Decimal("0.5"),
    }


def test_only_approved_organizations_of_the_province_are_measured(organization, records):
    table = measure_table(HUNAN, YEAR, TODAY)
    assert set(table) == {organization.pk, records["other"].pk}
    assert table[records["other"].pk]["activities"] == 1
    assert table[records["other"].pk]["people_served"] == 7
    assert table[records["other"].pk]["matches_taken"] == 0
    assert set(measure_table("140000000000", YEAR, TODAY)) == {records["shanxi"].pk}


def test_a_completed_match_without_evidence_lowers_the_evidence_share(organization, org_admin):
    f.match(organization, status="completed", confirmed=d(3, 1), completed=d(6, 1))
    f.document(f.match(organization, status="completed", confirmed=d(3, 1), completed=d(6, 2)), org_admin)
    assert measure_table(HUNAN, YEAR, TODAY)[organization.pk]["report_evidence_share"] == Decimal("0.5")


def test_the_number_of_queries_does_not_grow_with_the_organizations(organization, org_admin, records):
    with CaptureQueriesContext(connection) as few:
        measure_table(HUNAN, YEAR, TODAY)
    for n in range(4):
        more = OrganizationFactory(name=f"新增组织{n}")
        f.activity(more, org_admin, held=d(5, 5), recorded=d(5, 6))
        f.match(more, status="completed", confirmed=d(3, 1), completed=d(6, 1))
    with CaptureQueriesContext(connection) as many:
        table = measure_table(HUNAN, YEAR, TODAY)
    assert len(table) == 6
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


@pytest.mark.parametrize(
    ("disclosures", "closed_on", "today", "expected"),
    [
        ([], None, date(2025, 12, 31), (4, 0)),  # due 2 Jan, 2 Apr, 2 Jul and 2 Oct, none made
        ([(date(2025, 3, 31), date(2025, 3, 30)), (date(2025, 6, 30), date(2025, 9, 1))], None, TODAY, (4, 1)),
        ([], None, date(2025, 5, 1), (1, 0)),  # only the April one is due by 1 May
        ([(date(2025, 3, 31), date(2025, 3, 30))], date(2025, 3, 31), TODAY, (1, 1)),  # closed after disclosing
        ([], date(2025, 2, 1), TODAY, (1, 0)),  # closed unannounced: due three months after closing
    ],
)
def test_disclosure_record_follows_the_fund_schedule(disclosures, closed_on, today, expected):
    activated = date(2024, 10, 2) if expected == (4, 0) else date(2025, 1, 2)
    assert disclosure_record(activated, closed_on, disclosures, Year(YEAR, today)) == expected
