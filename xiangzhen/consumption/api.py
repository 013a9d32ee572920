"""The consumption API (/api/v1/consumption): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.consumption import excel, selectors, services
from xiangzhen.consumption.filters import ProductFilters, PurchaseFilters
from xiangzhen.consumption.models import PurchaseBatch
from xiangzhen.consumption.schemas import (
    BatchDetailOut,
    BatchIn,
    BatchOut,
    PhotoOut,
    ProductIn,
    ProductOut,
    ProductPatch,
    PurchaseOut,
    TotalsOut,
)
from xiangzhen.consumption.validation import ProductData, PurchaseData
from xiangzhen.core.excel import download
from xiangzhen.organizations import selectors as organization_selectors

router = Router(tags=["消费帮扶"])


def _files(queryset: Any) -> list[dict[str, Any]]:
    return [{"id": a.pk, "name": a.original_name, "url": reverse("core:attachment", args=[a.pk])} for a in queryset]


# ---------------------------------------------------------------- the public catalogue (no login)


@router.get(
    "/public/products", response=list[ProductOut], auth=None, summary="帮扶产品目录（无需登录；结对地区、重点县优先）"
)
@paginate(PageNumberPagination, page_size=20)
def list_public_products(request: HttpRequest, filters: Query[ProductFilters]) -> Any:
    return selectors.public_products(filters)


@router.get("/public/products/export", auth=None, summary="导出帮扶产品目录为 Excel（无需登录）")
def export_public_products(request: HttpRequest, filters: Query[ProductFilters]) -> HttpResponse:
    return download(excel.products_workbook(selectors.public_products(filters)), "products-public.xlsx")


@router.get("/public/products/{int:product_id}", response=ProductOut, auth=None, summary="帮扶产品详情（无需登录）")
def get_public_product(request: HttpRequest, product_id: int) -> Any:
    return selectors.get_public_product(product_id)


@router.get(
    "/public/products/{int:product_id}/photos", response=list[PhotoOut], auth=None, summary="产品照片（无需登录）"
)
def list_public_photos(request: HttpRequest, product_id: int) -> Any:
    return _files(selectors.photos(selectors.get_public_product(product_id)))


# ---------------------------------------------------------------- products


@router.get("/products", response=list[ProductOut], summary="本辖区的 / 本组织登记的帮扶产品（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_products(request: HttpRequest, filters: Query[ProductFilters]) -> Any:
    return selectors.product_list(request.user, filters)


@router.get("/products/export", summary="导出当前筛选结果为 Excel")
def export_products(request: HttpRequest, filters: Query[ProductFilters]) -> HttpResponse:
    return download(excel.products_workbook(selectors.product_list(request.user, filters)), "products.xlsx")


@router.post("/products", response={201: ProductOut}, summary="登记帮扶产品（产地县乡村工作人员，或社会组织管理员）")
def create_product(request: HttpRequest, payload: ProductIn) -> Any:
    values = payload.dict()
    organization_id = values.pop("organization_id")
    organization = (
        organization_selectors.get_organization(request.user, organization_id) if organization_id is not None else None
    )
    product = services.create_product(actor=request.user, data=ProductData(**values), organization=organization)
    return Status(201, selectors.get_product(request.user, product.pk))


@router.get("/products/{int:product_id}", response=ProductOut, summary="帮扶产品详情")
def get_product(request: HttpRequest, product_id: int) -> Any:
    return selectors.get_product(request.user, product_id)


@router.patch("/products/{int:product_id}", response=ProductOut, summary="修改帮扶产品")
def update_product(request: HttpRequest, product_id: int, payload: ProductPatch) -> Any:
    product = selectors.get_product(request.user, product_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_product(actor=request.user, product=product, changes=changes, expected_version=version)
    return selectors.get_product(request.user, product_id)


@router.post("/products/{int:product_id}/delist", response=ProductOut, summary="下架（售罄、过季）")
def delist(request: HttpRequest, product_id: int, version: int | None = None) -> Any:
    product = selectors.get_product(request.user, product_id)
    services.delist_product(actor=request.user, product=product, expected_version=version)
    return selectors.get_product(request.user, product_id)


@router.post("/products/{int:product_id}/relist", response=ProductOut, summary="重新上架")
def relist(request: HttpRequest, product_id: int, version: int | None = None) -> Any:
    product = selectors.get_product(request.user, product_id)
    services.relist_product(actor=request.user, product=product, expected_version=version)
    return selectors.get_product(request.user, product_id)


@router.get("/products/{int:product_id}/photos", response=list[PhotoOut], summary="产品照片")
def list_photos(request: HttpRequest, product_id: int) -> Any:
    return _files(selectors.photos(selectors.get_product(request.user, product_id)))


@router.post(
    "/products/{int:product_id}/photos", response={201: list[PhotoOut]}, summary="上传产品照片（JPG、PNG、WEBP）"
)
def add_photos(request: HttpRequest, product_id: int, files: File[list[UploadedFile]]) -> Any:
    product = selectors.get_product(request.user, product_id)
    services.add_photos(actor=request.user, product=product, photos=list(files))
    return Status(201, _files(selectors.photos(product)))


# ---------------------------------------------------------------- purchases


@router.get("/purchases", response=list[PurchaseOut], summary="消费帮扶采购（本组织的 / 辖区产品的）")
@paginate(PageNumberPagination, page_size=50)
def list_purchases(request: HttpRequest, filters: Query[PurchaseFilters]) -> Any:
    return selectors.purchases(request.user, filters)


@router.get("/purchases/export", summary="导出采购记录为 Excel")
def export_purchases(request: HttpRequest, filters: Query[PurchaseFilters]) -> HttpResponse:
    return download(excel.purchases_workbook(selectors.purchases(request.user, filters)), "purchases.xlsx")


@router.get("/purchases/{int:purchase_id}", response=PurchaseOut, summary="采购详情")
def get_purchase(request: HttpRequest, purchase_id: int) -> Any:
    return selectors.get_purchase(request.user, purchase_id)


@router.get("/totals", response=TotalsOut, summary="采购合计：按采购组织、产地县、专项行动")
def totals(request: HttpRequest, filters: Query[PurchaseFilters]) -> Any:
    queryset = selectors.purchases(request.user, filters)
    grand = selectors.grand_total(queryset)
    tables = selectors.all_totals(queryset)
    return {
        "purchase_count": grand.purchase_count, "amount": grand.amount,
        "by_buyer": tables["buyer"], "by_county": tables["county"], "by_campaign": tables["campaign"],
    }  # fmt: skip


@router.get("/totals/export", summary="导出采购合计为 Excel")
def export_totals(request: HttpRequest, filters: Query[PurchaseFilters]) -> HttpResponse:
    queryset = selectors.purchases(request.user, filters)
    return download(excel.totals_workbook(selectors.all_totals(queryset)), "purchase-totals.xlsx")


# ---------------------------------------------------------------- batches


@router.get("/batches", response=list[BatchOut], summary="采购批次（本组织的 / 辖区组织的）")
@paginate(PageNumberPagination, page_size=20)
def list_batches(request: HttpRequest) -> Any:
    return selectors.batches(request.user)


@router.post("/batches", response={201: BatchDetailOut}, summary="登记一批采购（本组织成员；写入透明日志）")
def record_purchases(request: HttpRequest, payload: BatchIn) -> Any:
    organization = organization_selectors.get_organization(request.user, payload.organization_id)
    purchases = [
        PurchaseData(
            product=p.product_id,
            quantity=p.quantity,
            amount=p.amount,
            purchased_on=p.purchased_on,
            channel=p.channel,
            invoice_number=p.invoice_number,
            event=p.event_id,
            campaign=p.campaign_id,
            member=p.member_id,
        )
        for p in payload.purchases
    ]
    batch = services.record_purchases(actor=request.user, organization=organization, purchases=purchases)
    return Status(201, _batch_detail(request, batch.pk))


def _batch_detail(request: HttpRequest, batch_id: int) -> PurchaseBatch:
    batch: PurchaseBatch = selectors.get_batch(request.user, batch_id)
    batch.lines = list(selectors.batch_purchases(batch))  # type: ignore[attr-defined]
    batch.files = _files(selectors.invoices(batch))  # type: ignore[attr-defined]
    return batch


@router.get("/batches/{int:batch_id}", response=BatchDetailOut, summary="采购批次详情（明细与发票）")
def get_batch(request: HttpRequest, batch_id: int) -> Any:
    return _batch_detail(request, batch_id)


@router.post("/batches/{int:batch_id}/invoices", response={201: BatchDetailOut}, summary="上传发票（PDF 或图片）")
def add_invoices(request: HttpRequest, batch_id: int, files: File[list[UploadedFile]]) -> Any:
    batch = selectors.get_batch(request.user, batch_id)
    services.add_invoices(actor=request.user, batch=batch, invoices=list(files))
    return Status(201, _batch_detail(request, batch_id))
