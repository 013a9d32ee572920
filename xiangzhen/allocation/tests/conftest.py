"""A small world for allocation: two published demands in 十八洞村 (花垣县, a key county) and two
offers of two organizations with one slot each, scored so that first-come-first-served goes wrong."""

from decimal import Decimal

import pytest

from xiangzhen.allocation import services
from xiangzhen.matching.tests.factories import DemandFactory, published_offer
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.regions.models import Designation

HUNAN = "430000000000"
XIANGXI = "433100000000"


@pytest.fixture
def world(village_submitter, organization, org_admin):
    """Demand a (published first) and b; offer x (organization) and y (another organization).
    Scores: a–x 5, a–y 4, b–x 4.5, b–y 0.5 — greedy gives a x and b y (5.5), the optimum 8.5."""
    Designation.objects.create(region_id="433124000000", kind="national_key_county")
    a = DemandFactory(entered_by=village_submitter, title="甲村留守儿童课后辅导")
    b = DemandFactory(entered_by=village_submitter, title="乙村留守儿童阅读陪伴")
    other = OrganizationFactory(name="花垣县青年志愿者协会", kind="social_group")
    x = published_offer(organization, org_admin, title="课后辅导", capacity_demands=1, capacity_amount=Decimal("9000"))
    y = published_offer(other, org_admin, title="阅读陪伴", capacity_demands=1, capacity_amount=Decimal("50000"))
    return {"a": a, "b": b, "x": x, "y": y}


@pytest.fixture
def crafted_scores(world, monkeypatch):
    """Replace the recommendations engine's scores with the crafted ones (the solver is what is tested)."""
    table = {("a", "x"): 5.0, ("a", "y"): 4.0, ("b", "x"): 4.5, ("b", "y"): 0.5}
    pk = {name: obj.pk for name, obj in world.items()}

    def pair_scores(demands, offers):
        demand_ids, offer_ids = {d.pk for d in demands}, {o.pk for o in offers}
        return [(pk[d], pk[o], score) for (d, o), score in table.items() if pk[d] in demand_ids and pk[o] in offer_ids]

    monkeypatch.setattr(services, "pair_scores", pair_scores)
    return table
