"""The seal statement's Merkle math (SEALED_BIDS.md "The seal at the deadline" and Opening 1):
the counting bids' `root`, the per-custodian `slots`, the slot objects served to custodians with
their inclusion paths, and the custodian tool's checks of them. Signing the statement and
putting it in the ledger is the platform's (ledger.signing, ledger.services)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledger.merkle import inclusion_path, merkle_root, verify_inclusion

from . import p256
from .errors import SB1Error
from .manifest import Manifest
from .wire import b64u, b64u_field, exact_keys, integer, sha256, tender_id, time_field, u8

SEAL_KEYS = ("type", "suite", "tender", "deadline", "sealed_at", "count", "bids", "root", "slots", "receipts")
SLOT_KEYS = ("tender", "handle", "index", "ctx", "ephemeral", "leaf_index", "tree_size", "path")


def slot_leaf(ctx: bytes, index: int, ephemeral: bytes) -> bytes:
    """SHA-256("SB1/slot" ‖ 0x00 ‖ ctx ‖ u8(j) ‖ E_j): the leaf input of a slot, and its handle."""
    return sha256(b"SB1/slot\x00", ctx, u8(index), ephemeral)


@dataclass(frozen=True)
class CountingBid:
    """What the seal needs of one counting bid: its manifest hash, ctx and E_j for j = 1..n."""

    manifest_sha256: bytes
    ctx: bytes
    ephemerals: dict[int, bytes]

    @classmethod
    def of(cls, manifest: Manifest) -> "CountingBid":
        return cls(manifest.sha256, manifest.ctx, {c.index: c.ephemeral for c in manifest.custodians})


def seal_root(manifest_hashes: Sequence[bytes]) -> tuple[list[bytes], bytes]:
    """(the leaves sorted as unsigned bytes, their RFC 9162 root)."""
    leaves = sorted(manifest_hashes)
    return leaves, merkle_root(leaves)


def slot_leaves(counting: Sequence[CountingBid], index: int) -> list[bytes]:
    """Custodian `index`'s slot leaves over the counting bids, sorted as unsigned bytes."""
    return sorted(slot_leaf(bid.ctx, index, bid.ephemerals[index]) for bid in counting)


def seal_statement_build(
    *,
    tender: str,
    deadline: str,
    sealed_at: str,
    counting: Sequence[CountingBid],
    custodian_count: int,
    receipts: int,
) -> dict[str, Any]:
    """The seal statement payload `{"type":"SB1/seal",...}` (to be platform-signed)."""
    leaves, root = seal_root([bid.manifest_sha256 for bid in counting])
    return {
        "type": "SB1/seal",
        "suite": "SB1",
        "tender": tender_id(tender),
        "deadline": time_field(deadline),
        "sealed_at": time_field(sealed_at),
        "count": len(leaves),
        "bids": [b64u(leaf) for leaf in leaves],
        "root": b64u(root),
        "slots": [b64u(merkle_root(slot_leaves(counting, j))) for j in range(1, custodian_count + 1)],
        "receipts": integer(receipts),
    }


def seal_statement_check(seal: Any, *, tender: str, custodian_count: int) -> dict[str, Any]:
    """The form of a seal statement payload, and that `root` is the tree over `bids` (sorted)."""
    exact_keys(seal, SEAL_KEYS)
    if seal["type"] != "SB1/seal" or seal["suite"] != "SB1" or seal["tender"] != tender:
        raise SB1Error("seal")
    time_field(seal["deadline"]), time_field(seal["sealed_at"]), integer(seal["receipts"])
    if not isinstance(seal["bids"], list) or integer(seal["count"]) != len(seal["bids"]):
        raise SB1Error("seal")
    bids = [b64u_field(b, 32) for b in seal["bids"]]
    if (
        bids != sorted(bids)
        or len(set(bids)) != len(bids)
        or merkle_root(bids) != b64u_field(seal["root"], 32)
    ):
        raise SB1Error("seal")
    if not isinstance(seal["slots"], list) or len(seal["slots"]) != custodian_count:
        raise SB1Error("seal")
    for slot_root in seal["slots"]:
        b64u_field(slot_root, 32)
    return seal


def slots_serve(*, tender: str, counting: Sequence[CountingBid], index: int) -> list[dict[str, Any]]:
    """Everything custodian `index` is served in the share window: one object per counting bid,
    in leaf order, with its inclusion path in `slots[index-1]` (and nothing about the bidder)."""
    leaves_by_bid = sorted(
        ((slot_leaf(b.ctx, index, b.ephemerals[index]), b) for b in counting), key=lambda p: p[0]
    )
    leaves = [leaf for leaf, _ in leaves_by_bid]
    return [
        {
            "tender": tender,
            "handle": b64u(leaf),
            "index": index,
            "ctx": b64u(bid.ctx),
            "ephemeral": b64u(bid.ephemerals[index]),
            "leaf_index": position,
            "tree_size": len(leaves),
            "path": [b64u(node) for node in inclusion_path(position, leaves)],
        }
        for position, (leaf, bid) in enumerate(leaves_by_bid)
    ]


@dataclass(frozen=True)
class ServedSlot:
    tender: str
    handle: bytes
    index: int
    ctx: bytes
    ephemeral: bytes


def served_slot_check(slot: Any, *, tender: str, index: int, seal: dict[str, Any]) -> ServedSlot:
    """The custodian tool's checks of one served slot against an already checked seal statement
    (`seal_statement_check`; that it is the tender's first seal in the ledger, and the deadline
    and clock checks, are done where the ledger and the confirmation are at hand): the tender and
    index are ours, `tree_size` is the seal's `count`, the handle is the slot leaf of the served
    ctx and ephemeral, and the inclusion path leads to `slots[index-1]`."""
    exact_keys(slot, SLOT_KEYS)
    if slot["tender"] != tender or slot["index"] != index or type(slot["index"]) is not int:
        raise SB1Error("mismatch")
    handle, ctx = b64u_field(slot["handle"], 32), b64u_field(slot["ctx"], 32)
    ephemeral = b64u_field(slot["ephemeral"], 65)
    p256.point_parse(ephemeral)
    if integer(slot["tree_size"]) != seal["count"]:
        raise SB1Error("seal")
    if slot_leaf(ctx, index, ephemeral) != handle:
        raise SB1Error("handle")
    if not isinstance(slot["path"], list):
        raise SB1Error("proof")
    path = [b64u_field(node, 32) for node in slot["path"]]
    root = b64u_field(seal["slots"][index - 1], 32)
    if not verify_inclusion(handle, integer(slot["leaf_index"]), slot["tree_size"], path, root):
        raise SB1Error("proof")
    return ServedSlot(tender, handle, index, ctx, ephemeral)
