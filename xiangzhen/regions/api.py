"""The region tree as JSON. Readable by every signed-in user; designations change through services."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.regions import selectors, services
from xiangzhen.regions.schemas import (
    ChildOut,
    CountsOut,
    DesignatedRegionOut,
    DesignationsIn,
    RegionDetailOut,
    RegionOut,
)

router = Router(tags=["行政区划"])


@router.get("/", response=list[RegionOut], summary="省级区划列表")
def list_provinces(request: HttpRequest) -> Any:
    return selectors.provinces()


@router.get("/search", response=list[RegionOut], summary="按名称、拼音或拼音首字母搜索区划")
def search_regions(
    request: HttpRequest,
    q: str = Query(..., description="名称片段、全拼前缀或首字母前缀，如 十八洞 / shibadong / sbd"),
    level: str = Query("", description="限定层级，多个用逗号分隔：province,city,county,township,village"),
    within: str = Query("", description="限定在某区划之下（区划代码）"),
    limit: int = Query(selectors.SEARCH_LIMIT, ge=1, le=selectors.SEARCH_MAX_LIMIT),
) -> Any:
    return selectors.search(q, level=level or None, within=within or None, limit=limit)


@router.get("/designations", response=list[DesignatedRegionOut], summary="区划认定列表")
@paginate(PageNumberPagination)
def list_designations(request: HttpRequest, kind: str = "", within: str = "") -> Any:
    return selectors.designations(kind=kind or None, within=within or None)


@router.get("/{code}", response=RegionDetailOut, summary="区划详情（含认定和上级）")
def region_detail(request: HttpRequest, code: str) -> Any:
    return selectors.region_detail(code)


@router.get("/{code}/children", response=list[ChildOut], summary="下级区划（含下辖数量和认定）")
def region_children(request: HttpRequest, code: str) -> Any:
    return selectors.children_with_counts(code)


@router.get("/{code}/ancestors", response=list[RegionOut], summary="上级区划，省级在前")
def region_ancestors(request: HttpRequest, code: str) -> Any:
    return selectors.ancestors(code)


@router.get("/{code}/counts", response=CountsOut, summary="下辖各层级区划数量")
def region_counts(request: HttpRequest, code: str) -> Any:
    region = selectors.get_region(code)
    return {"code": region.code, "counts": selectors.subtree_counts(region.code)}


@router.put("/{code}/designations", response=RegionDetailOut, summary="设置区划认定（省级部门、平台管理员）")
def put_designations(request: HttpRequest, code: str, payload: DesignationsIn) -> Any:
    region = selectors.get_region(code)
    services.set_designations(actor=request.user, region=region, kinds=payload.kinds)
    return selectors.region_detail(region.code)
