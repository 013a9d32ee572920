from decimal import Decimal

import pytest

from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.matching.tests.factories import DemandFactory, published_offer
from xiangzhen.organizations.tests.factories import MembershipFactory


@pytest.fixture
def published_demand(village_submitter):
    """十八洞村 needs 30 000 元 of education help; entered by the village submitter."""
    return DemandFactory(entered_by=village_submitter, title="十八洞村留守儿童课后辅导")


@pytest.fixture
def offer(organization, org_admin):
    """Our organization's published offer: 2 demands, 50 000 元, serving 花垣县, education."""
    return published_offer(
        organization, org_admin, title="农村留守儿童课后辅导", capacity_demands=2, capacity_amount=Decimal("50000.00")
    )


@pytest.fixture
def org_member(organization):
    return MembershipFactory(organization=organization, user=UserFactory(username="org_member"), role="member").user


@pytest.fixture
def second_org_admin(db):
    """Admin of another approved 花垣县 organization (for partial fulfilment and races)."""
    from xiangzhen.organizations.tests.factories import OrganizationFactory

    other = OrganizationFactory(name="花垣县青年志愿者协会", kind="social_group")
    return MembershipFactory(organization=other, user=UserFactory(username="second_org_admin")).user
