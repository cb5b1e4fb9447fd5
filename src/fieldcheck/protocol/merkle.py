"""RFC 6962 (RFC 9162 §2.1) Merkle trees over the ledger's entry hashes: leaf and node
hashing, the root, inclusion proofs and consistency proofs, and their verification.

The leaves are the ledger's ``entry_hash`` values (32 bytes each), so a checkpoint that
carries the tree's root (see :func:`fieldcheck.protocol.ledger_proof.merkle_root_line`) lets
anyone check that one entry is in the ledger with ``log2(size)`` hashes, where the linear
hash chain would need every later entry. Pure: hashlib only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
_LEAF, _NODE = b"\x00", b"\x01"


class ProofError(ValueError):
    """A proof that cannot be checked: bad index or size, or a path of the wrong length."""


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 ‖ data)``."""
    return hashlib.sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 ‖ left ‖ right)``."""
    return hashlib.sha256(_NODE + left + right).digest()


def empty_root() -> bytes:
    """The root of the empty tree: the hash of nothing."""
    return hashlib.sha256(b"").digest()


class MerkleTree:
    """A tree over ``leaves`` (the leaf *data*, hashed with :func:`leaf_hash`), kept as one
    packed ``bytes`` per level (32 bytes a node), so a million leaves take about 64 MB.

    An RFC 6962 tree is the left-balanced binary tree in which a right-most node without a
    sibling is carried up a level unchanged; each level here is built that way."""

    def __init__(self, leaves: Sequence[bytes]):
        level = b"".join(leaf_hash(leaf) for leaf in leaves)
        self.size = len(leaves)
        self._levels: list[bytes] = [level]
        while len(level) > HASH_SIZE:
            count = len(level) // HASH_SIZE
            parts = [node_hash(_at(level, i), _at(level, i + 1)) for i in range(0, count - 1, 2)]
            if count % 2:
                parts.append(_at(level, count - 1))
            level = b"".join(parts)
            self._levels.append(level)

    def root(self) -> bytes:
        if self.size == 0:
            return empty_root()
        return self._levels[-1][:HASH_SIZE]

    def inclusion_proof(self, index: int) -> list[bytes]:
        """The audit path of leaf ``index`` (0-based), bottom up."""
        if not 0 <= index < self.size:
            raise ProofError(f"leaf {index} is outside a tree of {self.size}")
        path = []
        for level in self._levels[:-1]:
            count = len(level) // HASH_SIZE
            sibling = index ^ 1
            if sibling < count:
                path.append(_at(level, sibling))
            index //= 2
        return path

    def subtree_root(self, start: int, end: int) -> bytes:
        """``MTH(D[start:end])`` for any range, from the stored levels where it is aligned."""
        width = end - start
        if width <= 0 or end > self.size:
            raise ProofError(f"no subtree {start}..{end} in a tree of {self.size}")
        if width & (width - 1) == 0 and start % width == 0:
            return _at(self._levels[width.bit_length() - 1], start // width)
        split = 1 << ((width - 1).bit_length() - 1)
        return node_hash(
            self.subtree_root(start, start + split), self.subtree_root(start + split, end)
        )

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """RFC 6962 PROOF(old_size, D[size]): the tree of ``old_size`` leaves is a prefix."""
        if not 0 < old_size <= self.size:
            raise ProofError(f"no consistency proof from {old_size} to {self.size}")
        return self._subproof(old_size, 0, self.size, True)

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if complete else [self.subtree_root(start, end)]
        k = 1 << ((n - 1).bit_length() - 1)
        if m <= k:
            return [
                *self._subproof(m, start, start + k, complete),
                self.subtree_root(start + k, end),
            ]
        return [
            *self._subproof(m - k, start + k, end, False),
            self.subtree_root(start, start + k),
        ]


def _at(level: bytes, index: int) -> bytes:
    return level[index * HASH_SIZE : (index + 1) * HASH_SIZE]


def root_from_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes:
    """The root that leaf data ``leaf`` at ``index`` with audit ``path`` implies for a tree
    of ``size`` leaves (RFC 9162 §2.1.3.2); raises ProofError when the path cannot fit."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is outside a tree of {size}")
    fn, sn = index, size - 1
    result = leaf_hash(leaf)
    for sibling in path:
        if len(sibling) != HASH_SIZE or sn == 0:
            raise ProofError("the inclusion path is too long or holds a bad hash")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion path is too short")
    return result


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """True when ``path`` proves leaf data ``leaf`` sits at ``index`` in the tree ``root``."""
    try:
        return root_from_inclusion(leaf, index, size, path) == root
    except ProofError:
        return False


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True when ``proof`` shows the tree ``old_root`` of ``old_size`` leaves is a prefix
    of the tree ``new_root`` of ``new_size`` leaves (RFC 9162 §2.1.4.2)."""
    if not 0 < old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root starts the path
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
