from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"

    def ready(self) -> None:
        from approvals.registry import approval_subjects
        from portal.approval import ApplicationApproval
        from portal.models import Application

        approval_subjects.register(Application, ApplicationApproval())
