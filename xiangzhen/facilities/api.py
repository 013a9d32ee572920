"""The facilities API (/api/v1/facilities): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.facilities import excel, selectors, services
from xiangzhen.facilities.filters import FacilityFilters
from xiangzhen.facilities.schemas import (
    CountyRowOut,
    FacilityIn,
    FacilityOut,
    FacilityPublicOut,
    MonthOut,
    OpenIn,
    UsageIn,
    UsageOut,
)
from xiangzhen.facilities.validation import FacilityData, UsageData
from xiangzhen.regions.selectors import parse_code

router = Router(tags=["四小建设"])


@router.get("/public", response=list[FacilityPublicOut], auth=None, summary="使用中的小屋（无需登录）")
@paginate(PageNumberPagination, page_size=20)
def list_public(request: HttpRequest, filters: Query[FacilityFilters]) -> Any:
    return selectors.public_facilities(filters)


@router.get("/public/{int:facility_id}", response=FacilityPublicOut, auth=None, summary="使用中的小屋（无需登录）")
def get_public(request: HttpRequest, facility_id: int) -> Any:
    return selectors.get_public_facility(facility_id)


@router.get("/", response=list[FacilityOut], summary="辖区内的/本组织建设的小屋（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_facilities(request: HttpRequest, filters: Query[FacilityFilters]) -> Any:
    return selectors.facilities(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel")
def export_facilities(request: HttpRequest, filters: Query[FacilityFilters]) -> HttpResponse:
    return download(
        excel.facilities_workbook(selectors.facilities(request.user, filters), public=False), "facilities.xlsx"
    )


@router.get("/by-county", response=list[CountyRowOut], summary="各县小屋数（按类型和状态；area 为省或市的区划代码）")
def by_county(request: HttpRequest, filters: Query[FacilityFilters], area: str = "") -> Any:
    code = parse_code(area, "area") if area else selectors.default_area(request.user)
    return selectors.rooms_by_county(request.user, code, filters) if code else []


@router.post("/", response={201: FacilityOut}, summary="登记小屋（建设组织管理员，或所在县、乡镇、村的人员）")
def register(request: HttpRequest, payload: FacilityIn) -> Any:
    values = payload.dict()
    builder = selectors.get_builder(values["builder_id"])
    facility = services.register_facility(actor=request.user, builder=builder, data=FacilityData(**values))
    return Status(201, selectors.get_facility(request.user, facility.pk))


@router.get("/{int:facility_id}", response=FacilityOut, summary="小屋详情")
def get_facility(request: HttpRequest, facility_id: int) -> Any:
    return selectors.get_facility(request.user, facility_id)


@router.post("/{int:facility_id}/start", response=FacilityOut, summary="开始建设（建设组织管理员或所在县工作人员）")
def start(request: HttpRequest, facility_id: int, version: int | None = None) -> Any:
    facility = selectors.get_facility(request.user, facility_id)
    services.start_building(actor=request.user, facility=facility, expected_version=version)
    return selectors.get_facility(request.user, facility_id)


@router.post("/{int:facility_id}/open", response=FacilityOut, summary="启用（须填写启用日期）")
def open_(request: HttpRequest, facility_id: int, payload: OpenIn) -> Any:
    facility = selectors.get_facility(request.user, facility_id)
    services.open_facility(
        actor=request.user, facility=facility, opened_on=payload.opened_on, expected_version=payload.version
    )
    return selectors.get_facility(request.user, facility_id)


@router.post("/{int:facility_id}/close", response=FacilityOut, summary="关闭（须填写原因）")
def close(request: HttpRequest, facility_id: int, payload: ReasonIn) -> Any:
    facility = selectors.get_facility(request.user, facility_id)
    services.close_facility(
        actor=request.user, facility=facility, reason=payload.reason, expected_version=payload.version
    )
    return selectors.get_facility(request.user, facility_id)


@router.get("/{int:facility_id}/usages", response=list[UsageOut], summary="使用记录")
@paginate(PageNumberPagination, page_size=50)
def list_usages(request: HttpRequest, facility_id: int) -> Any:
    return selectors.usages(selectors.get_facility(request.user, facility_id))


@router.get("/{int:facility_id}/usage-by-month", response=list[MonthOut], summary="按月使用情况（新月份在前）")
def usage_by_month(request: HttpRequest, facility_id: int) -> Any:
    return selectors.usage_by_month(selectors.get_facility(request.user, facility_id))


@router.get("/{int:facility_id}/usages/export", summary="导出使用记录为 Excel")
def export_usages(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, facility_id)
    return download(excel.usages_workbook(selectors.usages(facility)), f"usages-{facility.number}.xlsx")


@router.post(
    "/{int:facility_id}/usages", response={201: UsageOut}, summary="记录使用情况（建设组织成员或所在村、县的人员）"
)
def record_usage(request: HttpRequest, facility_id: int, payload: UsageIn) -> Any:
    facility = selectors.get_facility(request.user, facility_id)
    return Status(201, services.record_usage(actor=request.user, facility=facility, data=UsageData(**payload.dict())))
