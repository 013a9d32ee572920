"""What scoring needs to know about demands and offers, loaded in a fixed number of queries per
batch and held as NumPy arrays (one row per record), so every pair is scored without touching
the database again. Domains and beneficiary groups become bit masks; region codes stay strings.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from scipy import sparse

from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.demands.models import Demand, DemandBeneficiary
from xiangzhen.demands.priority import KEY_COUNTY_KINDS, PLACE_KINDS
from xiangzhen.matching.models import Match, MatchEvaluation
from xiangzhen.offers.models import Offer
from xiangzhen.organizations.models import Organization
from xiangzhen.recommendations import text
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Designation

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# Geographic closeness by the level of the offer's service region that contains the demand.
CLOSENESS = {
    Level.VILLAGE: 1.0,
    Level.TOWNSHIP: 0.8,
    Level.COUNTY: 0.6,
    Level.CITY: 0.4,
    Level.PROVINCE: 0.2,
}
NATIONWIDE = 0.1
CLOSENESS_LABELS = {1.0: "同村", 0.8: "同乡镇", 0.6: "同县", 0.4: "同市", 0.2: "同省", 0.1: "面向全国"}
CHUNK = 2000


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass
class Vocabulary:
    """Domains and beneficiary groups as bits, with their names and the most vulnerable groups."""

    domain_bit: dict[int, int]
    domain_names: list[str]
    group_bit: dict[int, int]
    group_names: list[str]
    vulnerable_mask: int

    @classmethod
    def load(cls) -> "Vocabulary":
        domains = list(Domain.objects.order_by("pk").values_list("pk", "name"))
        groups = list(BeneficiaryGroup.objects.order_by("pk").values_list("pk", "name", "most_vulnerable"))
        vulnerable = 0
        for bit, (_, _, most) in enumerate(groups):
            if most:
                vulnerable |= 1 << bit
        return cls(
            {pk: i for i, (pk, _) in enumerate(domains)},
            [name for _, name in domains],
            {pk: i for i, (pk, _, _) in enumerate(groups)},
            [name for _, name, _ in groups],
            vulnerable,
        )

    def domain_list(self, mask: int) -> list[str]:
        return [name for bit, name in enumerate(self.domain_names) if mask >> bit & 1]

    def group_list(self, mask: int) -> list[str]:
        return [name for bit, name in enumerate(self.group_names) if mask >> bit & 1]


@dataclass
class Context:
    """Everything shared by one batch of scoring: vocabulary, text corpus and the day it is."""

    vocabulary: Vocabulary
    corpus: text.Corpus
    today: datetime.date
    now: datetime.datetime
    extra_words: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Context":
        return cls(Vocabulary.load(), text.corpus(), timezone.localdate(), timezone.now())


def _masks(pairs: Iterable[tuple[int, int]], index: dict[int, int], bits: dict[int, int], n: int) -> Ints:
    masks = np.zeros(n, dtype=np.int64)
    for owner, item in pairs:
        row = index.get(owner)
        if row is not None and item in bits:
            masks[row] |= 1 << bits[item]
    return masks


def _ordinal(day: datetime.date | None) -> int:
    return day.toordinal() if day else 0


# ---------------------------------------------------------------- offers


@dataclass
class OrganizationRecord:
    rating: str
    completion: float | None  # completed ÷ (completed + cancelled) of its matches; None without any
    evaluation: float | None  # average evaluation score (1–5); None without any

    @property
    def value(self) -> float:
        """0.4 × rating/5 + 0.3 × completion + 0.3 × (evaluation − 1)/4, neutral halves when unknown."""
        rating = int(self.rating[0]) / 5 if self.rating else 0.0
        completion = 0.5 if self.completion is None else self.completion
        evaluation = 0.5 if self.evaluation is None else (self.evaluation - 1) / 4
        return 0.4 * rating + 0.3 * completion + 0.3 * evaluation


def organization_records(organization_ids: Iterable[int]) -> dict[int, OrganizationRecord]:
    """Rating, completion rate and average evaluation of organizations, in three queries per chunk."""
    ids = sorted(set(organization_ids))
    records: dict[int, OrganizationRecord] = {}
    success, failed = Match.SUCCESS_STATUSES, (Match.Status.CANCELLED,)
    for part in chunks(ids):
        ratings = dict(Organization.objects.filter(pk__in=part).values_list("pk", "rating"))
        done = {
            row["organization_id"]: row
            for row in Match.objects.filter(organization_id__in=part)
            .order_by()
            .values("organization_id")
            .annotate(ok=Count("id", filter=Q(status__in=success)), failed=Count("id", filter=Q(status__in=failed)))
        }
        scores = dict(
            MatchEvaluation.objects.filter(match__organization_id__in=part)
            .order_by()
            .values("match__organization_id")
            .annotate(avg=Avg("score"))
            .values_list("match__organization_id", "avg")
        )
        for pk in part:
            row = done.get(pk)
            finished = (row["ok"] + row["failed"]) if row else 0
            records[pk] = OrganizationRecord(
                ratings.get(pk) or "",
                row["ok"] / finished if row and finished else None,
                float(scores[pk]) if scores.get(pk) is not None else None,
            )
    return records


@dataclass
class OfferFacts:
    ids: Ints
    organization_ids: Ints
    domain_mask: Ints
    group_mask: Ints
    nationwide: Bools
    service_regions: list[list[str]]
    window_start: Ints
    window_end: Ints
    slots_left: Ints
    remaining_amount: Floats
    eligible: Bools  # published, and its organization approved
    records: list[OrganizationRecord]
    record: Floats
    text: sparse.csr_matrix
    index: dict[int, int]

    def __len__(self) -> int:
        return len(self.ids)


def load_offers(offer_ids: Iterable[int], context: Context) -> OfferFacts:
    """Facts of the offers, in id order: seven queries per chunk of 2,000, plus one for records."""
    ids = sorted(set(offer_ids))
    index = {pk: i for i, pk in enumerate(ids)}
    n = len(ids)
    vocab = context.vocabulary
    rows: dict[int, tuple[Any, ...]] = {}
    domain_links: list[tuple[int, int]] = []
    group_links: list[tuple[int, int]] = []
    regions: list[list[str]] = [[] for _ in ids]
    used: dict[int, tuple[int, Decimal]] = {}
    for part in chunks(ids):
        for row in Offer.objects.filter(pk__in=part).values_list(
            "pk", "organization_id", "nationwide", "capacity_demands", "capacity_amount", "window_start",
            "window_end", "status", "organization__status", "search_index", "title", "description",
        ):  # fmt: skip
            rows[row[0]] = row
        domain_links += Offer.domains.through.objects.filter(offer_id__in=part).values_list("offer_id", "domain_id")
        group_links += Offer.beneficiary_groups.through.objects.filter(offer_id__in=part).values_list(
            "offer_id", "beneficiarygroup_id"
        )
        for offer_id, region_id in Offer.service_regions.through.objects.filter(offer_id__in=part).values_list(
            "offer_id", "region_id"
        ):
            regions[index[offer_id]].append(region_id)
        for offer_id, count, total in (
            Match.objects.filter(offer_id__in=part, status__in=Match.ACTIVE_STATUSES)
            .order_by()
            .values("offer_id")
            .annotate(n=Count("id"), total=Sum("committed_amount"))
            .values_list("offer_id", "n", "total")
        ):
            used[offer_id] = (count, total or Decimal(0))
    ordered = [rows[pk] for pk in ids]
    records_by_org = organization_records(r[1] for r in ordered)
    records = [records_by_org[r[1]] for r in ordered]
    (matrix,) = context.corpus.matrices([text.tokens(r[9], r[10], r[11]) for r in ordered], extra=context.extra_words)
    return OfferFacts(
        ids=np.array(ids, dtype=np.int64),
        organization_ids=np.array([r[1] for r in ordered], dtype=np.int64),
        domain_mask=_masks(domain_links, index, vocab.domain_bit, n),
        group_mask=_masks(group_links, index, vocab.group_bit, n),
        nationwide=np.array([bool(r[2]) for r in ordered], dtype=np.bool_),
        service_regions=regions,
        window_start=np.array([_ordinal(r[5]) for r in ordered], dtype=np.int64),
        window_end=np.array([_ordinal(r[6]) for r in ordered], dtype=np.int64),
        slots_left=np.array([r[3] - used.get(r[0], (0, 0))[0] for r in ordered], dtype=np.int64),
        remaining_amount=np.array([float(r[4] - used.get(r[0], (0, Decimal(0)))[1]) for r in ordered]),
        eligible=np.array(
            [r[7] == Offer.Status.PUBLISHED and r[8] == Organization.Status.APPROVED for r in ordered], dtype=np.bool_
        ),
        records=records,
        record=np.array([rec.value for rec in records], dtype=np.float64),
        text=matrix,
        index=index,
    )


# ---------------------------------------------------------------- demands


@dataclass
class DemandFacts:
    ids: Ints
    regions: list[str]
    domain_mask: Ints
    group_mask: Ints
    budget: Floats
    need: Floats  # budget not yet covered by live matches
    period_start: Ints  # ordinal, 0 when not given
    period_end: Ints
    waited_days: Ints
    key_county: Floats  # 1 national, 0.8 provincial key county, 0 otherwise
    key_county_label: list[str]
    place: Floats  # 1 when the village or township is a 脱贫村, 重点帮扶村 or relocation site
    place_label: list[str]
    serving: list[set[int]]  # organizations already serving it through a live match
    text: sparse.csr_matrix
    index: dict[int, int]

    def __len__(self) -> int:
        return len(self.ids)

    def province(self, row: int) -> str:
        return self.regions[row][:2] + "0" * 10


def _designations(region_codes: Iterable[str]) -> dict[str, set[str]]:
    """Region code → designation kinds of it and its ancestors."""
    chains = {code: [code, *codes.ancestor_codes(code)] for code in set(region_codes)}
    every = sorted({c for chain in chains.values() for c in chain})
    kinds: dict[str, set[str]] = {}
    for part in chunks(every):  # type: ignore[arg-type]
        for region_id, kind in Designation.objects.filter(region_id__in=part).values_list("region_id", "kind"):
            kinds.setdefault(region_id, set()).add(kind)
    return {code: set().union(*(kinds.get(c, set()) for c in chain)) for code, chain in chains.items()}


def load_demands(demand_ids: Iterable[int], context: Context) -> DemandFacts:
    """Facts of the demands, in id order: five queries per chunk of 2,000, plus designations."""
    ids = sorted(set(demand_ids))
    index = {pk: i for i, pk in enumerate(ids)}
    n = len(ids)
    vocab = context.vocabulary
    rows: dict[int, tuple[Any, ...]] = {}
    domain_links: list[tuple[int, int]] = []
    group_links: list[tuple[int, int]] = []
    covered: dict[int, Decimal] = {}
    serving: list[set[int]] = [set() for _ in ids]
    for part in chunks(ids):
        for row in Demand.objects.filter(pk__in=part).values_list(
            "pk", "region_id", "budget", "period_start", "period_end", "published_at", "search_index", "title",
            "description",
        ):  # fmt: skip
            rows[row[0]] = row
        domain_links += Demand.domains.through.objects.filter(demand_id__in=part).values_list("demand_id", "domain_id")
        group_links += DemandBeneficiary.objects.filter(demand_id__in=part).values_list("demand_id", "group_id")
        for demand_id, organization_id, amount in Match.objects.filter(
            demand_id__in=part, status__in=Match.ACTIVE_STATUSES
        ).values_list("demand_id", "organization_id", "committed_amount"):
            covered[demand_id] = covered.get(demand_id, Decimal(0)) + amount
            serving[index[demand_id]].add(organization_id)
    ordered = [rows[pk] for pk in ids]
    kinds = _designations(r[1] for r in ordered)
    labels = dict(Designation.Kind.choices)
    key_value, key_label, place_value, place_label = [], [], [], []
    for r in ordered:
        own = kinds[r[1]]
        if Designation.Kind.NATIONAL_KEY_COUNTY in own:
            key_value.append(1.0)
            key_label.append(str(labels[Designation.Kind.NATIONAL_KEY_COUNTY]))
        elif Designation.Kind.PROVINCIAL_KEY_COUNTY in own:
            key_value.append(0.8)
            key_label.append(str(labels[Designation.Kind.PROVINCIAL_KEY_COUNTY]))
        else:
            key_value.append(0.0)
            key_label.append("")
        places = [str(labels[k]) for k in PLACE_KINDS if k in own]
        place_value.append(1.0 if places else 0.0)
        place_label.append("、".join(places))
    assert all(k in labels for k in KEY_COUNTY_KINDS)
    today = context.today
    (matrix,) = context.corpus.matrices([text.tokens(r[6], r[7], r[8]) for r in ordered], extra=context.extra_words)
    budget = np.array([float(r[2]) for r in ordered], dtype=np.float64)
    return DemandFacts(
        ids=np.array(ids, dtype=np.int64),
        regions=[r[1] for r in ordered],
        domain_mask=_masks(domain_links, index, vocab.domain_bit, n),
        group_mask=_masks(group_links, index, vocab.group_bit, n),
        budget=budget,
        need=np.maximum(budget - np.array([float(covered.get(r[0], 0)) for r in ordered]), 0.0),
        period_start=np.array([_ordinal(r[3]) for r in ordered], dtype=np.int64),
        period_end=np.array([_ordinal(r[4] or r[3]) for r in ordered], dtype=np.int64),
        waited_days=np.array(
            [max((today - timezone.localtime(r[5]).date()).days, 0) if r[5] else 0 for r in ordered], dtype=np.int64
        ),
        key_county=np.array(key_value, dtype=np.float64),
        key_county_label=key_label,
        place=np.array(place_value, dtype=np.float64),
        place_label=place_label,
        serving=serving,
        text=matrix,
        index=index,
    )
