"""The matches API (/api/v1/matches): thin wiring from HTTP to selectors and services."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.demands import selectors as demand_selectors
from xiangzhen.matching import schemas, selectors, services
from xiangzhen.matching.filters import MatchFilters
from xiangzhen.matching.schemas import (
    ActivityIn,
    ActivityOut,
    CompleteIn,
    DuplicateGroupOut,
    EvaluateIn,
    EvaluationOut,
    MatchDetailOut,
    MatchOut,
    MilestoneIn,
    MilestoneOut,
    OrderIn,
    ReachIn,
    ReasonIn,
    SuccessRateOut,
    TakeIn,
)
from xiangzhen.matching.services import ActivityData, Commitment
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.organizations import selectors as organization_selectors

router = Router(tags=["供需对接"])


def _commitment(payload: schemas.CommitmentIn) -> Commitment:
    return Commitment(
        committed_amount=payload.committed_amount,
        people_to_serve=payload.people_to_serve,
        committed_in_kind=payload.committed_in_kind,
        note=payload.note,
    )


def _detail(request: HttpRequest, match_id: int) -> Any:
    return schemas.detail(request.user, selectors.get_match(request.user, match_id))


@router.get("/", response=list[MatchOut], summary="供需对接列表（可筛选，含下级区划）")
@paginate(PageNumberPagination, page_size=20)
def list_matches(request: HttpRequest, filters: Query[MatchFilters]) -> Any:
    return selectors.match_list(request.user, filters)


@router.get("/duplicates", response=list[DuplicateGroupOut], summary="同一村同一领域多方对接（防重复计算）")
def duplicates(request: HttpRequest, county: str | None = None) -> Any:
    groups = selectors.duplicates(request.user, county)
    return [
        {
            "region_code": g.region.code,
            "region_name": g.region.full_name or g.region.name,
            "domain_code": g.domain_code,
            "domain_name": g.domain_name,
            "organizations": g.organizations,
            "demands": g.demands,
            "committed": g.committed,
            "people": g.people,
            "matches": g.matches,
        }
        for g in groups
    ]


@router.get("/success-rate", response=SuccessRateOut, summary="对接成功率（已完成对接数 ÷ 已发布需求数）")
def success_rate(
    request: HttpRequest, region: str | None = None, start: date | None = None, end: date | None = None
) -> Any:
    figures = selectors.success_rate_for(request.user, region, start, end)
    return {**vars(figures), "rate": figures.rate}


@router.get("/{int:match_id}", response=MatchDetailOut, summary="供需对接详情（活动、评价、需求覆盖情况）")
def get_match(request: HttpRequest, match_id: int) -> Any:
    return _detail(request, match_id)


@router.post("/order", response={201: MatchDetailOut}, summary="点单：需求方选择已发布的供给项目")
def order(request: HttpRequest, payload: OrderIn) -> Any:
    demand = demand_selectors.get_demand(request.user, payload.demand_id)
    offer = offer_selectors.get_public_offer(payload.offer_id)
    match = services.order_offer(
        actor=request.user, demand=demand, offer=offer, commitment=_commitment(payload), event=payload.event_id
    )
    return Status(201, _detail(request, match.pk))


@router.post("/take", response={201: MatchDetailOut}, summary="接单：社会组织管理员承接已发布的需求")
def take(request: HttpRequest, payload: TakeIn) -> Any:
    demand = demand_selectors.get_public_demand(payload.demand_id)
    offer = offer_selectors.get_offer(request.user, payload.offer_id) if payload.offer_id is not None else None
    organization = (
        organization_selectors.get_organization(request.user, payload.organization_id)
        if payload.organization_id is not None
        else None
    )
    match = services.take_demand(
        actor=request.user,
        demand=demand,
        offer=offer,
        organization=organization,
        commitment=_commitment(payload),
        event=payload.event_id,
    )
    return Status(201, _detail(request, match.pk))


@router.post("/{int:match_id}/accept", response=MatchDetailOut, summary="接受对接（被邀请的一方）")
def accept(request: HttpRequest, match_id: int, version: int | None = None) -> Any:
    match = selectors.get_match(request.user, match_id)
    services.accept_match(actor=request.user, match=match, expected_version=version)
    return _detail(request, match_id)


@router.post("/{int:match_id}/decline", response=MatchDetailOut, summary="拒绝对接（须填写原因）")
def decline(request: HttpRequest, match_id: int, payload: ReasonIn) -> Any:
    match = selectors.get_match(request.user, match_id)
    services.decline_match(actor=request.user, match=match, reason=payload.reason, expected_version=payload.version)
    return _detail(request, match_id)


@router.post("/{int:match_id}/confirm", response=MatchDetailOut, summary="县级乡村振兴部门确认对接")
def confirm(request: HttpRequest, match_id: int, version: int | None = None) -> Any:
    match = selectors.get_match(request.user, match_id)
    services.confirm_match(actor=request.user, match=match, expected_version=version)
    return _detail(request, match_id)


@router.post("/{int:match_id}/start", response=MatchDetailOut, summary="社会组织开始实施")
def start(request: HttpRequest, match_id: int, version: int | None = None) -> Any:
    match = selectors.get_match(request.user, match_id)
    services.start_match(actor=request.user, match=match, expected_version=version)
    return _detail(request, match_id)


@router.post("/{int:match_id}/activities", response={201: ActivityOut}, summary="记录实施活动")
def record_activity(request: HttpRequest, match_id: int, payload: ActivityIn) -> Any:
    match = selectors.get_match(request.user, match_id)
    activity = services.record_activity(actor=request.user, match=match, data=ActivityData(**payload.dict()))
    return Status(201, activity)


@router.post("/{int:match_id}/milestones", response={201: MilestoneOut}, summary="设置里程碑")
def add_milestone(request: HttpRequest, match_id: int, payload: MilestoneIn) -> Any:
    match = selectors.get_match(request.user, match_id)
    return Status(201, services.add_milestone(actor=request.user, match=match, **payload.dict()))


@router.post("/{int:match_id}/milestones/{int:milestone_id}/reach", response=MilestoneOut, summary="里程碑达成")
def reach_milestone(request: HttpRequest, match_id: int, milestone_id: int, payload: ReachIn) -> Any:
    match = selectors.get_match(request.user, match_id)
    milestone = selectors.get_milestone(match, milestone_id)
    return services.reach_milestone(actor=request.user, milestone=milestone, done_on=payload.done_on)


@router.post("/{int:match_id}/complete", response=MatchDetailOut, summary="提交完成报告")
def complete(request: HttpRequest, match_id: int, payload: CompleteIn) -> Any:
    match = selectors.get_match(request.user, match_id)
    services.complete_match(actor=request.user, match=match, report=payload.report, expected_version=payload.version)
    return _detail(request, match_id)


@router.post("/{int:match_id}/evaluate", response={201: EvaluationOut}, summary="评价（1–5 分）")
def evaluate(request: HttpRequest, match_id: int, payload: EvaluateIn) -> Any:
    match = selectors.get_match(request.user, match_id)
    evaluation = services.evaluate_match(
        actor=request.user, match=match, score=payload.score, comment=payload.comment, side=payload.side
    )
    return Status(201, evaluation)


@router.post("/{int:match_id}/cancel", response=MatchDetailOut, summary="取消对接（须填写原因）")
def cancel(request: HttpRequest, match_id: int, payload: ReasonIn) -> Any:
    match = selectors.get_match(request.user, match_id)
    services.cancel_match(actor=request.user, match=match, reason=payload.reason, expected_version=payload.version)
    return _detail(request, match_id)
