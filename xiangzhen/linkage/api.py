"""The linkage API (/api/v1/linkage): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.excel import download
from xiangzhen.linkage import excel, selectors, services
from xiangzhen.linkage.filters import IncubationFilters, LinkageFilters, ServiceFilters
from xiangzhen.linkage.models import IncubationRecord
from xiangzhen.linkage.schemas import (
    CoverageOut,
    IncubationIn,
    IncubationOut,
    MoveIn,
    RejectIn,
    ServiceIn,
    ServiceOut,
    StaffIn,
    StaffOut,
    StationIn,
    StationOut,
    TotalOut,
    VolunteerIn,
    VolunteerOut,
)

router = Router(tags=["五社联动"])


@router.get("/stations", response=list[StationOut], summary="社工站")
@paginate(PageNumberPagination, page_size=50)
def list_stations(request: HttpRequest, filters: Query[LinkageFilters]) -> Any:
    return selectors.stations(request.user, filters)


@router.get("/stations/coverage", response=list[CoverageOut], summary="各县社工站覆盖情况")
def station_coverage(request: HttpRequest) -> Any:
    return [
        {
            "county": c.county.code, "county_name": c.county.name, "townships": c.townships,
            "with_station": c.with_station, "without_station": c.without_station,
        }
        for c in selectors.coverage(request.user)
    ]  # fmt: skip


@router.get("/stations/export", summary="导出社工站为 Excel")
def export_stations(request: HttpRequest, filters: Query[LinkageFilters]) -> HttpResponse:
    content = excel.stations_workbook(selectors.stations(request.user, filters), selectors.coverage(request.user))
    return download(content, "stations.xlsx")


@router.post("/stations", response={201: StationOut}, summary="登记社工站（县级以上民政部门）")
def create_station(request: HttpRequest, payload: StationIn) -> Any:
    return Status(201, services.create_station(actor=request.user, data=services.StationData(**payload.dict())))


@router.get("/stations/{int:station_id}/staff", response=list[StaffOut], summary="社工站工作人员（手机号脱敏）")
def list_staff(request: HttpRequest, station_id: int) -> Any:
    return selectors.station_staff(request.user, selectors.get_station(request.user, station_id))


@router.post("/stations/{int:station_id}/staff", response={201: StaffOut}, summary="登记社工站工作人员")
def add_staff(request: HttpRequest, station_id: int, payload: StaffIn) -> Any:
    station = selectors.get_station(request.user, station_id)
    member = services.add_station_staff(actor=request.user, station=station, data=services.StaffData(**payload.dict()))
    return Status(201, member)


@router.get("/volunteers", response=list[VolunteerOut], summary="志愿者（手机号脱敏）")
@paginate(PageNumberPagination, page_size=50)
def list_volunteers(request: HttpRequest, filters: Query[LinkageFilters]) -> Any:
    return selectors.volunteers(request.user, filters)


@router.get("/volunteers/export", summary="导出志愿者为 Excel（手机号脱敏）")
def export_volunteers(request: HttpRequest, filters: Query[LinkageFilters]) -> HttpResponse:
    return download(excel.volunteers_workbook(selectors.volunteers(request.user, filters)), "volunteers.xlsx")


@router.post("/volunteers", response={201: VolunteerOut}, summary="登记志愿者（组织管理员或社工站所属民政部门）")
def register_volunteer(request: HttpRequest, payload: VolunteerIn) -> Any:
    return Status(201, services.register_volunteer(actor=request.user, data=services.VolunteerData(**payload.dict())))


@router.get("/services", response=list[ServiceOut], summary="志愿服务记录")
@paginate(PageNumberPagination, page_size=50)
def list_services(request: HttpRequest, filters: Query[ServiceFilters]) -> Any:
    return selectors.services(request.user, filters)


@router.get("/services/export", summary="导出志愿服务记录为 Excel")
def export_services(request: HttpRequest, filters: Query[ServiceFilters]) -> HttpResponse:
    return download(excel.services_workbook(selectors.services(request.user, filters)), "volunteer-services.xlsx")


@router.post("/services", response={201: ServiceOut}, summary="记录志愿服务（待组织方确认）")
def record_service(request: HttpRequest, payload: ServiceIn) -> Any:
    volunteer = selectors.get_volunteer(request.user, payload.volunteer_id)
    data = services.ServiceData(**payload.dict())
    return Status(201, services.record_service(actor=request.user, volunteer=volunteer, data=data))


@router.post("/services/{int:service_id}/confirm", response=ServiceOut, summary="确认服务时长（组织方）")
def confirm_service(request: HttpRequest, service_id: int) -> Any:
    return services.confirm_service(actor=request.user, service=selectors.get_service(request.user, service_id))


@router.post("/services/{int:service_id}/reject", response=ServiceOut, summary="驳回服务记录（组织方，须填写原因）")
def reject_service(request: HttpRequest, service_id: int, payload: RejectIn) -> Any:
    service = selectors.get_service(request.user, service_id)
    return services.reject_service(actor=request.user, service=service, reason=payload.reason)


@router.get("/totals/people", response=list[TotalOut], summary="每位志愿者的已确认服务时长")
def totals_by_person(request: HttpRequest, filters: Query[LinkageFilters]) -> Any:
    return selectors.totals_by_person(request.user, filters)


@router.get("/totals/organizers", response=list[TotalOut], summary="每个组织方的已确认服务时长")
def totals_by_organizer(request: HttpRequest, filters: Query[LinkageFilters]) -> Any:
    return selectors.totals_by_organizer(request.user, filters)


@router.get("/totals/areas", response=list[TotalOut], summary="每个乡镇（含所辖村）的已确认服务时长")
def totals_by_area(request: HttpRequest, filters: Query[LinkageFilters]) -> Any:
    return selectors.totals_by_area(request.user, filters)


@router.get("/totals/export", summary="导出服务时长合计为 Excel")
def export_totals(request: HttpRequest, filters: Query[LinkageFilters]) -> HttpResponse:
    return download(excel.totals_workbook(selectors.all_totals(request.user, filters)), "volunteer-hours.xlsx")


def _incubation_out(record: IncubationRecord) -> dict[str, Any]:
    growth = selectors.growth(record.organization_id)
    return {
        "id": record.pk, "organization_id": record.organization_id, "organization_name": record.organization.name,
        "founder_type": record.organization.founder_type, "incubator_name": record.incubator_name,
        "stage": record.stage, "filed_on": record.filed_on, "notes": record.notes,
        "first_offer_on": growth.first_offer_on, "first_match_on": growth.first_match_on,
        "activities": growth.activities,
    }  # fmt: skip


@router.get("/incubations", response=list[IncubationOut], summary="农村社区社会组织孵化培育记录")
@paginate(PageNumberPagination, page_size=50)
def list_incubations(request: HttpRequest, filters: Query[IncubationFilters]) -> Any:
    return [_incubation_out(r) for r in selectors.incubations(request.user, filters)]


@router.get("/incubations/export", summary="导出孵化培育记录为 Excel")
def export_incubations(request: HttpRequest, filters: Query[IncubationFilters]) -> HttpResponse:
    rows = [(r, selectors.growth(r.organization_id)) for r in selectors.incubations(request.user, filters)]
    return download(excel.incubations_workbook(rows), "incubations.xlsx")


@router.post("/incubations", response={201: IncubationOut}, summary="备案孵化记录（所辖民政部门）")
def file_incubation(request: HttpRequest, payload: IncubationIn) -> Any:
    record = services.file_incubation(actor=request.user, data=services.IncubationData(**payload.dict()))
    return Status(201, _incubation_out(record))


@router.post("/incubations/{int:incubation_id}/move", response=IncubationOut, summary="变更孵化阶段（所辖民政部门）")
def move_incubation(request: HttpRequest, incubation_id: int, payload: MoveIn) -> Any:
    record = selectors.get_incubation(request.user, incubation_id)
    return _incubation_out(
        services.move_incubation(actor=request.user, record=record, stage=payload.stage, notes=payload.notes)
    )
