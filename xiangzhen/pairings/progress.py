"""Progress of a pairing against its commitments, computed from what is recorded elsewhere.

Nothing here is typed twice: within the pairing's period [start_date, end_date] and the subtree of
its place (one code range), for its organization,
- projects: matches completed (completed or since evaluated), dated by their completion, whose
  demand lies in the place;
- money: disbursements from the organization's funds to a pairing, match, activity or room
  located in the place, plus the money the organization spent directly on its activities there;
- volunteer hours: the hours its members gave on its activities there;
- purchases: what it bought of products whose origin is in the place.

`progress_by_pairing` measures a whole page of pairings with five grouped queries, however many
rows the page has; `pairing_progress` is the same for one pairing (and a period of its own, for
the annual review).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.campaigns.models import Activity, Participation
from xiangzhen.consumption.models import Purchase
from xiangzhen.funds.models import Disbursement
from xiangzhen.matching.models import Match
from xiangzhen.pairings.models import Pairing
from xiangzhen.regions import codes

ZERO = Decimal("0")
KEYS = ("money", "projects", "volunteer_hours", "purchases")
# Decimal places of each figure: the same on SQLite and PostgreSQL whatever their sums return.
EXPONENT = {
    "money": Decimal("0.01"),
    "projects": Decimal(1),
    "volunteer_hours": Decimal("0.1"),
    "purchases": Decimal("0.01"),
}
COMPLETED_MATCH_STATUSES = (Match.Status.COMPLETED, Match.Status.EVALUATED)


def _labels() -> dict[str, tuple[str, str]]:
    return {
        "money": (_("帮扶资金"), _("元")),
        "projects": (_("帮扶项目"), _("个")),
        "volunteer_hours": (_("志愿服务"), _("小时")),
        "purchases": (_("消费帮扶"), _("元")),
    }


@dataclass(frozen=True)
class Figure:
    """One commitment, what was achieved against it and the percentage (None when nothing was committed)."""

    key: str
    commitment: Decimal
    achieved: Decimal

    @property
    def label(self) -> str:
        return _labels()[self.key][0]

    @property
    def unit(self) -> str:
        return _labels()[self.key][1]

    @property
    def percent(self) -> Decimal | None:
        if self.commitment <= 0:
            return None
        return (self.achieved * 100 / self.commitment).quantize(Decimal("0.1"))

    @property
    def bar(self) -> int:
        """The width of a progress bar, 0–100."""
        if self.percent is None:
            return 100 if self.achieved > 0 else 0
        return int(min(self.percent, Decimal(100)))

    def as_dict(self) -> dict[str, Any]:
        percent = self.percent
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "commitment": str(self.commitment),
            "achieved": str(self.achieved),
            "percent": None if percent is None else str(percent),
        }


@dataclass(frozen=True)
class Progress:
    period_start: datetime.date
    period_end: datetime.date
    figures: list[Figure]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def money(self) -> Figure:
        return self.figure("money")

    @property
    def projects(self) -> Figure:
        return self.figure("projects")

    @property
    def volunteer_hours(self) -> Figure:
        return self.figure("volunteer_hours")

    @property
    def purchases(self) -> Figure:
        return self.figure("purchases")

    def as_dict(self) -> dict[str, Any]:
        return {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "figures": [f.as_dict() for f in self.figures],
        }


def commitments(pairing: Pairing) -> dict[str, Decimal]:
    return {
        "money": Decimal(pairing.committed_money),
        "projects": Decimal(pairing.committed_projects),
        "volunteer_hours": Decimal(pairing.committed_volunteer_hours),
        "purchases": Decimal(pairing.committed_purchases),
    }


@dataclass(frozen=True)
class _Target:
    """What one measurement looks at: an organization, a place's code range and a period."""

    key: Any
    organization_id: int
    bounds: tuple[str, str]
    start: datetime.date
    end: datetime.date
    achieved: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    def covers(self, organization_id: int, code: str | None, on: datetime.date) -> bool:
        return (
            organization_id == self.organization_id
            and code is not None
            and self.bounds[0] <= code <= self.bounds[1]
            and self.start <= on <= self.end
        )


def _in_places(path: str, targets: list[_Target]) -> Q:
    condition = Q(pk__in=[])
    for bounds in sorted({t.bounds for t in targets}):
        condition |= Q(**{f"{path}__range": bounds})
    return condition


def _credit(targets: list[_Target], key: str, rows: Iterable[tuple[int, str | None, datetime.date, Any]]) -> None:
    by_organization: dict[int, list[_Target]] = defaultdict(list)
    for target in targets:
        by_organization[target.organization_id].append(target)
    for organization_id, code, on, value in rows:
        for target in by_organization.get(organization_id, []):
            if target.covers(organization_id, code, on):
                target.achieved[key] += Decimal(value or 0)


def _local_day(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the platform's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _measure(targets: list[_Target]) -> None:
    """Fill each target's `achieved`: five grouped queries for all targets together."""
    if not targets:
        return
    organizations = sorted({t.organization_id for t in targets})
    first = min(t.start for t in targets)
    last = max(t.end for t in targets)

    completed = Match.objects.filter(
        organization_id__in=organizations,
        status__in=COMPLETED_MATCH_STATUSES,
        completed_at__gte=_local_day(first),
        completed_at__lt=_local_day(last + datetime.timedelta(days=1)),
    ).filter(_in_places("demand__region__code", targets))
    _credit(
        targets,
        "projects",
        (
            (org, code, timezone.localtime(at).date(), 1)
            for org, code, at in completed.values_list("organization_id", "demand__region_id", "completed_at")
        ),
    )

    place = Coalesce("pairing__region_id", "match__demand__region_id", "activity__region_id", "facility__village_id")
    paid = (
        Disbursement.objects.filter(fund__organization_id__in=organizations, paid_on__range=(first, last))
        .filter(
            _in_places("pairing__region__code", targets)
            | _in_places("match__demand__region__code", targets)
            | _in_places("activity__region__code", targets)
            | _in_places("facility__village__code", targets)
        )
        .annotate(place=place)
        .values_list("fund__organization_id", "place", "paid_on")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    _credit(targets, "money", paid)

    spent = (
        Activity.objects.filter(organization_id__in=organizations, held_on__range=(first, last), money__gt=0)
        .filter(_in_places("region__code", targets))
        .values_list("organization_id", "region_id", "held_on")
        .annotate(total=Sum("money"))
        .order_by()
    )
    _credit(targets, "money", spent)

    hours = (
        Participation.objects.filter(
            activity__organization_id__in=organizations, activity__held_on__range=(first, last)
        )
        .filter(_in_places("activity__region__code", targets))
        .values_list("activity__organization_id", "activity__region_id", "activity__held_on")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    _credit(targets, "volunteer_hours", hours)

    bought = (
        Purchase.objects.filter(buyer_id__in=organizations, purchased_on__range=(first, last))
        .filter(_in_places("product__origin__code", targets))
        .values_list("buyer_id", "product__origin_id", "purchased_on")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    _credit(targets, "purchases", bought)


def _target(pairing: Pairing, start: datetime.date, end: datetime.date) -> _Target:
    return _Target(pairing.pk, pairing.organization_id, codes.subtree_bounds(pairing.region_id), start, end)


def _progress(pairing: Pairing, target: _Target) -> Progress:
    committed = commitments(pairing)
    return Progress(
        target.start,
        target.end,
        [
            Figure(key, committed[key].quantize(EXPONENT[key]), target.achieved[key].quantize(EXPONENT[key]))
            for key in KEYS
        ],
    )


def pairing_progress(
    pairing: Pairing, start: datetime.date | None = None, end: datetime.date | None = None
) -> Progress:
    """Progress of one pairing over its period, or over [start, end] (the annual review's year)."""
    target = _target(pairing, start or pairing.start_date, end or pairing.end_date)
    _measure([target])
    return _progress(pairing, target)


def progress_by_pairing(pairings: Iterable[Pairing]) -> dict[int, Progress]:
    """Progress of every pairing given, over each one's own period, in a fixed number of queries."""
    items = [(p, _target(p, p.start_date, p.end_date)) for p in pairings]
    _measure([t for _, t in items])
    return {p.pk: _progress(p, t) for p, t in items}


def review_period(pairing: Pairing, year: int) -> tuple[datetime.date, datetime.date]:
    """The part of `year` inside the pairing's period (the whole year when the period covers it)."""
    start = max(pairing.start_date, datetime.date(year, 1, 1))
    end = min(pairing.end_date, datetime.date(year, 12, 31))
    return start, max(start, end)
