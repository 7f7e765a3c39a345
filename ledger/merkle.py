"""RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and proofs, as pure functions.

Everything here works on *leaf inputs*: the raw bytes `d(i)` a leaf stands for (for the public
ledger, `JCS(entry)`; for a seal statement, a 32-byte `manifest_sha256`). A *leaf hash* is
`leaf_hash(d(i)) = SHA-256(0x00 || d(i))`; a node joining two subtrees is
`node_hash(l, r) = SHA-256(0x01 || l || r)`. Proofs are lists of 32-byte hashes.

These functions recompute from the leaf inputs they are given, so they cost O(n); the ledger
serves the same proofs from stored subtree hashes (`ledger.services`) and the tests check that
both agree. The two `verify_*` functions need no tree at all.
"""

from collections.abc import Sequence
from hashlib import sha256

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()  # MTH({}) per RFC 9162 2.1.1


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || data), `data` being the leaf *input* (not a hash)."""
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """An interior node: SHA-256(0x01 || left || right), both children 32-byte subtree hashes."""
    return sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than `n` (n >= 2): where RFC 9162 splits D[n]."""
    if n < 2:
        raise ValueError("a split needs at least two leaves")
    return 1 << ((n - 1).bit_length() - 1)


def _root_of_hashes(hashes: Sequence[bytes]) -> bytes:
    n = len(hashes)
    if n == 1:
        return hashes[0]
    k = split_point(n)
    return node_hash(_root_of_hashes(hashes[:k]), _root_of_hashes(hashes[k:]))


def merkle_root(leaf_inputs: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 2.1.1 over the leaf *inputs*; the empty tree's root is SHA-256("")."""
    if not leaf_inputs:
        return EMPTY_ROOT
    return _root_of_hashes([leaf_hash(d) for d in leaf_inputs])


def _path(m: int, hashes: Sequence[bytes]) -> list[bytes]:
    n = len(hashes)
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return _path(m, hashes[:k]) + [_root_of_hashes(hashes[k:])]
    return _path(m - k, hashes[k:]) + [_root_of_hashes(hashes[:k])]


def inclusion_path(index: int, leaf_inputs: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1: the audit path of leaf `index` (0-based) in the tree
    over all of `leaf_inputs`, nearest sibling first. Raises ValueError if `index` is out of range."""
    if not 0 <= index < len(leaf_inputs):
        raise ValueError("leaf index outside the tree")
    return _path(index, [leaf_hash(d) for d in leaf_inputs])


def _subproof(m: int, hashes: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if complete else [_root_of_hashes(hashes)]
    k = split_point(n)
    if m <= k:
        return _subproof(m, hashes[:k], complete) + [_root_of_hashes(hashes[k:])]
    return _subproof(m - k, hashes[k:], False) + [_root_of_hashes(hashes[:k])]


def consistency_proof(m: int, leaf_inputs: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1: shows the tree of the first `m` leaf inputs is a prefix
    of the tree over all `n` of them. Empty when m == n or m == 0 (every tree extends the empty
    tree; RFC 9162 defines proofs only for 0 < m < n). Raises ValueError if m > n or m < 0."""
    n = len(leaf_inputs)
    if not 0 <= m <= n:
        raise ValueError("the first size must be between 0 and the tree size")
    if m in (0, n):
        return []
    return _subproof(m, [leaf_hash(d) for d in leaf_inputs], True)


def verify_inclusion(leaf_input: bytes, index: int, tree_size: int, path: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does `path` prove that leaf *input* `leaf_input` is leaf `index` of the
    tree of `tree_size` leaves whose root is `root`? (Pass the input; it is hashed here.)"""
    if not 0 <= index < tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash(leaf_input)
    for p in path:
        if len(p) != HASH_SIZE or sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: does `proof` show the tree of `size1` leaves with root `root1` is a prefix
    of the tree of `size2` leaves with root `root2`? Edge cases the RFC leaves open, decided as
    the reference implementations do: size1 == size2 needs an empty proof and equal roots;
    size1 == 0 needs an empty proof and `root1` = SHA-256("")."""
    if not 0 <= size1 <= size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof and root1 == EMPTY_ROOT
    if not proof or any(len(c) != HASH_SIZE for c in proof):
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # an exact power of two: the old root is itself a node
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
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
    return fr == root1 and sr == root2 and sn == 0
