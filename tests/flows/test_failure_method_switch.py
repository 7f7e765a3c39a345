"""RULES.md "Opening": a 公开招标 fails with 2 bids; the buyer asks the finance department to switch
the re-run to 竞争性谈判; the finance department's approver approves (its own approval flow, in the
ledger); the re-run publishes on the buyer's approval and opens with 3 responses. Before: switching
was an ordinary edit of the re-run, published on the buyer's director's approval alone."""

import datetime as dt

import pytest
import time_machine

from approvals.exceptions import NotEntitled
from approvals.models import ApprovalInstance
from approvals.services import approval_approve
from bidding.ceremony_constants import CeremonyPhase
from bidding.services import ceremony as ceremony_services
from ledger.models import LedgerEntry
from procurement.constants import MethodApprovalStatus
from procurement.methods import procurement_methods_ensure
from procurement.thresholds import method_approval_request
from tenders import services
from tenders.constants import TenderStatus
from tenders.exceptions import RerunRefused
from tenders.models import NoticeDraft
from tests.bidding.ceremony_factory import ceremony_make, demo_bidder
from tests.bidding.submission_factory import _enrolment_on_postgresql, seal, submit
from tests.suppliers.factories import opening_keys_ready
from tests.tenders.factories import at, publish

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_tender_fails_switches_to_negotiation_with_finance_approval_and_opens(demo):
    ceremony = ceremony_make(demo, bids=2)
    failed = ceremony.tender
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=1), tick=False):
        room = ceremony_services.ceremony_advance(tender_id=failed.pk)
    room.refresh_from_db()
    failed.refresh_from_db()
    assert room.phase == CeremonyPhase.FAILED and failed.status == TenderStatus.FAILED

    negotiation = procurement_methods_ensure()["competitive_negotiation"]
    officer = demo.users["officer"]
    with time_machine.travel(at("2026-12-01", "14:00"), tick=False):
        approval = method_approval_request(
            by=demo.users["buyer"],
            buyer=failed.buyer,
            title=failed.title,
            method=negotiation,
            from_method=failed.method,
            budget=failed.budget,
            reason="公开招标因投标人不足3家流标，拟改为竞争性谈判。",
            rerun_of_reference=failed.reference,
        )
        # Not yet approved: the re-run cannot switch.
        with pytest.raises(RerunRefused):
            services.tender_rerun(tender_id=failed.pk, by=officer, method_approval=approval)
        instance = ApprovalInstance.objects.get(subject_type__model="methodapproval", subject_id=str(approval.pk))
        # The buyer's own approver is not the finance department.
        with pytest.raises(NotEntitled):
            approval_approve(instance_id=instance.pk, user=demo.users["director"])
        approval_approve(instance_id=instance.pk, user=demo.users["supervisor"])
    approval.refresh_from_db()
    assert approval.status == MethodApprovalStatus.APPROVED
    recorded = LedgerEntry.objects.get(kind="procurement/method-approval")
    assert recorded.document["payload"]["method"] == "competitive_negotiation"
    assert "supervisor" not in str(recorded.document) and "陈静" not in str(recorded.document)

    issue = at("2026-12-02", "09:00")  # Wednesday; 3 working days: 3, 4, 7 Dec
    deadline = at("2026-12-07", "10:00")
    with time_machine.travel(issue, tick=False):
        rerun = services.tender_rerun(tender_id=failed.pk, by=officer, method_approval=approval)
        assert rerun.method == negotiation and rerun.rerun_of == failed
        services.tender_update(
            tender_id=rerun.pk,
            by=officer,
            document_start=issue,
            document_end=at("2026-12-07", "09:00"),
            question_deadline=at("2026-12-04", "17:00"),
            bid_deadline=deadline,
        )
        rerun.refresh_from_db()
        with _enrolment_on_postgresql():
            opening_keys_ready(rerun)
        rerun = publish(demo, rerun)
        assert rerun.status == TenderStatus.PUBLISHED
        notice = rerun.announcements.get(kind="tender_notice")
        assert notice.payload["rerun_of"] == failed.reference
        assert notice.payload["method_approval"] == {
            "approval": approval.pk,
            "from_method": "open_tender",
            "method": "competitive_negotiation",
        }
        for i in range(3):
            bidder = demo_bidder(demo, i + 1)
            submit(rerun, bidder, seal(rerun, bidder, lot=None, price=f"49{i}000.00"), lot=None)
    with time_machine.travel(deadline + dt.timedelta(seconds=1), tick=False):
        room = ceremony_services.ceremony_advance(tender_id=rerun.pk)
    room.refresh_from_db()
    assert room.seal_count == 3 and room.phase == CeremonyPhase.SHARES
    # The failure notice, published now, names what was decided.
    draft = NoticeDraft.objects.get(tender=failed)
    published = services.failure_notice_publish(draft_id=draft.pk, by=officer, title=draft.title, body=draft.body)
    assert published.payload["decision"] == {
        "next_step": "rerun_switching_method",
        "rerun": rerun.reference,
        "method": "competitive_negotiation",
        "method_approval": approval.pk,
    }
