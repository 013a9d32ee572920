"""Recommendation pages: thin wrappers over selectors and services. Out of scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import XiangzhenError
from xiangzhen.matching.services import Commitment
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.recommendations import selectors, services


@login_required
def demand_page(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = selectors.visible_demand(request.user, demand_id)
    return render(request, "recommendations/demand.html", {"demand": demand, "data": selectors.for_demand(demand)})


@login_required
def offer_page(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.visible_offer(request.user, offer_id)
    return render(request, "recommendations/offer.html", {"offer": offer, "rows": selectors.for_offer(offer)})


@login_required
def organization_page(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The organization's workspace: the demands it could serve best, each with its reasons."""
    organization = selectors.visible_organization(request.user, organization_id)
    rows = selectors.for_organization(organization, 20)
    return render(request, "recommendations/organization.html", {"organization": organization, "rows": rows})


@login_required
@require_POST
def accept(request: HttpRequest) -> HttpResponse:
    demand = selectors.visible_demand(request.user, request.POST.get("demand_id"))
    offer = offer_selectors.get_public_offer(request.POST.get("offer_id"))
    commitment = Commitment(
        committed_amount=request.POST.get("committed_amount") or "0",
        people_to_serve=request.POST.get("people_to_serve") or 0,
        note=request.POST.get("note", ""),
    )
    try:
        match = services.accept_recommendation(actor=request.user, demand=demand, offer=offer, commitment=commitment)
    except XiangzhenError as exc:
        messages.error(request, exc.message)
        return redirect(request.POST.get("back") or "recommendations:demand", demand.pk)
    messages.success(request, f"已采纳推荐，生成供需对接 {match.number}，等待对方接受")
    return redirect("matching:detail", match.pk)


@login_required
def weights(request: HttpRequest) -> HttpResponse:
    """View and edit a province's weights (province staff: their own; admins: any, and the national one)."""
    default = selectors.home_province(request.user)
    raw = request.POST.get("province") if request.method == "POST" else request.GET.get("province", default or "")
    try:
        province = services.province_or_none(raw)
    except XiangzhenError:
        raise Http404("没有这个省份") from None
    if not (services.can_edit_weights(request.user, province) or province == default):
        raise Http404("无权查看该省的匹配权重")
    if request.method == "POST":
        values = {name: request.POST[name] for name in selectors.FEATURES if request.POST.get(name, "").strip()}
        try:
            services.update_weights(request.user, province, **values)
            messages.success(request, "匹配权重已保存")
            return redirect(f"{request.path}?province={province or ''}")
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "recommendations/weights.html",
        {
            "view": selectors.weights_view(province),
            "can_edit": services.can_edit_weights(request.user, province),
            "provinces": selectors.provinces(),
            "province": province or "",
        },
    )
