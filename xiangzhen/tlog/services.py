"""Every write to the log: appending a leaf, publishing a signed checkpoint, adding a witness cosignature.

Appends and publications serialize on one lock held until the caller's transaction ends
(PostgreSQL: a transaction-level advisory lock; SQLite has a single writer anyway), so indexes are
gapless and a rolled-back record takes its leaf with it.
"""

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from xiangzhen.accounts import roles
from xiangzhen.core import audit
from xiangzhen.core.errors import Conflict, Forbidden, ValidationFailed
from xiangzhen.tlog import conf, merkle, note, registry, selectors
from xiangzhen.tlog.leaves import canonical_leaf
from xiangzhen.tlog.models import Checkpoint, Cosignature, LogEntry, SubtreeHash

# "tlog" in ASCII: the advisory lock key, shared by every appender and publisher.
LOCK_KEY = 0x746C6F67


def _lock_log() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def append_leaf(*, kind: str, number: str, payload: dict[str, Any]) -> LogEntry:
    """Append the record's leaf; call inside the record's own transaction so both commit or neither.

    `payload` must come from the function registered for `kind` (see registry.py), must hold no
    personal data (use leaves.commitment), and carries money and dates as strings.
    """
    if not registry.is_registered(kind):
        raise ValueError(f"tlog kind {kind!r} is not registered; register it in the app's AppConfig.ready()")
    if not number:
        raise ValueError("a leaf needs the record's number")
    leaf = canonical_leaf(kind, number, payload)
    h = conf.hasher()
    with transaction.atomic():
        _lock_log()
        index, exists = selectors.append_position(kind, number)
        if exists:
            raise Conflict(f"记录 {number} 的“{kind}”已写入透明日志，不能重复写入")
        leaf_hash = h.leaf(leaf)
        entry = LogEntry.objects.create(
            index=index, kind=kind, number=number, leaf=leaf.decode(), leaf_hash=leaf_hash, created_at=timezone.now()
        )
        closed = merkle.completed_nodes(index)
        if closed:
            # Each closed node's right child is the node closed just below it (the new leaf at
            # level 1); only the left children are read, in one or two queries.
            lefts = selectors.fetch_nodes((level - 1, 2 * i) for level, i in closed)
            right, rows = leaf_hash, []
            for level, i in closed:
                right = h.node(lefts[(level - 1, 2 * i)], right)
                rows.append(SubtreeHash(level=level, index=i, hash=right))
            SubtreeHash.objects.bulk_create(rows)
    return entry


def can_publish(actor: Any) -> bool:
    return roles.is_platform_admin(actor) or roles.is_province_staff(actor)


def publish_checkpoint(*, actor: Any) -> Checkpoint:
    """Sign and keep a checkpoint for the current tree; the latest one if the size is unchanged.

    `actor` None is the platform itself (the timer, a receipt that needs a covering checkpoint).
    The new tree is proven consistent with the last signed one before it is signed, so the log
    can never sign two views of history that contradict each other.
    """
    if actor is not None and not can_publish(actor):
        raise Forbidden("只有平台管理员或省级部门人员可以发布检查点")
    h = conf.hasher()
    with transaction.atomic():
        _lock_log()
        size = selectors.tree_size()
        last = selectors.latest_checkpoint()
        if last is not None and last.tree_size == size:
            return last
        root = selectors.root_at(size)
        if last is not None:
            proof = selectors.range_hashes(merkle.consistency_ranges(last.tree_size, size))
            if not merkle.verify_consistency(h, last.tree_size, size, bytes(last.root_hash), root, proof):
                raise Conflict("当前日志与上一个已签名检查点不一致，拒绝签名；请立即检查数据库是否被篡改")
        body = note.Checkpoint(conf.origin(), size, root).body()
        signed = note.sign(body, conf.key_name(), conf.signing_key())
        checkpoint = Checkpoint.objects.create(tree_size=size, root_hash=root, note=signed, created_at=timezone.now())
        audit.record(actor=actor, action="tlog.publish_checkpoint", instance=checkpoint, after={"tree_size": size})
    return checkpoint


def issue_receipt(*, kind: str, number: str) -> dict[str, Any]:
    """A logged record's receipt (`selectors.receipt_bundle`) that verifies at once: if no signed
    checkpoint covers the record's leaf yet, the platform publishes one first, so a donor who asks
    right after donating need not wait for the hourly checkpoint. The leaf must be committed."""
    entry = selectors.entry_for(kind, number)
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None or checkpoint.tree_size <= entry.index:
        checkpoint = publish_checkpoint(actor=None)
    return selectors.receipt_bundle(entry, checkpoint)


def add_cosignature(*, actor: Any, tree_size: int, line: str) -> Cosignature:
    """Keep a witness's cosignature on a published checkpoint, if it verifies under a known witness key.

    Witness keys are configured (`TLOG_WITNESS_KEYS`: verifier keys of other departments); anyone
    may submit, since an invalid line is refused and a valid one can only come from the witness.
    """
    checkpoint = selectors.signed_checkpoint(tree_size)
    body = note.split(checkpoint.note)[0]
    for key in conf.witness_keys():
        try:
            timestamp = note.verify_cosignature(body, line, key.name, key.public_key)
        except note.NoteError:
            continue
        with transaction.atomic():
            if Cosignature.objects.filter(checkpoint=checkpoint, witness=key.name).exists():
                raise Conflict(f"见证方 {key.name} 已对该检查点联署")
            cosignature = Cosignature.objects.create(
                checkpoint=checkpoint,
                witness=key.name,
                line=line if line.endswith("\n") else f"{line}\n",
                timestamp=timestamp,
                created_at=timezone.now(),
            )
            audit.record(actor=actor, action="tlog.cosign", instance=cosignature, after={"witness": key.name})
        return cosignature
    raise ValidationFailed.on("line", "联署签名无效，或不是已登记见证方的密钥")
