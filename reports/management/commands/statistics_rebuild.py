"""Recompute every statistics fact and tally from the records (docs/statistics.md)."""

from django.core.management.base import BaseCommand

from reports.statistics import statistics_rebuild


class Command(BaseCommand):
    help = "Recompute the statistics' facts and tallies from the tenders."

    def handle(self, *args, **options) -> None:
        kept = statistics_rebuild()
        self.stdout.write(f"{kept} public tenders counted")
