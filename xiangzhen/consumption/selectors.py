"""Every read of consumption assistance, already scoped.

Products: listed ones are public (the catalogue); delisted ones are seen by the staff of their
origin's region and above and by the organization that registered them. Purchases: the buying
organization's people, and staff whose region holds the product's origin (they watch what their
villages sell). Batches: the buying organization and the staff over its registration region.
The catalogue puts paired places and key assistance counties first.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr

from xiangzhen.consumption.filters import ProductFilters, PurchaseFilters
from xiangzhen.consumption.models import Product, Purchase, PurchaseBatch
from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import Attachment, AuditEntry
from xiangzhen.core.scope import get_in_scope, restrict, scope_filter, scope_of
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.regions.selectors import KEY_COUNTY_KINDS

ZERO = Decimal("0.00")


def money(value: Any) -> Decimal:
    """A sum as yuan with two places (SQLite sums decimals without their scale)."""
    return Decimal(value or 0).quantize(ZERO)


def _visible_condition(user: Any) -> Q:
    scope = scope_of(user)
    if scope.everything:  # Q() | x would be just x: platform admins see every status
        return Q()
    return scope_filter(Product, scope) | Q(status=Product.Status.LISTED)


# ---------------------------------------------------------------- what comes first


def paired_region_codes() -> list[str]:
    """The regions (county, township or village) of every active pairing."""
    from xiangzhen.pairings.models import Pairing

    return sorted(set(Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list("region_id", flat=True)))


def paired_condition(field: str = "origin__code") -> Q:
    """Rows whose region lies in a place covered by an active pairing (the place itself or below it)."""
    condition = Q(pk__in=[])
    for code in paired_region_codes():
        condition |= Q(**{f"{field}__range": codes.subtree_bounds(code)})
    return condition


def key_county_prefixes() -> list[str]:
    from xiangzhen.regions.models import Designation

    return sorted(
        {code[:6] for code in Designation.objects.filter(kind__in=KEY_COUNTY_KINDS).values_list("region_id", flat=True)}
    )


def with_priority(queryset: "QuerySet[Product]") -> "QuerySet[Product]":
    """`is_paired` and `in_key_county` on each product, and `priority` (2 paired, 1 key county, 0)."""
    paired = paired_condition()
    key = Q(_origin_county__in=key_county_prefixes())
    return queryset.annotate(_origin_county=Substr("origin_id", 1, 6)).annotate(
        is_paired=Case(When(paired, then=Value(1)), default=Value(0), output_field=IntegerField()),
        in_key_county=Case(When(key, then=Value(1)), default=Value(0), output_field=IntegerField()),
        priority=Case(
            When(paired, then=Value(2)), When(key, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )


def _ordered(queryset: "QuerySet[Product]", filters: ProductFilters | None) -> "QuerySet[Product]":
    searching = filters is not None and bool(filters.q) and "search_rank" in queryset.query.annotations
    ordering: list[str] = [*(["-search_rank"] if searching else []), "-priority", "-created_at", "-id"]
    return queryset.order_by(*ordering)


# ---------------------------------------------------------------- products


def _products() -> "QuerySet[Product]":
    return Product.objects.select_related("origin", "organization")


def visible_products(user: Any) -> "QuerySet[Product]":
    """What the user may open: every listed product, and delisted ones in their scope."""
    return _products().filter(_visible_condition(user))


def product_list(user: Any, filters: ProductFilters | None = None) -> "QuerySet[Product]":
    """The products the user looks after: those of their region, or registered by their organization."""
    queryset = with_priority(restrict(_products(), user))
    return _ordered(filters.apply(queryset) if filters else queryset, filters)


def get_product(user: Any, product_id: Any) -> Product:
    try:
        return with_priority(visible_products(user)).select_related("created_by").get(pk=int(product_id))
    except (Product.DoesNotExist, ValueError, TypeError):
        raise NotFound("产品不存在或无权查看") from None


def public_products(filters: ProductFilters | None = None) -> "QuerySet[Product]":
    """The catalogue anyone may browse: listed products, paired places and key counties first."""
    queryset = with_priority(_products().filter(status=Product.Status.LISTED))
    if filters is not None and filters.status:
        filters = filters.model_copy(update={"status": ""})
    return _ordered(filters.apply(queryset) if filters else queryset, filters)


def get_public_product(product_id: Any) -> Product:
    try:
        return with_priority(_products().filter(status=Product.Status.LISTED)).get(pk=int(product_id))
    except (Product.DoesNotExist, ValueError, TypeError):
        raise NotFound("产品不存在或已下架") from None


def photos(product: Product) -> "QuerySet[Attachment]":
    return attachments_of(product).order_by("uploaded_at", "id")


def product_history(product: Product) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=Product._meta.label_lower, object_id=str(product.pk)).select_related(
        "actor"
    )


def product_sales(product: Product) -> dict[str, Any]:
    """How much of the product was bought through the platform (public figures: count and amount)."""
    figures = Purchase.objects.filter(product=product).aggregate(count=Count("id"), amount=Sum("amount"))
    return {"count": figures["count"] or 0, "amount": money(figures["amount"])}


# ---------------------------------------------------------------- purchases and batches


def _purchases() -> "QuerySet[Purchase]":
    return Purchase.objects.select_related(
        "product", "product__origin", "buyer", "batch", "event", "campaign", "member"
    )


def purchases(user: Any, filters: PurchaseFilters | None = None) -> "QuerySet[Purchase]":
    queryset = restrict(_purchases(), user)
    return filters.apply(queryset) if filters else queryset


def get_purchase(user: Any, purchase_id: Any) -> Purchase:
    return get_in_scope(_purchases(), user, pk=purchase_id)


def batches(user: Any) -> "QuerySet[PurchaseBatch]":
    return restrict(PurchaseBatch.objects.select_related("organization", "recorded_by"), user)


def get_batch(user: Any, batch_id: Any) -> PurchaseBatch:
    return get_in_scope(PurchaseBatch.objects.select_related("organization", "recorded_by"), user, pk=batch_id)


def batch_purchases(batch: PurchaseBatch) -> "QuerySet[Purchase]":
    return _purchases().filter(batch=batch).order_by("number")


def invoices(batch: PurchaseBatch) -> "QuerySet[Attachment]":
    return attachments_of(batch).order_by("uploaded_at", "id")


# ---------------------------------------------------------------- totals


@dataclass(frozen=True)
class TotalRow:
    key: str
    label: str
    purchase_count: int
    amount: Decimal


TOTAL_GROUPINGS = {"buyer": "按采购组织", "county": "按产地县", "campaign": "按专项行动"}


def totals(queryset: "QuerySet[Purchase]", by: str) -> list[TotalRow]:
    """The purchases of `queryset` summed per buyer, per origin county or per campaign, largest first."""
    base = queryset.order_by()
    rows: list[TotalRow] = []
    if by == "buyer":
        for buyer in base.values("buyer_id", "buyer__name").annotate(n=Count("id"), s=Sum("amount")):
            rows.append(TotalRow(str(buyer["buyer_id"]), buyer["buyer__name"], buyer["n"], money(buyer["s"])))
    elif by == "county":
        grouped = base.annotate(county=Substr("product__origin_id", 1, 6)).values("county")
        counties: list[Any] = list(grouped.annotate(n=Count("id"), s=Sum("amount")))
        wanted = [str(c["county"]).ljust(12, "0") for c in counties]
        names = {r.code: r.full_name or r.name for r in Region.objects.filter(code__in=wanted)}
        for county in counties:
            code = str(county["county"]).ljust(12, "0")
            rows.append(TotalRow(code, names.get(code, code), county["n"], money(county["s"])))
    elif by == "campaign":
        for campaign in base.values("campaign_id", "campaign__name").annotate(n=Count("id"), s=Sum("amount")):
            label = campaign["campaign__name"] or "未计入专项行动"
            rows.append(TotalRow(str(campaign["campaign_id"] or ""), label, campaign["n"], money(campaign["s"])))
    else:
        raise ValueError(by)
    return sorted(rows, key=lambda r: (-r.amount, r.label))


def all_totals(queryset: "QuerySet[Purchase]") -> dict[str, list[TotalRow]]:
    return {by: totals(queryset, by) for by in TOTAL_GROUPINGS}


def grand_total(queryset: "QuerySet[Purchase]") -> TotalRow:
    figures = queryset.order_by().aggregate(n=Count("id"), s=Sum("amount"))
    return TotalRow("", "合计", figures["n"] or 0, money(figures["s"]))


# ---------------------------------------------------------------- fairs


@dataclass(frozen=True)
class VillageSales:
    village_code: str
    village_name: str
    booth: str
    purchase_count: int
    amount: Decimal


@dataclass(frozen=True)
class FairSales:
    villages: list[VillageSales]
    purchase_count: int
    total: Decimal


def fair_sales(event: Any) -> FairSales:
    """Sales recorded at a fair, per participating village (those without sales too) and in total."""
    from xiangzhen.events.models import EventVillage

    sums = {
        item["product__origin_id"]: (item["n"], money(item["s"]))
        for item in Purchase.objects.filter(event=event)
        .order_by()
        .values("product__origin_id")
        .annotate(n=Count("id"), s=Sum("amount"))
    }
    rows = []
    for participation in EventVillage.objects.filter(event=event).select_related("village"):
        count, amount = sums.get(participation.village_id, (0, ZERO))
        rows.append(
            VillageSales(participation.village_id, participation.village.name, participation.booth, count, amount)
        )
    rows.sort(key=lambda r: (-r.amount, r.village_code))
    return FairSales(rows, sum(r.purchase_count for r in rows), sum((r.amount for r in rows), ZERO))


def fair_purchases(user: Any, event: Any) -> "QuerySet[Purchase]":
    """The fair's sales the user may see line by line (buyers' own, or of villages in their region)."""
    return purchases(user).filter(event=event)
