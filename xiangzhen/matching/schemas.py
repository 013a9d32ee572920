"""API input and output shapes for matches."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.matching import rules, selectors
from xiangzhen.matching.models import Match


class CommitmentIn(Schema):
    demand_id: int = Field(..., title="需求项目")
    committed_amount: Decimal = Field(Decimal("0"), title="承诺资金（元）")
    people_to_serve: int = Field(0, title="计划服务人数")
    committed_in_kind: str = Field("", max_length=2000, title="承诺物资或服务")
    note: str = Field("", max_length=2000, title="对接说明")
    event_id: int | None = Field(None, title="对接活动（可选：在该活动中对接，对接方式记为“活动对接”）")


class OrderIn(CommitmentIn):
    offer_id: int = Field(..., title="供给项目")


class TakeIn(CommitmentIn):
    offer_id: int | None = Field(None, title="供给项目（可选，须为本组织已发布的项目）")
    organization_id: int | None = Field(None, title="以哪个社会组织的名义（管理多个组织时必填）")


class VersionIn(Schema):
    version: int | None = Field(None, title="版本（防止并发覆盖）")


class ReasonIn(VersionIn):
    reason: str = Field(..., max_length=500, title="原因")


class CompleteIn(VersionIn):
    report: str = Field(..., max_length=10000, title="完成报告")


class EvaluateIn(Schema):
    score: int = Field(..., title="评分（1–5）")
    comment: str = Field("", max_length=2000, title="评价意见")
    side: str | None = Field(None, title="评价方 demand / county（默认按角色）")


class ActivityIn(Schema):
    date: dt.date = Field(..., title="日期")
    title: str = Field(..., max_length=100, title="活动名称")
    description: str = Field("", max_length=2000, title="活动内容")
    people_served: int = Field(0, title="服务人数")
    amount_spent: Decimal = Field(Decimal("0"), title="投入资金（元）")
    in_kind_spent: str = Field("", max_length=2000, title="投入物资")


class RefOut(Schema):
    id: int
    number: str = ""
    title: str = ""


class MatchOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    origin: str
    origin_label: str
    event_id: int | None = None
    demand: RefOut
    region_code: str
    region_name: str
    organization_id: int
    organization_name: str
    offer: RefOut | None
    committed_amount: Decimal
    committed_in_kind: str
    people_to_serve: int
    proposed_at: dt.datetime
    accepted_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    evaluated_at: dt.datetime | None
    decline_reason: str
    cancel_reason: str
    version: int

    @staticmethod
    def resolve_status_label(obj: Match) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_origin_label(obj: Match) -> str:
        return obj.get_origin_display()

    @staticmethod
    def resolve_demand(obj: Match) -> dict[str, Any]:
        return {"id": obj.demand_id, "number": obj.demand.number, "title": obj.demand.title}

    @staticmethod
    def resolve_region_code(obj: Match) -> str:
        return obj.demand.region_id

    @staticmethod
    def resolve_region_name(obj: Match) -> str:
        return obj.demand.region.full_name or obj.demand.region.name

    @staticmethod
    def resolve_organization_name(obj: Match) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_offer(obj: Match) -> dict[str, Any] | None:
        if obj.offer_id is None or obj.offer is None:
            return None
        return {"id": obj.offer_id, "number": obj.offer.number, "title": obj.offer.title}


class ActivityOut(Schema):
    id: int
    date: dt.date
    title: str
    description: str
    people_served: int
    amount_spent: Decimal
    in_kind_spent: str
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str:
        return str(obj.recorded_by)


class MilestoneIn(Schema):
    title: str = Field(..., max_length=100, title="节点名称")
    due_date: dt.date = Field(..., title="计划日期")


class ReachIn(Schema):
    done_on: dt.date = Field(..., title="达成日期")


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    done_on: dt.date | None


class EvaluationOut(Schema):
    id: int
    by_side: str
    score: int
    comment: str
    evaluated_by: str
    evaluated_at: dt.datetime

    @staticmethod
    def resolve_evaluated_by(obj: Any) -> str:
        return str(obj.evaluated_by)


class CoverageOut(Schema):
    budget: Decimal
    covered: Decimal
    remaining: Decimal
    people_needed: int
    people_covered: int
    active_matches: int


class MatchDetailOut(MatchOut):
    note: str
    completion_report: str
    activities: list[ActivityOut]
    milestones: list[MilestoneOut]
    evaluations: list[EvaluationOut]
    coverage: CoverageOut
    actions: list[str]

    @staticmethod
    def resolve_activities(obj: Match) -> list[Any]:
        return list(obj.activities.all())

    @staticmethod
    def resolve_milestones(obj: Match) -> list[Any]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_evaluations(obj: Match) -> list[Any]:
        return list(obj.evaluations.all())

    @staticmethod
    def resolve_coverage(obj: Match) -> dict[str, Any]:
        return vars(selectors.coverage(obj.demand))

    @staticmethod
    def resolve_actions(obj: Match) -> list[str]:
        return list(getattr(obj, "actions_for_viewer", []))


def detail(user: Any, match: Match) -> Match:
    """A match fetched through `selectors.get_match`, with the viewer's actions for `MatchDetailOut`."""
    match.actions_for_viewer = rules.available_actions(user, match)  # type: ignore[attr-defined]
    return match


class DuplicateGroupOut(Schema):
    region_code: str
    region_name: str
    domain_code: str
    domain_name: str
    organizations: int
    demands: int
    committed: Decimal
    people: int
    matches: list[MatchOut]


class SuccessRateOut(Schema):
    region_code: str
    start: dt.date | None
    end: dt.date | None
    published_demands: int
    completed_matches: int
    demands_completed: int
    active_matches: int
    rate: float | None
