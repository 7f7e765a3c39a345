"""The workspace: shut before the signed opening record, then open to the committee (the supervisor
reads, never writes), every read audited; majority findings with a written dissent; nobody sees
another member's scores until all have submitted; computed price scores and the ranking; fewer than
3 bids passing fails the procurement."""

import datetime as dt
import hashlib
import io
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client

from bidding.selectors.opened import bid_openings
from config.exceptions import NotAllowed
from evaluation.exceptions import EvaluationError, ScoresHidden, WorkspaceClosed
from evaluation.models import BidRead, EvaluationSettings
from evaluation.results import evaluation_results, scores_for
from evaluation.selectors import workspace_access
from evaluation.services import (
    bid_form_read,
    dissent_record,
    evaluation_report_issue,
    finding_record,
    reviews_submit,
    score_record,
    scores_submit,
)
from evaluation.services.report import report_context
from ledger.models import LedgerEntry
from reports.pdf import verify_pdf
from tenders.constants import AnnouncementKind, TenderStatus
from tenders.models import NoticeDraft
from tests.conftest import choose_english
from tests.evaluation.factory import committee, opened_tender, record_issue

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_committee_reads_after_the_record_reviews_by_majority_and_scores_blind(demo):
    ceremony = opened_tender(demo, record=False, prices=["480000.00", "510000.00", "495000.00"])
    tender = ceremony.tender
    bids = {o.price: o for o in bid_openings(tender_id=tender.pk)}
    small_bid = bids[D("510000.00")]
    for price, size_class in (
        (D("480000.00"), "large"),
        (D("495000.00"), "medium"),
        (D("510000.00"), "small"),
    ):
        bids[price].supplier.size_class = size_class
        bids[price].supplier.save(update_fields=["size_class"])
    EvaluationSettings.objects.create(tender=tender, sme_deduction=D("10"))
    with time_machine.travel(ceremony.deadline + dt.timedelta(minutes=10), tick=False):
        members = committee(demo, tender)
        # Drawn and confirmed, but the opening record is not issued yet: nothing can be read.
        with pytest.raises(WorkspaceClosed):
            bid_form_read(tender_id=tender.pk, user=members[0].user, opening_id=small_bid.pk)
        # Nor through the page or the API.
        client = choose_english(Client())
        client.force_login(members[0].user)
        ref = tender.reference
        assert client.get(f"/evaluation/tenders/{ref}/workspace/").status_code == 403
        assert client.get(f"/evaluation/tenders/{ref}/bids/{small_bid.pk}/").status_code == 403
        api = client.get(f"/api/evaluation/tenders/{ref}/bids/{small_bid.pk}/form/")
        assert api.status_code == 403 and api.json()["code"] == "workspace_closed"
    assert not BidRead.objects.exists()
    record_issue(ceremony)
    assert tender.status == TenderStatus.EVALUATION

    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=2), tick=False):
        form = bid_form_read(
            tender_id=tender.pk, user=members[0].user, opening_id=small_bid.pk, address="10.0.0.7"
        )
        assert form["readout"]["price"] == "510000.00"
        read = BidRead.objects.get()
        assert (read.user_id, read.opening_id, read.what, read.address) == (
            members[0].user_id,
            small_bid.pk,
            "form",
            "10.0.0.7",
        )
        drawn = {m.user_id for m in members}
        outsider = next(
            demo.users[f"expert{i}"] for i in range(1, 8) if demo.users[f"expert{i}"].pk not in drawn
        )
        for user in (outsider, demo.users["officer"]):
            with pytest.raises(WorkspaceClosed):
                bid_form_read(tender_id=tender.pk, user=user, opening_id=small_bid.pk)
        supervisor = demo.users["supervisor"]
        bid_form_read(tender_id=tender.pk, user=supervisor, opening_id=small_bid.pk)
        assert BidRead.objects.filter(user=supervisor).count() == 1
        with pytest.raises(NotAllowed):
            finding_record(tender_id=tender.pk, user=supervisor, opening_id=small_bid.pk, compliant=True)

        # Findings: four pass every bid, one fails the small enterprise's and dissents in writing.
        for member in members:
            for opening in bids.values():
                dissenting = member == members[4] and opening == small_bid
                finding_record(
                    tender_id=tender.pk,
                    user=member.user,
                    opening_id=opening.pk,
                    compliant=not dissenting,
                    reason="资格证明文件不全" if dissenting else "",
                )
        dissent_record(
            tender_id=tender.pk,
            user=members[4].user,
            opening_id=small_bid.pk,
            text="营业执照复印件未加盖公章。",
        )
        for member in members:
            reviews_submit(tender_id=tender.pk, user=member.user)
        tender.refresh_from_db()
        assert tender.status == TenderStatus.EVALUATION  # three bids passed

        technical = tender.criteria.get(is_price=False)
        price = tender.criteria.get(is_price=True)
        with pytest.raises(Exception, match="computed"):
            score_record(
                tender_id=tender.pk,
                user=members[0].user,
                opening_id=small_bid.pk,
                criterion_id=price.pk,
                points=40,
            )
        points = {D("480000.00"): "50", D("510000.00"): "48", D("495000.00"): "52"}
        first = members[0]
        for opening in bids.values():
            score_record(
                tender_id=tender.pk,
                user=first.user,
                opening_id=opening.pk,
                criterion_id=technical.pk,
                points=points[opening.price],
            )
        scores_submit(tender_id=tender.pk, user=first.user)
        # Submitted, but others have not: each sees only their own; the supervisor sees none yet.
        assert {s.member_id for s in scores_for(workspace_access(tender=tender, user=first.user))} == {
            first.pk
        }
        assert scores_for(workspace_access(tender=tender, user=members[1].user)) == []
        with pytest.raises(ScoresHidden):
            scores_for(workspace_access(tender=tender, user=supervisor))
        # The same through the API and the page.
        own = choose_english(Client())
        own.force_login(first.user)
        listed = own.get(f"/api/evaluation/tenders/{tender.reference}/scores/").json()
        assert {row["member"] for row in listed} == {first.pk} and len(listed) == 3
        other = choose_english(Client())
        other.force_login(members[1].user)
        assert other.get(f"/api/evaluation/tenders/{tender.reference}/scores/").json() == []
        page = other.get(f"/evaluation/tenders/{tender.reference}/workspace/")
        assert page.status_code == 200 and "Every member's scores" not in page.content.decode()
        watcher = choose_english(Client())
        watcher.force_login(supervisor)
        assert watcher.get(f"/api/evaluation/tenders/{tender.reference}/scores/").status_code == 403
        for member in members[1:]:
            for opening in bids.values():
                score_record(
                    tender_id=tender.pk,
                    user=member.user,
                    opening_id=opening.pk,
                    criterion_id=technical.pk,
                    points=points[opening.price],
                )
            scores_submit(tender_id=tender.pk, user=member.user)
        assert len(scores_for(workspace_access(tender=tender, user=supervisor))) == 15
        page = watcher.get(f"/evaluation/tenders/{tender.reference}/workspace/").content.decode()
        assert "Every member's scores" in page and "89.09" in page
        progress = choose_english(Client())
        progress.force_login(demo.users["officer"])
        counts = progress.get(f"/api/evaluation/tenders/{tender.reference}/progress/").json()
        assert counts["scores_submitted"] == 5 and "scores" not in counts

    # Price weight 40. Evaluated: 480,000; 495,000; 510,000 × 90% = 459,000 (small) = benchmark.
    # Price scores: 459000/480000×40 = 38.25; 459000/495000×40 = 37.0909… → 37.09; 40.00.
    # Totals: 38.25+50 = 88.25; 37.09+52 = 89.09; 40.00+48 = 88.00.
    results = {r["price"]: r for r in evaluation_results(tender)}
    assert results[D("510000.00")]["evaluated_price"] == D("459000.00")
    assert [results[p]["price_score"] for p in (D("480000.00"), D("495000.00"), D("510000.00"))] == [
        D("38.25"),
        D("37.09"),
        D("40.00"),
    ]
    assert [r["total"] for r in evaluation_results(tender)] == [D("89.09"), D("88.25"), D("88.00")]
    assert [r["rank"] for r in evaluation_results(tender)] == [1, 2, 3]

    # The signed report: only a member issues it; its hash in the ledger; the tender awaits the award.
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=3), tick=False):
        with pytest.raises(EvaluationError):
            evaluation_report_issue(tender_id=tender.pk, user=supervisor)
        report = evaluation_report_issue(tender_id=tender.pk, user=members[0].user)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.AWAITING_AWARD
    pdf = report.document.file.open("rb").read()
    assert verify_pdf(pdf).valid
    entry = LedgerEntry.objects.get(index=report.ledger_index)
    assert entry.document["payload"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    html = render_to_string(
        "evaluation/report.html",
        {**report_context(tender), "document": report.document, "verify_url": "", "qr": ""},
    )
    assert "营业执照复印件未加盖公章。" in html  # the dissent
    assert all((m.user.full_name or m.user.username) in html for m in members)  # names published with it
    evaluation_entries = LedgerEntry.objects.filter(kind__startswith="yizhan/evaluation")
    assert evaluation_entries.count() == 3  # draw commit, draw reveal, report
    text = str([e.document for e in evaluation_entries])
    assert not any(m.user.username in text or m.user.full_name in text for m in members)
    call_command("ledger_verify", stdout=io.StringIO())


def test_fewer_than_three_bids_passing_fails_the_procurement_with_a_failure_notice(demo):
    # 990,000 is above the maximum price (980,000): it cannot pass, whatever the findings.
    ceremony = opened_tender(demo, prices=["480000.00", "990000.00", "495000.00"])
    tender = ceremony.tender
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=2), tick=False):
        members = committee(demo, tender)
        for member in members:
            for opening in bid_openings(tender_id=tender.pk):
                finding_record(tender_id=tender.pk, user=member.user, opening_id=opening.pk, compliant=True)
        for member in members[:4]:
            reviews_submit(tender_id=tender.pk, user=member.user)
        tender.refresh_from_db()
        assert tender.status == TenderStatus.EVALUATION  # not concluded until the last member submits
        reviews_submit(tender_id=tender.pk, user=members[4].user)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.FAILED
    assert "Only 2 bids passed" in tender.cancel_reason
    assert NoticeDraft.objects.filter(tender=tender, kind=AnnouncementKind.FAILURE).exists()
    results = evaluation_results(tender)
    above = next(r for r in results if r["price"] == D("990000.00"))
    assert above["above_max_price"] and not above["passed"] and above["rank"] is None
