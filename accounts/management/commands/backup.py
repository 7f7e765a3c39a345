"""`manage.py backup [--target DIR]`: a consistent backup of the database and stored files
(config/backup.py; docs/operations.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from config.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the stored files (not the platform keys) into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("--target", default=str(Path(settings.VAR_DIR) / "backups"))

    def handle(self, *args, **options):
        folder = backup_create(target=Path(options["target"]))
        self.stdout.write(f"backup written to {folder}")
