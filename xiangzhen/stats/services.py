"""The rollup table's writes, for `stats.rollups` (which the other apps' services call inside their
own transactions) and for the `rebuild_rollups` command."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from xiangzhen.stats.models import Rollup

Key = tuple[str, str, datetime.date, str]


def add_to_rollup(key: Key, value: Decimal) -> None:
    """Add `value` to one running total, creating its row the first time."""
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


@transaction.atomic
def replace_rollups(sums: dict[Key, Decimal]) -> int:
    """Replace every rollup row by `sums` (a recount); returns the number of rows written."""
    Rollup.objects.all().delete()
    Rollup.objects.bulk_create(
        (Rollup(metric=m, region_code=r, month=mo, dimension=d, value=v) for (m, r, mo, d), v in sorted(sums.items())),
        batch_size=5000,
    )
    return len(sums)
