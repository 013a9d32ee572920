"""Request middleware for operations: a request id, the latency histogram and one access log line
per request (first in MIDDLEWARE, so it times everything), and rate limits per client address."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import empty

from xiangzhen.core.problems import problem
from xiangzhen.ops import logs, metrics, ratelimit
from xiangzhen.ops.net import client_ip

access_log = logging.getLogger("xiangzhen.request")

# An id nginx (or a client) sent is kept only if it is short and plain, so it cannot forge log lines.
VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def _user_id(request: HttpRequest) -> int | None:
    """The id of the user the request ran as, without loading one just to log it."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # a lazy user not yet evaluated is left alone
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    pk = getattr(wrapped, "pk", None)
    return pk if isinstance(pk, int) else None


class RequestObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = logs.request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            metrics.observe_request(request, response.status_code, seconds)
            access_log.info(
                "%s %s %s",
                request.method,
                metrics.route_label(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "route": metrics.route_label(request),
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            response["X-Request-ID"] = rid
            return response
        finally:
            logs.request_id.reset(token)


def _rules() -> list[ratelimit.Rule]:
    rules = []
    login = ratelimit.parse_limit(settings.XIANGZHEN_LOGIN_RATE_LIMIT)
    if login:
        rules.append(ratelimit.Rule("login", *login, (reverse("accounts:login"),), frozenset({"POST"})))
    public = ratelimit.parse_limit(settings.XIANGZHEN_PUBLIC_RATE_LIMIT)
    if public:
        rules.append(
            ratelimit.Rule(
                "public", *public, tuple(settings.XIANGZHEN_PUBLIC_RATE_LIMIT_PATHS), frozenset({"GET", "HEAD"})
            )
        )
    return rules


class RateLimitMiddleware:
    """429 with Retry-After once an address exceeds a rule; problem+json under /api/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for rule in _rules():
            if rule.covers(request.method or "", request.path_info):
                wait = ratelimit.hit(rule, client_ip(request))
                if wait:
                    return self._refuse(request, wait)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, wait: int) -> HttpResponse:
        detail = f"请求过于频繁，请 {wait} 秒后再试"
        if request.path_info.startswith("/api/"):
            response = problem(429, "rate-limited", "请求过于频繁", detail)
        else:
            response = HttpResponse(detail, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(wait)
        return response
