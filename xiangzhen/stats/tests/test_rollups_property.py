"""Property: whatever people do through the services, in whatever order, the rollups equal a
recount from the records (demands, matches and their activities, funds)."""

import contextlib
import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.demands import services as demand_services
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import demand_data
from xiangzhen.funds import services as fund_services
from xiangzhen.funds.tests.conftest import donation_data, fund_data
from xiangzhen.funds.validation import DisbursementData
from xiangzhen.matching import services as match_services
from xiangzhen.matching.models import Match
from xiangzhen.matching.services import ActivityData, Commitment
from xiangzhen.stats import rollups
from xiangzhen.stats.models import Rollup

REFUSED = (Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed)
OTHER_VILLAGE = "433124110201"
ACTIONS = [
    "publish", "publish_draft", "move", "withdraw", "take", "accept", "confirm", "start", "activity",
    "complete", "evaluate", "cancel", "decline", "donate", "disburse",
]  # fmt: skip


@pytest.fixture
def people(county_official, county_civil_affairs, village_submitter, organization, org_admin):
    fund = fund_services.create_fund(actor=org_admin, organization=organization, data=fund_data())
    fund_services.submit_fund(actor=org_admin, fund=fund)
    fund_services.approve_fund(actor=county_civil_affairs, fund=fund)
    return {"county": county_official, "village": village_submitter, "org": org_admin, "fund": fund}


def _pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


# The match statuses each action usually starts from (picking from these makes long runs likely;
# the actions that may be refused still are, and a refusal must leave the totals as they were).
FROM = {
    "accept": ["proposed"], "confirm": ["accepted"], "start": ["confirmed"], "activity": ["in_progress"],
    "complete": ["in_progress"], "evaluate": ["completed"], "decline": ["proposed", "cancelled"],
    "cancel": ["proposed", "accepted", "confirmed", "in_progress"],
}  # fmt: skip


RECEIPTS = itertools.count(1)


def act(people, action: str, index: int) -> None:
    county, village, org, fund = people["county"], people["village"], people["org"], people["fund"]
    demand = _pick(Demand.objects.all(), index)
    matches = Match.objects.filter(status__in=FROM[action]) if action in FROM else Match.objects.all()
    match = _pick(matches, index)
    today = timezone.localdate()
    if action == "publish":
        demand_services.create_demand(actor=county, data=demand_data(), publish=True)
    elif action == "publish_draft":
        draft = demand_services.create_demand(actor=village, data=demand_data(), submit=True)
        demand_services.publish_demand(actor=county, demand=draft)
    elif action == "move" and demand is not None:
        demand_services.update_demand(actor=county, demand=demand, changes={"region_code": OTHER_VILLAGE})
    elif action == "withdraw" and demand is not None:
        demand_services.withdraw_demand(actor=county, demand=demand, reason="村里已自行解决")
    elif action == "take" and demand is not None:
        amount = Decimal(1000 + 500 * (index % 5))
        match_services.take_demand(actor=org, demand=demand, commitment=Commitment(committed_amount=amount))
    elif match is None:
        pass
    elif action == "accept":
        match_services.accept_match(actor=county, match=match)
    elif action == "confirm":
        match_services.confirm_match(actor=county, match=match)
    elif action == "start":
        match_services.start_match(actor=org, match=match)
    elif action == "activity":
        data = ActivityData(date=today, title="课后辅导", people_served=10 + index % 7)
        match_services.record_activity(actor=org, match=match, data=data)
    elif action == "complete":
        match_services.complete_match(actor=org, match=match, report="完成辅导")
    elif action == "evaluate":
        match_services.evaluate_match(actor=county, match=match, score=5)
    elif action == "cancel":
        match_services.cancel_match(actor=county, match=match, reason="无法实施")
    elif action == "decline":
        match_services.decline_match(actor=county, match=match, reason="不合适")
    if action == "donate":
        receipt = f"P-{next(RECEIPTS)}"
        fund_services.record_donation(
            actor=org, fund=fund, data=donation_data(amount=f"{100 * (index + 1)}.00", receipt_number=receipt)
        )
    elif action == "disburse":
        paid = _pick(Match.objects.filter(status__in=["confirmed", "in_progress", "completed"]), index)
        target = {"match_number": paid.number} if paid is not None else {}
        data = DisbursementData(amount="50.00", paid_on=today, payee="十八洞村村委会", purpose="教材", **target)
        fund_services.record_disbursement(actor=org, fund=fund, data=data)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 6)), max_size=14))
def test_rollups_equal_a_recount_after_any_sequence_of_actions(people, steps):
    for action, index in steps:
        with contextlib.suppress(*REFUSED):
            act(people, action, index)
    assert rollups.differences() == []


def test_a_published_demand_and_its_confirmed_match_move_the_totals(people, organization):
    county, org = people["county"], people["org"]
    demand = demand_services.create_demand(actor=county, data=demand_data(), publish=True)
    match = match_services.take_demand(actor=org, demand=demand, commitment=Commitment(committed_amount="2000"))
    match = match_services.accept_match(actor=county, match=match)
    match = match_services.confirm_match(actor=county, match=match)
    month = timezone.localdate().replace(day=1)
    totals = {(r.metric, r.dimension): r.value for r in Rollup.objects.filter(region_code="433124000000", month=month)}
    assert totals[("demands_published", "")] == 1
    assert totals[("demands_matched", "")] == 1
    assert totals[("money_committed", "")] == Decimal("2000")
    assert totals[("org_participation", str(organization.pk))] == 1
    match_services.cancel_match(actor=county, match=match, reason="无法实施")
    assert not Rollup.objects.filter(metric="demands_matched", value__gt=0).exists()
    assert rollups.differences() == []


def test_rebuild_rollups_check_names_a_difference(people, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    demand_services.create_demand(actor=people["county"], data=demand_data(), publish=True)
    call_command("rebuild_rollups", "--check")
    Rollup.objects.filter(metric="demands_published").update(value=5)
    with pytest.raises(CommandError, match="demands_published"):
        call_command("rebuild_rollups", "--check")
    call_command("rebuild_rollups")
    assert rollups.differences() == []
    assert datetime.date.today()  # the command ran end to end
