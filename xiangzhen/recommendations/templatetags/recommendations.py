"""`{% recommended_offers demand %}` and `{% recommended_demands offer %}`: the 推荐 section of the
demand and offer pages, scoped to the viewer (nothing shown for records they may not see)."""

from typing import Any

from django import template

from xiangzhen.core.errors import NotFound
from xiangzhen.recommendations import selectors

register = template.Library()


@register.inclusion_tag("recommendations/_demand_section.html", takes_context=True)
def recommended_offers(context: dict[str, Any], demand: Any, k: int = 5) -> dict[str, Any]:
    user = context["request"].user
    try:
        demand = selectors.visible_demand(user, demand.pk)
    except NotFound:
        return {"data": None}
    return {"data": selectors.for_demand(demand, k), "demand": demand, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("recommendations/_offer_section.html", takes_context=True)
def recommended_demands(context: dict[str, Any], offer: Any, k: int = 5) -> dict[str, Any]:
    user = context["request"].user
    try:
        offer = selectors.visible_offer(user, offer.pk)
    except NotFound:
        return {"rows": None}
    return {"rows": selectors.for_offer(offer, k), "offer": offer, "csrf_token": context.get("csrf_token")}
