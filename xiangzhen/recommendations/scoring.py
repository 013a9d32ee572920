"""Scoring a demand against an offer (DESIGN §5): a weighted sum of named features plus a priority tilt.

Features, each a value in [0, 1] times the province's weight:
- domain_overlap: Jaccard of the two sets of domains;
- group_overlap: Jaccard of the beneficiary groups (an offer naming none counts 0.3: it serves any);
- geography: the level of the offer's service region that contains the demand — same village 1.0,
  township 0.8, county 0.6, city 0.4, province 0.2, nationwide 0.1;
- text_similarity: cosine of TF-IDF vectors over jieba words of title and description (`text`);
- budget_fit: the offer's remaining money over the demand's uncovered budget, capped at 1;
- organization_record: rating (1A–5A), completion rate and average evaluation (`facts.OrganizationRecord`).
The tilt depends on the demand alone — key assistance county, designated village, most vulnerable
groups, days waited since publication — so it never reorders the offers of one demand, but it
orders demands for an offer and it steers the allocation.

Everything is computed over NumPy arrays (`facts`): one call scores any number of pairs, and the
same code serves a single demand's top-k, the batch of `pair_scores` and `score` for one pair.
"""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.matching.models import Match
from xiangzhen.offers import selectors as offer_selectors
from xiangzhen.offers.models import Offer
from xiangzhen.organizations.models import Organization
from xiangzhen.recommendations import index as offer_index
from xiangzhen.recommendations import text
from xiangzhen.recommendations.facts import (
    CLOSENESS,
    CLOSENESS_LABELS,
    NATIONWIDE,
    Bools,
    Context,
    DemandFacts,
    Floats,
    Ints,
    OfferFacts,
    load_demands,
    load_offers,
)
from xiangzhen.recommendations.models import DEFAULTS, FEATURES, MatchingWeights
from xiangzhen.regions import codes

FEATURE_CODES = [
    "domain_overlap", "group_overlap", "geography", "text_similarity", "budget_fit", "organization_record",
]  # fmt: skip
# The tilt strength is shared among the priority reasons (the shares add up to 1).
TILT_SHARES = {"key_county": 0.35, "designated_place": 0.25, "vulnerable_group": 0.2, "waited": 0.2}
TILT_LABELS = {
    "key_county": "重点帮扶县",
    "designated_place": "重点村",
    "vulnerable_group": "最困难群体",
    "waited": "等待时间",
}
WAIT_FULL_DAYS = 90
ANY_GROUP = 0.3
PAIR_CHUNK = 200_000


@dataclass(frozen=True)
class Weights:
    """How much each feature counts, and the tilt strength (all 0–10)."""

    domain_overlap: float = DEFAULTS["domain_overlap"]
    group_overlap: float = DEFAULTS["group_overlap"]
    geography: float = DEFAULTS["geography"]
    text_similarity: float = DEFAULTS["text_similarity"]
    budget_fit: float = DEFAULTS["budget_fit"]
    organization_record: float = DEFAULTS["organization_record"]
    tilt: float = DEFAULTS["tilt"]

    @classmethod
    def of(cls, row: MatchingWeights) -> "Weights":
        return cls(**{name: float(getattr(row, name)) for name in FEATURES})

    def vector(self) -> Floats:
        """The feature weights in FEATURE_CODES order, then the tilt strength."""
        return np.array([getattr(self, name) for name in [*FEATURE_CODES, "tilt"]], dtype=np.float64)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def province_of(region_code: str) -> str:
    return region_code[:2] + "0" * 10


def weights_for(province_codes: Iterable[str]) -> dict[str, Weights]:
    """Province code → its weights (its own row, else the national row, else the defaults), one query."""
    wanted = sorted(set(province_codes))
    rows = {
        row.region_id: row for row in MatchingWeights.objects.filter(Q(region__isnull=True) | Q(region_id__in=wanted))
    }
    national = Weights.of(rows[None]) if None in rows else Weights()
    return {code: Weights.of(rows[code]) if code in rows else national for code in wanted}


def current_weights(province_code: str | None = None) -> Weights:
    """The weights in force for a province (any code inside it will do) or, without one, nationally."""
    if province_code is None:
        row = MatchingWeights.objects.filter(region__isnull=True).first()
        return Weights.of(row) if row else Weights()
    return weights_for([province_of(codes.normalize(province_code))])[province_of(codes.normalize(province_code))]


# ---------------------------------------------------------------- results


@dataclass
class Feature:
    code: str
    label: str  # the feature's name: 地域就近
    detail_zh: str  # what it found: 同县
    value: float  # 0–1
    weight: float
    contribution: float  # value × weight, what it adds to the total


@dataclass
class Scored:
    demand_id: int
    offer_id: int
    organization_id: int
    total: float
    tilt: float  # the part of `total` that comes from the priority tilt
    features: list[Feature] = field(default_factory=list)

    @property
    def chips(self) -> list[str]:
        """The short reasons shown with a recommendation: features that added something."""
        return [f.detail_zh.split(" · ")[0] for f in self.features if f.contribution > 0 and f.detail_zh]


# ---------------------------------------------------------------- candidates


def _taken() -> Subquery:
    live = Match.objects.filter(offer=OuterRef("pk"), status__in=Match.ACTIVE_STATUSES)
    return Subquery(live.order_by().values("offer").annotate(n=Count("id")).values("n"))


def candidate_offers(demand: Demand) -> "QuerySet[Offer]":
    """Published offers of approved organizations that could serve the demand: they share a domain,
    their service area covers its place, their window contains today (or the demand's period) and
    they have a free slot (live matches < capacity)."""
    today = timezone.localdate()
    domain_ids = [d.pk for d in demand.domains.all()]
    window = Q(window_start__lte=today)
    if demand.period_start:
        window |= Q(window_start__lte=demand.period_start, window_end__gte=demand.period_end or demand.period_start)
    base = Offer.objects.filter(
        window,
        status=Offer.Status.PUBLISHED,
        organization__status=Organization.Status.APPROVED,
        window_end__gte=today,
        pk__in=Offer.domains.through.objects.filter(domain_id__in=domain_ids).values("offer_id"),
    )
    return (
        offer_selectors.offers_covering(demand.region_id, base)
        .annotate(taken=Coalesce(_taken(), 0))
        .filter(taken__lt=F("capacity_demands"))
    )


# ---------------------------------------------------------------- the vectorized core


def _closeness(region_code: str, by_code: dict[str, list[int]], nationwide: Ints) -> tuple[Ints, Floats]:
    """Offers (rows) whose service area covers the region, with their geographic closeness."""
    best: dict[int, float] = dict.fromkeys(nationwide.tolist(), NATIONWIDE)
    for code in [*codes.ancestor_codes(region_code), region_code]:  # coarse to fine: finer wins
        for row in by_code.get(code, ()):
            best[row] = CLOSENESS[codes.level_of(code)]
    rows = np.fromiter(best.keys(), dtype=np.int64, count=len(best))
    return rows, np.fromiter(best.values(), dtype=np.float64, count=len(best))


def covering_pairs(demands: DemandFacts, offers: OfferFacts) -> tuple[Ints, Ints, Floats]:
    """Every (demand row, offer row) whose service area covers the demand, with the closeness."""
    by_code: dict[str, list[int]] = {}
    for row, regions in enumerate(offers.service_regions):
        for code in regions:
            by_code.setdefault(code, []).append(row)
    nationwide = np.flatnonzero(offers.nationwide).astype(np.int64)
    memo: dict[str, tuple[Ints, Floats]] = {}
    di, oi, geo = [], [], []
    for row, region in enumerate(demands.regions):
        if region not in memo:
            memo[region] = _closeness(region, by_code, nationwide)
        rows, closeness = memo[region]
        di.append(np.full(len(rows), row, dtype=np.int64))
        oi.append(rows)
        geo.append(closeness)
    if not di:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(di), np.concatenate(oi), np.concatenate(geo)


def fitting(demands: DemandFacts, offers: OfferFacts, di: Ints, oi: Ints, today: int) -> Bools:
    """Which pairs are candidates: a shared domain, a published offer of an approved organization with a
    free slot, a window containing today or the demand's period, and no live match of the organization."""
    ok: Bools = (demands.domain_mask[di] & offers.domain_mask[oi]) != 0
    ok &= offers.eligible[oi] & (offers.slots_left[oi] > 0) & (offers.window_end[oi] >= today)
    start, end = demands.period_start[di], demands.period_end[di]
    window_start, window_end = offers.window_start[oi], offers.window_end[oi]
    ok &= (window_start <= today) | ((start > 0) & (window_start <= start) & (window_end >= end))
    serving = [(row, org) for row, orgs in enumerate(demands.serving) for org in orgs]
    if serving:
        width = int(max(offers.organization_ids.max(initial=0), max(org for _, org in serving))) + 1
        taken = np.array([row * width + org for row, org in serving], dtype=np.int64)
        ok &= ~np.isin(di * width + offers.organization_ids[oi], taken)
    return ok


@dataclass
class PairValues:
    """Feature values of a list of pairs (arrays aligned with `di`, `oi`)."""

    di: Ints
    oi: Ints
    features: dict[str, Floats]
    tilt_parts: dict[str, Floats]

    def totals(self, weight_rows: Floats) -> tuple[Floats, Floats]:
        """Total and tilt per pair, given one weight vector (Weights.vector) per pair."""
        total = np.zeros(len(self.di))
        for column, code in enumerate(FEATURE_CODES):
            total += weight_rows[:, column] * self.features[code]
        tilt = np.zeros(len(self.di))
        for code, share in TILT_SHARES.items():
            tilt += share * self.tilt_parts[code]
        tilt *= weight_rows[:, len(FEATURE_CODES)]
        return total + tilt, tilt


def _jaccard(left: Ints, right: Ints) -> Floats:
    union = np.bitwise_count(left | right).astype(np.float64)
    return np.bitwise_count(left & right) / np.maximum(union, 1.0)


def tilt_parts(demands: DemandFacts, vulnerable_mask: int) -> dict[str, Floats]:
    """The priority reasons of each demand, each 0–1."""
    return {
        "key_county": demands.key_county,
        "designated_place": demands.place,
        "vulnerable_group": ((demands.group_mask & vulnerable_mask) != 0).astype(np.float64),
        "waited": np.minimum(demands.waited_days / WAIT_FULL_DAYS, 1.0),
    }


def pair_values(
    demands: DemandFacts, offers: OfferFacts, di: Ints, oi: Ints, geography: Floats, context: Context
) -> PairValues:
    offer_groups = offers.group_mask[oi]
    need = demands.need[di]
    budget = np.where(need <= 0, 1.0, np.clip(offers.remaining_amount[oi] / np.maximum(need, 0.01), 0.0, 1.0))
    similarity = np.concatenate(
        [np.zeros(0)]
        + [
            text.cosine_rows(demands.text[di[s : s + PAIR_CHUNK]], offers.text[oi[s : s + PAIR_CHUNK]])
            for s in range(0, len(di), PAIR_CHUNK)
        ]
    )
    parts = tilt_parts(demands, context.vocabulary.vulnerable_mask)
    return PairValues(
        di=di,
        oi=oi,
        features={
            "domain_overlap": _jaccard(demands.domain_mask[di], offers.domain_mask[oi]),
            "group_overlap": np.where(offer_groups == 0, ANY_GROUP, _jaccard(demands.group_mask[di], offer_groups)),
            "geography": geography,
            "text_similarity": np.clip(similarity, 0.0, 1.0),
            "budget_fit": budget,
            "organization_record": offers.record[oi],
        },
        tilt_parts={code: values[di] for code, values in parts.items()},
    )


def weight_rows(demands: DemandFacts, di: Ints, weights: Weights | None) -> Floats:
    """One weight vector per pair: the given weights, or each demand's province's."""
    if weights is not None:
        return np.tile(weights.vector(), (len(di), 1))
    if not len(demands):
        return np.zeros((0, len(FEATURE_CODES) + 1))
    provinces = [demands.province(row) for row in range(len(demands))]
    by_province = weights_for(provinces)
    per_demand = np.array([by_province[p].vector() for p in provinces]).reshape(len(demands), -1)
    return per_demand[di]


# ---------------------------------------------------------------- explanations


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def explain(
    demands: DemandFacts, offers: OfferFacts, values: PairValues, j: int, weights: Floats, context: Context
) -> Scored:
    """The scored pair `j` of `values`, feature by feature, in Chinese."""
    d, o = int(values.di[j]), int(values.oi[j])
    vocab = context.vocabulary
    f = {code: float(array[j]) for code, array in values.features.items()}
    shared_domains = vocab.domain_list(int(demands.domain_mask[d] & offers.domain_mask[o]))
    shared_groups = vocab.group_list(int(demands.group_mask[d] & offers.group_mask[o]))
    if not offers.group_mask[o]:
        groups = "受益群体不限"
    else:
        groups = f"受益群体：{'、'.join(shared_groups)}" if shared_groups else "受益群体不同"
    need = float(demands.need[d])
    if need <= 0:
        budget = "无资金缺口"
    elif f["budget_fit"] >= 1:
        budget = f"可覆盖全部资金缺口（{need:,.0f} 元）"
    else:
        budget = f"可覆盖资金缺口的 {_percent(f['budget_fit'])}"
    record = offers.records[o]
    record_parts = [f"{record.rating} 级" if record.rating else "未评级"]
    if record.completion is not None:
        record_parts.append(f"完成率 {_percent(record.completion)}")
    if record.evaluation is not None:
        record_parts.append(f"平均评价 {record.evaluation:.1f} 分")
    details = {
        "domain_overlap": f"领域：{'、'.join(shared_domains)}" if shared_domains else "无共同领域",
        "group_overlap": groups,
        "geography": CLOSENESS_LABELS.get(round(f["geography"], 1), "不在服务区域"),
        "text_similarity": f"内容相似度 {f['text_similarity']:.2f}",
        "budget_fit": budget,
        "organization_record": " · ".join(record_parts),
    }
    features = [
        Feature(code, FEATURES[code], details[code], f[code], float(weights[i]), float(weights[i]) * f[code])
        for i, code in enumerate(FEATURE_CODES)
    ]
    group_names = vocab.group_list(int(demands.group_mask[d] & vocab.vulnerable_mask))
    tilt_details = {
        "key_county": demands.key_county_label[d],
        "designated_place": demands.place_label[d],
        "vulnerable_group": f"最困难群体：{'、'.join(group_names)}" if group_names else "",
        "waited": f"已等待 {int(demands.waited_days[d])} 天" if demands.waited_days[d] else "",
    }
    strength = float(weights[len(FEATURE_CODES)])
    tilt = 0.0
    for code, share in TILT_SHARES.items():
        value = float(values.tilt_parts[code][j])
        contribution = strength * share * value
        tilt += contribution
        features.append(
            Feature(f"tilt_{code}", TILT_LABELS[code], tilt_details[code], value, strength * share, contribution)
        )
    total = sum(x.contribution for x in features)
    return Scored(
        demand_id=int(demands.ids[d]),
        offer_id=int(offers.ids[o]),
        organization_id=int(offers.organization_ids[o]),
        total=total,
        tilt=tilt,
        features=features,
    )


# ---------------------------------------------------------------- public entry points


def _ids(items: Iterable[Any]) -> list[int]:
    if isinstance(items, QuerySet):
        return list(items.values_list("pk", flat=True))
    return [item if isinstance(item, int) else item.pk for item in items]


def score(demand: Demand, offer: Offer, weights: Weights, *, context: Context | None = None) -> Scored:
    """One pair, explained — whether or not it is a candidate (a non-covering offer scores 0 on geography)."""
    context = context or Context.load()
    demands = load_demands([demand.pk], context)
    offers = load_offers([offer.pk], context)
    _, _, geo = covering_pairs(demands, offers)
    closeness = np.array([geo[0] if len(geo) else 0.0])
    values = pair_values(demands, offers, np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), closeness, context)
    return explain(demands, offers, values, 0, weights.vector(), context)


def rank(
    demands: DemandFacts,
    offers: OfferFacts,
    context: Context,
    *,
    weights: Weights | None = None,
    by: str = "offer",
) -> tuple[PairValues, Floats, Floats]:
    """All candidate pairs of the two sets, scored, best first (ties: lower offer id, then demand id)."""
    di, oi, geo = covering_pairs(demands, offers)
    return _ranked(demands, offers, di, oi, geo, context, weights=weights, by=by)


def _ranked(
    demands: DemandFacts,
    offers: OfferFacts,
    di: Ints,
    oi: Ints,
    geo: Floats,
    context: Context,
    *,
    weights: Weights | None,
    by: str = "offer",
) -> tuple[PairValues, Floats, Floats]:
    """The covering pairs (di, oi) with closeness `geo` kept when they fit, scored, best first."""
    keep = fitting(demands, offers, di, oi, context.today.toordinal())
    di, oi, geo = di[keep], oi[keep], geo[keep]
    values = pair_values(demands, offers, di, oi, geo, context)
    rows = weight_rows(demands, di, weights)
    total, _ = values.totals(rows)
    order = (
        np.lexsort((demands.ids[di], offers.ids[oi], -total))
        if by == "offer"
        else np.lexsort((offers.ids[oi], demands.ids[di], -total))
    )
    values = PairValues(
        di[order], oi[order], {k: v[order] for k, v in values.features.items()},
        {k: v[order] for k, v in values.tilt_parts.items()},
    )  # fmt: skip
    return values, total[order], rows[order]


def top_offers(demand: Demand, k: int = 10, *, weights: Weights | None = None) -> list[Scored]:
    """The k best candidate offers for a demand, explained. A fixed number of queries.

    With the offer index switched on (`index`), the offers' facts come from it and only the
    demand is read; otherwise the candidates are found in SQL and their facts loaded. Both judge
    candidacy and score with the same functions, so they give the same answer."""
    context = Context.load()
    held = offer_index.current(context)
    if held is not None:
        context = replace(context, extra_words=dict(held.extra_words))
        demands = load_demands([demand.pk], context)
        oi, geo = _closeness(demands.regions[0], held.by_code, held.nationwide)
        di = np.zeros(len(oi), dtype=np.int64)
        offers = held.facts
        values, _, rows = _ranked(demands, offers, di, oi, geo, context, weights=weights)
        return [explain(demands, offers, values, j, rows[j], context) for j in range(min(k, len(values.di)))]
    offer_ids = list(candidate_offers(demand).values_list("pk", flat=True))
    demands = load_demands([demand.pk], context)
    offers = load_offers(offer_ids, context)
    values, _, rows = rank(demands, offers, context, weights=weights)
    return [explain(demands, offers, values, j, rows[j], context) for j in range(min(k, len(values.di)))]


def pair_scores(
    demands: Iterable[Demand | int], offers: Iterable[Offer | int], *, weights: Weights | None = None
) -> list[tuple[int, int, float]]:
    """(demand id, offer id, total score with tilt) for every candidate pair of the two sets.

    Candidates as in `candidate_offers` (judged from the loaded facts, no query per pair); each
    demand is scored with its province's weights unless `weights` is given (pass a copy with
    `tilt=0` for the untilted score). Queries: a fixed number per 2,000 records.
    """
    context = Context.load()
    demand_facts = load_demands(_ids(demands), context)
    offer_facts = load_offers(_ids(offers), context)
    values, total, _ = rank(demand_facts, offer_facts, context, weights=weights)
    return list(
        zip(
            demand_facts.ids[values.di].tolist(),
            offer_facts.ids[values.oi].tolist(),
            total.tolist(),
            strict=True,
        )
    )


def top_demands(
    offer_ids: Sequence[int], demand_ids: Sequence[int], k: int = 10, *, weights: Weights | None = None
) -> list[Scored]:
    """The k best demands among `demand_ids` for any of the offers, one row per demand (its best offer)."""
    context = Context.load()
    demands = load_demands(demand_ids, context)
    offers = load_offers(offer_ids, context)
    values, _, rows = rank(demands, offers, context, weights=weights, by="score")
    seen: set[int] = set()
    result = []
    for j in range(len(values.di)):
        if int(values.di[j]) in seen:
            continue
        seen.add(int(values.di[j]))
        result.append(explain(demands, offers, values, j, rows[j], context))
        if len(result) == k:
            break
    return result
