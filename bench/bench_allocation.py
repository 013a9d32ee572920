"""Allocation (智能推荐方案): the exact min-cost-flow solver against first-come-first-served.

The solver is a pure function on arrays, so this benchmark needs no database: instances come from
`generate_allocation` (fixed seed). Each case runs in its own process so its peak resident memory
(ru_maxrss: NumPy arrays and OR-Tools' C++ graph alike; the instance's own arrays included) is its own.

    .venv/bin/python bench/bench_allocation.py            # province, optimum check, tilt sweep, national
    .venv/bin/python bench/bench_allocation.py --quick    # skip the national size

Figures per case: wall time of the solve (graph building included), demands covered, key-county
demands covered, total tilted score and the untilted score of the chosen pairs. The optimum check
compares the exact solver's objective with the LP optimum (SciPy/HiGHS) of the same instance —
the bipartite b-matching LP is totally unimodular, so the LP bound is the integer optimum.
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from generate_allocation import Instance, generate  # noqa: E402

from xiangzhen.allocation.solver import (  # noqa: E402
    SCALE,
    ArrayAllocation,
    InfeasibleShare,
    greedy_arrays,
    solve_arrays,
)

RESULTS = ROOT / "bench" / "results"
SIZES = {
    "province": (50_000, 10_000, 20),
    "lp_check": (5_000, 1_000, 20),
    "national": (1_000_000, 200_000, 20),
}
TILTS = [0.0, 0.5, 1.0, 2.0, 4.0]
MIN_SHARES = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95]
DEFAULT_TILT = 1.0  # recommendations.models.DEFAULTS["tilt"]


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def figures(instance: Instance, result: ArrayAllocation, seconds: float) -> dict[str, Any]:
    chosen_demands = np.unique(instance.demand[result.chosen])
    return {
        "seconds": round(seconds, 3),
        "assignments": int(result.chosen.size),
        "demands_covered": int(chosen_demands.size),
        "key_county_covered": int(instance.key_county[chosen_demands].sum()),
        "total_score": round(result.total_score, 3),
        "untilted_score": round(float(instance.base[result.chosen].sum()), 3),
    }


def run_method(size: str, method: str) -> dict[str, Any]:
    n_demands, n_offers, k = SIZES[size]
    started = time.perf_counter()
    instance = generate(n_demands, n_offers, k)
    generated = time.perf_counter() - started
    rss_instance = peak_mb()
    score = instance.score(DEFAULT_TILT)
    started = time.perf_counter()
    if method == "exact":
        result = solve_arrays(instance.demand, instance.offer, score, instance.need, instance.capacity)
    else:
        result = greedy_arrays(instance.demand, instance.offer, score, instance.need, instance.capacity, instance.order)
    seconds = time.perf_counter() - started
    return {
        **figures(instance, result, seconds),
        "generate_seconds": round(generated, 3),
        "peak_rss_mb_after_generating": rss_instance,
        "peak_rss_mb": peak_mb(),
    }


def lp_bound(instance: Instance, score: np.ndarray) -> tuple[float, float]:
    """LP optimum of the allocation (x in [0, 1] per pair) with SciPy's HiGHS; (objective, seconds)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack

    n = instance.demand.size
    columns = np.arange(n)
    by_demand = csr_matrix((np.ones(n), (instance.demand, columns)), shape=(instance.need.size, n))
    by_offer = csr_matrix((np.ones(n), (instance.offer, columns)), shape=(instance.capacity.size, n))
    started = time.perf_counter()
    # Integer objective in the solver's units, so both sides are compared on the same rounding.
    costs = -np.rint(score * SCALE)
    answer = linprog(
        np.where(costs < 0, costs, 0.0),
        A_ub=vstack([by_demand, by_offer]).tocsr(),
        b_ub=np.r_[instance.need, instance.capacity],
        bounds=(0, 1),
        method="highs",
    )
    assert answer.status == 0, answer.message
    return -answer.fun / SCALE, time.perf_counter() - started


def run_lp_check(size: str) -> dict[str, Any]:
    n_demands, n_offers, k = SIZES[size]
    instance = generate(n_demands, n_offers, k, seed=7)
    score = instance.score(DEFAULT_TILT)
    started = time.perf_counter()
    exact = solve_arrays(instance.demand, instance.offer, score, instance.need, instance.capacity)
    exact_seconds = time.perf_counter() - started
    exact_units = float(np.rint(score[exact.chosen] * SCALE).sum()) / SCALE
    bound, lp_seconds = lp_bound(instance, score)
    return {
        "instance": instance.size,
        "exact_objective": round(exact_units, 6),
        "lp_bound": round(bound, 6),
        "gap": round(bound - exact_units, 9),
        "equal_to_optimum": abs(bound - exact_units) < 1e-6,
        "exact_seconds": round(exact_seconds, 3),
        "lp_seconds": round(lp_seconds, 3),
    }


def run_tilt_sweep(size: str) -> dict[str, Any]:
    """Exact allocation at several tilt strengths: who gets served, and what the tilt costs."""
    n_demands, n_offers, k = SIZES[size]
    instance = generate(n_demands, n_offers, k)
    key_total = int(instance.key_county.sum())
    other_total = int(instance.need.size - key_total)
    rows = []
    untilted_best = None
    for tilt in TILTS:
        result = solve_arrays(instance.demand, instance.offer, instance.score(tilt), instance.need, instance.capacity)
        served = np.unique(instance.demand[result.chosen])
        key_served = int(instance.key_county[served].sum())
        untilted = float(instance.base[result.chosen].sum())
        if tilt == 0.0:
            untilted_best = untilted
        assert untilted_best is not None
        rows.append(
            {
                "tilt": tilt,
                "key_county_coverage": round(key_served / key_total, 4),
                "other_coverage": round((served.size - key_served) / other_total, 4),
                "key_county_share_of_served": round(key_served / served.size, 4),
                "untilted_score": round(untilted, 3),
                "price_of_tilt": round(untilted_best - untilted, 3),
                "price_of_tilt_percent": round(100 * (untilted_best - untilted) / untilted_best, 3),
            }
        )
    # The other lever: no tilt, but a minimum share of key-county demands covered (exact, as a
    # lower bound in the flow). Shares are of all key-county demands in the instance.
    share_rows = []
    base_best = None
    key_mask = instance.key_county.astype(bool)
    for share in MIN_SHARES:
        required = int(np.ceil(share * key_total))
        started = time.perf_counter()
        try:
            result = solve_arrays(
                instance.demand, instance.offer, instance.base, instance.need, instance.capacity, key_mask, required
            )
        except InfeasibleShare:
            share_rows.append({"min_key_share": share, "required": required, "feasible": False})
            continue
        seconds = time.perf_counter() - started
        served = np.unique(instance.demand[result.chosen])
        key_served = int(instance.key_county[served].sum())
        untilted = float(instance.base[result.chosen].sum())
        if base_best is None:
            base_best = untilted
        share_rows.append(
            {
                "min_key_share": share,
                "required": required,
                "feasible": True,
                "seconds": round(seconds, 3),
                "key_county_coverage": round(key_served / key_total, 4),
                "other_coverage": round((served.size - key_served) / other_total, 4),
                "untilted_score": round(untilted, 3),
                "price_of_share": round(base_best - untilted, 3),
                "price_of_share_percent": round(100 * (base_best - untilted) / base_best, 3),
            }
        )
    return {
        "instance": instance.size,
        "key_county_demands": key_total,
        "other_demands": other_total,
        "sweep": rows,
        "min_share_sweep_untilted": share_rows,
    }


CASES = {
    "province_exact": lambda: run_method("province", "exact"),
    "province_greedy": lambda: run_method("province", "greedy"),
    "optimum_check": lambda: run_lp_check("lp_check"),
    "optimum_check_province": lambda: run_lp_check("province"),
    "tilt_sweep": lambda: run_tilt_sweep("province"),
    "national_exact": lambda: run_method("national", "exact"),
    "national_greedy": lambda: run_method("national", "greedy"),
}


def in_subprocess(case: str, timeout: int) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"reached": False, "error": f"not finished within {timeout} s"}
    if done.returncode != 0:
        return {"reached": False, "error": done.stderr.strip().splitlines()[-1:] or f"exit {done.returncode}"}
    return {"reached": True, **json.loads(done.stdout), "process_seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(CASES[sys.argv[2]]()))
        return
    quick = "--quick" in sys.argv
    scale = {name: dict(zip(("demands", "offers", "candidates_per_demand"), size, strict=True))
             for name, size in SIZES.items()}  # fmt: skip
    results: dict[str, Any] = {
        "benchmark": "allocation",
        "database": "none (pure solver on arrays)",
        "machine_cpus": __import__("os").cpu_count(),
        "scale": scale,
        "tilt_strength": DEFAULT_TILT,
    }
    for case in ["province_exact", "province_greedy", "optimum_check", "optimum_check_province", "tilt_sweep"]:
        results[case] = in_subprocess(case, timeout=900)
        print(case, json.dumps(results[case], ensure_ascii=False), file=sys.stderr)
    if not quick:
        for case in ["national_exact", "national_greedy"]:
            results[case] = in_subprocess(case, timeout=900)
            print(case, json.dumps(results[case], ensure_ascii=False), file=sys.stderr)
    exact, greedy = results["province_exact"], results["province_greedy"]
    if exact.get("reached") and greedy.get("reached"):
        results["province_exact_vs_greedy"] = {
            "score_gain_percent": round(100 * (exact["total_score"] / greedy["total_score"] - 1), 3),
            "extra_demands_covered": exact["demands_covered"] - greedy["demands_covered"],
            "extra_key_county_covered": exact["key_county_covered"] - greedy["key_county_covered"],
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, ensure_ascii=False, indent=2)
    (RESULTS / "allocation.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
