"""Every write of allocation: a new proposal (run) and the decision on each of its items.

A run only proposes. Confirming an item is a person's act: it creates a match with origin
"recommendation" through the matching app's one creation path (every lock and re-check of
点单 and 接单: open demand, approved organization, the offer's window, area, domain and capacity,
the demand's remaining budget), proposed by the province or city staff member who confirmed it.
From there the match follows the normal flow: the organization accepts or declines, and the
demand's county confirms. Dropping an item needs a reason. Every write is audited.

Need model: one slot per demand per run. A demand takes part while it is published and has no
live match yet or budget left after its live matches; an offer while it has a free slot
(capacity_demands minus its live matches). Money is not a flow constraint: on confirmation the
match commits min(the demand's remaining budget, the offer's remaining money ÷ its free slots),
so one confirmation cannot starve the offer's other items of the same run.
"""

import math
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiangzhen.allocation import rules, selectors, solver
from xiangzhen.allocation.models import AllocationRun, ProposalItem
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.scope import region_in_scope
from xiangzhen.demands.models import Demand
from xiangzhen.matching import selectors as matching_selectors
from xiangzhen.matching import services as matching_services
from xiangzhen.matching import validation
from xiangzhen.matching.models import Match
from xiangzhen.offers.models import Offer
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

CENT = Decimal("0.01")
ITEM_FIELDS = ["run", "demand", "offer", "score", "status", "drop_reason", "match"]
RUN_FIELDS = [
    "region", "status", "demands_considered", "offers_considered", "candidate_pairs", "key_county_demands",
    "total_score", "demands_covered", "key_county_covered", "greedy_total_score", "greedy_covered",
    "greedy_key_county_covered", "solver_seconds", "min_key_county_share",
]  # fmt: skip


def pair_scores(demands: list[Demand], offers: list[Offer]) -> list[tuple[int, int, float]]:
    """Tilted total score of every candidate pair, from the recommendations engine."""
    from xiangzhen.recommendations import scoring

    return [(int(d), int(o), float(s)) for d, o, s in scoring.pair_scores(demands, offers)]


@dataclass
class Instance:
    """The plain data of a run: keys are primary keys, in published order for demands."""

    pairs: list[tuple[int, int, float]]
    demand_need: dict[int, int]
    offer_capacity: dict[int, int]
    key_county: set[int]


def build_instance(region_code: str) -> Instance:
    """Demands with need, offers with room, and the scored candidate pairs between them."""
    demands = list(selectors.open_demands(region_code))
    offers = list(selectors.open_offers(region_code))
    key_county = {d.pk for d in demands if getattr(d, "in_key_county", False)}
    if not demands or not offers:
        return Instance([], {d.pk: 1 for d in demands}, {}, key_county)
    serving = selectors.serving_pairs([d.pk for d in demands])
    organization_of = {o.pk: o.organization_id for o in offers}
    pairs = [
        (d, o, s)
        for d, o, s in pair_scores(demands, offers)
        if o in organization_of and (d, organization_of[o]) not in serving
    ]
    return Instance(
        pairs=pairs,
        demand_need={d.pk: 1 for d in demands},
        offer_capacity={o.pk: o.capacity_demands - getattr(o, "taken", 0) for o in offers},
        key_county=key_county,
    )


def _require_allowed(actor: Any, region_code: str) -> None:
    if not region_in_scope(actor, region_code):
        raise NotFound("区划不存在或无权查看")
    if not rules.can_allocate(actor, region_code):
        raise Forbidden("只有该省、市的工作人员可以生成和处理智能推荐方案（方案范围为省或市）")


@transaction.atomic
def propose(
    *, actor: Any, region_code: str, min_key_county_share: int = 0, now: datetime | None = None
) -> AllocationRun:
    """Compute the maximum-total-score proposal for a province or city, store it with the figures
    of first-come-first-served alongside, and return it. Nothing is matched.

    `min_key_county_share` (percent, 0–100): the proposal covers at least that share of the
    run's demands in key assistance counties (rounded up), the best total score under that rule."""
    try:
        code = codes.normalize(region_code)
    except ValueError as exc:
        raise ValidationFailed.on("region_code", str(exc)) from None
    if not isinstance(min_key_county_share, int) or not 0 <= min_key_county_share <= 100:
        raise ValidationFailed.on("min_key_county_share", "重点帮扶县最低覆盖比例应为 0 到 100 之间的整数")
    _require_allowed(actor, code)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound("区划不存在或无权查看")
    instance = build_instance(code)
    required = math.ceil(min_key_county_share * len(instance.key_county) / 100)
    started = time.perf_counter()
    try:
        best = solver.solve(
            instance.pairs, instance.demand_need, instance.offer_capacity,
            key_demands=instance.key_county, min_key=required,
        )  # fmt: skip
    except solver.InfeasibleShare:
        reachable = solver.solve(
            [(d, o, 1.0) for d, o, _ in instance.pairs if d in instance.key_county],
            instance.demand_need,
            instance.offer_capacity,
        )
        raise ValidationFailed.on(
            "min_key_county_share",
            f"重点帮扶县最低覆盖比例无法达到：需覆盖 {required} 个重点帮扶县需求，"
            f"现有供给最多可覆盖 {len(reachable.covered)} 个（共 {len(instance.key_county)} 个）",
        ) from None
    seconds = time.perf_counter() - started
    greedy = solver.greedy_first_come(instance.pairs, instance.demand_need, instance.offer_capacity)
    run = AllocationRun(
        region=region,
        created_by=actor,
        created_at=now or timezone.now(),
        status=AllocationRun.Status.DRAFT if best.assignments else AllocationRun.Status.CLOSED,
        demands_considered=len(instance.demand_need),
        offers_considered=len(instance.offer_capacity),
        candidate_pairs=len(instance.pairs),
        key_county_demands=len(instance.key_county),
        total_score=round(best.total_score, 6),
        demands_covered=len(best.covered),
        key_county_covered=len(best.covered & instance.key_county),
        greedy_total_score=round(greedy.total_score, 6),
        greedy_covered=len(greedy.covered),
        greedy_key_county_covered=len(greedy.covered & instance.key_county),
        solver_seconds=round(seconds, 6),
        min_key_county_share=min_key_county_share,
    )
    run.save()
    ProposalItem.objects.bulk_create(
        ProposalItem(run=run, demand_id=d, offer_id=o, score=round(s, 6), in_key_county=d in instance.key_county)
        for d, o, s in best.assignments
    )
    audit.record(
        actor=actor,
        action="allocation.propose",
        instance=run,
        region_code=code,
        after=audit.snapshot(run, RUN_FIELDS),
        note=f"{len(best.assignments)} 项推荐",
    )
    return run


# ---------------------------------------------------------------- deciding items


def _lock_item(actor: Any, item: ProposalItem) -> ProposalItem:
    """The item re-read under a row lock; NotFound out of scope, Forbidden without the role,
    InvalidTransition once decided."""
    found = selectors.get_item(actor, item.pk)
    _require_allowed(actor, found.run.region_id)
    locked = (
        ProposalItem.objects.select_for_update().select_related("run", "demand", "offer__organization").get(pk=found.pk)
    )
    if locked.status != ProposalItem.Status.PROPOSED:
        raise InvalidTransition(f"该推荐条目当前为“{locked.get_status_display()}”，不能再处理")
    return locked


def _close_if_done(run: AllocationRun) -> None:
    if not ProposalItem.objects.filter(run=run, status=ProposalItem.Status.PROPOSED).exists():
        AllocationRun.objects.filter(pk=run.pk).update(status=AllocationRun.Status.CLOSED)


def suggested_amount(demand: Demand, offer: Offer) -> Decimal:
    """The money a confirmed item commits: the demand's remaining budget, at most an even share
    of what the offer has left over its free slots."""
    remaining = matching_selectors.coverage(demand).remaining
    load = matching_selectors.offer_load(offer)
    share = load.amount_left / max(load.slots_left, 1)
    return min(remaining, share).quantize(CENT, rounding=ROUND_DOWN)


def _decide(actor: Any, item: ProposalItem, action: str, before: dict[str, Any], note: str = "") -> None:
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save(update_fields=["status", "drop_reason", "match", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action=f"allocation.{action}",
        instance=item,
        region_code=item.demand.region_id,
        before=before,
        after=audit.snapshot(item, ITEM_FIELDS),
        note=note,
    )
    _close_if_done(item.run)


@transaction.atomic
def confirm_item(actor: Any, item: ProposalItem) -> Match:
    """A person confirms one proposed match: it becomes a match (origin 推荐, status 待接受)
    that the organization accepts and the demand's county confirms, as any other."""
    item = _lock_item(actor, item)
    before = audit.snapshot(item, ITEM_FIELDS)
    commitment = matching_services.Commitment(
        committed_amount=suggested_amount(item.demand, item.offer),
        note=f"来自智能推荐方案 #{item.run_id}（得分 {item.score:.2f}）",
    )
    match = matching_services.propose_from_allocation(
        actor=actor, demand=item.demand, offer=item.offer, commitment=commitment
    )
    item.status = ProposalItem.Status.CONFIRMED
    item.match = match
    _decide(actor, item, "confirm_item", before, note=match.number)
    return match


@transaction.atomic
def drop_item(actor: Any, item: ProposalItem, reason: str) -> ProposalItem:
    """A person drops one proposed match, saying why; nothing else changes."""
    item = _lock_item(actor, item)
    before = audit.snapshot(item, ITEM_FIELDS)
    item.drop_reason = validation.text(reason, "reason", "放弃原因", required=True, max_length=validation.MAX_REASON)
    item.status = ProposalItem.Status.DROPPED
    _decide(actor, item, "drop_item", before, note=item.drop_reason)
    return item
