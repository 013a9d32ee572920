"""Property: whatever sequence of actions people try, a demand only ever moves along the table."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiangzhen.core.errors import InvalidTransition, ValidationFailed
from xiangzhen.demands import services
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import DemandFactory
from xiangzhen.demands.tests.test_services import ALL_ACTIONS, _act

REACHABLE_TARGETS = {t.target for t in services.WORKFLOW.transitions.values()} | {Demand.Status.DRAFT}


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(ALL_ACTIONS), max_size=12))
def test_random_action_sequences_follow_the_table(platform_admin, actions):
    demand = DemandFactory(status=Demand.Status.DRAFT, deadline=timezone.localdate() - datetime.timedelta(days=1))
    for action in actions:
        before = demand.status
        transition = services.WORKFLOW.transitions[action]
        try:
            _act(platform_admin, demand, action)
        except (InvalidTransition, ValidationFailed):
            assert Demand.objects.get(pk=demand.pk).status == before
            continue
        assert before in transition.sources, f"{action} ran from {before}"
        assert demand.status == transition.target
        assert demand.status in REACHABLE_TARGETS
    assert Demand.objects.get(pk=demand.pk).status == demand.status
