from decimal import Decimal

import pytest

from xiangzhen.allocation import services
from xiangzhen.allocation.models import AllocationRun, ProposalItem
from xiangzhen.allocation.tests.conftest import HUNAN, XIANGXI
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import MatchFactory

pytestmark = pytest.mark.django_db


def items_by_pair(run, world):
    demands = {world[n].pk: n for n in "ab"}
    offers = {world[n].pk: n for n in "xy"}
    return {(demands[i.demand_id], offers[i.offer_id]): i for i in run.items.all()}


def test_propose_finds_the_optimum_and_records_greedy_alongside(province_rural_revitalization, world, crafted_scores):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    assert set(items_by_pair(run, world)) == {("a", "y"), ("b", "x")}
    assert run.total_score == pytest.approx(8.5)
    assert run.greedy_total_score == pytest.approx(5.5)
    assert (run.demands_covered, run.greedy_covered) == (2, 2)
    assert (run.key_county_demands, run.key_county_covered, run.greedy_key_county_covered) == (2, 2, 2)
    assert run.status == AllocationRun.Status.DRAFT
    assert all(i.status == ProposalItem.Status.PROPOSED and i.in_key_county for i in run.items.all())
    assert not Match.objects.exists(), "a proposal matches nothing by itself"
    assert AuditEntry.objects.filter(action="allocation.propose", object_id=str(run.pk)).exists()


def test_city_staff_propose_for_their_city(city_civil_affairs, world, crafted_scores):
    run = services.propose(actor=city_civil_affairs, region_code=XIANGXI)
    assert run.region_id == XIANGXI
    assert run.items.count() == 2


def test_city_staff_cannot_propose_for_the_province(city_civil_affairs, world, crafted_scores):
    with pytest.raises(NotFound):
        services.propose(actor=city_civil_affairs, region_code=HUNAN)


def test_county_staff_and_organizations_cannot_propose(county_official, org_admin, world, crafted_scores):
    with pytest.raises(Forbidden):
        services.propose(actor=county_official, region_code="433124000000")
    with pytest.raises(NotFound):
        services.propose(actor=county_official, region_code=XIANGXI)
    with pytest.raises(NotFound):
        services.propose(actor=org_admin, region_code=HUNAN)


def test_propose_rejects_a_malformed_code(province_rural_revitalization):
    with pytest.raises(ValidationFailed):
        services.propose(actor=province_rural_revitalization, region_code="43abc")


def test_demands_already_served_and_full_offers_stay_out(province_rural_revitalization, world, crafted_scores):
    # x is full (one live match); a is fully covered by a live match of its whole budget.
    MatchFactory(demand=world["b"], organization=world["x"].organization, offer=world["x"])
    MatchFactory(demand=world["a"], organization=world["y"].organization, committed_amount=world["a"].budget)
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    assert run.demands_considered == 1 and run.offers_considered == 1
    # b is still open (budget left) but its organization-y pair is its only pair left: 0.5.
    assert set(items_by_pair(run, world)) == {("b", "y")}


def test_confirm_creates_a_match_with_origin_recommendation(
    province_rural_revitalization, org_admin, county_official, world, crafted_scores
):
    from xiangzhen.matching import services as matching_services

    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    item = items_by_pair(run, world)[("b", "x")]
    match = services.confirm_item(province_rural_revitalization, item)
    item.refresh_from_db()
    assert item.status == ProposalItem.Status.CONFIRMED and item.match == match
    assert item.decided_by == province_rural_revitalization
    assert match.origin == Match.Origin.RECOMMENDATION
    assert match.status == Match.Status.PROPOSED
    assert (match.demand, match.offer) == (world["b"], world["x"])
    # Even share of the offer's money (9000 over 1 slot) capped by the demand's budget (30000).
    assert match.committed_amount == Decimal("9000.00")
    assert AuditEntry.objects.filter(action="allocation.confirm_item", object_id=str(item.pk)).exists()
    # The normal flow follows: the organization accepts, the county confirms.
    accepted = matching_services.accept_match(actor=org_admin, match=match)
    confirmed = matching_services.confirm_match(actor=county_official, match=accepted)
    assert confirmed.status == Match.Status.CONFIRMED
    with pytest.raises(InvalidTransition):
        services.confirm_item(province_rural_revitalization, item)


def test_confirm_rechecks_capacity_under_lock(province_rural_revitalization, world, crafted_scores):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    # Someone takes offer x's only slot after the proposal was made.
    MatchFactory(demand=world["a"], organization=world["x"].organization, offer=world["x"])
    with pytest.raises(ValidationFailed):
        services.confirm_item(province_rural_revitalization, items_by_pair(run, world)[("b", "x")])
    assert items_by_pair(run, world)[("b", "x")].status == ProposalItem.Status.PROPOSED


def test_drop_needs_a_reason_and_closes_the_run_when_all_are_decided(
    province_rural_revitalization, world, crafted_scores
):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    items = items_by_pair(run, world)
    with pytest.raises(ValidationFailed):
        services.drop_item(province_rural_revitalization, items[("a", "y")], "  ")
    dropped = services.drop_item(province_rural_revitalization, items[("a", "y")], "该组织本季度已满负荷")
    assert dropped.status == ProposalItem.Status.DROPPED and dropped.drop_reason == "该组织本季度已满负荷"
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.DRAFT
    services.drop_item(province_rural_revitalization, items[("b", "x")], "需求方另有安排")
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.CLOSED
    assert not Match.objects.exists()


def test_items_out_of_scope_are_not_found_and_lower_roles_forbidden(
    province_rural_revitalization, other_county_official, county_official, org_admin, world, crafted_scores
):
    run = services.propose(actor=province_rural_revitalization, region_code=XIANGXI)
    item = run.items.first()
    for outsider in (other_county_official, county_official, org_admin):
        with pytest.raises(NotFound):
            services.confirm_item(outsider, item)
        with pytest.raises(NotFound):
            services.drop_item(outsider, item, "不需要")


def test_allocate_command_prints_the_figures(platform_admin, world, crafted_scores):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("allocate", HUNAN, stdout=out)
    text = out.getvalue()
    assert "覆盖需求" in text and "8.50" in text and "5.50" in text


def test_propose_with_the_real_scores_of_the_recommendations_engine(province_rural_revitalization, world):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN)
    # Both demands are education in 十八洞村, both offers education serving 花垣县, one slot each.
    assert run.candidate_pairs == 4
    assert run.demands_covered == 2 and run.items.count() == 2
    assert run.total_score >= run.greedy_total_score - 1e-6
    assert {i.offer_id for i in run.items.all()} == {world["x"].pk, world["y"].pk}


def test_minimum_key_county_share_is_kept_and_audited(province_rural_revitalization, world, crafted_scores):
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN, min_key_county_share=100)
    assert run.min_key_county_share == 100
    assert (run.key_county_demands, run.key_county_covered) == (2, 2)
    entry = AuditEntry.objects.get(action="allocation.propose", object_id=str(run.pk))
    assert entry.after["min_key_county_share"] == 100


def test_minimum_key_county_share_that_supply_cannot_reach_is_refused(
    province_rural_revitalization, world, monkeypatch
):
    # Only demand a has a candidate: at most 1 of the 2 key-county demands can be covered.
    monkeypatch.setattr(services, "pair_scores", lambda demands, offers: [(world["a"].pk, world["x"].pk, 1.0)])
    with pytest.raises(ValidationFailed) as failed:
        services.propose(actor=province_rural_revitalization, region_code=HUNAN, min_key_county_share=100)
    assert [e.field for e in failed.value.errors] == ["min_key_county_share"]
    assert "最多可覆盖 1 个" in failed.value.message
    run = services.propose(actor=province_rural_revitalization, region_code=HUNAN, min_key_county_share=50)
    assert run.key_county_covered == 1
    assert not AllocationRun.objects.filter(min_key_county_share=100).exists()


@pytest.mark.parametrize("share", [-1, 101])
def test_minimum_key_county_share_out_of_range_is_refused(province_rural_revitalization, world, crafted_scores, share):
    with pytest.raises(ValidationFailed):
        services.propose(actor=province_rural_revitalization, region_code=HUNAN, min_key_county_share=share)
