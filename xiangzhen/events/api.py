"""The events API (/api/v1/events): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.consumption import selectors as consumption_selectors
from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.events import excel, selectors, services
from xiangzhen.events.filters import EventFilters
from xiangzhen.events.schemas import EventIn, EventOut, EventPatch, FairSalesOut, VillageIn, VillageOut
from xiangzhen.events.validation import EventData

router = Router(tags=["活动与会展"])


def _sales(event: Any) -> dict[str, Any]:
    sales = consumption_selectors.fair_sales(event)
    return {
        "event_id": event.pk, "number": event.number, "name": event.name,
        "purchase_count": sales.purchase_count, "total": sales.total,
        "villages": [row.__dict__ for row in sales.villages],
    }  # fmt: skip


# ---------------------------------------------------------------- public (no login)


@router.get("/public", response=list[EventOut], auth=None, summary="已发布的活动与会展（无需登录）")
@paginate(PageNumberPagination, page_size=20)
def list_public_events(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    return selectors.public_events(filters)


@router.get("/public/export", auth=None, summary="导出已发布的活动为 Excel（无需登录）")
def export_public_events(request: HttpRequest, filters: Query[EventFilters]) -> HttpResponse:
    return download(excel.events_workbook(selectors.public_events(filters)), "events-public.xlsx")


@router.get("/public/{int:event_id}", response=EventOut, auth=None, summary="活动详情（无需登录）")
def get_public_event(request: HttpRequest, event_id: int) -> Any:
    return selectors.get_public_event(event_id)


@router.get("/public/{int:event_id}/villages", response=list[VillageOut], auth=None, summary="参展村（无需登录）")
def list_public_villages(request: HttpRequest, event_id: int) -> Any:
    return selectors.participations(selectors.get_public_event(event_id))


@router.get(
    "/public/{int:event_id}/sales", response=FairSalesOut, auth=None, summary="展销会各参展村销售额与合计（无需登录）"
)
def public_fair_sales(request: HttpRequest, event_id: int) -> Any:
    return _sales(selectors.get_public_event(event_id))


# ---------------------------------------------------------------- staff


@router.get("/", response=list[EventOut], summary="辖区内的和已发布的活动（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    return selectors.event_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel")
def export_events(request: HttpRequest, filters: Query[EventFilters]) -> HttpResponse:
    return download(excel.events_workbook(selectors.event_list(request.user, filters)), "events.xlsx")


@router.post("/", response={201: EventOut}, summary="创建活动（草稿；本辖区部门工作人员）")
def create_event(request: HttpRequest, payload: EventIn) -> Any:
    event = services.create_event(actor=request.user, data=EventData(**payload.dict()))
    return Status(201, selectors.get_event(request.user, event.pk))


@router.get("/{int:event_id}", response=EventOut, summary="活动详情")
def get_event(request: HttpRequest, event_id: int) -> Any:
    return selectors.get_event(request.user, event_id)


@router.patch("/{int:event_id}", response=EventOut, summary="修改活动（草稿和已发布的）")
def update_event(request: HttpRequest, event_id: int, payload: EventPatch) -> Any:
    event = selectors.get_event(request.user, event_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_event(actor=request.user, event=event, changes=changes, expected_version=version)
    return selectors.get_event(request.user, event_id)


def _act(request: HttpRequest, event_id: int, action: str, reason: str = "", version: int | None = None) -> Any:
    event = selectors.get_event(request.user, event_id)
    services.TRANSITION_SERVICES[action](actor=request.user, event=event, reason=reason, expected_version=version)
    return selectors.get_event(request.user, event_id)


@router.post("/{int:event_id}/publish", response=EventOut, summary="发布")
def publish(request: HttpRequest, event_id: int, version: int | None = None) -> Any:
    return _act(request, event_id, "publish", version=version)


@router.post("/{int:event_id}/finish", response=EventOut, summary="结束")
def finish(request: HttpRequest, event_id: int, version: int | None = None) -> Any:
    return _act(request, event_id, "finish", version=version)


@router.post("/{int:event_id}/cancel", response=EventOut, summary="取消（须填写原因）")
def cancel(request: HttpRequest, event_id: int, payload: ReasonIn) -> Any:
    return _act(request, event_id, "cancel", payload.reason, payload.version)


@router.get("/{int:event_id}/villages", response=list[VillageOut], summary="参展村")
def list_villages(request: HttpRequest, event_id: int) -> Any:
    return selectors.participations(selectors.get_event(request.user, event_id))


@router.post("/{int:event_id}/villages", response={201: VillageOut}, summary="添加参展村（组织方）")
def add_village(request: HttpRequest, event_id: int, payload: VillageIn) -> Any:
    event = selectors.get_event(request.user, event_id)
    participation = services.add_village(
        actor=request.user, event=event, village_code=payload.village_code, booth=payload.booth
    )
    return Status(201, participation)


@router.api_operation(
    ["DELETE"], "/{int:event_id}/villages/{village_code}", response={204: None}, summary="移出参展村（无销售时）"
)
def remove_village(request: HttpRequest, event_id: int, village_code: str) -> Any:
    event = selectors.get_event(request.user, event_id)
    services.remove_village(actor=request.user, event=event, village_code=village_code)
    return Status(204, None)


@router.get("/{int:event_id}/sales", response=FairSalesOut, summary="展销会各参展村销售额与合计")
def fair_sales(request: HttpRequest, event_id: int) -> Any:
    return _sales(selectors.get_event(request.user, event_id))
