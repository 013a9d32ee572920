"""The periods a dashboard offers: a month, a quarter, a half-year or a year — always whole months,
so every figure can come from the monthly rollups."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KINDS = {
    "month": (_("月度"), 1),
    "quarter": (_("季度"), 3),
    "half": (_("半年"), 6),
    "year": (_("年度"), 12),
}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    part: int  # 1-based: month 1–12, quarter 1–4, half 1–2, year 1

    @property
    def start(self) -> datetime.date:
        months = KINDS[self.kind][1]
        return datetime.date(self.year, (self.part - 1) * months + 1, 1)

    @property
    def end(self) -> datetime.date:
        months = KINDS[self.kind][1]
        last_month = self.part * months
        if last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        values = {"year": self.year, "part": self.part}
        if self.kind == "month":
            return gettext("%(year)s年%(part)s月") % values
        if self.kind == "quarter":
            return gettext("%(year)s年第%(part)s季度") % values
        if self.kind == "half":
            return (gettext("%(year)s年上半年") if self.part == 1 else gettext("%(year)s年下半年")) % values
        return gettext("%(year)s年") % values

    def months(self) -> list[datetime.date]:
        first = self.start
        return [datetime.date(first.year, first.month + i, 1) for i in range(KINDS[self.kind][1])]


def parts(kind: str) -> int:
    return 12 // KINDS[kind][1]


def current(kind: str, today: datetime.date) -> Period:
    return Period(kind, today.year, (today.month - 1) // KINDS[kind][1] + 1)


def parse(kind: str | None, year: str | None, part: str | None, today: datetime.date) -> Period:
    """The period a query string names; this year (or the current month, quarter, half) when it
    names none or one that does not exist."""
    kind = kind if kind in KINDS else "year"
    default = current(kind, today)
    try:
        y = int(year) if year else default.year
        p = int(part) if part else default.part
    except ValueError:
        return default
    if not (2000 <= y <= 2100 and 1 <= p <= parts(kind)):
        return default
    return Period(kind, y, p)
