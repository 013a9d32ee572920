"""API input and output shapes for allocation proposals."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from xiangzhen.allocation import selectors
from xiangzhen.allocation.models import AllocationRun


class RunIn(Schema):
    region_code: str = Field(..., max_length=12, title="区划代码（省或市）")
    min_key_county_share: int = Field(0, ge=0, le=100, title="重点帮扶县需求最低覆盖比例（%，0 为不设）")


class DropIn(Schema):
    reason: str = Field(..., max_length=500, title="放弃原因")


class RunOut(Schema):
    id: int
    region_code: str = Field(..., alias="region_id")
    region_name: str = Field(..., alias="region.name")
    created_at: dt.datetime
    status: str
    demands_considered: int
    offers_considered: int
    candidate_pairs: int
    key_county_demands: int
    total_score: float = Field(..., title="推荐方案总分（含优先倾斜）")
    demands_covered: int
    key_county_covered: int
    greedy_total_score: float = Field(..., title="先到先得接单总分")
    greedy_covered: int
    greedy_key_county_covered: int
    solver_seconds: float
    min_key_county_share: int = Field(..., title="重点帮扶县需求最低覆盖比例（%）")


class ItemOut(Schema):
    id: int
    demand_id: int
    demand_number: str = Field(..., alias="demand.number")
    demand_title: str = Field(..., alias="demand.title")
    offer_id: int
    offer_title: str = Field(..., alias="offer.title")
    organization_name: str = Field(..., alias="offer.organization.name")
    score: float
    in_key_county: bool
    status: str
    drop_reason: str
    decided_at: dt.datetime | None
    match_id: int | None
    match_number: str | None = Field(None, alias="match.number")


class RunDetailOut(RunOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: AllocationRun) -> Any:
        return list(selectors.run_items(obj))
