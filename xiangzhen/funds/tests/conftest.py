from datetime import timedelta

import pytest
from django.utils import timezone

from xiangzhen.funds import services
from xiangzhen.funds.validation import DonationData, FundData, ProjectData


def fund_data(**changes) -> FundData:
    data = FundData(
        name="花垣县乡村振兴教育专项基金",
        founder_kind="individual",
        founder_name="龙大山",
        purpose="资助十八洞村及周边留守儿童的课后辅导和阅读。",
        domains=["education"],
        target_regions=["433124000000"],
    )
    return data.merged(changes)


def donation_data(**changes) -> DonationData:
    data = DonationData(
        donor_kind="individual",
        donor_name="石爱心",
        amount="1000.00",
        donated_on=timezone.localdate(),
        channel="bank",
        receipt_number="SJ-0001",
    )
    return data.merged(changes)


@pytest.fixture
def draft_fund(organization, org_admin):
    return services.create_fund(actor=org_admin, organization=organization, data=fund_data())


@pytest.fixture
def fund(draft_fund, org_admin, county_civil_affairs):
    services.submit_fund(actor=org_admin, fund=draft_fund)
    return services.approve_fund(actor=county_civil_affairs, fund=draft_fund)


@pytest.fixture
def project(fund, org_admin):
    today = timezone.localdate()
    return services.create_project(
        actor=org_admin,
        fund=fund,
        data=ProjectData(
            name="十八洞村课后辅导", start_date=today - timedelta(days=30), end_date=today + timedelta(days=300),
            domain="education", budget="50000",
        ),
    )  # fmt: skip


def donate(fund, actor, **changes):
    return services.record_donation(actor=actor, fund=fund, data=donation_data(**changes))
