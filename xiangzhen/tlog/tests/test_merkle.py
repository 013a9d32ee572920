"""RFC 9162 §2.1 hashing and proofs: published vectors, an independent reference, properties."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangzhen.tlog import merkle

H = merkle.hasher("sha256")

# The Certificate Transparency test tree (transparency-dev/merkle testonly/constants.go and
# proof/verify_test.go, also used by trillian): 8 leaves, every complete subtree, every root.
LEAVES = [bytes.fromhex(x) for x in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f"]]  # fmt: skip
NODES = [
    ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
     "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
     "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
     "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
     "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
     "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
     "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"],
    ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
     "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"],
    ["d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]  # fmt: skip
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, path)
INCLUSION = [
    (0, 8, [NODES[0][1], NODES[1][1], NODES[2][1]]),
    (5, 8, [NODES[0][4], NODES[1][3], NODES[2][0]]),
    (2, 3, [NODES[1][0]]),
    (1, 5, [NODES[0][0], NODES[1][1], NODES[0][4]]),
    (0, 1, []),
]
# (first size, second size, proof)
CONSISTENCY = [
    (1, 1, []),
    (1, 8, [NODES[0][1], NODES[1][1], NODES[2][1]]),
    (6, 8, [NODES[1][2], NODES[1][3], NODES[2][0]]),
    (2, 5, [NODES[1][1], NODES[0][4]]),
    (6, 7, [NODES[1][2], NODES[0][6], NODES[2][0]]),
]
LEAF_HASHES = [H.leaf(x) for x in LEAVES]


def hx(values):
    return [bytes.fromhex(v) if isinstance(v, str) else v for v in values]


# ---------------------------------------------------------------- an independent reference
# Written straight from the RFC's recursive definitions on the leaf data, sharing nothing with
# merkle.py but SHA-256.


def ref_mth(d):
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = 1
    while k * 2 < len(d):
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m, d):
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def ref_proof(m, d):
    return [] if m in (0, len(d)) else ref_subproof(m, d, True)


def data(n):
    return [i.to_bytes(4, "big") for i in range(n)]


# ---------------------------------------------------------------- published vectors


def test_leaf_and_node_hashes_match_the_published_tree():
    assert [h.hex() for h in LEAF_HASHES] == NODES[0]
    for level in range(1, 4):
        for i, expected in enumerate(NODES[level]):
            left, right = bytes.fromhex(NODES[level - 1][2 * i]), bytes.fromhex(NODES[level - 1][2 * i + 1])
            assert H.node(left, right).hex() == expected


@pytest.mark.parametrize("size", range(9))
def test_tree_heads_match_the_published_roots(size):
    assert merkle.root_from_leaf_hashes(H, LEAF_HASHES[:size]).hex() == ROOTS[size]
    assert ref_mth(LEAVES[:size]).hex() == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_published_vectors(index, size, path):
    assert merkle.inclusion_proof(H, index, LEAF_HASHES[:size]) == hx(path)
    assert merkle.verify_inclusion(H, index, size, LEAF_HASHES[index], hx(path), bytes.fromhex(ROOTS[size]))


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_consistency_proofs_match_the_published_vectors(first, second, proof):
    assert merkle.consistency_proof(H, first, LEAF_HASHES[:second]) == hx(proof)
    roots = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
    assert merkle.verify_consistency(H, first, second, *roots, hx(proof))


def corrupted_inclusions(index, size, path, root, leaf_hash):
    """The probes of transparency-dev/merkle's corruptInclusionProof: none may verify."""
    yield index - 1, size, path, root, leaf_hash
    yield index + 1, size, path, root, leaf_hash
    yield index ^ 2, size, path, root, leaf_hash
    yield index, size * 2, path, root, leaf_hash
    yield index, size // 2, path, root, leaf_hash
    yield index, size, path, root, b"WrongLeaf"
    yield index, size, path, bytes.fromhex(ROOTS[0]), leaf_hash
    yield index, size, [*path, b""], root, leaf_hash
    yield index, size, [*path, root], root, leaf_hash
    yield index, size, [b"", *path], root, leaf_hash
    yield index, size, [root, *path], root, leaf_hash
    for i in range(len(path)):
        flipped = list(path)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        yield index, size, flipped, root, leaf_hash
    if path:
        yield index, size, path[:-1], root, leaf_hash


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION[:4])
def test_corrupted_inclusion_proofs_are_rejected(index, size, path):
    probes = corrupted_inclusions(index, size, hx(path), bytes.fromhex(ROOTS[size]), LEAF_HASHES[index])
    for i, s, p, r, lh in probes:
        assert not merkle.verify_inclusion(H, i, s, lh, p, r), (i, s, len(p))


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY[1:])
def test_corrupted_consistency_proofs_are_rejected(first, second, proof):
    proof = hx(proof)
    r1, r2 = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
    probes = [
        (first - 1, second, r1, r2, proof), (first + 1, second, r1, r2, proof), (first ^ 2, second, r1, r2, proof),
        (first, second * 2, r1, r2, proof), (first, second // 2, r1, r2, proof),
        (first, second, b"WrongRoot", r2, proof), (first, second, r1, b"WrongRoot", proof),
        (first, second, r2, r1, proof), (first, second, r1, r2, []),
        (first, second, r1, r2, [*proof, b""]), (first, second, r1, r2, [*proof, r1]),
        (first, second, r1, r2, [*proof, r2]), (first, second, r1, r2, [b"", *proof]),
        (first, second, r1, r2, [r1, *proof]), (first, second, r1, r2, [r2, *proof]),
        (first, second, r1, r2, [proof[0], *proof]), (first, second, r1, r2, proof[:-1]),
    ]  # fmt: skip
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((first, second, r1, r2, flipped))
    for s1, s2, a, b, p in probes:
        assert not merkle.verify_consistency(H, s1, s2, a, b, p), (s1, s2, len(p))


def test_trivial_consistency_cases():
    r1, r2, empty = b"don't care 1", b"don't care 2", bytes.fromhex(ROOTS[0])
    assert merkle.verify_consistency(H, 0, 0, r1, r1, [])
    assert merkle.verify_consistency(H, 0, 1, r1, r2, [])
    assert merkle.verify_consistency(H, 1, 1, r2, r2, [])
    assert not merkle.verify_consistency(H, 0, 0, r1, r2, [])
    assert not merkle.verify_consistency(H, 1, 0, r1, r2, [])
    assert not merkle.verify_consistency(H, 1, 2, r1, r2, [])
    assert not merkle.verify_consistency(H, 0, 1, empty, empty, [empty])
    assert not merkle.verify_consistency(H, 1, 1, empty, empty, [empty])


def test_sm3_is_available_and_gives_a_different_tree():
    sm3 = merkle.hasher("sm3")
    # GB/T 32905-2016 example: SM3("abc").
    assert sm3.digest(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    leaf_hashes = [sm3.leaf(x) for x in LEAVES]
    root = merkle.root_from_leaf_hashes(sm3, leaf_hashes)
    assert root != bytes.fromhex(ROOTS[8])
    for i in range(8):
        assert merkle.verify_inclusion(sm3, i, 8, leaf_hashes[i], merkle.inclusion_proof(sm3, i, leaf_hashes), root)


def test_the_hash_is_named_by_the_origin():
    assert merkle.hasher_for_origin("xiangzhen.local/tlog/sm3").name == "sm3"
    assert merkle.hasher_for_origin("xiangzhen.local/tlog/sha256").name == "sha256"
    with pytest.raises(ValueError):
        merkle.hasher_for_origin("xiangzhen.local/tlog")


# ---------------------------------------------------------------- properties over random sizes


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_inclusion_agrees_with_the_reference_and_verifies(case):
    size, index = case
    d = data(size)
    hashes = [H.leaf(x) for x in d]
    path = merkle.inclusion_proof(H, index, hashes)
    assert path == ref_path(index, d)
    root = ref_mth(d)
    assert merkle.root_from_leaf_hashes(H, hashes) == root
    assert merkle.verify_inclusion(H, index, size, hashes[index], path, root)
    assert not merkle.verify_inclusion(H, index, size, H.leaf(b"other"), path, root)
    if size > 1:
        assert not merkle.verify_inclusion(H, (index + 1) % size, size, hashes[index], path, root)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_consistency_agrees_with_the_reference_and_verifies(case):
    first, second = case
    d = data(second)
    hashes = [H.leaf(x) for x in d]
    proof = merkle.consistency_proof(H, first, hashes)
    assert proof == ref_proof(first, d)
    assert merkle.verify_consistency(H, first, second, ref_mth(d[:first]), ref_mth(d), proof)
    if 0 < first < second:
        forged = ref_mth([*d[: first - 1], b"forged"])
        assert not merkle.verify_consistency(H, first, second, forged, ref_mth(d), proof)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n - 1), st.just(n))))
def test_stored_subtrees_resolve_to_the_recomputed_proof(case):
    index, size = case
    hashes = [H.leaf(x) for x in data(size)]
    nodes = {(0, i): h for i, h in enumerate(hashes)}
    for i in range(size):
        for level, j in merkle.completed_nodes(i):
            nodes[(level, j)] = H.node(nodes[(level - 1, 2 * j)], nodes[(level - 1, 2 * j + 1)])
    ranges = merkle.inclusion_ranges(index, size)
    assert merkle.resolve(H, ranges, nodes) == merkle.inclusion_proof(H, index, hashes)
    # O(log n): at most a couple of subtrees per level.
    assert len(merkle.node_keys_for(ranges)) <= 2 * size.bit_length()
    cranges = merkle.consistency_ranges(index, size)
    assert merkle.resolve(H, cranges, nodes) == merkle.consistency_proof(H, index, hashes)
