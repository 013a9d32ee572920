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
from xiangzhen.events.forms import EventForm, VillageForm
from xiangzhen.events.models import Event


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
        },
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
    """The public event page; for a fair, the sales per participating village and the total."""
    event = selectors.get_public_event(event_id)
    fair = event.is_agricultural_fair
    return render(
        request,
        "events/public_detail.html",
        {"event": event, "sales": consumption_selectors.fair_sales(event) if fair else None},
    )


def public_sales_export(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_public_event(event_id)
    if not event.is_agricultural_fair:
        raise PermissionDenied
    return download(
        excel.fair_sales_workbook(event, consumption_selectors.fair_sales(event)), f"{event.number}-销售.xlsx"
    )
