"""The recommendations API (/api/v1/recommendations): thin wiring to selectors and services."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from xiangzhen.matching import schemas as matching_schemas
from xiangzhen.matching import selectors as matching_selectors
from xiangzhen.matching.schemas import MatchDetailOut
from xiangzhen.matching.services import Commitment
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.recommendations import schemas, selectors, services
from xiangzhen.recommendations.schemas import AcceptIn, DemandListOut, DemandRecommendationsOut, WeightsIn, WeightsOut

router = Router(tags=["推荐"])


def _k(k: int) -> int:
    return max(1, min(k, 50))


@router.get("/demands/{int:demand_id}", response=DemandRecommendationsOut, summary="需求项目的推荐供给项目（含理由）")
def for_demand(request: HttpRequest, demand_id: int, k: int = 10) -> Any:
    data = selectors.for_demand(selectors.visible_demand(request.user, demand_id), _k(k))
    return {
        "demand_id": demand_id,
        "offers": [schemas.offer_row(row) for row in data.offers],
        "organizations": [
            {
                "organization_id": r.organization.pk,
                "organization_name": r.organization.name,
                "completed_in_county": r.completed,
            }
            for r in data.organizations
        ],
    }


@router.get("/offers/{int:offer_id}", response=DemandListOut, summary="供给项目的推荐需求项目（含理由）")
def for_offer(request: HttpRequest, offer_id: int, k: int = 10) -> Any:
    rows = selectors.for_offer(selectors.visible_offer(request.user, offer_id), _k(k))
    return {"demands": [schemas.demand_row(row) for row in rows]}


@router.get("/organizations/{int:organization_id}", response=DemandListOut, summary="社会组织的推荐需求项目")
def for_organization(request: HttpRequest, organization_id: int, k: int = 10) -> Any:
    rows = selectors.for_organization(selectors.visible_organization(request.user, organization_id), _k(k))
    return {"demands": [schemas.demand_row(row) for row in rows]}


@router.post("/accept", response={201: MatchDetailOut}, summary="采纳推荐：生成对接方式为“推荐”的供需对接")
def accept(request: HttpRequest, payload: AcceptIn) -> Any:
    demand = selectors.visible_demand(request.user, payload.demand_id)
    offer = offer_selectors.get_public_offer(payload.offer_id)
    commitment = Commitment(
        committed_amount=payload.committed_amount,
        people_to_serve=payload.people_to_serve,
        committed_in_kind=payload.committed_in_kind,
        note=payload.note,
    )
    match = services.accept_recommendation(actor=request.user, demand=demand, offer=offer, commitment=commitment)
    return Status(201, matching_schemas.detail(request.user, matching_selectors.get_match(request.user, match.pk)))


@router.get("/weights", response=WeightsOut, summary="匹配权重（省份或全国默认）")
def get_weights(request: HttpRequest, province: str | None = None) -> Any:
    code = services.province_or_none(province)
    return schemas.weights(selectors.weights_view(code))


@router.put("/weights", response=WeightsOut, summary="修改匹配权重（本省省级工作人员或平台管理员）")
def put_weights(request: HttpRequest, payload: WeightsIn) -> Any:
    row = services.update_weights(request.user, payload.province_code, **payload.weights)
    return schemas.weights(selectors.weights_view(row.region_id))
