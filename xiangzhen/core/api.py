from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core import selectors
from xiangzhen.core.schemas import AuditEntryOut

router = Router(tags=["操作日志"])


@router.get("/entries", response=list[AuditEntryOut], summary="操作日志（平台管理员、省级部门）")
@paginate(PageNumberPagination)
def list_audit_entries(request: HttpRequest, object_type: str = "", action: str = "", q: str = "") -> Any:
    return selectors.audit_entries(request.user, object_type=object_type, action=action, q=q)
