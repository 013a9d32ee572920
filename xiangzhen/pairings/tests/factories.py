"""Pairings for tests and the records their progress is computed from, written straight to the
tables of the apps that own them (matches, disbursements, activities, purchases)."""

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xiangzhen.campaigns.models import Activity, Campaign, Participation
from xiangzhen.consumption.models import Product, Purchase, PurchaseBatch
from xiangzhen.funds.models import Disbursement, Fund, JournalEntry
from xiangzhen.matching.models import Match
from xiangzhen.pairings import services
from xiangzhen.pairings.models import Pairing
from xiangzhen.pairings.validation import PairingData

SHIBADONG = "433124110226"  # 十八洞村, 双龙镇, 花垣县
SHUANGLONG = "433124110000"  # 双龙镇
HUAYUAN = "433124000000"
NEIGHBOUR = "433124110227"  # 张刀村, also in 双龙镇
LONGTAN_VILLAGE = "433124102200"  # 龙门村, 龙潭镇 — in 花垣县, not in 双龙镇
FENGHUANG_VILLAGE = "433123101201"  # 瓦场村, 凤凰县

_seq = itertools.count(1)


def pairing_data(**changes: Any) -> PairingData:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "region_code": SHIBADONG,
        "start_date": today - datetime.timedelta(days=30),
        "end_date": today + datetime.timedelta(days=700),
        "committed_money": "100000",
        "committed_projects": 2,
        "committed_volunteer_hours": "200",
        "committed_purchases": "50000",
        "note": "发展猕猴桃产业，开展留守儿童关爱。",
    }
    values.update(changes)
    return PairingData(**values)


def proposed(organization: Any, org_admin: Any, **changes: Any) -> Pairing:
    return services.propose_pairing(actor=org_admin, organization=organization, data=pairing_data(**changes))


def active(organization: Any, org_admin: Any, county_official: Any, **changes: Any) -> Pairing:
    pairing = proposed(organization, org_admin, **changes)
    return services.confirm_pairing(actor=county_official, pairing=pairing)


# ---------------------------------------------------------------- the records progress is computed from


def completed_match(organization: Any, region_code: str, completed_on: datetime.date) -> Match:
    from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory

    moment = timezone.make_aware(datetime.datetime.combine(completed_on, datetime.time(10, 0)))
    return MatchFactory(  # type: ignore[no-any-return]
        demand=DemandFactory(region_id=region_code, status="completed"),
        organization=organization,
        status=Match.Status.COMPLETED,
        completed_at=moment,
    )


def fund_of(organization: Any, user: Any) -> Fund:
    return Fund.objects.create(
        number=f"JJ-433124-2026-8{next(_seq):05d}", organization=organization, name="测试基金",
        founder_kind=Fund.FounderKind.ENTERPRISE, founder_name="某公司", purpose="测试",
        status=Fund.Status.ACTIVE, activated_at=timezone.now(), created_by=user,
    )  # fmt: skip


def disbursement(fund: Fund, amount: str, paid_on: datetime.date, **target: Any) -> Disbursement:
    entry = JournalEntry.objects.create(fund=fund, posted_on=paid_on, memo="拨付")
    return Disbursement.objects.create(  # type: ignore[no-any-return]
        number=f"BF-433124-2026-8{next(_seq):05d}", fund=fund, amount=Decimal(amount), paid_on=paid_on,
        payee="村委会", purpose="测试", entry=entry, **target,
    )  # fmt: skip


def campaign(user: Any) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        number=f"ZX-430000-2026-8{next(_seq):05d}", kind=Campaign.Kind.PAIRING, name="结对帮扶助振兴",
        region_id="430000000000", description="测试", start_date=today - datetime.timedelta(days=400),
        end_date=today + datetime.timedelta(days=400), status=Campaign.Status.PUBLISHED, created_by=user,
    )  # fmt: skip


def activity(
    organization: Any, user: Any, region_code: str, held_on: datetime.date, money: str = "0", hours: Any = ()
) -> Activity:
    """An activity with each (member, hours) of `hours` taking part."""
    record = Activity.objects.create(
        number=f"HD-433124-2026-8{next(_seq):05d}", campaign=campaign(user), organization=organization,
        title="关爱留守儿童", held_on=held_on, region_id=region_code, description="测试", money=Decimal(money),
        recorded_by=user,
    )  # fmt: skip
    for member, given in hours:
        Participation.objects.create(activity=record, user=member, hours=Decimal(given))
    return record


def purchase(organization: Any, user: Any, origin: str, amount: str, purchased_on: datetime.date) -> Purchase:
    product = Product.objects.create(
        number=f"CP-433124-2026-8{next(_seq):05d}", name="十八洞猕猴桃", producer_name="十八洞村合作社",
        producer_kind=Product.ProducerKind.COOPERATIVE, origin_id=origin, category=Product.Category.FRUIT_VEGETABLE,
        unit="箱", price=Decimal("80"), created_by=user,
    )  # fmt: skip
    batch = PurchaseBatch.objects.create(
        number=f"PC-433124-2026-8{next(_seq):05d}", organization=organization, source=PurchaseBatch.Source.FORM,
        purchase_count=1, total_amount=Decimal(amount), recorded_by=user,
    )  # fmt: skip
    return Purchase.objects.create(  # type: ignore[no-any-return]
        number=f"CG-433124-2026-8{next(_seq):05d}", batch=batch, product=product, buyer=organization,
        quantity=Decimal(1), amount=Decimal(amount), purchased_on=purchased_on, channel=Purchase.Channel.DIRECT,
        invoice_number=f"FP{next(_seq)}", recorded_by=user,
    )  # fmt: skip


def matrix_world(organization: Any, org_admin: Any, county_official: Any) -> dict[str, Any]:
    """An active pairing of the 花垣县 organization with 十八洞村, through the services."""
    pairing = active(organization, org_admin, county_official)
    return {"pairing_id": pairing.pk}
