"""Demo consumption assistance through the services: products of 十八洞村 and other 花垣县 villages,
a 花垣县消费帮扶助振兴 campaign the demo organization enrolled in, a published agricultural fair with
three villages, and purchases by the demo organization (one batch by form, one at the fair, one
by a member). Called by `manage.py seed_demo`.

Idempotent: nothing happens if the 十八洞村猕猴桃 product already exists.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.consumption import services
from xiangzhen.consumption.models import Product
from xiangzhen.consumption.validation import ProductData, PurchaseData
from xiangzhen.events import services as events
from xiangzhen.events.validation import EventData
from xiangzhen.organizations.models import Organization

SHIBADONG = "433124110226"
BANLI = "433124110212"  # 董马库板栗村
PAIBI = "433124110239"  # 排碧村
SHUANGLONG = "433124110218"  # 双龙村
FIRST = "十八洞村猕猴桃"

PRODUCTS = [
    (FIRST, "花垣县十八洞村苗汉子果业农民专业合作社", "cooperative", SHIBADONG, "fruit_vegetable", "箱", "88.00",
     "绿色食品", "9—11 月", "高山红心猕猴桃，酸甜多汁，每箱 5 斤。", "0743-7221001"),
    ("十八洞村苗家腊肉", "十八洞村腊味加工坊", "household_enterprise", SHIBADONG, "meat_egg", "斤", "68.00",
     "", "全年", "土猪肉柴火熏制，肥而不腻。", "13974311002"),
    ("苗绣手工挎包", "十八洞村苗绣合作社", "cooperative", SHIBADONG, "handicraft", "件", "198.00",
     "", "全年", "苗族绣娘手工刺绣，每件约需七天。", "13974311003"),
    ("董马库板栗", "董马库板栗种植专业合作社", "cooperative", BANLI, "specialty", "斤", "12.00",
     "地理标志", "9—10 月", "颗粒饱满、粉糯香甜。", "13974311004"),
    ("排碧高山云雾茶", "排碧村茶叶专业合作社", "cooperative", PAIBI, "tea", "盒", "150.00",
     "有机产品", "3—5 月", "海拔 800 米高山茶园手工采制。", "13974311005"),
    ("双龙村土蜂蜜", "双龙村养蜂户石大哥", "household", SHUANGLONG, "specialty", "瓶", "80.00",
     "", "全年", "中华蜂百花蜜，每瓶 500 克。", "13974311006"),
]  # fmt: skip


def _campaign(organization: Organization, org_admin: Any, county_official: Any) -> Any:
    """A 花垣县 consumption campaign the organization enrolls in (through the campaigns services)."""
    from xiangzhen.campaigns import services as campaigns
    from xiangzhen.campaigns.models import Campaign
    from xiangzhen.campaigns.validation import CampaignData

    existing = Campaign.objects.filter(name="花垣县消费帮扶助振兴专项行动").first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    campaign = campaigns.create_campaign(
        actor=county_official,
        data=CampaignData(
            kind="consumption", name="花垣县消费帮扶助振兴专项行动",
            description="动员社会组织以购代捐、以买代帮，采购脱贫村农产品和手工艺品。",
            start_date=today - datetime.timedelta(days=90), end_date=today + datetime.timedelta(days=270),
            target_organizations=20, target_purchases="500000",
        ),
    )  # fmt: skip
    campaign = campaigns.publish_campaign(actor=county_official, campaign=campaign)
    campaigns.enroll(actor=org_admin, campaign=campaign, organization=organization)
    return campaign


def seed_demo_consumption(*, organization: Organization, org_admin: Any, county_official: Any) -> list[Product]:
    existing = Product.objects.filter(name=FIRST).first()
    if existing is not None:
        return list(Product.objects.filter(name__in=[p[0] for p in PRODUCTS]))
    products = [
        services.create_product(
            actor=county_official,
            data=ProductData(
                name=name,
                producer_name=producer,
                producer_kind=kind,
                origin_code=origin,
                category=category,
                unit=unit,
                price=price,
                certification=certification,
                season=season,
                description=description,
                contact_phone=phone,
                stock="1000",
            ),
        )
        for name, producer, kind, origin, category, unit, price, certification, season, description, phone in PRODUCTS
    ]
    today = timezone.localdate()
    fair = events.create_event(
        actor=county_official,
        data=EventData(
            kind="agricultural_expo", name="花垣县第一届乡村振兴农博会", region_code="433124000000",
            venue="花垣县边城广场", organizer="花垣县乡村振兴局、花垣县民政局",
            starts_on=today - datetime.timedelta(days=4), ends_on=today,
            description="脱贫村特色农产品展示展销，社会组织现场以购代捐。",
        ),
    )  # fmt: skip
    for booth, village in (("A01", SHIBADONG), ("A02", BANLI), ("A03", PAIBI)):
        events.add_village(actor=county_official, event=fair, village_code=village, booth=booth)
    fair = events.publish_event(actor=county_official, event=fair)
    campaign = _campaign(organization, org_admin, county_official)
    kiwi, bacon, embroidery, chestnut, tea, _honey = products
    ago = today - datetime.timedelta(days=20)
    services.record_purchases(
        actor=org_admin,
        organization=organization,
        purchases=[
            PurchaseData(product=kiwi.pk, quantity="100", amount="", purchased_on=ago, channel="direct",
                         invoice_number="43001234-0001", campaign=campaign.pk),
            PurchaseData(product=bacon.pk, quantity="50", amount="", purchased_on=ago, channel="direct",
                         invoice_number="43001234-0001", campaign=campaign.pk),
        ],
    )  # fmt: skip
    services.record_purchases(
        actor=org_admin,
        organization=organization,
        purchases=[
            PurchaseData(product=chestnut.pk, quantity="200", amount="2300.00", purchased_on=today, channel="fair",
                         event=fair.pk, invoice_number="43001234-0002", campaign=campaign.pk),
            PurchaseData(product=tea.pk, quantity="10", amount="", purchased_on=today, channel="fair",
                         event=fair.pk, invoice_number="43001234-0002"),
        ],
    )  # fmt: skip
    services.record_purchases(
        actor=org_admin,
        organization=organization,
        purchases=[
            PurchaseData(product=embroidery.pk, quantity="2", amount="", purchased_on=today, channel="ecommerce",
                         invoice_number="JD-20261101-88", member=org_admin.pk),
        ],
    )  # fmt: skip
    return products
