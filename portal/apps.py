from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"

    def ready(self) -> None:
        from approvals.registry import approval_subjects
        from portal.approval import ApplicationApproval
        from portal.models import Application

        approval_subjects.register(Application, ApplicationApproval())

        from portal.models import ServiceRating
        from portal.services.ratings import RatingFollowUpApproval

        approval_subjects.register(ServiceRating, RatingFollowUpApproval())  # bad ratings followed up

        from portal.selectors import decision_document_readable
        from reports.access import document_reader_register

        # Decision letters are issued with subject_ref "portal.application:<reference>".
        document_reader_register(
            "portal.application",
            lambda user, reference: decision_document_readable(user=user, reference=reference),
        )

        from portal.services.wallet import licence_readable

        # Electronic licences are issued with subject_ref "portal.licence:<number>".
        document_reader_register(
            "portal.licence", lambda user, number: licence_readable(user=user, number=number)
        )
