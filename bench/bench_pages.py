"""The main pages and API calls for one user at national size, against the raw SQL they issue.

Each request goes through Django's whole stack (the test client: middleware, session, scope checks,
ORM, templates or JSON): median, p95 and max over BENCH_REPEAT runs after a warm-up. Its baseline in
the same run is the SQL the request itself issued (captured once) replayed through a bare cursor:
the database's share of the time. The ratio is what the framework adds. Target: p95 under 300 ms.

Throughput: the demand list API called back to back for BENCH_THROUGHPUT_SECONDS, against a raw-SQL
handler (bench/raw_urls.py: the same list as hand-written SQL returned as JSON) through the same
client and middleware. Target: the API reaches at least a third of the raw handler's rate.

Data: bench/national.py. The in-process offer index is on, as the README tells national deployments
(BENCH_OFFER_INDEX=0 measures without it). Results in bench/results/pages.json.
"""

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import national
from common import write

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_THROUGHPUT_SECONDS", "20"))
OFFER_INDEX = os.environ.get("BENCH_OFFER_INDEX", "1") == "1"

os.environ.setdefault("XIANGZHEN_ACCESS_LOG_LEVEL", "WARNING")  # a line per timed request would swamp the figures
national.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def people() -> dict[str, Any]:
    """Province staff of the province with most demands, a county official there, and the admin of
    that province's organization with most published offers (created once, reused)."""
    from xiangzhen.accounts.models import Department, User
    from xiangzhen.organizations.models import Membership, Organization

    with connection.cursor() as cursor:
        cursor.execute("SELECT substr(region_id, 1, 2), COUNT(*) FROM demands_demand GROUP BY 1 ORDER BY 2 DESC")
        province = f"{cursor.fetchone()[0]}0000000000"
        cursor.execute(
            "SELECT substr(region_id, 1, 6), COUNT(*) FROM demands_demand WHERE region_id LIKE %s"
            " GROUP BY 1 ORDER BY 2 DESC",
            [province[:2] + "%"],
        )
        county = f"{cursor.fetchone()[0]}000000"
        cursor.execute(
            "SELECT organization_id, COUNT(*) FROM offers_offer o JOIN organizations_organization g"
            " ON g.id = o.organization_id WHERE g.region_id LIKE %s AND o.status = 'published'"
            " GROUP BY 1 ORDER BY 2 DESC",
            [province[:2] + "%"],
        )
        organization_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id FROM demands_demand WHERE region_id LIKE %s AND status = 'published' ORDER BY id LIMIT 1",
            [county[:6] + "%"],
        )
        demand_id = cursor.fetchone()[0]

    def staff(name: str, kind: str, region: str) -> User:
        department, _ = Department.objects.get_or_create(kind=kind, region_id=region, defaults={"name": name})
        user, _ = User.objects.get_or_create(
            username=f"bench-{name}", defaults={"role": User.Role.DEPARTMENT_STAFF, "department": department}
        )
        return user

    org_admin, _ = User.objects.get_or_create(username="bench-org", defaults={"role": User.Role.ORGANIZATION})
    Membership.objects.get_or_create(
        organization=Organization.objects.get(pk=organization_id), user=org_admin, defaults={"role": "admin"}
    )
    return {
        "province": province,
        "county": county,
        "organization_id": organization_id,
        "demand_id": demand_id,
        "province_staff": staff("province", "civil_affairs", province),
        "county_official": staff("county", "rural_revitalization", county),
        "org_admin": org_admin,
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def replay(statements: list[str]) -> Callable[[], None]:
    """The request's read statements through a bare cursor, each fetched in full."""
    reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def spread(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    fn()  # warm-up: caches, the offer index, compiled templates
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 2),
        "max_ms": round(times[-1], 2),
    }


def measure_request(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [q["sql"] for q in captured.captured_queries]

    def whole() -> None:
        got = client.get(url)
        assert got.status_code == 200, f"{url}: {got.status_code}"

    request, sql = spread(whole, REPEAT), spread(replay(statements), REPEAT)
    return {
        "url": url,
        "queries": len(statements),
        "request": request,
        "raw_sql": sql,
        "ratio_median": round(request["median_ms"] / max(sql["median_ms"], 0.01), 1),
    }


def rate(client: Client, url: str, seconds: float) -> float:
    """Requests per second, back to back, for `seconds`."""
    client.get(url)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        done += 1
    return done / (time.perf_counter() - start)


def main() -> None:
    counts, generated_s = national.data_set()
    print("data", counts, f"generated in {generated_s:.1f}s", flush=True)
    from xiangzhen.stats import rollups
    from xiangzhen.stats.models import Rollup

    if not Rollup.objects.exists():
        start = time.perf_counter()
        rows = rollups.rebuild()
        print(f"rollups rebuilt: {rows} rows in {time.perf_counter() - start:.1f}s", flush=True)
    settings.RECOMMENDATION_OFFER_INDEX = OFFER_INDEX
    who = people()
    province, county = who["province"], who["county"]
    province_staff, county_official, org_admin = (
        client_for(who["province_staff"]),
        client_for(who["county_official"]),
        client_for(who["org_admin"]),
    )
    anonymous = Client()
    requests = {
        "demand library page, province, filtered": (province_staff, f"/demands/?region={province}&domain=education"),
        "demand list API, province, filtered": (
            province_staff,
            f"/api/v1/demands/?region={province}&status=published&domain=health",
        ),
        "demand list API, search": (province_staff, f"/api/v1/demands/?region={province}&q=义诊"),
        "public demand list API, county": (anonymous, f"/api/v1/demands/public?region={county}"),
        "public offer list API, search": (anonymous, "/api/v1/offers/public?q=助学"),
        "demand page": (county_official, f"/demands/{who['demand_id']}/"),
        "demand recommendations page": (county_official, f"/recommendations/demand/{who['demand_id']}/"),
        "county dashboard": (county_official, f"/stats/?region={county}"),
        "province dashboard": (province_staff, f"/stats/?region={province}"),
        "organization workspace": (org_admin, f"/recommendations/organization/{who['organization_id']}/"),
    }
    results: dict[str, Any] = {}
    for label, (client, url) in requests.items():
        results[label] = measure_request(client, url)
        print(label, results[label], flush=True)

    settings.ROOT_URLCONF = "raw_urls"
    api_url = f"/api/v1/demands/?region={province}&status=published"
    raw_url = f"/raw/demands/?region={province}"
    api_rate = rate(province_staff, api_url, THROUGHPUT_SECONDS)
    raw_rate = rate(province_staff, raw_url, THROUGHPUT_SECONDS)
    throughput = {
        "api_url": api_url,
        "api_per_s": round(api_rate, 1),
        "raw_sql_handler_per_s": round(raw_rate, 1),
        "share_of_raw": round(api_rate / raw_rate, 2),
    }
    print("throughput", throughput, flush=True)
    worst = max(r["request"]["p95_ms"] for r in results.values())
    write(
        "pages",
        {
            "data": counts,
            "offer_index": OFFER_INDEX,
            "requests": results,
            "worst_p95_ms": worst,
            "list_throughput": throughput,
        },
    )


if __name__ == "__main__":
    main()
