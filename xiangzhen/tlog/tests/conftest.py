from decimal import Decimal

import pytest

from xiangzhen.matching import services as matching
from xiangzhen.matching.services import Commitment
from xiangzhen.matching.tests.factories import DemandFactory, published_offer


@pytest.fixture
def evaluated_match(village_submitter, county_official, organization, org_admin):
    """A 十八洞村 match run through confirmation, completion and the demand side's evaluation:
    three leaves in the log (match.confirmed, match.completed, match.evaluated.demand)."""
    demand = DemandFactory(entered_by=village_submitter)
    offer = published_offer(organization, org_admin, capacity_demands=2, capacity_amount=Decimal("50000.00"))
    match = matching.order_offer(
        actor=village_submitter,
        demand=demand,
        offer=offer,
        commitment=Commitment(committed_amount="12000.50", people_to_serve=10),
    )
    match = matching.accept_match(actor=org_admin, match=match)
    match = matching.confirm_match(actor=county_official, match=match)
    match = matching.start_match(actor=org_admin, match=match)
    match = matching.complete_match(actor=org_admin, match=match, report="完成 12 次课后辅导")
    matching.evaluate_match(actor=village_submitter, match=match, score=5, comment="孩子们很喜欢")
    match.refresh_from_db()
    return match
