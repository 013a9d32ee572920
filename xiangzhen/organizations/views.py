from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.organizations import selectors


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.organizations(request.user)
    return render(
        request,
        "organizations/organization_list.html",
        {"page": paginate(request, qs), "query": query_without_page(request)},
    )
