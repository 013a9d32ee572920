"""The demands API: thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core import uploads
from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.demands import excel, review_flags, rules, selectors, services
from xiangzhen.demands.filters import DemandFilters
from xiangzhen.demands.models import Demand
from xiangzhen.demands.schemas import (
    DemandIn,
    DemandOut,
    DemandPatch,
    FlagOut,
    ImportReportOut,
    PublicDemandOut,
)
from xiangzhen.demands.validation import DemandData

router = Router(tags=["需求项目库"])


class DemandPagination(PageNumberPagination):
    """Page numbers, and the priority labels of the whole page read in one query."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result[self.items_attribute] = selectors.with_priority(result[self.items_attribute])
        return result


def _data(payload: dict[str, Any]) -> dict[str, Any]:
    if payload.get("beneficiaries") is not None:
        counts: dict[str, int] = {}
        for item in payload["beneficiaries"]:
            if item["group"] in counts:
                raise ValidationFailed.on("beneficiaries", f"受益群体“{item['group']}”重复填写")
            counts[item["group"]] = item["head_count"]
        payload["beneficiaries"] = counts
    return payload


@router.get("/", response=list[DemandOut], summary="需求列表（本人管辖范围，可筛选、检索、排序）")
@paginate(DemandPagination, page_size=20)
def list_demands(request: HttpRequest, filters: Query[DemandFilters]) -> Any:
    return selectors.demand_list(request.user, filters)


@router.get("/public", response=list[PublicDemandOut], auth=None, summary="公开需求列表（无需登录，联系方式打码）")
@paginate(DemandPagination, page_size=20)
def list_public_demands(request: HttpRequest, filters: Query[DemandFilters]) -> Any:
    return selectors.public_demands(filters)


@router.get("/public/export", auth=None, summary="导出公开需求为 Excel（联系方式打码）")
def export_public_demands(request: HttpRequest, filters: Query[DemandFilters]) -> HttpResponse:
    content = excel.export_workbook(
        selectors.export_rows(selectors.public_demands(filters)), selectors.domain_names(), selectors.group_names()
    )
    return download(content, "public-demands.xlsx")


@router.get("/public/{int:demand_id}", response=PublicDemandOut, auth=None, summary="公开需求详情（无需登录）")
def get_public_demand(request: HttpRequest, demand_id: int) -> Any:
    return selectors.get_public_demand(demand_id)


@router.get("/export", summary="导出当前筛选结果为 Excel（与导入模板同列，联系方式打码）")
def export_demands(request: HttpRequest, filters: Query[DemandFilters]) -> HttpResponse:
    content = excel.export_workbook(
        selectors.export_rows(selectors.demand_list(request.user, filters)),
        selectors.domain_names(),
        selectors.group_names(),
    )
    return download(content, "demands.xlsx")


@router.get("/import/template", summary="下载 Excel 导入模板")
def import_template(request: HttpRequest) -> HttpResponse:
    content = excel.template_workbook(selectors.domain_names(), selectors.group_names(), "双龙镇/十八洞村")
    return download(content, "demand-import-template.xlsx")


def _import(request: HttpRequest, file: UploadedFile, dry_run: bool, publish: bool) -> Any:
    if file.size and file.size > uploads.MAX_IMPORT_BYTES:
        raise ValidationFailed.on("file", uploads.TOO_LARGE)
    return services.import_demands(
        actor=request.user, filename=file.name or "", content=file.read(), dry_run=dry_run, publish=publish
    )


@router.post("/import/preview", response=ImportReportOut, summary="导入预览：逐行检查，不写入任何数据")
def import_preview(request: HttpRequest, file: File[UploadedFile]) -> Any:
    return _import(request, file, dry_run=True, publish=False)


@router.post("/import", response=ImportReportOut, summary="确认导入：全部写入或全部不写入（可选直接发布）")
def import_confirm(request: HttpRequest, file: File[UploadedFile], publish: Form[bool] = False) -> Any:
    return _import(request, file, dry_run=False, publish=publish)


@router.post("/", response={201: DemandOut}, summary="填报需求（村、乡镇填报员或县级乡村振兴部门）")
def create_demand(request: HttpRequest, payload: DemandIn) -> Any:
    values = _data(payload.dict())
    submit, publish = values.pop("submit"), values.pop("publish")
    demand = services.create_demand(actor=request.user, data=DemandData(**values), submit=submit, publish=publish)
    return Status(201, selectors.get_demand(request.user, demand.pk))


def _detail(request: HttpRequest, demand_id: int, reveal: bool = False) -> Demand:
    demand = selectors.get_demand(request.user, demand_id)
    if reveal:
        services.reveal_personal(actor=request.user, demand=demand)
        demand._revealed = True  # type: ignore[attr-defined]
    return demand


@router.get("/{int:demand_id}", response=DemandOut, summary="需求详情（reveal=true 查看完整联系方式，会记入操作日志）")
def get_demand(request: HttpRequest, demand_id: int, reveal: bool = False) -> Any:
    return _detail(request, demand_id, reveal)


@router.get("/{int:demand_id}/flags", response=list[FlagOut], summary="审核提示（仅供参考，不影响发布）")
def get_flags(request: HttpRequest, demand_id: int) -> Any:
    demand = selectors.get_demand(request.user, demand_id)
    if not rules.can_review(request.user, demand):
        raise Forbidden("只有需求所在县的乡村振兴部门工作人员可以查看审核提示")
    return review_flags.flags_for(demand)


@router.patch("/{int:demand_id}", response=DemandOut, summary="修改需求")
def update_demand(request: HttpRequest, demand_id: int, payload: DemandPatch) -> Any:
    demand = selectors.get_demand(request.user, demand_id)
    changes = _data(payload.dict(exclude_unset=True))
    version = changes.pop("version", None)
    services.update_demand(actor=request.user, demand=demand, changes=changes, expected_version=version)
    return selectors.get_demand(request.user, demand_id)


@router.post("/{int:demand_id}/attachments", response=DemandOut, summary="上传照片或文档（multipart，字段 files）")
def upload_attachments(request: HttpRequest, demand_id: int, files: File[list[UploadedFile] | None] = None) -> Any:
    demand = selectors.get_demand(request.user, demand_id)  # out of scope: 404 before the body is looked at
    if not files:
        raise ValidationFailed.on("files", "请选择要上传的照片或文档（字段 files）")
    services.add_attachments(actor=request.user, demand=demand, uploads=files)
    return selectors.get_demand(request.user, demand_id)


@router.post("/{int:demand_id}/submit", response=DemandOut, summary="提交审核")
def submit(request: HttpRequest, demand_id: int, version: int | None = None) -> Any:
    demand = selectors.get_demand(request.user, demand_id)
    return services.submit_demand(actor=request.user, demand=demand, expected_version=version)


@router.post("/{int:demand_id}/resubmit", response=DemandOut, summary="修改后重新提交")
def resubmit(request: HttpRequest, demand_id: int, version: int | None = None) -> Any:
    demand = selectors.get_demand(request.user, demand_id)
    return services.resubmit_demand(actor=request.user, demand=demand, expected_version=version)


@router.post("/{int:demand_id}/publish", response=DemandOut, summary="审核发布（县级乡村振兴部门）")
def publish(request: HttpRequest, demand_id: int, version: int | None = None) -> Any:
    demand = selectors.get_demand(request.user, demand_id)
    return services.publish_demand(actor=request.user, demand=demand, expected_version=version)


@router.post("/{int:demand_id}/return", response=DemandOut, summary="退回修改（须填写原因）")
def return_(request: HttpRequest, demand_id: int, payload: ReasonIn) -> Any:
    demand = selectors.get_demand(request.user, demand_id)
    return services.return_demand(
        actor=request.user, demand=demand, reason=payload.reason, expected_version=payload.version
    )


@router.post("/{int:demand_id}/withdraw", response=DemandOut, summary="撤回（须填写原因）")
def withdraw(request: HttpRequest, demand_id: int, payload: ReasonIn) -> Any:
    demand = selectors.get_demand(request.user, demand_id)
    return services.withdraw_demand(
        actor=request.user, demand=demand, reason=payload.reason, expected_version=payload.version
    )
