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
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db import models
from django.db.models import Q

from xiangzhen.stats import services
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
# For models whose tallies always fall in the region a field names (a lookup to a region code), or
# in one of the regions several fields name, figures below county read only that subtree's records
# instead of all of them.
_region_fields: dict[type[models.Model], tuple[str, ...]] = {}
# How to read many records at once for a recount: the columns and joins the tally function needs
# (so a recount over a million demands neither decrypts personal fields nor queries per record).
Prepare = Callable[["models.QuerySet[Any]"], "models.QuerySet[Any]"]
_prepare: dict[type[models.Model], Prepare] = {}


def register(
    model: type[models.Model],
    tallies: TallyFunction,
    *,
    region_field: str | tuple[str, ...] | None = None,
    prepare: Prepare | None = None,
) -> None:
    """Count `model` with `tallies`. `region_field` is the lookup to the region code every tally
    falls in, or several lookups when that depends on the record (a tally in any one of them).
    `prepare` loads with the records what `tallies` reads, so tallying many makes no query per record."""
    _registry[model] = tallies
    if region_field:
        _region_fields[model] = (region_field,) if isinstance(region_field, str) else region_field
    if prepare is not None:
        _prepare[model] = prepare


def registered() -> dict[type[models.Model], TallyFunction]:
    return dict(_registry)


def records(model: type[models.Model], bounds: tuple[str, str]) -> Iterator[models.Model]:
    """The records of `model` whose tallies may fall in the code range `bounds` (all of them when
    the model did not say where its tallies fall)."""
    queryset = _queryset(model)
    if model in _region_fields:
        queryset = queryset.filter(
            reduce(operator.or_, (Q(**{f"{field}__range": bounds}) for field in _region_fields[model]))
        )
    return queryset.iterator(chunk_size=2000)


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
            services.add_to_rollup(key, value)


def recount() -> Sums:
    """Every registered model's contributions, summed from the records themselves."""
    sums: defaultdict[Key, Decimal] = defaultdict(Decimal)
    for model, tallies in _registry.items():
        for instance in _all(model):
            for tally in tallies(instance):
                sums[tally.key] += Decimal(tally.value)
    return {key: value for key, value in sums.items() if value}


def _queryset(model: type[models.Model]) -> "models.QuerySet[Any]":
    queryset = model._default_manager.order_by("pk")
    if model in _prepare:
        queryset = _prepare[model](queryset)
    return queryset


def _all(model: type[models.Model]) -> Iterator[models.Model]:
    return _queryset(model).iterator(chunk_size=2000)


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


def rebuild() -> int:
    """Replace every rollup row by the recount; returns the number of rows written."""
    return services.replace_rollups(recount())
