"""Make the platform's root and issuing CA (once)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from suppliers import ca


class Command(BaseCommand):
    help = "Make the platform root and issuing CA under PLATFORM_KEY_DIR/ca (refuses to overwrite one)."

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="do nothing when a CA already exists")

    def handle(self, *args, if_missing: bool = False, **options):
        if ca.ca_exists():
            if if_missing:
                self.stdout.write(f"The platform CA already exists in {ca.ca_dir()}.")
                return
            raise CommandError(f"A platform CA already exists in {ca.ca_dir()}; it is never overwritten.")
        if not settings.PLATFORM_KEY_PASSPHRASE:
            self.stderr.write(
                self.style.WARNING(
                    "YIZHAN_KEY_PASSPHRASE is not set: the CA keys are stored unencrypted "
                    "(acceptable only for the embedded default; production requires it)."
                )
            )
        root, issuing = ca.ca_init()
        self.stdout.write(self.style.SUCCESS(f"Platform CA made in {ca.ca_dir()}"))
        self.stdout.write(f"  root:    {root.subject.rfc4514_string()}")
        self.stdout.write(f"  issuing: {issuing.subject.rfc4514_string()}")
