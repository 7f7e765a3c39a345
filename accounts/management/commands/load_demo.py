"""Load the demo data (idempotent) and print the demo logins."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD, Demo, demo_second_factors, demo_totp_secret


def demo_build() -> Demo:
    """Run every Yizhan app's `demo.load`, in dependency order, as one transaction: a loader that
    fails leaves nothing behind, so the next run starts from the same state (each loader finds its
    objects again by content, so a second run changes nothing)."""
    demo = Demo()
    with transaction.atomic():
        for app in settings.LOCAL_APPS:
            if find_spec(f"{app}.demo"):
                import_module(f"{app}.demo").load(demo)
        demo.second_factor_users = demo_second_factors(demo)
    return demo


class Command(BaseCommand):
    help = "Load the demo data (running it again changes nothing) and print the demo logins."

    def handle(self, *args, **options):
        # The demo's own notifications (custodians named, experts invited, subscriptions) go to a
        # discarded outbox: on the console they buried the logins `make run` prints.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo = demo_build()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (every password: {DEMO_PASSWORD}):")
        width = max(len(u) for u, _ in demo.logins)
        for username, description in demo.logins:
            marker = " *" if username in demo.second_factor_users else ""
            self.stdout.write(f"  {username.ljust(width)}  {description}{marker}")
        self.stdout.write(
            "* needs a second factor after the password: add the demo authenticator key "
            f"{demo_totp_secret()} to any TOTP app, or run `manage.py demo_totp` for the current code."
        )
        for note in demo.notes:
            self.stdout.write(self.style.WARNING(f"Note: {note}"))
