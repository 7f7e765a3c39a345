"""`manage.py restore BACKUP --var-dir DIR [--database-url URL]`: restore a backup into a fresh
installation (config/backup.py; docs/operations.md). Then run `ledger_verify` there."""

from pathlib import Path

from django.core.management.base import BaseCommand

from config.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into a fresh var directory (and database)."

    def add_arguments(self, parser):
        parser.add_argument("backup")
        parser.add_argument("--var-dir", required=True)
        parser.add_argument("--database-url", default="")

    def handle(self, *args, **options):
        backup_restore(
            source=Path(options["backup"]),
            var_dir=Path(options["var_dir"]),
            database_url=options["database_url"],
        )
        self.stdout.write(f"restored into {options['var_dir']}; now run: manage.py ledger_verify there")
