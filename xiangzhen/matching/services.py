"""Every write to matches: 点单 and 接单, the answer of the other side, the county's confirmation,
the work (activities, milestones), completion, evaluation, cancellation and the release of stale
proposals. Each public function is one business action in one transaction: it checks scope,
state and permission, writes the audit trail and moves the demand along with its matches.

Locks are always taken in the same order — demand, then offer, then match — so concurrent
actions queue instead of deadlocking. The offer's capacity and the demand's remaining budget
are re-counted after the locks are held, so of two people taking the last slot exactly one wins.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from xiangzhen.core import attachments, audit
from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.scope import restrict
from xiangzhen.core.states import StateMachine, Transition
from xiangzhen.demands import selectors as demand_selectors
from xiangzhen.demands import services as demand_services
from xiangzhen.demands.models import Demand
from xiangzhen.matching import leaves, rules, validation
from xiangzhen.matching.models import Match, MatchActivity, MatchEvaluation, MatchMilestone
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.offers.models import Offer
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.organizations.models import Organization
from xiangzhen.stats import rollups
from xiangzhen.tlog import services as tlog_services

Status = Match.Status
DemandStatus = Demand.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("accept", "接受对接", frozenset({Status.PROPOSED}), Status.ACCEPTED),
        Transition("decline", "拒绝对接", frozenset({Status.PROPOSED}), Status.DECLINED),
        Transition("confirm", "县级确认", frozenset({Status.ACCEPTED}), Status.CONFIRMED),
        Transition("start", "开始实施", frozenset({Status.CONFIRMED}), Status.IN_PROGRESS),
        Transition("complete", "完成项目", frozenset({Status.IN_PROGRESS}), Status.COMPLETED),
        Transition("evaluate", "需求方评价", frozenset({Status.COMPLETED}), Status.EVALUATED),
        Transition(
            "cancel",
            "取消对接",
            frozenset({Status.PROPOSED, Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS}),
            Status.CANCELLED,
        ),
        Transition("release", "超时释放", frozenset({Status.PROPOSED}), Status.CANCELLED),
    ],
)
# A demand takes new matches while it is open for them.
OPEN_DEMAND_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.MATCHED, DemandStatus.IN_PROGRESS)
RELEASE_REASON = "超时未处理，自动释放"
AUDIT_FIELDS = [
    "number", "demand", "organization", "offer", "origin", "status", "committed_amount", "committed_in_kind",
    "people_to_serve", "decline_reason", "cancel_reason", "completion_report", "version",
]  # fmt: skip


def release_days() -> int:
    return int(getattr(settings, "MATCH_RELEASE_DAYS", 7))


def _record(actor: Any, action: str, instance: Any, region_code: str, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"matching.{action}", instance=instance, region_code=region_code, **kwargs)


def _snapshot(match: Match) -> dict[str, Any]:
    return audit.snapshot(match, AUDIT_FIELDS)


def _log(kind: str, number: str) -> None:
    """Append the event's leaf to the transparency log, in this transaction, from the rows as written."""
    payload = leaves.BUILDERS[kind](number)
    if payload is None:
        raise RuntimeError(f"no {kind} leaf for {number}")
    tlog_services.append_leaf(kind=kind, number=number, payload=payload)


# ---------------------------------------------------------------- locks and checks
# Workaround until demands/offers offer a locking read: the rows are locked here, read-only.


def _lock_demand(demand_id: int) -> Demand:
    return Demand.objects.select_for_update().select_related("region").get(pk=demand_id)


def _lock_offer(offer_id: int) -> Offer:
    return Offer.objects.select_for_update().select_related("organization").get(pk=offer_id)


def _lock_match(actor: Any, match: Match, expected_version: int | None = None) -> tuple[Match, Demand]:
    """The match, re-read under a row lock (demand first, then match); NotFound when out of scope."""
    if not restrict(Match.objects.filter(pk=match.pk), actor).exists():
        raise NotFound("供需对接不存在或无权查看")
    demand = _lock_demand(match.demand_id)
    locked = Match.objects.select_for_update().get(pk=match.pk)
    locked.demand = demand
    expected = match.version if expected_version is None else expected_version
    if expected != locked.version:
        raise Conflict("该供需对接刚刚已被他人处理，请刷新后重试")
    return locked, demand


def _require_state(match: Match, action: str) -> None:
    WORKFLOW.target(match.status, action)  # InvalidTransition, with the current state named


def _require_open_demand(demand: Demand) -> None:
    if demand.status not in OPEN_DEMAND_STATUSES:
        raise InvalidTransition(f"需求项目“{demand.title}”当前为“{demand.get_status_display()}”，不能再对接")


def _require_approved(organization: Organization) -> None:
    if organization.status != Organization.Status.APPROVED:
        raise ValidationFailed.on(
            "organization_id",
            f"社会组织“{organization.name}”当前为“{organization.get_status_display()}”，审核通过后才能对接",
        )


def _domain_codes(instance: Demand | Offer | Organization) -> set[str]:
    return set(instance.domains.values_list("code", flat=True))


def _require_offer_fits(offer: Offer, demand: Demand) -> None:
    """The offer is published, within its window, covers the demand's place and shares a domain."""
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationFailed.on(
            "offer_id", f"供给项目“{offer.title}”当前为“{offer.get_status_display()}”，只能选择已发布的供给项目"
        )
    if offer.window_end < timezone.localdate():
        raise ValidationFailed.on("offer_id", f"供给项目“{offer.title}”的服务期已于 {offer.window_end:%Y-%m-%d} 结束")
    if not offer_selectors.covers(offer, demand.region_id):
        raise ValidationFailed.on("offer_id", f"供给项目“{offer.title}”的服务区域不包括“{demand.region}”")
    if not _domain_codes(offer) & _domain_codes(demand):
        raise ValidationFailed.on("offer_id", f"供给项目“{offer.title}”与需求项目“{demand.title}”没有共同的服务领域")


def _money(value: Decimal | None) -> Decimal:
    """Yuan with two places (SQLite's SUM drops trailing zeros)."""
    return (value or Decimal("0")).quantize(Decimal("0.01"))


def _active(queryset: Any) -> Any:
    return queryset.filter(status__in=Match.ACTIVE_STATUSES)


def _require_capacity(offer: Offer, amount: Decimal) -> None:
    """Re-count the offer's live matches (the offer row is locked) against both capacities."""
    used = _active(Match.objects.filter(offer=offer)).aggregate(n=Count("id"), total=Sum("committed_amount"))
    taken, committed = used["n"], _money(used["total"])
    if taken >= offer.capacity_demands:
        raise ValidationFailed.on(
            "offer_id", f"供给项目“{offer.title}”可承接需求 {offer.capacity_demands} 个，已全部占用，不能再对接"
        )
    left = offer.capacity_amount - committed
    if amount > left:
        raise ValidationFailed.on(
            "committed_amount",
            f"承诺资金 {amount} 元超过供给项目“{offer.title}”剩余可投入资金 {left} 元"
            f"（可投入 {offer.capacity_amount} 元，已承诺 {committed} 元）",
        )


def _require_budget(demand: Demand, amount: Decimal) -> None:
    """Re-sum the demand's live matches (the demand row is locked) against its budget."""
    covered = _money(_active(Match.objects.filter(demand=demand)).aggregate(total=Sum("committed_amount"))["total"])
    remaining = demand.budget - covered
    if amount > remaining:
        raise ValidationFailed.on(
            "committed_amount",
            f"承诺资金 {amount} 元超过需求剩余资金缺口 {max(remaining, Decimal('0.00'))} 元"
            f"（所需 {demand.budget} 元，已对接 {covered} 元）",
        )


def _require_not_serving(demand: Demand, organization: Organization) -> None:
    existing = _active(Match.objects.filter(demand=demand, organization=organization)).first()
    if existing is not None:
        raise ValidationFailed.on(
            "demand_id", f"社会组织“{organization.name}”已在对接该需求（{existing.number}），不能重复对接"
        )


@dataclass
class Commitment:
    """What a match promises: money (a share of the demand's budget), in kind, people."""

    committed_amount: Any = "0"
    people_to_serve: Any = 0
    committed_in_kind: str = ""
    note: str = ""

    def cleaned(self) -> "Commitment":
        return Commitment(
            committed_amount=validation.amount(self.committed_amount, "committed_amount", "承诺资金"),
            people_to_serve=validation.count(self.people_to_serve, "people_to_serve", "计划服务人数"),
            committed_in_kind=validation.text(self.committed_in_kind, "committed_in_kind", "承诺物资或服务"),
            note=validation.text(self.note, "note", "对接说明"),
        )


def _create(
    *,
    actor: Any,
    demand_id: int,
    organization: Organization,
    offer_id: int | None,
    origin: str,
    commitment: Commitment,
    event: Any = None,
) -> Match:
    """Lock demand then offer, check everything again under the locks, then write the match.

    With an `event`, the match is made at that event: it must be running and have the demand or the
    offer featured or the organization registered (events.selectors.check_match_at_event); the
    origin becomes "event" and the match counts in the event's results."""
    terms = commitment.cleaned()
    demand = _lock_demand(demand_id)
    _require_open_demand(demand)
    _require_approved(organization)
    offer = None
    if offer_id is not None:
        offer = _lock_offer(offer_id)
        if offer.organization_id != organization.pk:
            raise ValidationFailed.on("offer_id", f"供给项目“{offer.title}”不属于社会组织“{organization.name}”")
        _require_offer_fits(offer, demand)
    elif organization.domains.exists() and not _domain_codes(organization) & _domain_codes(demand):
        raise ValidationFailed.on(
            "demand_id", f"社会组织“{organization.name}”的服务领域与需求项目“{demand.title}”没有交集"
        )
    _require_not_serving(demand, organization)
    _require_budget(demand, terms.committed_amount)
    if offer is not None:
        _require_capacity(offer, terms.committed_amount)
    if event is not None:
        from xiangzhen.events import selectors as event_selectors

        event = event_selectors.check_match_at_event(
            getattr(event, "pk", event), demand=demand, organization=organization, offer=offer
        )
        origin = Match.Origin.EVENT
    match = Match(
        number=next_number("DJ", demand.region_id),
        demand=demand,
        organization=organization,
        offer=offer,
        origin=origin,
        event=event,
        status=Status.PROPOSED,
        committed_amount=terms.committed_amount,
        committed_in_kind=terms.committed_in_kind,
        people_to_serve=terms.people_to_serve,
        note=terms.note,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise Conflict("该社会组织刚刚已对接此需求，请刷新后查看") from None
    rollups.apply(match, {})
    _record(actor, origin, match, demand.region_id, after=_snapshot(match), note=terms.note)
    return match


# ---------------------------------------------------------------- 点单 and 接单


def _require_origin(origin: str, own: str) -> None:
    if origin not in (own, Match.Origin.RECOMMENDATION):
        raise ValidationFailed.on("origin", f"对接方式应为“{Match.Origin(own).label}”或“推荐”")


@transaction.atomic
def order_offer(
    *,
    actor: Any,
    demand: Demand,
    offer: Offer,
    commitment: Commitment,
    origin: str = Match.Origin.ORDER,
    event: Any = None,
) -> Match:
    """点单: the demand side (village/township submitter of the place or the county's rural
    revitalization staff) picks a published offer for a published demand; the organization answers.
    `origin` is "recommendation" when the pick was a recommendation the demand side accepted; with an
    `event` the match is made at that event (origin "event")."""
    _require_origin(origin, Match.Origin.ORDER)
    if not demand_selectors.demands(actor).filter(pk=demand.pk).exists():
        raise NotFound("需求项目不存在或无权查看")
    if not rules.can_order_for(actor, demand.region_id):
        raise Forbidden("只有需求所在地的村、乡镇需求填报员或县级乡村振兴部门工作人员可以点单")
    organization = offer.organization
    return _create(
        actor=actor,
        demand_id=demand.pk,
        organization=organization,
        offer_id=offer.pk,
        origin=origin,
        commitment=commitment,
        event=event,
    )


@transaction.atomic
def propose_from_allocation(*, actor: Any, demand: Demand, offer: Offer, commitment: Commitment) -> Match:
    """A province or city official confirms an item of an allocation proposal: the match is proposed
    with origin "recommendation" for the organization to accept and the county to confirm.

    The caller (the allocation app) has checked the official may act for the region; everything
    about the demand, the offer and capacity is checked here, under the locks, as for 点单 and 接单.
    """
    return _create(
        actor=actor,
        demand_id=demand.pk,
        organization=offer.organization,
        offer_id=offer.pk,
        origin=Match.Origin.RECOMMENDATION,
        commitment=commitment,
    )


@transaction.atomic
def take_demand(
    *,
    actor: Any,
    demand: Demand,
    commitment: Commitment,
    organization: Organization | None = None,
    offer: Offer | None = None,
    origin: str = Match.Origin.TAKE,
    event: Any = None,
) -> Match:
    """接单: an organization's admin takes a published demand, optionally naming one of its
    published offers; the demand side answers. `origin` is "recommendation" when the organization
    accepted a recommendation; with an `event` the match is made at that event (origin "event")."""
    _require_origin(origin, Match.Origin.TAKE)
    if not rules.can_take(actor):
        raise Forbidden("只有社会组织管理员可以接单")
    administered = list(organization_selectors.administered_organizations(actor))
    if organization is None:
        if offer is not None:
            organization = next((o for o in administered if o.pk == offer.organization_id), None)
        elif len(administered) == 1:
            organization = administered[0]
        else:
            raise ValidationFailed.on("organization_id", "请选择以哪个社会组织的名义接单")
    if organization is None or organization.pk not in {o.pk for o in administered}:
        raise Forbidden("只有该社会组织的管理员可以接单")
    return _create(
        actor=actor,
        demand_id=demand.pk,
        organization=organization,
        offer_id=offer.pk if offer is not None else None,
        origin=origin,
        commitment=commitment,
        event=event,
    )


# ---------------------------------------------------------------- the demand follows its matches


def _sync_demand(actor: Any, demand: Demand) -> None:
    """Move the (locked) demand to where its matches now are, one allowed step at a time.

    published → matched at the first confirmation; → in progress when work starts; → completed
    when no match is still pending or running; → evaluated when every completed match is
    evaluated. A matched demand whose confirmed matches were all cancelled is published again.
    """
    rows = Match.objects.filter(demand=demand).order_by().values("status").annotate(n=Count("id"))
    n = {row["status"]: row["n"] for row in rows}
    pending = n.get(Status.PROPOSED, 0) + n.get(Status.ACCEPTED, 0)
    confirmed = n.get(Status.CONFIRMED, 0)
    running = n.get(Status.IN_PROGRESS, 0)
    completed = n.get(Status.COMPLETED, 0)
    evaluated = n.get(Status.EVALUATED, 0)
    for _ in range(5):
        status = demand.status
        if status == DemandStatus.PUBLISHED and confirmed + running + completed + evaluated:
            action = "match"
        elif status == DemandStatus.MATCHED and running + completed + evaluated:
            action = "start"
        elif status == DemandStatus.MATCHED and not confirmed:
            action = "release"
        elif status == DemandStatus.IN_PROGRESS and not (pending + confirmed + running) and completed + evaluated:
            action = "complete"
        elif status == DemandStatus.COMPLETED and not (pending + confirmed + running + completed) and evaluated:
            action = "evaluate"
        else:
            return
        demand_services.mark_demand(actor=actor, demand=demand, action=action)


# ---------------------------------------------------------------- transitions


def _transition(*, actor: Any, match: Match, demand: Demand, action: str, note: str = "", **changes: Any) -> Match:
    before = _snapshot(match)
    tallied = rollups.snapshot(match)
    WORKFLOW.apply(match, action, **changes)
    match.demand = demand
    rollups.apply(match, tallied)
    _record(actor, action, match, demand.region_id, before=before, after=_snapshot(match), note=note)
    return match


def _reason(reason: str, action: str) -> str:
    return validation.text(
        reason, "reason", f"{WORKFLOW.transitions[action].label}的原因", required=True, max_length=validation.MAX_REASON
    )


@transaction.atomic
def accept_match(*, actor: Any, match: Match, expected_version: int | None = None) -> Match:
    """The side that did not propose accepts: the organization for 点单, the demand side for 接单."""
    match, demand = _lock_match(actor, match, expected_version)
    _require_state(match, "accept")
    if not rules.can_answer(actor, match):
        side = "需求方（县级乡村振兴部门或当地需求填报员）" if match.origin == Match.Origin.TAKE else "该社会组织的成员"
        raise Forbidden(f"只有{side}可以接受此对接")
    _require_open_demand(demand)
    return _transition(
        actor=actor, match=match, demand=demand, action="accept", accepted_by=actor, accepted_at=timezone.now()
    )


@transaction.atomic
def decline_match(*, actor: Any, match: Match, reason: str, expected_version: int | None = None) -> Match:
    match, demand = _lock_match(actor, match, expected_version)
    _require_state(match, "decline")
    if not rules.can_answer(actor, match):
        raise Forbidden("只有被邀请对接的一方可以拒绝")
    reason = _reason(reason, "decline")
    match = _transition(
        actor=actor, match=match, demand=demand, action="decline", note=reason,
        decline_reason=reason, closed_by=actor, closed_at=timezone.now(),
    )  # fmt: skip
    _sync_demand(actor, demand)
    return match


@transaction.atomic
def confirm_match(*, actor: Any, match: Match, expected_version: int | None = None) -> Match:
    """The county's rural revitalization staff confirm; the demand is matched at its first confirmation."""
    match, demand = _lock_match(actor, match, expected_version)
    _require_state(match, "confirm")
    if not rules.can_confirm(actor, match):
        raise Forbidden("只有需求所在县的乡村振兴部门工作人员可以确认对接")
    _require_open_demand(demand)
    match = _transition(
        actor=actor, match=match, demand=demand, action="confirm", confirmed_by=actor, confirmed_at=timezone.now()
    )
    _sync_demand(actor, demand)
    _log(leaves.CONFIRMED, match.number)
    return match


@transaction.atomic
def start_match(*, actor: Any, match: Match, expected_version: int | None = None) -> Match:
    match, demand = _lock_match(actor, match, expected_version)
    _require_state(match, "start")
    if not rules.can_run(actor, match):
        raise Forbidden("只有承接该对接的社会组织成员可以开始实施")
    match = _transition(actor=actor, match=match, demand=demand, action="start", started_at=timezone.now())
    _sync_demand(actor, demand)
    return match


@transaction.atomic
def complete_match(*, actor: Any, match: Match, report: str, expected_version: int | None = None) -> Match:
    """The organization's admin completes with a report; the demand completes with its last match."""
    match, demand = _lock_match(actor, match, expected_version)
    _require_state(match, "complete")
    if not rules.can_complete(actor, match):
        raise Forbidden("只有承接该对接的社会组织管理员可以提交完成报告")
    report = validation.text(report, "report", "完成报告", required=True, max_length=validation.MAX_REPORT)
    match = _transition(
        actor=actor, match=match, demand=demand, action="complete",
        completion_report=report, completed_at=timezone.now(),
    )  # fmt: skip
    _sync_demand(actor, demand)
    _log(leaves.COMPLETED, match.number)
    return match


@transaction.atomic
def cancel_match(*, actor: Any, match: Match, reason: str, expected_version: int | None = None) -> Match:
    """Cancel with a reason: frees the offer's slot and the demand's budget share."""
    match, demand = _lock_match(actor, match, expected_version)
    _require_state(match, "cancel")
    if not rules.can_cancel(actor, match):
        raise Forbidden("您不能取消此对接：已确认的对接只能由县级乡村振兴部门或承接组织的管理员取消")
    reason = _reason(reason, "cancel")
    match = _transition(
        actor=actor, match=match, demand=demand, action="cancel", note=reason,
        cancel_reason=reason, closed_by=actor, closed_at=timezone.now(),
    )  # fmt: skip
    _sync_demand(actor, demand)
    return match


@transaction.atomic
def evaluate_match(
    *, actor: Any, match: Match, score: Any, comment: str = "", side: str | None = None
) -> MatchEvaluation:
    """A score of 1–5 and a comment. The demand side's evaluation moves the match to evaluated
    (and the demand, once all its completed matches are); the county may add its own."""
    match, demand = _lock_match(actor, match, match.version)
    if match.status not in Match.SUCCESS_STATUSES:
        raise InvalidTransition(f"当前状态为“{match.get_status_display()}”，完成后才能评价")
    if side is None:
        side = MatchEvaluation.Side.DEMAND if rules.demand_side_evaluator(actor, match) else MatchEvaluation.Side.COUNTY
    if side not in MatchEvaluation.Side.values:
        raise ValidationFailed.on("side", "评价方应为 demand（需求方）或 county（县级乡村振兴部门）")
    allowed = rules.demand_side_evaluator if side == MatchEvaluation.Side.DEMAND else rules.is_county_of
    if not allowed(actor, match):
        label = MatchEvaluation.Side(side).label
        raise Forbidden(f"您不能以“{label}”的身份评价此对接")
    value = validation.score(score)
    comment = validation.text(comment, "comment", "评价意见")
    if MatchEvaluation.objects.filter(match=match, by_side=side).exists():
        raise InvalidTransition(f"{MatchEvaluation.Side(side).label}已评价过此对接")
    evaluation = MatchEvaluation(match=match, by_side=side, score=value, comment=comment, evaluated_by=actor)
    evaluation.save()
    _record(actor, "evaluation", evaluation, demand.region_id, after=audit.snapshot(evaluation), note=comment[:200])
    _log(leaves.EVALUATED[MatchEvaluation.Side(side)], match.number)
    if side == MatchEvaluation.Side.DEMAND:
        _transition(
            actor=actor, match=match, demand=demand, action="evaluate", note=f"{value} 分", evaluated_at=timezone.now()
        )
        _sync_demand(actor, demand)
    return evaluation


# ---------------------------------------------------------------- the work


@dataclass
class ActivityData:
    date: Any
    title: str
    description: str = ""
    people_served: Any = 0
    amount_spent: Any = "0"
    in_kind_spent: str = ""


@transaction.atomic
def record_activity(
    *, actor: Any, match: Match, data: ActivityData, uploads: Iterable[UploadedFile] = ()
) -> MatchActivity:
    """An activity of a running match, with people served, money and in-kind spent and photos."""
    match, demand = _lock_match(actor, match, match.version)
    if not rules.can_run(actor, match):
        raise Forbidden("只有承接该对接的社会组织成员可以记录活动")
    if match.status != Status.IN_PROGRESS:
        raise InvalidTransition(f"当前状态为“{match.get_status_display()}”，开始实施后才能记录活动")
    day = validation.past_date(data.date, "date", "活动日期")
    if match.confirmed_at and day < timezone.localtime(match.confirmed_at).date():
        raise ValidationFailed.on(
            "date", f"活动日期不能早于对接确认日期 {timezone.localtime(match.confirmed_at):%Y-%m-%d}"
        )
    activity = MatchActivity(
        match=match,
        date=day,
        title=validation.text(data.title, "title", "活动名称", required=True, max_length=100),
        description=validation.text(data.description, "description", "活动内容"),
        people_served=validation.count(data.people_served, "people_served", "服务人数"),
        amount_spent=validation.amount(data.amount_spent, "amount_spent", "投入资金"),
        in_kind_spent=validation.text(data.in_kind_spent, "in_kind_spent", "投入物资"),
        recorded_by=actor,
    )
    activity.save()
    rollups.apply(activity, {})
    for upload in uploads:
        attachments.attach(actor=actor, owner=activity, upload=upload, field="photos")
    _record(actor, "record_activity", activity, demand.region_id, after=audit.snapshot(activity))
    return activity


@transaction.atomic
def add_milestone(*, actor: Any, match: Match, title: str, due_date: Any) -> MatchMilestone:
    match, demand = _lock_match(actor, match, match.version)
    if not rules.can_run(actor, match):
        raise Forbidden("只有承接该对接的社会组织成员可以设置里程碑")
    if match.status not in (Status.CONFIRMED, Status.IN_PROGRESS):
        raise InvalidTransition(f"当前状态为“{match.get_status_display()}”，确认后才能设置里程碑")
    milestone = MatchMilestone(
        match=match,
        title=validation.text(title, "title", "节点名称", required=True, max_length=100),
        due_date=validation.any_date(due_date, "due_date", "计划日期"),
        created_by=actor,
    )
    milestone.save()
    _record(actor, "add_milestone", milestone, demand.region_id, after=audit.snapshot(milestone))
    return milestone


@transaction.atomic
def reach_milestone(*, actor: Any, milestone: MatchMilestone, done_on: Any) -> MatchMilestone:
    match, demand = _lock_match(actor, milestone.match, milestone.match.version)
    if not rules.can_run(actor, match):
        raise Forbidden("只有承接该对接的社会组织成员可以更新里程碑")
    if match.status != Status.IN_PROGRESS:
        raise InvalidTransition(f"当前状态为“{match.get_status_display()}”，实施中才能完成里程碑")
    locked = MatchMilestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.done_on is not None:
        raise InvalidTransition(f"里程碑“{locked.title}”已于 {locked.done_on:%Y-%m-%d} 完成")
    before = audit.snapshot(locked)
    locked.done_on = validation.past_date(done_on, "done_on", "完成日期")
    locked.save(update_fields=["done_on"])
    _record(actor, "reach_milestone", locked, demand.region_id, before=before, after=audit.snapshot(locked))
    return locked


# ---------------------------------------------------------------- releasing stale proposals


def release_stale_matches(*, now: datetime | None = None) -> list[str]:
    """Cancel every proposal nobody answered within MATCH_RELEASE_DAYS days (default 7), one
    transaction each, audited with no actor; returns their numbers. One acted on meanwhile is skipped."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=release_days())
    released = []
    stale = Match.objects.filter(status=Status.PROPOSED, proposed_at__lt=cutoff).order_by("pk")
    for match_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            match = Match.objects.get(pk=match_id)
            demand = _lock_demand(match.demand_id)
            match = Match.objects.select_for_update().get(pk=match_id)
            if match.status != Status.PROPOSED or match.proposed_at >= cutoff:
                continue
            _transition(
                actor=None, match=match, demand=demand, action="release", note=RELEASE_REASON,
                cancel_reason=RELEASE_REASON, closed_at=now,
            )  # fmt: skip
            _sync_demand(None, demand)
            released.append(match.number)
    return released
