"""Top-10 recommendations for one demand at national size: the engine against brute-force NumPy.

Data (bench/generate.py, fixed seed): real region codes down to county, ~500k synthetic villages,
organizations, 200k published offers and 1M published demands whose Chinese texts are written from
hidden needs. Generated once per seed and size into var/bench/ (gitignored) and reused.
For 1,000 random demands, in one process:
- the engine as pages and the API run it, with the in-process offer index switched on
  (`scoring.top_offers`; also the SQL path without the index on a smaller sample, same answers checked);
- brute force: every offer's facts in memory, every offer scored with NumPy, masked by the same
  candidacy rules, top 10 taken — the answers must be identical;
- quality against labels the features did not make: the offers written for the demand's hidden
  need that serve its county or closer (precision@5, recall@10, and a random ranking's precision@5).

Sizes: BENCH_DEMANDS, BENCH_OFFERS, BENCH_VILLAGES, BENCH_SAMPLE, BENCH_SQL_SAMPLE.
"""

import os
import random
import resource
import statistics
import sys
import time
import tracemalloc

from common import DATA, setup_django, write

DEMANDS = int(os.environ.get("BENCH_DEMANDS", "1000000"))
OFFERS = int(os.environ.get("BENCH_OFFERS", "200000"))
VILLAGES = int(os.environ.get("BENCH_VILLAGES", "500000"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "1000"))
SEED = 20260611
K = 10
CACHED = DATA / f"recommendations-s{SEED}-d{DEMANDS}-o{OFFERS}-v{VILLAGES}.sqlite3"
# Written last: the database is complete (and reusable) only when this file exists.
HIDDEN = CACHED.with_suffix(".needs.npz")

if not HIDDEN.exists() and "BENCH_DATABASE_URL" not in os.environ:
    CACHED.unlink(missing_ok=True)
setup_django(keep_as=CACHED)

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402

from xiangzhen.demands.models import Demand  # noqa: E402
from xiangzhen.recommendations import scoring  # noqa: E402
from xiangzhen.recommendations.facts import CLOSENESS, NATIONWIDE, Context, load_demands, load_offers  # noqa: E402
from xiangzhen.regions import codes  # noqa: E402


def data_set() -> tuple[dict[str, int], float, dict[int, int], dict[int, int]]:
    """(counts, seconds spent generating, demand id → hidden need, offer id → hidden need), generated
    once per seed and size and then reused from var/bench/."""
    if HIDDEN.exists():
        saved = np.load(HIDDEN)
        counts = {str(k): int(v) for k, v in zip(saved["count_names"], saved["count_values"], strict=True)}
        demand_needs = dict(zip(saved["demand_ids"].tolist(), saved["demand_needs"].tolist(), strict=True))
        offer_needs = dict(zip(saved["offer_ids"].tolist(), saved["offer_needs"].tolist(), strict=True))
        return counts, float(saved["seconds"]), demand_needs, offer_needs
    from django.db import connection
    from generate import generate

    with connection.cursor() as cursor:  # a throw-away file: durability is not needed while filling it
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
    start = time.perf_counter()
    data = generate(demands=DEMANDS, offers=OFFERS, organizations=max(OFFERS // 3, 100), villages=VILLAGES, seed=SEED)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    np.savez(
        HIDDEN,
        count_names=np.array(list(data.counts)),
        count_values=np.array(list(data.counts.values())),
        seconds=np.array(seconds),
        demand_ids=np.array(data.demand_ids),
        demand_needs=np.array(data.demand_needs),
        offer_ids=np.array(data.offer_ids),
        offer_needs=np.array(data.offer_needs),
    )
    return (
        data.counts,
        seconds,
        dict(zip(data.demand_ids, data.demand_needs, strict=True)),
        dict(zip(data.offer_ids, data.offer_needs, strict=True)),
    )


class BruteForce:
    """All offers' facts in memory; scores every offer for a demand with NumPy."""

    def __init__(self, offer_ids: list[int], offer_needs: dict[int, int]) -> None:
        self.context = Context.load()
        self.offers = load_offers(offer_ids, self.context)
        columns: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for row, regions in enumerate(self.offers.service_regions):
            for code in regions:
                rows.append(row)
                cols.append(columns.setdefault(code, len(columns)))
                vals.append(CLOSENESS[codes.level_of(code)])
        self.columns = columns
        self.geo = sparse.csc_matrix((vals, (rows, cols)), shape=(len(self.offers), max(len(columns), 1)))
        self.nationwide = np.where(self.offers.nationwide, NATIONWIDE, 0.0)
        self.all = np.arange(len(self.offers), dtype=np.int64)
        self.need = np.array([offer_needs[pk] for pk in self.offers.ids.tolist()], dtype=np.int64)

    def top(self, demand_id: int, k: int = K) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The top-k offer ids, and per offer row whether it is a candidate and its closeness."""
        demands = load_demands([demand_id], self.context)
        region = demands.regions[0]
        wanted = [self.columns[c] for c in [region, *codes.ancestor_codes(region)] if c in self.columns]
        geo = self.nationwide.copy()
        if wanted:
            geo = np.maximum(geo, self.geo[:, wanted].max(axis=1).toarray().ravel())
        di = np.zeros(len(self.offers), dtype=np.int64)
        values = scoring.pair_values(demands, self.offers, di, self.all, geo, self.context)
        total, _ = values.totals(scoring.weight_rows(demands, di, None))
        ok = scoring.fitting(demands, self.offers, di, self.all, self.context.today.toordinal()) & (geo > 0)
        idx = np.flatnonzero(ok)
        order = idx[np.lexsort((self.offers.ids[idx], -total[idx]))][:k]
        return self.offers.ids[order].tolist(), ok, geo


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed_tops(demands: list[Demand]) -> tuple[list[float], dict[int, list[int]]]:
    times, tops = [], {}
    for demand in demands:
        t = time.perf_counter()
        ranked = scoring.top_offers(demand, K)
        times.append((time.perf_counter() - t) * 1000)
        tops[demand.pk] = [s.offer_id for s in ranked]
    return times, tops


def summary(times: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(times), 2), "p95": round(percentile(times, 95), 2)}


def main() -> None:
    counts, generated_s, demand_needs, offer_needs = data_set()
    print("data", counts, f"generated in {generated_s:.1f}s", flush=True)
    if "--generate-only" in sys.argv:
        return
    from django.conf import settings

    rng = random.Random(7)
    sample_ids = rng.sample(sorted(demand_needs), SAMPLE)
    by_pk = Demand.objects.in_bulk(sample_ids)
    sample = [by_pk[pk] for pk in sample_ids]

    # ---- the engine as pages run it without the index: SQL candidates, their facts loaded per request
    settings.RECOMMENDATION_OFFER_INDEX = False
    scoring.top_offers(sample[0], K)  # the corpus, jieba
    sql_sample = sample[: int(os.environ.get("BENCH_SQL_SAMPLE", "200"))]
    sql_ms, sql_tops = timed_tops(sql_sample)
    print("sql path", summary(sql_ms), flush=True)

    # ---- the engine with the in-process offer index (what a deployment switches on)
    settings.RECOMMENDATION_OFFER_INDEX = True
    rss_before = rss_mb()
    t = time.perf_counter()
    scoring.top_offers(sample[0], K)
    index_build_s = time.perf_counter() - t
    index_rss = rss_mb() - rss_before
    engine_ms, engine_tops = timed_tops(sample)
    print("index path", summary(engine_ms), flush=True)
    same_as_sql = sum(engine_tops[d.pk] == sql_tops[d.pk] for d in sql_sample)
    tracemalloc.start()
    scoring.top_offers(sample[1], K)
    _, engine_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # ---- brute force: every offer scored with NumPy
    rss_before = rss_mb()
    t = time.perf_counter()
    brute = BruteForce(sorted(offer_needs), offer_needs)
    brute_load_s = time.perf_counter() - t
    brute_rss = rss_mb() - rss_before
    brute_ms, agree, candidates = [], 0, []
    precisions, recalls, random_precisions, relevant_sizes = [], [], [], []
    for demand in sample:
        t = time.perf_counter()
        reference, ok, geo = brute.top(demand.pk)
        brute_ms.append((time.perf_counter() - t) * 1000)
        got = engine_tops[demand.pk]
        agree += got == reference
        candidates.append(int(ok.sum()))
        # Labelled set: offers written for the demand's hidden need that serve its county or closer.
        relevant_mask = ok & (geo >= CLOSENESS[codes.Level.COUNTY]) & (brute.need == demand_needs[demand.pk])
        relevant = set(brute.offers.ids[relevant_mask].tolist())
        if not relevant:
            continue
        relevant_sizes.append(len(relevant))
        precisions.append(len(set(got[:5]) & relevant) / 5)
        recalls.append(len(set(got[:10]) & relevant) / len(relevant))
        random_precisions.append(min(len(relevant) / max(int(ok.sum()), 1), 1.0))
    tracemalloc.start()
    brute.top(sample[1].pk)
    _, brute_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    figures = {
        "scale": counts,
        "machine_cpus": os.cpu_count(),
        "generate_seconds": round(generated_s, 1),
        "sample_demands": SAMPLE,
        "candidates_per_demand": {
            "median": statistics.median(candidates),
            "p95": percentile(candidates, 95),
            "max": max(candidates),
        },
        "engine_top10_ms": {
            **summary(engine_ms),
            "path": "in-process offer index (RECOMMENDATION_OFFER_INDEX)",
            "index_build_seconds": round(index_build_s, 1),
            "index_rss_growth_mb": round(index_rss, 1),
            "peak_memory_per_request_mb": round(engine_peak / 2**20, 1),
        },
        "engine_without_index_top10_ms": {
            **summary(sql_ms),
            "path": "SQL candidates, facts loaded per request",
            "sample": len(sql_sample),
            "same_top10_as_index_path": f"{same_as_sql}/{len(sql_sample)}",
        },
        "brute_force_top10_ms": {
            **summary(brute_ms),
            "load_all_offers_seconds": round(brute_load_s, 1),
            "load_rss_growth_mb": round(brute_rss, 1),
            "peak_memory_per_request_mb": round(brute_peak / 2**20, 1),
        },
        "median_ratio_brute_over_engine": round(statistics.median(brute_ms) / statistics.median(engine_ms), 2),
        "top10_agreement_with_brute_force": round(agree / SAMPLE, 4),
        "process_peak_rss_mb": rss_mb(),
        "quality": {
            "label_rule": (
                "offers written for the demand's hidden need (texts drawn from separate phrasings and synonyms) "
                "among its candidates that serve its county, township or village"
            ),
            "labelled_demands": len(precisions),
            "relevant_per_demand_median": statistics.median(relevant_sizes) if relevant_sizes else None,
            "precision_at_5": round(statistics.mean(precisions), 4) if precisions else None,
            "recall_at_10": round(statistics.mean(recalls), 4) if recalls else None,
            "random_ranking_precision_at_5": round(statistics.mean(random_precisions), 4) if precisions else None,
        },
        "target_p95_ms_at_national_scale": 20,
    }
    write("recommendations", figures)


if __name__ == "__main__":
    main()
