"""The monitoring API (/api/v1/monitoring): thin wiring from HTTP to selectors and services.

Personal data is masked in every answer; `GET /{id}?reveal=true` shows it in full to the county's
rural revitalization staff and writes that view to the audit trail.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.excel import download
from xiangzhen.monitoring import excel, selectors, services
from xiangzhen.monitoring.filters import HouseholdFilters
from xiangzhen.monitoring.schemas import (
    AccessIn,
    AccessOut,
    AssistanceIn,
    AssistanceOut,
    CloseIn,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    MemberIn,
    MemberOut,
    RelocationSiteOut,
)

router = Router(tags=["防止返贫监测"])


@router.get(
    "/", response=list[HouseholdOut], summary="监测对象列表（个人信息打码；可按类型、状态、风险、村、编号筛选）"
)
@paginate(PageNumberPagination, page_size=20)
def list_households(request: HttpRequest, filters: Query[HouseholdFilters]) -> Any:
    return selectors.households(request.user, filters)


@router.get("/export", summary="导出监测对象为 Excel（个人信息打码）")
def export_households(request: HttpRequest, filters: Query[HouseholdFilters]) -> HttpResponse:
    rows = selectors.export_rows(selectors.households(request.user, filters))
    return download(excel.export_workbook(rows), "monitored-households.xlsx")


@router.get("/relocation-sites", response=list[RelocationSiteOut], summary="易地扶贫搬迁安置点及其后续扶持需求数")
def relocation_sites(request: HttpRequest) -> Any:
    return selectors.relocation_sites(request.user)


@router.post("/", response={201: HouseholdOut}, summary="录入监测对象（县级乡村振兴部门）")
def create_household(request: HttpRequest, payload: HouseholdIn) -> Any:
    household = services.create_household(actor=request.user, data=services.HouseholdData(**payload.dict()))
    return Status(201, selectors.get_household(request.user, household.pk))


@router.get(
    "/{int:household_id}",
    response=HouseholdDetailOut,
    summary="监测对象详情（reveal=true 查看完整个人信息，仅县级乡村振兴部门，记入操作日志）",
)
def get_household(request: HttpRequest, household_id: int, reveal: bool = False) -> Any:
    household = selectors.get_household(request.user, household_id)
    if reveal:
        services.reveal_personal(actor=request.user, household=household)
    return {"household": household, "personal": selectors.personal_view(request.user, household, reveal=reveal)}


@router.post("/{int:household_id}/members", response={201: MemberOut}, summary="新增家庭成员（回显打码）")
def add_member(request: HttpRequest, household_id: int, payload: MemberIn) -> Any:
    household = selectors.get_household(request.user, household_id)
    services.add_member(actor=request.user, household=household, data=services.MemberData(**payload.dict()))
    view = selectors.personal_view(request.user, household)
    return Status(201, view.members[-1])


@router.post("/{int:household_id}/close", response=HouseholdOut, summary="标记风险消除或迁出")
def close_household(request: HttpRequest, household_id: int, payload: CloseIn) -> Any:
    household = selectors.get_household(request.user, household_id)
    return services.close_household(actor=request.user, household=household, **payload.dict())


@router.get("/{int:household_id}/accesses", response=list[AccessOut], summary="获授权的社会组织")
def list_accesses(request: HttpRequest, household_id: int) -> Any:
    return selectors.accesses(request.user, selectors.get_household(request.user, household_id))


@router.post("/{int:household_id}/accesses", response={201: AccessOut}, summary="授权社会组织查看（打码）并记录帮扶")
def grant_access(request: HttpRequest, household_id: int, payload: AccessIn) -> Any:
    household = selectors.get_household(request.user, household_id)
    return Status(201, services.grant_access(actor=request.user, household=household, **payload.dict()))


@router.get("/{int:household_id}/assistance", response=list[AssistanceOut], summary="帮扶记录")
def list_assistance(request: HttpRequest, household_id: int) -> Any:
    return selectors.assistance(request.user, selectors.get_household(request.user, household_id))


@router.post("/{int:household_id}/assistance", response={201: AssistanceOut}, summary="记录帮扶（获授权的社会组织）")
def record_assistance(request: HttpRequest, household_id: int, payload: AssistanceIn) -> Any:
    household = selectors.get_household(request.user, household_id)
    values = payload.dict()
    organization_id = values.pop("organization_id")
    record = services.record_assistance(
        actor=request.user,
        household=household,
        organization_id=organization_id,
        data=services.AssistanceData(**values),
    )
    return Status(201, record)
