"""The periodic reporting API (/api/v1/reports): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.reporting import schemas, selectors, services
from xiangzhen.reporting.filters import ReportFilters
from xiangzhen.reporting.schemas import (
    OpenIn,
    PeriodOut,
    PeriodSummaryOut,
    ReportDetailOut,
    ReportOut,
    ReviewIn,
    ScheduleIn,
    ScheduleOut,
    TextsIn,
)

router = Router(tags=["定期报送"])


def _detail(request: HttpRequest, report_id: int) -> Any:
    return schemas.detail(request.user, selectors.get_report(request.user, report_id))


@router.get("/schedules", response=list[ScheduleOut], summary="报送规则（本省；平台管理员可见全部）")
def list_schedules(request: HttpRequest) -> Any:
    return selectors.schedules(request.user)


@router.patch("/schedules/{int:schedule_id}", response=ScheduleOut, summary="修改本省报送规则")
def update_schedule(request: HttpRequest, schedule_id: int, payload: ScheduleIn) -> Any:
    schedule = selectors.get_schedule(request.user, schedule_id)
    data = services.ScheduleData(**payload.dict(exclude={"version"}))
    return services.save_schedule(
        actor=request.user, province_code=schedule.province_id, data=data, expected_version=payload.version
    )


@router.get("/periods", response=list[PeriodOut], summary="报告期（省级）")
@paginate(PageNumberPagination, page_size=20)
def list_periods(request: HttpRequest) -> Any:
    return selectors.periods(request.user)


@router.post("/periods/open", response=list[PeriodOut], summary="开启当前报告期并为各报送单位生成草稿（可重复调用）")
def open_periods(request: HttpRequest, payload: OpenIn) -> Any:
    return services.open_periods(actor=request.user, province_code=payload.province_code, on=payload.on)


@router.get(
    "/periods/{int:period_id}",
    response=PeriodSummaryOut,
    summary="报告期报送情况：应报、已报、报送率、按时率、逾期单位",
)
def get_period(request: HttpRequest, period_id: int) -> Any:
    return schemas.summary(selectors.period_summary(selectors.get_period(request.user, period_id)))


@router.post("/periods/{int:period_id}/close", response=PeriodOut, summary="关闭报告期（之后不能再修改或报送）")
def close_period(request: HttpRequest, period_id: int) -> Any:
    return services.close_period(actor=request.user, period=selectors.get_period(request.user, period_id))


@router.get("/", response=list[ReportOut], summary="定期报告列表（本级及下级）")
@paginate(PageNumberPagination, page_size=20)
def list_reports(request: HttpRequest, filters: Query[ReportFilters]) -> Any:
    return selectors.reports(request.user, filters)


@router.get("/{int:report_id}", response=ReportDetailOut, summary="定期报告详情（含统计数据与报送、审核记录）")
def get_report(request: HttpRequest, report_id: int) -> Any:
    return _detail(request, report_id)


@router.patch("/{int:report_id}", response=ReportDetailOut, summary="填写报告的文字部分（草稿或已退回）")
def update_report(request: HttpRequest, report_id: int, payload: TextsIn) -> Any:
    report = selectors.get_report(request.user, report_id)
    texts = {k: v for k, v in payload.dict(exclude={"version"}).items() if v is not None}
    services.update_report(actor=request.user, report=report, texts=texts, expected_version=payload.version)
    return _detail(request, report_id)


@router.post(
    "/{int:report_id}/submit", response=ReportDetailOut, summary="报送（或退回后重新报送）；统计数据于此时固定"
)
def submit(request: HttpRequest, report_id: int, version: int | None = None) -> Any:
    report = selectors.get_report(request.user, report_id)
    services.submit_report(actor=request.user, report=report, expected_version=version)
    return _detail(request, report_id)


@router.post("/{int:report_id}/accept", response=ReportDetailOut, summary="省级接收")
def accept(request: HttpRequest, report_id: int, payload: ReviewIn) -> Any:
    report = selectors.get_report(request.user, report_id)
    services.accept_report(actor=request.user, report=report, comment=payload.comment, expected_version=payload.version)
    return _detail(request, report_id)


@router.post("/{int:report_id}/return", response=ReportDetailOut, summary="省级退回（须填写意见）")
def return_(request: HttpRequest, report_id: int, payload: ReviewIn) -> Any:
    report = selectors.get_report(request.user, report_id)
    services.return_report(actor=request.user, report=report, comment=payload.comment, expected_version=payload.version)
    return _detail(request, report_id)
