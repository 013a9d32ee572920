"""A province dashboard and a national summary from the rollups, against the same figures computed
by raw SQL aggregates over the records in the same run; and the time to build one city's quarterly
report.

Data: bench/national.py (generated once per size and reused). Then the rollups are recounted from
the records and replaced (what `rebuild_rollups` does, timed),
the stored rows must equal the recount, and for the province with most demands and the country:
- rollups: `stats.figures.figures(code, start, end)` (additive figures from rollup rows, coverage
  and distinct organizations as they must be computed);
- raw SQL: the same additive figures as one GROUP BY over the records (demands published,
  matched, completed, money committed, wait days), which must equal the rollup figures.
"""

import datetime
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

import national
from common import write

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))

national.setup()

from django.db import connection  # noqa: E402

MATCHED = "('confirmed', 'in_progress', 'completed', 'evaluated')"


def raw_sql_figures(code: str, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The additive figures and the distinct organizations straight from the records, in plain SQL
    aggregates over the subtree's code range and the period (the baseline the rollups replace)."""
    from django.utils import timezone

    from xiangzhen.stats.figures import bounds

    lo, hi = bounds(code)
    # Local-day bounds, written as the backend stores datetimes (SQLite: UTC text).
    begin = connection.ops.adapt_datetimefield_value(
        timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    )
    stop = connection.ops.adapt_datetimefield_value(
        timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM demands_demand WHERE region_id BETWEEN %s AND %s"
            " AND published_at >= %s AND published_at < %s",
            [lo, hi, begin, stop],
        )
        published = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(m.committed_amount), 0) FROM matching_match m"
            " JOIN demands_demand d ON d.id = m.demand_id"
            f" WHERE d.region_id BETWEEN %s AND %s AND m.status IN {MATCHED}"
            " AND m.confirmed_at >= %s AND m.confirmed_at < %s",
            [lo, hi, begin, stop],
        )
        matched, committed = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM matching_match m JOIN demands_demand d ON d.id = m.demand_id"
            " WHERE d.region_id BETWEEN %s AND %s AND m.status IN ('completed', 'evaluated')"
            " AND m.completed_at >= %s AND m.completed_at < %s",
            [lo, hi, begin, stop],
        )
        completed = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(DISTINCT m.organization_id) FROM matching_match m JOIN demands_demand d ON d.id = m.demand_id"
            f" WHERE d.region_id BETWEEN %s AND %s AND m.status IN {MATCHED} AND ("
            " (m.confirmed_at >= %s AND m.confirmed_at < %s)"
            " OR (m.status IN ('completed', 'evaluated') AND m.completed_at >= %s AND m.completed_at < %s))",
            [lo, hi, begin, stop, begin, stop],
        )
        organizations = cursor.fetchone()[0]
    return {
        "demands_published": published,
        "demands_matched": matched,
        "completed_matches": completed,
        "money_committed": Decimal(committed).quantize(Decimal("0.01")),
        "organizations": organizations,
    }


def from_rollups(code: str, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    from xiangzhen.stats.figures import figures

    f = figures(code, start, end)
    return {
        "demands_published": f.demands_published,
        "demands_matched": f.demands_matched,
        "completed_matches": f.completed_matches,
        "money_committed": f.money_committed,
        "organizations": f.organizations,
    }


def city_report(code: str, start: datetime.date, end: datetime.date) -> bytes:
    """What a city's quarterly report needs built: its figures, then the Word document."""
    from xiangzhen.regions.models import Region
    from xiangzhen.reporting import word
    from xiangzhen.stats.figures import figures

    city = Region.objects.get(pk=code)
    data = figures(code, start, end).as_json()
    document = word.OfficialDocument(
        authorities=[f"{city.name}民政局", f"{city.name}乡村振兴局"],
        title=f"{city.name}关于{start:%Y}年第{(start.month - 1) // 3 + 1}季度社会组织参与乡村振兴工作情况的报告",
        addressee="省民政厅、省乡村振兴局：",
        sections=[word.Section("主要数据", ["以下数据为平台统计。"], table=word.figures_table(data))],
        date=end,
    )
    return word.render(document)


def timings(fn: Any, repeat: int) -> dict[str, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}


def measure(repeat: int) -> dict[str, Any]:
    from django.urls import reverse

    from xiangzhen.regions.models import Region
    from xiangzhen.stats import dashboard, periods, rollups, services
    from xiangzhen.stats.models import Rollup

    # What `rebuild_rollups` does (recount, replace), then what `--check` compares: the stored rows
    # against that recount (one recount serves both: it takes minutes at national size).
    t = time.perf_counter()
    sums = rollups.recount()
    rows = services.replace_rollups(sums)
    rebuild_s = time.perf_counter() - t
    print(f"rollups rebuilt from the records: {rows} rows in {rebuild_s:.1f}s", flush=True)
    t = time.perf_counter()
    assert rollups.stored() == sums, "stored rollups differ from the recount"
    check_s = time.perf_counter() - t

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(region_id, 1, 2), COUNT(*) FROM demands_demand GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )
        top = cursor.fetchone()[0]
    province = f"{top}0000000000"
    city = (
        Region.objects.filter(parent_id=province, level="city").order_by("code").values_list("code", flat=True).first()
    )
    assert city is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(published_at), MAX(published_at) FROM demands_demand")
        first, last = cursor.fetchone()
    last_day = (last if isinstance(last, datetime.datetime) else datetime.datetime.fromisoformat(str(last))).date()
    year = periods.Period("year", last_day.year, 1)
    half = periods.current("half", last_day)
    quarter = periods.current("quarter", last_day)
    results: dict[str, Any] = {
        "rollup_rows": Rollup.objects.count(),
        "rebuild_s": round(rebuild_s, 1),
        "check_s": round(check_s, 1),
        "province": province,
        "city": city,
        "published_between": [str(first)[:10], str(last)[:10]],
    }
    base = reverse("stats:figures")
    for label, code, period in [("province", province, half), ("national", "", year)]:
        expected = raw_sql_figures(code, period.start, period.end)
        got = from_rollups(code, period.start, period.end)
        assert got == expected, (label, got, expected)
        results[label] = {
            "period": period.label,
            "figures": {k: str(v) for k, v in got.items()},
            "figures_from_rollups": timings(lambda c=code, p=period: from_rollups(c, p.start, p.end), repeat),
            "raw_sql_aggregate": timings(lambda c=code, p=period: raw_sql_figures(c, p.start, p.end), repeat),
            "whole_dashboard": timings(
                lambda c=code, p=period: dashboard.build(
                    Region.objects.get(pk=c) if c else None, p, "all", base_url=base
                ),
                max(3, repeat // 3),
            ),
        }
        fast, slow = results[label]["figures_from_rollups"], results[label]["raw_sql_aggregate"]
        results[label]["speedup"] = round(slow["median_ms"] / max(fast["median_ms"], 0.001), 1)
        print(label, json.dumps(results[label], ensure_ascii=False), flush=True)
    results["city_quarterly_report"] = {
        "period": quarter.label,
        **timings(lambda: city_report(city, quarter.start, quarter.end), max(3, repeat // 3)),
    }
    return results


def main() -> None:
    counts, generated_s = national.data_set()
    print("data", counts, f"generated in {generated_s:.1f}s", flush=True)
    if "--generate-only" in sys.argv:
        return
    write("dashboard", {"data": counts, "generated_s": round(generated_s, 1), **measure(REPEAT)})


if __name__ == "__main__":
    main()
