"""Evaluation's reads with their visibility rules: who is on a committee, who may open the
workspace (members, once the opening record is issued; the supervisor, read only), and what each
may see of the others' findings and scores."""

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import User
from accounts.selectors import user_has_role
from bidding.selectors.opened import opening_record_issued
from config.exceptions import NotFound
from evaluation.constants import LARGE_BUDGET, LARGE_COMMITTEE, SMALL_COMMITTEE, MemberState
from evaluation.exceptions import EvaluationError, WorkspaceClosed
from evaluation.models import CommitteeMember, Draw, EvaluationSettings, ExpertProfile
from tenders.constants import TenderStatus
from tenders.models import Tender
from tenders.permissions import is_tender_officer


def settings_for(tender: Tender) -> EvaluationSettings:
    """The tender's evaluation settings (defaults until an officer changes them)."""
    found = EvaluationSettings.objects.filter(tender=tender).first()
    return found if found is not None else EvaluationSettings(tender=tender)


@dataclass(frozen=True)
class CommitteeShape:
    size: int  # odd, ≥ 5 (≥ 7 for a large or complex project)
    experts: int  # ≥ 2/3 of the size
    buyer_representatives: int


def committee_shape(tender: Tender, evaluation_settings: EvaluationSettings | None = None) -> CommitteeShape:
    """BL Art 37, MOF87 Art 47: the smallest lawful committee for the tender, its buyer's
    representatives (at most a third, rounded down) and the experts drawn for the rest."""
    evaluation_settings = evaluation_settings or settings_for(tender)
    large = tender.budget >= LARGE_BUDGET or evaluation_settings.complex_project
    size = LARGE_COMMITTEE if large else SMALL_COMMITTEE
    most_representatives = size - math.ceil(size * 2 / 3)
    if evaluation_settings.buyer_representatives > most_representatives:
        raise EvaluationError(
            _("A committee of %(size)d may have at most %(n)d buyer's representatives.")
            % {"size": size, "n": most_representatives}
        )
    reps = evaluation_settings.buyer_representatives
    return CommitteeShape(size=size, experts=size - reps, buyer_representatives=reps)


def is_supervisor(user: User) -> bool:
    return bool(user.is_authenticated and user_has_role(user=user, role=Role.SUPERVISOR))


def expert_profile_of(user: User) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=user).first() if user.is_authenticated else None


def invitations_of(*, user: User) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(user=user).select_related("tender").order_by("-invited_at")


def committee_of(tender: Tender, *, states=(MemberState.CONFIRMED,)) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(tender=tender, state__in=states).select_related("user", "expert")


def draws_of(tender: Tender) -> QuerySet[Draw]:
    return Draw.objects.filter(tender=tender).order_by("sequence")


class WorkspaceAccess:
    """Who is in the workspace and as what: a confirmed member (reads and writes) or the supervisor
    (reads only)."""

    def __init__(self, tender: Tender, user: User, member: CommitteeMember | None) -> None:
        self.tender, self.user, self.member = tender, user, member

    @property
    def can_write(self) -> bool:
        return self.member is not None and self.tender.status == TenderStatus.EVALUATION


def workspace_access(*, tender: Tender, user: User) -> WorkspaceAccess:
    """Open to the committee's confirmed members and to supervisors, and only once the signed opening
    record is issued (before it, nothing of a bid can be read here)."""
    member = (
        CommitteeMember.objects.filter(tender=tender, user=user, state=MemberState.CONFIRMED).first()
        if user.is_authenticated
        else None
    )
    if member is None and not is_supervisor(user):
        raise WorkspaceClosed(_("Only the evaluation committee of this tender may open its workspace."))
    if not opening_record_issued(tender_id=tender.pk):
        raise WorkspaceClosed(_("The workspace opens once the signed opening record is issued."))
    return WorkspaceAccess(tender, user, member)


def committee_names_public(tender: Tender) -> bool:
    """Members' names stay secret until the evaluation result is published (the tender left evaluation)."""
    return tender.status not in (TenderStatus.OPENING, TenderStatus.EVALUATION)


def progress(tender: Tender) -> dict[str, Any]:
    """What an officer sees: counts only, never names, findings or scores."""
    members = CommitteeMember.objects.filter(tender=tender)
    confirmed = members.filter(state=MemberState.CONFIRMED)
    return {
        "drawn": members.count(),
        "confirmed": confirmed.count(),
        "invited": members.filter(state=MemberState.INVITED).count(),
        "declined": members.filter(state=MemberState.DECLINED).count(),
        "reviews_submitted": confirmed.filter(reviews_submitted_at__isnull=False).count(),
        "scores_submitted": confirmed.filter(scores_submitted_at__isnull=False).count(),
    }


def tender_by_reference(reference: str) -> Tender:
    tender = Tender.objects.filter(reference=reference).first()
    if tender is None:
        raise NotFound()
    return tender


def tenders_in_evaluation() -> QuerySet[Tender]:
    """Tenders whose committee is drawn or may be: bids sealed, the result not yet decided."""
    return Tender.objects.filter(status__in=[TenderStatus.OPENING, TenderStatus.EVALUATION]).order_by(
        "-bid_deadline"
    )


def pool_list() -> QuerySet[ExpertProfile]:
    return ExpertProfile.objects.select_related("user", "employer").order_by("public_id")


def relationships_of(*, user: User):
    profile = expert_profile_of(user)
    return profile.relationships.select_related("supplier__organisation") if profile else []


def progress_visible(*, tender: Tender, user: User) -> bool:
    """The evaluation's progress (counts only): its committee, supervisors, and the procurement
    officers of the tender's own buyer or agency (not every officer of any organisation)."""
    return bool(
        user.is_authenticated
        and (
            is_supervisor(user)
            or CommitteeMember.objects.filter(tender=tender, user=user).exists()
            or is_tender_officer(user=user, tender=tender)
        )
    )
