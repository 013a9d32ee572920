"""The allocation API (/api/v1/allocation): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from xiangzhen.allocation import selectors, services
from xiangzhen.allocation.schemas import DropIn, ItemOut, RunDetailOut, RunIn, RunOut

router = Router(tags=["智能推荐方案"])


@router.post("/runs", response={201: RunDetailOut}, summary="生成智能推荐方案（省、市工作人员）")
def create_run(request: HttpRequest, payload: RunIn) -> Any:
    run = services.propose(
        actor=request.user, region_code=payload.region_code, min_key_county_share=payload.min_key_county_share
    )
    return Status(201, selectors.get_run(request.user, run.pk))


@router.get("/runs", response=list[RunOut], summary="智能推荐方案列表")
def list_runs(request: HttpRequest) -> Any:
    return selectors.runs(request.user)[:100]


@router.get("/runs/{int:run_id}", response=RunDetailOut, summary="智能推荐方案详情（含推荐条目）")
def get_run(request: HttpRequest, run_id: int) -> Any:
    return selectors.get_run(request.user, run_id)


@router.post("/items/{int:item_id}/confirm", response=ItemOut, summary="确认一项推荐：生成来源为“推荐”的供需对接")
def confirm_item(request: HttpRequest, item_id: int) -> Any:
    item = selectors.get_item(request.user, item_id)
    services.confirm_item(request.user, item)
    return selectors.run_items(item.run).get(pk=item.pk)


@router.post("/items/{int:item_id}/drop", response=ItemOut, summary="放弃一项推荐（须填写原因）")
def drop_item(request: HttpRequest, item_id: int, payload: DropIn) -> Any:
    item = selectors.get_item(request.user, item_id)
    services.drop_item(request.user, item, payload.reason)
    return selectors.run_items(item.run).get(pk=item.pk)
