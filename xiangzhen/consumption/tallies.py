"""What a purchase contributes to the rollups (`stats.rollups`): its amount and count per channel,
and the buying organization's participation, in the county of the product's origin, in the month
it was bought. Purchases are never changed once logged, so a purchase counts from its creation."""

from django.db.models import QuerySet

from xiangzhen.consumption.models import Purchase
from xiangzhen.stats.rollups import Tally


def purchase_tallies(purchase: Purchase) -> list[Tally]:
    region = purchase.product.origin_id
    on = purchase.purchased_on
    return [
        Tally("purchases", region, on, purchase.amount, purchase.channel),
        Tally("purchase_count", region, on, 1, purchase.channel),
        Tally("org_participation", region, on, 1, str(purchase.buyer_id)),
    ]


def for_recount(purchases: "QuerySet[Purchase]") -> "QuerySet[Purchase]":
    """Only what `purchase_tallies` reads, the product's origin joined in (no query per purchase)."""
    return purchases.select_related("product").only(
        "id", "amount", "purchased_on", "channel", "buyer", "product__id", "product__origin"
    )
