"""Flags: silent on clean bids; each collusion sign and the abnormally low price fires on a
constructed case and names its evidence."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.files.base import ContentFile

from bidding import at_rest
from bidding.models import BidVersion
from bidding.selectors.opened import bid_openings
from bidding.storage import bid_storage
from evaluation.constants import FlagKind
from evaluation.services.flags import flags_compute, flags_refresh
from tests.evaluation.factory import committee, opened_tender

pytestmark = pytest.mark.django_db(transaction=True)

PDF = "application/pdf"


def test_flags_stay_silent_on_clean_bids_and_fire_on_each_constructed_case(demo):
    ceremony = opened_tender(
        demo,
        prices=["480000.00", "510000.00", "497300.00"],
        attachments={
            0: {"技术方案.pdf": (PDF, b"%PDF-1.4 plan A")},
            1: {"技术方案.pdf": (PDF, b"%PDF-1.4 plan B")},
        },
    )
    tender = ceremony.tender
    s1, s2, s3 = (b.supplier for b in ceremony.bidders)
    contacts = {(s.contact_phone, s.contact_email) for s in (s1, s2, s3)}
    assert len(contacts) == 3, "the demo suppliers must have distinct contacts for the clean case"
    assert flags_compute(tender) == {kind: [] for kind in flags_compute(tender)}

    openings = {o.supplier_id: o for o in bid_openings(tender_id=tender.pk)}
    # Identical attachments: bidder 2's stored file made the same as bidder 1's.
    name = f"opened/{tender.pk}/{openings[s2.pk].manifest_sha256}/1/0"
    storage = bid_storage()
    storage.delete(name)
    storage.save(name, ContentFile(at_rest.contents_seal(b"%PDF-1.4 plan A", label=name)))
    # The same contact phone in the registry for bidders 2 and 3.
    s3.contact_phone = s2.contact_phone
    s3.save(update_fields=["contact_phone"])
    # Bidder 3's bid submitted by bidder 1's person.
    BidVersion.objects.filter(pk=openings[s3.pk].version_id).update(submitted_by=ceremony.bidders[0].user)
    # Prices in a regular pattern (step 15,000), none far below the others.
    for supplier, price in ((s1, "480000.00"), (s2, "495000.00"), (s3, "510000.00")):
        openings[supplier.pk].price = D(price)
        openings[supplier.pk].save(update_fields=["price"])

    found = flags_compute(tender)
    assert found[FlagKind.SAME_ATTACHMENT] == [
        {
            "suppliers": sorted([s1.pk, s2.pk]),
            "evidence": {
                "sha256": __import__("hashlib").sha256(b"%PDF-1.4 plan A").hexdigest(),
                "names": ["技术方案.pdf"],
            },
        }
    ]
    assert found[FlagKind.SAME_CONTACT] == [
        {
            "suppliers": sorted([s2.pk, s3.pk]),
            "evidence": {"value": s2.contact_phone, "found_in": ["supplier registry: contact_phone"]},
        }
    ]
    submitter = ceremony.bidders[0].user
    assert found[FlagKind.SAME_SIGNER] == [
        {
            "suppliers": sorted([s1.pk, s3.pk]),
            "evidence": {"submitted_by": submitter.full_name or submitter.username, "user": submitter.pk},
        }
    ]
    assert found[FlagKind.PRICE_PATTERN] == [
        {
            "suppliers": sorted([s1.pk, s2.pk, s3.pk]),
            "evidence": {"prices": ["480000.00", "495000.00", "510000.00"], "step": "15000.00"},
        }
    ]
    assert found[FlagKind.ABNORMALLY_LOW] == []

    # A price far below the others: kept as a flag with the justification deadline (24 hours).
    openings[s1.pk].price = D("360000.00")
    openings[s1.pk].save(update_fields=["price"])
    at = ceremony.deadline + dt.timedelta(hours=3)
    with time_machine.travel(at, tick=False):
        members = committee(demo, tender)
        flags = flags_refresh(tender_id=tender.pk, user=members[0].user)
    low = next(f for f in flags if f.kind == FlagKind.ABNORMALLY_LOW)
    # Others' mean (495,000 + 510,000) / 2 = 502,500; 20% below it is 402,000 > 360,000.
    assert low.suppliers == [s1.pk] and low.evidence["others_mean"] == "502500.00"
    assert low.justification_due == at + dt.timedelta(hours=24)
    assert FlagKind.PRICE_PATTERN not in {f.kind for f in flags}
