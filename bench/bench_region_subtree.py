"""Scoping by region: one code-range query against walking the parent links.

Builds a synthetic province under the real Hunan code (14 cities × 10 counties × 12 townships
× 20 villages = 33,600 villages) and 100,000 organizations spread over the villages and counties,
then counts a county's and a city's organizations two ways in the same process:
- the platform's rule: `region_id BETWEEN lo AND hi` (core.scope);
- the baseline: collect descendant codes by following parent links level by level, then `IN`.
"""

from common import best_of, setup_django, write

setup_django()

from django.db import connection  # noqa: E402

from xiangzhen.core.scope import Scope, scope_filter  # noqa: E402
from xiangzhen.organizations.models import Organization  # noqa: E402
from xiangzhen.regions.codes import level_of  # noqa: E402
from xiangzhen.regions.models import Region  # noqa: E402

PROVINCE = "430000000000"


def build() -> None:
    regions = [Region(code=PROVINCE, name="湖南省", level="province")]
    for c in range(1, 15):
        city = f"43{c:02d}00000000"
        regions.append(Region(code=city, name=f"市{c}", level="city", parent_id=PROVINCE))
        for x in range(1, 11):
            county = f"43{c:02d}{x:02d}000000"
            regions.append(Region(code=county, name=f"县{c}-{x}", level="county", parent_id=city))
            for t in range(1, 13):
                town = f"43{c:02d}{x:02d}{100 + t:03d}000"
                regions.append(Region(code=town, name=f"乡{t}", level="township", parent_id=county))
                for v in range(1, 21):
                    regions.append(
                        Region(code=f"{town[:9]}{200 + v:03d}", name=f"村{v}", level="village", parent_id=town)
                    )
    # Bench data goes straight in: the point is the read path, and services would only add time.
    Region.objects.bulk_create(regions, batch_size=5000)
    villages = [r.code for r in regions if r.level == "village"]
    counties = [r.code for r in regions if r.level == "county"]
    places = villages + counties
    orgs = [
        Organization(
            name=f"组织{i}", credit_code=f"{i:018d}", kind="social_group", region_id=places[(i * 7919) % len(places)],
            registration_authority="x", contact_name="x", contact_phone="x", status="approved",
        )
        for i in range(100_000)
    ]  # fmt: skip
    Organization.objects.bulk_create(orgs, batch_size=5000)
    print(f"built {len(regions)} regions and {len(orgs)} organizations on {connection.vendor}")


def by_range(code: str) -> int:
    return Organization.objects.filter(scope_filter(Organization, Scope(region_code=code))).count()


def by_parent_walk(code: str) -> int:
    codes, frontier = [code], [code]
    while frontier:
        frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("code", flat=True))
        codes.extend(frontier)
    return Organization.objects.filter(region_id__in=codes).count()


build()
figures = {}
for label, code in [("county", "430105000000"), ("city", "430300000000")]:
    assert level_of(code) == label
    assert by_range(code) == by_parent_walk(code), "the two ways must agree"
    fast = best_of(lambda c=code: by_range(c))
    slow = best_of(lambda c=code: by_parent_walk(c))
    figures[label] = {
        "organizations": by_range(code),
        "range_ms": round(fast * 1000, 3),
        "parent_walk_ms": round(slow * 1000, 3),
        "speedup": round(slow / fast, 1),
    }
write("region_subtree", figures)
