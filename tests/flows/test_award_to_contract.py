"""The whole way from publication to a published contract: a tender is published through approval,
three suppliers seal bids, the custodians open them at the ceremony, the committee evaluates and
reports, the buyer decides and announces the result; a losing bidder challenges the result, the
buyer answers in time (dismissed, to every bidder); the contract is recorded, the performance
security received, the contract signed and its notice published; bid securities come back; the
performance is accepted. Every ledger entry is then checked by `ledger_verify`, the awards'
entries each matched to the record it fixes, and none of them carries personal data."""

import hashlib
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from awards.exceptions_remedies import ContractBlocked
from awards.models import BidSecurityRelease
from awards.remedy_constants import ChallengeStatus, ChallengeSubject, ContractStatus
from awards.services.challenges import challenge_answer, challenge_file
from awards.services.contracts import (
    contract_acceptance_record,
    contract_notice_publish,
    contract_sign,
    performance_security_record,
)
from awards.services.securities import bid_security_release
from ledger.encoding import b64u_encode, jcs
from ledger.models import LedgerEntry
from tenders.constants import AnnouncementKind
from tenders.models import Announcement
from tests.awards.after_factory import announced_award, draft_contract, signed_pdf
from tests.awards.factory import at
from tests.ledger.privacy import privacy_scanner

pytestmark = pytest.mark.django_db(transaction=True)


def test_publication_to_published_contract_with_a_challenge_answered_on_the_way(demo):
    # Publication → sealed bids → ceremony → evaluation → decision → result (the award notice 2 Dec).
    tender, decision = announced_award(demo, on="2026-12-02")
    officer = demo.users["officer"]
    kinds_before = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"tender/tender_notice", "SB1/seal", "yizhan/opening-record", "tender/result"} <= kinds_before
    loser = "supplier1"  # 480,000, ranked second

    with time_machine.travel(at("2026-12-03", "09:30"), tick=False):
        contract = draft_contract(demo, decision, on="2026-12-03", security="24750.00")
        challenge = challenge_file(
            tender_id=tender.pk,
            by=demo.users[loser],
            subject=ChallengeSubject.RESULT,
            known_on=at("2026-12-02").date(),
            reasons="中标人报价明显低于其他投标人，请核查其是否影响履约。",
        )
    assert challenge.answer_due_on.isoformat() == "2026-12-14"  # 7 working days after Thursday 3 Dec
    with time_machine.travel(at("2026-12-07"), tick=False):
        performance_security_record(contract_id=contract.pk, by=officer, received_on=at("2026-12-07").date())
        with pytest.raises(ContractBlocked, match=challenge.reference):
            contract_sign(
                contract_id=contract.pk, by=officer, signed_on=at("2026-12-07").date(), document=signed_pdf()
            )
        challenge = challenge_answer(
            challenge_id=challenge.pk,
            by=officer,
            upheld=False,
            answer="经评审委员会复核，中标人已书面说明报价合理性并提供证明材料，质疑不成立。",
        )
    assert challenge.status == ChallengeStatus.DISMISSED

    with time_machine.travel(at("2026-12-08", "10:00"), tick=False):
        contract = contract_sign(
            contract_id=contract.pk, by=officer, signed_on=at("2026-12-08").date(), document=signed_pdf()
        )
        for release in BidSecurityRelease.objects.filter(released_on__isnull=True):
            bid_security_release(release_id=release.pk, by=officer)
    with time_machine.travel(at("2026-12-09", "10:00"), tick=False):
        contract = contract_notice_publish(contract_id=contract.pk, by=officer)
    with time_machine.travel(at("2026-12-14", "10:00"), tick=False):
        for release in BidSecurityRelease.objects.filter(released_on__isnull=True):
            bid_security_release(release_id=release.pk, by=officer)  # the winner's, after signing
    with time_machine.travel(at("2027-03-02"), tick=False):
        contract = contract_acceptance_record(
            contract_id=contract.pk,
            by=officer,
            accepted_on=at("2027-03-01").date(),
            passed=True,
            report="验收合格。",
        )
    assert contract.status == ContractStatus.ACCEPTED
    assert BidSecurityRelease.objects.filter(released_on__isnull=False).count() == 3

    # The public reads the contract notice on the tender's page.
    notice = Announcement.objects.get(tender=tender, kind=AnnouncementKind.CONTRACT)
    page = Client().get(tender.get_absolute_url()).content.decode()
    assert notice.payload_sha256 in page and contract.reference in page

    # Every entry verifies; each of the awards' entries fixes what its record holds.
    out = io.StringIO()
    call_command("ledger_verify", stdout=out)
    assert "ledger verified" in out.getvalue()
    new = list(LedgerEntry.objects.exclude(kind__in=kinds_before).order_by("index"))
    by_kind = {}
    for entry in new:
        by_kind.setdefault(entry.kind, []).append(entry)
    assert sorted(by_kind) == [
        "awards/acceptance",
        "awards/bid-security-released",
        "awards/challenge-answered",
        "awards/challenge-filed",
        "tender/contract",
    ]
    assert len(by_kind["awards/bid-security-released"]) == 3
    assert all(e.document["payload"]["late"] is False for e in by_kind["awards/bid-security-released"])
    filed = by_kind["awards/challenge-filed"][0].document["payload"]
    assert filed["challenge"] == challenge.reference and filed["answer_due_on"] == "2026-12-14"
    answered = by_kind["awards/challenge-answered"][0].document["payload"]
    assert (
        answered["sha256"] == b64u_encode(bytes.fromhex(challenge.answer_sha256))
        and answered["late"] is False
    )
    published = by_kind["tender/contract"][0].document["payload"]
    assert published["sha256"] == b64u_encode(hashlib.sha256(jcs(notice.payload)).digest())
    assert notice.payload["late"] is False and notice.payload["signed_on"] == "2026-12-08"
    assert by_kind["awards/acceptance"][0].document["payload"]["passed"] is True
    # Nothing personal in what this part appended (evaluation's own entries are its tests' concern).
    assert privacy_scanner().scan_entries(new) == []
