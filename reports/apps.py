import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self) -> None:
        # reports is the roof: it watches tenders being saved to keep the statistics' facts, as no
        # lower app may call up into it (DESIGN.md layers).
        from django.db.models.signals import post_save

        from tenders.models import Tender

        post_save.connect(_tender_saved, sender=Tender, dispatch_uid="reports.tender_fact")


def _tender_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # loading fixtures: the tender's relations may not be there yet
        return
    from django.db import transaction

    from reports.statistics import tender_fact_refresh

    # Counting a tender must never stop the tender's own change: on an error the figures miss it
    # (logged) until `manage.py statistics_rebuild`, and the tender's transaction goes on.
    try:
        with transaction.atomic():
            tender_fact_refresh(tender=instance)
    except Exception:
        logger.exception("statistics: could not count tender %s", instance.pk)
