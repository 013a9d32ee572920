"""Monitoring pages: thin wrappers over selectors and services. Personal data is masked on every
page; the county's rural revitalization staff may open it in full (`?reveal=1`), which is logged."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.core.crypto import mask_id_number, mask_name
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.monitoring import excel, rules, selectors, services
from xiangzhen.monitoring.filters import HouseholdFilters
from xiangzhen.monitoring.forms import AccessForm, AssistanceForm, CloseForm, HouseholdForm, MemberForm
from xiangzhen.monitoring.models import MonitoredHousehold
from xiangzhen.organizations.models import Organization


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, HouseholdFilters)
    page = paginate(request, selectors.households(request.user, filters))
    rows = [(h, mask_name(h.head_name), mask_id_number(h.head_id_number)) for h in page.object_list]
    return render(
        request,
        "monitoring/household_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "filters": filters,
            "categories": MonitoredHousehold.Category.choices,
            "statuses": MonitoredHousehold.Status.choices,
            "risks": MonitoredHousehold.Risk.choices,
            "can_create": rules.can_record(request.user),
        },
    )


@login_required
def household_export(request: HttpRequest) -> HttpResponse:
    filters, _ = HouseholdFilters.from_params(request.GET)
    rows = selectors.export_rows(selectors.households(request.user, filters))
    return download(excel.export_workbook(rows), "监测对象.xlsx")


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_record(request.user):
        raise PermissionDenied
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.create_household(actor=request.user, data=form.to_data())
            messages.success(request, f"{household.number}：已录入")
            return redirect("monitoring:detail", household.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(request, "monitoring/form.html", {"form": form, "title": "录入监测对象", "household": None})


def _detail_context(request: HttpRequest, household: MonitoredHousehold, reveal: bool) -> dict[str, Any]:
    user = request.user
    granted = rules.granting_organizations(user, household)
    assistance_form = AssistanceForm()
    assistance_form.fields["organization_id"].choices = list(  # type: ignore[attr-defined]
        Organization.objects.filter(pk__in=granted).values_list("pk", "name")
    )
    manager = rules.can_manage(user, household)
    return {
        "household": household,
        "personal": selectors.personal_view(user, household, reveal=reveal),
        "can_reveal": rules.can_see_full(user, household),
        "can_manage": manager,
        "assistance": selectors.assistance(user, household),
        "accesses": selectors.accesses(user, household) if manager else [],
        "assistance_form": assistance_form if granted else None,
        "member_form": MemberForm() if manager else None,
        "close_form": CloseForm() if manager and household.status == MonitoredHousehold.Status.MONITORING else None,
        "access_form": AccessForm() if manager else None,
    }


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.get_household(request.user, household_id)
    reveal = request.GET.get("reveal") == "1"
    if reveal:
        try:
            services.reveal_personal(actor=request.user, household=household)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
            reveal = False
    return render(request, "monitoring/household_detail.html", _detail_context(request, household, reveal))


def _post_action(request: HttpRequest, household_id: int, form_class: Any, act: Any, done: str) -> HttpResponse:
    household = selectors.get_household(request.user, household_id)
    form = form_class(request.POST)
    if form_class is AssistanceForm:
        form.fields["organization_id"].choices = list(
            Organization.objects.filter(pk__in=rules.granting_organizations(request.user, household)).values_list(
                "pk", "name"
            )
        )
    if form.is_valid():
        try:
            act(household, form)
            messages.success(request, done)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    else:
        errors = "；".join(
            f"{form.fields[k].label if k in form.fields else ''}{' '.join(v)}" for k, v in form.errors.items()
        )
        messages.error(request, errors)
    return redirect("monitoring:detail", household.pk)


@login_required
@require_POST
def member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    return _post_action(
        request,
        household_id,
        MemberForm,
        lambda h, f: services.add_member(actor=request.user, household=h, data=f.to_data()),
        "已新增家庭成员",
    )


@login_required
@require_POST
def household_close(request: HttpRequest, household_id: int) -> HttpResponse:
    return _post_action(
        request,
        household_id,
        CloseForm,
        lambda h, f: services.close_household(actor=request.user, household=h, **f.cleaned_data),
        "已更新监测状态",
    )


@login_required
@require_POST
def access_grant(request: HttpRequest, household_id: int) -> HttpResponse:
    return _post_action(
        request,
        household_id,
        AccessForm,
        lambda h, f: services.grant_access(actor=request.user, household=h, **f.cleaned_data),
        "已授权社会组织",
    )


@login_required
@require_POST
def assistance_add(request: HttpRequest, household_id: int) -> HttpResponse:
    return _post_action(
        request,
        household_id,
        AssistanceForm,
        lambda h, f: services.record_assistance(
            actor=request.user, household=h, organization_id=f.cleaned_data["organization_id"], data=f.to_data()
        ),
        "已记录帮扶",
    )


@login_required
def relocation_sites(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/relocation_sites.html", {"sites": selectors.relocation_sites(request.user)})
