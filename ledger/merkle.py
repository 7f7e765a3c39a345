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


def verify_inclusion(
    leaf_input: bytes, index: int, tree_size: int, path: Sequence[bytes], root: bytes
) -> bool:
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


# Planning proofs over leaf ranges, for a store that keeps the hash of every complete perfect
# subtree: each RFC 9162 proof element is MTH(D[a:b]) for a range the recursion visits, and every
# such range splits into aligned perfect subtrees (`perfect_subtrees`), whose hashes fold from the
# right into MTH(D[a:b]). So a proof needs O(log n) stored hashes and no leaf inputs.


def perfect_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """The aligned perfect subtrees, as (level, position) covering leaves [start, end) left to
    right, largest first: subtree (level, position) holds leaves position·2^level onward, 2^level
    of them. For the ranges RFC 9162 proofs visit, MTH(D[start:end]) is their right fold:
    node_hash(h1, node_hash(h2, ... hk))."""
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def fold_subtrees(hashes: Sequence[bytes]) -> bytes:
    """MTH of a range from its `perfect_subtrees` hashes (left to right); SHA-256("") if none."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for h in reversed(hashes[:-1]):
        root = node_hash(h, root)
    return root


def inclusion_path_ranges(index: int, tree_size: int) -> list[tuple[int, int]]:
    """PATH(index, D[tree_size]) as the leaf ranges [a, b) whose MTH are its elements, in order."""
    if not 0 <= index < tree_size:
        raise ValueError("leaf index outside the tree")
    ranges: list[tuple[int, int]] = []
    start, end, m = 0, tree_size, index
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m = start + k, m - k
    return ranges[::-1]  # the recursion appends on the way back up: nearest sibling first


def consistency_proof_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """PROOF(size1, D[size2]) as leaf ranges [a, b), in order (empty when size1 is 0 or size2)."""
    if not 0 <= size1 <= size2:
        raise ValueError("the first size must be between 0 and the second")
    if size1 in (0, size2):
        return []
    ranges: list[tuple[int, int]] = []
    start, end, m, complete = 0, size2, size1, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        ranges.append((start, end))
    return ranges[::-1]


class MerkleFrontier:
    """MTH(D[n]) of leaf inputs given one at a time, in O(log n) memory: the hashes of the perfect
    subtrees making up the tree so far (its right edge), largest first. What a verifier uses to
    recompute the root of a ledger prefix it streams, never holding the entries."""

    def __init__(self) -> None:
        self.size = 0
        self.subtrees: list[bytes] = []

    def append(self, leaf_input: bytes) -> None:
        digest = leaf_hash(leaf_input)
        size = self.size
        while size & 1:  # each set low bit is a perfect subtree the new leaf completes a pair with
            digest = node_hash(self.subtrees.pop(), digest)
            size >>= 1
        self.subtrees.append(digest)
        self.size += 1

    def root(self) -> bytes:
        return fold_subtrees(self.subtrees)
