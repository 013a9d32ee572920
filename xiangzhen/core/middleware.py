"""Page views raise the service layer's errors as they are; this turns the ones that mean
"not for you" into the HTTP answers a browser expects, in one place for every app.

The API does the same through `core.problems` (RFC 9457 bodies); this is its twin for pages.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse

from xiangzhen.core.errors import Forbidden, NotFound


class ServiceErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Out of scope answers exactly like missing: the same 404 page, nothing said about why.
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        if isinstance(exception, Forbidden):
            return response_for_exception(request, PermissionDenied(exception.message))
        return None
