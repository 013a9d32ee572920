"""Property: whatever the county and the organization try, in whatever order, a pairing only moves
along the table, a refused step changes nothing, and the rollups agree with a recount."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory
from xiangzhen.pairings import services
from xiangzhen.pairings.models import Pairing
from xiangzhen.pairings.tests.factories import pairing_data, proposed
from xiangzhen.stats import rollups

STEPS = ["confirm", "return", "withdraw", "resubmit", "start_review", "renew", "conclude_end", "end"]


def _do(pairing: Pairing, step: str, org_admin, county_official) -> Pairing:
    county, org = county_official, org_admin
    if step == "confirm":
        return services.confirm_pairing(actor=county, pairing=pairing)
    if step == "return":
        return services.return_pairing(actor=county, pairing=pairing, reason="请修改")
    if step == "withdraw":
        return services.withdraw_pairing(actor=org, pairing=pairing)
    if step == "resubmit":
        return services.resubmit_pairing(actor=org, pairing=pairing, data=pairing_data(committed_projects=3))
    if step == "start_review":
        return services.start_review(actor=county, pairing=pairing)
    if step in ("renew", "conclude_end"):
        outcome = "renewed" if step == "renew" else "ended"
        services.conclude_review(
            actor=county, pairing=pairing, assessment="考核", outcome=outcome,
            new_end_date=pairing.end_date + datetime.timedelta(days=365),
        )  # fmt: skip
        return Pairing.objects.get(pk=pairing.pk)
    return services.end_pairing(actor=county, pairing=pairing, reason="期满")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(STEPS), max_size=8))
def test_random_step_sequences_follow_the_table(county_official, steps):
    organization = OrganizationFactory()
    org_admin = MembershipFactory(organization=organization).user
    pairing = proposed(organization, org_admin)
    for step in steps:
        before = Pairing.objects.get(pk=pairing.pk).status
        transition = services.WORKFLOW.transitions[step]
        try:
            pairing = _do(pairing, step, org_admin, county_official)
        except (InvalidTransition, ValidationFailed, Conflict, Forbidden):
            pairing = Pairing.objects.get(pk=pairing.pk)
            assert pairing.status == before
            continue
        assert before in transition.sources, f"{step} ran from {before}"
        assert pairing.status == transition.target
    assert rollups.differences() == []
