"""Merkle tree hashing and proofs exactly as RFC 9162 §2.1, on hashlib (SM3 through `cryptography`).

Pure functions, no Django: the offline verifier imports this module alone.

The proof generators follow the RFC's recursive definitions (PATH, PROOF/SUBPROOF) but work on
index ranges: each proof element is named as the range `[start, end)` whose tree hash it is, and
the caller turns ranges into hashes. With the leaves in memory `range_hash` recomputes them; the
platform instead looks the range up as a few stored complete subtrees (`perfect_subtrees`), which
keeps a proof at O(log n) lookups however large the log.
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

Range = tuple[int, int]
# (level, index): the complete subtree over leaves [index·2^level, (index+1)·2^level).
NodeKey = tuple[int, int]


@dataclass(frozen=True)
class Hasher:
    name: str
    digest: Callable[[bytes], bytes]
    size: int

    def leaf(self, leaf: bytes) -> bytes:
        return self.digest(LEAF_PREFIX + leaf)

    def node(self, left: bytes, right: bytes) -> bytes:
        return self.digest(NODE_PREFIX + left + right)

    def empty(self) -> bytes:
        """MTH({}) = HASH() — the root of the empty tree."""
        return self.digest(b"")


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sm3(data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes

    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


HASHERS: dict[str, Hasher] = {
    "sha256": Hasher("sha256", _sha256, 32),
    "sm3": Hasher("sm3", _sm3, 32),
}


def hasher(name: str) -> Hasher:
    try:
        return HASHERS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown hash {name!r}; expected one of {sorted(HASHERS)}") from None


def hasher_for_origin(origin: str) -> Hasher:
    """A log names its hash as the last path segment of its origin, e.g. `xiangzhen.local/tlog/sm3`."""
    return hasher(origin.rstrip("/").rsplit("/", 1)[-1])


def split_point(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    if n < 2:
        raise ValueError("split_point needs n > 1")
    return 1 << ((n - 1).bit_length() - 1)


# ---------------------------------------------------------------- tree hash from leaves


def root_from_leaf_hashes(h: Hasher, leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over leaves given by their leaf hashes; iterative, O(n) time and O(log n) memory."""
    if not leaf_hashes:
        return h.empty()
    # A stack of complete subtrees (level, hash), merged as in a binary counter.
    stack: list[tuple[int, bytes]] = []
    for lh in leaf_hashes:
        level, node = 0, lh
        while stack and stack[-1][0] == level:
            _, left = stack.pop()
            node = h.node(left, node)
            level += 1
        stack.append((level, node))
    # The unbalanced right edge folds from the right, as the RFC's recursion does.
    node = stack.pop()[1]
    while stack:
        node = h.node(stack.pop()[1], node)
    return node


def range_hash(h: Hasher, leaf_hashes: Sequence[bytes], rng: Range) -> bytes:
    return root_from_leaf_hashes(h, leaf_hashes[rng[0] : rng[1]])


# ---------------------------------------------------------------- proofs as ranges


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, leaf side first, as ranges of leaves."""
    if not 0 <= index < size:
        raise ValueError("index must be in [0, size)")
    out: list[Range] = []
    start, end, m = 0, size, index
    # Iterative form of the recursion: the sibling found at each split is appended after the
    # deeper part of the path, so collect top-down and reverse.
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m = start + k, m - k
    out.reverse()
    return out


def consistency_ranges(first: int, second: int) -> list[Range]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1, as ranges of leaves."""
    if not 0 <= first <= second:
        raise ValueError("need 0 <= first <= second")
    if first == 0 or first == second:
        return []
    out: list[Range] = []
    start, end, m, whole = 0, second, first, True
    while True:
        n = end - start
        if m == n:
            if not whole:
                out.append((start, end))
            break
        k = split_point(n)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m, whole = start + k, m - k, False
    out.reverse()
    return out


def perfect_subtrees(rng: Range) -> list[NodeKey]:
    """The complete subtrees a range of the RFC's recursion is made of, left to right.

    Every range the recursion produces starts at a multiple of its largest power-of-two part,
    so it splits into aligned complete subtrees, one per set bit of its length, largest first.
    """
    start, end = rng
    out: list[NodeKey] = []
    while start < end:
        level = (end - start).bit_length() - 1
        # Alignment of `start` may allow less than the length's top bit.
        while start % (1 << level):
            level -= 1
        out.append((level, start >> level))
        start += 1 << level
    return out


def hash_from_subtrees(h: Hasher, keys: Sequence[NodeKey], nodes: Mapping[NodeKey, bytes]) -> bytes:
    """MTH of a range from its complete subtrees: the smaller ones on the right fold first."""
    node = nodes[keys[-1]]
    for key in reversed(keys[:-1]):
        node = h.node(nodes[key], node)
    return node


def node_keys_for(ranges: Sequence[Range]) -> set[NodeKey]:
    keys: set[NodeKey] = set()
    for rng in ranges:
        keys.update(perfect_subtrees(rng))
    return keys


def resolve(h: Hasher, ranges: Sequence[Range], nodes: Mapping[NodeKey, bytes]) -> list[bytes]:
    return [hash_from_subtrees(h, perfect_subtrees(rng), nodes) for rng in ranges]


def inclusion_proof(h: Hasher, index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    return [range_hash(h, leaf_hashes, r) for r in inclusion_ranges(index, len(leaf_hashes))]


def consistency_proof(h: Hasher, first: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    return [range_hash(h, leaf_hashes, r) for r in consistency_ranges(first, len(leaf_hashes))]


# ---------------------------------------------------------------- verification


def root_from_inclusion(h: Hasher, index: int, size: int, leaf_hash: bytes, path: Sequence[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2 up to the final comparison; None when the path has the wrong shape."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = h.node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = h.node(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(h: Hasher, index: int, size: int, leaf_hash: bytes, path: Sequence[bytes], root: bytes) -> bool:
    return root_from_inclusion(h, index, size, leaf_hash, path) == root


def verify_consistency(
    h: Hasher, first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, with the trivial cases (equal sizes, empty first tree) made explicit."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = h.node(c, fr)
            sr = h.node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = h.node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# ---------------------------------------------------------------- incremental storage


def completed_nodes(index: int) -> list[NodeKey]:
    """The complete subtrees above level 0 that appending leaf `index` closes, lowest first.

    Leaf i closes the node at level l exactly when 2^l divides i + 1.
    """
    out: list[NodeKey] = []
    level, count = 1, index + 1
    while count % (1 << level) == 0:
        out.append((level, (count >> level) - 1))
        level += 1
    return out
