"""Every read of monitoring records, scoped. Personal data leaves here masked unless the caller
asked for the full view *and* the service logged it (`personal_view(..., reveal=True)`).

Who sees a household (always masked unless revealed): staff and submitters whose region holds its
village, platform admins, and people of an organization the county granted it to, while the grant
runs. Nobody else — and never anonymous users or the public pages.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xiangzhen.core.crypto import mask_id_number, mask_name, mask_phone
from xiangzhen.core.errors import NotFound
from xiangzhen.core.scope import restrict, scope_filter, scope_of
from xiangzhen.demands.models import Demand
from xiangzhen.monitoring import rules
from xiangzhen.monitoring.filters import HouseholdFilters
from xiangzhen.monitoring.models import AssistanceRecord, HouseholdAccess, HouseholdMember, MonitoredHousehold
from xiangzhen.regions import codes
from xiangzhen.regions.models import Designation


def households(user: Any, filters: HouseholdFilters | None = None) -> "QuerySet[MonitoredHousehold]":
    scope = scope_of(user)
    condition = scope_filter(MonitoredHousehold, scope)
    if scope.organization_ids:
        granted = HouseholdAccess.objects.filter(
            organization_id__in=sorted(scope.organization_ids), until__gte=timezone.localdate()
        ).values("household_id")
        condition |= Q(pk__in=granted)
    qs = MonitoredHousehold.objects.select_related("village").filter(condition)
    return filters.apply(qs) if filters else qs


def get_household(user: Any, household_id: Any) -> MonitoredHousehold:
    try:
        return households(user).get(pk=int(household_id))
    except (MonitoredHousehold.DoesNotExist, ValueError, TypeError):
        raise NotFound("监测对象不存在或无权查看") from None


@dataclass
class MemberView:
    name: str
    id_number: str
    relation: str
    health: str
    education: str
    work: str


@dataclass
class PersonalView:
    head_name: str
    head_id_number: str
    phone: str
    members: list[MemberView]
    masked: bool


def personal_view(user: Any, household: MonitoredHousehold, *, reveal: bool = False) -> PersonalView:
    """In full only for the county's staff who asked (the caller logs it via services.reveal_personal)."""
    full = reveal and rules.can_see_full(user, household)
    name = (lambda v: v) if full else mask_name
    number = (lambda v: v) if full else mask_id_number
    phone = (lambda v: v) if full else mask_phone
    members = [
        MemberView(name(m.name), number(m.id_number), m.relation, m.health, m.education, m.work)
        for m in HouseholdMember.objects.filter(household=household)
    ]
    return PersonalView(
        name(household.head_name),
        number(household.head_id_number),
        phone(household.phone) if household.phone else "",
        members,
        masked=not full,
    )


def assistance(user: Any, household: MonitoredHousehold | None = None) -> "QuerySet[AssistanceRecord]":
    """County staff (region scope) see all help for their households; an organization its own records."""
    qs = restrict(AssistanceRecord.objects.select_related("household", "organization"), user)
    return qs.filter(household=household) if household is not None else qs


def accesses(user: Any, household: MonitoredHousehold) -> "QuerySet[HouseholdAccess]":
    return restrict(HouseholdAccess.objects.select_related("organization"), user).filter(household=household)


def export_rows(queryset: "QuerySet[MonitoredHousehold]") -> list[list[Any]]:
    """Rows of the Excel export: personal data always masked (files leave the platform)."""
    return [
        [
            h.number,
            h.village.full_name or h.village.name,
            h.get_category_display(),
            mask_name(h.head_name),
            mask_id_number(h.head_id_number),
            mask_phone(h.phone) if h.phone else "",
            "、".join(h.risk_labels()),
            float(h.income_per_capita),
            h.get_status_display(),
            h.identified_on,
            h.closed_on,
        ]
        for h in queryset
    ]


@dataclass
class RelocationSite:
    code: str
    name: str
    full_name: str
    county: str
    demand_count: int
    open_count: int


def relocation_sites(user: Any) -> list[RelocationSite]:
    """易地扶贫搬迁安置点 in the user's region scope, each with its follow-up demands (any status
    but draft and withdrawn) and how many of them are still open."""
    scope = scope_of(user)
    if not scope.everything and not scope.region_code:
        return []
    sites = Designation.objects.filter(kind=Designation.Kind.RELOCATION_SITE).select_related("region")
    if not scope.everything:
        assert scope.region_code is not None
        sites = sites.filter(region__code__range=codes.subtree_bounds(scope.region_code))
    result = []
    counted = Demand.objects.exclude(status__in=[Demand.Status.DRAFT, Demand.Status.WITHDRAWN])
    counties: dict[str, str] = defaultdict(str)
    for site in sites.order_by("region_id"):
        region = site.region
        in_site = counted.filter(region__code__range=codes.subtree_bounds(region.code))
        county = region.code[:6].ljust(12, "0")
        if county not in counties:
            from xiangzhen.regions.models import Region

            county_region = Region.objects.filter(pk=county).first()
            counties[county] = county_region.name if county_region else county
        result.append(
            RelocationSite(
                code=region.code,
                name=region.name,
                full_name=region.full_name or region.name,
                county=counties[county],
                demand_count=in_site.count(),
                open_count=in_site.filter(status__in=Demand.OPEN_STATUSES).count(),
            )
        )
    return result
