"""Synthetic allocation instances as plain NumPy arrays, with a fixed seed (no database).

A province (or the country) is cut into counties of ~500 demands, ten counties to a city; 30% of
the counties are key assistance counties (重点帮扶县). Offers sit in counties too; each demand gets
~`k` candidate offers: 60% from its own county, 30% from its city, 10% from anywhere. Scores stand
in for `recommendations.scoring` (which needs the database): an untilted part — geography (same
county 0.6, city 0.4, further 0.2, weight 2) plus uniform stand-ins for the other features — and
a per-demand priority in [0, 1] (0.35 for a key county plus the other reasons' share), added
times the tilt strength, as the real score adds its tilt. Capacities are 1–6 demands per offer,
so offers are scarce (about 70% of the demands can be served) and the allocation matters.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DEMANDS_PER_COUNTY = 500
COUNTIES_PER_CITY = 10
KEY_COUNTY_SHARE = 0.3


@dataclass
class Instance:
    demand: npt.NDArray[np.int64]  # per pair
    offer: npt.NDArray[np.int64]  # per pair
    base: npt.NDArray[np.float64]  # per pair: untilted score
    priority: npt.NDArray[np.float64]  # per demand, in [0, 1]
    key_county: npt.NDArray[np.bool_]  # per demand
    need: npt.NDArray[np.int64]  # per demand
    capacity: npt.NDArray[np.int64]  # per offer
    order: npt.NDArray[np.int64]  # demands in published order

    def score(self, tilt: float) -> npt.NDArray[np.float64]:
        return self.base + tilt * self.priority[self.demand]

    @property
    def size(self) -> dict[str, int]:
        return {"demands": int(self.need.size), "offers": int(self.capacity.size), "pairs": int(self.demand.size)}


def _pick(rng: np.random.Generator, groups: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
          counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:  # fmt: skip
    """One random member (index into the sorted offers) of each group in `groups`."""
    return starts[groups] + (rng.random(groups.size) * counts[groups]).astype(np.int64)


def generate(n_demands: int, n_offers: int, k: int = 20, seed: int = 20260501) -> Instance:
    rng = np.random.default_rng(seed)
    n_counties = max(1, n_demands // DEMANDS_PER_COUNTY)
    key = rng.random(n_counties) < KEY_COUNTY_SHARE
    demand_county = rng.integers(0, n_counties, n_demands)
    # Every county has at least one offer; the rest spread at random. Offers sorted by county.
    offer_county = np.sort(np.r_[np.arange(n_counties), rng.integers(0, n_counties, max(0, n_offers - n_counties))])
    n_offers = offer_county.size
    county_start = np.searchsorted(offer_county, np.arange(n_counties))
    county_count = np.bincount(offer_county, minlength=n_counties)
    n_cities = (n_counties + COUNTIES_PER_CITY - 1) // COUNTIES_PER_CITY
    offer_city = offer_county // COUNTIES_PER_CITY
    city_start = np.searchsorted(offer_city, np.arange(n_cities))
    city_count = np.bincount(offer_city, minlength=n_cities)

    d = np.repeat(np.arange(n_demands, dtype=np.int64), k)
    where = rng.random(d.size)
    county = demand_county[d]
    o = np.where(
        where < 0.6,
        _pick(rng, county, county_start, county_count),
        np.where(
            where < 0.9,
            _pick(rng, county // COUNTIES_PER_CITY, city_start, city_count),
            rng.integers(0, n_offers, d.size),
        ),
    )
    # One listing per (demand, offer).
    _, first = np.unique(d * n_offers + o, return_index=True)
    d, o = d[first], o[first]
    same_county = offer_county[o] == demand_county[d]
    same_city = (offer_county[o] // COUNTIES_PER_CITY) == (demand_county[d] // COUNTIES_PER_CITY)
    geography = np.where(same_county, 0.6, np.where(same_city, 0.4, 0.2))
    base = (
        2.0 * geography
        + 2.0 * rng.random(d.size)  # domain overlap
        + 1.5 * rng.random(d.size) * 0.6  # beneficiary groups
        + 1.5 * rng.beta(2, 5, d.size)  # text similarity
        + 1.0 * rng.random(d.size)  # budget fit
        + 1.0 * rng.random(d.size)  # organization record
    )
    key_demand = key[demand_county]
    priority = 0.35 * key_demand + 0.65 * rng.random(n_demands) ** 2
    return Instance(
        demand=d,
        offer=o,
        base=base,
        priority=priority,
        key_county=key_demand,
        need=np.ones(n_demands, dtype=np.int64),
        capacity=rng.integers(1, 7, n_offers).astype(np.int64),
        order=rng.permutation(n_demands).astype(np.int64),
    )
