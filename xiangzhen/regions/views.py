from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiangzhen.regions.models import Region


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    provinces = Region.objects.filter(parent__isnull=True)
    return render(request, "regions/browse.html", {"children": provinces})
