"""SB1's one error type: a stable `code`, a translated message, and (on the opening side) the
party a failure is blamed on (SEALED_BIDS.md property 5)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from config.exceptions import DomainError

BIDDER = "bidder"
CUSTODIAN = "custodian"
PLATFORM = "platform"

# code -> message. Codes are part of the API (clients and the ledger record keep them): never rename.
MESSAGES: dict[str, Any] = {
    "b64u": _("A value is not canonical unpadded base64url."),
    "json": _("The data is not valid JSON."),
    "not_canonical": _("The bytes are not the canonical JSON (RFC 8785) of what they contain."),
    "keys": _("An object does not have exactly the keys SB1 requires."),
    "type": _("A value has the wrong type."),
    "integer": _("An integer is out of range."),
    "time": _("A time is not RFC 3339 UTC with milliseconds."),
    "suite": _("The suite is not SB1."),
    "tender_id": _("The tender identifier is not valid."),
    "lot_id": _("The lot identifier is not valid."),
    "bid_id": _("The bid identifier is not a lowercase canonical version 4 UUID."),
    "supplier_id": _("The supplier identifier is not a valid unified social credit code."),
    "point": _("A point is not a valid P-256 point."),
    "scalar": _("A scalar is not below the order of P-256."),
    "length": _("A value does not have the required length."),
    "signature": _("The signature does not verify."),
    "pok": _("A proof of knowledge of an ephemeral key does not verify."),
    "dleq": _("The share's proof (DLEQ) does not verify."),
    "duplicate_ephemeral": _("Two ephemeral keys share an x-coordinate."),
    "custodians": _("The custodians do not match the tender's."),
    "threshold": _("The threshold does not match the tender's."),
    "files": _("The files of the manifest are not consistent."),
    "chunks": _("A chunk count or chunk length is wrong."),
    "digest": _("A file's ciphertext does not match its digest."),
    "mismatch": _("The data names another tender, lot, bid or supplier."),
    "readout": _("A read-out value is not valid."),
    "attachment": _("An attachment's description is not valid."),
    "padding": _("The bid form's padding is not valid."),
    "form": _("The bid form is not valid."),
    "key_file": _("The custodian key file cannot be used: wrong passphrase, tender or key."),
    "key_id": _("The key identifier does not match the key."),
    "handle": _("The handle does not match the slot's context and ephemeral key."),
    "slot": _("The handle is not a slot of this custodian in the seal statement."),
    "proof": _("An inclusion proof does not verify."),
    "seal": _("The seal statement is not valid for this custodian."),
    "unwrap": _("A share cannot be unwrapped with the custodian's point."),
    "commit": _("A share does not match its commitment."),
    "shamir": _("The shares are not consistent."),
    "key_commit": _("The reconstructed key does not match the key commitment."),
    "decrypt": _("A chunk does not decrypt."),
    "shares_missing": _("Too few good shares to open the bid."),
}


class SB1Error(DomainError):
    """A refusal or failure under protocol SB1. `owner` is bidder/custodian/platform when the
    opening side knows whom to blame, else None; `custodian` is the index when the owner is one."""

    status_code = 400
    code = "sb1"

    def __init__(
        self, code: str, message: Any = None, *, owner: str | None = None, custodian: int | None = None
    ) -> None:
        super().__init__(message if message is not None else MESSAGES[code], code=code)
        self.owner = owner
        self.custodian = custodian
