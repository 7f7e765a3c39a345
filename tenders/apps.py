from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tenders"
    verbose_name = _("Tenders")

    def ready(self) -> None:
        from approvals.registry import approval_subjects
        from tenders.approval import TenderApproval
        from tenders.models import Tender

        approval_subjects.register(Tender, TenderApproval())
