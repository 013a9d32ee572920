import datetime

import pytest

from xiangzhen.reporting import schedule as dates
from xiangzhen.reporting.models import ReportingSchedule
from xiangzhen.reporting.services import periods_due_on

D = datetime.date


def test_shanxi_quarters_are_due_the_20th_of_their_last_month():
    due = [dates.period("quarterly", 2026, i, 3, 20).due_date for i in (1, 2, 3, 4)]
    assert due == [D(2026, 3, 20), D(2026, 6, 20), D(2026, 9, 20), D(2026, 12, 20)]


def test_hunan_half_years_are_due_early_june_and_early_december():
    first, second = (dates.period("half_yearly", 2026, i, 6, 10) for i in (1, 2))
    assert (first.start, first.end, first.due_date, first.label) == (
        D(2026, 1, 1),
        D(2026, 6, 30),
        D(2026, 6, 10),
        "2026年上半年",
    )
    assert (second.start, second.end, second.due_date) == (D(2026, 7, 1), D(2026, 12, 31), D(2026, 12, 10))


@pytest.mark.parametrize(
    ("frequency", "day", "due_month", "due_day", "expected"),
    [
        # Across the year end: the last days of December belong to Q4 / H2, the first of January to the new year.
        ("quarterly", D(2026, 12, 31), 3, 20, (2026, 4, D(2026, 12, 20))),
        ("quarterly", D(2027, 1, 1), 3, 20, (2027, 1, D(2027, 3, 20))),
        ("half_yearly", D(2026, 12, 31), 6, 10, (2026, 2, D(2026, 12, 10))),
        ("half_yearly", D(2027, 1, 1), 6, 10, (2027, 1, D(2027, 6, 10))),
        # A due month after the period: Q4's report due 15 January of the next year.
        ("quarterly", D(2026, 11, 5), 4, 15, (2026, 4, D(2027, 1, 15))),
        # The day is clamped to the month: the 31st of a quarter's 2nd month in a leap year.
        ("quarterly", D(2028, 1, 5), 2, 31, (2028, 1, D(2028, 2, 29))),
        ("yearly", D(2026, 5, 5), 12, 31, (2026, 1, D(2026, 12, 31))),
    ],
)
def test_period_on_a_day(frequency, day, due_month, due_day, expected):
    p = dates.period_on(frequency, day, due_month, due_day)
    assert (p.year, p.index, p.due_date) == expected
    assert p.start <= day <= p.end


def test_previous_period_crosses_the_year_end():
    first = dates.period("quarterly", 2027, 1, 3, 20)
    prev = dates.previous("quarterly", first, 3, 20)
    assert (prev.year, prev.index, prev.start, prev.end) == (2026, 4, D(2026, 10, 1), D(2026, 12, 31))


def test_a_schedule_due_after_its_period_keeps_the_previous_period_open_until_due():
    schedule = ReportingSchedule(frequency="quarterly", due_month=4, due_day=15)
    assert [(p.year, p.index) for p in periods_due_on(schedule, D(2027, 1, 10))] == [(2026, 4), (2027, 1)]
    assert [(p.year, p.index) for p in periods_due_on(schedule, D(2027, 1, 16))] == [(2027, 1)]
    hunan = ReportingSchedule(frequency="half_yearly", due_month=6, due_day=10)
    assert [(p.year, p.index) for p in periods_due_on(hunan, D(2027, 1, 2))] == [(2027, 1)]
