"""Every read of funds, already scoped: `core.scope` for the organization and staff, and public
selectors over approved funds for everyone else (figures and masked donors only)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import DecimalField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import AuditEntry, Domain
from xiangzhen.core.scope import get_in_scope, restrict, scope_of
from xiangzhen.funds import ledger, schedule
from xiangzhen.funds.filters import DisbursementFilters, DisclosureFilters, DonationFilters, FundFilters
from xiangzhen.funds.models import (
    Disbursement,
    Disclosure,
    Donation,
    DonationRefund,
    Fund,
    FundProject,
    JournalLine,
)
from xiangzhen.regions.models import Region

PUBLIC_STATUSES = (Fund.Status.ACTIVE, Fund.Status.CLOSED)


def _base() -> "QuerySet[Fund]":
    return Fund.objects.select_related("organization", "organization__region")


def _with_relations(queryset: "QuerySet[Fund]") -> "QuerySet[Fund]":
    return queryset.prefetch_related(
        Prefetch("domains", queryset=Domain.objects.order_by("sort_order", "code")),
        Prefetch("target_regions", queryset=Region.objects.order_by("code")),
    )


def funds(user: Any) -> "QuerySet[Fund]":
    """Funds the user works with: their organizations' in every status; staff in their region
    subtree those past the draft (drafts stay private to the organization)."""
    queryset = restrict(_base(), user)
    scope = scope_of(user)
    if not scope.everything:
        queryset = queryset.exclude(
            Q(status=Fund.Status.DRAFT) & ~Q(organization_id__in=sorted(scope.organization_ids))
        )
    return queryset


def fund_list(user: Any, filters: FundFilters | None = None) -> "QuerySet[Fund]":
    queryset = funds(user)
    return with_totals(_with_relations(filters.apply(queryset) if filters else queryset))


def get_fund(user: Any, fund_id: Any) -> Fund:
    queryset = with_totals(_with_relations(funds(user))).select_related("reviewed_by", "created_by")
    return get_in_scope(queryset, user, pk=fund_id)


def _public_base() -> "QuerySet[Fund]":
    return _base().filter(status__in=PUBLIC_STATUSES, activated_at__isnull=False)


def public_funds(filters: FundFilters | None = None) -> "QuerySet[Fund]":
    """What anyone may browse: active funds (closed ones when asked with status=closed)."""
    queryset = _public_base()
    if filters is None or not filters.status:
        queryset = queryset.filter(status=Fund.Status.ACTIVE)
    return with_totals(_with_relations(filters.apply(queryset) if filters else queryset))


def get_public_fund(fund_id: Any) -> Fund:
    try:
        return with_totals(_with_relations(_public_base())).get(pk=int(fund_id))
    except (Fund.DoesNotExist, ValueError, TypeError):
        raise NotFound("专项基金不存在或尚未批准") from None


def get_visible_fund(user: Any, fund_id: Any) -> tuple[Fund, bool]:
    """The fund in the user's scope (full record), or failing that its public view."""
    try:
        return get_fund(user, fund_id), True
    except NotFound:
        return get_public_fund(fund_id), False


def review_queue(user: Any) -> "QuerySet[Fund]":
    """Submitted funds the user reviews: civil affairs of exactly the organization's registration region."""
    queryset = _with_relations(_base().filter(status=Fund.Status.SUBMITTED))
    if is_platform_admin(user):
        return queryset
    department = department_of(user)
    if department is None or department.kind != Department.Kind.CIVIL_AFFAIRS:
        return queryset.none()
    return queryset.filter(organization__region_id=department.region_id)


# ---------------------------------------------------------------- what hangs off a fund


def projects(fund: Fund) -> "QuerySet[FundProject]":
    return FundProject.objects.filter(fund=fund).select_related("domain")


def get_public_project(project_id: Any) -> FundProject:
    try:
        return FundProject.objects.select_related("fund", "fund__organization", "domain").get(
            pk=int(project_id), fund__in=_public_base()
        )
    except (FundProject.DoesNotExist, ValueError, TypeError):
        raise NotFound("项目不存在或尚未公开") from None


def donations(fund: Fund, filters: DonationFilters | None = None) -> "QuerySet[Donation]":
    """The donations of a fund the caller has fetched (scoped or public: the page decides what to show)."""
    queryset = Donation.objects.filter(fund=fund).select_related("restricted_project", "restricted_domain", "fund")
    return filters.apply(queryset) if filters else queryset


def disbursements(fund: Fund, filters: DisbursementFilters | None = None) -> "QuerySet[Disbursement]":
    queryset = Disbursement.objects.filter(fund=fund).select_related(
        "match", "project", "pairing", "activity", "facility", "fund"
    )
    return filters.apply(queryset) if filters else queryset


def refunds(fund: Fund) -> "QuerySet[DonationRefund]":
    """The refunds of a fund the caller has fetched (scoped or public), newest first."""
    return DonationRefund.objects.filter(fund=fund).select_related("donation", "fund")


def refunds_of(donation: Donation) -> "QuerySet[DonationRefund]":
    return DonationRefund.objects.filter(donation=donation).order_by("refunded_on", "id")


def get_fund_donation(fund: Fund, donation_number: str) -> Donation:
    """One donation of a fund the caller has fetched, by its number; NotFound otherwise."""
    donation = (
        Donation.objects.select_related("fund", "fund__organization", "restricted_project", "restricted_domain")
        .filter(fund=fund, number=donation_number)
        .first()
    )
    if donation is None:
        raise NotFound("本基金没有该捐赠记录")
    return donation


def disclosures(fund: Fund, filters: DisclosureFilters | None = None) -> "QuerySet[Disclosure]":
    queryset = Disclosure.objects.filter(fund=fund).select_related("project", "published_by", "fund")
    return filters.apply(queryset) if filters else queryset


def get_donation(user: Any, donation_id: Any) -> Donation:
    return get_in_scope(
        Donation.objects.select_related("fund", "fund__organization", "restricted_project", "restricted_domain"),
        user,
        pk=donation_id,
    )


def public_donation(number: str) -> Donation:
    """A donation of an approved fund by its number: what its receipt shows."""
    donation = (
        Donation.objects.select_related("fund", "fund__organization", "restricted_project", "restricted_domain")
        .filter(number=number, fund__in=_public_base())
        .first()
    )
    if donation is None:
        raise NotFound("捐赠记录不存在或尚未公开")
    return donation


def history(fund: Fund) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=Fund._meta.label_lower, object_id=str(fund.pk)).select_related("actor")


# ---------------------------------------------------------------- figures and disclosure schedule


def totals(fund: Fund) -> ledger.Totals:
    return ledger.totals(fund)


def available(fund: Fund) -> dict[str, Any]:
    """Money available per purpose, labelled for people."""
    names = dict(Domain.objects.values_list("code", "name"))
    project_names = dict(FundProject.objects.filter(fund=fund).values_list("number", "name"))
    rows = []
    for purpose, amount in sorted(ledger.available_by_purpose(fund).items()):
        kind, _, key = purpose.partition(":")
        label = "非限定" if not purpose else (
            f"限定项目：{project_names.get(key, key)}" if kind == "project" else f"限定领域：{names.get(key, key)}"
        )  # fmt: skip
        rows.append({"purpose": purpose, "label": label, "amount": amount})
    return {"rows": rows}


@dataclass(frozen=True)
class DueItem:
    fund: Fund
    project: FundProject | None
    due: schedule.Due

    @property
    def subject_number(self) -> str:
        return self.project.number if self.project else self.fund.number

    @property
    def subject_name(self) -> str:
        return self.project.name if self.project else self.fund.name


def disclosure_schedule(fund: Fund, today: date | None = None) -> list[DueItem]:
    """The fund's and each project's next disclosure, with its state."""
    today = today or timezone.localdate()
    if fund.activated_at is None:
        return []
    disclosed = Disclosure.objects.filter(fund=fund).order_by()
    last: dict[int | None, date] = dict(
        disclosed.values("project_id").annotate(end=Max("period_end")).values_list("project_id", "end")
    )
    finals = set(disclosed.filter(is_final=True).values_list("project_id", flat=True))
    fund_last = last.get(None)
    closed_on = timezone.localtime(fund.closed_at).date() if fund.closed_at else None
    items = [
        DueItem(
            fund, None, schedule.fund_due(timezone.localtime(fund.activated_at).date(), closed_on, fund_last, today)
        )
    ]
    for project in projects(fund):
        final_done = project.pk in finals
        due = schedule.project_due(project.start_date, project.end_date, last.get(project.pk), final_done, today)
        items.append(DueItem(fund, project, due))
    return items


def funds_needing_disclosure(user: Any | None = None, today: date | None = None) -> list[DueItem]:
    """Every due or overdue disclosure (of the user's funds, or of all funds for the reminder job)."""
    queryset = funds(user) if user is not None else Fund.objects.select_related("organization")
    queryset = queryset.filter(activated_at__isnull=False, status__in=PUBLIC_STATUSES)
    return [
        item for fund in queryset for item in disclosure_schedule(fund, today) if item.due.state in ("due", "overdue")
    ]


def with_totals(queryset: "QuerySet[Fund]") -> "QuerySet[Fund]":
    """Money in, out and held per fund, summed from the ledger in the same query (no query per row)."""

    def summed(kind: str, side: str) -> Coalesce:
        lines = (
            JournalLine.objects.filter(entry__fund=OuterRef("pk"), account__kind=kind)
            .order_by()
            .values("entry__fund")
            .annotate(s=Sum(side))
            .values("s")
        )
        return Coalesce(Subquery(lines), Value(ledger.ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))

    return queryset.annotate(
        total_income=summed(ledger.NET_ASSETS, "credit"),
        total_refunded=summed(ledger.NET_ASSETS, "debit"),
        total_expense=summed(ledger.EXPENSE, "debit"),
        total_in_assets=summed(ledger.ASSET, "debit"),
        total_out_assets=summed(ledger.ASSET, "credit"),
    )


def annotated_totals(fund: Fund) -> ledger.Totals:
    """The figures `with_totals` put on a fund (no query)."""
    income, expense = getattr(fund, "total_income", None), getattr(fund, "total_expense", None)
    refunded = getattr(fund, "total_refunded", None)
    held_in, held_out = getattr(fund, "total_in_assets", None), getattr(fund, "total_out_assets", None)
    return ledger.Totals(
        income=ledger.money(income) - ledger.money(refunded),
        expense=ledger.money(expense),
        balance=ledger.money(held_in) - ledger.money(held_out),
    )
