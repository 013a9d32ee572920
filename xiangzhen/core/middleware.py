"""Page views raise the service layer's errors as they are; this turns the ones that mean
"not for you" into the HTTP answers a browser expects, in one place for every app.

The API does the same through `core.problems` (RFC 9457 bodies); this is its twin for pages.
Under /api/ it also turns the HTML 404 of a URL no route matches (e.g. `/users/-1`, where the
`int` converter refuses the sign) into the same problem document the API answers with.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse

from xiangzhen.core.errors import Forbidden, NotFound
from xiangzhen.core.problems import problem

API_PREFIX = "/api/"


class ServiceErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path_info.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith(("application/json", "application/problem+json"))
        ):
            return problem(404, "not-found", "记录不存在", "记录不存在或无权查看")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Out of scope answers exactly like missing: the same 404 page, nothing said about why.
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        if isinstance(exception, Forbidden):
            return response_for_exception(request, PermissionDenied(exception.message))
        return None
