"""What a backup promises about a database, computed the same way from the original and the copy.

A snapshot is the row count of every table, the transparency log's size and root hash — recomputed
from the leaves' text, not taken from the stored hashes — and the latest signed checkpoint. It
reads through any DB-API cursor (sqlite3, psycopg, or Django's), with SQL both databases accept
and no parameters, so the backup file itself and a restored database are read alike.
"""

from dataclasses import dataclass, field
from typing import Any

from xiangzhen.tlog import conf, merkle, note

LOG_TABLE = "tlog_logentry"
CHECKPOINT_TABLE = "tlog_checkpoint"
BATCH = 5000


@dataclass
class Snapshot:
    tables: dict[str, int]
    tlog_size: int
    tlog_root: str
    checkpoint: dict[str, Any] | None
    # Leaves whose stored hash is not the hash of their text, or whose indexes have gaps.
    log_problems: list[str] = field(default_factory=list)
    # Recomputed roots of the log's prefixes, by size, for the sizes checkpoints were signed at.
    prefix_roots: dict[int, str] = field(default_factory=dict)

    def manifest_part(self) -> dict[str, Any]:
        return {
            "tables": dict(sorted(self.tables.items())),
            "tlog": {"hash": conf.hash_name(), "size": self.tlog_size, "root": self.tlog_root},
            "checkpoint": self.checkpoint,
        }


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
    elif vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        raise ValueError(f"unsupported database vendor {vendor!r}")
    return sorted(str(row[0]) for row in cursor.fetchall())


def take(cursor: Any, vendor: str) -> Snapshot:
    """Count every table and recompute the log from `cursor`'s database."""
    names = table_names(cursor, vendor)
    tables = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 (a quoted catalogue name)
        tables[name] = int(cursor.fetchone()[0])
    checkpoint = _latest_checkpoint(cursor) if CHECKPOINT_TABLE in tables else None
    if LOG_TABLE not in tables:
        return Snapshot(tables, 0, conf.hasher().empty().hex(), checkpoint, ["透明日志表 tlog_logentry 不存在"])
    size, root, problems, prefix_roots = _replay_log(cursor, checkpoint["tree_size"] if checkpoint else None)
    return Snapshot(tables, size, root, checkpoint, problems, prefix_roots)


def _latest_checkpoint(cursor: Any) -> dict[str, Any] | None:
    cursor.execute(f"SELECT tree_size, root_hash, note FROM {CHECKPOINT_TABLE} ORDER BY tree_size DESC LIMIT 1")  # noqa: S608
    row = cursor.fetchone()
    if row is None:
        return None
    return {"tree_size": int(row[0]), "root": bytes(row[1]).hex(), "note": str(row[2])}


class _Tree:
    """The Merkle tree hash over leaves added one at a time, in O(log n) memory (RFC 9162 §2.1.1)."""

    def __init__(self, h: merkle.Hasher) -> None:
        self.h = h
        self.size = 0
        self.stack: list[tuple[int, bytes]] = []  # complete subtrees, as in a binary counter

    def add(self, leaf_hash: bytes) -> None:
        level, node = 0, leaf_hash
        while self.stack and self.stack[-1][0] == level:
            node = self.h.node(self.stack.pop()[1], node)
            level += 1
        self.stack.append((level, node))
        self.size += 1

    def root(self) -> str:
        if not self.stack:
            return self.h.empty().hex()
        node = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            node = self.h.node(left, node)
        return node.hex()


def _replay_log(cursor: Any, signed_size: int | None) -> tuple[int, str, list[str], dict[int, str]]:
    h = conf.hasher()
    tree = _Tree(h)
    problems: list[str] = []
    prefix_roots = {0: tree.root()} if signed_size == 0 else {}
    start = 0
    while True:
        # In index ranges, so no driver holds the whole log in memory at once.
        cursor.execute(
            f'SELECT "index", leaf, leaf_hash FROM {LOG_TABLE} WHERE "index" >= {int(start)} '  # noqa: S608 (an int)
            f'ORDER BY "index" LIMIT {BATCH}'
        )
        rows = cursor.fetchall()
        if not rows:
            break
        for index, leaf, stored in rows:
            if int(index) != tree.size:
                problems.append(f"{LOG_TABLE}：序号应为 {tree.size}，却是 {index}（日志有缺口）")
            leaf_hash = h.leaf(str(leaf).encode())
            if leaf_hash != bytes(stored):
                problems.append(f"{LOG_TABLE}：序号 {index} 的叶子内容与其哈希不符")
            tree.add(leaf_hash)
            if tree.size == signed_size:
                prefix_roots[signed_size] = tree.root()
        start = int(rows[-1][0]) + 1
    return tree.size, tree.root(), problems, prefix_roots


def checkpoint_problems(snapshot: Snapshot, key: note.VerifierKey) -> list[str]:
    """The latest checkpoint's signature verifies under `key` and its root is the replayed log's."""
    cp = snapshot.checkpoint
    if cp is None:
        return []
    try:
        signed = note.verify_checkpoint(cp["note"], key)
    except note.NoteError as exc:
        return [f"{CHECKPOINT_TABLE}：检查点 {cp['tree_size']} 的签名无效（{exc}）"]
    problems = []
    if signed.size != cp["tree_size"] or signed.root.hex() != cp["root"]:
        problems.append(f"{CHECKPOINT_TABLE}：检查点 {cp['tree_size']} 的列值与其签名内容不符")
    if signed.size > snapshot.tlog_size:
        problems.append(f"{LOG_TABLE}：已签名的树大小 {signed.size} 超过日志中的 {snapshot.tlog_size} 条")
    elif snapshot.prefix_roots.get(signed.size) != signed.root.hex():
        problems.append(f"{LOG_TABLE}：按日志条目重算的前 {signed.size} 条根哈希与已签名检查点不符")
    return problems
