"""The pure solver: exact on small instances (against brute force), never over capacity, never
a negative-score pair, and better than first-come-first-served where greed goes wrong."""

import itertools
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangzhen.allocation.solver import greedy_arrays, greedy_first_come, solve, solve_arrays


def test_optimal_beats_greedy_on_a_crafted_case():
    # Demand a arrives first and takes x, its best; b then only has y at 0.5.
    # The optimum gives x to b and y to a: 4 + 4.5 = 8.5 against 5 + 0.5 = 5.5.
    pairs = [("a", "x", 5.0), ("a", "y", 4.0), ("b", "x", 4.5), ("b", "y", 0.5)]
    need = {"a": 1, "b": 1}
    capacity = {"x": 1, "y": 1}
    best = solve(pairs, need, capacity)
    greedy = greedy_first_come(pairs, need, capacity)
    assert sorted(best.assignments) == [("a", "y", 4.0), ("b", "x", 4.5)]
    assert best.total_score == 8.5
    assert greedy.assignments == [("a", "x", 5.0), ("b", "y", 0.5)]
    assert greedy.total_score == 5.5


def test_optimal_covers_more_demands_when_greedy_strands_one():
    # a takes x first; b had only x. The optimum serves both.
    pairs = [("a", "x", 3.0), ("a", "y", 2.9), ("b", "x", 1.0)]
    best = solve(pairs, {"a": 1, "b": 1}, {"x": 1, "y": 1})
    greedy = greedy_first_come(pairs, {"a": 1, "b": 1}, {"x": 1, "y": 1})
    assert best.covered == {"a", "b"}
    assert greedy.covered == {"a"}


def test_unprofitable_pairs_are_never_assigned_and_nothing_is_forced():
    pairs = [("a", "x", -1.0), ("b", "x", 0.0), ("c", "y", 2.0)]
    result = solve(pairs, {"a": 1, "b": 1, "c": 1}, {"x": 5, "y": 5})
    assert result.assignments == [("c", "y", 2.0)]
    assert greedy_first_come(pairs, {"a": 1, "b": 1, "c": 1}, {"x": 5, "y": 5}).assignments == [("c", "y", 2.0)]


def test_zero_need_zero_capacity_and_unknown_keys_are_ignored():
    pairs = [("a", "x", 1.0), ("b", "y", 1.0), ("c", "zz", 9.0), ("ghost", "x", 9.0)]
    result = solve(pairs, {"a": 0, "b": 1, "c": 1}, {"x": 1, "y": 0})
    assert result.assignments == []
    assert solve([], {}, {}).total_score == 0.0


def test_demand_need_above_one_takes_several_offers_once_each():
    pairs = [("a", "x", 1.0), ("a", "y", 2.0), ("a", "z", 3.0), ("b", "z", 0.1)]
    result = solve(pairs, {"a": 2, "b": 1}, {"x": 1, "y": 1, "z": 1})
    assert sorted(result.assignments) == [("a", "y", 2.0), ("a", "z", 3.0)]


def brute_force(pairs, need, capacity):
    """Best total over every subset of pairs that respects need and capacity."""
    best = 0.0
    positive = [p for p in pairs if p[2] > 0]
    for size in range(len(positive) + 1):
        for subset in itertools.combinations(positive, size):
            demands = Counter(d for d, _, _ in subset)
            offers = Counter(o for _, o, _ in subset)
            if all(demands[d] <= need[d] for d in demands) and all(offers[o] <= capacity[o] for o in offers):
                best = max(best, sum(s for _, _, s in subset))
    return best


@st.composite
def instances(draw):
    n_demands = draw(st.integers(1, 4))
    n_offers = draw(st.integers(1, 3))
    need = {d: draw(st.integers(0, 2)) for d in range(n_demands)}
    capacity = {f"o{o}": draw(st.integers(0, 2)) for o in range(n_offers)}
    all_pairs = [(d, f"o{o}") for d in range(n_demands) for o in range(n_offers)]
    chosen = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=9))
    scores = st.floats(-2, 10, allow_nan=False).map(lambda x: round(x, 3))
    pairs = [(d, o, draw(scores)) for d, o in chosen]
    return pairs, need, capacity


def respects_limits(result, need, capacity):
    demands = Counter(d for d, _, _ in result.assignments)
    offers = Counter(o for _, o, _ in result.assignments)
    pairs = Counter((d, o) for d, o, _ in result.assignments)
    return (
        all(demands[d] <= need[d] for d in demands)
        and all(offers[o] <= capacity[o] for o in offers)
        and all(n == 1 for n in pairs.values())
        and all(s > 0 for _, _, s in result.assignments)
    )


@settings(max_examples=300, deadline=None)
@given(instances())
def test_exact_solver_equals_brute_force(instance):
    pairs, need, capacity = instance
    result = solve(pairs, need, capacity)
    assert respects_limits(result, need, capacity)
    assert abs(result.total_score - brute_force(pairs, need, capacity)) < 1e-6
    greedy = greedy_first_come(pairs, need, capacity)
    assert respects_limits(greedy, need, capacity)
    assert greedy.total_score <= result.total_score + 1e-9


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_capacities_hold_on_larger_random_instances(seed):
    rng = np.random.default_rng(seed)
    n_demands, n_offers, n_pairs = 60, 15, 400
    d = rng.integers(0, n_demands, n_pairs)
    o = rng.integers(0, n_offers, n_pairs)
    s = rng.normal(1.0, 1.0, n_pairs)
    need = rng.integers(0, 3, n_demands)
    capacity = rng.integers(0, 5, n_offers)
    for result in (solve_arrays(d, o, s, need, capacity), greedy_arrays(d, o, s, need, capacity)):
        assert (np.bincount(d[result.chosen], minlength=n_demands) <= need).all()
        assert (np.bincount(o[result.chosen], minlength=n_offers) <= capacity).all()
        assert (s[result.chosen] > 0).all()
        assert len(set(result.chosen.tolist())) == result.chosen.size
    assert (
        solve_arrays(d, o, s, need, capacity).total_score >= greedy_arrays(d, o, s, need, capacity).total_score - 1e-9
    )


def test_minimum_key_county_share_covers_key_demands_at_a_price():
    # One slot; the non-key demand b scores higher, so without a minimum it wins.
    pairs = [("k", "x", 1.0), ("b", "x", 5.0)]
    need = {"k": 1, "b": 1}
    capacity = {"x": 1}
    assert solve(pairs, need, capacity).covered == {"b"}
    forced = solve(pairs, need, capacity, key_demands={"k"}, min_key=1)
    assert forced.assignments == [("k", "x", 1.0)]
    assert forced.total_score == 1.0


def test_minimum_key_county_share_that_cannot_be_met_is_reported():
    import pytest

    from xiangzhen.allocation.solver import InfeasibleShare

    pairs = [("k1", "x", 1.0), ("k2", "x", 2.0)]
    with pytest.raises(InfeasibleShare):
        solve(pairs, {"k1": 1, "k2": 1}, {"x": 1}, key_demands={"k1", "k2"}, min_key=2)
    with pytest.raises(InfeasibleShare):
        solve(pairs, {"k1": 1, "k2": 1}, {"x": 1}, key_demands={"k1"}, min_key=2)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), share=st.sampled_from([0.0, 0.3, 0.6, 0.9]))
def test_minimum_share_is_the_lp_optimum_with_the_share_constraint(seed, share):
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack

    from xiangzhen.allocation.solver import SCALE, InfeasibleShare

    rng = np.random.default_rng(seed)
    n_d, n_o = 12, 4
    d = np.repeat(np.arange(n_d), 3)
    o = rng.integers(0, n_o, d.size)
    d, o = np.unique(np.c_[d, o], axis=0).T
    score = np.round(rng.uniform(0.1, 5.0, d.size), 3)
    need, capacity = np.ones(n_d, dtype=np.int64), rng.integers(1, 3, n_o)
    key = rng.random(n_d) < 0.4
    min_key = int(np.ceil(share * key.sum()))
    cols = np.arange(d.size)
    rows = vstack(
        [
            csr_matrix((np.ones(d.size), (d, cols)), shape=(n_d, d.size)),
            csr_matrix((np.ones(d.size), (o, cols)), shape=(n_o, d.size)),
            csr_matrix(-key[d].astype(float)[None, :]),
        ]
    )
    lp = linprog(
        -np.rint(score * SCALE), A_ub=rows, b_ub=np.r_[need, capacity, -min_key], bounds=(0, 1), method="highs"
    )
    try:
        exact = solve_arrays(d, o, score, need, capacity, key, min_key)
    except InfeasibleShare:
        assert lp.status == 2  # infeasible too
        return
    assert lp.status == 0
    assert np.unique(d[exact.chosen][key[d[exact.chosen]]]).size >= min_key
    assert float(np.rint(score[exact.chosen] * SCALE).sum()) == -round(lp.fun)
