"""The double-entry ledger of a fund: posting balanced entries, and balances summed from lines.

Accounts (one set per fund, created on first use):
- asset ""            货币资金: money the fund holds (debit balance);
- net_assets ""       unrestricted net assets; net_assets "<purpose>" restricted to a purpose;
- expense "<purpose>" what was paid out of the net assets of the same purpose ("" = unrestricted).

A donation debits the asset and credits the net assets of its restriction. A disbursement credits
the asset and debits the expense of each purpose it draws from. A refund of a donation debits the
net assets of the donation's restriction and credits the asset (the donation's own entry is never
touched). So the money still available for a
purpose is its net assets less its expense, and nothing is ever stored as a balance. The entries
are written by `services.post_entry`, inside the caller's transaction, after the fund row is locked.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from xiangzhen.funds.models import Account, Fund, FundProject, JournalEntry, JournalLine

ZERO = Decimal("0.00")
UNRESTRICTED = ""
ASSET = Account.Kind.ASSET
NET_ASSETS = Account.Kind.NET_ASSETS
EXPENSE = Account.Kind.EXPENSE


class UnbalancedEntry(ValueError):
    """A programming error: an entry whose debits and credits differ is never written."""


def project_purpose(project: FundProject) -> str:
    return f"project:{project.number}"


def domain_purpose(code: str) -> str:
    return f"domain:{code}"


def purpose_label(purpose: str) -> str:
    """A purpose as people read it: 非限定, 项目 JX-…, 教育领域."""
    from xiangzhen.core.models import Domain

    kind, _, value = purpose.partition(":")
    if kind == "project":
        return f"项目 {value}"
    if kind == "domain":
        name = Domain.objects.filter(code=value).values_list("name", flat=True).first()
        return f"{name or value}领域"
    return "非限定"


@dataclass(frozen=True)
class Line:
    kind: str
    purpose: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


def check_balanced(lines: list[Line]) -> None:
    """UnbalancedEntry unless there are lines, each one-sided and positive, and debits equal credits."""
    if not lines:
        raise UnbalancedEntry("an entry needs lines")
    for line in lines:
        one_sided = (line.debit > 0 and line.credit == 0) or (line.debit == 0 and line.credit > 0)
        if not one_sided:
            raise UnbalancedEntry(f"line {line} must have exactly one positive side")
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    if debits != credits:
        raise UnbalancedEntry(f"debits {debits} ≠ credits {credits}")


def donation_lines(amount: Decimal, purpose: str) -> list[Line]:
    return [Line(ASSET, UNRESTRICTED, debit=amount), Line(NET_ASSETS, purpose, credit=amount)]


def refund_lines(amount: Decimal, purpose: str) -> list[Line]:
    return [Line(NET_ASSETS, purpose, debit=amount), Line(ASSET, UNRESTRICTED, credit=amount)]


def disbursement_lines(draws: list[tuple[str, Decimal]]) -> list[Line]:
    total = sum((amount for _, amount in draws), ZERO)
    return [
        *(Line(EXPENSE, purpose, debit=amount) for purpose, amount in draws),
        Line(ASSET, UNRESTRICTED, credit=total),
    ]


# ---------------------------------------------------------------- reading


def _lines(fund: Fund) -> "QuerySet[JournalLine]":
    return JournalLine.objects.filter(entry__fund=fund)


def _sums(lines: "QuerySet[JournalLine]") -> dict[tuple[str, str], Decimal]:
    """(kind, purpose) → debit − credit."""
    rows = lines.values("account__kind", "account__purpose").annotate(d=Sum("debit"), c=Sum("credit")).order_by()
    return {(r["account__kind"], r["account__purpose"]): (r["d"] or ZERO) - (r["c"] or ZERO) for r in rows}


def available_by_purpose(fund: Fund, until: date | None = None) -> dict[str, Decimal]:
    """Per purpose ("" = unrestricted): net assets received less what was paid out of them."""
    lines = _lines(fund)
    if until is not None:
        lines = lines.filter(entry__posted_on__lte=until)
    available: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (kind, purpose), balance in _sums(lines).items():
        if kind == NET_ASSETS:
            available[purpose] += -balance
        elif kind == EXPENSE:
            available[purpose] -= balance
    return dict(available)


def draw_plan(
    available: dict[str, Decimal], compatible: list[str], amount: Decimal
) -> list[tuple[str, Decimal]] | None:
    """Which purposes pay `amount`: the compatible restricted money first (it may serve nothing
    else), then unrestricted. None when together they do not cover it."""
    plan: list[tuple[str, Decimal]] = []
    remaining = amount
    for purpose in [*compatible, UNRESTRICTED]:
        have = available.get(purpose, ZERO)
        if remaining <= 0:
            break
        if have > 0:
            take = min(have, remaining)
            plan.append((purpose, take))
            remaining -= take
    return plan if remaining <= 0 else None


@dataclass(frozen=True)
class Totals:
    income: Decimal
    expense: Decimal
    balance: Decimal


def totals(fund: Fund, start: date | None = None, end: date | None = None) -> Totals:
    """Money in (donations less refunds) and out of the fund (in a period, if given) and the money
    held at its end."""
    lines = _lines(fund)
    period = lines
    if start is not None:
        period = period.filter(entry__posted_on__gte=start)
    if end is not None:
        period = period.filter(entry__posted_on__lte=end)
        lines = lines.filter(entry__posted_on__lte=end)
    received = period.filter(account__kind=NET_ASSETS).aggregate(c=Sum("credit"), d=Sum("debit"))
    income = (received["c"] or ZERO) - (received["d"] or ZERO)
    expense = period.filter(account__kind=EXPENSE).aggregate(s=Sum("debit"))["s"] or ZERO
    held = _sums(lines.filter(account__kind=ASSET)).get((ASSET, UNRESTRICTED), ZERO)
    return Totals(income=money(income), expense=money(expense), balance=money(held))


def project_totals(project: FundProject, start: date | None = None, end: date | None = None) -> Totals:
    """A project's period: donations restricted to it less their refunds, disbursements made to it
    (from whatever purpose), and the restricted money it still has at the end."""
    lines = _lines(project.fund)
    period = lines
    if start is not None:
        period = period.filter(entry__posted_on__gte=start)
    if end is not None:
        period = period.filter(entry__posted_on__lte=end)
    donated = period.filter(account__kind=NET_ASSETS, entry__donation__restricted_project=project)
    refunded = period.filter(account__kind=NET_ASSETS, entry__refund__donation__restricted_project=project)
    income = (donated.aggregate(s=Sum("credit"))["s"] or ZERO) - (refunded.aggregate(s=Sum("debit"))["s"] or ZERO)
    expense = (
        period.filter(account__kind=EXPENSE, entry__disbursement__project=project).aggregate(s=Sum("debit"))["s"]
        or ZERO
    )
    remaining = available_by_purpose(project.fund, until=end).get(project_purpose(project), ZERO)
    return Totals(income=money(income), expense=money(expense), balance=money(remaining))


def unbalanced_entries(fund: Fund | None = None) -> list[int]:
    """Ids of entries whose lines do not balance — always empty unless the database was edited by hand."""
    entries = JournalEntry.objects.all() if fund is None else JournalEntry.objects.filter(fund=fund)
    rows = entries.annotate(d=Sum("lines__debit"), c=Sum("lines__credit")).filter(~Q(d=F("c")) | Q(d__isnull=True))
    return list(rows.values_list("pk", flat=True))


def money(value: Decimal | None) -> Decimal:
    """Yuan with two places (SQLite's SUM drops trailing zeros)."""
    return (value or ZERO).quantize(Decimal("0.01"))
