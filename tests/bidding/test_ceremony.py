"""The opening ceremony through its services, with bids sealed by the SB1 client code and submitted
through the submission services, custodians answering as their tool does, Celery tasks run in
process (eager) and the channel layer in memory: phases, blame, the read-out, objections, the
record, and that nothing opens early."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import time_machine

from bidding.ceremony_constants import BidOpeningState, CeremonyPhase, ShareState
from bidding.models import BidChunk, BidOpening, CeremonyEvent, CeremonyRoom, ShareSubmission
from bidding.sb1 import p256
from bidding.sb1.sealing import manifest_bytes
from bidding.selectors.ceremony import RoomMember, events_visible
from bidding.services import ceremony as ceremony_services
from bidding.services import opening as opening_services
from bidding.storage import bid_storage
from config.exceptions import Conflict, NotAllowed
from ledger.encoding import b64u_decode, b64u_encode
from ledger.models import LedgerEntry
from tenders.constants import TenderStatus
from tests.bidding.ceremony_factory import ceremony_make, custodian_submits

pytestmark = pytest.mark.django_db(transaction=True)


def kinds(room, member=None):
    member = member or RoomMember("host", None)
    return [(e.kind, e.payload.get("phase")) for e in events_visible(room_id=room.pk, member=member)]


def advance(ceremony):
    """Advance the room; return it as it stands after the side effects that ran on commit."""
    room = ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
    room.refresh_from_db()
    return room


def test_fewer_than_three_bids_fail_the_procurement_at_the_seal(demo):
    ceremony = ceremony_make(demo, bids=2)
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=1), tick=False):
        room = advance(ceremony)
    assert room.phase == CeremonyPhase.FAILED
    ceremony.tender.refresh_from_db()
    assert ceremony.tender.status == TenderStatus.FAILED
    assert "Fewer than 3 bids" in ceremony.tender.cancel_reason
    phases = [p for k, p in kinds(room, RoomMember("observer", None)) if k == "phase"]
    assert phases == ["seal", "failed"]
    seal_event = room.events.get(kind="phase", payload__phase="seal")
    assert seal_event.payload["count"] == 2 and seal_event.payload["root"] == room.seal_root
    assert LedgerEntry.objects.filter(kind="yizhan/opening-failed").count() == 1
    with time_machine.travel(ceremony.deadline + dt.timedelta(minutes=5), tick=False):  # idempotent
        advance(ceremony)
    assert room.events.count() == 2


def test_nothing_opens_before_the_deadline(demo):
    ceremony = ceremony_make(demo, bids=3)
    custodian = ceremony.custodians[1]
    with time_machine.travel(ceremony.deadline - dt.timedelta(seconds=1), tick=False):
        room = advance(ceremony)
        assert room.phase == CeremonyPhase.LOBBY and not room.bid_openings.exists()
        with pytest.raises(Conflict) as early:
            opening_services.custodian_slots(tender_id=ceremony.tender.pk, user=custodian.user)
        assert early.value.code == "too_early"
        with pytest.raises(Conflict):
            opening_services.shares_submit(tender_id=ceremony.tender.pk, user=custodian.user, envelopes=[{}])
    assert not ShareSubmission.objects.exists()
    # After the deadline, shares arrive, but the decryption path stays shut while the window is open.
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=5), tick=False):
        custodian_submits(ceremony, 1)
        custodian_submits(ceremony, 2)
        room = advance(ceremony)
        assert room.phase == CeremonyPhase.SHARES  # custodian 3 may still answer until the window ends
        opening = room.bid_openings.first()
        with pytest.raises(Conflict) as shut:
            opening_services.bid_opening_run(opening_id=opening.pk)
        assert shut.value.code == "too_early"
    assert not BidOpening.objects.exclude(state=BidOpeningState.PENDING).exists()
    # The stored points are sealed under the key file, not readable from the database: the row keeps
    # the submission without its point (tests/bidding/test_ceremony_secrecy.py reads everything).
    row = ShareSubmission.objects.filter(state=ShareState.ACCEPTED).first()
    assert "point" not in row.envelope["submission"] and set(row.envelope) == {"submission", "signature"}
    assert len(bytes(row.sealed_point)) == 12 + 65 + 16  # nonce, AES-GCM over the point, tag


def test_a_full_ceremony_opens_every_bid_reads_out_and_publishes_the_signed_record(demo):
    ceremony = ceremony_make(
        demo,
        bids=3,
        prices=["480000.00", "990000.00", "495000.00"],
        attachments={0: {"技术方案.pdf": ("application/pdf", b"%PDF-1.4 " + b"x" * 1_500_000)}},
    )
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        room = advance(ceremony)
        assert room.phase == CeremonyPhase.SHARES
        for j in (1, 2, 3):
            results = custodian_submits(ceremony, j)
            assert {r["state"] for r in results} == {"accepted"}
        room.refresh_from_db()
    # Every custodian answered every slot: the window closed, the bids were opened, the read-out is out.
    assert room.phase == CeremonyPhase.CONFIRMATION
    openings = list(room.bid_openings.order_by("position"))
    assert [o.state for o in openings] == ["opened"] * 3
    readout = room.events.get(kind="readout").payload["rows"]
    # Stable order: time of receipt, then the supplier's credit code (all three arrived at one instant here).
    expected = sorted(ceremony.bidders, key=lambda b: b.supplier.organisation.credit_code)
    assert [r["supplier"] for r in readout] == [b.supplier.organisation.name for b in expected]
    above = next(r for r in readout if r["price"] == "990000.00")
    assert above["remarks"] and "maximum price" in above["remarks"][0]  # marked, not dropped
    assert [r["fields"] for r in readout] == [{"delivery_days": "0"}] * 3
    # The contents are at rest only sealed under the server key; the content key is kept, sealed.
    first = next(
        o for o in openings if o.supplier_id == ceremony.bidders[0].supplier.pk
    )  # it has the attachment
    assert first.sealed_content_key and first.sealed_form
    stored = bid_storage().open(f"opened/{ceremony.tender.pk}/{first.manifest_sha256}/1/0").read()
    assert b"%PDF-1.4" not in stored

    bidder0, bidder1 = ceremony.bidders[0], ceremony.bidders[1]
    with time_machine.travel(ceremony.deadline + dt.timedelta(minutes=5), tick=False):
        ceremony_services.readout_confirm(tender_id=ceremony.tender.pk, user=bidder0.user)
        objection = ceremony_services.objection_raise(
            tender_id=ceremony.tender.pk, user=bidder1.user, text="我公司报价应为九十八万元，请核实。"
        )
        with pytest.raises(NotAllowed):
            ceremony_services.objection_answer(objection_id=objection.pk, by=bidder0.user, answer="x")
        ceremony_services.objection_answer(
            objection_id=objection.pk,
            by=demo.users["officer"],
            answer="经核对投标文件，开标一览表报价为九十九万元，唱标无误。",
        )
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=1), tick=False):
        room = advance(ceremony)
    room.refresh_from_db()
    assert room.phase == CeremonyPhase.CLOSED
    assert room.record is not None
    decisions = {c.supplier_id: c.decision for c in room.confirmations.all()}
    assert decisions == {
        bidder0.supplier.pk: "confirmed",
        bidder1.supplier.pk: "objected",
        ceremony.bidders[2].supplier.pk: "deemed",
    }
    ceremony.tender.refresh_from_db()
    assert ceremony.tender.status == TenderStatus.EVALUATION
    # The record: signed by the platform, its hash in the ledger, and it lists the objection and answer.
    from reports.pdf import verify_pdf

    pdf = room.record.file.open("rb").read()
    check = verify_pdf(pdf)
    assert check.valid and check.sha256 == room.record.sha256
    entry = LedgerEntry.objects.get(index=room.record_ledger_index)
    assert entry.document["payload"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    context = opening_services.opening_record_context(room)
    assert [o.answer for o in context["objections"]] == [
        "经核对投标文件，开标一览表报价为九十九万元，唱标无误。"
    ]
    html = __import__("django.template.loader", fromlist=["x"]).render_to_string(
        "bidding/opening_record.html", {**context, "document": room.record, "verify_url": "", "qr": ""}
    )
    assert "我公司报价应为九十八万元" in html and "唱标无误" in html and room.seal_root in html
    # Observers see the phases and the read-out, never objections, confirmations or custodians' refusals.
    public = {e.kind for e in events_visible(room_id=room.pk, member=RoomMember("observer", None))}
    assert {"phase", "readout", "bid_processed", "share_progress", "record_published"} <= public
    assert not {"objection", "objection_answered", "confirmation", "share_refused", "slots_served"} & public


def tamper_proof(envelope, keys):
    submission = dict(envelope["submission"])
    proof = bytearray(b64u_decode(submission["proof"]))
    proof[-1] ^= 1
    submission["proof"] = b64u_encode(bytes(proof))
    from bidding.sb1.wire import canonical

    signature = p256.ecdsa_sign(keys.signing_key, "SB1/share", canonical(submission))
    return {"submission": submission, "signature": b64u_encode(signature)}


def test_a_custodian_with_a_bad_proof_is_named_and_refused_and_may_answer_again(demo):
    ceremony = ceremony_make(demo, bids=3)
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        advance(ceremony)
        results = custodian_submits(ceremony, 2, tamper=tamper_proof)
        assert {(r["state"], r["code"], r["owner"]) for r in results} == {("refused", "dleq", "custodian")}
        room = CeremonyRoom.objects.get(tender=ceremony.tender)
        refused = room.events.filter(kind="share_refused")
        assert refused.count() == 3
        assert {e.payload["custodian"] for e in refused} == {ceremony.custodians[2].user.full_name}
        assert all(e.payload["evidence"]["submission"]["index"] == 2 for e in refused)
        # Only that custodian (and the host) see it; another custodian, a bidder or an observer do not.
        assert "share_refused" in [k for k, _ in kinds(room, RoomMember("custodian", 1, custodian_index=2))]
        for member in (
            RoomMember("custodian", 1, custodian_index=1),
            RoomMember("observer", None),
            RoomMember("bidder", 1, supplier_id=ceremony.bidders[0].supplier.pk),
        ):
            assert "share_refused" not in [k for k, _ in kinds(room, member)]
        # Evidence for the ledger waits for the close (tests/bidding/test_ceremony_secrecy.py).
        assert LedgerEntry.objects.filter(kind="yizhan/share-refused").count() == 0
        assert not ShareSubmission.objects.filter(index=2, state=ShareState.ACCEPTED).exists()
        again = custodian_submits(ceremony, 2)
        assert {r["state"] for r in again} == {"accepted"}


def test_a_bidder_who_wrapped_a_bad_share_is_named_and_its_bid_opens_from_the_others(demo):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def bad_wrap_for_1(manifest, sealer):
        entry = next(c for c in sealer.wrapped if c.index == 1)
        manifest["custodians"][0]["wrapped"] = b64u_encode(
            AESGCM(entry.wrap_key).encrypt(bytes(12), bytes(32), b"")
        )

    def garbage_for_2_and_3(manifest, sealer):
        manifest["custodians"][1]["wrapped"] = b64u_encode(bytes(48))
        manifest["custodians"][2]["wrapped"] = b64u_encode(bytes(48))

    ceremony = _ceremony_with_changes(demo, {0: bad_wrap_for_1, 1: garbage_for_2_and_3})
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        advance(ceremony)
        for j in (1, 2, 3):
            custodian_submits(ceremony, j)
    room = CeremonyRoom.objects.get(tender=ceremony.tender)
    by_supplier = {o.supplier_id: o for o in room.bid_openings.all()}
    first = by_supplier[ceremony.bidders[0].supplier.pk]
    assert first.state == "opened" and first.share_states["1"] == "bad_commit"
    second = by_supplier[ceremony.bidders[1].supplier.pk]
    assert (second.state, second.reason, second.owner) == ("failed", "shares_missing", "bidder")
    assert by_supplier[ceremony.bidders[2].supplier.pk].state == "opened"
    # The evidence: each bid's signed manifest, then each blamed signed share, in the ledger.
    manifests = LedgerEntry.objects.filter(kind="SB1/manifest").count()
    shares = LedgerEntry.objects.filter(kind="SB1/share").count()
    assert (manifests, shares) == (2, 3)
    rows = room.events.get(kind="readout").payload["rows"]
    failed = next(r for r in rows if r["state"] == "failed")
    assert (
        failed["supplier"] == ceremony.bidders[1].supplier.organisation.name and "bidder" in failed["reason"]
    )


def _ceremony_with_changes(demo, changes):
    """Like ceremony_make, but bidders' manifests are changed (and re-signed) before submission."""
    from tests.bidding import ceremony_factory as factory
    from tests.bidding import submission_factory as submission

    original = submission.submit
    counter = {"i": 0}

    def submit_changed(tender, bidder, sealed, *, lot="1", raw=None):
        i = counter["i"]
        counter["i"] += 1
        if i in changes:
            changes[i](sealed.manifest, sealed.sealer)
            sealed.raw = manifest_bytes(sealed.manifest)
            sealed.signature = b64u_encode(p256.ecdsa_sign(bidder.key, "SB1/manifest", sealed.raw))
        return original(tender, bidder, sealed, lot=lot, raw=raw)

    factory.submit = submit_changed
    try:
        return factory.ceremony_make(demo, bids=3)
    finally:
        factory.submit = original


def test_a_tampered_chunk_fails_that_bid_as_the_platforms_fault_and_the_others_open(demo):
    ceremony = ceremony_make(demo, bids=3)
    victim = ceremony.bidders[1]
    chunk = BidChunk.objects.filter(upload__supplier=victim.supplier).first()
    path = Path(bid_storage().path(chunk.name))
    data = bytearray(path.read_bytes())
    data[10] ^= 1  # a byte changed on disk after the bid was accepted
    path.write_bytes(bytes(data))
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        advance(ceremony)
        for j in (1, 2):
            custodian_submits(ceremony, j)
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=2), tick=False):  # window ends, k reached
        room = advance(ceremony)
    states = {o.supplier_id: (o.state, o.reason, o.owner) for o in room.bid_openings.all()}
    assert states[victim.supplier.pk] == ("failed", "digest", "platform")
    assert sorted(s for s, _, _ in states.values()) == ["failed", "opened", "opened"]
    assert room.phase == CeremonyPhase.CONFIRMATION


def test_too_few_custodians_at_the_window_end_the_host_extends_and_the_opening_goes_on(demo):
    ceremony = ceremony_make(demo, bids=3)
    officer = demo.users["officer"]
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        advance(ceremony)
        custodian_submits(ceremony, 1)
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=1, seconds=1), tick=False):
        room = advance(ceremony)
        assert room.phase == CeremonyPhase.SHARES
        assert room.events.filter(kind="share_window_short").count() == 1
        with pytest.raises(Conflict):  # the window ended: shares are refused until it is extended
            custodian_submits(ceremony, 2)
        ceremony_services.share_window_extend(
            tender_id=ceremony.tender.pk, by=officer, minutes=30, reason="托管人2网络故障"
        )
        custodian_submits(ceremony, 2)
        room = advance(ceremony)
    assert room.phase == CeremonyPhase.SHARES  # custodian 3 may still come until the new end
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=1, minutes=31), tick=False):
        room = advance(ceremony)
    assert room.phase == CeremonyPhase.CONFIRMATION
    assert {o.state for o in room.bid_openings.all()} == {"opened"}
    assert LedgerEntry.objects.filter(kind="yizhan/share-window-extended").count() == 1


def test_bid_opening_twice_records_nothing_twice(demo):
    ceremony = ceremony_make(demo, bids=3)
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        advance(ceremony)
        for j in (1, 2, 3):
            custodian_submits(ceremony, j)
        room = CeremonyRoom.objects.get(tender=ceremony.tender)
        before = (room.events.count(), LedgerEntry.objects.count())
        for opening in room.bid_openings.all():
            opening_services.bid_opening_run(opening_id=opening.pk)  # a retried task
        assert (room.events.count(), LedgerEntry.objects.count()) == before


def test_events_resume_after_the_last_seen_number_without_loss_or_duplicates(demo):
    ceremony = ceremony_make(demo, bids=3)
    bidder = ceremony.bidders[0]
    with time_machine.travel(ceremony.deadline - dt.timedelta(minutes=5), tick=False):
        ceremony_services.check_in(tender_id=ceremony.tender.pk, user=bidder.user)
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        advance(ceremony)
        custodian_submits(ceremony, 1)
        room = CeremonyRoom.objects.get(tender=ceremony.tender)
        member = RoomMember("bidder", bidder.user.pk, supplier_id=bidder.supplier.pk)
        seen = [(e.stream, e.stream_sequence) for e in events_visible(room_id=room.pk, member=member)]
        cursor = dict(seen)  # the last number seen in each stream
        custodian_submits(ceremony, 2)
        custodian_submits(ceremony, 3)
        missed = [
            (e.stream, e.stream_sequence)
            for e in events_visible(room_id=room.pk, member=member, after=cursor)
        ]
    everything = [(e.stream, e.stream_sequence) for e in events_visible(room_id=room.pk, member=member)]
    assert seen + missed == everything and len(set(everything)) == len(everything)
    # The room's order is dense over all events (private ones included) and stays on the server;
    # each stream is dense on its own, which is all a member is shown.
    assert list(CeremonyEvent.objects.filter(room=room).values_list("sequence", flat=True)) == list(
        range(1, room.events.count() + 1)
    )
    for stream in set(CeremonyEvent.objects.filter(room=room).values_list("stream", flat=True)):
        numbers = list(
            room.events.filter(stream=stream).order_by("sequence").values_list("stream_sequence", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1)), stream
    # The bidder's own check-in is in its log, nobody else's (not even the host's).
    assert "check_in" in [e.kind for e in events_visible(room_id=room.pk, member=member)]
    assert "check_in" not in [e.kind for e in events_visible(room_id=room.pk, member=RoomMember("host", 1))]


def test_evaluation_experts_are_kept_out(demo):
    from bidding.selectors.ceremony import room_member

    ceremony = ceremony_make(demo, bids=3)
    with pytest.raises(NotAllowed):
        room_member(user=demo.users["expert1"], tender=ceremony.tender)
    assert room_member(user=demo.users["citizen1"], tender=ceremony.tender).role == "observer"
    assert room_member(user=demo.users["officer"], tender=ceremony.tender).role == "host"
