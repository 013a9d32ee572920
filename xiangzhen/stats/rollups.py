"""Running totals kept by the services, and the recount that proves them.

Each app registers, for each model that counts, a function giving the tallies one record
contributes in its current state (`register`). A service that changes a record takes a
`snapshot` before the change and calls `apply` after it, inside its own transaction: the rollup
rows move by the difference, so a record that changes county, month or status moves its
contribution with it, and a rolled-back change leaves the totals as they were.

`recount` sums the same functions over every record from scratch; `differences` compares that
with the stored rows — the command `rebuild_rollups --check` and the property tests use it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

from xiangzhen.stats.models import Rollup

Key = tuple[str, str, datetime.date, str]
Sums = dict[Key, Decimal]


@dataclass(frozen=True)
class Tally:
    metric: str
    region_code: str
    on: datetime.date
    value: Decimal | int = 1
    dimension: str = ""

    @property
    def key(self) -> Key:
        return (self.metric, rollup_region(self.region_code), self.on.replace(day=1), self.dimension)


TallyFunction = Callable[[Any], Iterable[Tally]]
_registry: dict[type[models.Model], TallyFunction] = {}


def register(model: type[models.Model], tallies: TallyFunction) -> None:
    _registry[model] = tallies


def rollup_region(code: str) -> str:
    """The county a region lies in (its own code above county level): the grain rollups keep."""
    if code[6:] == "000000":
        return code
    return code[:6] + "000000"


def _sums(tallies: Iterable[Tally]) -> Sums:
    sums: defaultdict[Key, Decimal] = defaultdict(Decimal)
    for tally in tallies:
        sums[tally.key] += Decimal(tally.value)
    return sums


def snapshot(instance: models.Model) -> Sums:
    """What `instance` contributes now (nothing if it is not saved yet); call it before changing it."""
    if instance.pk is None:
        return {}
    return dict(_sums(_registry[type(instance)](instance)))


def apply(instance: models.Model, before: Sums | None = None) -> None:
    """Move the totals from `before` (a snapshot) to what `instance` contributes now."""
    after = _sums(_registry[type(instance)](instance))
    delta: defaultdict[Key, Decimal] = defaultdict(Decimal)
    for key, value in after.items():
        delta[key] += value
    for key, value in (before or {}).items():
        delta[key] -= value
    for key, value in sorted(delta.items()):
        if value:
            _add(key, value)


def _add(key: Key, value: Decimal) -> None:
    metric, region_code, month, dimension = key
    rows = Rollup.objects.filter(metric=metric, region_code=region_code, month=month, dimension=dimension)
    if rows.update(value=F("value") + value):
        return
    try:
        with transaction.atomic():
            Rollup.objects.create(metric=metric, region_code=region_code, month=month, dimension=dimension, value=value)
    except IntegrityError:
        # Another transaction created the row first; add to theirs.
        rows.update(value=F("value") + value)


def recount() -> Sums:
    """Every registered model's contributions, summed from the records themselves."""
    sums: defaultdict[Key, Decimal] = defaultdict(Decimal)
    for model, tallies in _registry.items():
        for instance in _all(model):
            for tally in tallies(instance):
                sums[tally.key] += Decimal(tally.value)
    return {key: value for key, value in sums.items() if value}


def _all(model: type[models.Model]) -> Iterator[models.Model]:
    return model._default_manager.order_by("pk").iterator(chunk_size=2000)


def stored() -> Sums:
    return {
        (row.metric, row.region_code, row.month, row.dimension): row.value
        for row in Rollup.objects.exclude(value=0).iterator(chunk_size=5000)
    }


def differences(limit: int = 20) -> list[str]:
    """The first `limit` keys where stored and recounted totals differ, in words; empty if they agree."""
    expected, actual = recount(), stored()
    lines = []
    for key in sorted(set(expected) | set(actual)):
        if expected.get(key, Decimal(0)) != actual.get(key, Decimal(0)):
            metric, region_code, month, dimension = key
            lines.append(
                f"{metric} {region_code} {month:%Y-%m} {dimension or '-'}: "
                f"汇总表 {actual.get(key, 0)}，重新统计 {expected.get(key, 0)}"
            )
            if len(lines) >= limit:
                break
    return lines


@transaction.atomic
def rebuild() -> int:
    """Replace every rollup row by the recount; returns the number of rows written."""
    sums = recount()
    Rollup.objects.all().delete()
    Rollup.objects.bulk_create(
        (Rollup(metric=m, region_code=r, month=mo, dimension=d, value=v) for (m, r, mo, d), v in sorted(sums.items())),
        batch_size=5000,
    )
    return len(sums)
