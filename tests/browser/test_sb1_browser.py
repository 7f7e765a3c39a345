"""SB1 in Chromium: the bundled browser module (static/dist/sb1.js, from frontend/js/sb1/) checked
against every deterministic value of tests/vectors/sb1.json and its `invalid` inputs, bids sealed
in the browser opened by the Python opening code, Python-sealed bids answered by the browser
custodian code and accepted by the Python share check, and a 64 MiB bid sealed chunk by chunk.

The module is loaded into a tiny page on the live server's origin (routed by Playwright, so it
touches no database), which imports /static/dist/sb1.js as the live server serves it."""

import json
from pathlib import Path

import pytest

from bidding.sb1 import p256
from bidding.sb1.custodian import custodian_key_file_encrypt
from bidding.sb1.manifest import manifest_parse_and_check
from bidding.sb1.opening import MemoryChunks, bid_open, share_submission_check
from bidding.sb1.seal import CountingBid, seal_statement_build, slots_serve
from bidding.sb1.sealing import CHUNK_SIZE, expected_chunk_lengths
from bidding.sb1.wire import b64u, b64u_field
from tests.bidding import sb1_factory
from tests.bidding.sb1_factory import SUPPLIER, TENDER, Tender

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HERE = Path(__file__).resolve().parent
VECTORS = json.loads((HERE.parent / "vectors" / "sb1.json").read_text(encoding="utf-8"))
CHECKS = HERE / "sb1_checks.mjs"
TEST_PAGE = "/__sb1_test__/"
PASSPHRASE = "口令 correct horse battery"


@pytest.fixture
def sb1_page(page, live_url):
    """A blank page on the live server's origin with `window.sb1` (the bundle) and
    `window.sb1checks` (tests/browser/sb1_checks.mjs) loaded."""
    if not (HERE.parents[1] / "static" / "dist" / "sb1.js").exists():
        pytest.fail("static/dist/sb1.js missing: run `npm run build`")
    page.route(
        f"{live_url}{TEST_PAGE}",
        lambda route: route.fulfill(
            content_type="text/html",
            body="<!doctype html><html lang='en'><title>SB1</title><h1>SB1</h1></html>",
        ),
    )
    page.route(
        f"{live_url}{TEST_PAGE}checks.mjs",
        lambda route: route.fulfill(content_type="text/javascript", path=str(CHECKS)),
    )
    page.goto(f"{live_url}{TEST_PAGE}")
    page.evaluate(
        """async () => {
            window.sb1 = await import('/static/dist/sb1.js');
            window.sb1checks = await import('/__sb1_test__/checks.mjs');
        }"""
    )
    return page


def test_browser_module_reproduces_every_vector_and_verifies_its_signatures(sb1_page):
    checked = sb1_page.evaluate("async (v) => await window.sb1checks.checkVectors(window.sb1, v)", VECTORS)
    sections = [k for k in VECTORS if k not in ("description", "suite", "inputs", "invalid")]
    assert sorted(checked) == sorted(sections)


def test_browser_module_refuses_every_invalid_vector(sb1_page):
    results = sb1_page.evaluate("async (v) => await window.sb1checks.checkInvalid(window.sb1, v)", VECTORS)
    assert results.pop("valid_form") is None  # the unchanged form is accepted
    # Boundary names of the pinned Unicode table (U+1342E passes; U+13430–U+13440 are in `invalid`).
    assert results.pop("valid_attachment_names") == [None] * len(VECTORS["inputs"]["attachment_names_valid"])
    expected = {
        "b64u": "b64u",
        "points": "point",
        "points_as_custodian_key": "point",
        "bid_ids": "bid_id",
        "suppliers": "supplier_id",
        "tenders": "tender_id",
        "readout_values": "readout",
        "attachment_names": "attachment",
        "media_types": "attachment",
    }
    sources = {"points": "points_hex", "points_as_custodian_key": "points_hex"}
    for what, code in expected.items():
        assert results[what] == [code] * len(VECTORS["invalid"][sources.get(what, what)]), what


def _pattern(size: int, seed: int) -> bytes:
    return bytes((i * 7 + seed) % 256 for i in range(256)) * (size // 256) + bytes(
        (i * 7 + seed) % 256 for i in range(size % 256)
    )


SEAL_IN_BROWSER = """
async ({tender, supplier, custodians, threshold, bidderScalarHex, signer, attachments}) => {
    const sb1 = window.sb1;
    const pattern = (size, seed) => {
        const out = new Uint8Array(size);
        for (let i = 0; i < size; i++) out[i] = ((i % 256) * 7 + seed) % 256;
        return out;
    };
    const files = attachments.map((a) => new File([pattern(a.size, a.seed)], a.name, {type: a.type}));
    const signingKey = await sb1.privateKeyFromScalar(sb1.bigFromBytes(sb1.fromHex(bidderScalarHex)));
    const chunks = {};
    const progress = [];
    const sealed = await sb1.sealBid({
        tender, lot: null, supplier,
        readout: {price: "1284500.00", currency: "CNY"},
        readoutFields: ["price", "currency"],
        attachments: files, custodians, threshold, replaces: null, signer, signingKey,
        onChunk: async (f, i, bytes) => { (chunks[f] ??= [])[i] = sb1.b64u(bytes); },
        onProgress: (done, total) => progress.push([done, total]),
    });
    return {
        bid: sealed.bid,
        manifestBytes: sb1.b64u(sealed.manifestBytes),
        manifestSha256: sealed.manifestSha256,
        signature: sealed.signature,
        chunks,
        progress,
    };
}
"""


def test_bid_sealed_in_the_browser_opens_with_the_python_opening_code(sb1_page):
    tender = Tender()
    bidder_key = p256.private_key_from_scalar(p256.random_scalar())
    big = CHUNK_SIZE + 12_345  # two chunks, the second partial
    attachments = [
        {"name": "技术方案.pdf", "type": "application/pdf", "size": big, "seed": 1},
        {"name": "报价单 v2.txt", "type": "text/plain", "size": 3_000, "seed": 2},
    ]
    sealed = sb1_page.evaluate(
        SEAL_IN_BROWSER,
        {
            "tender": TENDER,
            "supplier": SUPPLIER,
            "custodians": [
                {"index": c.index, "key": b64u(c.key), "key_id": c.key_id} for c in tender.custodians
            ],
            "threshold": tender.threshold,
            "bidderScalarHex": p256.private_key_scalar(bidder_key).to_bytes(32, "big").hex(),
            "signer": sb1_factory.SIGNER,
            "attachments": attachments,
        },
    )
    raw = b64u_field(sealed["manifestBytes"])
    chunks = {int(f): [b64u_field(c) for c in cs] for f, cs in sealed["chunks"].items()}
    manifest = manifest_parse_and_check(
        raw,
        tender_custodians=tender.custodians,
        threshold=tender.threshold,
        tender=TENDER,
        lot=None,
        bid=sealed["bid"],
        supplier=SUPPLIER,
        signature=b64u_field(sealed["signature"], 64),
        public_key=p256.public_key_bytes(bidder_key),
    )
    assert b64u(manifest.sha256) == sealed["manifestSha256"]
    assert [len(c) for c in chunks[1]] == expected_chunk_lengths(big) == [CHUNK_SIZE + 16, 12_345 + 16]
    total = 4_096 + big + 3_000
    assert sealed["progress"][-1] == [total, total]
    assert [done for done, _ in sealed["progress"]] == sorted(done for done, _ in sealed["progress"])

    points = sb1_factory.answer_all(tender, [manifest], indexes=[2, 3])
    opened_attachments: dict[int, bytearray] = {}
    result = bid_open(
        manifest=manifest,
        custodians=tender.custodians,
        points={j: by_ctx[manifest.ctx] for j, by_ctx in points.items()},
        chunks=MemoryChunks(chunks),
        readout_fields=["price", "currency"],
        plaintext_sink=lambda f, i, data: opened_attachments.setdefault(f, bytearray()).extend(data),
    )
    assert result.opened, result.failures
    assert result.readout == {"price": "1284500.00", "currency": "CNY"}
    assert [(a["name"], a["media_type"], a["size"]) for a in result.form["attachments"]] == [
        ("技术方案.pdf", "application/pdf", big),
        ("报价单 v2.txt", "text/plain", 3_000),
    ]
    assert bytes(opened_attachments[1]) == _pattern(big, 1)
    assert bytes(opened_attachments[2]) == _pattern(3_000, 2)


COMPUTE_SHARES = """
async ({slots, seal, keyFile, passphrase, tender, index, signingScalarHex, signer}) => {
    const sb1 = window.sb1;
    const signingKey = await sb1.privateKeyFromScalar(sb1.bigFromBytes(sb1.fromHex(signingScalarHex)));
    return sb1.computeShares({slots, seal, keyFile, passphrase, tender, index, signingKey, signer});
}
"""


def test_python_sealed_bids_are_answered_by_the_browser_custodian_and_accepted(sb1_page):
    tender = Tender()
    bids = [
        sb1_factory.seal_bid(tender, attachments={"a.txt": ("text/plain", b"x" * 5000)}),
        sb1_factory.seal_bid(tender, price="12.00"),
    ]
    manifests = [sb1_factory.accept(tender, bid) for bid in bids]
    counting = [CountingBid.of(m) for m in manifests]
    seal = seal_statement_build(
        tender=TENDER,
        deadline="2026-11-26T06:00:00.000Z",
        sealed_at="2026-11-26T06:00:00.010Z",
        counting=counting,
        custodian_count=tender.count,
        receipts=2,
    )
    points: dict[int, dict[bytes, bytes]] = {}
    for j in (1, 3):
        served = slots_serve(tender=TENDER, counting=counting, index=j)
        key_file = custodian_key_file_encrypt(
            tender=TENDER, private_key=tender.opening_keys[j], passphrase=PASSPHRASE
        )
        answers = sb1_page.evaluate(
            COMPUTE_SHARES,
            {
                "slots": served,
                "seal": seal,
                "keyFile": key_file,
                "passphrase": PASSPHRASE,
                "tender": TENDER,
                "index": j,
                "signingScalarHex": p256.private_key_scalar(tender.signing_keys[j]).to_bytes(32, "big").hex(),
                "signer": sb1_factory.SIGNER,
            },
        )
        assert len(answers) == len(served)
        handles = {b64u_field(s["handle"]) for s in served}
        points[j] = {}
        for envelope in answers:
            accepted = share_submission_check(
                envelope,
                tender=TENDER,
                index=j,
                custodian_key=tender.custodians[j - 1].key,
                signing_public_key=p256.public_key_bytes(tender.signing_keys[j]),
                slot_handles=handles,
            )
            points[j][accepted.ctx] = accepted.point
    for bid, manifest in zip(bids, manifests, strict=True):
        result = bid_open(
            manifest=manifest,
            custodians=tender.custodians,
            points={j: by_ctx[manifest.ctx] for j, by_ctx in points.items()},
            chunks=bid.chunks,
            readout_fields=sb1_factory.READOUT_FIELDS,
        )
        assert result.opened, result.failures
        assert result.used_shares == (1, 3)


def test_browser_custodian_refuses_a_slot_whose_proof_does_not_hold(sb1_page):
    tender = Tender()
    manifests = [sb1_factory.accept(tender, sb1_factory.seal_bid(tender)) for _ in range(2)]
    counting = [CountingBid.of(m) for m in manifests]
    seal = seal_statement_build(
        tender=TENDER,
        deadline="2026-11-26T06:00:00.000Z",
        sealed_at="2026-11-26T06:00:00.010Z",
        counting=counting,
        custodian_count=tender.count,
        receipts=2,
    )
    served = slots_serve(tender=TENDER, counting=counting, index=1)
    served[1]["path"] = [b64u(bytes(32))]
    key_file = custodian_key_file_encrypt(
        tender=TENDER, private_key=tender.opening_keys[1], passphrase=PASSPHRASE
    )
    code = sb1_page.evaluate(
        "async (args) => { try { await ("
        + COMPUTE_SHARES
        + ")(args); return null; } catch (e) { return e.code; } }",
        {
            "slots": served,
            "seal": seal,
            "keyFile": key_file,
            "passphrase": PASSPHRASE,
            "tender": TENDER,
            "index": 1,
            "signingScalarHex": p256.private_key_scalar(tender.signing_keys[1]).to_bytes(32, "big").hex(),
            "signer": sb1_factory.SIGNER,
        },
    )
    assert code == "proof"


STREAM_64_MIB = """
async ({tender, supplier, custodians, threshold, signer}) => {
    const sb1 = window.sb1;
    const MiB = 1 << 20;
    const part = new Uint8Array(MiB);
    for (let i = 0; i < MiB; i++) part[i] = i % 253;
    const file = new File(Array(64).fill(part), "big.bin", {type: "application/octet-stream"});
    const pair = await crypto.subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, false, ["sign", "verify"]);
    window.__handedOut = [];
    let inFlight = 0, maxInFlight = 0, bytesHanded = 0;
    const order = [];
    const sealed = await sb1.sealBid({
        tender, supplier, lot: null,
        readout: {price: "1.00", currency: "CNY"}, readoutFields: ["price", "currency"],
        attachments: [file], custodians, threshold, signer, signingKey: pair.privateKey,
        onChunk: async (f, i, bytes) => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            order.push([f, i]);
            bytesHanded += bytes.length;
            window.__handedOut.push(new WeakRef(bytes));  // to see, after a GC, that none was kept
            await new Promise((resolve) => setTimeout(resolve, 0));  // an uploader yields here
            inFlight -= 1;
        },
    });
    return {order, maxInFlight, bytesHanded, files: sealed.files};
}
"""


def test_a_64_mib_attachment_is_sealed_and_handed_out_one_chunk_at_a_time(sb1_page):
    tender = Tender()
    devtools = sb1_page.context.new_cdp_session(sb1_page)

    def heap_after_gc() -> int:
        devtools.send("HeapProfiler.collectGarbage")
        return devtools.send("Runtime.getHeapUsage")["usedSize"]

    heap_before = heap_after_gc()
    result = sb1_page.evaluate(
        STREAM_64_MIB,
        {
            "tender": TENDER,
            "supplier": SUPPLIER,
            "custodians": [
                {"index": c.index, "key": b64u(c.key), "key_id": c.key_id} for c in tender.custodians
            ],
            "threshold": tender.threshold,
            "signer": sb1_factory.SIGNER,
        },
    )
    assert result["order"] == [[0, 0]] + [[1, i] for i in range(64)]
    assert result["maxInFlight"] == 1  # the next slice is read only after the uploader took the last chunk
    assert result["bytesHanded"] == 4_096 + 16 + 64 * (CHUNK_SIZE + 16)
    assert result["files"][1]["size"] == 64 * CHUNK_SIZE and result["files"][1]["chunks"] == 64
    # Nothing the sealer handed out is kept by it: after a garbage collection every chunk is gone
    # and the heap is back where it was (the 64 MiB never accumulate in the page).
    heap_after = heap_after_gc()
    assert (
        sb1_page.evaluate("() => window.__handedOut.filter((ref) => ref.deref() !== undefined).length") == 0
    )
    assert heap_after - heap_before < 8 * CHUNK_SIZE
