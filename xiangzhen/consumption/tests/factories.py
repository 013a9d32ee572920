"""Consumption and fair records for tests, and the world the authorization matrix walks."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xiangzhen.campaigns.models import Campaign, Enrollment
from xiangzhen.consumption import services
from xiangzhen.consumption.validation import ProductData, PurchaseData
from xiangzhen.events import services as events
from xiangzhen.events.validation import EventData

SHIBADONG = "433124110226"
MAANCUN = "433124110225"  # 马鞍村, 双龙镇
ZHANGDAO = "433124110227"  # 张刀村, 双龙镇


def product_data(**changes: Any) -> ProductData:
    data = ProductData(
        name="十八洞村猕猴桃",
        producer_name="花垣县十八洞村苗汉子果业农民专业合作社",
        producer_kind="cooperative",
        origin_code=SHIBADONG,
        category="fruit_vegetable",
        unit="箱",
        price="88.00",
        certification="绿色食品",
        stock="500",
        season="9—11 月",
        description="高山红心猕猴桃，每箱 5 斤。",
        contact_phone="0743-7221234",
    )
    return data.merged(changes)


def make_campaign(
    creator: Any, *, organization: Any = None, enrolled: bool = True, name: str = "消费帮扶助振兴行动"
) -> Campaign:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        number=f"XD-433124-{today.year}-{Campaign.objects.count() + 900001}",
        kind=Campaign.Kind.CONSUMPTION,
        name=name,
        region_id="433124000000",
        description="以购代捐、以买代帮",
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=300),
        status=Campaign.Status.PUBLISHED,
        created_by=creator,
    )
    if organization is not None:
        status = Enrollment.Status.ENROLLED if enrolled else Enrollment.Status.WITHDRAWN
        Enrollment.objects.create(campaign=campaign, organization=organization, status=status, enrolled_by=creator)
    return campaign


def make_fair(
    organizer: Any, villages: list[str], *, publish: bool = True, days_ago: int = 3, name: str = "花垣县农博会"
) -> Any:
    today = timezone.localdate()
    event = events.create_event(
        actor=organizer,
        data=EventData(
            kind="agricultural_expo", name=name, region_code="433124000000", venue="花垣县体育馆",
            organizer="花垣县乡村振兴局", starts_on=today - timedelta(days=days_ago), ends_on=today,
        ),
    )  # fmt: skip
    for index, code in enumerate(villages, start=1):
        events.add_village(actor=organizer, event=event, village_code=code, booth=f"A{index:02d}")
    if publish:
        event = events.publish_event(actor=organizer, event=event)
    return event


def purchase(item: Any, **changes: Any) -> PurchaseData:
    """One purchase of `item` (a Product) with `changes` to any field (`product` too: a number, say)."""
    data = PurchaseData(
        product=item.pk,
        quantity="10",
        amount="880.00",
        purchased_on=timezone.localdate(),
        channel="direct",
        invoice_number="FP-0001",
    )
    return data.merged(changes)


def matrix_world(organization: Any, org_admin: Any, county_official: Any) -> dict[str, Any]:
    """A listed 十八洞村 product registered by the county, a published 花垣县 fair with 十八洞村 (one
    sale) and 马鞍村 (none), and one batch of the organization holding a direct purchase and that sale."""
    product = services.create_product(actor=county_official, data=product_data())
    fair = make_fair(county_official, [SHIBADONG, MAANCUN], name="矩阵农博会")
    batch = services.record_purchases(
        actor=org_admin,
        organization=organization,
        purchases=[
            purchase(product, invoice_number="MATRIX-FP-1"),
            purchase(product, invoice_number="MATRIX-FP-2", channel="fair", event=fair.pk),
        ],
    )
    return {
        "product_id": product.pk,
        "batch_id": batch.pk,
        "purchase_id": batch.purchases.order_by("pk").first().pk,  # type: ignore[union-attr]
        "event_id": fair.pk,
        "village_code": MAANCUN,
        "new_village_code": ZHANGDAO,
    }
