from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from xiangzhen.accounts import selectors, services
from xiangzhen.accounts.schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["账号"])


@router.get("/me", response=MeOut, summary="当前用户及其权限范围")
def me(request: HttpRequest) -> Any:
    return request.user


@router.get("/tokens", response=list[TokenOut], summary="我的接口令牌")
def list_tokens(request: HttpRequest) -> Any:
    return selectors.api_tokens(request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="创建接口令牌（明文只返回一次）")
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, secret = services.create_api_token(actor=request.user, name=payload.name)  # type: ignore[arg-type]
    token.secret = secret  # type: ignore[attr-defined]
    return Status(201, token)


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="吊销接口令牌")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    return services.revoke_api_token(actor=request.user, token_id=token_id)  # type: ignore[arg-type]
