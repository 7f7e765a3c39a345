"""Recompute the public ledger's tree and check every stored hash and signed tree head."""

from django.core.management.base import BaseCommand, CommandError

from ledger.verify import ledger_audit


class Command(BaseCommand):
    help = (
        "Recompute the ledger's Merkle tree from its entries; report changed, removed or reordered entries."
    )

    def handle(self, *args, **options):
        audit = ledger_audit()
        for problem in audit.problems:
            self.stderr.write(problem)
        if not audit.ok:
            raise CommandError(f"the ledger does not verify: {len(audit.problems)} problem(s)")
        self.stdout.write(f"ledger verified: {audit.entries} entries, {audit.tree_heads} signed tree heads")
