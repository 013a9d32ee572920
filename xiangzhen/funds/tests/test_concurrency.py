"""Two disbursements at once against a balance that covers only one: exactly one is paid.

Real threads on PostgreSQL (each its own connection; the fund row lock makes the second wait and
then re-sum the ledger). On SQLite, with one writer and no row locks, the calls run one after the
other and the second must see the first.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.tests.races import race
from xiangzhen.funds import ledger, services
from xiangzhen.funds.models import Disbursement
from xiangzhen.funds.tests.conftest import donate, fund_data
from xiangzhen.funds.validation import DisbursementData, ProjectData


@pytest.fixture
def reference_data(regions_loaded):
    import importlib

    from django.apps import apps

    importlib.import_module("xiangzhen.core.migrations.0002_taxonomies").seed(apps, None)


def _race(calls):
    results = race(calls)
    return [r for r in results if isinstance(r, Disbursement)], [r for r in results if isinstance(r, ValidationFailed)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_never_overdraw(reference_data, organization, org_admin, county_civil_affairs):
    fund = services.create_fund(actor=org_admin, organization=organization, data=fund_data())
    services.submit_fund(actor=org_admin, fund=fund)
    services.approve_fund(actor=county_civil_affairs, fund=fund)
    today = timezone.localdate()
    project = services.create_project(
        actor=org_admin, fund=fund, data=ProjectData(name="课后辅导", start_date=today, end_date=today)
    )
    donate(fund, org_admin, amount="1000")

    def pay():
        data = DisbursementData(
            amount="700", paid_on=today, payee="村委会", purpose="教材", project_number=project.number
        )
        return services.record_disbursement(actor=org_admin, fund=fund, data=data)

    wins, refusals = _race([pay, pay, pay])
    assert len(wins) == 1 and len(refusals) == 2
    assert "¥300.00" in refusals[0].message
    assert ledger.totals(fund).balance == Decimal("300.00")
    assert ledger.unbalanced_entries(fund) == []
