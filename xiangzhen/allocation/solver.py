"""The allocation problem on plain data: no Django, no database.

Given candidate pairs (demand, offer, score), how many slots each demand still needs and how many
demands each offer can still take, choose at most one use of each pair so that no demand gets more
than its need, no offer more than its capacity, and the total score is as large as possible.

`solve` answers exactly as a min-cost flow with OR-Tools' SimpleMinCostFlow:

    source ──(remaining capacity, 0)──▶ offer ──(1, −score·SCALE)──▶ demand ──(need, 0)──▶ sink
    source ──────────────────────(bypass, 0)─────────────────────────────────────────────▶ sink

Supply at the source equals demand at the sink; flow that would only lower the total takes the
free bypass, so the amount of flow is chosen by the solver and an unprofitable match is never
forced. Pairs with a score of zero or less get no arc at all. Scores are floats; arc costs are
integers, so the objective is exact on scores rounded to 1/SCALE.

`greedy_first_come` is the baseline of first-come-first-served 接单: demands in published order,
each taking the best-scoring offer that still has capacity.

A minimum share for key assistance counties is a lower bound on flow: with `key` (which demands
lie in a key county) and `min_key` (how many of them must be covered), each key-county demand sends
its first slot through a collector node K, and the arc K → sink must carry at least `min_key`:

    key demand ──(1, 0)──▶ K ──(≥ min_key, 0)──▶ sink        key demand ──(need − 1, 0)──▶ sink

A lower bound L on an arc is the usual shift: K must get L units (supply −L), the sink L fewer
(+L), and the arc keeps capacity − L. Still one exact min-cost flow; if no allocation covers that
many, OR-Tools reports the network infeasible and `InfeasibleShare` says so.

Both have an array form (`solve_arrays`, `greedy_arrays`) on NumPy index arrays, which the
benchmark uses at national scale, and a keyed form on Python objects, which the services use.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

SCALE = 1_000_000  # score units per cost unit: scores are exact to 1e-6

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
DK = TypeVar("DK", bound=Hashable)
OK = TypeVar("OK", bound=Hashable)


class SolverError(RuntimeError):
    """OR-Tools did not report an optimal flow (it always should on a balanced network)."""


class InfeasibleShare(SolverError):
    """No allocation covers the required number of key-county demands."""


@dataclass
class ArrayAllocation:
    """Chosen pairs as indices into the input arrays."""

    chosen: IntArray  # positions in the pair arrays
    total_score: float
    covered: int  # demands with at least one chosen pair


@dataclass
class Allocation(Generic[DK, OK]):
    """Chosen pairs with their keys and scores, best first."""

    assignments: list[tuple[DK, OK, float]] = field(default_factory=list)
    total_score: float = 0.0

    @property
    def covered(self) -> set[DK]:
        return {demand for demand, _, _ in self.assignments}


# ---------------------------------------------------------------- array form


def _usable(score: FloatArray, need: IntArray, capacity: IntArray, d: IntArray, o: IntArray) -> IntArray:
    """Positions of pairs worth considering: positive score, the demand needs and the offer has room."""
    return np.flatnonzero((score > 0) & (need[d] > 0) & (capacity[o] > 0))


def _covered(d: IntArray, chosen: IntArray) -> int:
    return int(np.unique(d[chosen]).size)


def solve_arrays(
    demand: Sequence[int] | IntArray,
    offer: Sequence[int] | IntArray,
    score: Sequence[float] | FloatArray,
    need: Sequence[int] | IntArray,
    capacity: Sequence[int] | IntArray,
    key: Sequence[bool] | npt.NDArray[np.bool_] | None = None,
    min_key: int = 0,
) -> ArrayAllocation:
    """Maximum-score allocation. `demand[i]`, `offer[i]`, `score[i]` describe pair i; `need[d]` and
    `capacity[o]` are slots. A pair listed twice is used at most once per listing. With `key[d]`
    and `min_key`, at least `min_key` key-county demands get a slot (InfeasibleShare if impossible)."""
    d = np.asarray(demand, dtype=np.int64)
    o = np.asarray(offer, dtype=np.int64)
    s = np.asarray(score, dtype=np.float64)
    need_a = np.maximum(np.asarray(need, dtype=np.int64), 0)
    cap_a = np.maximum(np.asarray(capacity, dtype=np.int64), 0)
    keep = _usable(s, need_a, cap_a, d, o)
    if keep.size == 0:
        if min_key > 0:
            raise InfeasibleShare(f"no candidate pair, cannot cover {min_key} key-county demands")
        return ArrayAllocation(np.empty(0, dtype=np.int64), 0.0, 0)
    kd, ko = d[keep], o[keep]
    # Nobody can use more slots than it has arcs: keeps supplies small and exact.
    need_c = np.minimum(need_a, np.bincount(kd, minlength=need_a.size))
    cap_c = np.minimum(cap_a, np.bincount(ko, minlength=cap_a.size))
    n_offers, n_demands = cap_c.size, need_c.size
    source, sink, collector, first_offer = 0, 1, 2, 3
    first_demand = first_offer + n_offers
    offers_used = np.flatnonzero(cap_c > 0)
    demands_used = np.flatnonzero(need_c > 0)
    flow = int(min(cap_c.sum(), need_c.sum()))
    is_key = np.zeros(n_demands, dtype=np.bool_) if key is None else np.asarray(key, dtype=np.bool_)
    keyed = demands_used[is_key[demands_used]] if min_key > 0 else np.empty(0, dtype=np.int64)
    if min_key > keyed.size:
        raise InfeasibleShare(f"only {keyed.size} key-county demands have candidates, {min_key} required")
    # Key-county demands send their first slot through the collector, the rest straight to the sink.
    to_sink = need_c[demands_used] - np.isin(demands_used, keyed)

    tails = np.concatenate(
        [
            np.zeros(offers_used.size, dtype=np.int64),
            first_offer + ko,
            first_demand + demands_used,
            first_demand + keyed,
            np.array([collector, source]),
        ]
    )
    heads = np.concatenate(
        [
            first_offer + offers_used,
            first_demand + kd,
            np.full(demands_used.size, sink, dtype=np.int64),
            np.full(keyed.size, collector, dtype=np.int64),
            np.array([sink, sink]),
        ]
    )
    capacities = np.concatenate(
        [
            cap_c[offers_used],
            np.ones(keep.size, dtype=np.int64),
            to_sink,
            np.ones(keyed.size, dtype=np.int64),
            np.array([keyed.size - min_key, flow]),
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(offers_used.size, dtype=np.int64),
            -np.rint(s[keep] * SCALE).astype(np.int64),
            np.zeros(demands_used.size + keyed.size + 2, dtype=np.int64),
        ]
    )
    network = min_cost_flow.SimpleMinCostFlow()
    arcs = network.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    supplies = np.zeros(first_demand + n_demands, dtype=np.int64)
    # The collector's lower bound, shifted into supplies.
    supplies[source], supplies[sink], supplies[collector] = flow, -flow + min_key, -min_key
    network.set_nodes_supplies(np.arange(supplies.size, dtype=np.int32), supplies)
    status = network.solve()
    if status == network.INFEASIBLE and min_key > 0:
        raise InfeasibleShare(f"no allocation covers {min_key} key-county demands")
    if status != network.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    pair_arcs = np.asarray(arcs)[offers_used.size : offers_used.size + keep.size]
    used = network.flows(pair_arcs) > 0
    chosen = keep[used]
    return ArrayAllocation(chosen, float(s[chosen].sum()), _covered(d, chosen))


def greedy_arrays(
    demand: Sequence[int] | IntArray,
    offer: Sequence[int] | IntArray,
    score: Sequence[float] | FloatArray,
    need: Sequence[int] | IntArray,
    capacity: Sequence[int] | IntArray,
    order: Sequence[int] | IntArray | None = None,
) -> ArrayAllocation:
    """First come, first served: demands in `order` (default: index order, i.e. published order)
    each take their best-scoring offers that still have room, up to their need."""
    d = np.asarray(demand, dtype=np.int64)
    o = np.asarray(offer, dtype=np.int64)
    s = np.asarray(score, dtype=np.float64)
    need_a = np.maximum(np.asarray(need, dtype=np.int64), 0)
    left = np.maximum(np.asarray(capacity, dtype=np.int64), 0).tolist()
    keep = _usable(s, need_a, np.asarray(left, dtype=np.int64), d, o)
    rank = np.empty(need_a.size, dtype=np.int64)
    rank[np.arange(need_a.size) if order is None else np.asarray(order, dtype=np.int64)] = np.arange(need_a.size)
    # Group the pairs by demand (in arrival order), best score first within a demand.
    if keep.size == 0:
        return ArrayAllocation(np.empty(0, dtype=np.int64), 0.0, 0)
    keep = keep[np.lexsort((-s[keep], rank[d[keep]]))]
    kd = d[keep]
    starts = np.flatnonzero(np.r_[True, kd[1:] != kd[:-1]])
    ends = np.r_[starts[1:], keep.size]
    offers_sorted = o[keep].tolist()
    needs = need_a[kd[starts]].tolist()
    chosen: list[int] = []
    for start, end, wanted in zip(starts.tolist(), ends.tolist(), needs, strict=True):
        for position in range(start, end):
            if wanted == 0:
                break
            candidate = offers_sorted[position]
            if left[candidate] > 0:
                left[candidate] -= 1
                wanted -= 1
                chosen.append(position)
    picked = keep[np.asarray(chosen, dtype=np.int64)]
    return ArrayAllocation(picked, float(s[picked].sum()), _covered(d, picked))


# ---------------------------------------------------------------- keyed form


def _index(
    pairs: Iterable[tuple[DK, OK, float]], demand_need: Mapping[DK, int], offer_capacity: Mapping[OK, int]
) -> tuple[list[DK], list[OK], list[tuple[DK, OK, float]], IntArray, IntArray, FloatArray]:
    demands = list(demand_need)
    offers = list(offer_capacity)
    d_index = {key: i for i, key in enumerate(demands)}
    o_index = {key: i for i, key in enumerate(offers)}
    listed = [(dk, ok, float(sc)) for dk, ok, sc in pairs if dk in d_index and ok in o_index]
    d = np.fromiter((d_index[dk] for dk, _, _ in listed), dtype=np.int64, count=len(listed))
    o = np.fromiter((o_index[ok] for _, ok, _ in listed), dtype=np.int64, count=len(listed))
    s = np.fromiter((sc for _, _, sc in listed), dtype=np.float64, count=len(listed))
    return demands, offers, listed, d, o, s


def _keyed(listed: list[tuple[DK, OK, float]], result: ArrayAllocation) -> Allocation[DK, OK]:
    assignments = sorted((listed[i] for i in result.chosen.tolist()), key=lambda pair: -pair[2])
    return Allocation(assignments, result.total_score)


def solve(
    pairs: Iterable[tuple[DK, OK, float]],
    demand_need: Mapping[DK, int],
    offer_capacity: Mapping[OK, int],
    *,
    key_demands: Set[DK] = frozenset(),
    min_key: int = 0,
) -> Allocation[DK, OK]:
    """The maximum-total-score allocation of `pairs` (demand key, offer key, score) under each
    demand's need and each offer's capacity, in slots, covering at least `min_key` of
    `key_demands`. Pairs naming an unknown key are ignored."""
    demands, offers, listed, d, o, s = _index(pairs, demand_need, offer_capacity)
    need = [demand_need[k] for k in demands]
    capacity = [offer_capacity[k] for k in offers]
    key = [k in key_demands for k in demands]
    return _keyed(listed, solve_arrays(d, o, s, need, capacity, key, min_key))


def greedy_first_come(
    pairs: Iterable[tuple[DK, OK, float]], demand_need: Mapping[DK, int], offer_capacity: Mapping[OK, int]
) -> Allocation[DK, OK]:
    """The first-come-first-served baseline; `demand_need` is iterated in published order."""
    demands, offers, listed, d, o, s = _index(pairs, demand_need, offer_capacity)
    need = [demand_need[k] for k in demands]
    capacity = [offer_capacity[k] for k in offers]
    return _keyed(listed, greedy_arrays(d, o, s, need, capacity))
