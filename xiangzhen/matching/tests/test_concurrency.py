"""Two people taking the last slot at once: exactly one wins.

With real threads on PostgreSQL (each thread its own connection and transaction; the offer and
demand row locks make the second wait and then re-count). On SQLite, which has one writer and no
row locks, the same calls run one after the other and the second must see the first.
"""

from decimal import Decimal

import pytest

from xiangzhen.core.errors import Conflict, ValidationFailed
from xiangzhen.core.tests.races import race
from xiangzhen.matching import services
from xiangzhen.matching.models import Match
from xiangzhen.matching.services import Commitment
from xiangzhen.matching.tests.factories import DemandFactory, published_offer


@pytest.fixture
def reference_data(regions_loaded):
    """A transactional test starts from an emptied database: the region tree and the taxonomies again."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("xiangzhen.core.migrations.0002_taxonomies").seed
    seed(apps, None)


def _race(calls):
    """Returns (wins, refusals)."""
    results = race(calls)
    return [r for r in results if isinstance(r, Match)], [
        r for r in results if isinstance(r, (ValidationFailed, Conflict))
    ]


@pytest.mark.django_db(transaction=True)
def test_two_orders_for_the_last_slot_of_an_offer(
    reference_data, village_submitter, county_official, organization, org_admin
):
    offer = published_offer(organization, org_admin, capacity_demands=1, capacity_amount=Decimal("50000"))
    first, second = DemandFactory(), DemandFactory()
    wins, refusals = _race(
        [
            lambda: services.order_offer(
                actor=village_submitter, demand=first, offer=offer, commitment=Commitment(committed_amount="100")
            ),
            lambda: services.order_offer(
                actor=county_official, demand=second, offer=offer, commitment=Commitment(committed_amount="100")
            ),
        ]
    )
    assert len(wins) == 1 and len(refusals) == 1
    assert Match.objects.filter(offer=offer, status__in=Match.ACTIVE_STATUSES).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_organizations_taking_the_last_of_a_demands_budget(
    reference_data, org_admin, second_org_admin, published_demand
):
    wins, refusals = _race(
        [
            lambda: services.take_demand(
                actor=org_admin, demand=published_demand, commitment=Commitment(committed_amount="20000")
            ),
            lambda: services.take_demand(
                actor=second_org_admin, demand=published_demand, commitment=Commitment(committed_amount="20000")
            ),
        ]
    )
    assert len(wins) == 1 and len(refusals) == 1
    assert "剩余资金缺口" in refusals[0].message
    assert Match.objects.filter(demand=published_demand).count() == 1
