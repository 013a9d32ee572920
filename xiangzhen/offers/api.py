"""The offers API: thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core import uploads
from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.offers import excel, selectors, services
from xiangzhen.offers.filters import OfferFilters
from xiangzhen.offers.schemas import (
    AttachmentOut,
    ImportReportOut,
    OfferIn,
    OfferOut,
    OfferPatch,
    OfferPublicOut,
)
from xiangzhen.offers.validation import OfferData
from xiangzhen.organizations import selectors as organization_selectors

router = Router(tags=["供给项目"])


@router.get("/", response=list[OfferOut], summary="我的/辖区内的供给项目（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_offers(request: HttpRequest, filters: Query[OfferFilters]) -> Any:
    return selectors.offer_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel")
def export_offers(request: HttpRequest, filters: Query[OfferFilters]) -> HttpResponse:
    return download(excel.export_workbook(selectors.offer_list(request.user, filters)), "offers.xlsx")


@router.get("/public", response=list[OfferPublicOut], auth=None, summary="公开的供给项目（无需登录）")
@paginate(PageNumberPagination, page_size=20)
def list_public_offers(request: HttpRequest, filters: Query[OfferFilters]) -> Any:
    return selectors.public_offers(filters)


@router.get("/public/export", auth=None, summary="导出公开的供给项目为 Excel（无需登录）")
def export_public_offers(request: HttpRequest, filters: Query[OfferFilters]) -> HttpResponse:
    return download(excel.export_workbook(selectors.public_offers(filters)), "offers-public.xlsx")


@router.get("/public/{int:offer_id}", response=OfferPublicOut, auth=None, summary="公开的供给项目详情（无需登录）")
def get_public_offer(request: HttpRequest, offer_id: int) -> Any:
    return selectors.get_public_offer(offer_id)


@router.get("/import/template", summary="下载供给项目 Excel 导入模板")
def import_template(request: HttpRequest) -> HttpResponse:
    content = excel.template_workbook(list(selectors.domain_names().values()), list(selectors.group_names().values()))
    return download(content, "offer-import-template.xlsx")


def _import(request: HttpRequest, organization_id: int, file: UploadedFile | None, dry_run: bool) -> Any:
    # The organization first, so one out of scope answers 404 whatever was uploaded.
    organization = organization_selectors.get_organization(request.user, organization_id)
    if file is None:
        raise ValidationFailed.on("file", "请上传 .xlsx 文件")
    if file.size and file.size > uploads.MAX_IMPORT_BYTES:
        raise ValidationFailed.on("file", uploads.TOO_LARGE)
    return services.import_offers(
        actor=request.user, organization=organization, filename=file.name or "", content=file.read(), dry_run=dry_run
    )


@router.post(
    "/import/{int:organization_id}/preview",
    response=ImportReportOut,
    summary="导入预览：逐行检查，不写入任何数据（组织管理员或平台管理员）",
)
def import_preview(request: HttpRequest, organization_id: int, file: File[UploadedFile | None] = None) -> Any:
    return _import(request, organization_id, file, dry_run=True)


@router.post(
    "/import/{int:organization_id}",
    response=ImportReportOut,
    summary="确认导入为草稿：全部写入或全部不写入；已导入过的行跳过",
)
def import_confirm(request: HttpRequest, organization_id: int, file: File[UploadedFile | None] = None) -> Any:
    return _import(request, organization_id, file, dry_run=False)


@router.post("/", response={201: OfferOut}, summary="创建供给项目草稿（本组织成员）")
def create_offer(request: HttpRequest, payload: OfferIn) -> Any:
    values = payload.dict()
    organization = organization_selectors.get_organization(request.user, values.pop("organization_id"))
    offer = services.create_offer(actor=request.user, organization=organization, data=OfferData(**values))
    return Status(201, selectors.get_offer(request.user, offer.pk))


@router.get("/{int:offer_id}", response=OfferOut, summary="供给项目详情")
def get_offer(request: HttpRequest, offer_id: int) -> Any:
    return selectors.get_offer(request.user, offer_id)


@router.patch("/{int:offer_id}", response=OfferOut, summary="修改供给项目（已发布的只能改容量和服务期限）")
def update_offer(request: HttpRequest, offer_id: int, payload: OfferPatch) -> Any:
    offer = selectors.get_offer(request.user, offer_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_offer(actor=request.user, offer=offer, changes=changes, expected_version=version)
    return selectors.get_offer(request.user, offer_id)


@router.post("/{int:offer_id}/attachments", response={201: list[AttachmentOut]}, summary="上传附件（图片或文档）")
def upload_attachments(request: HttpRequest, offer_id: int, files: File[list[UploadedFile]]) -> Any:
    offer = selectors.get_offer(request.user, offer_id)
    return Status(201, services.add_attachments(actor=request.user, offer=offer, uploads=files))


def _act(request: HttpRequest, offer_id: int, action: str, reason: str = "", version: int | None = None) -> Any:
    offer = selectors.get_offer(request.user, offer_id)
    services.TRANSITION_SERVICES[action](actor=request.user, offer=offer, reason=reason, expected_version=version)
    return selectors.get_offer(request.user, offer_id)


@router.post("/{int:offer_id}/submit", response=OfferOut, summary="提交审核（本组织成员）")
def submit(request: HttpRequest, offer_id: int, version: int | None = None) -> Any:
    return _act(request, offer_id, "submit", version=version)


@router.post("/{int:offer_id}/resubmit", response=OfferOut, summary="修改后重新提交（本组织成员）")
def resubmit(request: HttpRequest, offer_id: int, version: int | None = None) -> Any:
    return _act(request, offer_id, "resubmit", version=version)


@router.post("/{int:offer_id}/publish", response=OfferOut, summary="审核发布（登记地民政部门）")
def publish(request: HttpRequest, offer_id: int, version: int | None = None) -> Any:
    return _act(request, offer_id, "publish", version=version)


@router.post("/{int:offer_id}/return", response=OfferOut, summary="退回修改（须填写原因）")
def return_(request: HttpRequest, offer_id: int, payload: ReasonIn) -> Any:
    return _act(request, offer_id, "return", payload.reason, payload.version)


@router.post("/{int:offer_id}/close", response=OfferOut, summary="关闭（组织管理员；审核人关闭须填写原因）")
def close(request: HttpRequest, offer_id: int, payload: ReasonIn) -> Any:
    return _act(request, offer_id, "close", payload.reason, payload.version)
