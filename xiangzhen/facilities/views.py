"""Pages of the four small rooms: thin wrappers over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.facilities import excel, rules, selectors, services
from xiangzhen.facilities.filters import FacilityFilters
from xiangzhen.facilities.forms import FacilityForm, PhotosForm, UsageForm
from xiangzhen.facilities.models import Facility
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.stats.charts import Chart, region_map

BUILDER_CHOICES_LIMIT = 500


def _list_context(request: HttpRequest, queryset: Any, filters: FacilityFilters, public: bool) -> dict[str, Any]:
    return {
        "page": paginate(request, queryset),
        "query": query_without_page(request),
        "filters": filters,
        "public": public,
        "kinds": Facility.Kind.choices,
        "statuses": Facility.Status.choices,
    }


def _builders(user: Any) -> list[tuple[int, str]]:
    """Whom the user may name as builder: their own organizations (admins), or, for county, township
    and village people, any approved organization."""
    if getattr(user, "role", "") == "organization":
        return [(o.pk, o.name) for o in organization_selectors.administered_organizations(user).order_by("name")]
    if rules.local_region(user):
        approved = Organization.objects.filter(status=Organization.Status.APPROVED).order_by("name")
        return [(o.pk, o.name) for o in approved[:BUILDER_CHOICES_LIMIT]]
    return []


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, FacilityFilters)
    context = _list_context(request, selectors.facilities(request.user, filters), filters, public=False)
    context["can_register"] = bool(_builders(request.user))
    return render(request, "facilities/facility_list.html", context)


@login_required
def facility_export(request: HttpRequest) -> HttpResponse:
    filters, _ = FacilityFilters.from_params(request.GET)
    return download(
        excel.facilities_workbook(selectors.facilities(request.user, filters), public=False), "四小建设.xlsx"
    )


@login_required
def facility_create(request: HttpRequest) -> HttpResponse:
    builders = _builders(request.user)
    if not builders:
        messages.error(request, "只有建设组织的管理员，或县、乡镇、村的工作人员可以登记小屋")
        return redirect("facilities:list")
    form = FacilityForm(request.POST or None, builders=builders)
    if request.method == "POST" and form.is_valid():
        try:
            builder = selectors.get_builder(form.cleaned_data["builder"])
            facility = services.register_facility(actor=request.user, builder=builder, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记小屋 {facility.number}")
            return redirect("facilities:detail", facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form})


@login_required
def facility_detail(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, facility_id)
    user = request.user
    can_move = rules.can_move(user, facility)
    actions = services.WORKFLOW.allowed_actions(facility.status) if can_move else []
    can_record = rules.can_record_usage(user, facility)
    return render(
        request,
        "facilities/facility_detail.html",
        {
            "facility": facility,
            "actions": [(a, services.WORKFLOW.transitions[a].label) for a in actions],
            "can_record": can_record and facility.status == Facility.Status.IN_USE,
            "can_upload": can_record or can_move,
            "photos": [a for a in attachments_of(facility) if a.is_image],
            "months": selectors.usage_by_month(facility),
            "usages": paginate(request, selectors.usages(facility)),
            "query": query_without_page(request),
            "history": selectors.history(facility)[:50],
            "photos_form": PhotosForm(),
        },
    )


@login_required
@require_POST
def facility_act(request: HttpRequest, facility_id: int) -> HttpResponse:
    """Start building, open (with its date) or close (with a reason) from the detail page."""
    facility = selectors.get_facility(request.user, facility_id)
    action = request.POST.get("action", "")
    try:
        version = int(request.POST.get("version", facility.version))
        if action == "start":
            services.start_building(actor=request.user, facility=facility, expected_version=version)
        elif action == "open":
            services.open_facility(
                actor=request.user, facility=facility, opened_on=request.POST.get("opened_on", ""),
                expected_version=version,
            )  # fmt: skip
        elif action == "close":
            services.close_facility(
                actor=request.user, facility=facility, reason=request.POST.get("reason", ""), expected_version=version
            )
        else:
            messages.error(request, "请选择操作")
            return redirect("facilities:detail", facility.pk)
        messages.success(request, f"已{services.WORKFLOW.transitions[action].label}：{facility.number}")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, "提交的数据不正确")
    return redirect("facilities:detail", facility.pk)


@login_required
def usage_create(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, facility_id)
    if not rules.can_record_usage(request.user, facility):
        raise PermissionDenied
    form = UsageForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        try:
            usage = services.record_usage(actor=request.user, facility=facility, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已记录：{usage.get_kind_display()} {usage.count}")
            return redirect("facilities:detail", facility.pk)
    return render(request, "facilities/usage_form.html", {"form": form, "facility": facility})


@login_required
def usage_export(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, facility_id)
    return download(excel.usages_workbook(selectors.usages(facility)), f"{facility.number}-使用记录.xlsx")


@login_required
@require_POST
def photos_upload(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, facility_id)
    form = PhotosForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的照片")
        return redirect("facilities:detail", facility.pk)
    try:
        count = services.add_photos(actor=request.user, facility=facility, uploads=form.cleaned_data["photos"])
        messages.success(request, f"已上传 {count} 张照片")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("facilities:detail", facility.pk)


# ---------------------------------------------------------------- rooms by county


def _area(request: HttpRequest) -> Region | None:
    raw = request.GET.get("area", "").strip()
    code = ""
    if raw:
        try:
            code = codes.normalize(raw)
        except ValueError:
            messages.warning(request, f"地区代码“{raw}”格式不正确")
    code = code or selectors.default_area(request.user)
    region = Region.objects.filter(pk=code).first() if code else None
    if region is not None and region.level not in ("province", "city"):
        region = Region.objects.filter(pk=code[:4].ljust(12, "0")).first()
    return region


def _rooms_map(area: Region, rows: list[selectors.CountyRow], query: str) -> Chart:
    """The choropleth above the table: a city's counties, or a province's cities (counties summed)."""
    in_use = Facility.Status.IN_USE
    if area.level == "city":
        regions = [(r.county.code, r.county.name) for r in rows]
        totals = [r.total for r in rows]
        used = [r.by_status.get(in_use, 0) for r in rows]
        links = [f"{reverse('facilities:list')}?region={code}" for code, _ in regions]
    else:
        cities = list(Region.objects.filter(parent_id=area.code, level="city").order_by("code"))
        regions = [(c.code, c.name) for c in cities]
        totals = [sum(r.total for r in rows if r.county.code[:4] == c.code[:4]) for c in cities]
        used = [sum(r.by_status.get(in_use, 0) for r in rows if r.county.code[:4] == c.code[:4]) for c in cities]
        links = [f"?area={c.code}" for c in cities]
    return region_map(
        id="rooms-by-county", title=gettext("四小建设分布"), parent_code=area.code, regions=regions,
        series=[(gettext("小屋总数"), totals), (gettext("使用中"), used)], unit=gettext("个"), links=links,
        export_url=f"{reverse('facilities:by_county_export')}?{query}",
    )  # fmt: skip


@login_required
def by_county(request: HttpRequest) -> HttpResponse:
    """A table of counties always, and a choropleth map above it (ECharts, drawn by the stats include)."""
    filters = page_filters(request, FacilityFilters)
    area = _area(request)
    rows = selectors.rooms_by_county(request.user, area.code, filters) if area else []
    query = request.GET.urlencode()
    return render(
        request,
        "facilities/by_county.html",
        {
            "area": area,
            "areas": Region.objects.filter(level__in=("province", "city")).order_by("code"),
            "rows": rows,
            "kinds": Facility.Kind.choices,
            "statuses": Facility.Status.choices,
            "filters": filters,
            "query": query,
            "chart": _rooms_map(area, rows, query) if area else None,
        },
    )


@login_required
def by_county_export(request: HttpRequest) -> HttpResponse:
    filters, _ = FacilityFilters.from_params(request.GET)
    area = _area(request)
    rows = selectors.rooms_by_county(request.user, area.code, filters) if area else []
    return download(excel.by_county_workbook(rows), "各县四小建设.xlsx")


# ---------------------------------------------------------------- public pages


def public_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, FacilityFilters)
    context = _list_context(request, selectors.public_facilities(filters), filters, public=True)
    photos = selectors.first_photos(list(context["page"]))
    for facility in context["page"]:
        facility.photo = photos.get(facility.pk)
    return render(request, "facilities/public_list.html", context)


def public_export(request: HttpRequest) -> HttpResponse:
    filters, _ = FacilityFilters.from_params(request.GET)
    return download(
        excel.facilities_workbook(selectors.public_facilities(filters), public=True), "四小建设（公开）.xlsx"
    )


def public_detail(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = selectors.get_public_facility(facility_id)
    return render(
        request,
        "facilities/public_detail.html",
        {
            "facility": facility,
            "photos": [a for a in attachments_of(facility) if a.is_image],
            "months": selectors.usage_by_month(facility)[:12],
        },
    )
