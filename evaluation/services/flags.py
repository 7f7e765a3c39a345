"""Flags the committee and the supervisor must see, computed from what the platform holds, each
naming its evidence: a price far below the others (MOF87 Art 60, with the justification deadline)
and signs of collusion (MOF87 Art 37): one person or certificate signing or submitting for several
bidders, identical attachments, the same contact details, prices in a regular pattern.

Not computed: "bids from the same network address or device" (the submission log keeps no network
address yet) and "securities paid from one account" (the platform holds no payment of securities)."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.models import User
from bidding.ceremony_constants import BidOpeningState
from bidding.models import BidOpening
from bidding.selectors.opened import bid_openings, opened_attachment_digests, opened_bid_form
from config import clock
from config.exceptions import NotFound
from evaluation import scoring
from evaluation.constants import FlagKind
from evaluation.models import Flag
from evaluation.results import above_max_price
from evaluation.selectors import settings_for, workspace_access
from suppliers.models import Certificate
from tenders.models import Tender

CONTACT_WORDS = ("contact", "phone", "mobile", "email", "tel")


def _shared(values: dict[int, list[str]]) -> dict[str, list[int]]:
    """{value: suppliers} for every non-empty value held by two or more different suppliers."""
    holders: dict[str, set[int]] = defaultdict(set)
    for supplier_id, items in values.items():
        for item in items:
            if item:
                holders[item].add(supplier_id)
    return {value: sorted(ids) for value, ids in holders.items() if len(ids) > 1}


def _signer_flags(openings: list[BidOpening]) -> list[dict[str, Any]]:
    fingerprints = {o.supplier_id: [o.version.signer] for o in openings}
    holders = dict(
        Certificate.objects.filter(fingerprint__in=[o.version.signer for o in openings]).values_list(
            "fingerprint", "holder_id"
        )
    )
    signer_people = {o.supplier_id: [str(holders.get(o.version.signer, ""))] for o in openings}
    submitters = {o.supplier_id: [str(o.version.submitted_by_id)] for o in openings}
    found = []
    for fingerprint, suppliers in _shared(fingerprints).items():
        found.append({"suppliers": suppliers, "evidence": {"certificate": fingerprint}})
    for people, label in ((signer_people, "signed_by"), (submitters, "submitted_by")):
        for user_id, suppliers in _shared(people).items():
            user = User.objects.get(pk=int(user_id))
            found.append(
                {
                    "suppliers": suppliers,
                    "evidence": {label: user.full_name or user.username, "user": user.pk},
                }
            )
    return found


def _attachment_flags(openings: list[BidOpening]) -> list[dict[str, Any]]:
    digests: dict[int, list[str]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for opening in openings:
        for _index, name, digest in opened_attachment_digests(opening):
            digests[opening.supplier_id].append(digest)
            names[digest].append(name)
    return [
        {"suppliers": suppliers, "evidence": {"sha256": digest, "names": sorted(set(names[digest]))}}
        for digest, suppliers in _shared(digests).items()
    ]


def _contact_flags(openings: list[BidOpening]) -> list[dict[str, Any]]:
    values: dict[int, list[str]] = defaultdict(list)
    where: dict[str, set[str]] = defaultdict(set)
    for opening in openings:
        for field, value in (opened_bid_form(opening).get("readout") or {}).items():
            if any(word in field for word in CONTACT_WORDS) and str(value).strip() not in ("", "0"):
                values[opening.supplier_id].append(str(value).strip())
                where[str(value).strip()].add(f"bid form: {field}")
        supplier = opening.supplier
        for field in ("contact_phone", "contact_email"):
            value = str(getattr(supplier, field) or "").strip().lower()
            if value:
                values[opening.supplier_id].append(value)
                where[value].add(f"supplier registry: {field}")
    return [
        {"suppliers": suppliers, "evidence": {"value": value, "found_in": sorted(where[value])}}
        for value, suppliers in _shared(values).items()
    ]


def _pattern_flags(openings: list[BidOpening]) -> list[dict[str, Any]]:
    """Three or more prices in an arithmetic or geometric progression."""
    priced = sorted((o.price, o.supplier_id) for o in openings if o.price is not None)
    if len(priced) < 3:
        return []
    prices = [p for p, _s in priced]
    steps = {b - a for a, b in zip(prices, prices[1:], strict=False)}
    ratios = {(b / a).quantize(Decimal("0.000001")) for a, b in zip(prices, prices[1:], strict=False) if a}
    if len(steps) == 1 and steps != {Decimal(0)}:
        evidence = {"prices": [str(p) for p in prices], "step": str(steps.pop())}
    elif len(ratios) == 1 and ratios != {Decimal(1)}:
        evidence = {"prices": [str(p) for p in prices], "ratio": str(ratios.pop())}
    else:
        return []
    return [{"suppliers": sorted(s for _p, s in priced), "evidence": evidence}]


def _low_price_flags(tender: Tender, openings: list[BidOpening]) -> list[dict[str, Any]]:
    settings = settings_for(tender)
    prices = {
        o.supplier_id: o.price for o in openings if o.price is not None and not above_max_price(tender, o)
    }
    return [
        {
            "suppliers": [supplier_id],
            "evidence": {
                "price": str(prices[supplier_id]),
                "others_mean": str(mean),
                "margin_percent": str(settings.low_price_margin),
            },
        }
        for supplier_id, mean in sorted(
            scoring.abnormally_low(prices, margin=settings.low_price_margin).items()
        )
    ]


def flags_compute(tender: Tender) -> dict[str, list[dict[str, Any]]]:
    """Every flag the data supports now, by kind (nothing written)."""
    openings = [o for o in bid_openings(tender_id=tender.pk) if o.state == BidOpeningState.OPENED]
    return {
        FlagKind.ABNORMALLY_LOW: _low_price_flags(tender, openings),
        FlagKind.SAME_SIGNER: _signer_flags(openings),
        FlagKind.SAME_ATTACHMENT: _attachment_flags(openings),
        FlagKind.SAME_CONTACT: _contact_flags(openings),
        FlagKind.PRICE_PATTERN: _pattern_flags(openings),
    }


@transaction.atomic
def flags_refresh(*, tender_id: int, user: User) -> list[Flag]:
    """Compute the flags and keep them: a flag already raised keeps its time and justification
    deadline; one no longer supported is removed.

    Before: `user` may open the workspace. After: the tender's flags are what the data supports; an
    abnormally low price has a justification deadline (now + the tender's hours)."""
    tender = Tender.objects.select_for_update().filter(pk=tender_id).first()
    if tender is None:
        raise NotFound()
    workspace_access(tender=tender, user=user)
    now = clock.now()
    keep = []
    hours = settings_for(tender).justification_hours
    for kind, found in flags_compute(tender).items():
        for item in found:
            flag = Flag.objects.filter(tender=tender, kind=kind, suppliers=item["suppliers"]).first()
            if flag is None:
                flag = Flag(tender=tender, kind=kind, suppliers=item["suppliers"], raised_at=now)
                if kind == FlagKind.ABNORMALLY_LOW:
                    flag.justification_due = now + timedelta(hours=hours)
            flag.evidence = item["evidence"]
            flag.save()
            keep.append(flag.pk)
    Flag.objects.filter(tender=tender).exclude(pk__in=keep).delete()
    return list(Flag.objects.filter(tender=tender))
