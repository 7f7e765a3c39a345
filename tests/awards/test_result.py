"""The award of an open tender from the committee's report to the result: candidates published,
an objection answered, the first candidate chosen and approved, the result announced with every
field of MOF87 Art 69; the committee's names appear nowhere before it and never in the ledger;
each bidder sees its own notice and nobody else's scores (page and API)."""

import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from approvals.services import approval_approve
from awards.constants import AwardReason, AwardStatus, NoticeKind
from awards.exceptions import AwardError, AwardRefused
from awards.models import AwardDecision, BidderNotice
from awards.services import (
    award_decision_propose,
    award_decision_reopen,
    candidate_objection_answer,
    candidate_objection_raise,
    candidate_publicity_publish,
)
from ledger.models import LedgerEntry
from reports.pdf import verify_pdf
from tenders.constants import AnnouncementKind, TenderStatus
from tests.awards.factory import MAIN_ITEMS, announced, at, awaiting_award, bid_of, decided
from tests.conftest import choose_english
from tests.ledger.privacy import privacy_scanner, report

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user=None):
    client = choose_english(Client())
    if user is not None:
        client.force_login(user)
    return client


def _public_texts(demo, tender) -> str:
    """Everything the public and the bidders can read about the tender, and the whole ledger."""
    anonymous = _client()
    texts = [
        anonymous.get(f"/notices/{tender.reference}/").content.decode(),
        anonymous.get("/notices/feed/").content.decode(),
        anonymous.get("/awards/results/").content.decode(),
        anonymous.get("/api/awards/results/").content.decode(),
        anonymous.get(f"/api/tenders/notices/{tender.reference}/").content.decode(),
    ]
    for i in (1, 2, 3):
        bidder = _client(demo.users[f"supplier{i}"])
        texts.append(bidder.get(f"/awards/tenders/{tender.reference}/mine/").content.decode())
        texts.append(bidder.get(f"/api/awards/tenders/{tender.reference}/mine/").content.decode())
    texts.append(json.dumps([e.document for e in LedgerEntry.objects.all()], ensure_ascii=False))
    return "\n".join(texts)


def _names(members) -> list[str]:
    return [m.user.full_name for m in members]


def test_the_result_carries_every_art_69_field_and_the_committee_is_named_only_there(demo):
    ceremony, members = awaiting_award(demo)
    tender = ceremony.tender
    names = _names(members)
    report_entry = LedgerEntry.objects.filter(kind="yizhan/evaluation-report").get()
    assert privacy_scanner().scan_entries([report_entry]) == []  # nothing that leads to the private report
    assert all(names)
    assert not any(name in _public_texts(demo, tender) for name in names)

    officer = demo.users["officer"]
    with time_machine.travel(at("2026-12-02", "09:00"), tick=False):
        # Not before the publicity has run out.
        with pytest.raises(AwardRefused):
            award_decision_propose(tender_id=tender.pk, by=officer, opening_id=bid_of(tender, "495000.00").pk)
        publicity = candidate_publicity_publish(tender_id=tender.pk, by=officer)
        objection = candidate_objection_raise(
            tender_id=tender.pk, by=demo.users["supplier1"], text="报价计算有误。"
        )
    # The publicity names the candidates and their prices, never their scores.
    public = _client().get(f"/notices/{tender.reference}/").content.decode()
    assert "深圳南方智能系统有限公司" in public
    assert not any(total in public for total in ("90.79", "90.00", "81.65"))
    # 3 days from Wednesday 2 December end on Saturday 5 December: moved to Monday 7 December.
    assert publicity.ends_on.isoformat() == "2026-12-07"
    assert [c["supplier"] for c in publicity.candidates] == [
        "深圳南方智能系统有限公司",
        "上海华东信息技术有限公司",
        "北京中科办公设备有限公司",
    ]
    with time_machine.travel(at("2026-12-08", "09:00"), tick=False):
        with pytest.raises(AwardRefused, match="objection"):
            award_decision_propose(tender_id=tender.pk, by=officer, opening_id=bid_of(tender, "495000.00").pk)
        candidate_objection_answer(objection_id=objection.pk, by=officer, answer="经复核，报价计算无误。")
        # The second candidate needs a reason from the fixed list, with an explanation.
        with pytest.raises(AwardError, match="reasons the rules allow"):
            award_decision_propose(tender_id=tender.pk, by=officer, opening_id=bid_of(tender, "480000.00").pk)
        with pytest.raises(AwardError, match="Choose a candidate"):
            award_decision_propose(tender_id=tender.pk, by=officer, opening_id=999999)
        decision = decided(demo, tender)
    assert (decision.status, decision.rank, decision.amount) == (AwardStatus.DECIDED, 1, Decimal("495000.00"))
    assert not any(name in _public_texts(demo, tender) for name in names)

    with time_machine.travel(at("2026-12-09", "10:00"), tick=False):
        result = announced(demo, tender, decision)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.AWARDED
    payload = result.announcement.payload
    assert result.announcement.kind == AnnouncementKind.RESULT and not result.late
    # MOF87 Art 69: buyer, agency, project, winner with address and credit code, amount, main items,
    # the committee's names, the agency fee.
    assert payload["buyer"]["name"] == "上海市教育局"
    assert payload["agency"]["name"] == "上海市政府采购中心"
    assert payload["project"]["reference"] == tender.reference and payload["project"]["title"] == tender.title
    winner = demo.orgs["supplier3"].supplier
    assert payload["winner"] == {
        "name": "深圳南方智能系统有限公司",
        "address": winner.address,
        "credit_code": "91440300MA5DC3QW8J",
    }
    assert winner.address
    assert payload["amount"] == "495000.00"
    assert payload["main_items"][0]["name"] == MAIN_ITEMS[0]["name"]
    assert payload["main_items"][0]["unit_price"] == "7800.00"
    assert sorted(m["name"] for m in payload["committee"]) == sorted(names)
    assert payload["agency_fee"] == "6800.00"
    page = _client().get(f"/notices/{tender.reference}/").content.decode()
    for text in [
        "上海市教育局",
        "上海市政府采购中心",
        winner.address,
        "91440300MA5DC3QW8J",
        "495000.00",
        "交互式智慧黑板",
        "6800.00",
        *names,
    ]:
        assert text in page, text
    # The ledger holds the announcement's hash, never the names.
    entry = LedgerEntry.objects.get(index=result.announcement.ledger_index)
    assert entry.kind == "tender/result"
    ledger_text = json.dumps([e.document for e in LedgerEntry.objects.all()], ensure_ascii=False)
    assert not any(name in ledger_text for name in names)
    # Nor any other personal data in what the award wrote (docs/ledger.md). (Evaluation's report
    # entry carries its private document's token: evaluation's to fix, left out here.)
    award_entries = LedgerEntry.objects.filter(index__gt=report_entry.index).order_by("index")
    findings = privacy_scanner().scan_entries(award_entries)
    assert award_entries.filter(kind="tender/result").exists() and not findings, report(findings)
    # In the public results list, found by a Chinese phrase, and in the feed of results.
    found = _client().get("/awards/results/", {"q": "智慧教室"}).content.decode()
    assert result.announcement.title in found and "深圳南方智能系统有限公司" in found
    assert result.announcement.title in _client().get("/notices/feed/?kind=result").content.decode()
    call_command("ledger_verify", stdout=io.StringIO())

    # The winner's signed award notice; the others' result notices.
    notices = {n.supplier.organisation.credit_code: n for n in BidderNotice.objects.filter(decision=decision)}
    award = notices["91440300MA5DC3QW8J"]
    assert award.kind == NoticeKind.AWARD and verify_pdf(award.document.file.open("rb").read()).valid
    winner_client = _client(demo.users["supplier3"])
    assert winner_client.get(f"/documents/verify/{award.document.token}/download/").status_code == 200
    assert _client(demo.users["supplier1"]).get(
        f"/documents/verify/{award.document.token}/download/"
    ).status_code in (403, 404)
    second = notices["91310000MA1FL1AB15"]
    assert (second.kind, second.rank, second.scores["total"]) == (NoticeKind.RESULT, 2, "90.00")
    assert second.reason == "贵方投标在3家中排名第2；中标（成交）的为排名第1的候选人。"
    assert second.document is None


def test_a_losing_bidder_sees_only_its_own_scores(demo):
    ceremony, _members = awaiting_award(demo, method="competitive_consultation")
    tender = ceremony.tender
    officer = _client(demo.users["officer"])
    url = f"/awards/tenders/{tender.reference}/"
    with time_machine.travel(at("2026-12-02", "09:00"), tick=False):
        assert tender.title in officer.get("/awards/").content.decode()
        # Through the officers' page: the second candidate without a reason is refused, nothing changes.
        second = bid_of(tender, "480000.00")
        refused = officer.post(url + "decision/", {"opening": second.pk, "reason": "first"}, follow=True)
        assert "reasons the rules allow" in refused.content.decode()
        assert not AwardDecision.objects.filter(tender=tender).exists()
        officer.post(url + "decision/", {"opening": bid_of(tender, "495000.00").pk, "reason": "first"})
        decision = AwardDecision.objects.get(tender=tender)
        assert decision.status == AwardStatus.IN_APPROVAL
        approval_approve(instance_id=decision.approval_id, user=demo.users["director"])
        form = {
            "item0_name": "交互式智慧黑板",
            "item0_specification": "86英寸",
            "item0_quantity": "60套",
            "item0_unit_price": "7800",
            "agency_fee": "6800",
        }
        missing_fee = officer.post(url + "announce/", {**form, "agency_fee": ""}, follow=True)
        assert "agency fee" in missing_fee.content.decode()
        officer.post(url + "announce/", form)
    decision.refresh_from_db()
    assert decision.status == AwardStatus.ANNOUNCED
    loser = _client(demo.users["supplier2"])
    page = loser.get(f"/awards/tenders/{tender.reference}/mine/").content.decode()
    api = loser.get(f"/api/awards/tenders/{tender.reference}/mine/").json()
    # Its own: rank 3, total 81.65, technical points 44.00.
    assert "81.65" in page and "44.00" in page
    assert [(n["rank"], n["scores"]["total"]) for n in api["notices"]] == [(3, "81.65")]
    assert api["notices"][0]["reason"] == "贵方投标在3家中排名第3；中标（成交）的为排名第1的候选人。"
    assert api["notices"][0]["reason"] in page and api["notices"][0]["award_notice_pdf"] is None
    # Never the others' totals or points (90.79, 90.00; 52.00, 50.00).
    for other in ("90.79", "90.00", "52.00", "50.00"):
        assert other not in page and other not in json.dumps(api), other
    # Nor the officers' view of the ranking, by page or API.
    assert loser.get(f"/api/awards/tenders/{tender.reference}/").status_code == 403
    officers_page = loser.get(f"/awards/tenders/{tender.reference}/")
    assert officers_page.status_code == 302 and officers_page["Location"].endswith("/mine/")
    # Someone who did not bid sees nothing.
    outsider = _client(demo.users["expert7"])
    assert outsider.get(f"/api/awards/tenders/{tender.reference}/mine/").status_code == 403


def test_an_upheld_challenge_reopens_the_decision_and_the_next_needs_a_reason(demo):
    ceremony, _members = awaiting_award(demo, method="competitive_consultation")
    tender = ceremony.tender
    officer = demo.users["officer"]
    with time_machine.travel(at("2026-12-02", "09:00"), tick=False):
        first = decided(demo, tender)
        announced(demo, tender, first)
    with time_machine.travel(at("2026-12-07", "09:00"), tick=False):
        reopened = award_decision_reopen(
            decision_id=first.pk, reason="质疑成立：业绩证明不实。", ref="challenge:7"
        )
    tender.refresh_from_db()
    assert tender.status == TenderStatus.AWAITING_AWARD
    assert (reopened.status, reopened.reopened_by_ref, reopened.reopen_reason) == (
        AwardStatus.REOPENED,
        "challenge:7",
        "质疑成立：业绩证明不实。",
    )
    with time_machine.travel(at("2026-12-07", "10:00"), tick=False):
        with pytest.raises(AwardError):
            award_decision_propose(tender_id=tender.pk, by=officer, opening_id=bid_of(tender, "480000.00").pk)
        second = decided(
            demo,
            tender,
            price="480000.00",
            reason=AwardReason.CHALLENGE_UPHELD,
            reason_detail="第一候选人经质疑查实业绩证明不实。",
        )
        result = announced(demo, tender, second)
    assert second.rank == 2
    assert result.announcement.payload["reason"] == AwardReason.CHALLENGE_UPHELD
    assert "第一候选人经质疑查实业绩证明不实。" in result.announcement.body
    # The next decision is due 5 working days from the day the first was sent back.
    api = _client(officer).get(f"/api/awards/tenders/{tender.reference}/").json()
    assert next(d for d in api["deadlines"] if d["key"] == "decision")["due_on"] == "2026-12-14"
