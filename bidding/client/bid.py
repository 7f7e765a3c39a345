"""yizhan-client bid …: seal a bid on this machine, submit it resumably, see its status, withdraw
it, and verify a receipt. The client trusts nothing the server says that it can check itself: the
SB1 notice and receipts by the platform's published Ed25519 keys, proofs by recomputing them.

  bid seal --tender T [--lot L] --key signing-key.json --certificate cert.pem \\
           --readout price=1234.00 --readout delivery_days=30 [--attach FILE …] [--replace] --out DIR
  bid submit --dir DIR          (run it again after any interruption: it resumes)
  bid status --tender T
  bid withdraw --tender T [--lot L] --key signing-key.json --certificate cert.pem
  bid verify-receipt FILE

A sealed bid directory holds bid.json (what to upload), manifest.bin (its exact bytes),
manifest.sig (b64u), chunks/F/I (ciphertext) and, once accepted, receipt.json."""

import argparse
import datetime as dt
import hashlib
import json
import mimetypes
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bidding.client import crypto
from ledger.encoding import b64u_decode, b64u_encode, format_time, jcs

CHUNK_HEADER = "X-Chunk-SHA256"


class BidClientError(Exception):
    """A refusal or failed check to report to the person."""


# ---------------------------------------------------------------- checks the client does itself


def platform_keys(api) -> dict[str, Ed25519PublicKey]:
    keys = api.get("/api/ledger/keys/")["keys"]
    return {k["key_id"]: Ed25519PublicKey.from_public_bytes(b64u_decode(k["public_key"])) for k in keys}


def platform_signature_ok(envelope: Any, keys: dict[str, Ed25519PublicKey]) -> bool:
    """{"payload","key_id","signature"}: Ed25519 over "SB1/platform" ‖ 0x00 ‖ JCS(payload)."""
    if not isinstance(envelope, dict) or set(envelope) != {"payload", "key_id", "signature"}:
        return False
    key = keys.get(envelope["key_id"])
    if key is None:
        return False
    try:
        key.verify(b64u_decode(envelope["signature"]), b"SB1/platform\x00" + jcs(envelope["payload"]))
    except (InvalidSignature, ValueError):
        return False
    return True


def _merkle_verify(leaf_input: bytes, index: int, size: int, path: list[str], root: bytes) -> bool:
    from ledger.merkle import verify_inclusion

    return verify_inclusion(leaf_input, index, size, [b64u_decode(p) for p in path], root)


def ledger_proof_ok(
    document: dict[str, Any], proof: dict[str, Any], keys: dict[str, Ed25519PublicKey]
) -> bool:
    """The document is entry `proof.index` of a ledger whose signed tree head the platform signed."""
    head = proof["tree_head"]
    if not platform_signature_ok(head, keys) or head["payload"]["size"] != proof["tree_size"]:
        return False
    return _merkle_verify(
        jcs(document), proof["index"], proof["tree_size"], proof["path"], b64u_decode(head["payload"]["root"])
    )


LEDGER_RANGE = 1000  # entries a request (the API's cap)


def signed_tree_head_ok(head: Any, keys: dict[str, Ed25519PublicKey], *, size: int) -> bool:
    """A platform-signed `ledger/tree-head` payload for exactly `size` entries."""
    return (
        platform_signature_ok(head, keys)
        and head["payload"].get("type") == "ledger/tree-head"
        and head["payload"].get("size") == size
    )


def ledger_prefix_scan(
    api, *, size: int, keys: dict[str, Ed25519PublicKey], visit: Callable[[int, Any], None]
) -> dict[str, Any]:
    """Read ledger entries 0..size−1 from the public API, LEDGER_RANGE at a time, hand each entry's
    document (parsed from its exact leaf input, which must be canonical JSON) to `visit(index,
    document)`, and recompute MTH(D[size]) as they stream past (ledger.merkle.MerkleFrontier: O(log n)
    memory, O(n) hashing and transfer). Nothing the server says about the entries is believed: the
    recomputed root must equal the root of the platform-signed tree head of that size, which is
    returned. `visit` may raise to refuse; BidClientError if the entries do not give the signed root."""
    from ledger.merkle import MerkleFrontier

    frontier = MerkleFrontier()
    while frontier.size < size:
        end = min(frontier.size + LEDGER_RANGE, size)
        entries = api.get(f"/api/ledger/entries/range/?start={frontier.size}&end={end}").get("entries")
        if not isinstance(entries, list) or not entries:
            raise BidClientError(f"the ledger served no entries from {frontier.size}")
        for entry in entries:
            index = frontier.size
            if not isinstance(entry, dict) or entry.get("index") != index or index >= end:
                raise BidClientError(f"the ledger served entries out of order at {index}")
            try:
                leaf_input = b64u_decode(entry["leaf_input"])
                document = json.loads(leaf_input)
            except (KeyError, TypeError, ValueError):
                document = None
            if document is None or jcs(document) != leaf_input:
                # The ledger logs JCS(document): anything else could read differently to other parsers.
                raise BidClientError(f"ledger entry {index} is not canonical JSON")
            frontier.append(leaf_input)
            visit(index, document)
    head = api.get(f"/api/ledger/tree-head/?size={size}")
    if not signed_tree_head_ok(head, keys, size=size):
        raise BidClientError(f"the ledger's tree head of size {size} is not signed by the platform")
    if b64u_decode(head["payload"]["root"]) != frontier.root():
        raise BidClientError(
            f"the ledger entries 0..{size - 1} do not give the platform-signed root of that size: "
            "the ledger was changed"
        )
    return head


def ledger_heads_consistent(
    api, old: dict[str, Any], new: dict[str, Any], keys: dict[str, Ed25519PublicKey]
) -> bool:
    """Two platform-signed tree heads are of one append-only log (RFC 9162 consistency proof)."""
    from ledger.merkle import verify_consistency

    size1, size2 = old["payload"]["size"], new["payload"]["size"]
    if not signed_tree_head_ok(old, keys, size=size1) or not signed_tree_head_ok(new, keys, size=size2):
        return False
    if size1 > size2:
        old, new, size1, size2 = new, old, size2, size1
    proof = api.get(f"/api/ledger/proofs/consistency/?size1={size1}&size2={size2}")["proof"]
    return verify_consistency(
        size1,
        size2,
        b64u_decode(old["payload"]["root"]),
        b64u_decode(new["payload"]["root"]),
        [b64u_decode(p) for p in proof],
    )


def tender_for_sealing(api, tender: str) -> dict[str, Any]:
    """The tender's SB1 parameters, from the platform-signed notice as logged (checked here)."""
    info = api.get(f"/api/bidding/tenders/{tender}/")
    keys = platform_keys(api)
    notice = info["notice"]
    if (
        not platform_signature_ok(notice, keys)
        or notice["payload"]["type"] != "SB1/notice"
        or notice["payload"]["tender"] != tender
    ):
        raise BidClientError("the tender's SB1 notice does not carry a valid platform signature")
    for custodian in notice["payload"]["custodians"]:
        if b64u_encode(hashlib.sha256(b64u_decode(custodian["key"])).digest()) != custodian["key_id"]:
            raise BidClientError(f"custodian {custodian['index']}'s key does not match its key id")
    return info


# ---------------------------------------------------------------- seal


def readout_problems(info: dict[str, Any], readout: dict[str, str]) -> list[str]:
    """What is wrong with the values given for the tender's read-out items, each named by its
    label and judged by its type's pattern (as the bid page does); [] when every value is right."""
    problems = []
    for item in info.get("readout_items") or []:
        if item["name"] == "currency":
            continue
        value = readout.get(item["name"])
        name = item.get("label_en") or item["label"]
        unit = item.get("unit_en") or item.get("unit") or ""
        if value is None:
            problems.append(f"give --readout {item['name']}=… ({name}{', ' + unit if unit else ''})")
            continue
        valid = re.fullmatch(item["pattern"].strip("^$"), value) is not None
        if valid and item["type"] == "choice":
            valid = int(value) <= len(item["choices"])
        if not valid:
            expected = {
                "amount": "an amount with two decimals and no separators, e.g. 1284500.00",
                "integer": "a whole number, e.g. 12",
                "days": "a whole number of days, e.g. 30",
                "choice": "the number of an option: "
                + ", ".join(f"{i}={c}" for i, c in enumerate(item["choices"], 1)),
            }.get(item["type"], "letters and digits, at most 32")
            problems.append(f"{item['name']} ({name}) must be {expected}, not {value!r}")
    unknown = sorted(set(readout) - {i["name"] for i in info.get("readout_items") or []} - {"_supplier"})
    if info.get("readout_items") and unknown:
        problems.append(f"the tender reads out no item called {', '.join(unknown)}")
    return problems


def bid_seal(
    *,
    info: dict[str, Any],
    lot: str | None,
    readout: dict[str, str],
    attachments: list[Path],
    signing_key,
    signer: str,
    replaces: str | None,
    out: Path,
) -> dict[str, Any]:
    """Seal on this machine, chunk by chunk to files (memory stays at about one chunk)."""
    from bidding.sb1.sealing import Attachment, BidSealer, CustodianKey, manifest_bytes

    notice = info["notice"]["payload"]
    specs = [
        Attachment(
            i,
            path.name,
            (mimetypes.guess_type(path.name)[0] or "application/octet-stream").lower(),
            path.stat().st_size,
        )
        for i, path in enumerate(attachments, 1)
    ]
    sealer = BidSealer(
        tender=notice["tender"],
        lot=lot,
        bid=str(uuid.uuid4()),
        supplier=readout.pop("_supplier"),
        readout=readout,
        readout_fields=notice["readout"],
        attachments=specs,
        custodians=[
            CustodianKey(c["index"], b64u_decode(c["key"]), c["key_id"]) for c in notice["custodians"]
        ],
        threshold=notice["threshold"],
    )
    out.mkdir(parents=True, exist_ok=False)
    for f in range(len(specs) + 1):
        (out / "chunks" / str(f)).mkdir(parents=True)
        source = None if f == 0 else attachments[f - 1].open("rb")
        try:
            for i, chunk in enumerate(sealer.seal_file(f, source)):
                (out / "chunks" / str(f) / str(i)).write_bytes(chunk)
        finally:
            if source is not None:
                source.close()
    manifest = sealer.manifest(
        replaces=b64u_decode(replaces) if replaces else None,
        signer=signer,
        created=format_time(dt.datetime.now(dt.UTC)),
    )
    raw = manifest_bytes(manifest)
    (out / "manifest.bin").write_bytes(raw)
    (out / "manifest.sig").write_text(crypto.sign(signing_key, "SB1/manifest", raw))
    state = {
        "tender": notice["tender"],
        "lot": lot,
        "bid": sealer.bid,
        "file_sizes": [sealer.file_size(f) for f in range(len(specs) + 1)],
        "manifest_sha256": b64u_encode(hashlib.sha256(raw).digest()),
    }
    (out / "bid.json").write_text(json.dumps(state, indent=2))
    return state


# ---------------------------------------------------------------- submit (resumable)


def _chunk_path(directory: Path, f: int, i: int) -> Path:
    return directory / "chunks" / str(f) / str(i)


def bid_submit(api, directory: Path, *, progress=print) -> dict[str, Any]:
    """Open (or reopen) the upload, ask which chunks the server already holds, send the others, then
    finalize. Safe to repeat at any point: every step is idempotent on the server."""
    state = json.loads((directory / "bid.json").read_text())
    receipt_file = directory / "receipt.json"
    opened = api.post(
        "/api/bidding/uploads/",
        {
            "tender": state["tender"],
            "lot": state["lot"],
            "bid": state["bid"],
            "file_sizes": state["file_sizes"],
        },
    )
    present = {tuple(pair) for pair in opened["present"]}
    wanted = [(f, i) for f, lengths in enumerate(opened["chunk_lengths"]) for i in range(len(lengths))]
    missing = [pair for pair in wanted if pair not in present]
    if present and missing:
        progress(f"resuming: the server already holds {len(present)} of {len(wanted)} chunks")
    for n, (f, i) in enumerate(missing, 1):
        data = _chunk_path(directory, f, i).read_bytes()
        api.put_bytes(
            f"/api/bidding/uploads/{state['bid']}/files/{f}/chunks/{i}/",
            data,
            {CHUNK_HEADER: b64u_encode(hashlib.sha256(data).digest())},
        )
        progress(f"chunk {len(present) + n}/{len(wanted)} (file {f}, chunk {i}) stored")
    raw = (directory / "manifest.bin").read_bytes()
    answer = api.post(
        f"/api/bidding/uploads/{state['bid']}/finalize/",
        {"manifest": b64u_encode(raw), "signature": (directory / "manifest.sig").read_text().strip()},
    )
    receipt = answer["receipt"]
    if not platform_signature_ok(receipt, platform_keys(api)):
        raise BidClientError("the receipt does not carry a valid platform signature")
    if (
        receipt["payload"]["manifest_sha256"] != state["manifest_sha256"]
        or receipt["payload"]["bid"] != state["bid"]
    ):
        raise BidClientError("the receipt is not for this bid")
    receipt_file.write_text(json.dumps(receipt, ensure_ascii=False, indent=2))
    return receipt


# ---------------------------------------------------------------- verify a receipt


def receipt_check(api, receipt: dict[str, Any]) -> list[str]:
    """Check the signature here; after the deadline also the ledger entry, the seal statement's own
    ledger entry and the bid's membership in the sealed set, every proof recomputed here.
    Returns the findings; raises BidClientError on the first failed check."""
    keys = platform_keys(api)
    if not platform_signature_ok(receipt, keys):
        raise BidClientError("the platform signature of the receipt does NOT verify")
    findings = ["the platform signature verifies"]
    check = api.post("/api/bidding/receipts/verify/", {"receipt": receipt})
    if not check["sealed"]:
        findings.append("the tender is not sealed yet: run this again after the deadline to check the ledger")
        return findings
    if not check["in_ledger"]:
        raise BidClientError(
            "the receipt is NOT in the ledger before the seal: evidence of misconduct, keep it"
        )
    if not ledger_proof_ok(receipt, check["ledger_proof"], keys):
        raise BidClientError("the ledger inclusion proof of the receipt does not verify")
    findings.append(f"the receipt is ledger entry {check['ledger_index']} (proof verified)")
    seal = api.get(f"/api/bidding/tenders/{receipt['payload']['tender']}/seal/")
    statement = seal["seal"]
    if not platform_signature_ok(statement, keys) or not ledger_proof_ok(
        statement, seal["ledger_proof"], keys
    ):
        raise BidClientError("the seal statement's signature or ledger proof does not verify")
    if seal["ledger_proof"]["index"] < check["ledger_index"]:
        raise BidClientError("the receipt was logged after the seal statement")
    findings.append(f"the seal statement is ledger entry {seal['ledger_proof']['index']} (proof verified)")
    if receipt["payload"]["type"] == "SB1/receipt":
        bids = statement["payload"]["bids"]
        sha = receipt["payload"]["manifest_sha256"]
        if sha in bids:
            from ledger.merkle import merkle_root

            leaves = [b64u_decode(b) for b in bids]
            if b64u_encode(merkle_root(leaves)) != statement["payload"]["root"]:
                raise BidClientError("the seal's root is not the Merkle root of its bids")
            findings.append("the bid is in the sealed set (the root recomputed)")
        else:
            findings.append("the bid is not in the sealed set: a later version or a withdrawal replaced it")
    return findings


# ---------------------------------------------------------------- the commands


def _readout(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        values[name] = value
    return values


def cmd_seal(args: argparse.Namespace, api, read_signing_key, signer_of) -> None:
    info = tender_for_sealing(api, args.tender)
    signing_key = read_signing_key(Path(args.key))
    signer, supplier = signer_of(Path(args.certificate), signing_key)
    replaces = None
    if args.replace:
        current = [
            v
            for v in api.get(f"/api/bidding/tenders/{args.tender}/my-bids/")["versions"]
            if v["lot"] == args.lot and v["status"] == "counting"
        ]
        replaces = current[-1]["manifest_sha256"] if current else None
    readout = {**_readout(args.readout), "currency": "CNY", "_supplier": supplier}
    problems = readout_problems(info, readout)
    if problems:
        raise BidClientError("nothing was sealed: " + "; ".join(problems))
    state = bid_seal(
        info=info,
        lot=args.lot,
        readout=readout,
        attachments=[Path(a) for a in args.attach],
        signing_key=signing_key,
        signer=signer,
        replaces=replaces,
        out=Path(args.out),
    )
    print(f"bid {state['bid']} sealed into {args.out} (manifest {state['manifest_sha256']})")
    print(f"now run: yizhan-client bid submit --dir {args.out}")


def cmd_submit(args: argparse.Namespace, api, *_unused) -> None:
    receipt = bid_submit(api, Path(args.dir))
    payload = receipt["payload"]
    print(
        f"accepted: receipt #{payload['sequence']} at {payload['received_at']}, saved in {args.dir}/receipt.json"
    )


def cmd_status(args: argparse.Namespace, api, *_unused) -> None:
    mine = api.get(f"/api/bidding/tenders/{args.tender}/my-bids/")
    for v in mine["versions"]:
        print(
            f"lot {v['lot'] or '-'}  bid {v['bid']}  {v['status']:<10} received {v['received_at']}  "
            f"manifest {v['manifest_sha256']}"
        )
    for u in mine["unfinalized"]:
        note = (
            "NOT finalized by the deadline: it does not count"
            if u["deadline_passed"]
            else "not finalized yet: it counts only once finalized before the deadline"
        )
        print(
            f"lot {u['lot'] or '-'}  bid {u['bid']}  {u['chunks_present']}/{u['chunks_needed']} chunks  {note}"
        )
    if mine["seal"]:
        print(
            f"sealed: {mine['seal']['statement']['payload']['count']} bid(s) in the sealed set, "
            f"statement at ledger entry {mine['seal']['ledger_proof']['index']}"
        )
    if not mine["versions"] and not mine["unfinalized"]:
        print("you have no bid in this tender")


def cmd_withdraw(args: argparse.Namespace, api, read_signing_key, signer_of) -> None:
    signing_key = read_signing_key(Path(args.key))
    signer, supplier = signer_of(Path(args.certificate), signing_key)
    current = [
        v
        for v in api.get(f"/api/bidding/tenders/{args.tender}/my-bids/")["versions"]
        if v["lot"] == args.lot and v["status"] == "counting"
    ]
    if not current:
        raise BidClientError("you have no counting bid for this lot")
    version = current[-1]
    statement = {
        "type": "SB1/withdrawal",
        "suite": "SB1",
        "tender": args.tender,
        "lot": args.lot,
        "bid": version["bid"],
        "supplier": supplier,
        "manifest_sha256": version["manifest_sha256"],
        "signer": signer,
        "created": format_time(dt.datetime.now(dt.UTC)),
    }
    answer = api.post(
        "/api/bidding/withdrawals/",
        {"statement": statement, "signature": crypto.sign(signing_key, "SB1/withdrawal", jcs(statement))},
    )
    if not platform_signature_ok(answer["receipt"], platform_keys(api)):
        raise BidClientError("the withdrawal receipt does not carry a valid platform signature")
    out = Path(args.out or f"withdrawal-{version['bid']}.json")
    out.write_text(json.dumps(answer["receipt"], ensure_ascii=False, indent=2))
    print(f"bid {version['bid']} withdrawn; receipt saved in {out}")


def cmd_verify_receipt(args: argparse.Namespace, api, *_unused) -> None:
    receipt = json.loads(Path(args.file).read_text())
    for finding in receipt_check(api, receipt):
        print(finding)


def add_parser(sub) -> None:
    b = sub.add_parser("bid", help="seal, submit, check and withdraw bids")
    bsub = b.add_subparsers(dest="bid_command", required=True)
    s = bsub.add_parser("seal", help="seal a bid on this machine into a directory")
    s.add_argument("--tender", required=True)
    s.add_argument("--lot", default=None)
    s.add_argument("--key", required=True, help="your signing key file")
    s.add_argument("--certificate", required=True, help="your bidder certificate (PEM)")
    s.add_argument("--readout", action="append", default=[], help="name=value, e.g. price=1234.00")
    s.add_argument("--attach", action="append", default=[], help="an attachment file (repeatable)")
    s.add_argument("--replace", action="store_true", help="replace your current version of the lot")
    s.add_argument("--out", required=True, help="a new directory for the sealed bid")
    u = bsub.add_parser("submit", help="upload a sealed bid (resumes where it stopped) and get its receipt")
    u.add_argument("--dir", required=True)
    t = bsub.add_parser("status", help="your versions in a tender, with their status")
    t.add_argument("--tender", required=True)
    w = bsub.add_parser("withdraw", help="withdraw your current version of a lot (signed)")
    w.add_argument("--tender", required=True)
    w.add_argument("--lot", default=None)
    w.add_argument("--key", required=True)
    w.add_argument("--certificate", required=True)
    w.add_argument("--out", default=None)
    v = bsub.add_parser("verify-receipt", help="check a receipt: signature, then ledger and sealed set")
    v.add_argument("file")


COMMANDS = {
    "seal": cmd_seal,
    "submit": cmd_submit,
    "status": cmd_status,
    "withdraw": cmd_withdraw,
    "verify-receipt": cmd_verify_receipt,
}
