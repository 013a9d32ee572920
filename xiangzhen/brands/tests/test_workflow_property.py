"""Property: whatever sequence of steps people try, a campaign and an exemplary case only ever move
along their transition tables, and a refused step changes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiangzhen.brands import services
from xiangzhen.brands.models import ExemplaryCase
from xiangzhen.campaigns import services as campaign_services
from xiangzhen.campaigns.models import Campaign
from xiangzhen.campaigns.tests.conftest import campaign_data
from xiangzhen.core.errors import InvalidTransition

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
@SETTINGS
@given(actions=st.lists(st.sampled_from(list(services.CASE_SERVICES)), max_size=8))
def test_case_steps_follow_the_table(platform_admin, county_civil_affairs, organization, actions):
    case = services.create_case(
        actor=county_civil_affairs,
        data=services.CaseData(title="性质", summary="摘要", body="正文", organization_id=organization.pk),
    )
    for action in actions:
        before = case.status
        transition = services.CASE_WORKFLOW.transitions[action]
        actor = county_civil_affairs if action in services.WRITER_ACTIONS else platform_admin
        try:
            services.CASE_SERVICES[action](actor=actor, case=case, reason="原因")
        except InvalidTransition:
            assert before not in transition.sources
            assert ExemplaryCase.objects.get(pk=case.pk).status == before
            continue
        assert before in transition.sources and case.status == transition.target


@pytest.mark.django_db
@SETTINGS
@given(actions=st.lists(st.sampled_from(["publish", "close", "update"]), max_size=6))
def test_campaign_steps_follow_the_table(county_official, actions):
    campaign = campaign_services.create_campaign(actor=county_official, data=campaign_data())
    for action in actions:
        before = campaign.status
        if action == "update":
            try:
                campaign = campaign_services.update_campaign(
                    actor=county_official, campaign=campaign, changes={"target_activities": 7}
                )
            except InvalidTransition:
                assert before == Campaign.Status.CLOSED
            continue
        transition = campaign_services.WORKFLOW.transitions[action]
        try:
            campaign_services.TRANSITION_SERVICES[action](actor=county_official, campaign=campaign)
        except InvalidTransition:
            assert before not in transition.sources
            assert Campaign.objects.get(pk=campaign.pk).status == before
            continue
        assert before in transition.sources and campaign.status == transition.target
