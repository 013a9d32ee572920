"""The platform's URLs plus one raw-SQL handler, the throughput baseline of bench_pages.py.

The handler answers the demand list the API answers (published demands in a region's subtree,
newest first, a page of 20 with the total, their domains and beneficiary groups) in hand-written SQL
and `JsonResponse`: no filter schema, no scope check, no ORM, no serializer. It runs behind the same
middleware as the API, so the ratio is what those layers cost.
"""

from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from xiangzhen.regions import codes

COLUMNS = (
    "d.id, d.number, d.title, d.description, d.region_id, r.full_name, d.aid_mode, d.budget, d.in_kind,"
    " d.period_start, d.period_end, d.deadline, d.status, d.published_at, d.created_at"
)


def raw_demands(request: HttpRequest) -> JsonResponse:
    lo, hi = codes.subtree_bounds(request.GET["region"])
    where = "d.status = 'published' AND d.region_id BETWEEN %s AND %s"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM demands_demand d WHERE {where}", [lo, hi])
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {COLUMNS} FROM demands_demand d JOIN regions_region r ON r.code = d.region_id"
            f" WHERE {where} ORDER BY d.created_at DESC, d.id DESC LIMIT 20",
            [lo, hi],
        )
        names = [c[0] for c in cursor.description]
        items: list[dict[str, Any]] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        ids = [item["id"] for item in items] or [0]
        marks = ",".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT dd.demand_id, c.code FROM demands_demand_domains dd JOIN core_domain c ON c.id = dd.domain_id"
            f" WHERE dd.demand_id IN ({marks})",
            ids,
        )
        domains: dict[int, list[str]] = {}
        for demand_id, code in cursor.fetchall():
            domains.setdefault(demand_id, []).append(code)
        cursor.execute(
            f"SELECT demand_id, group_id, head_count FROM demands_demandbeneficiary WHERE demand_id IN ({marks})",
            ids,
        )
        groups: dict[int, list[list[int]]] = {}
        for demand_id, group_id, head_count in cursor.fetchall():
            groups.setdefault(demand_id, []).append([group_id, head_count])
    for item in items:
        item["domains"] = domains.get(item["id"], [])
        item["beneficiaries"] = groups.get(item["id"], [])
    return JsonResponse({"items": items, "count": total})


urlpatterns = [path("raw/demands/", raw_demands), path("", include("xiangzhen.urls"))]
