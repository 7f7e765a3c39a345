"""`manage.py demo_opening [--minutes N]`: a demo tender closing in N minutes, ready to open."""

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts.management.commands.load_demo import demo_build
from bidding.demo_opening import DemoOpeningRefused, demo_opening_make


class Command(BaseCommand):
    help = (
        "On a demo installation: publish a demo tender whose deadline passes in a few minutes, seal "
        "three bids into it, and print how to open it in three browser windows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=5, help="minutes until the deadline (1 to 60)")

    def handle(self, *args, minutes: int, **options):
        if not 1 <= minutes <= 60:
            raise CommandError("--minutes must be between 1 and 60.")
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo = demo_build()
            try:
                opening = demo_opening_make(demo, minutes=minutes)
            except DemoOpeningRefused:
                raise CommandError(
                    "This installation is not a demo (DEMO_KEY_FILES_ALLOWED is off): no custodian's key "
                    "file may be kept here, so a demo tender could never be opened."
                ) from None
        self.stdout.write(self.style.SUCCESS(f"Demo opening ready: {opening.tender.title}"))
        for number, step in enumerate(opening.steps, 1):
            self.stdout.write(f"  {number}. {step}")
