"""The brands API (/api/v1/brands): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.brands import excel, selectors, services
from xiangzhen.brands.filters import BrandFilters, CaseFilters, CommendationFilters
from xiangzhen.brands.schemas import (
    BrandIn,
    BrandOut,
    BrandPatch,
    BrandStatusIn,
    CaseIn,
    CaseOut,
    CasePatch,
    CasePublicOut,
    CommendationIn,
    CommendationOut,
    CommendationPatch,
)
from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.organizations import selectors as organization_selectors

router = Router(tags=["公益品牌与典型案例"])


# ---------------------------------------------------------------- public (no login)


@router.get("/public", response=list[BrandOut], auth=None, summary="已通过审核的社会组织的公益品牌（无需登录）")
@paginate(PageNumberPagination, page_size=20)
def list_public_brands(request: HttpRequest, filters: Query[BrandFilters]) -> Any:
    return selectors.public_brands(filters)


@router.get("/public/{int:brand_id}", response=BrandOut, auth=None, summary="公益品牌公开信息（无需登录）")
def get_public_brand(request: HttpRequest, brand_id: int) -> Any:
    return selectors.get_public_brand(brand_id)


@router.get("/cases/public", response=list[CasePublicOut], auth=None, summary="已发布的典型案例（无需登录）")
@paginate(PageNumberPagination, page_size=20)
def list_public_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    return selectors.public_cases(filters)


@router.get("/cases/public/{int:case_id}", response=CasePublicOut, auth=None, summary="典型案例（无需登录）")
def get_public_case(request: HttpRequest, case_id: int) -> Any:
    return selectors.get_public_case(case_id)


# ---------------------------------------------------------------- brands


@router.get("/", response=list[BrandOut], summary="可见的公益品牌（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_brands(request: HttpRequest, filters: Query[BrandFilters]) -> Any:
    return selectors.brands(request.user, filters)


@router.get("/export", summary="导出公益品牌为 Excel")
def export_brands(request: HttpRequest, filters: Query[BrandFilters]) -> HttpResponse:
    return download(excel.brands_workbook(selectors.brands(request.user, filters)), "brands.xlsx")


@router.post("/", response={201: BrandOut}, summary="创建公益品牌（本组织管理员）")
def create_brand(request: HttpRequest, payload: BrandIn) -> Any:
    values = payload.dict()
    organization = organization_selectors.get_organization(request.user, values.pop("organization_id"))
    brand = services.create_brand(actor=request.user, organization=organization, data=services.BrandData(**values))
    return Status(201, selectors.get_brand(request.user, brand.pk))


@router.get("/{int:brand_id}", response=BrandOut, summary="公益品牌详情及成效")
def get_brand(request: HttpRequest, brand_id: int) -> Any:
    return selectors.get_brand(request.user, brand_id)


@router.patch("/{int:brand_id}", response=BrandOut, summary="修改公益品牌（本组织管理员）")
def update_brand(request: HttpRequest, brand_id: int, payload: BrandPatch) -> Any:
    brand = selectors.get_brand(request.user, brand_id)
    services.update_brand(actor=request.user, brand=brand, changes=payload.dict(exclude_unset=True))
    return selectors.get_brand(request.user, brand_id)


@router.post("/{int:brand_id}/status", response=BrandOut, summary="停止或恢复公益品牌（本组织管理员）")
def set_brand_status(request: HttpRequest, brand_id: int, payload: BrandStatusIn) -> Any:
    brand = selectors.get_brand(request.user, brand_id)
    services.set_brand_status(actor=request.user, brand=brand, status=payload.status)
    return selectors.get_brand(request.user, brand_id)


# ---------------------------------------------------------------- exemplary cases


@router.get("/cases", response=list[CaseOut], summary="辖区内的典型案例（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    return selectors.cases(request.user, filters)


@router.get("/cases/export", summary="导出典型案例为 Excel")
def export_cases(request: HttpRequest, filters: Query[CaseFilters]) -> HttpResponse:
    return download(excel.cases_workbook(selectors.cases(request.user, filters)), "cases.xlsx")


@router.get("/cases/review-queue", response=list[CaseOut], summary="待本人审核的典型案例")
@paginate(PageNumberPagination, page_size=20)
def case_review_queue(request: HttpRequest) -> Any:
    return selectors.review_queue(request.user)


@router.post("/cases", response={201: CaseOut}, summary="撰写典型案例（民政、乡村振兴部门工作人员）")
def create_case(request: HttpRequest, payload: CaseIn) -> Any:
    case = services.create_case(actor=request.user, data=services.CaseData(**payload.dict()))
    return Status(201, selectors.get_case(request.user, case.pk))


@router.get("/cases/{int:case_id}", response=CaseOut, summary="典型案例详情")
def get_case(request: HttpRequest, case_id: int) -> Any:
    return selectors.get_case(request.user, case_id)


@router.patch("/cases/{int:case_id}", response=CaseOut, summary="修改典型案例（撰写部门；草稿和已退回的）")
def update_case(request: HttpRequest, case_id: int, payload: CasePatch) -> Any:
    case = selectors.get_case(request.user, case_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_case(actor=request.user, case=case, changes=changes, expected_version=version)
    return selectors.get_case(request.user, case_id)


def _act(request: HttpRequest, case_id: int, action: str, reason: str = "", version: int | None = None) -> Any:
    case = selectors.get_case(request.user, case_id)
    services.CASE_SERVICES[action](actor=request.user, case=case, reason=reason, expected_version=version)
    return selectors.get_case(request.user, case_id)


@router.post("/cases/{int:case_id}/submit", response=CaseOut, summary="提交审核（撰写部门）")
def submit_case(request: HttpRequest, case_id: int, version: int | None = None) -> Any:
    return _act(request, case_id, "submit", version=version)


@router.post("/cases/{int:case_id}/resubmit", response=CaseOut, summary="修改后重新提交（撰写部门）")
def resubmit_case(request: HttpRequest, case_id: int, version: int | None = None) -> Any:
    return _act(request, case_id, "resubmit", version=version)


@router.post("/cases/{int:case_id}/publish", response=CaseOut, summary="审核发布（上一级部门）")
def publish_case(request: HttpRequest, case_id: int, version: int | None = None) -> Any:
    return _act(request, case_id, "publish", version=version)


@router.post("/cases/{int:case_id}/return", response=CaseOut, summary="退回修改（上一级部门，须填写原因）")
def return_case(request: HttpRequest, case_id: int, payload: ReasonIn) -> Any:
    return _act(request, case_id, "return", payload.reason, payload.version)


@router.post("/cases/{int:case_id}/withdraw", response=CaseOut, summary="撤下已发布的案例（须填写原因）")
def withdraw_case(request: HttpRequest, case_id: int, payload: ReasonIn) -> Any:
    return _act(request, case_id, "withdraw", payload.reason, payload.version)


# ---------------------------------------------------------------- commendations


@router.get("/commendations", response=list[CommendationOut], summary="辖区内登记的表彰（可筛选）")
@paginate(PageNumberPagination, page_size=50)
def list_commendations(request: HttpRequest, filters: Query[CommendationFilters]) -> Any:
    return selectors.commendations(request.user, filters)


@router.get("/commendations/export", summary="导出表彰名单为 Excel")
def export_commendations(request: HttpRequest, filters: Query[CommendationFilters]) -> HttpResponse:
    return download(excel.commendations_workbook(selectors.commendations(request.user, filters)), "commendations.xlsx")


@router.post("/commendations", response={201: CommendationOut}, summary="登记表彰（民政、乡村振兴部门工作人员）")
def record_commendation(request: HttpRequest, payload: CommendationIn) -> Any:
    return Status(
        201, services.record_commendation(actor=request.user, data=services.CommendationData(**payload.dict()))
    )


@router.patch(
    "/commendations/{int:commendation_id}", response=CommendationOut, summary="修改表彰记录（表彰单位所在地区）"
)
def update_commendation(request: HttpRequest, commendation_id: int, payload: CommendationPatch) -> Any:
    commendation = selectors.get_commendation(request.user, commendation_id)
    return services.update_commendation(
        actor=request.user, commendation=commendation, changes=payload.dict(exclude_unset=True)
    )


@router.get(
    "/organizations/{int:organization_id}/commendations", response=list[CommendationOut], summary="某社会组织获得的表彰"
)
def organization_commendations(request: HttpRequest, organization_id: int) -> Any:
    organization = organization_selectors.get_organization(request.user, organization_id)
    return selectors.organization_commendations(organization)
