"""Ledger: append 100,000 entries, then inclusion proofs per second at that size, as a ratio
against SHA-256 leaf hashing of the same number of leaves in the same run. Runs on a temporary
SQLite database (never the developer's var/), through the real append code path."""

import os
import sys
import tempfile
import time

ENTRIES = int(os.environ.get("LEDGER_BENCH_ENTRIES", "100000"))
BATCH = 1000  # ledger_append_many per transaction, the path batch writers (the seal) use
SAMPLE_SINGLE = 500  # single ledger_append calls, each in its own transaction, timed separately
PROOFS = 2000


def main() -> None:
    os.environ["YIZHAN_VAR_DIR"] = tempfile.mkdtemp(prefix="yizhan-ledger-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    import random

    from django.core.management import call_command
    from django.db import transaction

    from ledger.merkle import leaf_hash, verify_inclusion
    from ledger.models import LedgerEntry
    from ledger.selectors import inclusion_proof, ledger_root
    from ledger.services import ledger_append, ledger_append_many

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    for i in range(SAMPLE_SINGLE):
        with transaction.atomic():
            ledger_append(kind="bench/event", payload={"n": i})
    single = time.perf_counter() - started
    started = time.perf_counter()
    for first in range(SAMPLE_SINGLE, ENTRIES, BATCH):
        with transaction.atomic():
            ledger_append_many(
                items=[("bench/event", {"n": i}) for i in range(first, min(first + BATCH, ENTRIES))]
            )
    batched = time.perf_counter() - started
    print(
        f"appended {ENTRIES} entries: {SAMPLE_SINGLE / single:,.0f}/s one by one, "
        f"{(ENTRIES - SAMPLE_SINGLE) / batched:,.0f}/s in batches of {BATCH}"
    )

    leaves = [
        bytes(c) for c in LedgerEntry.objects.order_by("index").values_list("canonical", flat=True)[:PROOFS]
    ]
    indexes = [random.randrange(len(leaves)) for _ in range(PROOFS)]
    root = ledger_root(size=ENTRIES)
    started = time.perf_counter()
    for index in indexes:
        proof = inclusion_proof(index=index, size=ENTRIES)
    proof_seconds = time.perf_counter() - started
    assert verify_inclusion(leaves[indexes[-1]], indexes[-1], ENTRIES, proof.path, root)

    started = time.perf_counter()
    for index in indexes:
        leaf_hash(leaves[index])
    hash_seconds = time.perf_counter() - started
    print(
        f"inclusion proofs at size {ENTRIES}: {PROOFS / proof_seconds:,.0f}/s "
        f"= 1/{proof_seconds / hash_seconds:,.0f} of SHA-256 leaf hashing ({PROOFS / hash_seconds:,.0f}/s), "
        f"{len(proof.path)} hashes each"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
