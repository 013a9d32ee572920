"""Event pages: lists, the organizers' detail with the fair's villages and sales, and the public fair page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.consumption import selectors as consumption_selectors
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import owner_step, page_filters
from xiangzhen.events import excel, rules, selectors, services
from xiangzhen.events.filters import EventFilters
from xiangzhen.events.forms import EventForm, FeatureForm, RegistrationForm, VillageForm
from xiangzhen.events.models import Event
from xiangzhen.events.services import attendance


def _list_page(request: HttpRequest, queryset: Any, filters: EventFilters, public: bool) -> HttpResponse:
    return render(
        request,
        "events/event_list.html",
        {
            "page": paginate(request, queryset),
            "query": query_without_page(request),
            "filters": filters,
            "public": public,
            "kinds": Event.Kind.choices,
            "statuses": Event.Status.choices,
            "can_create": not public and rules.can_organize(request.user),
        },
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, EventFilters)
    return _list_page(request, selectors.event_list(request.user, filters), filters, public=False)


def public_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, EventFilters)
    return _list_page(request, selectors.public_events(filters), filters, public=True)


@login_required
def event_export(request: HttpRequest) -> HttpResponse:
    filters, _ = EventFilters.from_params(request.GET)
    return download(excel.events_workbook(selectors.event_list(request.user, filters)), "活动与会展.xlsx")


def public_export(request: HttpRequest) -> HttpResponse:
    filters, _ = EventFilters.from_params(request.GET)
    return download(excel.events_workbook(selectors.public_events(filters)), "活动与会展（公开）.xlsx")


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_organize(request.user):
        messages.error(request, "只有部门工作人员可以创建活动")
        return redirect("events:list")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(actor=request.user, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"活动 {event.number} 已保存为草稿")
            if "publish" in request.POST:
                _publish_after_save(request, event)
            return redirect("events:detail", event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


def _publish_after_save(request: HttpRequest, event: Event) -> None:
    try:
        services.publish_event(actor=request.user, event=event)
        messages.success(request, "已发布")
    except XiangzhenError as exc:
        messages.error(request, f"已保存，但未能发布：{exc.message}")


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    can_manage = rules.can_manage(request.user, event)
    labels = services.WORKFLOW.transitions
    fair = event.is_agricultural_fair
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "can_manage": can_manage,
            "can_edit": can_manage and event.status in services.EDITABLE_STATUSES,
            "actions": [(a, labels[a].label) for a in services.WORKFLOW.allowed_actions(event.status)]
            if can_manage
            else [],
            "sales": consumption_selectors.fair_sales(event) if fair else None,
            "purchases": consumption_selectors.fair_purchases(request.user, event)[:100] if fair else [],
            "village_form": VillageForm()
            if fair and can_manage and event.status in services.EDITABLE_STATUSES
            else None,
            "history": selectors.history(event)[:30] if can_manage else [],
            "features": selectors.features(event),
            "feature_form": _feature_form(event) if can_manage and event.status in services.EDITABLE_STATUSES else None,
            "results": selectors.results(event),
            "registered": selectors.live_count(event),
            "can_take_here": _can_take_here(request.user, event),
        },
    )


def _can_take_here(user: Any, event: Event) -> bool:
    """An admin of a registered organization, while the event runs: “在本次活动中对接” on featured demands."""
    registered = selectors.registered_organization_ids(event)
    mine = {o.pk for o in selectors.administered_by(user)}
    return bool(registered & mine) and selectors.is_running(event)


def _feature_form(event: Event, data: Any = None) -> FeatureForm:
    demands, offers = selectors.feature_candidates(event)
    return FeatureForm(
        data,
        demands=[(d.pk, f"{d.number} {d.title}（{d.region.name}）") for d in demands],
        offers=[(o.pk, f"{o.number} {o.title}（{o.organization.name}）") for o in offers],
    )


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    if not rules.can_manage(request.user, event) or event.status not in services.EDITABLE_STATUSES:
        raise PermissionDenied
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", event.version))
            services.update_event(
                actor=request.user, event=event, changes=form.to_data().as_dict(), expected_version=version
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except (XiangzhenError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", "提交的数据不正确"))
        else:
            messages.success(request, "已保存")
            return redirect("events:detail", event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_act(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    owner_step(
        request, services.WORKFLOW, services.TRANSITION_SERVICES, list(services.TRANSITION_SERVICES), event=event
    )
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def village_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            services.add_village(
                actor=request.user, event=event, village_code=form.cleaned_data["village"].code,
                booth=form.cleaned_data.get("booth") or "",
            )  # fmt: skip
            messages.success(request, f"已添加参展村：{form.cleaned_data['village'].name}")
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def village_remove(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    try:
        services.remove_village(actor=request.user, event=event, village_code=request.POST.get("village_code", ""))
        messages.success(request, "已移出参展村")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("events:detail", event.pk)


def public_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """The public event page: agenda, featured demands and offers, results; for a fair, the sales
    per participating village and the total. An admin of a registered organization may take a
    featured demand here while the event runs (“在本次活动中对接”)."""
    event = selectors.get_public_event(event_id)
    fair = event.is_agricultural_fair
    return render(
        request,
        "events/public_detail.html",
        {
            "event": event,
            "sales": consumption_selectors.fair_sales(event) if fair else None,
            "features": selectors.features(event),
            "results": selectors.results(event),
            "registered": selectors.live_count(event),
            "can_take_here": _can_take_here(request.user, event),
        },
    )


# ---------------------------------------------------------------- registrations, check-in, features, results


@login_required
def registrations(request: HttpRequest, event_id: int) -> HttpResponse:
    """The registration list (organizers: everyone, with a check-in button per row; others: their
    own) and the form to register an organization or a village."""
    event = selectors.get_event(request.user, event_id)
    organizations = [(o.pk, o.name) for o in selectors.member_organizations(request.user)]
    villages = getattr(request.user, "role", "") in ("platform_admin", "department_staff", "submitter")
    form = RegistrationForm(request.POST or None, organizations=organizations, villages=villages)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        organization = next(
            (o for o in selectors.member_organizations(request.user) if o.pk == c.get("organization")), None
        )
        try:
            registration = attendance.register(
                actor=request.user, event=event, organization=organization,
                village_code=c["village"].code if c.get("village") else None,
                contact_name=c["contact_name"], contact_phone=c.get("contact_phone") or "",
            )  # fmt: skip
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已报名：{registration.party_name}")
            return redirect("events:registrations", event.pk)
    can_manage = rules.can_manage(request.user, event)
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "rows": selectors.registrations(request.user, event),
            "can_manage": can_manage,
            "form": form if event.status == Event.Status.PUBLISHED and (organizations or villages) else None,
            "registered": selectors.live_count(event),
        },
    )


@login_required
def registrations_export(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    rows = selectors.registration_sheet(request.user, event)
    return download(excel.registrations_workbook(event, rows), f"{event.number}-报名名单.xlsx")


@login_required
@require_POST
def registration_act(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    registration = selectors.get_registration(request.user, event, registration_id)
    action = request.POST.get("action")
    try:
        if action == "check_in":
            attendance.check_in(actor=request.user, registration=registration)
            messages.success(request, f"已签到：{registration.party_name}")
        elif action == "cancel":
            attendance.cancel_registration(actor=request.user, registration=registration)
            messages.success(request, f"已取消报名：{registration.party_name}")
        else:
            messages.error(request, "未知的操作")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("events:registrations", event.pk)


@login_required
@require_POST
def feature_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    form = _feature_form(event, request.POST)
    if form.is_valid():
        try:
            attendance.add_feature(
                actor=request.user, event=event, demand_id=form.cleaned_data.get("demand"),
                offer_id=form.cleaned_data.get("offer"),
            )  # fmt: skip
            messages.success(request, "已添加推介项目")
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def feature_remove(request: HttpRequest, event_id: int, feature_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    try:
        attendance.remove_feature(actor=request.user, event=event, feature_id=feature_id)
        messages.success(request, "已移除推介项目")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("events:detail", event.pk)


def public_results_export(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_public_event(event_id)
    return download(excel.results_workbook(event, selectors.results(event)), f"{event.number}-活动成果.xlsx")


@login_required
def results_export(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    return download(excel.results_workbook(event, selectors.results(event)), f"{event.number}-活动成果.xlsx")


def public_sales_export(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_public_event(event_id)
    if not event.is_agricultural_fair:
        raise PermissionDenied
    return download(
        excel.fair_sales_workbook(event, consumption_selectors.fair_sales(event)), f"{event.number}-销售.xlsx"
    )
