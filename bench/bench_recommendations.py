"""Top-10 recommendations for one demand: the engine against brute-force NumPy scoring of all offers.

Generates (fixed seed) real region codes down to county with synthetic townships and villages,
organizations, published offers and demands (bench/generate.py) in a throw-away SQLite database,
then for 1,000 random demands measures in the same process:
- the engine: `scoring.top_offers` — SQL candidate retrieval (domain, service area, window, capacity)
  then vectorized scoring and explanations of the candidates, exactly what a page or the API runs;
- brute force: every published offer's facts held in memory once, every offer scored for the
  demand with NumPy (geography by a sparse offer × region matrix), masked by the same candidacy
  rules, top 10 taken.
It checks that both give the same top-10 (ids, in order), and evaluates quality on a labelled set:
for the 1,000 sampled demands, the offers a careful official would pick — candidates serving the demand's
county (or finer), in its domain and for one of its beneficiary groups — with precision@5 and
recall@10 of the engine's ranking.

Scale: BENCH_DEMANDS (default 50,000) demands and BENCH_OFFERS (default 10,000) offers — not the
national 1M/200k of issue 4.
"""

import os
import random
import statistics
import time
import tracemalloc

from common import setup_django, write

setup_django()

import numpy as np  # noqa: E402
from generate import generate  # noqa: E402
from scipy import sparse  # noqa: E402

from xiangzhen.demands.models import Demand  # noqa: E402
from xiangzhen.recommendations import scoring  # noqa: E402
from xiangzhen.recommendations.facts import CLOSENESS, NATIONWIDE, Context, load_demands, load_offers  # noqa: E402
from xiangzhen.regions import codes  # noqa: E402

DEMANDS = int(os.environ.get("BENCH_DEMANDS", "50000"))
OFFERS = int(os.environ.get("BENCH_OFFERS", "10000"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "1000"))
K = 10


class BruteForce:
    """All offers' facts in memory; scores every offer for a demand with NumPy."""

    def __init__(self, offer_ids: list[int]) -> None:
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

    def top(self, demand_id: int, k: int = K) -> list[int]:
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
        return self.offers.ids[order].tolist()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    start = time.perf_counter()
    data = generate(demands=DEMANDS, offers=OFFERS, organizations=max(OFFERS // 3, 100))
    generated_s = time.perf_counter() - start
    print("generated", data.counts, f"in {generated_s:.1f}s")
    rng = random.Random(7)
    sample_ids = rng.sample(data.demand_ids, SAMPLE)
    sample = {d.pk: d for d in Demand.objects.filter(pk__in=sample_ids).prefetch_related("domains")}

    scoring.top_offers(sample[sample_ids[0]], K)  # warm the corpus IDF and jieba once
    t = time.perf_counter()
    tracemalloc.start()
    brute = BruteForce(data.offer_ids)
    _, brute_load_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    brute_load_s = time.perf_counter() - t

    engine_ms, brute_ms, agree, candidates = [], [], 0, []
    engine_tops: dict[int, list[int]] = {}
    for demand_id in sample_ids:
        demand = sample[demand_id]
        t = time.perf_counter()
        ranked = scoring.top_offers(demand, K)
        engine_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        reference = brute.top(demand_id)
        brute_ms.append((time.perf_counter() - t) * 1000)
        got = [s.offer_id for s in ranked]
        engine_tops[demand_id] = got
        agree += got == reference
        candidates.append(scoring.candidate_offers(demand).count())

    tracemalloc.start()
    scoring.top_offers(sample[sample_ids[1]], K)
    _, engine_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # ---- labelled evaluation: what a careful official would pick
    label_ids = sample_ids
    demands = load_demands(label_ids, brute.context)
    offers = brute.offers
    precisions, recalls = [], []
    for row, demand_id in enumerate(demands.ids.tolist()):
        region = demands.regions[row]
        county = region[:6]
        relevant = set()
        for o in scoring.candidate_offers(sample[demand_id]).values_list("pk", flat=True):
            j = offers.index[o]
            same_county = any(c[:6] == county and codes.level_of(c) in ("county", "township", "village")
                              for c in offers.service_regions[j] if codes.contains(c, region))  # fmt: skip
            if (
                same_county
                and demands.domain_mask[row] & offers.domain_mask[j]
                and demands.group_mask[row] & offers.group_mask[j]
                and int(offers.organization_ids[j]) not in demands.serving[row]
            ):
                relevant.add(o)
        if not relevant:
            continue
        top = engine_tops[demand_id]
        precisions.append(len(set(top[:5]) & relevant) / 5)
        recalls.append(len(set(top[:10]) & relevant) / len(relevant))

    figures = {
        "scale": {
            **data.counts,
            "note": "reduced scale: 50k demands / 10k offers by default (issue 4 asks 1M / 200k nationally)",
        },
        "generate_seconds": round(generated_s, 1),
        "sample_demands": SAMPLE,
        "candidates_per_demand": {"median": statistics.median(candidates), "max": max(candidates)},
        "engine_top10_ms": {
            "median": round(statistics.median(engine_ms), 2),
            "p95": round(percentile(engine_ms, 95), 2),
            "peak_memory_mb": round(engine_peak / 2**20, 1),
        },
        "brute_force_top10_ms": {
            "median": round(statistics.median(brute_ms), 2),
            "p95": round(percentile(brute_ms, 95), 2),
            "load_all_offers_seconds": round(brute_load_s, 2),
            "load_peak_memory_mb": round(brute_load_peak / 2**20, 1),
        },
        "median_ratio_brute_over_engine": round(statistics.median(brute_ms) / statistics.median(engine_ms), 2),
        "top10_agreement": round(agree / SAMPLE, 4),
        "quality": {
            "labelled_demands": len(precisions),
            "label_rule": "candidates serving the demand's county or finer, same domain, a shared beneficiary group",
            "precision_at_5": round(statistics.mean(precisions), 4) if precisions else None,
            "recall_at_10": round(statistics.mean(recalls), 4) if recalls else None,
        },
        "target_p95_ms_at_national_scale": 20,
    }
    write("recommendations", figures)


if __name__ == "__main__":
    main()
