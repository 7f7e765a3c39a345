"""Contracts: signed within 30 days of the award notice, the contract notice within 2 working days
of signing (frozen, ledgered, on the tender's notice page), the performance security within its
share and before signing, the acceptance recorded, every bid security returned within 5 working
days and each release recorded. Limits at the last day and one day past, across New Year 2027."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import Client

from awards.exceptions_remedies import NotParty, PeriodPassed, RemedyError, WrongRemedyState
from awards.models import BidSecurityRelease
from awards.remedy_constants import ContractStatus, SecurityReleaseReason
from awards.services.contracts import (
    contract_acceptance_record,
    contract_notice_publish,
    contract_sign,
    contract_signing_reminders,
    performance_security_record,
)
from awards.services.securities import bid_security_release
from ledger.encoding import b64u_encode, jcs
from ledger.models import LedgerEntry
from tenders.constants import AnnouncementKind
from tests.awards.after_factory import announced_award, draft_contract, enter_2027, signed_pdf
from tests.awards.factory import at

pytestmark = pytest.mark.django_db(transaction=True)


def _sign(demo, contract, day: str, **extra):
    with time_machine.travel(at(day, "15:00"), tick=False):
        return contract_sign(
            contract_id=contract.pk,
            by=demo.users["officer"],
            signed_on=at(day).date(),
            document=signed_pdf(),
            **extra,
        )


@pytest.mark.parametrize("day", ["2027-01-04", "2027-01-05"])
def test_the_contract_is_signed_within_30_days_of_the_award_notice_across_new_year(demo, day):
    enter_2027(demo)
    _tender, decision = announced_award(demo, on="2026-12-02")
    contract = draft_contract(demo, decision, on="2026-12-03")
    # 30 days after 2 Dec is Friday 1 Jan 2027, a holiday; 2 and 3 Jan are rest days: Monday 4 Jan.
    assert contract.award_notice_on == dt.date(2026, 12, 2) and contract.sign_due_on == dt.date(2027, 1, 4)
    if day == "2027-01-04":
        contract = _sign(demo, contract, day)
        assert contract.status == ContractStatus.SIGNED and contract.late_reason == ""
        return
    with pytest.raises(PeriodPassed, match="2027-01-04"):
        _sign(demo, contract, day)
    contract = _sign(demo, contract, day, late_reason="中标人法定代表人出国，授权手续延误。")
    assert contract.status == ContractStatus.SIGNED and contract.late_reason


@pytest.mark.parametrize(("day", "late"), [("2027-01-05", False), ("2027-01-06", True)])
def test_the_contract_notice_within_2_working_days_of_signing_on_the_tender_page(demo, day, late):
    enter_2027(demo)
    tender, decision = announced_award(demo, on="2026-12-28")
    contract = draft_contract(demo, decision, on="2026-12-29")
    contract = _sign(demo, contract, "2026-12-31")
    assert contract.notice_due_on == dt.date(2027, 1, 5)  # 4 and 5 January, after the holiday
    with time_machine.travel(at(day, "18:00"), tick=False):
        contract = contract_notice_publish(contract_id=contract.pk, by=demo.users["officer"])
    notice = contract.notice
    assert contract.status == ContractStatus.PUBLISHED and notice.kind == AnnouncementKind.CONTRACT
    assert notice.payload["late"] is late and notice.payload["amount"] == "495000.00"
    assert notice.payload["supplier"]["credit_code"] == decision.supplier.organisation.credit_code
    entry = LedgerEntry.objects.get(index=notice.ledger_index)
    assert entry.kind == "tender/contract"
    assert entry.document["payload"]["sha256"] == b64u_encode(hashlib.sha256(jcs(notice.payload)).digest())
    page = Client().get(tender.get_absolute_url()).content.decode()
    assert contract.title in notice.title
    assert notice.payload_sha256 in page and contract.reference in page
    with pytest.raises(WrongRemedyState):
        contract_notice_publish(contract_id=contract.pk, by=demo.users["officer"])


@pytest.mark.parametrize(("day", "late"), [("2027-01-05", False), ("2027-01-06", True)])
def test_bid_securities_come_back_within_5_working_days_each_release_recorded(demo, day, late):
    enter_2027(demo)
    _tender, decision = announced_award(demo, on="2026-12-28")
    contract = draft_contract(demo, decision, on="2026-12-28")
    losers = list(BidSecurityRelease.objects.order_by("pk"))
    # Award notice Monday 28 Dec: 29, 30, 31 Dec, (1–3 Jan off), 4, 5 Jan.
    assert len(losers) == 2 and {r.reason for r in losers} == {SecurityReleaseReason.LOST}
    assert {r.due_on for r in losers} == {dt.date(2027, 1, 5)} and {r.amount for r in losers} == {
        Decimal("20000.00")
    }
    with time_machine.travel(at(day, "11:00"), tick=False):
        with pytest.raises(NotParty):
            bid_security_release(release_id=losers[0].pk, by=demo.users["supplier1"])
        release = bid_security_release(release_id=losers[0].pk, by=demo.users["officer"])
        with pytest.raises(WrongRemedyState):
            bid_security_release(release_id=losers[0].pk, by=demo.users["officer"])
    entry = LedgerEntry.objects.get(index=release.ledger_index)
    assert entry.kind == "awards/bid-security-released" and entry.document["payload"]["late"] is late
    _sign(demo, contract, "2027-01-06")
    winner = BidSecurityRelease.objects.get(reason=SecurityReleaseReason.WON)
    assert winner.supplier_id == decision.supplier_id and winner.due_on == dt.date(2027, 1, 13)


def test_performance_security_within_its_share_and_before_signing_then_acceptance(demo):
    _tender, decision = announced_award(demo, on="2026-12-02")
    with pytest.raises(RemedyError, match="10%"):
        draft_contract(demo, decision, on="2026-12-03", security="49500.01")  # 10% of 495,000 is 49,500
    contract = draft_contract(demo, decision, on="2026-12-03", security="49500.00")
    assert contract.performance_security_due_on == contract.sign_due_on
    with pytest.raises(WrongRemedyState, match="履约保证金"):
        _sign(demo, contract, "2026-12-08")
    with time_machine.travel(at("2026-12-08"), tick=False):
        performance_security_record(
            contract_id=contract.pk, by=demo.users["officer"], received_on=at("2026-12-07").date()
        )
    _sign(demo, contract, "2026-12-08")
    with time_machine.travel(at("2026-12-09"), tick=False):
        contract_notice_publish(contract_id=contract.pk, by=demo.users["officer"])
    with time_machine.travel(at("2027-04-02"), tick=False):
        contract = contract_acceptance_record(
            contract_id=contract.pk,
            by=demo.users["officer"],
            accepted_on=at("2027-04-01").date(),
            passed=True,
            report="60套交互式智慧黑板安装调试完毕，功能与参数符合合同约定，验收合格。",
        )
    assert contract.status == ContractStatus.ACCEPTED
    entry = LedgerEntry.objects.get(index=contract.acceptance_ledger_index)
    assert entry.document["payload"] | {"type": None} == {
        "type": None,
        "tender": contract.tender.reference,
        "contract": contract.reference,
        "accepted_on": "2027-04-01",
        "passed": True,
    }


def test_signing_reminders_five_days_before_and_once_overdue(demo):
    enter_2027(demo)
    _tender, decision = announced_award(demo, on="2026-12-02")
    contract = draft_contract(demo, decision, on="2026-12-03")
    assert contract.sign_due_on == dt.date(2027, 1, 4)
    mail.outbox.clear()
    assert contract_signing_reminders(today=dt.date(2026, 12, 29)) == {"reminded": 0, "overdue": 0}
    assert contract_signing_reminders(today=dt.date(2026, 12, 30)) == {"reminded": 1, "overdue": 0}
    assert contract_signing_reminders(today=dt.date(2027, 1, 4)) == {"reminded": 0, "overdue": 0}
    assert contract_signing_reminders(today=dt.date(2027, 1, 5)) == {"reminded": 0, "overdue": 1}
    assert contract_signing_reminders(today=dt.date(2027, 1, 6)) == {"reminded": 0, "overdue": 0}
    recipients = {address for message in mail.outbox for address in message.to}
    assert demo.users["officer"].email in recipients and demo.users["supervisor"].email in recipients
