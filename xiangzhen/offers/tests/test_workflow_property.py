"""Random sequences of actions by random people never leave the transition table."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiangzhen.core.errors import XiangzhenError
from xiangzhen.offers import services
from xiangzhen.offers.models import Offer
from xiangzhen.offers.tests.factories import OfferFactory

ACTIONS = list(services.WORKFLOW.transitions)
ACTORS = ["org_admin", "org_member", "county_civil_affairs", "province_civil_affairs", "other_org_admin"]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ACTORS)), max_size=12))
def test_random_actions_follow_the_table(request, organization, steps):
    users = {name: request.getfixturevalue(name) for name in ACTORS}
    offer = OfferFactory(organization=organization)
    status, version = offer.status, offer.version
    for action, actor in steps:
        try:
            services.TRANSITION_SERVICES[action](actor=users[actor], offer=offer, reason="原因")
        except XiangzhenError:
            fresh = Offer.objects.get(pk=offer.pk)
            assert (fresh.status, fresh.version) == (status, version)  # a refusal changes nothing
            continue
        transition = services.WORKFLOW.transitions[action]
        assert status in transition.sources and offer.status == transition.target
        assert offer.version == version + 1
        assert actor != "other_org_admin" and actor != "province_civil_affairs"
        if action in services.REVIEW_ACTIONS:
            assert actor == "county_civil_affairs"
        status, version = offer.status, offer.version
    assert offer.status in Offer.Status.values
    assert offer.is_public == (offer.status in ("published", "closed"))
