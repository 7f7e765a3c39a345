"""Make a new platform signing key; old public keys stay published (and old signatures checkable)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ledger.signing import platform_key_rotate


class Command(BaseCommand):
    help = (
        "Rotate the platform Ed25519 key (also makes the first one, which production never does by itself)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            key_id = platform_key_rotate()
        self.stdout.write(f"platform key is now {key_id}")
