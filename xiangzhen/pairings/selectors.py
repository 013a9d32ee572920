"""Every read of pairings, already scoped by `core.scope` (the place's region subtree for staff and
submitters, their own organizations for organization people), and the key-village coverage."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiangzhen.accounts.roles import department_of
from xiangzhen.core.errors import Forbidden, NotFound
from xiangzhen.core.models import AuditEntry
from xiangzhen.core.scope import get_in_scope, region_in_scope, restrict
from xiangzhen.organizations.models import Organization
from xiangzhen.pairings import rules
from xiangzhen.pairings.filters import PairingFilters
from xiangzhen.pairings.models import Pairing, PairingReview
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Designation, Region

# Confirmed and not ended: the pairings that cover a place.
PAIRED_STATUSES = (Pairing.Status.ACTIVE, Pairing.Status.UNDER_REVIEW)
KEY_VILLAGE_KINDS = (Designation.Kind.KEY_ASSISTED_VILLAGE, Designation.Kind.POVERTY_EXITED_VILLAGE)


def _base() -> "QuerySet[Pairing]":
    return Pairing.objects.select_related("organization", "region")


def pairings(user: Any) -> "QuerySet[Pairing]":
    return restrict(_base(), user)


def pairing_list(user: Any, filters: PairingFilters | None = None) -> "QuerySet[Pairing]":
    queryset = pairings(user)
    return filters.apply(queryset) if filters else queryset


def get_pairing(user: Any, pairing_id: Any) -> Pairing:
    return get_in_scope(pairings(user).select_related("proposed_by", "confirmed_by"), user, pk=pairing_id)


def reviews(pairing: Pairing) -> "QuerySet[PairingReview]":
    return PairingReview.objects.filter(pairing=pairing).select_related("reviewed_by")


def history(pairing: Pairing) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=Pairing._meta.label_lower, object_id=str(pairing.pk)).select_related(
        "actor"
    )


def organization_by_credit_code(credit_code: str) -> Organization | None:
    """An organization by its unified social credit code (public registration data), for arranging."""
    return Organization.objects.filter(credit_code=credit_code.strip().upper()).first()


# ---------------------------------------------------------------- key villages: paired and not yet paired


@dataclass(frozen=True)
class Cover:
    """A live pairing covering a village, and at which level: the village itself, its township or its county."""

    pairing: Pairing
    level: str

    @property
    def level_label(self) -> str:
        return {Level.VILLAGE: _("本村结对"), Level.TOWNSHIP: _("所在乡镇结对"), Level.COUNTY: _("所在县结对")}[
            Level(self.level)
        ]


@dataclass
class KeyVillage:
    region: Region
    kinds: list[str]
    covers: list[Cover] = field(default_factory=list)

    @property
    def paired(self) -> bool:
        return bool(self.covers)

    @property
    def kind_labels(self) -> list[str]:
        return [str(Designation.Kind(k).label) for k in self.kinds]


@dataclass
class CountyCoverage:
    county: Region
    total: int = 0
    paired: int = 0

    @property
    def gap(self) -> int:
        return self.total - self.paired


@dataclass
class KeyVillageReport:
    region: Region
    villages: list[KeyVillage]
    counties: list[CountyCoverage]

    @property
    def is_county(self) -> bool:
        return self.region.level == Level.COUNTY

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counties) if not self.is_county else len(self.villages)

    @property
    def paired(self) -> int:
        return sum(c.paired for c in self.counties) if not self.is_county else sum(v.paired for v in self.villages)

    @property
    def gap(self) -> int:
        return self.total - self.paired


def _key_villages(region: Region) -> list[KeyVillage]:
    """The designated villages inside `region` with the live pairings covering each, the gap first."""
    found: dict[str, KeyVillage] = {}
    designated = Designation.objects.filter(
        kind__in=KEY_VILLAGE_KINDS, region__level=Level.VILLAGE, region__code__range=codes.subtree_bounds(region.code)
    ).select_related("region")
    for designation in designated.order_by("region_id", "kind"):
        found.setdefault(designation.region_id, KeyVillage(designation.region, [])).kinds.append(designation.kind)
    if not found:
        return []
    places = {code for village in found for code in (village, village[:9] + "000", village[:6] + "000000")}
    by_place: dict[str, list[Pairing]] = defaultdict(list)
    live = _base().filter(status__in=PAIRED_STATUSES, region_id__in=sorted(places)).order_by("start_date", "id")
    for pairing in live:
        by_place[pairing.region_id].append(pairing)
    for code, village in found.items():
        for place, level in (
            (code, Level.VILLAGE),
            (code[:9] + "000", Level.TOWNSHIP),
            (code[:6] + "000000", Level.COUNTY),
        ):
            village.covers.extend(Cover(p, level) for p in by_place.get(place, []))
    return sorted(found.values(), key=lambda v: (v.paired, v.region.code))


def _default_region(user: Any) -> str:
    """A department's own region; for a platform admin, the province of the first designated village."""
    department = department_of(user)
    if department is not None:
        return str(department.region_id)
    first = (
        Designation.objects.filter(kind__in=KEY_VILLAGE_KINDS).order_by("region_id").values_list("region_id", flat=True)
    ).first()
    if first:
        return first[:2] + "0" * 10
    province = Region.objects.filter(parent__isnull=True).order_by("code").values_list("code", flat=True).first()
    return province or ""


def key_village_region(user: Any, region_code: str = "") -> Region:
    """The region the key-village page looks at: the one asked for (inside the user's scope), else
    the user's own; below county level, its county."""
    if not rules.can_see_key_villages(user):
        raise Forbidden(_("重点村结对情况供各级部门查看"))
    code = region_code.strip() or _default_region(user)
    try:
        code = codes.normalize(code)
    except ValueError:
        raise NotFound(_("区划不存在或无权查看")) from None
    if codes.level_of(code) in (Level.TOWNSHIP, Level.VILLAGE):
        code = rules.county_of(code)
    region = Region.objects.filter(pk=code).first()
    if region is None or not region_in_scope(user, code):
        raise NotFound(_("区划不存在或无权查看"))
    return region


def key_village_report(user: Any, region_code: str = "") -> KeyVillageReport:
    """For a county: its key villages, paired and not yet paired (the gap first). For a city or a
    province: the same counted per county, the counties with the biggest gap first."""
    region = key_village_region(user, region_code)
    villages = _key_villages(region)
    if region.level == Level.COUNTY:
        return KeyVillageReport(region, villages, [])
    counties: dict[str, CountyCoverage] = {}
    county_codes = sorted({v.region.code[:6] + "000000" for v in villages})
    names = {r.code: r for r in Region.objects.filter(code__in=county_codes)}
    for village in villages:
        code = village.region.code[:6] + "000000"
        if code not in names:
            continue
        row = counties.setdefault(code, CountyCoverage(names[code]))
        row.total += 1
        row.paired += int(village.paired)
    rows = sorted(counties.values(), key=lambda c: (-c.gap, c.county.code))
    return KeyVillageReport(region, [], rows)
