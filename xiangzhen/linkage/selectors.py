"""All reads of the linkage app, scoped with core.scope.restrict."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from xiangzhen.campaigns.models import Activity
from xiangzhen.core.scope import get_in_scope, restrict, scope_of
from xiangzhen.linkage.filters import IncubationFilters, LinkageFilters, ServiceFilters
from xiangzhen.linkage.models import IncubationRecord, SocialWorkStation, StationStaff, Volunteer, VolunteerService
from xiangzhen.matching.models import Match
from xiangzhen.offers.models import Offer
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region


def stations(user: Any, filters: LinkageFilters) -> QuerySet[SocialWorkStation]:
    qs = restrict(SocialWorkStation.objects.select_related("region", "operator"), user)
    return (
        filters.apply(qs, region_field="region__code", name_field="name")
        .annotate(staff_count=Count("staff"))
        .order_by("region_id", "id")
    )


def get_station(user: Any, station_id: int) -> SocialWorkStation:
    return get_in_scope(SocialWorkStation.objects.select_related("region", "operator"), user, pk=station_id)


def station_staff(user: Any, station: SocialWorkStation) -> QuerySet[StationStaff]:
    return restrict(StationStaff.objects.filter(station=station), user)


@dataclass(frozen=True)
class Coverage:
    county: Region
    townships: int
    with_station: int

    @property
    def without_station(self) -> int:
        return self.townships - self.with_station


def coverage(user: Any) -> list[Coverage]:
    """Per county in the user's region scope: townships, and how many have an operating station."""
    scope = scope_of(user)
    counties = Region.objects.filter(level=codes.Level.COUNTY)
    if not scope.everything:
        if not scope.region_code:
            return []
        counties = counties.filter(code__range=subtree_bounds_or_self(scope.region_code))
    served = set(
        SocialWorkStation.objects.filter(status=SocialWorkStation.Status.OPERATING).values_list("region_id", flat=True)
    )
    result = []
    for county in counties.order_by("code"):
        townships = list(
            Region.objects.filter(
                level=codes.Level.TOWNSHIP, code__range=codes.subtree_bounds(county.code)
            ).values_list("code", flat=True)
        )
        result.append(Coverage(county, len(townships), sum(1 for t in townships if t in served)))
    return result


def subtree_bounds_or_self(code: str) -> tuple[str, str]:
    """Counties inside a city or province scope; a county or township scope: its own county."""
    level = codes.level_of(code)
    if level in (codes.Level.TOWNSHIP, codes.Level.VILLAGE):
        county = code[:6].ljust(12, "0")
        return county, county
    return codes.subtree_bounds(code)


def volunteers(user: Any, filters: LinkageFilters) -> QuerySet[Volunteer]:
    qs = restrict(Volunteer.objects.select_related("organization", "station", "region"), user)
    qs = filters.apply(qs, region_field="region__code", name_field="name")
    return (
        qs.prefetch_related("areas")
        .annotate(confirmed_hours=Sum("services__hours", filter=Q(services__status=VolunteerService.Status.CONFIRMED)))
        .order_by("-created_at", "-id")
    )


def get_volunteer(user: Any, volunteer_id: int) -> Volunteer:
    return get_in_scope(Volunteer.objects.select_related("organization", "station"), user, pk=volunteer_id)


def services(user: Any, filters: ServiceFilters) -> QuerySet[VolunteerService]:
    qs = restrict(VolunteerService.objects.select_related("volunteer", "organization", "station", "region"), user)
    qs = filters.apply(qs, region_field="region__code", name_field="volunteer__name")
    return qs.filter(status=filters.status) if filters.status else qs


def get_service(user: Any, service_id: int) -> VolunteerService:
    return get_in_scope(
        VolunteerService.objects.select_related("volunteer", "organization", "station"), user, pk=service_id
    )


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    hours: Decimal
    services: int
    people: int


def _confirmed(user: Any, filters: LinkageFilters) -> QuerySet[VolunteerService]:
    qs = restrict(VolunteerService.objects.filter(status=VolunteerService.Status.CONFIRMED), user)
    return filters.apply(qs, region_field="region__code", name_field="volunteer__name")


def totals_by_person(user: Any, filters: LinkageFilters) -> list[Total]:
    rows = (
        _confirmed(user, filters)
        .values("volunteer_id", "volunteer__name")
        .annotate(h=Sum("hours"), n=Count("id"))
        .order_by("-h", "volunteer_id")
    )
    return [Total(str(r["volunteer_id"]), r["volunteer__name"], r["h"], r["n"], 1) for r in rows]


def totals_by_organizer(user: Any, filters: LinkageFilters) -> list[Total]:
    rows = (
        _confirmed(user, filters)
        .values("organization_id", "organization__name", "station_id", "station__name")
        .annotate(h=Sum("hours"), n=Count("id"), p=Count("volunteer_id", distinct=True))
        .order_by("-h", "organization_id", "station_id")
    )
    return [
        Total(
            f"org-{r['organization_id']}" if r["organization_id"] else f"station-{r['station_id']}",
            r["organization__name"] or r["station__name"],
            r["h"],
            r["n"],
            r["p"],
        )
        for r in rows
    ]


def totals_by_area(user: Any, filters: LinkageFilters, level: str = codes.Level.TOWNSHIP) -> list[Total]:
    """Confirmed hours summed over each region subtree of `level` (a county, a township…)."""
    width = codes.PREFIX_LENGTH[codes.Level(level)]
    sums: dict[str, list[Any]] = {}
    for region_id, volunteer_id, hours in _confirmed(user, filters).values_list("region_id", "volunteer_id", "hours"):
        key = region_id[:width].ljust(12, "0")
        entry = sums.setdefault(key, [Decimal("0"), 0, set()])
        entry[0] += hours
        entry[1] += 1
        entry[2].add(volunteer_id)
    names = dict(Region.objects.filter(code__in=sums).values_list("code", "name"))
    return [
        Total(code, names.get(code, code), v[0], v[1], len(v[2]))
        for code, v in sorted(sums.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]


def all_totals(user: Any, filters: LinkageFilters) -> list[tuple[str, list[Total]]]:
    return [
        ("按志愿者", totals_by_person(user, filters)),
        ("按组织方", totals_by_organizer(user, filters)),
        ("按乡镇", totals_by_area(user, filters)),
    ]


@dataclass(frozen=True)
class Growth:
    first_offer_on: date | None
    first_match_on: date | None
    activities: int


def growth(organization_id: int) -> Growth:
    """Read from the organization's real records: first published offer, first confirmed match, activities."""
    first_offer = Offer.objects.filter(organization_id=organization_id, published_at__isnull=False).aggregate(
        d=Min("published_at")
    )["d"]
    first_match = Match.objects.filter(organization_id=organization_id, confirmed_at__isnull=False).aggregate(
        d=Min("confirmed_at")
    )["d"]
    return Growth(
        timezone.localdate(first_offer) if first_offer else None,
        timezone.localdate(first_match) if first_match else None,
        Activity.objects.filter(organization_id=organization_id).count(),
    )


def incubations(user: Any, filters: IncubationFilters) -> QuerySet[IncubationRecord]:
    qs = restrict(
        IncubationRecord.objects.select_related(
            "organization", "organization__region", "incubator_organization", "incubator_station"
        ),
        user,
    )
    qs = filters.apply(qs, region_field="organization__region__code", name_field="organization__name")
    if filters.status:
        qs = qs.filter(stage=filters.status)
    if filters.founder_type:
        qs = qs.filter(organization__founder_type=filters.founder_type)
    return qs


def get_incubation(user: Any, incubation_id: int) -> IncubationRecord:
    return get_in_scope(IncubationRecord.objects.select_related("organization"), user, pk=incubation_id)
