from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.demands.models import Demand
from xiangzhen.matching import services
from xiangzhen.matching.models import Match, MatchEvaluation
from xiangzhen.matching.services import ActivityData, Commitment
from xiangzhen.matching.tests.factories import DemandFactory, published_offer
from xiangzhen.offers.models import Offer
from xiangzhen.organizations.models import Organization

Status = Match.Status


def terms(amount="10000", people=10, **kwargs):
    return Commitment(committed_amount=amount, people_to_serve=people, **kwargs)


def fresh(instance):
    instance.refresh_from_db()
    return instance


def order(village_submitter, demand, offer, amount="10000"):
    return services.order_offer(actor=village_submitter, demand=demand, offer=offer, commitment=terms(amount))


def run_to_completion(match, *, answerer, county, org_admin):
    match = services.accept_match(actor=answerer, match=match)
    match = services.confirm_match(actor=county, match=match)
    match = services.start_match(actor=org_admin, match=match)
    return services.complete_match(actor=org_admin, match=match, report="完成 12 次课后辅导")


# ---------------------------------------------------------------- 点单


@pytest.mark.django_db
def test_order_creates_a_proposed_match_with_a_number_and_audit(village_submitter, published_demand, offer):
    match = order(village_submitter, published_demand, offer)
    assert match.status == Status.PROPOSED and match.origin == Match.Origin.ORDER
    assert match.number.startswith("DJ-433124-")
    assert match.organization_id == offer.organization_id
    entry = AuditEntry.objects.get(action="matching.order", object_id=str(match.pk))
    assert entry.region_code == published_demand.region_id and entry.actor == village_submitter


@pytest.mark.django_db
def test_county_staff_may_order_but_not_another_county(county_official, other_county_official, published_demand, offer):
    assert services.order_offer(actor=county_official, demand=published_demand, offer=offer, commitment=terms())
    with pytest.raises(NotFound):
        services.order_offer(actor=other_county_official, demand=published_demand, offer=offer, commitment=terms())


@pytest.mark.django_db
def test_organization_cannot_order(org_admin, published_demand, offer):
    with pytest.raises((NotFound, Forbidden)):
        services.order_offer(actor=org_admin, demand=published_demand, offer=offer, commitment=terms())


@pytest.mark.django_db
def test_order_requires_offer_covering_the_place(village_submitter, published_demand, organization, org_admin):
    far = published_offer(organization, org_admin, regions=["433123000000"])  # 凤凰县 only
    with pytest.raises(ValidationFailed) as exc:
        order(village_submitter, published_demand, far)
    assert exc.value.errors[0].field == "offer_id" and "服务区域" in exc.value.message


@pytest.mark.django_db
def test_order_requires_a_shared_domain(village_submitter, published_demand, organization, org_admin):
    health = published_offer(organization, org_admin, domains=["health"])
    with pytest.raises(ValidationFailed, match="共同的服务领域"):
        order(village_submitter, published_demand, health)


@pytest.mark.django_db
def test_order_requires_published_offer_and_approved_organization(
    village_submitter, published_demand, organization, org_admin
):
    draft = published_offer(organization, org_admin, status=Offer.Status.DRAFT)
    with pytest.raises(ValidationFailed, match="已发布"):
        order(village_submitter, published_demand, draft)
    live = published_offer(organization, org_admin)
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.SUSPENDED)
    with pytest.raises(ValidationFailed, match="审核通过后才能对接"):
        order(village_submitter, published_demand, fresh(live))


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "submitted", "withdrawn", "expired", "completed"])
def test_order_requires_an_open_demand(village_submitter, offer, status):
    demand = DemandFactory(entered_by=village_submitter, status=status)
    with pytest.raises(InvalidTransition):
        order(village_submitter, demand, offer)
    assert not Match.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("committed_amount", "-1", "不能为负数"),
        ("committed_amount", "abc", "应为金额"),
        ("committed_amount", "1.234", "两位小数"),
        ("people_to_serve", "三十", "应为整数"),
        ("people_to_serve", "-3", "不能为负数"),
    ],
)
def test_bad_commitment_names_the_field(village_submitter, published_demand, offer, field, value, message):
    values = {"committed_amount": "100", "people_to_serve": 1, field: value}
    with pytest.raises(ValidationFailed) as exc:
        services.order_offer(
            actor=village_submitter, demand=published_demand, offer=offer, commitment=Commitment(**values)
        )
    assert exc.value.errors[0].field == field and message in exc.value.message
    assert not Match.objects.exists()


# ---------------------------------------------------------------- 接单


@pytest.mark.django_db
def test_take_with_and_without_an_offer(org_admin, published_demand, offer, organization):
    match = services.take_demand(actor=org_admin, demand=published_demand, offer=offer, commitment=terms())
    assert match.origin == Match.Origin.TAKE and match.organization == organization and match.offer == offer
    other = DemandFactory(title="另一个需求")
    bare = services.take_demand(actor=org_admin, demand=other, commitment=terms("0"))
    assert bare.offer is None and bare.organization == organization


@pytest.mark.django_db
def test_take_needs_an_admin_of_the_offers_organization(org_member, other_org_admin, published_demand, offer):
    with pytest.raises(Forbidden):
        services.take_demand(actor=org_member, demand=published_demand, offer=offer, commitment=terms())
    with pytest.raises(Forbidden):
        services.take_demand(actor=other_org_admin, demand=published_demand, offer=offer, commitment=terms())


@pytest.mark.django_db
def test_staff_cannot_take(county_official, published_demand):
    with pytest.raises(Forbidden):
        services.take_demand(actor=county_official, demand=published_demand, commitment=terms())


@pytest.mark.django_db
def test_one_organization_one_live_match_per_demand(org_admin, published_demand, offer):
    services.take_demand(actor=org_admin, demand=published_demand, offer=offer, commitment=terms("100"))
    with pytest.raises(ValidationFailed, match="不能重复对接"):
        services.take_demand(actor=org_admin, demand=published_demand, commitment=terms("100"))


# ---------------------------------------------------------------- capacity and partial fulfilment


@pytest.mark.django_db
def test_offer_capacity_in_demands_is_never_exceeded(village_submitter, organization, org_admin):
    offer = published_offer(organization, org_admin, capacity_demands=1, capacity_amount=Decimal("90000"))
    first, second = DemandFactory(), DemandFactory()
    order(village_submitter, first, offer, "100")
    with pytest.raises(ValidationFailed) as exc:
        order(village_submitter, second, offer, "100")
    assert exc.value.errors[0].field == "offer_id" and "已全部占用" in exc.value.message
    assert Match.objects.filter(offer=offer).count() == 1


@pytest.mark.django_db
def test_offer_capacity_in_money_is_never_exceeded(village_submitter, organization, org_admin):
    offer = published_offer(organization, org_admin, capacity_demands=5, capacity_amount=Decimal("25000"))
    order(village_submitter, DemandFactory(), offer, "20000")
    with pytest.raises(ValidationFailed) as exc:
        order(village_submitter, DemandFactory(), offer, "5000.01")
    assert exc.value.errors[0].field == "committed_amount"
    assert "剩余可投入资金 5000.00 元" in exc.value.message
    order(village_submitter, DemandFactory(), offer, "5000")


@pytest.mark.django_db
def test_a_cancelled_match_frees_its_slot(village_submitter, organization, org_admin):
    offer = published_offer(organization, org_admin, capacity_demands=1)
    match = order(village_submitter, DemandFactory(), offer, "100")
    services.cancel_match(actor=village_submitter, match=match, reason="村里已另行解决")
    assert order(village_submitter, DemandFactory(), offer, "100").status == Status.PROPOSED


@pytest.mark.django_db
def test_remaining_budget_rule_with_figures(org_admin, second_org_admin, published_demand):
    services.take_demand(actor=org_admin, demand=published_demand, commitment=terms("20000"))
    with pytest.raises(ValidationFailed) as exc:
        services.take_demand(actor=second_org_admin, demand=published_demand, commitment=terms("10000.01"))
    assert exc.value.errors[0].field == "committed_amount"
    assert (
        "剩余资金缺口 10000.00 元" in exc.value.message and "所需 30000.00 元，已对接 20000.00 元" in exc.value.message
    )
    services.take_demand(actor=second_org_admin, demand=published_demand, commitment=terms("10000"))


@pytest.mark.django_db
def test_sequential_last_slot_second_caller_sees_the_first(village_submitter, county_official, organization, org_admin):
    """What the threaded race checks on PostgreSQL, on one connection: the second call sees the first."""
    offer = published_offer(organization, org_admin, capacity_demands=1)
    a, b = DemandFactory(), DemandFactory()
    order(village_submitter, a, offer, "100")
    with pytest.raises(ValidationFailed):
        services.order_offer(actor=county_official, demand=b, offer=offer, commitment=terms("100"))
    assert Match.objects.filter(offer=offer, status__in=Match.ACTIVE_STATUSES).count() == 1


# ---------------------------------------------------------------- the flow and the demand following it


@pytest.mark.django_db
def test_order_flow_to_evaluated_moves_the_demand(
    village_submitter, county_official, org_admin, org_member, published_demand, offer
):
    match = order(village_submitter, published_demand, offer, "30000")
    match = services.accept_match(actor=org_member, match=match)
    assert match.status == Status.ACCEPTED and match.accepted_by == org_member
    assert fresh(published_demand).status == Demand.Status.PUBLISHED
    match = services.confirm_match(actor=county_official, match=match)
    assert match.status == Status.CONFIRMED and fresh(published_demand).status == Demand.Status.MATCHED
    match = services.start_match(actor=org_member, match=match)
    assert fresh(published_demand).status == Demand.Status.IN_PROGRESS
    activity = services.record_activity(
        actor=org_member,
        match=match,
        data=ActivityData(
            date=timezone.localdate(), title="第一次课后辅导", people_served="28", amount_spent="1200.50"
        ),
    )
    assert activity.people_served == 28 and activity.amount_spent == Decimal("1200.50")
    match = services.complete_match(actor=org_admin, match=fresh(match), report="完成 12 次课后辅导")
    assert match.status == Status.COMPLETED and fresh(published_demand).status == Demand.Status.COMPLETED
    evaluation = services.evaluate_match(actor=village_submitter, match=match, score=5, comment="孩子们很喜欢")
    assert evaluation.by_side == MatchEvaluation.Side.DEMAND
    assert fresh(match).status == Status.EVALUATED and fresh(published_demand).status == Demand.Status.EVALUATED
    county = services.evaluate_match(actor=county_official, match=fresh(match), score=4)
    assert county.by_side == MatchEvaluation.Side.COUNTY
    assert [e.action for e in AuditEntry.objects.filter(object_type="matching.match").order_by("id")] == [
        "matching.order", "matching.accept", "matching.confirm", "matching.start",
        "matching.complete", "matching.evaluate",
    ]  # fmt: skip


@pytest.mark.django_db
def test_demand_completes_only_when_all_its_live_matches_are_completed(
    village_submitter, county_official, org_admin, second_org_admin, published_demand, offer
):
    first = services.take_demand(actor=org_admin, demand=published_demand, offer=offer, commitment=terms("15000"))
    second = services.take_demand(actor=second_org_admin, demand=published_demand, commitment=terms("15000"))
    first = run_to_completion(first, answerer=village_submitter, county=county_official, org_admin=org_admin)
    assert fresh(published_demand).status == Demand.Status.IN_PROGRESS  # the second is still pending
    run_to_completion(second, answerer=county_official, county=county_official, org_admin=second_org_admin)
    assert fresh(published_demand).status == Demand.Status.COMPLETED
    services.evaluate_match(actor=village_submitter, match=fresh(first), score=4)
    assert fresh(published_demand).status == Demand.Status.COMPLETED
    services.evaluate_match(actor=village_submitter, match=fresh(second), score=3)
    assert fresh(published_demand).status == Demand.Status.EVALUATED


@pytest.mark.django_db
def test_cancelling_the_only_confirmed_match_publishes_the_demand_again(
    village_submitter, county_official, org_admin, published_demand, offer
):
    match = services.take_demand(actor=org_admin, demand=published_demand, offer=offer, commitment=terms())
    match = services.accept_match(actor=village_submitter, match=match)
    match = services.confirm_match(actor=county_official, match=match)
    assert fresh(published_demand).status == Demand.Status.MATCHED
    services.cancel_match(actor=county_official, match=match, reason="组织无法按期开展")
    assert fresh(published_demand).status == Demand.Status.PUBLISHED
    assert fresh(match).cancel_reason == "组织无法按期开展"


@pytest.mark.django_db
def test_a_matched_demand_still_takes_matches_for_its_remaining_budget(
    village_submitter, county_official, org_admin, second_org_admin, published_demand
):
    first = services.take_demand(actor=org_admin, demand=published_demand, commitment=terms("10000"))
    services.accept_match(actor=village_submitter, match=first)
    services.confirm_match(actor=county_official, match=fresh(first))
    assert fresh(published_demand).status == Demand.Status.MATCHED
    second = services.take_demand(actor=second_org_admin, demand=fresh(published_demand), commitment=terms("20000"))
    assert second.status == Status.PROPOSED


# ---------------------------------------------------------------- who may answer


@pytest.mark.django_db
def test_order_is_answered_by_the_organization_only(
    village_submitter, county_official, other_org_admin, org_member, published_demand, offer
):
    match = order(village_submitter, published_demand, offer)
    with pytest.raises(Forbidden):
        services.accept_match(actor=village_submitter, match=match)
    with pytest.raises(Forbidden):
        services.accept_match(actor=county_official, match=match)
    with pytest.raises(NotFound):  # another organization does not even see it
        services.accept_match(actor=other_org_admin, match=match)
    assert services.accept_match(actor=org_member, match=match).status == Status.ACCEPTED


@pytest.mark.django_db
def test_take_is_answered_by_the_demand_side_only(
    org_admin, org_member, other_county_official, village_submitter, published_demand
):
    match = services.take_demand(actor=org_admin, demand=published_demand, commitment=terms())
    with pytest.raises(Forbidden):
        services.accept_match(actor=org_member, match=match)
    with pytest.raises(NotFound):
        services.accept_match(actor=other_county_official, match=match)
    assert services.decline_match(actor=village_submitter, match=match, reason="已有组织在做").status == Status.DECLINED


@pytest.mark.django_db
def test_only_the_county_confirms(
    village_submitter, county_official, org_admin, province_rural_revitalization, published_demand
):
    match = services.take_demand(actor=org_admin, demand=published_demand, commitment=terms())
    match = services.accept_match(actor=village_submitter, match=match)
    for outsider in (village_submitter, org_admin, province_rural_revitalization):
        with pytest.raises(Forbidden):
            services.confirm_match(actor=outsider, match=match)
    assert services.confirm_match(actor=county_official, match=match).confirmed_by == county_official


@pytest.mark.django_db
def test_only_org_admin_completes_and_org_side_runs(
    village_submitter, county_official, org_admin, org_member, published_demand, offer
):
    match = order(village_submitter, published_demand, offer)
    match = services.accept_match(actor=org_admin, match=match)
    match = services.confirm_match(actor=county_official, match=match)
    with pytest.raises(Forbidden):
        services.start_match(actor=county_official, match=match)
    match = services.start_match(actor=org_member, match=match)
    with pytest.raises(Forbidden):
        services.complete_match(actor=org_member, match=match, report="完成")
    with pytest.raises(ValidationFailed) as exc:
        services.complete_match(actor=org_admin, match=match, report="  ")
    assert exc.value.errors[0].field == "report"


# ---------------------------------------------------------------- illegal transitions


def _at(status, village_submitter, county_official, org_admin, demand, offer):
    match = order(village_submitter, demand, offer)
    if status == Status.PROPOSED:
        return match
    steps = {
        Status.ACCEPTED: lambda m: services.accept_match(actor=org_admin, match=m),
        Status.CONFIRMED: lambda m: services.confirm_match(actor=county_official, match=m),
        Status.IN_PROGRESS: lambda m: services.start_match(actor=org_admin, match=m),
        Status.COMPLETED: lambda m: services.complete_match(actor=org_admin, match=m, report="完成"),
        Status.EVALUATED: lambda m: services.evaluate_match(actor=village_submitter, match=m, score=5) and fresh(m),
    }
    if status in (Status.DECLINED, Status.CANCELLED):
        if status == Status.DECLINED:
            return services.decline_match(actor=org_admin, match=match, reason="人手不足")
        return services.cancel_match(actor=county_official, match=match, reason="重复")
    for target, step in steps.items():
        match = step(match)
        if target == status:
            break
    return fresh(match)


ALLOWED = {
    Status.PROPOSED: {"accept", "decline", "cancel"},
    Status.ACCEPTED: {"confirm", "cancel"},
    Status.CONFIRMED: {"start", "cancel"},
    Status.IN_PROGRESS: {"complete", "cancel"},
    Status.COMPLETED: set(),
    Status.EVALUATED: set(),
    Status.DECLINED: set(),
    Status.CANCELLED: set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(ALLOWED))
def test_every_illegal_transition_is_a_clear_error(
    status, village_submitter, county_official, org_admin, published_demand, offer
):
    match = _at(status, village_submitter, county_official, org_admin, published_demand, offer)
    assert match.status == status
    attempts = {
        "accept": lambda: services.accept_match(actor=org_admin, match=match),
        "decline": lambda: services.decline_match(actor=org_admin, match=match, reason="不做了"),
        "confirm": lambda: services.confirm_match(actor=county_official, match=match),
        "start": lambda: services.start_match(actor=org_admin, match=match),
        "complete": lambda: services.complete_match(actor=org_admin, match=match, report="完成"),
        "cancel": lambda: services.cancel_match(actor=county_official, match=match, reason="取消"),
    }
    for action, attempt in attempts.items():
        if action in ALLOWED[status]:
            continue
        before = (match.status, match.version)
        with pytest.raises(InvalidTransition) as exc:
            attempt()
        assert "当前状态为" in exc.value.message, action
        assert (fresh(match).status, match.version) == before


@pytest.mark.django_db
def test_evaluation_before_completion_and_twice_is_refused(
    village_submitter, county_official, org_admin, published_demand, offer
):
    match = _at(Status.IN_PROGRESS, village_submitter, county_official, org_admin, published_demand, offer)
    with pytest.raises(InvalidTransition, match="完成后才能评价"):
        services.evaluate_match(actor=village_submitter, match=match, score=5)
    match = services.complete_match(actor=org_admin, match=match, report="完成")
    with pytest.raises(ValidationFailed) as exc:
        services.evaluate_match(actor=village_submitter, match=match, score=6)
    assert exc.value.errors[0].field == "score"
    services.evaluate_match(actor=village_submitter, match=match, score=5)
    with pytest.raises(InvalidTransition):
        services.evaluate_match(actor=village_submitter, match=fresh(match), score=4)
    with pytest.raises(Forbidden):
        services.evaluate_match(actor=org_admin, match=fresh(match), score=5)


@pytest.mark.django_db
def test_decline_and_cancel_need_a_reason(village_submitter, org_admin, published_demand, offer):
    match = order(village_submitter, published_demand, offer)
    with pytest.raises(ValidationFailed) as exc:
        services.decline_match(actor=org_admin, match=match, reason=" ")
    assert exc.value.errors[0].field == "reason"
    with pytest.raises(ValidationFailed):
        services.cancel_match(actor=village_submitter, match=match, reason="")
    assert fresh(match).status == Status.PROPOSED


@pytest.mark.django_db
def test_stale_version_is_a_conflict(village_submitter, org_admin, org_member, published_demand, offer):
    match = order(village_submitter, published_demand, offer)
    stale = Match.objects.get(pk=match.pk)
    services.accept_match(actor=org_admin, match=match)
    with pytest.raises(Conflict):
        services.decline_match(actor=org_member, match=stale, reason="晚了一步")


@pytest.mark.django_db
def test_activity_only_while_running_and_not_in_the_future(
    village_submitter, county_official, org_admin, published_demand, offer
):
    match = _at(Status.CONFIRMED, village_submitter, county_official, org_admin, published_demand, offer)
    data = ActivityData(date=timezone.localdate(), title="走访")
    with pytest.raises(InvalidTransition):
        services.record_activity(actor=org_admin, match=match, data=data)
    match = services.start_match(actor=org_admin, match=match)
    tomorrow = ActivityData(date=timezone.localdate() + timedelta(days=1), title="走访")
    with pytest.raises(ValidationFailed) as exc:
        services.record_activity(actor=org_admin, match=match, data=tomorrow)
    assert exc.value.errors[0].field == "date"
    with pytest.raises(ValidationFailed) as exc:
        services.record_activity(actor=org_admin, match=match, data=ActivityData(date=timezone.localdate(), title=""))
    assert exc.value.errors[0].field == "title"


@pytest.mark.django_db
def test_milestones(village_submitter, county_official, org_admin, published_demand, offer):
    match = _at(Status.IN_PROGRESS, village_submitter, county_official, org_admin, published_demand, offer)
    milestone = services.add_milestone(
        actor=org_admin, match=match, title="完成第一阶段", due_date=timezone.localdate() + timedelta(days=30)
    )
    done = services.reach_milestone(actor=org_admin, milestone=milestone, done_on=timezone.localdate())
    assert done.done_on == timezone.localdate()
    with pytest.raises(InvalidTransition):
        services.reach_milestone(actor=org_admin, milestone=done, done_on=timezone.localdate())


# ---------------------------------------------------------------- releasing stale proposals


@pytest.mark.django_db
def test_release_stale_matches(settings, village_submitter, org_admin, published_demand, offer):
    settings.MATCH_RELEASE_DAYS = 3
    stale = order(village_submitter, published_demand, offer, "100")
    recent = services.take_demand(actor=org_admin, demand=DemandFactory(), offer=offer, commitment=terms("100"))
    Match.objects.filter(pk=stale.pk).update(proposed_at=timezone.now() - timedelta(days=4))
    answered = services.take_demand(actor=org_admin, demand=DemandFactory(), commitment=terms("100"))
    Match.objects.filter(pk=answered.pk).update(proposed_at=timezone.now() - timedelta(days=10))
    services.accept_match(actor=village_submitter, match=fresh(answered))
    assert services.release_stale_matches() == [stale.number]
    stale = fresh(stale)
    assert stale.status == Status.CANCELLED and stale.cancel_reason == "超时未处理，自动释放"
    entry = AuditEntry.objects.get(action="matching.release", object_id=str(stale.pk))
    assert entry.actor is None
    assert fresh(recent).status == Status.PROPOSED and fresh(answered).status == Status.ACCEPTED
    assert services.release_stale_matches(now=timezone.now() + timedelta(days=4)) == [recent.number]


@pytest.mark.django_db
def test_release_command(village_submitter, published_demand, offer):
    from django.core.management import call_command

    match = order(village_submitter, published_demand, offer, "100")
    Match.objects.filter(pk=match.pk).update(proposed_at=timezone.now() - timedelta(days=8))
    call_command("release_stale_matches")
    assert fresh(match).status == Status.CANCELLED
