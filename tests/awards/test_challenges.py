"""Challenges (质疑): filed within 7 working days of knowing of the harm, answered within 7 working
days through the approval engine (reminded, then escalated), the answer sent to every affected
supplier, a pending challenge blocking the contract, an upheld one re-opening the award."""

import pytest
import time_machine
from django.core import mail

from approvals.models import ApprovalStep
from approvals.services import approval_deadlines_check
from awards.constants import AwardReason, AwardStatus
from awards.exceptions_remedies import ContractBlocked, NotParty, PeriodPassed, WrongRemedyState
from awards.models import Challenge
from awards.remedy_constants import ChallengeStatus, ChallengeSubject
from awards.services.challenges import challenge_answer, challenge_file
from awards.services.contracts import contract_create, contract_sign
from awards.services.decision import award_decision_propose
from ledger.models import LedgerEntry
from tenders.constants import TenderStatus
from tests.awards.after_factory import announced_award, draft_contract, enter_2027, signed_pdf
from tests.awards.factory import at, awaiting_award, bid_of

pytestmark = pytest.mark.django_db(transaction=True)


def _file(demo, tender, username="supplier1", *, subject=ChallengeSubject.RESULT, known_on="2026-12-24"):
    return challenge_file(
        tender_id=tender.pk,
        by=demo.users[username],
        subject=subject,
        known_on=at(known_on).date(),
        reasons="评审专家对我公司技术方案的评分明显偏低，请复核。",
    )


@pytest.mark.parametrize(("day", "allowed"), [("2027-01-05", True), ("2027-01-06", False)])
def test_a_challenge_is_filed_up_to_7_working_days_after_knowing_across_new_year(demo, day, allowed):
    enter_2027(demo)
    ceremony, _members = awaiting_award(demo)
    # Known on Thursday 24 Dec 2026: 25, 28, 29, 30, 31 Dec, (1–3 Jan off), 4, 5 Jan.
    with time_machine.travel(at(day, "23:00"), tick=False):
        if allowed:
            challenge = _file(demo, ceremony.tender, subject=ChallengeSubject.PROCESS)
            assert challenge.status == ChallengeStatus.PENDING
        else:
            with pytest.raises(PeriodPassed, match="2027-01-05"):
                _file(demo, ceremony.tender, subject=ChallengeSubject.PROCESS)
            assert not Challenge.objects.exists()


def test_only_suppliers_taking_part_may_challenge(demo):
    ceremony, _members = awaiting_award(demo)
    with time_machine.travel(at("2026-12-03"), tick=False), pytest.raises(NotParty):
        _file(demo, ceremony.tender, "citizen1", known_on="2026-12-02")


def test_the_answer_clock_reminds_the_day_before_and_escalates_the_day_after_across_new_year(demo):
    enter_2027(demo)
    ceremony, _members = awaiting_award(demo)
    with time_machine.travel(at("2026-12-24", "15:00"), tick=False):
        challenge = _file(demo, ceremony.tender)
    # Filed Thursday 24 Dec: the answer is due on the 7th working day after, Tuesday 5 Jan 2027.
    assert challenge.answer_due_on.isoformat() == "2027-01-05"
    step = ApprovalStep.objects.get(instance=challenge.approval)
    assert step.due_on == challenge.answer_due_on

    def swept(day):
        approval_deadlines_check(today=at(day).date())
        step.refresh_from_db()
        return step.reminded_at is not None, step.escalated_at is not None

    assert swept("2027-01-01") == (False, False)  # a holiday; the answer is not due yet
    assert swept("2027-01-04") == (True, False)  # the working day before: reminded
    assert swept("2027-01-05") == (True, False)  # the last day: still in time
    assert swept("2027-01-06") == (True, True)  # one day past: escalated to the supervisor
    assert step.assignments.filter(is_escalation=True).exists()


def test_the_answer_goes_to_the_challenger_and_every_affected_supplier(demo):
    tender, decision = announced_award(demo)
    with time_machine.travel(at("2026-12-03"), tick=False):
        challenge = _file(demo, tender, known_on="2026-12-02")
        mail.outbox.clear()
        with pytest.raises(NotParty):  # a bidder cannot answer
            challenge_answer(
                challenge_id=challenge.pk, by=demo.users["supplier2"], upheld=False, answer="驳回"
            )
        challenge = challenge_answer(
            challenge_id=challenge.pk,
            by=demo.users["officer"],
            upheld=False,
            answer="经复核，评分符合招标文件规定的评分标准，质疑不成立。",
        )
    assert challenge.status == ChallengeStatus.DISMISSED
    bidders = {demo.orgs[f"supplier{i}"].supplier.pk for i in (1, 2, 3)}
    assert set(challenge.answer_sent_to) == bidders
    recipients = {address for message in mail.outbox for address in message.to}
    assert {demo.users[f"supplier{i}"].email for i in (1, 2, 3)} <= recipients
    entry = LedgerEntry.objects.get(index=challenge.answer_ledger_index)
    assert entry.kind == "awards/challenge-answered" and entry.document["payload"]["outcome"] == "dismissed"
    assert entry.document["payload"]["late"] is False
    decision.refresh_from_db()
    assert decision.status == AwardStatus.ANNOUNCED  # a dismissed challenge changes nothing


def test_a_pending_challenge_blocks_the_contract_until_it_is_answered(demo):
    tender, decision = announced_award(demo)
    contract = draft_contract(demo, decision, on="2026-12-03")
    with time_machine.travel(at("2026-12-04"), tick=False):
        challenge = _file(demo, tender, known_on="2026-12-02")
        with pytest.raises(ContractBlocked, match=challenge.reference):
            contract_sign(
                contract_id=contract.pk,
                by=demo.users["officer"],
                signed_on=at("2026-12-04").date(),
                document=signed_pdf(),
            )
        challenge_answer(
            challenge_id=challenge.pk, by=demo.users["officer"], upheld=False, answer="质疑不成立。"
        )
        contract = contract_sign(
            contract_id=contract.pk,
            by=demo.users["officer"],
            signed_on=at("2026-12-04").date(),
            document=signed_pdf(),
        )
    assert contract.status == "signed"


def test_an_upheld_challenge_reopens_the_award_with_a_record(demo):
    tender, decision = announced_award(demo)
    with time_machine.travel(at("2026-12-03"), tick=False):
        challenge = _file(demo, tender, known_on="2026-12-02")
        challenge_answer(
            challenge_id=challenge.pk,
            by=demo.users["officer"],
            upheld=True,
            answer="经复核，中标供应商的业绩证明材料不实，质疑成立，重新确定中标人。",
        )
    decision.refresh_from_db()
    tender.refresh_from_db()
    assert decision.status == AwardStatus.REOPENED
    assert (
        decision.reopened_by_ref == f"challenge:{challenge.pk}"
        and challenge.reference in decision.reopen_reason
    )
    assert tender.status == TenderStatus.AWAITING_AWARD
    reopened = LedgerEntry.objects.get(kind="awards/award-reopened")
    assert reopened.document["payload"]["because"] == {"challenge": challenge.reference}
    # No contract from the re-opened decision; the buyer decides again, passing over the first.
    with time_machine.travel(at("2026-12-04"), tick=False):
        with pytest.raises(WrongRemedyState):
            contract_create(award_id=decision.pk, by=demo.users["officer"], title="x", amount=decision.amount)
        again = award_decision_propose(
            tender_id=tender.pk,
            by=demo.users["officer"],
            opening_id=bid_of(tender, "480000.00").pk,
            reason=AwardReason.CHALLENGE_UPHELD,
            reason_detail=f"质疑{challenge.reference}成立。",
        )
    assert again.status == AwardStatus.IN_APPROVAL and again.rank == 2
