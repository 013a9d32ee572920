"""Text similarity of Chinese titles and descriptions: TF-IDF over jieba words, cosine.

Words come from `core.textsearch` (jieba with the platform's DOMAIN_WORDS, so 留守儿童 stays one
word): a record's stored `search_index` when it has one, its text cut afresh otherwise. The IDF
comes from the document frequencies over the corpus — every published offer and every
published-or-later demand. Counting them means reading both tables, so it is never done on a
request: a background task (`tasks.rebuild_text_corpus`, enqueued when an offer or a demand is
published) counts them and stores a `TextCorpus` row; scoring reads the newest row (one query to
see whether it changed) and keeps it parsed in the process. Until the first row exists, the
corpus is counted in the process and kept for `max_age()` seconds.
"""

import math
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from scipy import sparse

from xiangzhen.core.textsearch import index_text, index_words
from xiangzhen.demands.models import Demand
from xiangzhen.offers.models import Offer


def tokens(search_index: str, title: str = "", description: str = "") -> list[str]:
    """Distinct words of a record (two characters or more, not numbers), from its index or its text."""
    text = search_index if search_index.strip() else index_text(title, description)
    return [w for w in dict.fromkeys(index_words(text)) if len(w) >= 2 and not w.isdigit()]


@dataclass
class Corpus:
    """Document frequencies of a set of records; vectorizes word lists into L2-normalized TF-IDF rows."""

    documents: int = 0
    document_frequency: dict[str, int] = field(default_factory=dict)
    column: dict[str, int] = field(default_factory=dict)
    identity: int = 0  # the stored TextCorpus row it was read from; 0 when counted in the process

    @classmethod
    def of(cls, documents: Iterable[Sequence[str]]) -> "Corpus":
        counts: Counter[str] = Counter()
        n = 0
        for words in documents:
            counts.update(set(words))
            n += 1
        return cls.from_frequencies(n, dict(counts))

    @classmethod
    def from_frequencies(cls, documents: int, frequencies: dict[str, int], identity: int = 0) -> "Corpus":
        ordered = sorted(frequencies)
        return cls(documents, frequencies, {w: i for i, w in enumerate(ordered)}, identity)

    def idf(self, word: str) -> float:
        """Smoothed IDF: ln((1 + N) / (1 + df)) + 1 — a word unseen in the corpus gets the highest."""
        return math.log((1 + self.documents) / (1 + self.document_frequency.get(word, 0))) + 1.0

    def matrices(
        self, *groups: Sequence[Sequence[str]], extra: dict[str, int] | None = None
    ) -> list[sparse.csr_matrix]:
        """One sparse matrix per group of documents, in one column space: words unknown to the corpus
        get extra columns, numbered in `extra` (share it between calls of one batch), so two new
        records sharing a new word still match."""
        extra = {} if extra is None else extra
        width = len(self.column)
        built = []
        for docs in groups:
            indptr = [0]
            indices: list[int] = []
            data: list[float] = []
            for words in docs:
                row: list[tuple[int, float]] = []
                for word in words:
                    col = self.column.get(word)
                    if col is None:
                        col = extra.setdefault(word, width + len(extra))
                    row.append((col, self.idf(word)))
                norm = math.sqrt(sum(v * v for _, v in row)) or 1.0
                for col, value in sorted(row):
                    indices.append(col)
                    data.append(value / norm)
                indptr.append(len(indices))
            built.append((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr)))
        shape_width = width + len(extra)
        return [sparse.csr_matrix((d, i, p), shape=(len(p) - 1, shape_width)) for d, i, p in built]


_lock = threading.Lock()
_cached: dict[str, Any] = {}


def max_age() -> float:
    """Seconds a corpus counted in the process is used while no stored one exists
    (RECOMMENDATION_CORPUS_SECONDS, default 600)."""
    return float(getattr(settings, "RECOMMENDATION_CORPUS_SECONDS", 600))


def clear() -> None:
    """Forget the corpus held in the process (tests, and after bulk imports)."""
    with _lock:
        _cached.clear()


def count_corpus() -> Corpus:
    """Document frequencies of published offers and public demands, read from both tables now."""
    offer_rows = Offer.objects.filter(status=Offer.Status.PUBLISHED).values_list("search_index", "title", "description")
    demand_rows = Demand.objects.filter(status__in=Demand.PUBLIC_STATUSES).values_list(
        "search_index", "title", "description"
    )
    return Corpus.of(tokens(*row) for rows in (offer_rows, demand_rows) for row in rows.iterator(chunk_size=5000))


def corpus() -> Corpus:
    """The newest stored corpus (kept parsed while it stays the newest), else one counted here."""
    from xiangzhen.recommendations.models import TextCorpus

    newest = TextCorpus.objects.order_by("-pk").values_list("pk", flat=True).first()
    with _lock:
        held = _cached.get("corpus")
        if held is not None and newest is not None and held.identity == newest:
            return held
        if held is not None and newest is None and time.monotonic() - _cached["at"] < max_age():
            return held
    if newest is not None:
        row = TextCorpus.objects.get(pk=newest)
        built = Corpus.from_frequencies(row.documents, dict(row.frequencies), identity=row.pk)
    else:
        built = count_corpus()
    with _lock:
        _cached.update(at=time.monotonic(), corpus=built)
    return built


def cosine_rows(left: sparse.csr_matrix, right: sparse.csr_matrix) -> "np.ndarray[Any, np.dtype[np.float64]]":
    """Cosine of row i of `left` with row i of `right` (both L2-normalized), for every i at once."""
    if left.shape[0] == 0:
        return np.zeros(0)
    width = max(left.shape[1], right.shape[1])
    left, right = _widen(left, width), _widen(right, width)
    return np.asarray(left.multiply(right).sum(axis=1), dtype=np.float64).ravel()


def _widen(matrix: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    if matrix.shape[1] == width:
        return matrix
    return sparse.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))
