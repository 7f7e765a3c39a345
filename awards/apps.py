from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = _("Awards")

    def ready(self) -> None:
        from approvals.registry import approval_subjects
        from awards.challenge_approval import ChallengeAnswerApproval
        from awards.models import Challenge

        approval_subjects.register(Challenge, ChallengeAnswerApproval())
