"""An in-process index of every published offer's facts, for one demand's top-k without SQL on offers.

At national size a demand has hundreds of candidate offers (nationwide and province-wide ones
above all), and loading their facts per request (`facts.load_offers`: rows, links, live matches,
organization records, text vectors) is what makes a page slow. The index loads them once with the
very same function and keeps them as arrays, with the offers under each service region code, so a
request only reads the demand and the newest audit entry id.

Kept exact by the audit trail: every write goes through a service and every service write is
audited (`core.audit.record`), so the largest audit entry id is a cheap version number. When it has
moved, the entries written since then say which offers, matches and organizations changed; the
offers they touch (an organization's record is part of each of its offers) are loaded again through
`load_offers` and replace their rows. A new text corpus or a change of domains or groups rebuilds
everything. So the index answers exactly what `facts.load_offers` of the candidates would.

Audit ids are taken when a transaction writes, not when it commits: ids missing below the mark are
kept as gaps and looked at again until they appear (see `refresh`). An index read inside an
application transaction is used for that call only and never kept, since the transaction may roll
back. Data written around the services (bulk loads, shell sessions) is not audited: call `clear()`
after.
Off unless `RECOMMENDATION_OFFER_INDEX` is true, since it holds all offers in each process.
"""

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Max, Q
from scipy import sparse

from xiangzhen.core.models import AuditEntry
from xiangzhen.matching.models import Match
from xiangzhen.offers.models import Offer
from xiangzhen.recommendations.facts import Context, Ints, OfferFacts, load_offers

# Audit object types whose writes can change an offer's facts (the offer, its matches, its organization).
WATCHED_APPS = ("offers.", "matching.", "organizations.")
# How long an audit id missing below the mark is waited for: longer than any write transaction runs.
GAP_SECONDS = 600.0
# Rolled-back writes leave ids that never fill (PostgreSQL sequences skip them); a transaction still
# in flight holds one of the most recent ids, so only the newest missing ones are waited for.
MAX_GAPS = 256


def enabled() -> bool:
    return bool(getattr(settings, "RECOMMENDATION_OFFER_INDEX", False))


@dataclass
class OfferIndex:
    facts: OfferFacts
    by_code: dict[str, list[int]]  # service region code → rows
    nationwide: Ints  # rows of nationwide offers
    corpus_id: int
    vocabulary_key: tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]
    audit_mark: int
    extra_words: dict[str, int]  # columns of words unknown to the corpus, shared by all rows
    gaps: dict[int, float] = field(default_factory=dict)  # audit ids below the mark not seen yet → since


def _audit_mark() -> int:
    return int(AuditEntry.objects.aggregate(top=Max("pk"))["top"] or 0)


def _vocabulary_key(context: Context) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    vocab = context.vocabulary
    return tuple(sorted(vocab.domain_bit.items())), tuple(sorted(vocab.group_bit.items()))


def _published(ids: Iterable[int] | None = None) -> list[int]:
    queryset = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return list(queryset.values_list("pk", flat=True))


def _assemble(facts: OfferFacts, context: Context, mark: int, extra: dict[str, int]) -> OfferIndex:
    by_code: dict[str, list[int]] = {}
    for row, regions in enumerate(facts.service_regions):
        for code in regions:
            by_code.setdefault(code, []).append(row)
    return OfferIndex(
        facts=facts,
        by_code=by_code,
        nationwide=np.flatnonzero(facts.nationwide).astype(np.int64),
        corpus_id=context.corpus.identity,
        vocabulary_key=_vocabulary_key(context),
        audit_mark=mark,
        extra_words=extra,
    )


def build(context: Context) -> OfferIndex:
    """The index of every published offer, read now."""
    mark = _audit_mark()
    extra: dict[str, int] = {}
    facts = load_offers(_published(), replace(context, extra_words=extra))
    return _assemble(facts, context, mark, extra)


def _touched_offers(entries: list[tuple[str, str]]) -> set[int]:
    """Offers whose facts the audited writes may have changed: the offers written, the offers of
    the matches written (their slots and money), and every offer of an organization whose record,
    status or rating may have changed."""
    offer_ids: set[int] = set()
    match_ids: set[int] = set()
    organization_ids: set[int] = set()
    for object_type, object_id in entries:
        if not object_id.isdigit():
            continue
        pk = int(object_id)
        if object_type == "offers.offer":
            offer_ids.add(pk)
        elif object_type == "matching.match":
            match_ids.add(pk)
        elif object_type == "organizations.organization":
            organization_ids.add(pk)
        else:
            model = apps.get_model(object_type)
            if any(f.name == "match" for f in model._meta.get_fields()):
                match_ids.update(model._default_manager.filter(pk=pk).values_list("match_id", flat=True))
            elif any(f.name == "organization" for f in model._meta.get_fields()):
                organization_ids.update(model._default_manager.filter(pk=pk).values_list("organization_id", flat=True))
    for offer_id, organization_id in Match.objects.filter(pk__in=match_ids).values_list("offer_id", "organization_id"):
        if offer_id:
            offer_ids.add(offer_id)
        organization_ids.add(organization_id)
    offer_ids.update(Offer.objects.filter(organization_id__in=organization_ids).values_list("pk", flat=True))
    return offer_ids


def _take(facts: OfferFacts, rows: Ints) -> OfferFacts:
    """The given rows of `facts`, in that order."""
    listed = rows.tolist()
    parts: dict[str, Any] = {}
    for f in fields(OfferFacts):
        value = getattr(facts, f.name)
        if f.name == "index":
            continue
        if isinstance(value, np.ndarray | sparse.csr_matrix):
            parts[f.name] = value[rows]
        else:
            parts[f.name] = [value[i] for i in listed]
    ids = parts["ids"]
    return OfferFacts(**parts, index={int(pk): i for i, pk in enumerate(ids.tolist())})


def _concat(left: OfferFacts, right: OfferFacts) -> OfferFacts:
    parts: dict[str, Any] = {}
    for f in fields(OfferFacts):
        if f.name == "index":
            continue
        a, b = getattr(left, f.name), getattr(right, f.name)
        if isinstance(a, np.ndarray):
            parts[f.name] = np.concatenate([a, b])
        elif isinstance(a, sparse.csr_matrix):
            width = max(a.shape[1], b.shape[1])
            a = sparse.csr_matrix((a.data, a.indices, a.indptr), shape=(a.shape[0], width))
            b = sparse.csr_matrix((b.data, b.indices, b.indptr), shape=(b.shape[0], width))
            parts[f.name] = sparse.vstack([a, b], format="csr")
        else:
            parts[f.name] = [*a, *b]
    ids = parts["ids"]
    return OfferFacts(**parts, index={int(pk): i for i, pk in enumerate(ids.tolist())})


def _watched(object_type: str) -> bool:
    return object_type.startswith(WATCHED_APPS)


def refresh(index: OfferIndex, context: Context, now: float | None = None) -> OfferIndex:
    """The index brought up to date with the audited writes since it was read.

    Audit ids are handed out when a transaction writes, not when it commits, so a slow transaction
    can commit an id below the mark after a faster one moved it. The ids missing below the mark are
    kept as gaps and looked at again until they appear or GAP_SECONDS pass (a rolled-back write
    leaves a gap that never fills)."""
    now = time.monotonic() if now is None else now
    gaps = {pk: seen for pk, seen in index.gaps.items() if now - seen < GAP_SECONDS}
    mark = _audit_mark()
    if mark == index.audit_mark and not gaps:
        return index if gaps == index.gaps else replace(index, gaps=gaps)
    rows = list(
        AuditEntry.objects.filter(Q(pk__gt=index.audit_mark, pk__lte=mark) | Q(pk__in=sorted(gaps))).values_list(
            "pk", "object_type", "object_id"
        )
    )
    arrived = {pk for pk, _, _ in rows}
    gaps = {pk: seen for pk, seen in gaps.items() if pk not in arrived}
    gaps.update(
        (pk, now) for pk in range(max(index.audit_mark + 1, mark + 1 - MAX_GAPS), mark + 1) if pk not in arrived
    )
    if len(gaps) > MAX_GAPS:
        gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
    touched = _touched_offers([(object_type, object_id) for _, object_type, object_id in rows if _watched(object_type)])
    if not touched:
        return replace(index, audit_mark=mark, gaps=gaps)
    extra = dict(index.extra_words)
    fresh = load_offers(_published(touched), replace(context, extra_words=extra))
    keep = np.array([i for i, pk in enumerate(index.facts.ids.tolist()) if pk not in touched], dtype=np.int64)
    facts = _concat(_take(index.facts, keep), fresh)
    return replace(_assemble(facts, context, mark, extra), gaps=gaps)


def _inside_a_transaction() -> bool:
    """True inside an atomic block of the application (a test case's own wrapping does not count):
    what is read there may still roll back, so it must not be kept for other requests."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


_lock = threading.Lock()
_current: list[OfferIndex] = []


def clear() -> None:
    """Forget the index (tests, and after data was written around the services)."""
    with _lock:
        _current.clear()


def current(context: Context) -> OfferIndex | None:
    """The up-to-date index for this context's corpus and vocabulary, or None when switched off.

    Built on first use, on that request (seconds at national size); later calls cost one query
    unless something was written."""
    if not enabled():
        return None
    with _lock:
        index = _current[0] if _current else None
        if (
            index is None
            or index.corpus_id != context.corpus.identity
            or index.vocabulary_key != _vocabulary_key(context)
        ):
            index = build(context)
        else:
            index = refresh(index, context)
        if not _inside_a_transaction():
            _current[:] = [index]
        return index
