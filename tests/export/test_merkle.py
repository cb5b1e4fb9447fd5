"""RFC 6962 Merkle trees: the packed-level tree against the RFC's recursive definitions, and
inclusion and consistency proofs that verify, and fail once anything is changed."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldcheck.protocol.merkle import (
    MerkleTree,
    ProofError,
    empty_root,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)


def split(n: int) -> int:
    """The largest power of two smaller than n (RFC 6962 §2.1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(data: list[bytes]) -> bytes:
    if not data:
        return hashlib.sha256(b"").digest()
    if len(data) == 1:
        return leaf_hash(data[0])
    k = split(len(data))
    return node_hash(mth(data[:k]), mth(data[k:]))


def path(m: int, data: list[bytes]) -> list[bytes]:
    if len(data) == 1:
        return []
    k = split(len(data))
    if m < k:
        return [*path(m, data[:k]), mth(data[k:])]
    return [*path(m - k, data[k:]), mth(data[:k])]


def subproof(m: int, data: list[bytes], complete: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if complete else [mth(data)]
    k = split(n)
    if m <= k:
        return [*subproof(m, data[:k], complete), mth(data[k:])]
    return [*subproof(m - k, data[k:], False), mth(data[:k])]


leaves = st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=70)


def test_known_roots() -> None:
    assert MerkleTree([]).root() == empty_root() == hashlib.sha256(b"").digest()
    one = MerkleTree([b"a"])
    assert one.root() == hashlib.sha256(b"\x00a").digest()
    three = [b"a", b"b", b"c"]
    assert MerkleTree(three).root() == node_hash(
        node_hash(leaf_hash(b"a"), leaf_hash(b"b")), leaf_hash(b"c")
    )


@given(leaves)
def test_root_and_paths_match_the_rfc(data: list[bytes]) -> None:
    tree = MerkleTree(data)
    assert tree.root() == mth(data)
    for m in range(len(data)):
        proof = tree.inclusion_proof(m)
        assert proof == path(m, data)
        assert verify_inclusion(data[m], m, len(data), proof, tree.root())


@given(leaves, st.data())
def test_a_changed_leaf_index_path_or_root_fails(data: list[bytes], draw: st.DataObject) -> None:
    tree = MerkleTree(data)
    m = draw.draw(st.integers(0, len(data) - 1))
    proof = tree.inclusion_proof(m)
    root = tree.root()
    flipped = bytes([data[m][0] ^ 1]) + data[m][1:]
    assert not verify_inclusion(flipped, m, len(data), proof, root)
    if len(data) > 1:
        other = draw.draw(st.integers(0, len(data) - 1).filter(lambda i: i != m))
        assert (
            not verify_inclusion(data[m], other, len(data), proof, root) or data[m] == data[other]
        )
        bad = list(proof)
        i = draw.draw(st.integers(0, len(bad) - 1))
        bad[i] = bytes([bad[i][0] ^ 0x80]) + bad[i][1:]
        assert not verify_inclusion(data[m], m, len(data), bad, root)
        assert not verify_inclusion(data[m], m, len(data), proof[:-1], root)
    assert not verify_inclusion(data[m], m, len(data), [*proof, root], root)
    assert not verify_inclusion(data[m], m, len(data), proof, hashlib.sha256(root).digest())


@given(leaves, st.data())
def test_consistency_proofs(data: list[bytes], draw: st.DataObject) -> None:
    tree = MerkleTree(data)
    m = draw.draw(st.integers(1, len(data)))
    proof = tree.consistency_proof(m)
    assert proof == subproof(m, data, True)
    old_root = MerkleTree(data[:m]).root()
    assert verify_consistency(m, len(data), old_root, tree.root(), proof)
    if m < len(data):
        wrong = hashlib.sha256(old_root).digest()
        assert not verify_consistency(m, len(data), wrong, tree.root(), proof)
        assert not verify_consistency(m, len(data), old_root, wrong, proof)
        if proof:
            assert not verify_consistency(m, len(data), old_root, tree.root(), proof[:-1])


@given(leaves, st.data())
def test_subtree_roots(data: list[bytes], draw: st.DataObject) -> None:
    tree = MerkleTree(data)
    start = draw.draw(st.integers(0, len(data) - 1))
    end = draw.draw(st.integers(start + 1, len(data)))
    assert tree.subtree_root(start, end) == mth(data[start:end])


def test_out_of_range() -> None:
    tree = MerkleTree([b"x"] * 5)
    with pytest.raises(ProofError):
        tree.inclusion_proof(5)
    with pytest.raises(ProofError):
        root_from_inclusion(b"x", 5, 5, [])
    with pytest.raises(ProofError):
        tree.consistency_proof(0)
    assert not verify_inclusion(b"x", -1, 5, [], tree.root())
