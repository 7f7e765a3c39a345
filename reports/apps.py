from django.apps import AppConfig


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
    from reports.statistics import tender_fact_refresh

    tender_fact_refresh(tender=instance)
