"""Reads about the custodians' opening keys: a custodian's assignments, what a tender still lacks
before publication, and what a custodian's confirmation must say."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bidding.models import CustodianConfirmation, OpeningKey
from config import clock
from ledger.encoding import format_time
from suppliers.selectors import custodian_certificate_valid
from tenders.exceptions import RuleViolation
from tenders.models import Custodian, Tender


def custodianships_of(*, user: Any) -> QuerySet[Custodian]:
    """The tenders a person is custodian of, newest first."""
    return Custodian.objects.filter(user=user).select_related("tender").order_by("-tender__id")


def custodianship_get(*, user: Any, reference: str) -> Custodian | None:
    return Custodian.objects.filter(user=user, tender__reference=reference).select_related("tender").first()


def opening_key_of(*, tender: Tender, index: int, user: Any) -> OpeningKey | None:
    return OpeningKey.objects.filter(tender=tender, index=index, custodian=user).first()


def opening_keys_current(tender: Tender) -> list[OpeningKey] | None:
    """The registered key of every current custodian, ascending by index; None while any is missing."""
    keys = {(k.index, k.custodian_id): k for k in OpeningKey.objects.filter(tender=tender)}
    result = []
    for custodian in tender.custodians.order_by("index"):
        key = keys.get((custodian.index, custodian.user_id))
        if key is None:
            return None
        result.append(key)
    return result


def confirmation_expected(tender: Tender, *, signer: str) -> dict[str, Any] | None:
    """The confirmation object the custodian with `signer` must sign for the tender as it stands
    (None while a key is missing or the deadline is not set)."""
    keys = opening_keys_current(tender)
    if keys is None or tender.bid_deadline is None:
        return None
    return {
        "type": "SB1/custodian-confirmation",
        "tender": tender.reference,
        "custodians": [{"index": k.index, "key_id": k.key_id} for k in keys],
        "threshold": tender.threshold_k,
        "deadline": format_time(tender.bid_deadline),
        "share_window_s": tender.share_window_s,
        "signer": signer,
    }


def confirmation_current(tender: Tender, custodian: Custodian) -> CustodianConfirmation | None:
    """The custodian's latest confirmation, if it still matches the tender as it stands."""
    latest = (
        CustodianConfirmation.objects.filter(
            tender=tender, index=custodian.index, custodian=custodian.user_id
        )
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    confirmation = latest.envelope["confirmation"]
    if confirmation != confirmation_expected(tender, signer=confirmation["signer"]):
        return None
    return latest


def publication_key_violations(tender: Tender) -> list[RuleViolation]:
    """What stops publication on the keys' side: each custodian must have a signing certificate,
    have registered its opening key and confirmed the tender's custodian list as it stands (SEALED_BIDS.md "Keys")."""
    violations: list[RuleViolation] = []
    custodians = list(tender.custodians.select_related("user").order_by("index"))
    registered = {(k.index, k.custodian_id) for k in OpeningKey.objects.filter(tender=tender)}
    for custodian in custodians:
        if (custodian.index, custodian.user_id) not in registered and custodian_certificate_valid(
            user=custodian.user, at=clock.now()
        ) is None:
            violations.append(
                RuleViolation(
                    rule="custodian_certificate_missing",
                    message=_(
                        "Custodian %(index)d (%(name)s) has no signing certificate yet, so cannot register "
                        "an opening key."
                    )
                    % {"index": custodian.index, "name": custodian.user},
                    field="custodians",
                )
            )
        elif (custodian.index, custodian.user_id) not in registered:
            violations.append(
                RuleViolation(
                    rule="custodian_key_missing",
                    message=_("Custodian %(index)d (%(name)s) has not registered an opening key.")
                    % {"index": custodian.index, "name": custodian.user},
                    field="custodians",
                )
            )
        elif confirmation_current(tender, custodian) is None:
            violations.append(
                RuleViolation(
                    rule="custodian_confirmation_missing",
                    message=_(
                        "Custodian %(index)d (%(name)s) has not confirmed the custodian list, threshold and "
                        "deadline as they stand."
                    )
                    % {"index": custodian.index, "name": custodian.user},
                    field="custodians",
                )
            )
    return violations


def sb1_notice(tender: Tender) -> dict[str, Any]:
    """The SB1 notice payload (SEALED_BIDS.md "Keys"), platform-signed into the ledger at publication."""
    keys = opening_keys_current(tender) or []
    return {
        "type": "SB1/notice",
        "suite": "SB1",
        "tender": tender.reference,
        "custodians": [{"index": k.index, "key": k.key, "key_id": k.key_id} for k in keys],
        "threshold": tender.threshold_k,
        "deadline": format_time(tender.bid_deadline) if tender.bid_deadline else None,
        "share_window_s": tender.share_window_s,
        "readout": list(tender.readout_fields),
    }
