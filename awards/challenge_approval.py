"""The buyer's answer to a challenge goes through the approval engine, which keeps its clock:
one step for the tender's officers (any one of them answers) with the 7-working-day limit of
GPL Art 53, so the engine reminds them the working day before and escalates to the supervisors
when it passes. The answer itself is written with `challenge_answer`, which approves the step."""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.selectors import user_has_role
from approvals.constants import Outcome
from approvals.registry import ApprovalSubject
from awards.exceptions_remedies import RemedyError
from awards.services.challenges import challenge_answer_publish
from tenders.permissions import is_tender_officer


class ChallengeAnswerApproval(ApprovalSubject):
    def subject_data(self, obj: Any) -> dict[str, Any]:
        tender = obj.tender
        return {
            "challenge": obj.reference,
            "tender": tender.reference,
            "buyer_id": tender.buyer_id,
            # The organisation running the procurement answers: the agency when there is one.
            "answering_organisation_id": tender.agency_id or tender.buyer_id,
        }

    def title(self, obj: Any) -> str:
        return gettext("Answer to challenge %(ref)s") % {"ref": obj.reference}

    def url(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("awards:challenge", args=[obj.reference])

    def summary(self, obj: Any) -> str:
        return gettext("Challenge of %(subject)s, answer due by %(day)s") % {
            "subject": obj.get_subject_display(),
            "day": obj.answer_due_on.isoformat(),
        }

    def can_submit(self, user: Any, obj: Any) -> bool:
        return obj.filed_by_id == user.pk

    def can_view(self, user: Any, obj: Any) -> bool:
        return is_tender_officer(user=user, tender=obj.tender) or user_has_role(
            user=user, role=Role.SUPERVISOR
        )

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        if outcome != Outcome.APPROVED:
            raise RemedyError(
                _("A challenge must be answered in writing: answer it on its page instead (GPL Art 53).")
            )
        challenge_answer_publish(obj)
