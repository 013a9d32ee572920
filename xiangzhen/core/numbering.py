"""Human-readable numbers: `PREFIX-<region>-<year>-<seq>`, gapless per prefix, region and year.

The counter row is incremented with an UPDATE inside the caller's transaction, which holds the
row lock until commit: concurrent callers queue, and a rolled-back record gives its number back.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xiangzhen.core.models import Counter


def next_value(key: str) -> int:
    with transaction.atomic():
        if not Counter.objects.filter(key=key).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, value=1)
                return 1
            except IntegrityError:
                # Another transaction created it first; increment theirs.
                Counter.objects.filter(key=key).update(value=F("value") + 1)
        return Counter.objects.get(key=key).value


def next_number(prefix: str, region_code: str, digits: int = 6) -> str:
    """E.g. next_number("XQ", "433124110226") → "XQ-433124-2026-000001" (the county part of the code)."""
    year = timezone.localdate().year
    county = region_code[:6]
    value = next_value(f"{prefix}-{county}-{year}")
    return f"{prefix}-{county}-{year}-{value:0{digits}d}"
