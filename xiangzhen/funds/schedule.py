"""When a disclosure is due (charity law art. 73 and 慈善中国 practice). Pure: dates in, dates out.

- A project running longer than six months discloses at least every three months: the next
  disclosure is due three months after the end of the last disclosed period (or the start).
- Every project discloses in full within three months after it ends (a final disclosure).
- A fund, which has no end while active, discloses every three months from its approval; a closed
  fund once more within three months of closing.
“Due” starts `REMIND_DAYS` before the due date; after it the disclosure is overdue.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

REMIND_DAYS = 14
PERIOD_MONTHS = 3
LONG_PROJECT_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    state: str  # "ok", "due", "overdue" or "done"
    due_on: date | None
    period_start: date | None  # the period the next disclosure covers
    period_end: date | None
    final: bool = False

    @property
    def label(self) -> str:
        return {"ok": "按期", "due": "即将到期", "overdue": "已逾期", "done": "已完成结项公开"}[self.state]


def _state(due_on: date, today: date) -> str:
    if today > due_on:
        return "overdue"
    if today >= due_on - timedelta(days=REMIND_DAYS):
        return "due"
    return "ok"


def project_due(start: date, end: date, last_period_end: date | None, final_done: bool, today: date) -> Due:
    if final_done:
        return Due("done", None, None, None)
    final_due = add_months(end, PERIOD_MONTHS)
    since = last_period_end + timedelta(days=1) if last_period_end else start
    if add_months(start, LONG_PROJECT_MONTHS) < end:
        periodic_due = add_months(last_period_end or start, PERIOD_MONTHS)
        if periodic_due < end:
            return Due(_state(periodic_due, today), periodic_due, since, periodic_due)
    return Due(_state(final_due, today), final_due, since, end, final=True)


def fund_due(activated_on: date, closed_on: date | None, last_period_end: date | None, today: date) -> Due:
    since = last_period_end + timedelta(days=1) if last_period_end else activated_on
    if closed_on is not None:
        if last_period_end is not None and last_period_end >= closed_on:
            return Due("done", None, None, None)
        due_on = add_months(closed_on, PERIOD_MONTHS)
        return Due(_state(due_on, today), due_on, since, closed_on, final=True)
    due_on = add_months(last_period_end or activated_on, PERIOD_MONTHS)
    return Due(_state(due_on, today), due_on, since, due_on)
