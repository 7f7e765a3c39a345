"""yizhan-client custodian open: a key custodian opens its part of the sealed set (SEALED_BIDS.md
"Opening" 1) on its own machine, trusting the platform for nothing it can check itself.

  yizhan-client --server URL custodian open --tender T --key signing-key.json \\
                --certificate certificate.pem --opening-key opening-key-T.json \\
                [--confirmation FILE] [--deadline RFC3339]

It fetches the served slots and the signed seal statement, and before answering anything checks:
the statement's platform signature and its inclusion in the ledger under a platform-signed tree head;
that it is the tender's first seal in the ledger (every entry 0..seal is read and its root recomputed
against the platform-signed tree head of that size, refusing if an earlier entry is a seal statement
of the tender); the statement's form and root; that its deadline is the one in the custodian's latest
confirmation (kept locally by `custodian-confirm`, else the custodian's own confirmations in that
verified ledger prefix, signed by its signing key, the last one logged) and, if --deadline is given,
that one too; that this machine's clock is at or past it; then every slot (tree size, handle,
inclusion in the custodian's slot root). Only when everything holds does it compute Z_j = c_j·E_j
with a DLEQ proof for each slot, sign the submissions and send them. Answers are kept in a file
beside the key (`--answers`), so a resend repeats the same answers; an answer refused for a bad
proof is computed again."""

import argparse
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from bidding.client import bid, crypto
from ledger.encoding import b64u_encode, format_time, parse_time

SEAL_TYPE = "SB1/seal"
CONFIRMATION_TYPE = "SB1/custodian-confirmation"


def confirmation_path(args: argparse.Namespace) -> Path:
    """Where a custodian's latest confirmation of a tender is kept: --confirmation, else beside the
    opening key file, else in the current directory (custodian-confirm and open agree on this)."""
    if getattr(args, "confirmation", None):
        return Path(args.confirmation)
    if getattr(args, "opening_key", None):
        return Path(f"{args.opening_key}.confirmation.json")
    return Path(f"confirmation-{args.tender}.json")


def confirmation_keep(path: Path, envelope: dict[str, Any]) -> None:
    """Keep the signed confirmation (latest wins), replacing the file in one step."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(envelope, indent=1))
    os.replace(partial, path)


def _own_confirmation(envelope: Any, *, tender: str, signing_public_key: Any) -> dict[str, Any] | None:
    """The confirmation object if `envelope` is a confirmation of `tender` signed by this key."""
    from bidding.sb1.custodian import confirmation_check
    from bidding.sb1.errors import SB1Error

    try:
        confirmation = confirmation_check(envelope, signing_public_key=signing_public_key)
    except (SB1Error, KeyError, TypeError, ValueError):
        return None
    return confirmation if confirmation["tender"] == tender else None


def _is_seal_of(document: Any, tender: str) -> bool:
    """A seal statement of the tender, signed or not: the platform alone writes the ledger, so any
    such entry before the served seal makes that seal not the first."""
    payload = document.get("payload") if isinstance(document, dict) else None
    return isinstance(payload, dict) and payload.get("type") == SEAL_TYPE and payload.get("tender") == tender


def cmd_custodian_open(args: argparse.Namespace, api: Any) -> None:
    from bidding.client.cli import ClientError, _passphrase, _read_signing_key
    from bidding.sb1.custodian import share_submission_build
    from bidding.sb1.errors import SB1Error
    from bidding.sb1.seal import seal_statement_check, served_slot_check

    signing_key = _read_signing_key(Path(args.key))
    certificate = x509.load_pem_x509_certificate(Path(args.certificate).read_bytes())
    if crypto.point_of(certificate.public_key()) != crypto.point_of(signing_key):  # type: ignore[arg-type]
        raise ClientError("the certificate is not for this signing key")
    signer = b64u_encode(hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest())
    tender = args.tender
    kept_confirmation = confirmation_path(args)
    local = None
    if kept_confirmation.exists():
        local = _own_confirmation(
            json.loads(kept_confirmation.read_text()),
            tender=tender,
            signing_public_key=signing_key.public_key(),
        )
        if local is None:
            raise ClientError(
                f"{kept_confirmation} is not a confirmation of tender {tender} signed by your signing key"
            )
    opening_key = crypto.key_file_read(
        Path(args.opening_key).read_bytes(),
        kind=crypto.CUSTODIAN_KEY_TYPE,
        passphrase=_passphrase(f"Passphrase of {args.opening_key}: "),
        tender=tender,
    )
    served = api.get(f"/api/opening/{tender}/slots/")
    keys = bid.platform_keys(api)
    envelope = served["seal"]
    if not bid.platform_signature_ok(envelope, keys):
        raise ClientError("the seal statement is not signed by the platform")
    seal_index = served["seal_ledger_index"]
    inclusion = served["seal_inclusion"]
    if not bid.ledger_proof_ok(envelope, inclusion, keys) or inclusion["index"] != seal_index:
        raise ClientError("the seal statement is not in the ledger as served")
    seal = envelope["payload"]
    index = served["index"]
    try:
        seal_statement_check(seal, tender=tender, custodian_count=len(seal["slots"]))
    except SB1Error as error:
        raise ClientError(f"the seal statement does not hold ({error.code})") from None

    # The first seal: read the whole ledger up to the served seal, checked against a signed head.
    logged: list[dict[str, Any]] = []  # own confirmations of the tender, in ledger order

    def visit(position: int, document: Any) -> None:
        if position < seal_index and _is_seal_of(document, tender):
            raise ClientError(
                f"ledger entry {position} is an earlier seal statement of tender {tender}: the served "
                f"seal (entry {seal_index}) is not the tender's first; nothing was sent"
            )
        if position == seal_index and document != envelope:
            raise ClientError(f"ledger entry {seal_index} is not the served seal statement; nothing was sent")
        if isinstance(document, dict) and "confirmation" in document:
            mine = _own_confirmation(document, tender=tender, signing_public_key=signing_key.public_key())
            if mine is not None:
                logged.append(mine)

    try:
        prefix_head = bid.ledger_prefix_scan(api, size=seal_index + 1, keys=keys, visit=visit)
    except bid.BidClientError as error:
        raise ClientError(f"{error}; nothing was sent") from None
    if not bid.ledger_heads_consistent(api, prefix_head, inclusion["tree_head"], keys):
        raise ClientError("the ledger's signed tree heads are not of one log; nothing was sent")

    # The deadline: the custodian's latest confirmation, kept here or else logged in that prefix.
    if local is not None:
        confirmed, source = local, str(kept_confirmation)
    elif logged:
        confirmed, source = logged[-1], "your last confirmation in the ledger"
    else:
        raise ClientError(
            f"no confirmation of tender {tender} signed by your key: none kept in {kept_confirmation} and "
            "none in the ledger before the seal; nothing was sent"
        )
    if parse_time(seal["deadline"]) != parse_time(confirmed["deadline"]):
        raise ClientError(
            f"the seal's deadline {seal['deadline']} is not the deadline of your latest confirmation "
            f"{confirmed['deadline']} ({source}); nothing was sent"
        )
    if args.deadline and parse_time(seal["deadline"]) != parse_time(args.deadline):
        raise ClientError(
            f"the seal's deadline {seal['deadline']} is not the one you gave ({args.deadline}); nothing was sent"
        )
    if dt.datetime.now(dt.UTC) < parse_time(seal["deadline"]):
        raise ClientError("this machine's clock is before the deadline: nothing is answered before it")
    answers_path = Path(args.answers or f"{args.opening_key}.answers.json")
    kept: dict[str, Any] = json.loads(answers_path.read_text()) if answers_path.exists() else {}
    envelopes = []
    for slot_object in served["slots"]:
        try:
            slot = served_slot_check(slot_object, tender=tender, index=index, seal=seal)
        except SB1Error as error:
            raise ClientError(
                f"slot {slot_object.get('handle')} does not hold ({error.code}); nothing sent"
            ) from None
        handle = slot_object["handle"]
        if handle not in kept:
            kept[handle] = share_submission_build(
                slot=slot,
                opening_key=opening_key,
                signing_key=signing_key,
                signer=signer,
                created=format_time(dt.datetime.now(dt.UTC)),
            )
        envelopes.append(kept[handle])
    answers_path.write_text(json.dumps(kept, indent=1))
    results = api.post(f"/api/opening/{tender}/shares/", {"envelopes": envelopes})
    refused = [r for r in results if r["state"] != "accepted"]
    for r in refused:
        if r["code"] == "dleq":  # a refused proof is computed afresh next time
            kept.pop(r["handle"], None)
    answers_path.write_text(json.dumps(kept, indent=1))
    print(f"custodian {index}: {len(results) - len(refused)} of {len(results)} shares accepted")
    for r in refused:
        print(f"  refused {r['handle']}: {r['code']} ({r['owner']}'s fault)")
    if refused:
        raise ClientError(f"{len(refused)} shares were refused")


def add_parser(sub: Any) -> None:
    c = sub.add_parser("custodian", help="a key custodian's part of the opening")
    custodian_sub = c.add_subparsers(dest="custodian_command", required=True)
    o = custodian_sub.add_parser("open", help="answer your served slots of a tender's sealed set")
    o.add_argument("--tender", required=True)
    o.add_argument("--key", required=True, help="your signing key file")
    o.add_argument("--certificate", required=True, help="your custodian certificate (PEM)")
    o.add_argument("--opening-key", required=True, help="your opening key file for this tender")
    o.add_argument(
        "--confirmation",
        help="your latest confirmation as custodian-confirm kept it (default: beside the opening key "
        "file); without one, your own confirmations in the ledger are used",
    )
    o.add_argument(
        "--deadline",
        help="an extra check: this deadline (RFC 3339) must also equal the seal's",
    )
    o.add_argument("--answers", help="where your answers are kept (default: beside the opening key file)")
    o.set_defaults(handler=cmd_custodian_open)
