from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = _("Awards")

    def ready(self) -> None:
        from approvals.registry import approval_subjects
        from awards.approval import AwardDecisionApproval
        from awards.models import AwardDecision
        from awards.selectors import notice_document_readable
        from reports.access import document_reader_register

        approval_subjects.register(AwardDecision, AwardDecisionApproval())
        # The winner's signed award notice is issued with subject_ref "awards.notice:<notice id>".
        document_reader_register(
            "awards.notice", lambda user, ref: notice_document_readable(user=user, ref=ref)
        )

        # The buyer's answer to a challenge runs through the engine (its 7-working-day clock).
        from awards.challenge_approval import ChallengeAnswerApproval
        from awards.models import Challenge

        approval_subjects.register(Challenge, ChallengeAnswerApproval())
