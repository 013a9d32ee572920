"""Priority of a demand, derived from the designations of its region and its ancestors.

Nothing is stored on the demand: a province changes a designation and every demand under it
follows. Lists read the labels for a whole page in one query (`flags_for_regions`); sorting and
the key-county filter use SQL annotations (`annotate_priority`).
"""

from collections.abc import Iterable

from django.db.models import Case, CharField, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, Substr

from xiangzhen.regions import codes
from xiangzhen.regions.models import Designation
from xiangzhen.regions.selectors import KEY_COUNTY_KINDS

PLACE_KINDS = (
    Designation.Kind.POVERTY_EXITED_VILLAGE,
    Designation.Kind.KEY_ASSISTED_VILLAGE,
    Designation.Kind.RELOCATION_SITE,
)
# Order in which labels are shown: the strongest tilt first.
KIND_ORDER = [k for k, _ in Designation.Kind.choices]


def _own_and_ancestors(code: str) -> list[str]:
    return [*codes.ancestor_codes(code), code]


def flags_for_regions(region_codes: Iterable[str]) -> dict[str, list[str]]:
    """Region code → labels of the designations of it and its ancestors, in one query."""
    wanted = {code: _own_and_ancestors(code) for code in set(region_codes)}
    every = {c for chain in wanted.values() for c in chain}
    by_region: dict[str, set[str]] = {}
    for region_id, kind in Designation.objects.filter(region_id__in=sorted(every)).values_list("region_id", "kind"):
        by_region.setdefault(region_id, set()).add(kind)
    labels = dict(Designation.Kind.choices)
    result = {}
    for code, chain in wanted.items():
        kinds = set().union(*(by_region.get(c, set()) for c in chain))
        result[code] = [str(labels[k]) for k in KIND_ORDER if k in kinds]
    return result


def _code_prefix(length: int) -> Concat:
    return Concat(
        Substr(Cast("region_id", CharField()), 1, length), Value("0" * (12 - length)), output_field=CharField()
    )


def annotate_priority(queryset: QuerySet) -> QuerySet:
    """Add `in_key_county` (the county is a national or provincial key county), `in_designated_place`
    (the village or its township is a 脱贫村, 重点帮扶村 or relocation site) and `priority` (0–3)."""
    key_county = Exists(
        Designation.objects.filter(region_id=OuterRef("county_code"), kind__in=KEY_COUNTY_KINDS).values("pk")
    )
    national = Exists(
        Designation.objects.filter(region_id=OuterRef("county_code"), kind=Designation.Kind.NATIONAL_KEY_COUNTY).values(
            "pk"
        )
    )
    place = Exists(
        Designation.objects.filter(
            region_id__in=[OuterRef("region_id"), OuterRef("township_code")], kind__in=PLACE_KINDS
        ).values("pk")
    )
    one = Value(1, output_field=IntegerField())
    zero = Value(0, output_field=IntegerField())
    return (
        queryset.annotate(county_code=_code_prefix(6), township_code=_code_prefix(9))
        .annotate(in_key_county=key_county, in_national_key_county=national, in_designated_place=place)
        .annotate(
            priority=Case(When(in_key_county=True, then=one), default=zero)
            + Case(When(in_national_key_county=True, then=one), default=zero)
            + Case(When(in_designated_place=True, then=one), default=zero)
        )
    )
