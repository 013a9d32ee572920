"""Allocation pages for province and city staff: run a proposal, compare it with first-come-
first-served, confirm or drop each item. Thin wrappers over selectors and services; out of
scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.allocation import rules, selectors, services
from xiangzhen.core.errors import ValidationFailed, XiangzhenError


def _require_page(request: HttpRequest) -> None:
    if not rules.can_use(request.user):
        raise Http404("页面不存在")


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """The user's runs, and a form to run a new one for their province or city (or one below)."""
    _require_page(request)
    share_text = request.POST.get("min_key_county_share", "").strip() or "0"
    if request.method == "POST":
        try:
            if not share_text.isdigit():
                raise ValidationFailed.on("min_key_county_share", "重点帮扶县最低覆盖比例应为 0 到 100 之间的整数")
            run = services.propose(
                actor=request.user,
                region_code=request.POST.get("region_code", ""),
                min_key_county_share=int(share_text),
            )
            messages.success(
                request, f"已生成智能推荐方案 #{run.pk}，共 {run.demands_covered} 项推荐，请逐项确认或放弃"
            )
            return redirect("allocation:detail", run.pk)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "allocation/run_list.html",
        {
            "runs": selectors.runs(request.user)[:50],
            "home_region": rules.home_region(request.user),
            "min_key_county_share": share_text,
        },
    )


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_page(request)
    run = selectors.get_run(request.user, run_id)
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
    item = selectors.get_item(request.user, item_id)
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
