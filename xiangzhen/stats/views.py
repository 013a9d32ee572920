"""Dashboards: the staff dashboard of a region in the user's scope (drill-down through the region
tree, department view, period), its Excel export, and the public summary for visitors (aggregates
only, county level and above, no login)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.core.scope import region_in_scope, scope_of
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.stats import charts, dashboard, periods
from xiangzhen.stats.charts import Chart


def _region(raw: str) -> Region:
    try:
        code = codes.normalize(raw)
    except ValueError:
        raise Http404("没有这个区划") from None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise Http404("没有这个区划")
    return region


def _default_view(user: Any) -> str:
    department = getattr(user, "department", None)
    kind = getattr(department, "kind", "")
    return kind if kind in dashboard.VIEWS else "all"


def _choices(request: HttpRequest, default_view: str) -> tuple[periods.Period, str]:
    period = periods.parse(
        request.GET.get("period"), request.GET.get("year"), request.GET.get("part"), timezone.localdate()
    )
    view = request.GET.get("view") or default_view
    return period, view if view in dashboard.VIEWS else default_view


def _render(request: HttpRequest, board: dashboard.Dashboard, *, public: bool) -> HttpResponse:
    if request.GET.get("export") == "xlsx":
        return export_response(board)
    base = reverse("stats:public" if public else "stats:figures")
    context = {
        "board": board,
        "public": public,
        "base": base,
        "views": dashboard.VIEWS,
        "kinds": periods.KINDS,
        "parts": range(1, periods.parts(board.period.kind) + 1),
        "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
    }
    return render(request, "stats/dashboard.html", context)


def export_response(board: dashboard.Dashboard) -> HttpResponse:
    """The headline figures and every chart's table, one sheet each."""
    headline = Chart(
        id="headline",
        title=_("主要数据"),
        kind="bar",
        categories=[label for label, _ in board.rows],
        series=[(board.period.label, [value for _, value in board.rows])],
        category_header=_("指标"),
    )
    filename = f"统计-{board.code or '全国'}-{board.period.start:%Y%m}-{board.period.end:%Y%m}.xlsx"
    return charts.excel_response([headline, *board.charts], filename)


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    """The dashboard of a region in the user's scope (default: their own region; the whole country
    for platform admins). Out of scope answers 404 like a missing region."""
    scope = scope_of(request.user)
    raw = request.GET.get("region", "")
    if not raw and not scope.everything:
        raw = scope.region_code or ""
        if not raw:
            raise Http404("没有可查看的统计")
    region = None
    if raw:
        region = _region(raw)
        if not region_in_scope(request.user, region.code):
            raise Http404("没有这个区划或无权查看")
    period, view = _choices(request, _default_view(request.user))
    board = dashboard.build(region, period, view, base_url=reverse("stats:figures"))
    return _render(request, board, public=False)


def public_page(request: HttpRequest) -> HttpResponse:
    """The public summary: the country, a province, a city or a county; aggregates only."""
    raw = request.GET.get("region", "")
    region = _region(raw) if raw else None
    if region is not None and codes.level_of(region.code) in (codes.Level.TOWNSHIP, codes.Level.VILLAGE):
        raise Http404("公开统计只到县级")
    period, view = _choices(request, "all")
    board = dashboard.build(region, period, view, base_url=reverse("stats:public"), public=True)
    return _render(request, board, public=True)
