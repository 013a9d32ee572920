"""Records that evaluation measures, for tests: written straight to the other apps' tables (or through
their services where the record needs its ledger), with the dates a test chooses."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xiangzhen.campaigns.models import Activity, Campaign, Participation
from xiangzhen.consumption.models import Product, Purchase, PurchaseBatch
from xiangzhen.core.models import Attachment
from xiangzhen.evaluation import services
from xiangzhen.facilities.models import Facility
from xiangzhen.matching.models import Match, MatchEvaluation, MatchMilestone
from xiangzhen.matching.tests.factories import MatchFactory
from xiangzhen.pairings.models import Pairing

HUNAN = "430000000000"
SHIBADONG = "433124110226"
_serial = iter(range(1, 10**6))


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def match(
    organization: Any,
    *,
    status: str,
    confirmed: datetime.date | None = None,
    completed: datetime.date | None = None,
    people: int = 10,
    report: str = "已完成",
) -> Match:
    """A match of the organization with the given confirmation and completion dates."""
    return MatchFactory(
        organization=organization,
        status=status,
        confirmed_at=moment(confirmed) if confirmed else None,
        completed_at=moment(completed) if completed else None,
        people_to_serve=people,
        completion_report=report if completed else "",
    )


def evaluation(of: Match, *, score: int, on: datetime.date, side: str = "demand", by: Any = None) -> MatchEvaluation:
    made = MatchEvaluation.objects.create(match=of, by_side=side, score=score, evaluated_by=by or of.proposed_by)
    MatchEvaluation.objects.filter(pk=made.pk).update(evaluated_at=moment(on))
    return made


def milestone(of: Match, *, due: datetime.date, done: datetime.date | None) -> MatchMilestone:
    return MatchMilestone.objects.create(match=of, title="节点", due_date=due, done_on=done, created_by=of.proposed_by)


def document(owner: Any, by: Any) -> Attachment:
    return Attachment.objects.create(
        owner_type=owner._meta.label_lower,
        owner_id=str(owner.pk),
        file="attachments/report.pdf",
        original_name="report.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=by,
    )


def campaign(by: Any, region: str = "433124000000") -> Campaign:
    n = next(_serial)
    return Campaign.objects.create(
        number=f"XD-433124-2025-{n:06d}",
        kind=Campaign.Kind.RELIEF,
        name=f"扶弱济困助振兴{n}",
        region_id=region,
        description="行动方案",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        status=Campaign.Status.PUBLISHED,
        created_by=by,
    )


def activity(
    organization: Any,
    by: Any,
    *,
    held: datetime.date,
    recorded: datetime.date,
    people: int = 20,
    hours: list[str] | None = None,
    volunteers: list[Any] | None = None,
) -> Activity:
    n = next(_serial)
    made = Activity.objects.create(
        number=f"HD-433124-2025-{n:06d}",
        campaign=campaign(by),
        organization=organization,
        title=f"活动{n}",
        held_on=held,
        region_id=SHIBADONG,
        description="到村服务",
        people_served=people,
        recorded_by=by,
    )
    Activity.objects.filter(pk=made.pk).update(recorded_at=moment(recorded))
    for user, value in zip(volunteers or [], hours or [], strict=True):
        Participation.objects.create(activity=made, user=user, hours=Decimal(value))
    return made


def purchase(organization: Any, by: Any, *, amount: str, on: datetime.date) -> Purchase:
    n = next(_serial)
    product = Product.objects.create(
        number=f"CP-433124-2025-{n:06d}",
        name="十八洞猕猴桃",
        producer_name="十八洞村合作社",
        producer_kind=Product.ProducerKind.COOPERATIVE,
        origin_id=SHIBADONG,
        category=Product.Category.FRUIT_VEGETABLE,
        unit="箱",
        price=Decimal("100"),
        created_by=by,
    )
    batch = PurchaseBatch.objects.create(
        number=f"CG-433124-2025-{n:06d}",
        organization=organization,
        source=PurchaseBatch.Source.FORM,
        purchase_count=1,
        total_amount=Decimal(amount),
        recorded_by=by,
    )
    return Purchase.objects.create(
        number=f"GM-433124-2025-{n:06d}",
        batch=batch,
        product=product,
        buyer=organization,
        quantity=Decimal(1),
        amount=Decimal(amount),
        purchased_on=on,
        channel=Purchase.Channel.DIRECT,
        invoice_number=f"FP{n}",
        recorded_by=by,
    )


def pairing(
    organization: Any,
    by: Any,
    *,
    status: str,
    start: datetime.date,
    end: datetime.date,
    ended: datetime.date | None = None,
) -> Pairing:
    n = next(_serial)
    return Pairing.objects.create(
        number=f"JD-433124-2025-{n:06d}",
        organization=organization,
        region_id=SHIBADONG,
        origin=Pairing.Origin.ORGANIZATION,
        status=status,
        start_date=start,
        end_date=end,
        proposed_by=by,
        confirmed_at=moment(start),
        confirmed_by=by,
        ended_at=moment(ended) if ended else None,
    )


def facility(
    organization: Any, by: Any, *, status: str, opened: datetime.date | None, closed: datetime.date | None = None
) -> Facility:
    n = next(_serial)
    return Facility.objects.create(
        number=f"XW-433124-2025-{n:06d}",
        kind=Facility.Kind.READING_ROOM,
        name=f"阅读小屋{n}",
        village_id=SHIBADONG,
        builder=organization,
        status=status,
        opened_on=opened,
        closed_on=closed,
        created_by=by,
        close_reason="停用" if closed else "",
    )


def matrix_world() -> dict[str, Any]:
    """湖南's default indicators and this year's scores (the world's organization is scored)."""
    services.seed_default_indicators(actor=None, province_codes=[HUNAN])
    year = timezone.localdate().year
    services.compute_scores(actor=None, province_code=HUNAN, year=year)
    from xiangzhen.evaluation.models import Indicator

    return {
        "indicator_id": Indicator.objects.get(province_id=HUNAN, code="timeliness").pk,
        "year": year,
    }
