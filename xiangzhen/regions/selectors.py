"""Reads of the region tree.

The tree is public reference data: any signed-in user may read all of it, so nothing here is
scoped by `core.scope`. Designations are listed by subtree; who may *change* them is decided
in `services`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from xiangzhen.core.errors import NotFound, ValidationFailed
from xiangzhen.regions import codes
from xiangzhen.regions.codes import LEVEL_ORDER, Level
from xiangzhen.regions.models import Designation, Region

SEARCH_LIMIT = 20
SEARCH_MAX_LIMIT = 100

_LEVEL_RANK = Case(
    *[When(level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)],
    default=Value(len(LEVEL_ORDER)),
    output_field=IntegerField(),
)


def parse_code(code: str, field_name: str = "code") -> str:
    """The 12-digit form of `code`, or a 422 naming `field_name`."""
    try:
        return codes.normalize(code)
    except ValueError as exc:
        raise ValidationFailed.on(field_name, str(exc)) from None


def parse_levels(levels: str | Iterable[str] | None, field_name: str = "level") -> list[str]:
    """Levels from a list or a comma-separated string; empty means every level."""
    if levels is None:
        return []
    items = levels.split(",") if isinstance(levels, str) else list(levels)
    result = [item.strip() for item in items if item and item.strip()]
    for item in result:
        if item not in Level.values:
            allowed = "、".join(Level.values)
            raise ValidationFailed.on(field_name, f"层级“{item}”不正确，应为 {allowed} 之一")
    return result


def get_region(code: str) -> Region:
    """One region by code (2/4/6/9/12 digits accepted), or NotFound."""
    normalized = parse_code(code)
    region = Region.objects.filter(pk=normalized).first()
    if region is None:
        raise NotFound(f"区划代码“{normalized}”不存在")
    return region


@dataclass
class RegionDetail:
    """A region with its designations and its existing ancestors (province first)."""

    region: Region
    designation_kinds: list[str]
    ancestors: list[Region]

    @property
    def code(self) -> str:
        return self.region.code

    @property
    def name(self) -> str:
        return self.region.name

    @property
    def level(self) -> str:
        return self.region.level

    @property
    def full_name(self) -> str:
        return self.region.full_name

    @property
    def parent_id(self) -> str | None:
        return self.region.parent_id

    @property
    def designations(self) -> list[dict[str, str]]:
        return [{"kind": k, "label": str(Designation.Kind(k).label)} for k in self.designation_kinds]


def region_detail(code: str) -> RegionDetail:
    region = get_region(code)
    kinds = sorted(region.designations.values_list("kind", flat=True))
    return RegionDetail(region, kinds, _ancestors_of(region))


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(parent__isnull=True).order_by("code")


def search(
    q: str,
    *,
    level: str | Iterable[str] | None = None,
    within: str | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[Region]:
    """Regions whose name contains `q`, or whose pinyin or initials start with it.

    `shibadong`, `sbd` and `十八洞` all find 十八洞村. Ordered by level (province first), then code.
    """
    q = q.strip().lower()
    if not q:
        return []
    limit = max(1, min(int(limit), SEARCH_MAX_LIMIT))
    compact = q.replace(" ", "").replace("'", "")
    condition = Q(name__contains=q)
    if compact.isascii():
        condition |= Q(pinyin__startswith=compact) | Q(initials__startswith=compact)
    queryset = Region.objects.filter(condition)
    levels = parse_levels(level)
    if levels:
        queryset = queryset.filter(level__in=levels)
    if within:
        queryset = queryset.filter(code__range=codes.subtree_bounds(parse_code(within, "within")))
    return list(queryset.annotate(level_rank=_LEVEL_RANK).order_by("level_rank", "code")[:limit])


def children(code: str | None) -> QuerySet[Region]:
    """The direct children of a region, or the provinces when `code` is empty."""
    if not code:
        return provinces()
    region = get_region(code)
    return Region.objects.filter(parent=region).order_by("code")


def ancestors(code: str) -> list[Region]:
    """The existing ancestors of a region, province first (省直辖县 have no city, for example)."""
    return _ancestors_of(get_region(code))


def _ancestors_of(region: Region) -> list[Region]:
    return list(Region.objects.filter(code__in=codes.ancestor_codes(region.code)).order_by("code"))


def subtree_counts(code: str) -> dict[str, int]:
    """How many descendants of each level lie under a region, from one range query on the code."""
    region = get_region(code)
    lo, hi = codes.subtree_bounds(region.code)
    rows = (
        Region.objects.filter(code__range=(lo, hi))
        .exclude(code=region.code)
        .values("level")
        .annotate(n=Count("code"))
        .order_by()
    )
    found = {row["level"]: row["n"] for row in rows}
    return {level: found.get(level, 0) for level in LEVEL_ORDER if LEVEL_ORDER.index(level) > _rank(region.level)}


def _rank(level: str) -> int:
    return LEVEL_ORDER.index(Level(level))


@dataclass
class ChildRow:
    """A child region with what a browse table shows about it."""

    region: Region
    counts: dict[str, int] = field(default_factory=dict)
    designation_kinds: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.region.code

    @property
    def name(self) -> str:
        return self.region.name

    @property
    def level(self) -> str:
        return self.region.level

    @property
    def level_label(self) -> str:
        return str(Level(self.region.level).label)

    @property
    def designations(self) -> list[dict[str, str]]:
        return [{"kind": k, "label": str(Designation.Kind(k).label)} for k in self.designation_kinds]

    @property
    def count_list(self) -> list[tuple[str, int]]:
        return [(str(Level(level).label), n) for level, n in self.counts.items() if n]


def children_with_counts(code: str | None) -> list[ChildRow]:
    """Children of a region with their subtree counts and designations, in a fixed number of queries.

    Descendants are grouped by the prefix that identifies each child (one grouped range query
    per prefix length among the children — one, or two under a province with 省直辖县).
    """
    kids = list(children(code).prefetch_related("designations"))
    if not kids:
        return []
    rows = {kid.code: ChildRow(kid, designation_kinds=sorted(d.kind for d in kid.designations.all())) for kid in kids}
    by_length: dict[int, dict[str, ChildRow]] = {}
    for kid in kids:
        by_length.setdefault(len(codes.prefix(kid.code)), {})[codes.prefix(kid.code)] = rows[kid.code]
    lo, hi = _bounds(code) if code else ("0" * 12, "9" * 12)
    for length, by_prefix in by_length.items():
        grouped = (
            Region.objects.filter(code__range=(lo, hi))
            .annotate(head=Substr("code", 1, length))
            .filter(head__in=list(by_prefix))
            .values("head", "level")
            .annotate(n=Count("code"))
            .order_by()
        )
        for item in grouped:
            row = by_prefix[item["head"]]
            row.counts[item["level"]] = row.counts.get(item["level"], 0) + item["n"]
    for row in rows.values():
        own = _rank(row.region.level)
        # The child itself was counted at its own level; keep only what lies below it.
        row.counts = {level: row.counts.get(level, 0) for level in LEVEL_ORDER if _rank(level) > own}
    return list(rows.values())


def _bounds(code: str) -> tuple[str, str]:
    return codes.subtree_bounds(parse_code(code))


def designations(*, kind: str | None = None, within: str | None = None, q: str = "") -> QuerySet[Designation]:
    """Designations, optionally of one kind and inside one region's subtree, by region code."""
    queryset = Designation.objects.select_related("region", "set_by").order_by("region_id", "kind")
    if kind:
        if kind not in Designation.Kind.values:
            raise ValidationFailed.on("kind", f"未知的认定类型“{kind}”")
        queryset = queryset.filter(kind=kind)
    if within:
        queryset = queryset.filter(region__code__range=codes.subtree_bounds(parse_code(within, "within")))
    if q.strip():
        queryset = queryset.filter(Q(region__name__contains=q.strip()) | Q(region_id__startswith=q.strip()))
    return queryset


def designation_counts(within: str | None = None) -> dict[str, int]:
    """Number of designated regions per kind inside a subtree (all kinds listed, zeros included)."""
    queryset = Designation.objects.all()
    if within:
        queryset = queryset.filter(region__code__range=codes.subtree_bounds(parse_code(within, "within")))
    found = {row["kind"]: row["n"] for row in queryset.values("kind").annotate(n=Count("id")).order_by()}
    return {kind: found.get(kind, 0) for kind in Designation.Kind.values}


KEY_COUNTY_KINDS = (Designation.Kind.NATIONAL_KEY_COUNTY, Designation.Kind.PROVINCIAL_KEY_COUNTY)


def in_key_counties(queryset: QuerySet, code_field: str) -> QuerySet:
    """The rows of `queryset` whose region (`code_field`, a 12-digit code path such as
    "region__code" or "region_id") lies in a national or provincial key assistance county —
    the filter the province's list of key counties gives every list."""
    prefixes = {
        code[:6] for code in Designation.objects.filter(kind__in=KEY_COUNTY_KINDS).values_list("region_id", flat=True)
    }
    return queryset.annotate(_key_county_prefix=Substr(code_field, 1, 6)).filter(_key_county_prefix__in=prefixes)
