"""Match pages: thin wrappers over selectors and services. Out of scope answers 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import CONTENT_TYPE
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.scope import scope_of
from xiangzhen.core.views import page_filters
from xiangzhen.demands import rules as demand_rules
from xiangzhen.matching import excel, rules, selectors, services
from xiangzhen.matching.filters import MatchFilters
from xiangzhen.matching.forms import (
    ActivityForm,
    CompleteForm,
    EvaluateForm,
    MilestoneForm,
    OrderForm,
    ReasonForm,
    TakeForm,
)
from xiangzhen.matching.models import Match
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.organizations import selectors as organization_selectors

SIMPLE_ACTIONS = {
    "accept": services.accept_match,
    "confirm": services.confirm_match,
    "start": services.start_match,
}
REASON_ACTIONS = {"decline": services.decline_match, "cancel": services.cancel_match}


@login_required
def match_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, MatchFilters)
    region = selectors.home_region(request.user)
    rate = selectors.success_rate(region) if region else None
    return render(
        request,
        "matching/match_list.html",
        {
            "page": paginate(request, selectors.match_list(request.user, filters)),
            "query": query_without_page(request),
            "filters": filters,
            "statuses": Match.Status.choices,
            "origins": Match.Origin.choices,
            "rate": rate,
            "is_county": bool(region and region[6:] == "000000" and region[4:6] != "00"),
            "home_region": region,
        },
    )


@login_required
def match_export(request: HttpRequest) -> HttpResponse:
    filters, _ = MatchFilters.from_params(request.GET)
    content = excel.export_workbook(selectors.export_rows(selectors.match_list(request.user, filters)))
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BE%9B%E9%9C%80%E5%AF%B9%E6%8E%A5.xlsx"
    return response


@login_required
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.get_match(request.user, match_id)
    actions = rules.available_actions(request.user, match)
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "actions": actions,
            "coverage": selectors.coverage(match.demand),
            "load": selectors.offer_load(match.offer) if match.offer else None,
            "totals": selectors.work_totals(match),
            "photos": selectors.activity_photos(match),
            "history": selectors.history(match)[:50],
            "reason_form": ReasonForm(),
            "can_see_contact": demand_rules.can_see_personal(request.user, match.demand),
            "can_run": rules.can_run(request.user, match),
        },
    )


@login_required
def match_contact(request: HttpRequest, match_id: int) -> HttpResponse:
    """The demand's contact in full, for those who serve or run it; every view is audited."""
    from xiangzhen.demands import services as demand_services

    match = selectors.get_match(request.user, match_id)
    try:
        demand_services.reveal_personal(actor=request.user, demand=match.demand)
    except XiangzhenError as exc:
        messages.error(request, exc.message)
        return redirect("matching:detail", match.pk)
    return render(request, "matching/contact.html", {"match": match, "demand": match.demand})


@login_required
@require_POST
def match_action(request: HttpRequest, match_id: int, action: str) -> HttpResponse:
    match = selectors.get_match(request.user, match_id)
    version = request.POST.get("version")
    expected = int(version) if version and version.isdigit() else None
    try:
        if action in SIMPLE_ACTIONS:
            SIMPLE_ACTIONS[action](actor=request.user, match=match, expected_version=expected)
        elif action in REASON_ACTIONS:
            REASON_ACTIONS[action](
                actor=request.user, match=match, reason=request.POST.get("reason", ""), expected_version=expected
            )
        else:
            raise Http404("没有这个操作")
        messages.success(request, f"已{services.WORKFLOW.transitions[action].label}")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("matching:detail", match.pk)


@login_required
def demand_page(request: HttpRequest, demand_id: int) -> HttpResponse:
    """A demand's matches and coverage (what is covered, what remains), with the order/take links."""
    data = selectors.demand_matches(request.user, demand_id)
    demand = data.demand
    return render(
        request,
        "matching/demand_matches.html",
        {
            "data": data,
            "demand": demand,
            "can_order": data.in_scope and rules.can_order_for(request.user, demand.region_id),
            "can_take": rules.can_take(request.user),
        },
    )


def _event_initial(request: HttpRequest) -> dict[str, Any]:
    """`?event=<id>` from the event page's “在本次活动中对接” link (checked by the services)."""
    raw = request.POST.get("event") or request.GET.get("event") or ""
    return {"event": int(raw)} if raw.isdigit() else {}


@login_required
def order(request: HttpRequest, demand_id: int) -> HttpResponse:
    """点单 from a demand: pick one of the published offers that cover it."""
    data = selectors.demand_matches(request.user, demand_id)
    demand = data.demand
    if not data.in_scope or not rules.can_order_for(request.user, demand.region_id):
        raise Http404("需求项目不存在或无权查看")
    candidates = list(selectors.candidate_offers(demand).select_related("organization"))
    choices = [(o.pk, f"{o.title}（{o.organization.name}）") for o in candidates]
    form = OrderForm(request.POST or None, offers=choices, initial=_event_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_selectors.get_public_offer(form.cleaned_data["offer"])
            match = services.order_offer(
                actor=request.user, demand=demand, offer=offer, commitment=form.commitment(),
                event=form.cleaned_data.get("event"),
            )  # fmt: skip
            messages.success(request, f"已点单（{match.number}），等待社会组织接受")
            return redirect("matching:detail", match.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "matching/order_form.html",
        {
            "form": form,
            "demand": demand,
            "coverage": data.coverage,
            "candidates": candidates,
            "kind": "order",
            "at_event": _event_initial(request).get("event"),
        },
    )


@login_required
def take(request: HttpRequest, demand_id: int) -> HttpResponse:
    """接单 from a demand page: an organization admin takes it, optionally naming one of its offers."""
    data = selectors.demand_matches(request.user, demand_id)
    demand = data.demand
    organizations = list(organization_selectors.administered_organizations(request.user))
    if not rules.can_take(request.user) or not organizations:
        messages.error(request, "只有社会组织管理员可以接单")
        return redirect("matching:demand", demand.pk)
    offers = []
    for organization in organizations:
        offers += [
            (o.pk, f"{o.title}（{organization.name}）") for o in selectors.candidate_offers(demand, organization)
        ]
    form = TakeForm(
        request.POST or None, organizations=[(o.pk, o.name) for o in organizations], offers=offers,
        initial=_event_initial(request),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            organization = next(o for o in organizations if o.pk == form.cleaned_data["organization"])
            offer_id = form.cleaned_data.get("offer")
            offer = offer_selectors.get_offer(request.user, offer_id) if offer_id else None
            match = services.take_demand(
                actor=request.user, demand=demand, organization=organization, offer=offer,
                commitment=form.commitment(), event=form.cleaned_data.get("event"),
            )  # fmt: skip
            messages.success(request, f"已接单（{match.number}），等待需求方接受")
            return redirect("matching:detail", match.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "matching/order_form.html",
        {
            "form": form,
            "demand": demand,
            "coverage": data.coverage,
            "candidates": [],
            "kind": "take",
            "at_event": _event_initial(request).get("event"),
        },
    )


def _match_form(
    request: HttpRequest, match_id: int, form_class: Any, title: str, submit: Any, files: bool = False
) -> HttpResponse:
    match = selectors.get_match(request.user, match_id)
    form = form_class(request.POST or None, request.FILES or None) if files else form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit(match, form)
            messages.success(request, f"{title}已保存")
            return redirect("matching:detail", match.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(request, "matching/match_form.html", {"form": form, "match": match, "title": title, "files": files})


@login_required
def activity(request: HttpRequest, match_id: int) -> HttpResponse:
    return _match_form(
        request, match_id, ActivityForm, "实施活动",
        lambda match, form: services.record_activity(
            actor=request.user, match=match, data=form.data_object(), uploads=form.cleaned_data.get("photos") or []
        ),
        files=True,
    )  # fmt: skip


@login_required
def milestone(request: HttpRequest, match_id: int) -> HttpResponse:
    return _match_form(
        request, match_id, MilestoneForm, "里程碑",
        lambda match, form: services.add_milestone(
            actor=request.user, match=match, title=form.cleaned_data["title"], due_date=form.cleaned_data["due_date"]
        ),
    )  # fmt: skip


@login_required
@require_POST
def reach_milestone(request: HttpRequest, match_id: int, milestone_id: int) -> HttpResponse:
    match = selectors.get_match(request.user, match_id)
    try:
        services.reach_milestone(
            actor=request.user, milestone=selectors.get_milestone(match, milestone_id), done_on=timezone.localdate()
        )
        messages.success(request, "里程碑已标记完成")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("matching:detail", match.pk)


@login_required
def complete(request: HttpRequest, match_id: int) -> HttpResponse:
    return _match_form(
        request, match_id, CompleteForm, "完成报告",
        lambda match, form: services.complete_match(
            actor=request.user, match=match, report=form.cleaned_data["report"]
        ),
    )  # fmt: skip


@login_required
def evaluate(request: HttpRequest, match_id: int) -> HttpResponse:
    return _match_form(
        request, match_id, EvaluateForm, "评价",
        lambda match, form: services.evaluate_match(
            actor=request.user, match=match, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
        ),
    )  # fmt: skip


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """The county's check: places served by several live matches in the same domain."""
    county = request.GET.get("county") or scope_of(request.user).region_code
    groups = selectors.duplicates(request.user, county)
    return render(request, "matching/duplicates.html", {"groups": groups, "county": county})
