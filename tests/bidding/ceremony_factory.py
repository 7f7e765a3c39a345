"""A published tender with bids sealed by the SB1 client code and sent through the submission
services, and custodians who answer their served slots as the client does, for the ceremony tests."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import time_machine

from bidding.sb1.custodian import share_submission_build
from bidding.sb1.seal import served_slot_check
from config import clock
from ledger.encoding import format_time
from tests.bidding.submission_factory import DEADLINE, ISSUE, Bidder, published_tender, seal, submit
from tests.suppliers import factories as supplier_factories
from tests.suppliers.factories import custodian_certificate, enrol


def demo_bidder(demo, i: int) -> Bidder:
    """Demo supplier i (1..3, verified by the demo data) with a fresh bidder certificate."""
    user = demo.users[f"supplier{i}"]
    supplier = demo.orgs[f"supplier{i}"].supplier
    key, certificate = enrol(user, "bidder")
    return Bidder(user, supplier, key, certificate)


@dataclass
class CustodianKeys:
    index: int
    user: Any
    opening_key: Any
    signing_key: Any
    certificate: Any


@dataclass
class Ceremony:
    tender: Any
    custodians: dict[int, CustodianKeys]
    bidders: list = field(default_factory=list)
    sealed: list = field(default_factory=list)

    @property
    def deadline(self) -> dt.datetime:
        return self.tender.bid_deadline


def _published_keeping_signing_keys(demo, deadline, **tender_fields):
    """published_tender, keeping each custodian's signing key and certificate that confirmed the
    tender: a custodian's tool looks for its own confirmation in the ledger, signed by the key it opens
    with. (tests.suppliers.factories.opening_keys_ready makes them but returns only the opening keys.)"""
    confirming: dict[int, tuple[Any, Any]] = {}

    def recording(user):
        confirming[user.pk] = custodian_certificate(user)
        return confirming[user.pk]

    with mock.patch.object(supplier_factories, "custodian_certificate", recording):
        tender, opening = published_tender(demo, lots=0, deadline=deadline, **tender_fields)
    return tender, opening, confirming


def ceremony_make(
    demo,
    *,
    bids: int = 3,
    prices=None,
    attachments=None,
    seal_overrides=None,
    deadline=DEADLINE,
    **tender_fields,
) -> Ceremony:
    """At ISSUE: publish the tender (no lots, k=2 of 3, read-out: delivery_days; `tender_fields` such
    as `method="single_source"` go to `make_tender`); `bids` bidders seal and submit one bid each.
    The clock is left at ISSUE (the caller travels on)."""
    prices = prices or ["480000.00", "510000.00", "495000.00", "530000.00", "470000.00"]
    with time_machine.travel(ISSUE, tick=False):
        tender, opening, confirming = _published_keeping_signing_keys(demo, deadline, **tender_fields)
        custodians = {}
        for custodian in tender.custodians.select_related("user").order_by("index"):
            key, certificate = confirming[custodian.user.pk]
            custodians[custodian.index] = CustodianKeys(
                custodian.index, custodian.user, opening[custodian.index], key, certificate
            )
        ceremony = Ceremony(tender, custodians)
        for i in range(bids):
            bidder = demo_bidder(demo, i + 1)
            overrides = (seal_overrides or {}).get(i, {})
            sealed = seal(
                tender,
                bidder,
                lot=None,
                price=prices[i % len(prices)],
                attachments=(attachments or {}).get(i),
                **overrides,
            )
            submit(tender, bidder, sealed, lot=None)
            ceremony.bidders.append(bidder)
            ceremony.sealed.append(sealed)
    tender.refresh_from_db()
    return ceremony


def answers(ceremony: Ceremony, index: int, served: dict[str, Any], *, tamper=None) -> list[dict[str, Any]]:
    """Custodian `index` checks each served slot against the seal and answers it (Opening 1)."""
    keys = ceremony.custodians[index]
    seal_payload = served["seal"]["payload"]
    envelopes = []
    for slot_object in served["slots"]:
        slot = served_slot_check(
            slot_object, tender=ceremony.tender.reference, index=index, seal=seal_payload
        )
        envelope = share_submission_build(
            slot=slot,
            opening_key=keys.opening_key,
            signing_key=keys.signing_key,
            signer=keys.certificate.fingerprint,
            created=format_time(clock.now()),
        )
        if tamper is not None:
            envelope = tamper(envelope, keys)
        envelopes.append(envelope)
    return envelopes


def custodian_submits(ceremony: Ceremony, index: int, *, tamper=None) -> list[dict[str, Any]]:
    from bidding.services.opening import custodian_slots, shares_submit

    keys = ceremony.custodians[index]
    served = custodian_slots(tender_id=ceremony.tender.pk, user=keys.user)
    return shares_submit(
        tender_id=ceremony.tender.pk,
        user=keys.user,
        envelopes=answers(ceremony, index, served, tamper=tamper),
    )


__all__ = ["DEADLINE", "ISSUE", "Ceremony", "answers", "ceremony_make", "custodian_submits"]
