"""Every read of the four small rooms, already scoped: `core.scope` for staff, submitters and the
builder's people; public selectors over rooms in use for everyone else."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth

from xiangzhen.accounts.roles import department_of
from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import Attachment, AuditEntry
from xiangzhen.core.scope import get_in_scope, restrict, scope_filter, scope_of
from xiangzhen.facilities.filters import FacilityFilters
from xiangzhen.facilities.models import Facility, FacilityUsage
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Region

CENT = Decimal("0.01")


def _base() -> "QuerySet[Facility]":
    return Facility.objects.select_related("village", "village__parent", "builder", "campaign")


def facilities(user: Any, filters: FacilityFilters | None = None) -> "QuerySet[Facility]":
    """Rooms the user works with: in their region subtree, or built by their organizations."""
    queryset = restrict(_base(), user)
    return filters.apply(queryset) if filters else queryset


def get_facility(user: Any, facility_id: Any) -> Facility:
    return get_in_scope(_base(), user, pk=facility_id)


def public_facilities(filters: FacilityFilters | None = None) -> "QuerySet[Facility]":
    """What anyone may browse: rooms in use."""
    queryset = _base().filter(status=Facility.Status.IN_USE)
    return filters.apply(queryset) if filters else queryset


def get_public_facility(facility_id: Any) -> Facility:
    try:
        return public_facilities().get(pk=int(facility_id))
    except (Facility.DoesNotExist, ValueError, TypeError):
        raise NotFound("小屋不存在或尚未启用") from None


def get_builder(organization_id: Any) -> Organization:
    """An approved organization to name as builder (the register of approved organizations is public)."""
    try:
        return Organization.objects.get(pk=int(organization_id), status=Organization.Status.APPROVED)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise NotFound("社会组织不存在或尚未审核通过") from None


def first_photos(rooms: list[Facility]) -> dict[int, Attachment]:
    """The first photo of each room, in one query (for lists)."""
    found: dict[int, Attachment] = {}
    attachments = Attachment.objects.filter(
        owner_type=Facility._meta.label_lower, owner_id__in=[str(r.pk) for r in rooms]
    ).order_by("pk")
    for attachment in attachments:
        if attachment.is_image:
            found.setdefault(int(attachment.owner_id), attachment)
    return found


def usages(facility: Facility) -> "QuerySet[FacilityUsage]":
    return FacilityUsage.objects.filter(facility=facility).select_related("recorded_by")


def history(facility: Facility) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=Facility._meta.label_lower, object_id=str(facility.pk)).select_related(
        "actor"
    )


@dataclass
class MonthTotals:
    month: Any
    visits: int = 0
    sessions: int = 0
    consultations: int = 0
    sales_count: int = 0
    sales_amount: Decimal = Decimal("0.00")


def usage_by_month(facility: Facility) -> list[MonthTotals]:
    """The room's usage summed per month and kind, newest month first (one query)."""
    rows = (
        FacilityUsage.objects.filter(facility=facility)
        .annotate(month=TruncMonth("used_on"))
        .values("month", "kind")
        .annotate(count=Sum("count"), amount=Sum("amount"))
        .order_by("-month", "kind")
    )
    months: dict[Any, MonthTotals] = {}
    for row in rows:
        totals = months.setdefault(row["month"], MonthTotals(row["month"]))
        if row["kind"] == FacilityUsage.Kind.SALES:
            totals.sales_count += row["count"]
            totals.sales_amount = (totals.sales_amount + row["amount"]).quantize(CENT)
        else:
            setattr(totals, row["kind"], getattr(totals, row["kind"]) + row["count"])
    return list(months.values())


# ---------------------------------------------------------------- rooms by county


@dataclass
class CountyRow:
    county: Region
    by_kind: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    total: int = 0

    @property
    def kind_counts(self) -> list[int]:
        return [self.by_kind.get(k, 0) for k in Facility.Kind.values]

    @property
    def status_counts(self) -> list[int]:
        return [self.by_status.get(s, 0) for s in Facility.Status.values]


def default_area(user: Any) -> str:
    """The province or city whose counties the map shows by default: the user's own city (county
    and lower staff and submitters see their city), province, or the province of their organization."""
    department = department_of(user)
    code = department.region_id if department is not None else getattr(user, "region_id", None)
    if not code and getattr(user, "is_authenticated", False) and user.role == "organization":
        code = (
            Organization.objects.filter(memberships__user=user, memberships__is_active=True)
            .values_list("region_id", flat=True)
            .first()
        )
    if not code:
        code = Facility.objects.values_list("village_id", flat=True).order_by("village_id").first()
    if not code:
        return ""
    if codes.level_of(code) == Level.PROVINCE:
        return str(code)
    return str(code[:4]).ljust(12, "0")


def rooms_by_county(user: Any, area_code: str, filters: FacilityFilters | None = None) -> list[CountyRow]:
    """Per county of a province or city: rooms by kind and by status. Counted over the rooms the
    user may see plus every room past planning (those are public records)."""
    lo, hi = codes.subtree_bounds(area_code)
    counties = Region.objects.filter(code__range=(lo, hi), level=Level.COUNTY).order_by("code")
    visible = Facility.objects.filter(
        scope_filter(Facility, scope_of(user)) | ~Q(status=Facility.Status.PLANNED), village__code__range=(lo, hi)
    )
    if filters is not None:
        visible = filters.apply(visible)
    rows = {c.code: CountyRow(c) for c in counties}
    counted = (
        visible.annotate(county=Substr("village_id", 1, 6))
        .values("county", "kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in counted:
        row = rows.get(item["county"].ljust(12, "0"))
        if row is None:
            continue
        row.by_kind[item["kind"]] = row.by_kind.get(item["kind"], 0) + item["n"]
        row.by_status[item["status"]] = row.by_status.get(item["status"], 0) + item["n"]
        row.total += item["n"]
    return list(rows.values())
