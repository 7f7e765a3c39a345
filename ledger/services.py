"""Writes to the public ledger: appending entries (with their stored subtree hashes) and signing
tree heads. Appends serialise on one locked head row, so concurrent writers never leave a gap,
a duplicate index or a fork; every append runs inside the caller's transaction."""

from collections.abc import Sequence
from typing import Any

from django.core.mail import send_mail
from django.db import transaction

from accounts.selectors import administrator_emails
from config import clock
from ledger.encoding import b64u_encode, format_time, jcs
from ledger.exceptions import SizeBeyondTree
from ledger.merkle import HASH_SIZE, leaf_hash, node_hash
from ledger.models import LedgerEntry, LedgerHead, LedgerNode, TreeHead
from ledger.selectors import ledger_root
from ledger.signing import platform_sign, platform_verify
from ledger.verify import ledger_audit

PLATFORM_ENVELOPE_KEYS = {"payload", "key_id", "signature"}
TREE_HEAD_TYPE = "ledger/tree-head"


def ledger_document(*, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The object a ledger entry logs (its leaf input is JCS of it), from what a caller passes:

    - a typed object with no top-level "signature" (a receipt, a seal statement, a notice, an
      audit event): the platform signs it. Its "type" must equal `kind`, or is set to `kind`
      when absent. Result: {"payload": P, "key_id", "signature"}.
    - a platform-signed envelope from `platform_sign` (exactly "payload", "key_id", "signature"):
      logged as it is, after checking its signature and that its payload's "type" is `kind`.
    - a user-signed object carrying its own top-level "signature" ({"registration", "pop",
      "signature"}, {"statement", "signature"}, {"manifest", "signature"}, ...): logged as it is;
      the caller has checked that signature. `kind` names what it is (e.g. "SB1/withdrawal").
    """
    if not isinstance(kind, str) or not 0 < len(kind) <= 64:
        raise ValueError("a ledger kind is a string of 1 to 64 characters")
    if not isinstance(payload, dict):
        raise ValueError("a ledger payload is a JSON object")
    if "signature" not in payload:
        if payload.get("type", kind) != kind:
            raise ValueError(f"payload type {payload.get('type')!r} is not the entry kind {kind!r}")
        return platform_sign({"type": kind, **payload})
    if set(payload) == PLATFORM_ENVELOPE_KEYS and (
        not platform_verify(payload) or payload["payload"]["type"] != kind
    ):
        raise ValueError("a platform envelope must verify and carry the entry kind as its type")
    return payload


def _lock_head() -> LedgerHead:
    """The head row, locked until the transaction ends (SELECT ... FOR UPDATE on PostgreSQL; on
    SQLite the IMMEDIATE transaction already holds the database's one write lock)."""
    head = LedgerHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        # First append ever (or after a test flush): make the row without a race, then lock it.
        LedgerHead.objects.bulk_create([LedgerHead(id=1)], ignore_conflicts=True)
        head = LedgerHead.objects.select_for_update().get(id=1)
    return head


def _frontier(head: LedgerHead) -> list[bytes]:
    raw = bytes(head.frontier)
    return [raw[i : i + HASH_SIZE] for i in range(0, len(raw), HASH_SIZE)]


def ledger_append_many(*, items: Sequence[tuple[str, dict[str, Any]]]) -> list[LedgerEntry]:
    """Append several entries in order, as `ledger_append` would one by one, with one lock and a
    few bulk inserts (for batch writers such as the seal at the deadline, and the benchmark).

    Before: any state. After, in the caller's transaction: entries size..size+k−1 exist, with
    the leaf hash and every perfect subtree they complete stored, and the head advanced."""
    documents = [(kind, ledger_document(kind=kind, payload=payload)) for kind, payload in items]
    created = clock.now()
    with transaction.atomic(savepoint=False):
        head = _lock_head()
        frontier, size = _frontier(head), head.size
        entries, nodes = [], []
        for kind, document in documents:
            canonical = jcs(document)
            digest = leaf_hash(canonical)
            entries.append(
                LedgerEntry(
                    index=size,
                    kind=kind,
                    document=document,
                    canonical=canonical,
                    leaf_hash=digest,
                    created=created,
                )
            )
            nodes.append(LedgerNode(level=0, position=size, hash=digest))
            # Each set low bit of `size` is a perfect subtree the new leaf now completes a pair with.
            level = 0
            while size >> level & 1:
                digest = node_hash(frontier.pop(), digest)
                level += 1
                nodes.append(LedgerNode(level=level, position=size >> level, hash=digest))
            frontier.append(digest)
            size += 1
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        LedgerNode.objects.bulk_create(nodes, batch_size=2000)
        head.size, head.frontier = size, b"".join(frontier)
        head.save(update_fields=["size", "frontier"])
    return entries


def ledger_append(*, kind: str, payload: dict[str, Any]) -> LedgerEntry:
    """Log one entry. Call it inside your own `transaction.atomic()`, so the entry exists exactly
    when your change does. `payload` is read as `ledger_document` says; the entry's leaf input is
    JCS(document) and its index the tree size before the append.

    Before: any state. After (in the caller's transaction): one more entry, index = old size;
    concurrent appenders wait on the head lock, so indexes stay dense and the tree linear."""
    return ledger_append_many(items=[(kind, payload)])[0]


def tree_head_signed(*, size: int | None = None) -> TreeHead:
    """The signed tree head for `size` (default: the current size), signed now if none is kept
    for that size yet; kept heads are reused, so a size has one signed head.

    Its payload is {"type":"ledger/tree-head","size":n,"root":b64u(MTH(D[n])),"timestamp":t},
    t the signing time (RFC 3339 UTC, milliseconds)."""
    from ledger.selectors import ledger_size

    current = ledger_size()
    size = current if size is None else size
    if size > current or size < 0:
        raise SizeBeyondTree(size=size, tree_size=current)
    kept = TreeHead.objects.filter(size=size).first()
    if kept is not None:
        return kept
    root = ledger_root(size=size)
    now = clock.now()
    signed = platform_sign(
        {"type": TREE_HEAD_TYPE, "size": size, "root": b64u_encode(root), "timestamp": format_time(now)}
    )
    with transaction.atomic(savepoint=False):
        # Two requests may sign the same size at once: the first stored wins, both answer with it.
        TreeHead.objects.bulk_create(
            [TreeHead(size=size, root=root, signed=signed, created=now)], ignore_conflicts=True
        )
    return TreeHead.objects.get(size=size)


def ledger_audit_alert() -> int:
    """Audit the whole ledger (`ledger.verify.ledger_audit`); when anything fails, mail every
    administrator the problems (in Chinese and English: an alert must not wait for a language).

    Before: nothing. After: nothing changed in the ledger; a mail sent when problems were found.
    Returns how many problems were found."""
    audit = ledger_audit()
    if audit.ok:
        return 0
    recipients = administrator_emails()
    if recipients:
        listed = "\n".join(audit.problems[:200])
        more = len(audit.problems) - 200
        send_mail(
            f"一站：公共账本校验失败（{len(audit.problems)} 处）/ Yizhan: the public ledger does not verify",
            "每日校验发现公共账本中的记录与账本记录的哈希不一致，可能已被篡改。请立即调查，并从备份核对。\n"
            "The daily check found ledger entries that no longer match the hashes the ledger recorded: "
            "they may have been altered. Investigate now and compare with the backups.\n\n"
            f"{listed}\n" + (f"... and {more} more\n" if more > 0 else ""),
            None,
            recipients,
        )
    return len(audit.problems)
