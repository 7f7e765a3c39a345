"""The award decision: the buyer picks a candidate from the committee's recommended order, with a
reason from the fixed list when it is not the first, and the choice goes through its approval flow
within the legal limit; `award_decision_reopen` sends a decision back (an upheld challenge)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.models import User
from approvals.constants import InstanceStatus, StepStatus
from approvals.models import ApprovalInstance, ApprovalStep
from approvals.services import approval_submit, approval_withdraw
from awards.approval import AWARD_FLOW, award_flow_ensure
from awards.constants import AwardReason, AwardStatus
from awards.deadlines import decision_due, is_tendering
from awards.exceptions import AwardError, AwardRefused
from awards.models import AwardDecision, CandidatePublicity
from awards.selectors import ranked_candidates
from awards.services.common import require_officer, tender_locked
from config import clock
from tenders.constants import TenderStatus
from tenders.models import Lot
from tenders.services import tender_award_reopen

# The reasons the rules allow for passing over a higher-ranked candidate (GPLR Art 49; BLR Art 55).
PASS_OVER_REASONS = frozenset(
    {AwardReason.FIRST_DECLINED, AwardReason.DISQUALIFIED, AwardReason.CHALLENGE_UPHELD}
)


def _publicity_done(tender) -> None:
    """Under the Bidding Law the winner is chosen after the candidates' publicity has run out and
    every objection to it is answered (BLR Arts 54–55)."""
    if not is_tendering(tender):
        return
    publicity = CandidatePublicity.objects.filter(tender=tender).first()
    if publicity is None:
        raise AwardRefused(_("Publish the winning candidates first (BLR Art 54)."))
    if clock.today_local() <= publicity.ends_on:
        raise AwardRefused(
            _(
                "The candidates' publicity runs until %(day)s 24:00; the winner is chosen after it (BLR Art 54)."
            )
            % {"day": publicity.ends_on.isoformat()}
        )
    if publicity.objections.filter(answered_at__isnull=True).exists():
        raise AwardRefused(
            _("Answer every objection to the candidates before choosing the winner (BLR Art 54).")
        )


@transaction.atomic
def award_decision_propose(
    *,
    tender_id: int,
    by: User,
    opening_id: int,
    reason: str = AwardReason.FIRST_CANDIDATE,
    reason_detail: str = "",
    lot_id: int | None = None,
) -> AwardDecision:
    """The buyer's officer chooses the winner and puts the choice through the award approval flow.

    Before: the tender awaits the award (the committee's report is issued); no live decision; under
    the Bidding Law the candidates' publicity is over with every objection answered; the chosen bid
    is ranked by the committee; the first candidate needs no reason, any other one of
    `PASS_OVER_REASONS` with an explanation.
    After: a decision in approval, its active step due no later than the legal limit (GPLR Art 43)."""
    tender = tender_locked(tender_id)
    require_officer(by, tender)
    if tender.status != TenderStatus.AWAITING_AWARD:
        raise AwardRefused(_("The award is decided once the committee's report is issued, and only once."))
    lot = None
    if lot_id is not None:
        lot = Lot.objects.filter(tender=tender, pk=lot_id).first()
        if lot is None:
            raise AwardError(_("No such lot in this tender."))
    if AwardDecision.objects.filter(tender=tender, lot=lot).exclude(status=AwardStatus.REOPENED).exists():
        raise AwardRefused(_("A decision on this award is already made or in approval."))
    _publicity_done(tender)
    candidates = {row["opening"].pk: row for row in ranked_candidates(tender)}
    row = candidates.get(opening_id)
    if row is None:
        raise AwardError(_("Choose a candidate from the committee's recommended order."))
    reason_detail = (reason_detail or "").strip()
    if row["rank"] == 1:
        if reason != AwardReason.FIRST_CANDIDATE:
            raise AwardError(_("The first candidate is chosen without a reason."))
    else:
        if reason not in PASS_OVER_REASONS:
            raise AwardError(
                _(
                    "Choosing other than the first candidate needs one of the reasons the rules allow: "
                    "the higher-ranked candidate declined, was disqualified, or a challenge against it "
                    "was upheld (GPLR Art 49, BLR Art 55)."
                )
            )
        if not reason_detail:
            raise AwardError(_("Explain why the higher-ranked candidates are passed over."))
    opening = row["opening"]
    decision = AwardDecision.objects.create(
        tender=tender,
        lot=lot,
        opening=opening,
        supplier=opening.supplier,
        rank=row["rank"],
        reason=reason,
        reason_detail=reason_detail,
        amount=opening.price,
        status=AwardStatus.IN_APPROVAL,
        proposed_by=by,
        proposed_at=clock.now(),
    )
    award_flow_ensure()
    instance = approval_submit(subject=decision, flow_code=AWARD_FLOW, submitter=by)
    decision.approval = instance
    decision.save(update_fields=["approval"])
    due = decision_due(tender)
    if due is not None:
        # The approvers' steps are due no later than the award's own legal limit.
        for step in ApprovalStep.objects.filter(instance=instance, status=StepStatus.ACTIVE):
            if step.due_on is None or step.due_on > due:
                ApprovalStep.objects.filter(pk=step.pk).update(due_on=due)
    audit_record(action="awards.decision_propose", operator=by, address=None, path=tender.reference)
    decision.refresh_from_db()
    return decision


def award_decision_approved(*, decision_id: int) -> AwardDecision:
    """The approval flow approved the decision (called by its adapter inside the engine's
    transaction): decided now; the result is due within 2 working days."""
    decision = AwardDecision.objects.select_for_update().get(pk=decision_id)
    if decision.status != AwardStatus.IN_APPROVAL:
        return decision
    decision.status, decision.decided_at = AwardStatus.DECIDED, clock.now()
    decision.save(update_fields=["status", "decided_at"])
    return decision


def award_decision_returned(*, decision_id: int, reason: str) -> AwardDecision:
    """The approval flow rejected or withdrew the decision: it is sent back, the officer chooses again."""
    decision = AwardDecision.objects.select_for_update().get(pk=decision_id)
    if decision.status == AwardStatus.REOPENED:
        return decision
    decision.status, decision.reopened_at = AwardStatus.REOPENED, clock.now()
    decision.reopen_reason, decision.reopened_by_ref = reason, "approval"
    decision.save(update_fields=["status", "reopened_at", "reopen_reason", "reopened_by_ref"])
    return decision


@transaction.atomic
def award_decision_reopen(
    *, decision_id: int, reason: str, ref: str, by: User | None = None
) -> AwardDecision:
    """Send a decision back, e.g. when a challenge against it is upheld (the challenge code calls
    this with `ref` = "challenge:<id>").

    Before: the decision is live (in approval, decided or announced); a reason is given.
    After: the decision is re-opened with its reason, reference and time (the record stays); a
    running approval is withdrawn; an awarded tender awaits the award again, and the next decision
    is due within 5 working days of today. Announced results and notices stay published as history."""
    decision = AwardDecision.objects.select_for_update(of=("self",)).filter(pk=decision_id).first()
    if decision is None:
        raise AwardError(_("No such award decision."))
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(_("Say why the decision is sent back."))
    if decision.status == AwardStatus.REOPENED:
        raise AwardRefused(_("This decision is already sent back."))
    tender = tender_locked(decision.tender_id)
    if decision.status == AwardStatus.IN_APPROVAL and decision.approval_id:
        instance = ApprovalInstance.objects.get(pk=decision.approval_id)
        if instance.status == InstanceStatus.RUNNING:
            approval_withdraw(instance_id=instance.pk, user=decision.proposed_by, reason=reason)
            decision.refresh_from_db()
    if decision.status == AwardStatus.ANNOUNCED:
        tender_award_reopen(tender_id=tender.pk, by=by)
    decision.status, decision.reopened_at = AwardStatus.REOPENED, clock.now()
    decision.reopen_reason, decision.reopened_by_ref = reason, ref[:64]
    decision.save(update_fields=["status", "reopened_at", "reopen_reason", "reopened_by_ref"])
    audit_record(
        action="awards.decision_reopen", operator=by, operator_name=ref, address=None, path=tender.reference
    )
    return decision


def decided_on(decision: AwardDecision):
    return timezone.localdate(decision.decided_at) if decision.decided_at else None
