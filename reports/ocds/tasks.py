"""Celery tasks of the open-data publication (beat: config/integrations/celery.py)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from config import clock


@shared_task(name="reports.ocds_releases_sync")
def ocds_releases_sync() -> int:
    """Store releases for what was published since the last run (idempotent)."""
    from reports.ocds.services import ocds_releases_sync as sync

    return sync()


@shared_task(name="reports.ocds_bulk_build")
def ocds_bulk_build() -> list[str]:
    """Build yesterday's bulk files (Beijing time); already built: nothing changes."""
    from reports.ocds.services import ocds_bulk_build as build

    day = timezone.localdate(clock.now()) - timedelta(days=1)
    return [bulk.file.name for bulk in build(day=day)]
