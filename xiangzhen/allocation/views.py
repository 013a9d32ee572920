"""Allocation pages for province and city staff: run a proposal, compare it with first-come-
first-served, confirm or drop each item. Thin wrappers over selectors and services; out of
scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.allocation import rules, selectors, services
from xiangzhen.allocation.models import AllocationRun, ProposalItem
from xiangzhen.core.errors import NotFound, XiangzhenError


def _require_page(request: HttpRequest) -> None:
    if not rules.can_use(request.user):
        raise Http404("页面不存在")


def _run(request: HttpRequest, run_id: int) -> AllocationRun:
    try:
        return selectors.get_run(request.user, run_id)
    except NotFound:
        raise Http404("智能推荐方案不存在或无权查看") from None


def _item(request: HttpRequest, item_id: int) -> ProposalItem:
    try:
        return selectors.get_item(request.user, item_id)
    except NotFound:
        raise Http404("推荐条目不存在或无权查看") from None


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """The user's runs, and a form to run a new one for their province or city (or one below)."""
    _require_page(request)
    if request.method == "POST":
        try:
            run = services.propose(actor=request.user, region_code=request.POST.get("region_code", ""))
            messages.success(
                request, f"已生成智能推荐方案 #{run.pk}，共 {run.demands_covered} 项推荐，请逐项确认或放弃"
            )
            return redirect("allocation:detail", run.pk)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "allocation/run_list.html",
        {"runs": selectors.runs(request.user)[:50], "home_region": rules.home_region(request.user)},
    )


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_page(request)
    run = _run(request, run_id)
    return render(
        request,
        "allocation/run_detail.html",
        {
            "run": run,
            "items": selectors.run_items(run),
            "counts": selectors.item_counts(run),
            "can_decide": rules.can_allocate(request.user, run.region_id),
        },
    )


@login_required
@require_POST
def item_action(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    _require_page(request)
    item = _item(request, item_id)
    try:
        if action == "confirm":
            match = services.confirm_item(request.user, item)
            messages.success(request, f"已确认，生成供需对接 {match.number}，等待社会组织接受、县级确认")
        elif action == "drop":
            services.drop_item(request.user, item, request.POST.get("reason", ""))
            messages.success(request, "已放弃该推荐")
        else:
            raise Http404("没有这个操作")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("allocation:detail", item.run_id)
