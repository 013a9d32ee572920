"""Pagination for pages; the API uses django-ninja's paginator over the same selectors."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 20


def paginate(request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, so page links keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
