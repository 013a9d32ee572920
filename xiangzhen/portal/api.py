"""The portal API (/api/v1/portal): thin wiring from HTTP to selectors and services.

Public (no login): published articles, list with keyword search and detail. Staff: the articles of
their region's subtree, writing, editing, attachments and each workflow step of `portal.services`.
"""

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.portal import selectors, services
from xiangzhen.portal.filters import ArticleFilters
from xiangzhen.portal.schemas import (
    ArticleDetailOut,
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    PublicArticleDetailOut,
    PublicArticleOut,
)

router = Router(tags=["信息发布"])


# ---------------------------------------------------------------- public (no login)


@router.get(
    "/public", response=list[PublicArticleOut], auth=None,
    summary="已发布的文章（无需登录；q 检索标题、编号、摘要和正文，kind 按类别，region 按地区）",
)  # fmt: skip
@paginate(PageNumberPagination, page_size=20)
def list_public_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> Any:
    return selectors.public_articles(filters)


@router.get("/public/{int:article_id}", response=PublicArticleDetailOut, auth=None, summary="文章全文（无需登录）")
def get_public_article(request: HttpRequest, article_id: int) -> Any:
    return selectors.get_public_article(article_id)


# ---------------------------------------------------------------- staff


@router.get("/", response=list[ArticleOut], summary="辖区内的文章（各状态，可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> Any:
    return selectors.articles(request.user, filters)


@router.get("/review-queue", response=list[ArticleOut], summary="待我审核的文章")
@paginate(PageNumberPagination, page_size=20)
def review_queue(request: HttpRequest) -> Any:
    return selectors.review_queue(request.user)


@router.post("/", response={201: ArticleDetailOut}, summary="撰写文章（草稿；民政或乡村振兴部门工作人员）")
def create_article(request: HttpRequest, payload: ArticleIn) -> Any:
    article = services.create_article(actor=request.user, data=services.ArticleData(**payload.dict()))
    return Status(201, selectors.get_article(request.user, article.pk))


@router.get("/{int:article_id}", response=ArticleDetailOut, summary="文章详情（含可执行的操作）")
def get_article(request: HttpRequest, article_id: int) -> Any:
    return selectors.get_article(request.user, article_id)


@router.patch("/{int:article_id}", response=ArticleDetailOut, summary="修改文章（草稿和已退回的；撰写部门）")
def update_article(request: HttpRequest, article_id: int, payload: ArticlePatch) -> Any:
    article = selectors.get_article(request.user, article_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_article(actor=request.user, article=article, changes=changes, expected_version=version)
    return selectors.get_article(request.user, article_id)


@router.post(
    "/{int:article_id}/attachments", response=ArticleDetailOut,
    summary="上传图片或附件（multipart，字段 files；草稿和已退回的）",
)  # fmt: skip
def upload_attachments(request: HttpRequest, article_id: int, files: File[list[UploadedFile] | None] = None) -> Any:
    article = selectors.get_article(request.user, article_id)  # out of scope: 404 before the body is looked at
    if not files:
        raise ValidationFailed.on("files", "请选择要上传的图片或附件（字段 files）")
    services.add_attachments(actor=request.user, article=article, uploads=files)
    return selectors.get_article(request.user, article_id)


def _act(request: HttpRequest, article_id: int, action: str, reason: str = "", version: int | None = None) -> Any:
    article = selectors.get_article(request.user, article_id)
    services.SERVICES[action](actor=request.user, article=article, reason=reason, expected_version=version)
    return selectors.get_article(request.user, article_id)


@router.post("/{int:article_id}/submit", response=ArticleDetailOut, summary="提交审核（撰写部门）")
def submit(request: HttpRequest, article_id: int, version: int | None = None) -> Any:
    return _act(request, article_id, "submit", version=version)


@router.post("/{int:article_id}/resubmit", response=ArticleDetailOut, summary="退回后重新提交（撰写部门）")
def resubmit(request: HttpRequest, article_id: int, version: int | None = None) -> Any:
    return _act(request, article_id, "resubmit", version=version)


@router.post(
    "/{int:article_id}/publish", response=ArticleDetailOut,
    summary="审核通过并发布（同级另一部门或上一级部门；不能审核本人撰写的）",
)  # fmt: skip
def publish(request: HttpRequest, article_id: int, version: int | None = None) -> Any:
    return _act(request, article_id, "publish", version=version)


@router.post("/{int:article_id}/return", response=ArticleDetailOut, summary="审核退回（须填写原因）")
def return_article(request: HttpRequest, article_id: int, payload: ReasonIn) -> Any:
    return _act(request, article_id, "return", payload.reason, payload.version)


@router.post("/{int:article_id}/withdraw", response=ArticleDetailOut, summary="撤下已发布的文章（须填写原因）")
def withdraw(request: HttpRequest, article_id: int, payload: ReasonIn) -> Any:
    return _act(request, article_id, "withdraw", payload.reason, payload.version)
