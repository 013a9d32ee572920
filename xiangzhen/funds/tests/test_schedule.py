from datetime import date

from xiangzhen.funds.schedule import add_months, fund_due, project_due


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_long_project_discloses_every_three_months():
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    due = project_due(start, end, None, False, today=date(2026, 2, 1))
    assert (due.state, due.due_on, due.final) == ("ok", date(2026, 4, 1), False)
    assert project_due(start, end, None, False, today=date(2026, 3, 25)).state == "due"
    assert project_due(start, end, None, False, today=date(2026, 4, 2)).state == "overdue"
    after_first = project_due(start, end, date(2026, 3, 31), False, today=date(2026, 4, 2))
    assert (after_first.state, after_first.due_on, after_first.period_start) == (
        "ok",
        date(2026, 6, 30),
        date(2026, 4, 1),
    )


def test_short_project_discloses_once_within_three_months_of_its_end():
    due = project_due(date(2026, 1, 1), date(2026, 5, 31), None, False, today=date(2026, 2, 1))
    assert (due.due_on, due.final) == (date(2026, 8, 31), True)
    assert (
        project_due(date(2026, 1, 1), date(2026, 5, 31), date(2026, 5, 31), True, today=date(2027, 1, 1)).state
        == "done"
    )


def test_fund_discloses_quarterly_and_once_after_closing():
    assert fund_due(date(2026, 1, 10), None, None, today=date(2026, 5, 1)).state == "overdue"
    closed = fund_due(date(2026, 1, 10), date(2026, 6, 1), date(2026, 3, 31), today=date(2026, 6, 2))
    assert (closed.due_on, closed.final) == (date(2026, 9, 1), True)
    assert fund_due(date(2026, 1, 10), date(2026, 6, 1), date(2026, 6, 1), today=date(2026, 6, 2)).state == "done"
