"""The draw's deterministic part, with no database: anyone can run it on the published inputs.

Inputs, all in the ledger (docs/evaluation.md):
- the candidate list: pool ids sorted by code point, published with its SHA-256 (hex of the SHA-256
  of JCS of the list) in the "yizhan/evaluation-draw-commit" entry, with the seed commitment
  SHA-256(seed) (hex) and the number of seats;
- the seed (32 bytes, hex), revealed in the "yizhan/evaluation-draw-reveal" entry after the commit.

Selection: each candidate's ticket is HMAC-SHA256(key=seed, message=UTF-8 pool id); candidates in
ascending ticket order (ties, which need a collision, by pool id); the first `seats` are drawn."""

import hashlib
import hmac
from collections.abc import Sequence

from ledger.encoding import jcs


def candidates_sha256(candidates: Sequence[str]) -> str:
    return hashlib.sha256(jcs(sorted(candidates))).hexdigest()


def seed_commitment(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def ticket(seed: bytes, public_id: str) -> str:
    return hmac.new(seed, public_id.encode("utf-8"), hashlib.sha256).hexdigest()


def draw_order(*, seed: bytes, candidates: Sequence[str]) -> list[str]:
    """Every candidate in draw order."""
    return sorted(sorted(candidates), key=lambda c: (ticket(seed, c), c))


def draw_select(*, seed: bytes, candidates: Sequence[str], seats: int) -> list[str]:
    return draw_order(seed=seed, candidates=candidates)[:seats]


class ReplayMismatch(ValueError):
    """The published inputs do not fit together (a hash or the commitment does not match)."""


def draw_replay(*, commit: dict, reveal: dict) -> list[str]:
    """The committee drawn, recomputed from the two ledger payloads alone. Raises ReplayMismatch
    when the candidate list or the seed is not what was committed, or the result differs."""
    candidates = list(commit["candidates"])
    if candidates != sorted(candidates) or candidates_sha256(candidates) != commit["candidates_sha256"]:
        raise ReplayMismatch("the candidate list does not match its published SHA-256")
    seed = bytes.fromhex(reveal["seed"])
    if seed_commitment(seed) != commit["seed_commitment"]:
        raise ReplayMismatch("the revealed seed does not match the commitment")
    selected = draw_select(seed=seed, candidates=candidates, seats=int(commit["seats"]))
    if "selected" in reveal and list(reveal["selected"]) != selected:
        raise ReplayMismatch("the published selection differs from the replay")
    return selected
