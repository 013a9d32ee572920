"""Purchases edited or removed behind the platform's back are found by the public verifier."""

from decimal import Decimal

import pytest
from django.test import Client

from xiangzhen.consumption.models import Purchase
from xiangzhen.consumption.tests.conftest import buy
from xiangzhen.consumption.tests.factories import purchase
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
def batch(product, organization, org_admin):
    batch = buy(
        org_admin, organization, purchase(product, amount="800"), purchase(product, invoice_number="FP-2", amount="50")
    )
    services.publish_checkpoint(actor=None)
    return batch


def test_untouched_purchases_pass_the_audit(batch):
    assert audit() == []


def test_a_purchase_amount_changed_in_the_database_is_named(batch):
    changed = batch.purchases.get(amount=Decimal("800"))
    Purchase.objects.filter(pk=changed.pk).update(amount=Decimal("80.00"))
    problems = audit()
    assert len(problems) == 1
    assert batch.number in problems[0] and changed.number in problems[0]
    assert "'800.00'" in problems[0] and "'80.00'" in problems[0]


def test_a_purchase_moved_to_another_invoice_is_named(batch):
    Purchase.objects.filter(batch=batch, invoice_number="FP-2").update(invoice_number="FP-3")
    problems = audit()
    assert problems and batch.number in problems[0] and "FP-3" in problems[0]
