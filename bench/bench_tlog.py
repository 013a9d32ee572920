"""The transparency log: what an append costs a record write, and proofs at 10 million leaves.

1. Append throughput: N transactions that each write one record (an audit entry drawn with a
   number, as every service does) alone, against the same with the record's leaf appended in the
   same transaction (`tlog.services.append_leaf`). The ratio is what the log adds to a write.
2. Proofs at scale: the log is filled in bulk to BENCH_TLOG_LEAVES leaves (default 10,000,000)
   with its complete-subtree table, checkpoints are signed at two sizes, and inclusion and
   consistency proofs are served from the stored subtrees (O(log n) lookups) against recomputing
   the same proof from all leaf hashes read from the database, in the same run.

Scale down with BENCH_TLOG_LEAVES=100000 (and BENCH_TLOG_APPENDS=300) for a quick run.
"""

import base64
import os
import random
import time

from common import best_of, setup_django, write

# A key for this run only (checkpoints of a throw-away database); never a configured secret.
os.environ.setdefault("TLOG_SIGNING_KEY", base64.b64encode(os.urandom(32)).decode())
setup_django()

from django.db import connection, transaction  # noqa: E402

from xiangzhen.core.models import AuditEntry  # noqa: E402
from xiangzhen.core.numbering import next_number  # noqa: E402
from xiangzhen.tlog import conf, merkle, registry, selectors, services  # noqa: E402
from xiangzhen.tlog.leaves import canonical_leaf  # noqa: E402
from xiangzhen.tlog.models import LogEntry  # noqa: E402

LEAVES = int(os.environ.get("BENCH_TLOG_LEAVES", "10000000"))
APPENDS = int(os.environ.get("BENCH_TLOG_APPENDS", "2000"))
PROBES = 20
KIND = "bench.record"

registry.register(KIND, lambda number: None)


def record(i: int) -> str:
    number = next_number("BM", "433124000000")
    AuditEntry.objects.create(action="bench.record", object_type="bench", object_id=number, region_code="433124")
    return number


def write_records(n: int, with_leaf: bool, offset: int) -> float:
    start = time.perf_counter()
    for i in range(offset, offset + n):
        with transaction.atomic():
            number = record(i)
            if with_leaf:
                services.append_leaf(kind=KIND, number=number, payload={"amount": f"{i}.00", "region": "433124"})
    return time.perf_counter() - start


def append_figures() -> dict[str, float]:
    write_records(50, True, 0)  # warm-up, both paths
    write_records(50, False, 50)
    alone = write_records(APPENDS, False, 100)
    together = write_records(APPENDS, True, 100 + APPENDS)
    return {
        "transactions": APPENDS,
        "record_alone_ms": round(alone / APPENDS * 1000, 3),
        "record_with_leaf_ms": round(together / APPENDS * 1000, 3),
        "ratio": round(together / alone, 2),
        "appends_per_second": round(APPENDS / together, 1),
    }


def bulk_fill(start: int, end: int, stack: list[tuple[int, bytes]]) -> None:
    """Leaves [start, end) and the subtree hashes they complete, written straight to the tables
    (the benchmark measures reads; appending 10M leaves one by one would take hours)."""
    h = conf.hasher()
    index_col = connection.ops.quote_name("index")
    batch = 50_000
    with connection.cursor() as cursor:
        for lo in range(start, end, batch):
            entries, nodes = [], []
            for i in range(lo, min(end, lo + batch)):
                leaf = canonical_leaf(KIND, f"B-{i}", {"i": i}).decode()
                leaf_hash = h.leaf(leaf.encode())
                entries.append((i, KIND, f"B-{i}", leaf, leaf_hash, "2026-01-01 00:00:00"))
                level, node = 0, leaf_hash
                while stack and stack[-1][0] == level:
                    node = h.node(stack.pop()[1], node)
                    level += 1
                    nodes.append((level, i >> level, node))
                stack.append((level, node))
            with transaction.atomic():
                cursor.executemany(
                    f"INSERT INTO tlog_logentry ({index_col}, kind, number, leaf, leaf_hash, created_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    entries,
                )
                cursor.executemany(
                    f"INSERT INTO tlog_subtreehash (level, {index_col}, hash) VALUES (%s, %s, %s)", nodes
                )


def all_leaf_hashes(size: int) -> list[bytes]:
    return [
        bytes(x) for x in LogEntry.objects.filter(index__lt=size).order_by("index").values_list("leaf_hash", flat=True)
    ]


def proof_figures() -> dict[str, object]:
    first = LEAVES - 12_345 if LEAVES > 100_000 else LEAVES // 2 + 1
    base = selectors.tree_size()
    stack: list[tuple[int, bytes]] = []
    # The appends above already sit at the start of the tree; continue their frontier.
    existing = all_leaf_hashes(base)
    for leaf_hash in existing:
        level, node = 0, leaf_hash
        while stack and stack[-1][0] == level:
            node = conf.hasher().node(stack.pop()[1], node)
            level += 1
        stack.append((level, node))
    started = time.perf_counter()
    bulk_fill(base, first, stack)
    old = services.publish_checkpoint(actor=None)
    bulk_fill(first, LEAVES, stack)
    new = services.publish_checkpoint(actor=None)
    fill_seconds = time.perf_counter() - started
    assert new.tree_size == LEAVES

    h = conf.hasher()
    rng = random.Random(5)
    indexes = [rng.randrange(LEAVES) for _ in range(PROBES)]
    probe = iter(indexes * 100)

    def stored_inclusion() -> list[bytes]:
        return selectors.inclusion_proof(next(probe), LEAVES)

    def stored_consistency() -> list[bytes]:
        return selectors.consistency_proof(old.tree_size, LEAVES)

    inclusion_ms = best_of(stored_inclusion, repeat=PROBES - 1) * 1000
    consistency_ms = best_of(stored_consistency, repeat=9) * 1000
    lookups = len(merkle.node_keys_for(merkle.inclusion_ranges(indexes[0], LEAVES)))

    # The same proofs recomputed from every leaf hash, read from the database in this run.
    started = time.perf_counter()
    leaf_hashes = all_leaf_hashes(LEAVES)
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    recomputed = merkle.inclusion_proof(h, indexes[0], leaf_hashes)
    inclusion_recompute = time.perf_counter() - started + read_seconds
    started = time.perf_counter()
    recomputed_consistency = merkle.consistency_proof(h, old.tree_size, leaf_hashes)
    consistency_recompute = time.perf_counter() - started + read_seconds
    assert recomputed == selectors.inclusion_proof(indexes[0], LEAVES), "stored and recomputed proofs must agree"
    assert recomputed_consistency == stored_consistency()
    assert merkle.verify_inclusion(h, indexes[0], LEAVES, leaf_hashes[indexes[0]], recomputed, bytes(new.root_hash)), (
        "the proof must verify against the signed root"
    )
    return {
        "leaves": LEAVES,
        "bulk_fill_seconds": round(fill_seconds, 1),
        "inclusion": {
            "stored_subtrees_ms": round(inclusion_ms, 3),
            "subtree_lookups": lookups,
            "recompute_from_leaves_ms": round(inclusion_recompute * 1000, 1),
            "speedup": round(inclusion_recompute * 1000 / inclusion_ms),
        },
        "consistency": {
            "first": old.tree_size,
            "second": LEAVES,
            "stored_subtrees_ms": round(consistency_ms, 3),
            "recompute_from_leaves_ms": round(consistency_recompute * 1000, 1),
            "speedup": round(consistency_recompute * 1000 / consistency_ms),
        },
        "read_all_leaf_hashes_seconds": round(read_seconds, 2),
    }


figures = {"hash": conf.hash_name(), "append": append_figures()}
figures["proofs"] = proof_figures()
write("tlog", figures)
