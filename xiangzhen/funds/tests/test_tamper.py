"""Money records edited or removed behind the platform's back are found by the public verifier."""

from decimal import Decimal

import pytest
from django.test import Client

from xiangzhen.funds.models import Disbursement, Donation
from xiangzhen.funds.tests.conftest import donate
from xiangzhen.funds.tests.test_services import pay
from xiangzhen.tlog import conf, services, verify

pytestmark = pytest.mark.django_db


def audit() -> list[str]:
    client = Client()

    def fetch(url):
        response = client.get(url)
        return response.status_code, response.content

    problems, _ = verify.audit(verify.ApiSource("/api/v1/tlog", fetch), verify.load_key(conf.verifier_key().text()))
    return [p.message for p in problems]


@pytest.fixture
def money(fund, org_admin, project):
    donation = donate(fund, org_admin, amount="800", restricted_project=project.number)
    disbursement = pay(fund, org_admin, "300", project_number=project.number)
    services.publish_checkpoint(actor=None)
    return donation, disbursement


def test_untouched_money_records_pass_the_audit(money):
    assert audit() == []


def test_a_donation_amount_changed_in_the_database_is_named(money):
    donation, _ = money
    Donation.objects.filter(pk=donation.pk).update(amount=Decimal("80.00"))
    problems = audit()
    assert problems and donation.number in problems[0] and "800.00" in problems[0] and "80.00" in problems[0]


def test_a_disbursement_amount_changed_in_the_database_is_named(money):
    _, disbursement = money
    Disbursement.objects.filter(pk=disbursement.pk).update(amount=Decimal("30.00"))
    problems = audit()
    assert problems and disbursement.number in problems[0]


def test_a_deleted_donation_is_named(money):
    donation, _ = money
    # What someone with database access would do: remove the row and its ledger posting.
    entry = donation.entry
    Donation.objects.filter(pk=donation.pk).delete()
    entry.lines.all().delete()
    entry.delete()
    problems = audit()
    assert problems and donation.number in problems[0] and "删除" in problems[0]
