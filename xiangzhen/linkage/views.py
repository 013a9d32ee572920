"""Linkage pages: thin wrappers over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.linkage import excel, selectors, services
from xiangzhen.linkage.filters import IncubationFilters, LinkageFilters, ServiceFilters
from xiangzhen.linkage.forms import ServiceForm
from xiangzhen.linkage.models import IncubationRecord, VolunteerService
from xiangzhen.organizations.models import Organization


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, LinkageFilters)
    return render(
        request,
        "linkage/station_list.html",
        {
            "page": paginate(request, selectors.stations(request.user, filters)),
            "coverage": selectors.coverage(request.user),
            "filters": filters,
            "query": query_without_page(request),
        },
    )


@login_required
def station_export(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, LinkageFilters)
    content = excel.stations_workbook(selectors.stations(request.user, filters), selectors.coverage(request.user))
    return download(content, "stations.xlsx")


@login_required
def station_detail(request: HttpRequest, station_id: int) -> HttpResponse:
    station = selectors.get_station(request.user, station_id)
    return render(
        request,
        "linkage/station_detail.html",
        {"station": station, "staff": selectors.station_staff(request.user, station)},
    )


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, LinkageFilters)
    return render(
        request,
        "linkage/volunteer_list.html",
        {
            "page": paginate(request, selectors.volunteers(request.user, filters)),
            "filters": filters,
            "query": query_without_page(request),
        },
    )


@login_required
def volunteer_export(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, LinkageFilters)
    return download(excel.volunteers_workbook(selectors.volunteers(request.user, filters)), "volunteers.xlsx")


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ServiceFilters)
    page = paginate(request, selectors.services(request.user, filters))
    for service in page:
        service.can_decide = service.status == VolunteerService.Status.RECORDED and services.may_act_for(
            request.user, service.organization, service.station
        )
    return render(
        request,
        "linkage/service_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": VolunteerService.Status.choices,
            "query": query_without_page(request),
        },
    )


@login_required
def service_export(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ServiceFilters)
    return download(excel.services_workbook(selectors.services(request.user, filters)), "volunteer-services.xlsx")


@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            volunteer = selectors.get_volunteer(request.user, fields["volunteer_id"])
            services.record_service(actor=request.user, volunteer=volunteer, data=services.ServiceData(**fields))
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录，等待组织方确认"))
            return redirect(reverse("linkage:services"))
    return render(request, "linkage/service_form.html", {"form": form})


@login_required
@require_POST
def service_decide(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.get_service(request.user, service_id)
    try:
        if request.POST.get("action") == "confirm":
            services.confirm_service(actor=request.user, service=service)
            messages.success(request, _("已确认服务时长"))
        else:
            services.reject_service(actor=request.user, service=service, reason=request.POST.get("reason", ""))
            messages.success(request, _("已驳回服务记录"))
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("linkage:services"))


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, LinkageFilters)
    return render(
        request,
        "linkage/totals.html",
        {
            "sections": selectors.all_totals(request.user, filters),
            "filters": filters,
            "query": query_without_page(request),
        },
    )


@login_required
def totals_export(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, LinkageFilters)
    return download(excel.totals_workbook(selectors.all_totals(request.user, filters)), "volunteer-hours.xlsx")


@login_required
def incubation_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, IncubationFilters)
    page = paginate(request, selectors.incubations(request.user, filters))
    for record in page:
        record.growth = selectors.growth(record.organization_id)
    return render(
        request,
        "linkage/incubation_list.html",
        {
            "page": page,
            "filters": filters,
            "stages": IncubationRecord.Stage.choices,
            "founder_types": Organization.FounderType.choices,
            "query": query_without_page(request),
        },
    )


@login_required
def incubation_export(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, IncubationFilters)
    rows = [(r, selectors.growth(r.organization_id)) for r in selectors.incubations(request.user, filters)]
    return download(excel.incubations_workbook(rows), "incubations.xlsx")


@login_required
def guidance(request: HttpRequest) -> HttpResponse:
    return render(request, "linkage/guidance.html")
