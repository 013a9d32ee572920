"""Operational endpoints: liveness, readiness and Prometheus metrics. No login, minimal answers."""

import hmac
import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from xiangzhen.core.problems import problem
from xiangzhen.ops import health, metrics
from xiangzhen.ops.net import is_direct_local


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing else, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when every check passes, else 503 naming the checks that failed."""
    results = health.run_checks()
    failed = [name for name, ok in results.items() if not ok]
    body: dict[str, Any] = {
        "status": "fail" if failed else "ok",
        "checks": {n: "ok" if ok else "fail" for n, ok in results.items()},
    }
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)


def _may_scrape(request: HttpRequest) -> bool:
    token = settings.XIANGZHEN_METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "")
        if hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
            return True
    return is_direct_local(request)


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition: for a scraper on this machine, or one holding XIANGZHEN_METRICS_TOKEN."""
    if not _may_scrape(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


# The database went away (restart, failover, network): nothing of the request was committed, and
# trying again in a moment will work, so the answer is 503 with Retry-After rather than a bare 500.
DATABASE_GONE = (OperationalError, InterfaceError)
UNAVAILABLE_DETAIL = "数据库暂时不可用，本次操作没有保存，请稍后重试"


def _database_gone(error: BaseException | None) -> bool:
    """The error is a lost database, or came from something that read the database for the view
    and wrapped what it raised (pydantic, reading a model's lazy attribute while writing an API
    answer, raises its own ValidationError): a database error happened in this request and the
    connection cannot be used now."""
    if isinstance(error, DATABASE_GONE):
        return True
    return bool(connection.errors_occurred and connection.connection is not None and not connection.is_usable())


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside the `except` that caught the error, so it can tell a lost
    database (503, retry) from a fault in the platform (500). Plain text, so it cannot fail itself."""
    if _database_gone(sys.exc_info()[1]):
        status, title, detail = 503, "服务暂时不可用", UNAVAILABLE_DETAIL
    else:
        status, title, detail = 500, "服务器内部错误", "服务器处理请求时出错，已记录，请稍后重试或联系管理员"
    if request.path_info.startswith("/api/"):
        response = problem(status, "unavailable" if status == 503 else "server-error", title, detail)
    else:
        response = HttpResponse(f"{title}：{detail}", status=status, content_type="text/plain; charset=utf-8")
    if status == 503:
        response["Retry-After"] = "5"
    return response
