"""Writes tests/vectors/sb1.json: deterministic SB1 vectors for every step of SEALED_BIDS.md
"Test vectors", with every fixed key and "random" value written out, for the Python tests and
the browser module alike. Run: `python -m bidding.sb1.make_vectors [path]`.

Fixed scalars are SHA-256("SB1 vector " ‖ name) mod (q−1) + 1; fixed byte strings are
SHA-256("SB1 vector " ‖ name) cut to length. Only their values matter: the file holds them."""

import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

VECTORS_PATH = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "sb1.json"

TENDER = "ZB-2026-0042"
LOT = "lot-1"
BID = "0f8fad5b-d9cb-469f-a165-70867728950e"
SUPPLIER = "91350100M000100Y43"
READOUT_FIELDS = ["price", "currency", "delivery_days"]
READOUT = {"price": "1284500.00", "currency": "CNY", "delivery_days": "45"}
THRESHOLD, CUSTODIANS = 2, 3
DEADLINE = "2026-11-26T06:00:00.000Z"
CREATED = "2026-11-25T09:30:12.345Z"
PASSPHRASE_NFD = "Cafe\u0301 密钥 correct horse"  # noqa: S105 (a published test vector) given in NFD: readers must NFC it
ATTACHMENT_1 = ("技术方案 v2.txt", "text/plain", ("SB1 attachment one. " * 12).encode("utf-8"))
ATTACHMENT_2 = ("empty.bin", "application/octet-stream", b"")
TWO_CHUNK_SIZE = 1_048_576 + 1_000


def fixed_bytes(name: str, length: int = 32) -> bytes:
    return hashlib.sha256(b"SB1 vector " + name.encode()).digest()[:length]


def fixed_scalar(name: str) -> int:
    from .p256 import Q

    return int.from_bytes(fixed_bytes(name), "big") % (Q - 1) + 1


def pattern_bytes(size: int) -> bytes:
    """The two-chunk file's plaintext: byte i is i mod 251."""
    return bytes(i % 251 for i in range(251)) * (size // 251) + bytes(i % 251 for i in range(size % 251))


def build() -> dict[str, Any]:
    from . import p256
    from .custodian import (
        confirmation_build,
        custodian_key_file_encrypt,
        opening_key_id,
        opening_key_registration_build,
        share_submission_build,
    )
    from .manifest import manifest_parse
    from .seal import CountingBid, seal_statement_build, served_slot_check, slot_leaf, slots_serve
    from .sealing import (
        Attachment,
        BidSealer,
        CustodianKey,
        SealedFileStream,
        chunk_aad,
        chunk_nonce,
        expected_chunk_lengths,
        file_key,
        form_padded_size,
        manifest_bytes,
        manifest_sha256,
        manifest_sign,
        withdrawal_build,
    )
    from .shamir import shamir_interpolate
    from .wire import b64u, canonical, sha256

    def scalar_hex(x: int) -> str:
        return p256.scalar_bytes(x).hex()

    opening_scalars = {j: fixed_scalar(f"opening key {j}") for j in range(1, CUSTODIANS + 1)}
    opening_keys = {j: p256.private_key_from_scalar(c) for j, c in opening_scalars.items()}
    custodians = [
        CustodianKey(j, p256.public_point(c), opening_key_id(p256.public_point(c)))
        for j, c in opening_scalars.items()
    ]
    bidder_scalar = fixed_scalar("bidder signing key")
    bidder_key = p256.private_key_from_scalar(bidder_scalar)
    custodian_signing_scalars = {
        j: fixed_scalar(f"custodian signing key {j}") for j in range(1, CUSTODIANS + 1)
    }
    custodian_signing = {j: p256.private_key_from_scalar(c) for j, c in custodian_signing_scalars.items()}
    bidder_signer = b64u(fixed_bytes("bidder certificate"))
    custodian_signers = {j: b64u(fixed_bytes(f"custodian certificate {j}")) for j in custodian_signing}

    key = fixed_bytes("content key K")
    coefficients = [fixed_bytes("shamir coefficients degree 1")]
    ephemeral_scalars = {j: fixed_scalar(f"ephemeral {j}") for j in opening_scalars}
    pok_nonces = {j: fixed_scalar(f"pok nonce {j}") for j in opening_scalars}
    attachments = [
        Attachment(i, name, media, len(content))
        for i, (name, media, content) in enumerate((ATTACHMENT_1, ATTACHMENT_2), 1)
    ]
    sealer = BidSealer(
        tender=TENDER,
        lot=LOT,
        bid=BID,
        supplier=SUPPLIER,
        readout=READOUT,
        readout_fields=READOUT_FIELDS,
        attachments=attachments,
        custodians=custodians,
        threshold=THRESHOLD,
        key=key,
        coefficients=coefficients,
        ephemeral_scalars=ephemeral_scalars,
        pok_nonces=pok_nonces,
    )
    ctx = sealer.ctx
    sources = {0: None, 1: io.BytesIO(ATTACHMENT_1[2]), 2: io.BytesIO(ATTACHMENT_2[2])}
    chunk_files = {}
    for f, source in sources.items():
        stream = sealer.seal_file(f, source)
        chunk_files[f] = (stream, list(stream))
    manifest = sealer.manifest(replaces=None, signer=bidder_signer, created=CREATED)
    raw = manifest_bytes(manifest)
    parsed = manifest_parse(raw)

    # The seal: this bid and two other counting bids given only by what the seal needs of them.
    others = [
        CountingBid(
            fixed_bytes(f"other manifest {n}"),
            fixed_bytes(f"other ctx {n}"),
            {j: p256.public_point(fixed_scalar(f"other {n} ephemeral {j}")) for j in opening_scalars},
        )
        for n in (1, 2)
    ]
    counting = [CountingBid.of(parsed), *others]
    seal = seal_statement_build(
        tender=TENDER,
        deadline=DEADLINE,
        sealed_at="2026-11-26T06:00:00.250Z",
        counting=counting,
        custodian_count=CUSTODIANS,
        receipts=4,
    )
    served = {j: slots_serve(tender=TENDER, counting=counting, index=j) for j in opening_scalars}
    our_handle = {j: b64u(slot_leaf(ctx, j, sealer.wrapped[j - 1].ephemeral)) for j in opening_scalars}
    dleq_nonces = {j: fixed_scalar(f"dleq nonce {j}") for j in opening_scalars}
    shares_answered = {}
    for j in opening_scalars:
        slot_obj = next(s for s in served[j] if s["handle"] == our_handle[j])
        slot = served_slot_check(slot_obj, tender=TENDER, index=j, seal=seal)
        envelope = share_submission_build(
            slot=slot,
            opening_key=opening_keys[j],
            signing_key=custodian_signing[j],
            signer=custodian_signers[j],
            created="2026-11-26T06:03:10.000Z",
            nonce=dleq_nonces[j],
            deterministic=True,
        )
        shares_answered[j] = (slot_obj, envelope)

    two_chunk_key = fixed_bytes("two-chunk file key K")
    two_chunk = SealedFileStream(
        key=two_chunk_key,
        ctx=ctx,
        index=1,
        source=io.BytesIO(pattern_bytes(TWO_CHUNK_SIZE)),
        size=TWO_CHUNK_SIZE,
    )
    two_chunk_digests = [sha256(c).hex() for c in two_chunk]

    key_file_salt, key_file_nonce = fixed_bytes("key file salt", 16), fixed_bytes("key file nonce", 12)
    key_file = custodian_key_file_encrypt(
        tender=TENDER,
        private_key=opening_keys[1],
        passphrase=PASSPHRASE_NFD,
        iterations=600_000,
        salt=key_file_salt,
        nonce=key_file_nonce,
    )
    withdrawal = withdrawal_build(
        tender=TENDER,
        lot=LOT,
        bid=BID,
        supplier=SUPPLIER,
        manifest_sha256=manifest_sha256(raw),
        signer=bidder_signer,
        created="2026-11-25T10:00:00.000Z",
        private_key=bidder_key,
        deterministic=True,
    )

    def pub(key_obj) -> str:
        return b64u(p256.public_key_bytes(key_obj))

    return {
        "description": (
            "Deterministic test vectors for protocol SB1 (SEALED_BIDS.md). Byte strings are lowercase hex in "
            "fields ending _hex and base64url without padding (b64u) elsewhere, exactly as on the wire. "
            "Scalars are 32-byte big-endian hex. ECDSA signatures (fields 'signature', 'pop') are IEEE P1363 "
            "r||s and are to be VERIFIED with the given public keys, never compared (they happen to be RFC 6979 "
            "here so the file is stable). Generated by `python -m bidding.sb1.make_vectors`."
        ),
        "suite": "SB1",
        "inputs": {
            "description": "The bid and tender every section below uses; signer values stand for b64u(SHA-256(certificate DER)).",
            "tender": TENDER,
            "lot": LOT,
            "bid": BID,
            "supplier": SUPPLIER,
            "readout_fields": READOUT_FIELDS,
            "readout": READOUT,
            "threshold": THRESHOLD,
            "deadline": DEADLINE,
            "share_window_s": 3600,
            "created": CREATED,
            "attachment_names_valid": [ATTACHMENT_1[0], "a\U0001342eb", "\u9f98.pdf", "\U0001f600.txt"],
            "bidder": {
                "signing_scalar_hex": scalar_hex(bidder_scalar),
                "public_key": pub(bidder_key),
                "signer": bidder_signer,
            },
            "custodians": [
                {
                    "index": j,
                    "opening_scalar_hex": scalar_hex(opening_scalars[j]),
                    "opening_key": b64u(custodians[j - 1].key),
                    "key_id": custodians[j - 1].key_id,
                    "signing_scalar_hex": scalar_hex(custodian_signing_scalars[j]),
                    "signing_public_key": pub(custodian_signing[j]),
                    "signer": custodian_signers[j],
                }
                for j in opening_scalars
            ],
        },
        "ctx": {
            "description": "ctx = SHA-256(JCS({suite,tender,lot,bid,supplier})).",
            "jcs": canonical(
                {"suite": "SB1", "tender": TENDER, "lot": LOT, "bid": BID, "supplier": SUPPLIER}
            ).decode(),
            "ctx_hex": ctx.hex(),
        },
        "content_key": {
            "description": "K (fixed here, random in use), key_commit = SHA-256('SB1/key-commit'||0x00||ctx||K), K_f = HKDF(ikm=K, salt=ctx, info='SB1/file'||0x00||u32(f), L=32).",
            "K_hex": key.hex(),
            "key_commit_hex": sealer.key_commit.hex(),
            "file_keys_hex": [file_key(key, ctx, f).hex() for f in range(3)],
        },
        "shamir": {
            "description": "GF(2^8) with polynomial 0x11B, byte-wise. coefficients_hex[d-1][b] is the x^d coefficient of byte b's polynomial; share j is every polynomial at x=j. Interpolating any k shares at x=0 gives K.",
            "gf_mul_examples": [
                {"a": 0x57, "b": 0x83, "product": 0xC1},
                {"a": 0x57, "b": 0x13, "product": 0xFE},
            ],
            "threshold": THRESHOLD,
            "count": CUSTODIANS,
            "secret_hex": key.hex(),
            "coefficients_hex": [c.hex() for c in coefficients],
            "shares_hex": {str(j): s.hex() for j, s in sealer.shares.items()},
            "interpolate_from": [1, 3],
            "interpolated_hex": shamir_interpolate({1: sealer.shares[1], 3: sealer.shares[3]}).hex(),
        },
        "form": {
            "description": "File 0: JCS(form) then spaces up to P, the smallest multiple of 4096 >= len(JCS(form)) + sum(32 - len(v)) over read-out values.",
            "form_jcs": canonical(sealer.form).decode(),
            "padded_size": form_padded_size(sealer.form),
            "plaintext_hex": sealer.form_plaintext.hex(),
        },
        "files": {
            "description": "Every chunk of every file of the bid: nonce = u88(i)||(01 if last else 00), AAD = 'SB1/chunk'||0x00||ctx||u32(f), ciphertext with the 16-byte tag appended; sha256 over the ciphertext chunks in order. File 2 is empty: one chunk holding only a tag.",
            "files": [
                {
                    "index": f,
                    "plaintext_hex": (
                        sealer.form_plaintext if f == 0 else (ATTACHMENT_1, ATTACHMENT_2)[f - 1][2]
                    ).hex(),
                    "size": stream.size,
                    "chunks": stream.chunks,
                    "chunk_lengths": expected_chunk_lengths(stream.size),
                    "aad_hex": chunk_aad(ctx, f).hex(),
                    "chunk_nonces_hex": [
                        chunk_nonce(i, i == stream.chunks - 1).hex() for i in range(stream.chunks)
                    ],
                    "chunk_ciphertexts_hex": [c.hex() for c in chunks],
                    "sha256_hex": stream.sha256.hex(),
                }
                for f, (stream, chunks) in chunk_files.items()
            ],
        },
        "two_chunk_file": {
            "description": "The chunking rule on a 2-chunk file: plaintext byte i = i mod 251, size 1048576+1000, sealed as file f=1 of the bid's ctx but under the fixed K given here (K_f derived from it as usual). Only digests are given to keep this file small.",
            "K_hex": two_chunk_key.hex(),
            "file_index": 1,
            "size": TWO_CHUNK_SIZE,
            "chunks": 2,
            "chunk_lengths": expected_chunk_lengths(TWO_CHUNK_SIZE),
            "plaintext_sha256_hex": sha256(pattern_bytes(TWO_CHUNK_SIZE)).hex(),
            "chunk_ciphertext_sha256_hex": two_chunk_digests,
            "sha256_hex": two_chunk.sha256.hex(),
        },
        "wrap": {
            "description": "Per custodian j: E_j = e_j*G; Z_x = x(e_j*C_j); W_j = HKDF(ikm=Z_x, salt=E_j||C_j, info='SB1/wrap'||0x00||ctx||u8(j), L=32); wrapped_j = AES-256-GCM(W_j, 12 zero bytes, s_j, no AAD); commit_j = SHA-256('SB1/share-commit'||0x00||ctx||u8(j)||s_j); pok_j = h||r with nonce t, h = int(SHA-256('SB1/ephemeral'||0x00||ctx||u8(j)||E_j||t*G)) mod q, r = t - h*e_j mod q.",
            "custodians": [
                {
                    "index": w.index,
                    "ephemeral_scalar_hex": scalar_hex(ephemeral_scalars[w.index]),
                    "ephemeral": b64u(w.ephemeral),
                    "Z_x_hex": w.shared_x.hex(),
                    "W_hex": w.wrap_key.hex(),
                    "share_hex": sealer.shares[w.index].hex(),
                    "wrapped": b64u(w.wrapped),
                    "commit": b64u(w.commit),
                    "pok_nonce_hex": scalar_hex(pok_nonces[w.index]),
                    "pok": b64u(w.pok),
                }
                for w in sealer.wrapped
            ],
        },
        "manifest": {
            "description": "The manifest, its JCS bytes (as UTF-8 text), manifest_sha256 = SHA-256(JCS), and the bidder's signature over JCS with label 'SB1/manifest' (verify with inputs.bidder.public_key).",
            "manifest": manifest,
            "jcs": raw.decode(),
            "manifest_sha256": b64u(manifest_sha256(raw)),
            "signature": b64u(manifest_sign(raw, bidder_key, deterministic=True)),
        },
        "withdrawal": {
            "description": "A withdrawal of the manifest above, signed with label 'SB1/withdrawal'; withdrawal_sha256 = SHA-256(JCS(statement)).",
            "envelope": withdrawal,
            "withdrawal_sha256": b64u(sha256(canonical(withdrawal["statement"]))),
        },
        "registration": {
            "description": "Custodian 1's opening-key registration: pop by the opening key (label 'SB1/key-pop'), signature by its signing key (label 'SB1/opening-key'), both over JCS(registration).",
            "envelope": opening_key_registration_build(
                tender=TENDER,
                index=1,
                opening_key=opening_keys[1],
                signing_key=custodian_signing[1],
                signer=custodian_signers[1],
                created="2026-11-01T02:00:00.000Z",
                deterministic=True,
            ),
        },
        "confirmation": {
            "description": "Custodian 1's confirmation of the tender's parameters (label 'SB1/confirm').",
            "envelope": confirmation_build(
                tender=TENDER,
                custodians=[(c.index, c.key_id) for c in custodians],
                threshold=THRESHOLD,
                deadline=DEADLINE,
                share_window_s=3600,
                signer=custodian_signers[1],
                signing_key=custodian_signing[1],
                deterministic=True,
            ),
        },
        "key_file": {
            "description": "Custodian 1's key file. The passphrase is given in NFD; the key is PBKDF2-SHA256(UTF-8(NFC(passphrase)), salt, iterations, 32 bytes); AES-256-GCM over the PKCS#8 DER with AAD 'SB1/custodian-key'||0x00||JCS({type,tender,key_id,kdf,iterations,salt}). Check by decrypting to a key whose public point hashes to key_id (any valid P-256 PKCS#8 is acceptable; pkcs8_hex is what this one holds).",
            "passphrase": PASSPHRASE_NFD,
            "file": key_file,
            "aad_hex": (
                b"SB1/custodian-key\x00"
                + canonical(
                    {k: key_file[k] for k in ("type", "tender", "key_id", "kdf", "iterations", "salt")}
                )
            ).hex(),
            "pkcs8_hex": opening_keys[1]
            .private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            .hex(),
        },
        "seal": {
            "description": "The seal statement over three counting bids: this one (its manifest above) and two others given by manifest_sha256, ctx and E_j. root = RFC 9162 root over the sorted raw manifest hashes; slots[j-1] = RFC 9162 root over the sorted slot leaves SHA-256('SB1/slot'||0x00||ctx||u8(j)||E_j). served[j] are the slot objects custodian j is served, with inclusion paths.",
            "other_counting_bids": [
                {
                    "manifest_sha256": b64u(o.manifest_sha256),
                    "ctx_hex": o.ctx.hex(),
                    "ephemerals": {str(j): b64u(e) for j, e in o.ephemerals.items()},
                }
                for o in others
            ],
            "statement": seal,
            "served": {str(j): s for j, s in served.items()},
        },
        "shares": {
            "description": "Each custodian's answer to this bid's slot: Z_j = c_j*E_j and DLEQ proof h||r with nonce t (A = t*G, D = t*E_j, h = int(SHA-256('SB1/dleq'||0x00||ctx||u8(j)||C_j||E_j||Z_j||A||D)) mod q, r = t - h*c_j mod q); the submission signed with label 'SB1/share'. Unwrapping wrapped_j with W_j derived from x(Z_j) gives share j.",
            "custodians": [
                {"index": j, "slot": slot_obj, "dleq_nonce_hex": scalar_hex(dleq_nonces[j]), "envelope": env}
                for j, (slot_obj, env) in shares_answered.items()
            ],
        },
        "opening": {
            "description": "Opening with shares 1 and 3 (the k lowest good ones) gives K and the read-out below.",
            "used_shares": [1, 3],
            "K_hex": key.hex(),
            "readout": READOUT,
        },
        "invalid": {
            "description": "Inputs every implementation must refuse.",
            "b64u": ["AA==", "AB", "A", "A+8", "A/8", "AAA=", " AAA"],
            "points_hex": [
                "04" + "00" * 64,
                "04" + "ff" * 64,
                "02" + p256.public_point(1)[1:33].hex(),
                p256.public_point(1)[:-1].hex() + format(p256.public_point(1)[-1] ^ 1, "02x"),
                "04" + format(p256.P, "064x") + p256.public_point(1)[33:].hex(),
            ],
            "bid_ids": [
                "0F8FAD5B-D9CB-469F-A165-70867728950E",
                "0f8fad5b-d9cb-169f-a165-70867728950e",
                "0f8fad5b-d9cb-469f-c165-70867728950e",
                "0f8fad5bd9cb469fa16570867728950e",
            ],
            "suppliers": ["91350100M000100Y44", "91350100M000100Y4", "91350100I000100Y43"],
            "tenders": ["", "a" * 65, "ZB 2026", "ZB/2026"],
            "readout_values": ["1,000.00", "1000.0", "01000.00", "1000.000", "\u00a51000.00"],
            "attachment_names": [
                "",
                ".",
                "..",
                "a/b",
                "a\\b",
                "a\u0000b",
                "a\u200bb",
                "a\u2028b",
                "Cafe\u0301",
                "x" * 256,
                # Unicode (docs/sb1.md "Names and Unicode"): format characters of 14.0.0, and code
                # points 14.0.0 leaves unassigned (U+13439–U+1343F became format characters in 15.0).
                "a\U00013430b",
                "a\U00013438b",
                *(f"a{chr(c)}b" for c in range(0x13439, 0x13440)),
                "a\U00013440b",
            ],
            "media_types": [
                "text",
                "Text/plain",
                "text/plain; charset=utf-8",
                "text/",
                "/plain",
                "-text/plain",
                "text/pl ain",
            ],
        },
    }


def main(argv: list[str]) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    path = Path(argv[1]) if len(argv) > 1 else VECTORS_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv)
