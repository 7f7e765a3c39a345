"""RFC 9162 hashing and proofs, checked against a straightforward reference written here and an
independent verifier (neither imports ledger.merkle's own recursion or verification)."""

import hashlib

import pytest

from ledger import merkle


def ref_mth(leaves: list[bytes]) -> bytes:
    """MTH exactly as RFC 9162 2.1.1 writes it."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:])).digest()


def independent_root_from_path(leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes | None:
    """Rebuild the root by walking the tree top-down (split at the largest power of two), the
    opposite direction from the RFC's bit-twiddling verifier."""

    def walk(start: int, end: int, depth_path: list[bytes]) -> tuple[bytes, list[bytes]] | None:
        if end - start == 1:
            return hashlib.sha256(b"\x00" + leaf).digest(), depth_path
        k = 1
        while k * 2 < end - start:
            k *= 2
        if not depth_path:
            return None
        sibling, rest = depth_path[-1], depth_path[:-1]
        if index < start + k:
            inner = walk(start, start + k, rest)
            return (
                None if inner is None else (hashlib.sha256(b"\x01" + inner[0] + sibling).digest(), inner[1])
            )
        inner = walk(start + k, end, rest)
        return None if inner is None else (hashlib.sha256(b"\x01" + sibling + inner[0]).digest(), inner[1])

    if not 0 <= index < size:
        return None
    result = walk(0, size, list(path))
    return result[0] if result and not result[1] else None


def independent_consistency_ok(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes]
) -> bool:
    """Walk PROOF's recursion top-down, computing both roots from the proof alone."""

    def walk(start: int, end: int, m: int, complete: bool, proof: list[bytes]):
        # returns (old_root_part or None, new_root, remaining proof) for D[start:end] given m old leaves in it
        if m == end - start:
            if complete:
                return root1, root1, proof
            if not proof:
                raise ValueError
            return proof[-1], proof[-1], proof[:-1]
        k = 1
        while k * 2 < end - start:
            k *= 2
        if not proof:
            raise ValueError
        last, rest = proof[-1], proof[:-1]
        if m <= k:
            old, new, rest = walk(start, start + k, m, complete, rest)
            return old, hashlib.sha256(b"\x01" + new + last).digest(), rest
        old, new, rest = walk(start + k, end, m - k, False, rest)
        return (
            hashlib.sha256(b"\x01" + last + old).digest(),
            hashlib.sha256(b"\x01" + last + new).digest(),
            rest,
        )

    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof and root1 == hashlib.sha256(b"").digest()
    try:
        old, new, rest = walk(0, size2, size1, True, list(proof))
    except ValueError:
        return False
    return not rest and old == root1 and new == root2


LEAVES = [bytes([i % 256]) * (i % 5) + i.to_bytes(2, "big") for i in range(64)]

# The test vectors of the Certificate Transparency reference implementation (RFC 6962 hashing,
# unchanged in RFC 9162): roots of the first 1..8 of these leaves.
CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_empty_tree_root_is_sha256_of_nothing():
    assert merkle.merkle_root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("n", range(1, 9))
def test_known_answer_roots(n):
    assert merkle.merkle_root(CT_LEAVES[:n]).hex() == CT_ROOTS[n - 1]


def test_leaf_and_node_hashes_use_the_rfc_prefixes():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert merkle.node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()


@pytest.mark.parametrize("n", range(0, 65))
def test_roots_match_the_reference(n):
    assert merkle.merkle_root(LEAVES[:n]) == ref_mth(LEAVES[:n])


def test_the_streaming_frontier_gives_every_root_up_to_64():
    frontier = merkle.MerkleFrontier()
    assert frontier.root() == ref_mth([])
    for n, leaf in enumerate(LEAVES[:64], 1):
        frontier.append(leaf)
        assert frontier.root() == ref_mth(LEAVES[:n])
        assert len(frontier.subtrees) == bin(n).count("1")


def test_every_inclusion_proof_up_to_64_checks_independently():
    for n in range(1, 65):
        root = ref_mth(LEAVES[:n])
        for i in range(n):
            path = merkle.inclusion_path(i, LEAVES[:n])
            assert independent_root_from_path(LEAVES[i], i, n, path) == root, (i, n)
            assert merkle.verify_inclusion(LEAVES[i], i, n, path, root)
            assert not merkle.verify_inclusion(LEAVES[i] + b"x", i, n, path, root)
            if n > 1:
                assert not merkle.verify_inclusion(LEAVES[i], (i + 1) % n, n, path, root)


def test_every_consistency_proof_up_to_64_checks_independently():
    for n in range(0, 65):
        root2 = ref_mth(LEAVES[:n])
        for m in range(0, n + 1):
            root1 = ref_mth(LEAVES[:m])
            proof = merkle.consistency_proof(m, LEAVES[:n])
            assert independent_consistency_ok(m, n, root1, root2, proof), (m, n)
            assert merkle.verify_consistency(m, n, root1, root2, proof), (m, n)
            if 0 < m < n:
                assert not merkle.verify_consistency(
                    m, n, root1, ref_mth(LEAVES[: n - 1] + [b"forged"]), proof
                )
                assert not merkle.verify_consistency(m, n, ref_mth([b"forged"] + LEAVES[1:m]), root2, proof)


def test_the_range_planner_gives_the_same_proofs_as_the_recursion():
    hashes = [merkle.leaf_hash(d) for d in LEAVES]

    def range_hash(start, end):
        return merkle.fold_subtrees(
            [ref_mth(LEAVES[p << lvl : (p + 1) << lvl]) for lvl, p in merkle.perfect_subtrees(start, end)]
        )

    assert hashes  # the planner only ever needs perfect subtrees of the leaves
    for n in range(1, 65):
        for i in range(n):
            assert [range_hash(a, b) for a, b in merkle.inclusion_path_ranges(i, n)] == merkle.inclusion_path(
                i, LEAVES[:n]
            )
        for m in range(n + 1):
            assert [
                range_hash(a, b) for a, b in merkle.consistency_proof_ranges(m, n)
            ] == merkle.consistency_proof(m, LEAVES[:n])


def test_proof_requests_outside_the_tree_are_refused():
    with pytest.raises(ValueError):
        merkle.inclusion_path(3, LEAVES[:3])
    with pytest.raises(ValueError):
        merkle.consistency_proof(4, LEAVES[:3])
    assert not merkle.verify_inclusion(LEAVES[0], 3, 3, [], ref_mth(LEAVES[:3]))
    assert not merkle.verify_consistency(4, 3, b"", b"", [])
