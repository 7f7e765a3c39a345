"""yizhan-client custodian open: a key custodian opens its part of the sealed set (SEALED_BIDS.md
"Opening" 1) on its own machine, trusting the platform for nothing it can check itself.

  yizhan-client --server URL custodian open --tender T --key signing-key.json \\
                --certificate certificate.pem --opening-key opening-key-T.json [--deadline RFC3339]

It fetches the served slots and the signed seal statement, checks the statement's platform signature
and its inclusion in the ledger under a platform-signed tree head, the statement's form and root,
that its deadline is the confirmed one (--deadline, from the custodian's own confirmation) and that
this machine's clock is past it, then every slot (tree size, handle, inclusion in the custodian's slot
root); only when everything holds does it compute Z_j = c_j·E_j with a DLEQ proof for each slot, sign
the submissions and send them. Answers are kept in a file beside the key (`--answers`), so a resend
repeats the same answers; an answer refused for a bad proof is computed again."""

import argparse
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from bidding.client import bid, crypto
from ledger.encoding import b64u_encode, format_time, parse_time


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
    opening_key = crypto.key_file_read(
        Path(args.opening_key).read_bytes(),
        kind=crypto.CUSTODIAN_KEY_TYPE,
        passphrase=_passphrase(f"Passphrase of {args.opening_key}: "),
        tender=args.tender,
    )
    served = api.get(f"/api/opening/{args.tender}/slots/")
    keys = bid.platform_keys(api)
    envelope = served["seal"]
    if not bid.platform_signature_ok(envelope, keys):
        raise ClientError("the seal statement is not signed by the platform")
    if (
        not bid.ledger_proof_ok(envelope, served["seal_inclusion"], keys)
        or served["seal_inclusion"]["index"] != served["seal_ledger_index"]
    ):
        raise ClientError("the seal statement is not in the ledger as served")
    seal = envelope["payload"]
    index = served["index"]
    try:
        seal_statement_check(seal, tender=args.tender, custodian_count=len(seal["slots"]))
    except SB1Error as error:
        raise ClientError(f"the seal statement does not hold ({error.code})") from None
    if args.deadline and parse_time(seal["deadline"]) != parse_time(args.deadline):
        raise ClientError(
            f"the seal's deadline {seal['deadline']} is not the one you confirmed ({args.deadline})"
        )
    if dt.datetime.now(dt.UTC) < parse_time(seal["deadline"]):
        raise ClientError("this machine's clock is before the deadline: nothing is answered before it")
    answers_path = Path(args.answers or f"{args.opening_key}.answers.json")
    kept: dict[str, Any] = json.loads(answers_path.read_text()) if answers_path.exists() else {}
    envelopes = []
    for slot_object in served["slots"]:
        try:
            slot = served_slot_check(slot_object, tender=args.tender, index=index, seal=seal)
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
    results = api.post(f"/api/opening/{args.tender}/shares/", {"envelopes": envelopes})
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
        "--deadline", help="the deadline in your latest confirmation (RFC 3339), checked against the seal"
    )
    o.add_argument("--answers", help="where your answers are kept (default: beside the opening key file)")
    o.set_defaults(handler=cmd_custodian_open)
