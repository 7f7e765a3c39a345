"""The ledger's self-audit: recompute the whole tree from the entries and compare everything
stored (leaf hashes, subtree hashes, the head, every signed tree head) against it. Memory stays
bounded: entries and low nodes are read in aligned chunks; only the few high nodes are kept."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Q

from ledger.encoding import EncodingError, b64u_decode, jcs
from ledger.merkle import HASH_SIZE, fold_subtrees, leaf_hash, node_hash
from ledger.models import LedgerEntry, LedgerHead, LedgerNode, TreeHead
from ledger.signing import platform_verify

CHUNK_LEVEL = 12  # entries are read 4,096 at a time; nodes up to this level per chunk


@dataclass
class LedgerAudit:
    entries: int = 0
    tree_heads: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _chunk_nodes(start: int, end: int) -> dict[tuple[int, int], bytes]:
    condition = Q()
    for level in range(CHUNK_LEVEL + 1):
        condition |= Q(
            level=level, position__gte=start >> level, position__lt=(end + (1 << level) - 1) >> level
        )
    rows = LedgerNode.objects.filter(condition).values_list("level", "position", "hash")
    return {(level, position): bytes(digest) for level, position, digest in rows}


def _entries_in(start: int, end: int) -> Iterator[LedgerEntry]:
    return iter(LedgerEntry.objects.filter(index__gte=start, index__lt=end).order_by("index"))


def leaf_input_of(entry: LedgerEntry) -> bytes:
    # A hand-edited row may come back as text (SQLite's || makes TEXT); hash what is there.
    canonical = entry.canonical
    return canonical.encode("utf-8", "surrogateescape") if isinstance(canonical, str) else bytes(canonical)


def entry_problems(entry: LedgerEntry, stored_leaf: bytes | None) -> list[str]:
    """What is wrong with one stored entry, judged from itself and the tree's leaf node for its index
    (`stored_leaf`, None when missing): empty when its leaf input still hashes to what the tree
    recorded, its document is that input, and its platform signature (if any) verifies."""
    problems = []
    index, canonical = entry.index, leaf_input_of(entry)
    digest = leaf_hash(canonical)
    if bytes(entry.leaf_hash) != digest:
        problems.append(f"entry {index}: its stored leaf hash does not match its leaf input (changed)")
    if jcs(entry.document) != canonical:
        problems.append(f"entry {index}: its document differs from its leaf input (changed)")
    if set(entry.document) == {"payload", "key_id", "signature"} and not platform_verify(entry.document):
        problems.append(f"entry {index}: its platform signature does not verify (changed)")
    if stored_leaf is None:
        problems.append(f"entry {index}: its stored leaf node is missing")
    elif stored_leaf != digest:
        problems.append(f"entry {index}: the tree recorded a different entry here (changed or reordered)")
    return problems


def entries_checked(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The entries, each given `problems` (see `entry_problems`), with one query for their leaf nodes:
    what the pages and the API serve is checked as it is served."""
    entries = list(entries)
    leaves = {
        position: bytes(digest)
        for position, digest in LedgerNode.objects.filter(
            level=0, position__in=[e.index for e in entries]
        ).values_list("position", "hash")
    }
    for entry in entries:
        entry.problems = entry_problems(entry, leaves.get(entry.index))
    return entries


def ledger_audit() -> LedgerAudit:
    """Check, and describe each problem with the entry index (or tree size) it concerns."""
    audit = LedgerAudit()
    problems = audit.problems
    head = LedgerHead.objects.filter(id=1).first()
    head_size = head.size if head else 0
    last = LedgerEntry.objects.order_by("-index").values_list("index", flat=True).first()
    size = max(head_size, (last + 1) if last is not None else 0)
    if head_size != size:
        problems.append(f"the ledger head says {head_size} entries, but entry {size - 1} exists")
    high_nodes = {
        (level, position): bytes(digest)
        for level, position, digest in LedgerNode.objects.filter(level__gt=CHUNK_LEVEL).values_list(
            "level", "position", "hash"
        )
    }
    roots: dict[int, bytes] = {}  # tree size -> recomputed root, for the signed heads
    wanted_sizes = set(TreeHead.objects.values_list("size", flat=True))
    actual: list[bytes] = []
    recorded: list[bytes] = []
    expected_nodes = 0
    chunk = 1 << CHUNK_LEVEL
    for start in range(0, size, chunk):
        end = min(start + chunk, size)
        stored = _chunk_nodes(start, end)
        entries = _entries_in(start, end)
        entry = next(entries, None)
        for index in range(start, end):
            stored_leaf = stored.get((0, index))
            if entry is None or entry.index != index:
                problems.append(f"entry {index}: missing (removed)")
                digest = None
                if stored_leaf is None:
                    problems.append(f"entry {index}: its stored leaf node is missing")
            else:
                digest = leaf_hash(leaf_input_of(entry))
                problems.extend(entry_problems(entry, stored_leaf))
                entry = next(entries, None)
            # Two trees: `actual` from the entries as they are (what signed heads must match),
            # `recorded` from the stored leaf hashes (what the stored nodes must match), so one
            # changed entry is reported once, not again at every subtree above it.
            actual_leaf = digest if digest is not None else bytes(HASH_SIZE)
            recorded_leaf = stored_leaf or actual_leaf
            expected_nodes += 1
            level = 0
            while index >> level & 1:
                actual_leaf = node_hash(actual.pop(), actual_leaf)
                recorded_leaf = node_hash(recorded.pop(), recorded_leaf)
                level += 1
                node = (level, index >> level)
                expected_nodes += 1
                kept = stored.get(node) if level <= CHUNK_LEVEL else high_nodes.get(node)
                first, count = node[1] << level, 1 << level
                if kept is None:
                    problems.append(
                        f"entries {first}..{first + count - 1}: their stored subtree hash is missing"
                    )
                elif kept != recorded_leaf:
                    problems.append(
                        f"entries {first}..{first + count - 1}: their stored subtree hash was changed"
                    )
            actual.append(actual_leaf)
            recorded.append(recorded_leaf)
            if index + 1 in wanted_sizes:
                roots[index + 1] = fold_subtrees(actual)
    stored_count = LedgerNode.objects.count()
    if stored_count != expected_nodes:
        problems.append(f"{stored_count} subtree hashes are stored where the tree has {expected_nodes}")
    if head is not None and bytes(head.frontier) != b"".join(recorded):
        problems.append(f"the ledger head's right edge does not match the tree of {size} entries")
    if 0 in wanted_sizes:
        roots[0] = fold_subtrees([])
    audit.entries = size
    for tree_head in TreeHead.objects.order_by("size"):
        audit.tree_heads += 1
        envelope, label = tree_head.signed, f"signed tree head at size {tree_head.size}"
        payload = envelope.get("payload") if isinstance(envelope, dict) else None
        if not platform_verify(envelope) or not isinstance(payload, dict):
            problems.append(f"{label}: its signature does not verify")
            continue
        try:
            signed_root = b64u_decode(payload.get("root"))
        except EncodingError:
            signed_root = b""
        if payload.get("type") != "ledger/tree-head" or payload.get("size") != tree_head.size:
            problems.append(f"{label}: its payload is not a tree head of that size")
        elif signed_root != roots.get(tree_head.size) or bytes(tree_head.root) != signed_root:
            problems.append(
                f"{label}: the entries before index {tree_head.size} no longer give the signed root (changed)"
            )
    return audit
