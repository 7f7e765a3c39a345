"""Reads of the public ledger. Everything here is public: the ledger has no visibility rules
(what must stay secret never enters it). Roots and proofs come from stored perfect-subtree
hashes (`LedgerNode`) in one query of O(log n) rows, never by reading the log."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ledger.exceptions import EntryNotFound, IndexOutsideTree, SizeBeyondTree, SizesReversed
from ledger.merkle import consistency_proof_ranges, fold_subtrees, inclusion_path_ranges, perfect_subtrees
from ledger.models import LedgerEntry, LedgerHead, LedgerNode, TreeHead


@dataclass(frozen=True)
class InclusionProof:
    index: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]


@dataclass(frozen=True)
class ConsistencyProof:
    size1: int
    size2: int
    proof: list[bytes]


def ledger_size() -> int:
    """The number of entries (the current tree size)."""
    return LedgerHead.objects.filter(id=1).values_list("size", flat=True).first() or 0


def ledger_entries(*, kind: str | None = None) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.order_by("index")
    return entries.filter(kind=kind) if kind else entries


def ledger_entry_range(*, start: int, end: int) -> QuerySet[LedgerEntry]:
    """Entries start..end−1 in index order, for a verifier streaming a prefix of the log; `end`
    must not pass the tree (the caller caps the range's length)."""
    current = ledger_size()
    if end > current:
        raise SizeBeyondTree(size=end, tree_size=current)
    return LedgerEntry.objects.filter(index__gte=start, index__lt=end).order_by("index")


def ledger_entry_get(*, index: int) -> LedgerEntry:
    entry = LedgerEntry.objects.filter(index=index).first()
    if entry is None:
        raise EntryNotFound()
    return entry


def ledger_entry_by_leaf_hash(*, leaf_hash: bytes) -> LedgerEntry:
    """The first entry with this leaf hash (an identical document logged twice has one hash)."""
    entry = LedgerEntry.objects.filter(leaf_hash=leaf_hash).order_by("index").first()
    if entry is None:
        raise EntryNotFound()
    return entry


def _check_size(size: int) -> int:
    current = ledger_size()
    if not 0 <= size <= current:
        raise SizeBeyondTree(size=size, tree_size=current)
    return current


def _range_hashes(ranges: list[tuple[int, int]]) -> list[bytes]:
    """MTH(D[a:b]) for each range, from the stored subtrees in one query."""
    wanted = {node for start, end in ranges for node in perfect_subtrees(start, end)}
    stored: dict[tuple[int, int], bytes] = {}
    if wanted:
        condition = Q()
        for level, position in wanted:
            condition |= Q(level=level, position=position)
        for level, position, digest in LedgerNode.objects.filter(condition).values_list(
            "level", "position", "hash"
        ):
            stored[(level, position)] = bytes(digest)
    missing = wanted - stored.keys()
    if missing:
        # A stored subtree is gone: the ledger was damaged (`ledger_verify` says where). Never
        # answer with a proof computed around the hole.
        raise RuntimeError(f"ledger nodes missing: {sorted(missing)[:5]}")
    return [fold_subtrees([stored[node] for node in perfect_subtrees(start, end)]) for start, end in ranges]


def ledger_root(*, size: int) -> bytes:
    """MTH(D[size]) of the first `size` entries (SHA-256("") for 0)."""
    _check_size(size)
    return _range_hashes([(0, size)])[0] if size else fold_subtrees([])


def inclusion_proof(*, index: int, size: int | None = None) -> InclusionProof:
    """The RFC 9162 audit path of entry `index` in the tree of `size` entries (default: current)."""
    current = ledger_size() if size is None else _check_size(size)
    size = current if size is None else size
    if not 0 <= index < size:
        raise IndexOutsideTree(index=index, size=size)
    hashes = _range_hashes([(index, index + 1), *inclusion_path_ranges(index, size)])
    return InclusionProof(index=index, tree_size=size, leaf_hash=hashes[0], path=hashes[1:])


def consistency_proof(*, size1: int, size2: int) -> ConsistencyProof:
    """The RFC 9162 consistency proof from the tree of `size1` entries to that of `size2`."""
    if size1 > size2:
        raise SizesReversed()
    _check_size(size2)
    if size1 < 0:
        raise SizeBeyondTree(size=size1, tree_size=size2)
    return ConsistencyProof(
        size1=size1, size2=size2, proof=_range_hashes(consistency_proof_ranges(size1, size2))
    )


def tree_heads() -> QuerySet[TreeHead]:
    return TreeHead.objects.order_by("-size")
