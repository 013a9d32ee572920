"""The figures page: a region's subtree over a period, for staff within their region scope."""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xiangzhen.core.scope import region_in_scope, scope_of
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.stats import presentation
from xiangzhen.stats.figures import figures


def _date(raw: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    """Default: the user's own region and this year so far; platform admins pick a region first."""
    scope = scope_of(request.user)
    raw = request.GET.get("region") or scope.region_code or ""
    today = timezone.localdate()
    start = _date(request.GET.get("start"), today.replace(month=1, day=1))
    end = max(start, _date(request.GET.get("end"), today))
    context: dict[str, Any] = {"region": None, "start": start, "end": end, "rows": []}
    if not raw and scope.everything:
        return render(request, "stats/figures.html", context)
    try:
        code = codes.normalize(raw)
    except ValueError:
        raise Http404("没有这个区划") from None
    region = Region.objects.filter(pk=code).first()
    if region is None or not region_in_scope(request.user, code):
        raise Http404("没有这个区划或无权查看")
    rows = presentation.rows(figures(code, start, end).as_json())
    return render(request, "stats/figures.html", {**context, "region": region, "rows": rows})
