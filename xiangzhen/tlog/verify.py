"""xiangzhen-verify: check the platform's transparency log from the outside.

Needs only the public API (or files written by `manage.py tlog_export`) and the log's public key;
no Django, no database. Imports only the pure modules next to it, cryptography and rfc8785.

    xiangzhen-verify receipt RECEIPT.json --key KEY
    xiangzhen-verify consistency OLD_NOTE NEW_NOTE --url https://host/api/v1/tlog --key KEY
    xiangzhen-verify audit --url https://host/api/v1/tlog --key KEY
    xiangzhen-verify audit --export DIR --key KEY

KEY is the verifier key `<name>+<key id>+<base64 key>` (GET /api/v1/tlog/key) or a file holding
it; get it from a source you trust, not from the material being verified. Exit status: 0 verified,
1 something does not match (the first problem is named), 2 the input could not be read.
"""

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from xiangzhen.tlog import merkle, note
from xiangzhen.tlog.leaves import canonical_leaf

PAGE = 1000
# Inclusion proofs fetched at most to find where a replayed tree leaves the signed one.
MAX_PROBES = 5000


class VerificationFailed(Exception):
    """The material does not verify; the message says what and where."""


@dataclass(order=True)
class Problem:
    # Problems about one index sort by it; whole-log problems (None → -1) come first.
    order: int
    message: str


def load_key(value: str) -> note.VerifierKey:
    path = Path(value)
    text = path.read_text(encoding="utf-8").strip() if path.is_file() else value
    return note.parse_verifier_key(text)


def open_checkpoint(signed: str, key: note.VerifierKey) -> note.Checkpoint:
    try:
        return note.verify_checkpoint(signed, key)
    except note.NoteError as exc:
        raise VerificationFailed(f"检查点签名无效：{exc}") from None


def leaf_problem(entry: dict[str, Any]) -> str | None:
    """Whether a leaf is well formed and about the record the entry says it is."""
    try:
        content = json.loads(entry["leaf"])
    except (TypeError, ValueError):
        return f"序号 {entry['index']} 的叶子不是有效的 JSON"
    if not isinstance(content, dict) or set(content) != {"kind", "number", "data"}:
        return f"序号 {entry['index']} 的叶子结构不正确"
    if content["kind"] != entry["kind"] or content["number"] != entry["number"]:
        return (
            f"序号 {entry['index']} 标为 {entry['kind']} {entry['number']}，"
            f"叶子内容却是 {content['kind']} {content['number']}"
        )
    if canonical_leaf(content["kind"], content["number"], content["data"]).decode() != entry["leaf"]:
        return f"序号 {entry['index']} 的叶子不是规范化 JSON（RFC 8785）"
    return None


# ---------------------------------------------------------------- receipts


def verify_receipt(receipt: dict[str, Any], key: note.VerifierKey) -> str:
    checkpoint = open_checkpoint(receipt["checkpoint"], key)
    h = merkle.hasher_for_origin(checkpoint.origin)
    index, size = int(receipt["index"]), checkpoint.size
    if int(receipt.get("tree_size", size)) != size:
        raise VerificationFailed("收据中的树大小与签名检查点不符")
    problem = leaf_problem(receipt)
    if problem:
        raise VerificationFailed(problem)
    leaf_hash = h.leaf(receipt["leaf"].encode())
    proof = [bytes.fromhex(p) for p in receipt["inclusion_proof"]]
    if not merkle.verify_inclusion(h, index, size, leaf_hash, proof, checkpoint.root):
        raise VerificationFailed(f"包含性证明不成立：序号 {index} 的叶子不在树大小 {size} 的已签名日志中")
    return (
        f"收据有效：{receipt['kind']} {receipt['number']}（序号 {index}）"
        f"包含在 {checkpoint.origin} 树大小 {size} 的已签名检查点中"
    )


# ---------------------------------------------------------------- sources


class Source(Protocol):
    def checkpoint_notes(self) -> list[str]: ...
    def entries(self, start: int, end: int) -> list[dict[str, Any]]: ...
    def current(self, start: int, end: int) -> list[dict[str, Any]]: ...
    def inclusion(self, index: int, size: int) -> list[bytes] | None: ...
    def consistency(self, first: int, second: int) -> list[bytes]: ...


Fetch = Callable[[str], tuple[int, bytes]]


def urllib_fetch(url: str) -> tuple[int, bytes]:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise OSError(f"只支持 http(s) 地址：{url}")
    headers = {"Accept": "application/json", "User-Agent": "xiangzhen-verify"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (scheme checked above)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class ApiSource:
    """The platform's public API at `base` (…/api/v1/tlog); `fetch` is swappable for tests."""

    def __init__(self, base: str, fetch: Fetch = urllib_fetch) -> None:
        self.base = base.rstrip("/")
        self.fetch = fetch

    def _json(self, path: str, **params: Any) -> Any:
        url = f"{self.base}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        status, body = self.fetch(url)
        if status != 200:
            raise OSError(f"GET {url} → {status}: {body[:300].decode(errors='replace')}")
        return json.loads(body)

    def checkpoint_notes(self) -> list[str]:
        notes: list[str] = []
        page = 1
        while True:
            data = self._json("/checkpoints", page=page)
            notes.extend(item["note"] for item in data["items"])
            if len(notes) >= data["count"] or not data["items"]:
                return notes
            page += 1

    def entries(self, start: int, end: int) -> list[dict[str, Any]]:
        return list(self._json("/entries", start=start, end=end))

    def current(self, start: int, end: int) -> list[dict[str, Any]]:
        return list(self._json("/current", start=start, end=end))

    def inclusion(self, index: int, size: int) -> list[bytes] | None:
        return [bytes.fromhex(p) for p in self._json("/proof/inclusion", index=index, tree_size=size)["proof"]]

    def consistency(self, first: int, second: int) -> list[bytes]:
        return [bytes.fromhex(p) for p in self._json("/proof/consistency", first=first, second=second)["proof"]]


class ExportSource:
    """Files written by `manage.py tlog_export DIR`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._entries = self._lines("entries.jsonl")
        self._current = self._lines("current.jsonl")

    def _lines(self, name: str) -> list[dict[str, Any]]:
        with (self.directory / name).open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def checkpoint_notes(self) -> list[str]:
        return [c["note"] for c in json.loads((self.directory / "checkpoints.json").read_text(encoding="utf-8"))]

    def entries(self, start: int, end: int) -> list[dict[str, Any]]:
        return self._entries[start:end]

    def current(self, start: int, end: int) -> list[dict[str, Any]]:
        return self._current[start:end]

    def inclusion(self, index: int, size: int) -> list[bytes] | None:
        return None

    def consistency(self, first: int, second: int) -> list[bytes]:
        raise OSError("导出文件中没有一致性证明；请使用 --url")


# ---------------------------------------------------------------- consistency of two checkpoints


def verify_consistency(old_note: str, new_note: str, key: note.VerifierKey, source: Source) -> str:
    old, new = open_checkpoint(old_note, key), open_checkpoint(new_note, key)
    if old.origin != new.origin:
        raise VerificationFailed(f"两个检查点属于不同的日志：{old.origin} 与 {new.origin}")
    if old.size > new.size:
        old, new = new, old
    h = merkle.hasher_for_origin(old.origin)
    proof = source.consistency(old.size, new.size) if old.size != new.size else []
    if not merkle.verify_consistency(h, old.size, new.size, old.root, new.root, proof):
        raise VerificationFailed(
            f"树大小 {old.size} 与 {new.size} 的检查点不一致：日志的历史被改写过（或其中一个检查点被替换）"
        )
    return f"一致：树大小 {new.size} 的检查点是树大小 {old.size} 的检查点的追加延续"


# ---------------------------------------------------------------- audit


def _pages(fetch: Callable[[int, int], list[dict[str, Any]]], start: int = 0) -> Iterator[dict[str, Any]]:
    while True:
        batch = fetch(start, start + PAGE)
        yield from batch
        if len(batch) < PAGE:
            return
        start += PAGE


def _data_diff(logged: str, current: str) -> str:
    old, new = json.loads(logged).get("data", {}), json.loads(current).get("data", {})
    fields = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    return "、".join(f"{k}: 日志为 {old.get(k)!r}，现为 {new.get(k)!r}" for k in fields) or "内容不同"


def audit(source: Source, key: note.VerifierKey) -> tuple[list[Problem], str]:
    """All problems found, in log order, and a summary of what was checked."""
    problems: list[Problem] = []
    checkpoints: dict[int, note.Checkpoint] = {}
    for signed in source.checkpoint_notes():
        try:
            cp = note.verify_checkpoint(signed, key)
        except note.NoteError as exc:
            problems.append(Problem(-1, f"有一个检查点签名无效（{exc}）：检查点被替换或伪造"))
            continue
        if cp.size in checkpoints and checkpoints[cp.size].root != cp.root:
            problems.append(Problem(-1, f"树大小 {cp.size} 有两个根哈希不同的已签名检查点：日志分叉"))
        checkpoints[cp.size] = cp
    if not checkpoints:
        problems.append(Problem(-1, "没有可验证的已签名检查点"))
        return problems, ""
    origins = {cp.origin for cp in checkpoints.values()}
    if len(origins) > 1:
        problems.append(Problem(-1, f"检查点来自不同的日志：{sorted(origins)}"))
    h = merkle.hasher_for_origin(next(iter(origins)))
    sizes = sorted(checkpoints)
    latest = sizes[-1]

    # Replay the leaves, checking each and every signed root on the way.
    stack: list[tuple[int, bytes]] = []
    leaf_hashes: list[bytes] = []
    logged: dict[int, dict[str, Any]] = {}
    seen: dict[tuple[str, str], int] = {}
    count, next_size, previous = 0, 0, 0
    while next_size < len(sizes) and sizes[next_size] == 0:
        next_size += 1
    for entry in _pages(source.entries):
        index = entry["index"]
        if index != count:
            problems.append(Problem(count, f"序号不连续：期望 {count}，实为 {index}（条目被删除或插入）"))
            break
        problem = leaf_problem(entry)
        if problem:
            problems.append(Problem(index, problem))
        record = (entry["kind"], entry["number"])
        if record in seen:
            problems.append(Problem(index, f"{record[0]} {record[1]} 在序号 {seen[record]} 和 {index} 重复出现"))
        seen.setdefault(record, index)
        logged[index] = entry
        leaf_hash = h.leaf(entry["leaf"].encode())
        leaf_hashes.append(leaf_hash)
        level, node = 0, leaf_hash
        while stack and stack[-1][0] == level:
            node = h.node(stack.pop()[1], node)
            level += 1
        stack.append((level, node))
        count += 1
        if next_size < len(sizes) and sizes[next_size] == count:
            root = stack[-1][1]
            for _, left in reversed(stack[:-1]):
                root = h.node(left, root)
            if root != checkpoints[count].root:
                problems.append(_root_problem(source, h, leaf_hashes, previous, count, checkpoints[count]))
            previous = count
            next_size += 1
    if count < latest:
        problems.append(Problem(count, f"日志只有 {count} 条，但已签名检查点的树大小为 {latest}：条目被删除"))

    # Each record as the database has it now must give the leaf that was logged.
    for current in _pages(source.current):
        index = current["index"]
        if index not in logged:
            continue
        entry = logged[index]
        if current["leaf"] is None:
            problems.append(Problem(index, f"记录 {entry['kind']} {entry['number']}（序号 {index}）已从数据库中删除"))
        elif current["leaf"] != entry["leaf"]:
            diff = _data_diff(entry["leaf"], current["leaf"])
            problems.append(Problem(index, f"记录 {entry['kind']} {entry['number']}（序号 {index}）与日志不符：{diff}"))
    summary = f"已核对 {count} 条日志、{len(checkpoints)} 个已签名检查点（最新树大小 {latest}）"
    return sorted(problems), summary


def _root_problem(
    source: Source, h: merkle.Hasher, leaf_hashes: list[bytes], previous: int, size: int, cp: note.Checkpoint
) -> Problem:
    """Narrow down where the replayed leaves leave the signed tree.

    Without proofs (an export) the answer is the range since the last good checkpoint. With the
    API, the first leaf whose inclusion proof fails is found; since the proof's lowest element is
    the neighbouring leaf as the database now has it, the culprit is that leaf or its neighbour.
    """
    for index in range(previous, min(size, previous + MAX_PROBES)):
        try:
            proof = source.inclusion(index, size)
        except OSError:
            proof = None
        if proof is None:
            break
        if not merkle.verify_inclusion(h, index, size, leaf_hashes[index], proof, cp.root):
            low, high = index & ~1, min(index | 1, size - 1)
            where = f"序号 {low}" if low == high else f"序号 {low} 至 {high} 之间"
            return Problem(low, f"{where}的条目被改动或调换：与树大小 {size} 的已签名检查点不符")
    return Problem(
        previous,
        f"重算的根哈希与树大小 {size} 的已签名检查点不符：序号 {previous} 至 {size - 1} 之间的条目被改动或调换",
    )


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="xiangzhen-verify", description="验证乡振透明日志（无需平台数据库）")
    sub = parser.add_subparsers(dest="command", required=True)
    p_receipt = sub.add_parser("receipt", help="验证捐赠收据等回执文件")
    p_receipt.add_argument("file", type=Path)
    p_cons = sub.add_parser("consistency", help="验证新检查点是旧检查点的追加延续")
    p_cons.add_argument("old", type=Path)
    p_cons.add_argument("new", type=Path)
    p_cons.add_argument("--url", required=True, help="接口地址，如 https://host/api/v1/tlog")
    p_audit = sub.add_parser("audit", help="审计：重算日志并与平台当前记录逐条比对")
    where = p_audit.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="接口地址，如 https://host/api/v1/tlog")
    where.add_argument("--export", type=Path, help="tlog_export 导出的目录")
    for p in (p_receipt, p_cons, p_audit):
        p.add_argument("--key", required=True, help="验证器公钥，或存放它的文件")
    args = parser.parse_args(argv)
    try:
        key = load_key(args.key)
        if args.command == "receipt":
            print(verify_receipt(json.loads(args.file.read_text(encoding="utf-8")), key))
            return 0
        if args.command == "consistency":
            source: Source = ApiSource(args.url)
            old, new = args.old.read_text(encoding="utf-8"), args.new.read_text(encoding="utf-8")
            print(verify_consistency(old, new, key, source))
            return 0
        source = ApiSource(args.url) if args.url else ExportSource(args.export)
        problems, summary = audit(source, key)
    except VerificationFailed as exc:
        print(f"验证失败：{exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as exc:
        print(f"无法读取输入：{exc}", file=sys.stderr)
        return 2
    if problems:
        print(f"审计不通过。第一个不符：{problems[0].message}", file=sys.stderr)
        for problem in problems[1:20]:
            print(f"  另：{problem.message}", file=sys.stderr)
        return 1
    print(f"审计通过：{summary}，每条记录与日志一致")
    return 0


if __name__ == "__main__":
    sys.exit(main())
