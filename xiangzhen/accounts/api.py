from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.accounts import excel, selectors, services
from xiangzhen.accounts.filters import UserFilters
from xiangzhen.accounts.schemas import (
    AccountReasonIn,
    ManagedUserIn,
    ManagedUserOut,
    MeOut,
    PasswordIssuedOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    TwoFactorResetOut,
    UnlockOut,
)
from xiangzhen.core.excel import download

router = Router(tags=["账号"])


@router.get("/me", response=MeOut, summary="当前用户及其权限范围")
def me(request: HttpRequest) -> Any:
    return request.user


@router.get("/tokens", response=list[TokenOut], summary="我的接口令牌")
def list_tokens(request: HttpRequest) -> Any:
    return selectors.api_tokens(request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="创建接口令牌（明文只返回一次）")
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, secret = services.create_api_token(actor=request.user, name=payload.name, scope=payload.scope)  # type: ignore[arg-type]
    token.secret = secret  # type: ignore[attr-defined]
    return Status(201, token)


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="吊销接口令牌")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    return services.revoke_api_token(actor=request.user, token_id=token_id)  # type: ignore[arg-type]


# ---------------------------------------------------------------- user management (see docs/accounts.md)


@router.get("/users", response=list[ManagedUserOut], summary="我可以管理的用户（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_users(request: HttpRequest, filters: Query[UserFilters]) -> Any:
    return selectors.managed_users(request.user, filters)


@router.get("/users/export", summary="导出我可以管理的用户为 Excel（手机号脱敏）")
def export_users(request: HttpRequest, filters: Query[UserFilters]) -> HttpResponse:
    return download(excel.export_workbook(selectors.managed_users(request.user, filters)), "users.xlsx")


@router.post("/users", response={201: PasswordIssuedOut}, summary="创建部门工作人员或填报员账号（初始密码只返回一次）")
def create_user(request: HttpRequest, payload: ManagedUserIn) -> Any:
    user, password = services.create_account(actor=request.user, **payload.dict())
    return Status(201, {"user": selectors.get_managed_user(request.user, user.pk), "temporary_password": password})


@router.get("/users/{int:user_id}", response=ManagedUserOut, summary="用户详情（仅限我可以管理的用户）")
def get_user(request: HttpRequest, user_id: int) -> Any:
    return selectors.get_managed_user(request.user, user_id)


@router.post("/users/{int:user_id}/deactivate", response=ManagedUserOut, summary="停用账号（须填写原因；不删除）")
def deactivate_user(request: HttpRequest, user_id: int, payload: AccountReasonIn) -> Any:
    services.deactivate_user(actor=request.user, user_id=user_id, reason=payload.reason)
    return selectors.get_managed_user(request.user, user_id)


@router.post("/users/{int:user_id}/reactivate", response=ManagedUserOut, summary="重新启用账号")
def reactivate_user(request: HttpRequest, user_id: int, payload: AccountReasonIn) -> Any:
    services.reactivate_user(actor=request.user, user_id=user_id, reason=payload.reason)
    return selectors.get_managed_user(request.user, user_id)


@router.post(
    "/users/{int:user_id}/reset-password",
    response=PasswordIssuedOut,
    summary="重置密码：临时密码只返回一次，下次登录须修改；该账号的接口令牌全部吊销",
)
def reset_password(request: HttpRequest, user_id: int) -> Any:
    user, password = services.reset_password(actor=request.user, user_id=user_id)
    return {"user": selectors.get_managed_user(request.user, user.pk), "temporary_password": password}


@router.post("/users/{int:user_id}/unlock", response=UnlockOut, summary="解除登录失败锁定")
def unlock_user(request: HttpRequest, user_id: int) -> Any:
    cleared = services.unlock_user(actor=request.user, user_id=user_id)
    return {"user": selectors.get_managed_user(request.user, user_id), "cleared_attempts": cleared}


@router.post(
    "/users/{int:user_id}/reset-two-factor",
    response=TwoFactorResetOut,
    summary="重置两步验证：移除该账号的验证器（手机丢失或更换时）",
)
def reset_two_factor(request: HttpRequest, user_id: int) -> Any:
    removed = services.reset_two_factor(actor=request.user, user_id=user_id)
    return {"user": selectors.get_managed_user(request.user, user_id), "removed_devices": removed}
