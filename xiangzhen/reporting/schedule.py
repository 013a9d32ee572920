"""Reporting periods and due dates from a schedule's data. Pure date arithmetic, no database.

A period is a calendar quarter, half-year or year. The due date is the `due_day` of the
`due_month`-th month counted from the period's first month (3 = a quarter's last month; 7 = the
month after a half-year), the day clamped to the month's length; a report is on time when it is
first submitted on or before that day (Asia/Shanghai).
"""

import calendar
import datetime
from dataclasses import dataclass

MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12}
INDEX_LABEL = {
    "quarterly": ["第一季度", "第二季度", "第三季度", "第四季度"],
    "half_yearly": ["上半年", "下半年"],
    "yearly": ["全年"],
}


@dataclass(frozen=True)
class Period:
    year: int
    index: int  # 1-based within the year
    start: datetime.date
    end: datetime.date
    due_date: datetime.date
    label: str


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


def period(frequency: str, year: int, index: int, due_month: int, due_day: int) -> Period:
    """The `index`-th period of `year` (1-based) with its due date."""
    length = MONTHS[frequency]
    if not 1 <= index <= 12 // length:
        raise ValueError(f"period index {index} out of range for {frequency}")
    first_month = (index - 1) * length + 1
    start = datetime.date(year, first_month, 1)
    end_year, end_month = _add_months(year, first_month, length - 1)
    end = datetime.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    due_year, due_m = _add_months(year, first_month, due_month - 1)
    day = min(due_day, calendar.monthrange(due_year, due_m)[1])
    label = f"{year}年{INDEX_LABEL[frequency][index - 1]}"
    return Period(year, index, start, end, datetime.date(due_year, due_m, day), label)


def period_on(frequency: str, day: datetime.date, due_month: int, due_day: int) -> Period:
    """The period that contains `day`."""
    index = (day.month - 1) // MONTHS[frequency] + 1
    return period(frequency, day.year, index, due_month, due_day)


def previous(frequency: str, current: Period, due_month: int, due_day: int) -> Period:
    """The period just before `current` (across the year end)."""
    if current.index > 1:
        return period(frequency, current.year, current.index - 1, due_month, due_day)
    return period(frequency, current.year - 1, 12 // MONTHS[frequency], due_month, due_day)
