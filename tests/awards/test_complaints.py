"""Complaints (投诉) to the finance department: lodged within 15 working days after the answer or its
deadline, the department's statuses with the 30-working-day limit, the decision published (frozen,
its hash in the ledger); a suspended procurement blocks the contract."""

import hashlib

import pytest
import time_machine

from awards.exceptions_remedies import ContractBlocked, NotParty, PeriodPassed, WrongRemedyState
from awards.models import Complaint
from awards.remedy_constants import ChallengeSubject, ComplaintStatus
from awards.services.challenges import challenge_answer, challenge_file
from awards.services.complaints import complaint_decide, complaint_lodge, complaint_status_set
from awards.services.contracts import contract_sign
from ledger.encoding import b64u_encode, jcs
from ledger.models import LedgerEntry
from tests.awards.after_factory import announced_award, draft_contract, enter_2027, signed_pdf
from tests.awards.factory import at, awaiting_award

pytestmark = pytest.mark.django_db(transaction=True)


def _challenge(demo, tender, *, on: str, username: str = "supplier1"):
    with time_machine.travel(at(on, "09:00"), tick=False):
        return challenge_file(
            tender_id=tender.pk,
            by=demo.users[username],
            subject=ChallengeSubject.PROCESS,
            known_on=at(on).date(),
            reasons="开标记录与我公司报价不一致。",
        )


def _answer(demo, challenge, *, on: str):
    with time_machine.travel(at(on, "16:00"), tick=False):
        return challenge_answer(
            challenge_id=challenge.pk, by=demo.users["officer"], upheld=False, answer="质疑不成立。"
        )


@pytest.mark.parametrize(("day", "allowed"), [("2027-01-05", True), ("2027-01-06", False)])
def test_a_complaint_is_lodged_up_to_15_working_days_after_the_answer_across_new_year(demo, day, allowed):
    enter_2027(demo)
    ceremony, _members = awaiting_award(demo)
    challenge = _challenge(demo, ceremony.tender, on="2026-12-11")
    # Answered Monday 14 Dec: 15 working days are 15–18, 21–25, 28–31 Dec, (1–3 Jan off), 4, 5 Jan.
    _answer(demo, challenge, on="2026-12-14")
    with time_machine.travel(at(day, "22:00"), tick=False):
        with pytest.raises(NotParty):
            complaint_lodge(challenge_id=challenge.pk, by=demo.users["supplier2"], reasons="不服")
        if allowed:
            complaint = complaint_lodge(
                challenge_id=challenge.pk, by=demo.users["supplier1"], reasons="答复未回应我公司提出的问题。"
            )
            assert complaint.status == ComplaintStatus.LODGED
        else:
            with pytest.raises(PeriodPassed, match="2027-01-05"):
                complaint_lodge(challenge_id=challenge.pk, by=demo.users["supplier1"], reasons="答复未回应。")


def test_an_unanswered_challenge_may_be_complained_of_once_its_deadline_passed(demo):
    ceremony, _members = awaiting_award(demo)
    challenge = _challenge(demo, ceremony.tender, on="2026-12-02")  # answer due Friday 11 Dec
    assert challenge.answer_due_on.isoformat() == "2026-12-11"
    with (
        time_machine.travel(at("2026-12-11", "20:00"), tick=False),
        pytest.raises(WrongRemedyState, match="2026-12-11"),
    ):
        complaint_lodge(challenge_id=challenge.pk, by=demo.users["supplier1"], reasons="未答复。")
    with time_machine.travel(at("2026-12-14"), tick=False):
        complaint = complaint_lodge(
            challenge_id=challenge.pk, by=demo.users["supplier1"], reasons="采购人逾期未答复。"
        )
    assert complaint.regulator == demo.orgs["regulator"]


@pytest.mark.parametrize(("decided_on", "late"), [("2027-01-18", False), ("2027-01-19", True)])
def test_the_finance_department_decides_within_30_working_days_and_publishes(demo, decided_on, late):
    enter_2027(demo)
    ceremony, _members = awaiting_award(demo)
    challenge = _challenge(demo, ceremony.tender, on="2026-12-02")
    _answer(demo, challenge, on="2026-12-03")
    supervisor = demo.users["supervisor"]
    with time_machine.travel(at("2026-12-04"), tick=False):
        complaint = complaint_lodge(
            challenge_id=challenge.pk, by=demo.users["supplier1"], reasons="答复不当。"
        )
        with pytest.raises(NotParty):
            complaint_status_set(
                complaint_id=complaint.pk, by=demo.users["officer"], status=ComplaintStatus.ACCEPTED
            )
        with pytest.raises(WrongRemedyState):
            complaint_decide(complaint_id=complaint.pk, by=supervisor, outcome="dismissed", decision="驳回")
    # Accepted Friday 4 Dec: 30 working days are 7–31 Dec (19), (1–3 Jan off), 4–15 Jan (29), 18 Jan.
    with time_machine.travel(at("2026-12-04", "15:00"), tick=False):
        complaint = complaint_status_set(
            complaint_id=complaint.pk, by=supervisor, status=ComplaintStatus.ACCEPTED
        )
    assert complaint.decision_due_on.isoformat() == "2027-01-18"
    with time_machine.travel(at("2026-12-07"), tick=False):
        complaint_status_set(complaint_id=complaint.pk, by=supervisor, status=ComplaintStatus.INVESTIGATING)
    with time_machine.travel(at(decided_on, "17:00"), tick=False):
        complaint = complaint_decide(
            complaint_id=complaint.pk,
            by=supervisor,
            outcome="dismissed",
            decision="投诉事项缺乏事实依据，驳回投诉。",
        )
    assert complaint.status == ComplaintStatus.DECIDED
    assert [step["status"] for step in complaint.history] == [
        "lodged",
        "accepted",
        "investigating",
        "decided",
    ]
    entry = LedgerEntry.objects.get(index=complaint.decision_ledger_index)
    assert entry.kind == "awards/complaint-decision" and entry.document["payload"]["late"] is late
    assert entry.document["payload"]["sha256"] == b64u_encode(
        hashlib.sha256(jcs(complaint.decision_payload)).digest()
    )
    assert complaint.decision_payload["decision"] == "投诉事项缺乏事实依据，驳回投诉。"


def test_a_suspended_procurement_blocks_the_contract(demo):
    tender, decision = announced_award(demo)
    contract = draft_contract(demo, decision, on="2026-12-03")
    challenge = _challenge(demo, tender, on="2026-12-03")
    _answer(demo, challenge, on="2026-12-04")
    supervisor = demo.users["supervisor"]
    with time_machine.travel(at("2026-12-07"), tick=False):
        complaint = complaint_lodge(
            challenge_id=challenge.pk, by=demo.users["supplier1"], reasons="答复不当。"
        )
        complaint_status_set(complaint_id=complaint.pk, by=supervisor, status=ComplaintStatus.ACCEPTED)
        complaint_status_set(
            complaint_id=complaint.pk, by=supervisor, status=ComplaintStatus.SUSPENDED, note="暂停采购活动"
        )
        with pytest.raises(ContractBlocked, match=complaint.reference):
            contract_sign(
                contract_id=contract.pk,
                by=demo.users["officer"],
                signed_on=at("2026-12-07").date(),
                document=signed_pdf(),
            )
    assert Complaint.objects.get().suspends
