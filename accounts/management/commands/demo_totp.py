"""Print the demo authenticator's current code (the demo's privileged users all share its key)."""

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from accounts.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current code of the published demo authenticator (for signing in to the demo)."

    def handle(self, *args, **options):
        totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
        self.stdout.write(f"{totp.token():06d}  (valid for {30 - totp.time % 30:.0f} more seconds)")
