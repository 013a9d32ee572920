"""The evaluation API (/api/v1/evaluation): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.excel import download
from xiangzhen.evaluation import excel, selectors, services
from xiangzhen.evaluation.filters import ScoreFilters
from xiangzhen.evaluation.schemas import (
    ComputeIn,
    ComputeOut,
    IndicatorBatchIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    MeasureOut,
    SchemeIn,
    SchemeOut,
    ScoreDetailOut,
    ScoreOut,
)

router = Router(tags=["评估评价"])


def _province(request: HttpRequest, province: str | None) -> str:
    return services.province_of(province).code if province else selectors.default_province(request.user)


@router.get("/measures", response=list[MeasureOut], summary="公式可用的计量（名称、含义、单位）")
def list_measures(request: HttpRequest) -> Any:
    return selectors.measure_list()


@router.get("/indicators", response=list[IndicatorOut], summary="一个省的评估指标（不填省份为本人所在省）")
def list_indicators(request: HttpRequest, province: str | None = None, active_only: bool = False) -> Any:
    return selectors.indicators(_province(request, province), active_only=active_only)


@router.post("/indicators", response={201: IndicatorOut}, summary="新增指标（未启用；省级民政部门）")
def create_indicator(request: HttpRequest, payload: IndicatorIn) -> Any:
    values = payload.dict()
    province_code = values.pop("province_code")
    data = services.IndicatorData(**values)
    return Status(201, services.create_indicator(actor=request.user, province_code=province_code, data=data))


@router.put("/indicators", response=list[IndicatorOut], summary="一起修改多个指标（启用的权重合计须为 100）")
def update_indicators(request: HttpRequest, payload: IndicatorBatchIn) -> Any:
    changes = []
    for item in payload.indicators:
        values = item.dict(exclude_unset=True)
        changes.append(services.IndicatorChange(indicator_id=values.pop("id"), **values))
    services.update_indicators(actor=request.user, province_code=payload.province_code, changes=changes)
    return selectors.indicators(services.province_of(payload.province_code).code)


@router.get("/indicators/{int:indicator_id}", response=IndicatorOut, summary="指标详情")
def get_indicator(request: HttpRequest, indicator_id: int) -> Any:
    return selectors.get_indicator(indicator_id)


@router.patch("/indicators/{int:indicator_id}", response=IndicatorOut, summary="修改一个指标（省级民政部门）")
def update_indicator(request: HttpRequest, indicator_id: int, payload: IndicatorPatch) -> Any:
    indicator = selectors.get_indicator(indicator_id)
    change = services.IndicatorChange(indicator_id=indicator.pk, **payload.dict(exclude_unset=True))
    services.update_indicators(actor=request.user, province_code=indicator.province_id, changes=[change])
    return selectors.get_indicator(indicator_id)


@router.get("/scheme", response=SchemeOut, summary="等级评估中的分值与表彰名额")
def get_scheme(request: HttpRequest, province: str | None = None) -> Any:
    return selectors.scheme(_province(request, province))


@router.put("/scheme", response=SchemeOut, summary="设置等级评估中的分值与表彰名额（省级民政部门）")
def update_scheme(request: HttpRequest, payload: SchemeIn) -> Any:
    return services.update_scheme(actor=request.user, **payload.dict())


@router.post("/scores/compute", response=ComputeOut, summary="计算一个省某年度的得分与排名（省级民政部门）")
def compute_scores(request: HttpRequest, payload: ComputeIn) -> Any:
    result = services.compute_scores(actor=request.user, province_code=payload.province_code, year=payload.year)
    return {
        "province_code": result.province.code,
        "year": result.year,
        "count": result.count,
        "indicator_versions": result.indicator_versions,
    }


@router.get("/scores", response=list[ScoreOut], summary="得分与排名（按类型、登记层级分组；可筛选）")
@paginate(PageNumberPagination, page_size=50)
def list_scores(request: HttpRequest, filters: Query[ScoreFilters]) -> Any:
    return selectors.score_list(request.user, filters)


def _indicators_of(scores: Any) -> list[Any]:
    first = scores.first()
    return list(selectors.indicators(first.province_id, active_only=True)) if first else []


@router.get("/scores/export", summary="导出得分与排名为 Excel")
def export_scores(request: HttpRequest, filters: Query[ScoreFilters]) -> HttpResponse:
    scores = selectors.score_list(request.user, filters)
    return download(excel.scores_workbook(scores, _indicators_of(scores)), "evaluation-scores.xlsx")


@router.get("/scores/rating-export", summary="导出等级评估用表（参与乡村振兴指标得分及其分值）")
def export_rating(request: HttpRequest, filters: Query[ScoreFilters]) -> HttpResponse:
    return download(excel.rating_workbook(selectors.rating_rows(request.user, filters)), "evaluation-rating.xlsx")


@router.get("/scores/commendation", response=list[ScoreOut], summary="表彰候选名单（每个类型和层级的前 N 名）")
def commendation(request: HttpRequest, filters: Query[ScoreFilters], top: int | None = None) -> Any:
    return selectors.commendation_candidates(request.user, filters, top)


@router.get("/scores/commendation/export", summary="导出表彰候选名单为 Excel")
def export_commendation(request: HttpRequest, filters: Query[ScoreFilters], top: int | None = None) -> HttpResponse:
    scores = selectors.commendation_candidates(request.user, filters, top)
    return download(excel.commendation_workbook(scores), "evaluation-commendation.xlsx")


@router.get("/scores/{int:organization_id}/{int:year}", response=ScoreDetailOut, summary="一个社会组织某年度的得分明细")
def get_score(request: HttpRequest, organization_id: int, year: int) -> Any:
    return selectors.get_score(request.user, organization_id, year)
