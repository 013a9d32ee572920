"""Reads of the log. Everything here is public: the log holds no personal data by construction."""

import base64
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Max

from xiangzhen.core.errors import NotFound, ValidationFailed
from xiangzhen.tlog import conf, merkle, note, registry
from xiangzhen.tlog.leaves import canonical_leaf
from xiangzhen.tlog.models import Checkpoint, LogEntry

MAX_ENTRIES = 1000


def tree_size() -> int:
    """Leaves committed so far (indexes are gapless, so the size is the largest index + 1)."""
    top = LogEntry.objects.aggregate(top=Max("index"))["top"]
    return 0 if top is None else top + 1


def fetch_nodes(keys: Iterable[merkle.NodeKey]) -> dict[merkle.NodeKey, bytes]:
    """Stored complete-subtree hashes, level 0 being the leaf hashes, in one round trip.

    Raw SQL because this sits on the path of every append and proof, and building the ORM query
    for a few dozen (level, index) pairs costs more than the database's indexed lookups.
    """
    keys = set(keys)
    if not keys:
        return {}
    col = connection.ops.quote_name("index")
    parts, params = [], []
    leaves = [index for level, index in keys if level == 0]
    if leaves:
        parts.append(
            f"SELECT 0, {col}, leaf_hash FROM tlog_logentry WHERE {col} IN ({', '.join(['%s'] * len(leaves))})"  # noqa: S608 (placeholders only)
        )
        params.extend(leaves)
    upper = [(level, index) for level, index in keys if level > 0]
    if upper:
        condition = " OR ".join([f"(level = %s AND {col} = %s)"] * len(upper))
        parts.append(f"SELECT level, {col}, hash FROM tlog_subtreehash WHERE {condition}")  # noqa: S608 (placeholders only)
        params.extend(v for pair in upper for v in pair)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        nodes = {(int(level), int(index)): bytes(digest) for level, index, digest in cursor.fetchall()}
    missing = keys - nodes.keys()
    if missing:
        raise RuntimeError(f"tlog storage is missing subtree hashes {sorted(missing)[:5]}")
    return nodes


def append_position(kind: str, number: str) -> tuple[int, bool]:
    """The next index, and whether (kind, number) is already logged: one query, under the log's lock."""
    col = connection.ops.quote_name("index")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX({col}) FROM tlog_logentry), "  # noqa: S608 (a quoted column name only)
            "EXISTS (SELECT 1 FROM tlog_logentry WHERE kind = %s AND number = %s)",
            [kind, number],
        )
        top, exists = cursor.fetchone()
    return (0 if top is None else int(top) + 1), bool(exists)


def range_hashes(ranges: list[merkle.Range]) -> list[bytes]:
    if not ranges:
        return []
    return merkle.resolve(conf.hasher(), ranges, fetch_nodes(merkle.node_keys_for(ranges)))


def root_at(size: int) -> bytes:
    if size == 0:
        return conf.hasher().empty()
    return range_hashes([(0, size)])[0]


# ---------------------------------------------------------------- checkpoints


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def checkpoints() -> Any:
    return Checkpoint.objects.order_by("-tree_size")


def signed_checkpoint(size: int) -> Checkpoint:
    """Proofs are only served for sizes the log has signed: a size a client merely claims is refused."""
    checkpoint = Checkpoint.objects.filter(tree_size=size).first()
    if checkpoint is None:
        raise ValidationFailed.on(
            "tree_size", f"树大小 {size} 没有已签名的检查点，只能针对已发布检查点的树大小出具证明"
        )
    return checkpoint


def inclusion_proof(index: int, size: int) -> list[bytes]:
    signed_checkpoint(size)
    if not 0 <= index < size:
        raise ValidationFailed.on("index", f"序号 {index} 不在树大小 {size} 的范围内（0 至 {size - 1}）")
    return range_hashes(merkle.inclusion_ranges(index, size))


def consistency_proof(first: int, second: int) -> list[bytes]:
    if not 0 <= first <= second:
        raise ValidationFailed.on("first", "旧树大小不能大于新树大小")
    signed_checkpoint(first)
    signed_checkpoint(second)
    return range_hashes(merkle.consistency_ranges(first, second))


# ---------------------------------------------------------------- entries and records


def entries(start: int, end: int) -> list[LogEntry]:
    if start < 0 or end < start:
        raise ValidationFailed.on("start", "序号范围无效")
    end = min(end, start + MAX_ENTRIES)
    return list(LogEntry.objects.filter(index__gte=start, index__lt=end).order_by("index"))


def recent_entries() -> Any:
    return LogEntry.objects.order_by("-index")


def entry_for(kind: str, number: str) -> LogEntry:
    entry = LogEntry.objects.filter(kind=kind, number=number).first()
    if entry is None:
        raise NotFound("透明日志中没有该记录")
    return entry


def entries_for_number(number: str) -> list[LogEntry]:
    return list(LogEntry.objects.filter(number=number).order_by("index"))


def current_leaf(kind: str, number: str) -> bytes | None:
    """The leaf the record's current row would give, or None if the record is gone."""
    if not registry.is_registered(kind):
        raise NotFound("未知的日志记录类型")
    payload = registry.rebuild(kind, number)
    return None if payload is None else canonical_leaf(kind, number, payload)


def covering_checkpoint(index: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(tree_size__gt=index).order_by("tree_size").first()


# ---------------------------------------------------------------- serialised forms


def checkpoint_data(checkpoint: Checkpoint) -> dict[str, Any]:
    root = bytes(checkpoint.root_hash)
    return {
        "origin": note.parse_checkpoint(note.split(checkpoint.note)[0]).origin,
        "tree_size": checkpoint.tree_size,
        "root_hash": root.hex(),
        "root_hash_base64": base64.b64encode(root).decode(),
        "note": checkpoint.note,
        "created_at": checkpoint.created_at,
        "cosignatures": [c.line for c in checkpoint.cosignatures.all()],
    }


def entry_data(entry: LogEntry) -> dict[str, Any]:
    return {
        "index": entry.index,
        "kind": entry.kind,
        "number": entry.number,
        "leaf": entry.leaf,
        "leaf_hash": bytes(entry.leaf_hash).hex(),
        "created_at": entry.created_at,
    }


def public_key_data() -> dict[str, Any]:
    key = conf.verifier_key()
    return {
        "origin": conf.origin(),
        "hash": conf.hash_name(),
        "key_name": key.name,
        "verifier_key": key.text(),
        "public_key_base64": base64.b64encode(key.raw()).decode(),
    }


def receipt_bundle(entry: LogEntry, checkpoint: Checkpoint) -> dict[str, Any]:
    """Everything a donor needs to check offline that the record is in the log: the leaf, its index,
    a signed checkpoint covering it and the inclusion proof against that checkpoint.

    `services.issue_receipt` picks the checkpoint (publishing one if none covers the leaf yet).
    """
    if checkpoint.tree_size <= entry.index:
        raise ValueError(f"checkpoint of size {checkpoint.tree_size} does not cover leaf {entry.index}")
    proof = range_hashes(merkle.inclusion_ranges(entry.index, checkpoint.tree_size))
    return {
        "format": "xiangzhen-tlog-receipt/v1",
        **entry_data(entry),
        "created_at": entry.created_at.isoformat(),
        "tree_size": checkpoint.tree_size,
        "checkpoint": checkpoint.note,
        "inclusion_proof": [p.hex() for p in proof],
        "verifier_key": conf.verifier_key().text(),
    }


def entry_search(kind: str = "", q: str = "") -> Any:
    """Entries newest first, by kind and by record number (exact or prefix)."""
    entries = LogEntry.objects.order_by("-index")
    if kind:
        entries = entries.filter(kind=kind)
    if q:
        entries = entries.filter(number__startswith=q)
    return entries
