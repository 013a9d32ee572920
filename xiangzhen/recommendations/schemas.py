"""API shapes of recommendations and weights."""

from typing import Any

from ninja import Field, Schema

from xiangzhen.recommendations.scoring import Scored
from xiangzhen.recommendations.selectors import DemandRecommendation, OfferRecommendation, WeightsView


class FeatureOut(Schema):
    code: str
    label: str = Field(..., title="特征")
    detail_zh: str = Field(..., title="说明")
    value: float = Field(..., title="特征值（0–1）")
    weight: float = Field(..., title="权重")
    contribution: float = Field(..., title="贡献分")


class ScoredOut(Schema):
    demand_id: int
    offer_id: int
    organization_id: int
    total: float = Field(..., title="总分")
    tilt: float = Field(..., title="其中优先倾斜")
    chips: list[str] = Field(..., title="推荐理由")
    features: list[FeatureOut]


class OfferRecommendationOut(ScoredOut):
    offer_title: str
    organization_name: str


class DemandRecommendationOut(ScoredOut):
    demand_title: str
    demand_region: str
    offer_title: str


class RecordOrganizationOut(Schema):
    organization_id: int
    organization_name: str
    completed_in_county: int = Field(..., title="本县同领域已完成对接需求数")


class DemandRecommendationsOut(Schema):
    demand_id: int
    offers: list[OfferRecommendationOut]
    organizations: list[RecordOrganizationOut] = Field(..., title="有同领域本县完成记录、但暂无合适供给项目的社会组织")


class DemandListOut(Schema):
    demands: list[DemandRecommendationOut]


class AcceptIn(Schema):
    demand_id: int = Field(..., title="需求项目")
    offer_id: int = Field(..., title="供给项目")
    committed_amount: Any = Field("0", title="承诺资金（元）")
    people_to_serve: Any = Field(0, title="计划服务人数")
    committed_in_kind: str = Field("", max_length=2000, title="承诺物资或服务")
    note: str = Field("", max_length=2000, title="对接说明")


class WeightsOut(Schema):
    province_code: str | None = Field(None, title="省级区划代码（为空表示全国默认）")
    name: str
    own_row: bool = Field(..., title="是否为本省单独设置（否则沿用全国默认）")
    weights: dict[str, float]
    labels: dict[str, str]


class WeightsIn(Schema):
    province_code: str | None = Field(None, title="省级区划代码（为空表示全国默认，仅平台管理员）")
    weights: dict[str, Any] = Field(..., title='要修改的权重，0–10，例如 {"geography": 3}')


def scored(s: Scored) -> dict[str, Any]:
    return {
        "demand_id": s.demand_id,
        "offer_id": s.offer_id,
        "organization_id": s.organization_id,
        "total": round(s.total, 4),
        "tilt": round(s.tilt, 4),
        "chips": s.chips,
        "features": [vars(f) for f in s.features],
    }


def offer_row(row: OfferRecommendation) -> dict[str, Any]:
    return {**scored(row.scored), "offer_title": row.offer.title, "organization_name": row.offer.organization.name}


def demand_row(row: DemandRecommendation) -> dict[str, Any]:
    return {
        **scored(row.scored),
        "demand_title": row.demand.title,
        "demand_region": str(row.demand.region),
        "offer_title": row.offer.title,
    }


def weights(view: WeightsView) -> dict[str, Any]:
    from xiangzhen.recommendations.models import FEATURES

    return {
        "province_code": view.province_code,
        "name": view.name,
        "own_row": view.own_row,
        "weights": view.weights.as_dict(),
        "labels": FEATURES,
    }
