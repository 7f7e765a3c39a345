"""Secrets stay secret during the opening (SEALED_BIDS.md properties 1–2, Opening 2–3; issue 14 items
1–2): someone who reads the whole database and every stored file (but not the opening's at-rest key
directory, PLATFORM_KEY_DIR/opening) cannot rebuild any bid's content key K at any moment up to the
close of the share window; refused submissions, whose points may be good ones, reach the public
ledger only when the window closes."""

import contextlib
import datetime as dt
import json
import logging
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings

from bidding.ceremony_constants import CeremonyPhase, ShareState
from bidding.models import BidVersion, CeremonyRoom, ShareSubmission
from bidding.sb1 import p256
from bidding.sb1.errors import SB1Error
from bidding.sb1.manifest import manifest_parse
from bidding.sb1.sealing import key_commit, share_commit, share_unwrap
from bidding.sb1.shamir import shamir_interpolate
from bidding.selectors.submission import tender_custodian_keys
from bidding.services import ceremony as ceremony_services
from ledger.encoding import b64u_decode
from ledger.models import LedgerEntry
from tests.bidding.ceremony_factory import ceremony_make, custodian_submits
from tests.bidding.test_ceremony import tamper_proof

pytestmark = pytest.mark.django_db(transaction=True)

# ---------------------------------------------------------------- the database reader

_TEXT_TOKEN = re.compile(rb"[A-Za-z0-9_\-+/]{43,}={0,2}|[0-9a-fA-F]{64,}")


def _decoded(token: bytes) -> list[bytes]:
    """What a token might spell: base64url or base64 (padded or not), or hex."""
    out = []
    text = token.decode("ascii")
    if re.fullmatch(r"[0-9a-fA-F]+", text) and len(text) % 2 == 0:
        out.append(bytes.fromhex(text))
    with contextlib.suppress(Exception):  # not base64 of any kind: nothing to try
        out.append(b64u_decode(text.rstrip("=").replace("+", "-").replace("/", "_")))
    return out


def _on_curve(raw: bytes) -> bool:
    x, y = int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:65], "big")
    return x < p256.P and y < p256.P and (y * y - (x * x * x - 3 * x + p256.B)) % p256.P == 0


def _x_on_curve(x_bytes: bytes) -> bool:
    x = int.from_bytes(x_bytes, "big")
    rhs = (x * x * x - 3 * x + p256.B) % p256.P
    return x < p256.P and (rhs == 0 or pow(rhs, (p256.P - 1) // 2, p256.P) == 1)


def candidate_xs(blobs: list[bytes]) -> set[bytes]:
    """Every x-coordinate the reader could take for a point Z_j: raw uncompressed points anywhere in
    the bytes, and points (or bare x-coordinates) written as base64, base64url or hex text."""
    xs: set[bytes] = set()
    for blob in blobs:
        start = blob.find(b"\x04")
        while start != -1 and start + 65 <= len(blob):
            if _on_curve(blob[start : start + 65]):
                xs.add(blob[start + 1 : start + 33])
            start = blob.find(b"\x04", start + 1)
        for token in _TEXT_TOKEN.findall(blob):
            for raw in _decoded(token):
                if len(raw) == 65 and raw[0] == 4 and _on_curve(raw):
                    xs.add(raw[1:33])
                elif len(raw) == 32 and _x_on_curve(raw):
                    xs.add(raw)
    return xs


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str).encode()
    return str(value).encode()


def everything_stored(log_text: str = "") -> list[bytes]:
    """Every row of every model, every file under the platform's var and key directories except the
    at-rest key directory, the process's cache, and what was logged."""
    blobs: list[bytes] = []
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.all().values_list():
            blobs.extend(_as_bytes(value) for value in row if value is not None)
    secret_dir = (Path(settings.PLATFORM_KEY_DIR) / "opening").resolve()
    roots = {Path(settings.VAR_DIR).resolve(), Path(settings.PLATFORM_KEY_DIR).resolve()}
    for root in roots:
        for directory, _dirs, files in os.walk(root):
            if Path(directory).resolve() == secret_dir or secret_dir in Path(directory).resolve().parents:
                continue
            for name in files:
                try:
                    blobs.append((Path(directory) / name).read_bytes())
                except OSError:
                    continue
    from django.core.cache.backends import locmem

    for cache in locmem._caches.values():
        blobs.extend(_as_bytes(value) for value in cache.values())
    blobs.append(log_text.encode())
    return blobs


def keys_rebuilt(ceremony, xs: set[bytes]) -> list[str]:
    """The bids whose K the reader rebuilds from the candidate x-coordinates: each custodian's share
    unwrapped and checked against its commitment, k of them interpolated, K checked against the
    manifest's key_commit (the SB1 code the platform itself opens with)."""
    keys = {c.index: c.key for c in tender_custodian_keys(ceremony.tender)}
    rebuilt = []
    for version in BidVersion.objects.filter(tender=ceremony.tender):
        manifest = manifest_parse(bytes(version.manifest))
        shares = {}
        for entry in manifest.custodians:
            for x in xs:
                try:
                    share = share_unwrap(
                        ctx=manifest.ctx,
                        index=entry.index,
                        shared_x=x,
                        ephemeral=entry.ephemeral,
                        custodian_key=keys[entry.index],
                        wrapped=entry.wrapped,
                    )
                except SB1Error:
                    continue
                if share_commit(manifest.ctx, entry.index, share) == entry.commit:
                    shares[entry.index] = share
                    break
        if len(shares) >= manifest.threshold:
            lowest = {j: shares[j] for j in sorted(shares)[: manifest.threshold]}
            if key_commit(manifest.ctx, shamir_interpolate(lowest)) == manifest.key_commit:
                rebuilt.append(version.manifest_sha256)
    return rebuilt


def true_points_x(ceremony) -> set[bytes]:
    """The real Z_j x-coordinates (c_j·E_j), computed with the custodians' own opening keys."""
    xs = set()
    for version in BidVersion.objects.filter(tender=ceremony.tender):
        manifest = manifest_parse(bytes(version.manifest))
        for entry in manifest.custodians:
            scalar = p256.private_key_scalar(ceremony.custodians[entry.index].opening_key)
            xs.add(p256.ecdh_x(scalar, entry.ephemeral))
    return xs


def test_a_database_reader_cannot_rebuild_any_bid_key_until_the_share_window_closes(demo, caplog):
    caplog.set_level(logging.DEBUG)
    ceremony = ceremony_make(demo, bids=3)
    # The reader's method works: given the real points, it rebuilds every bid's key.
    assert len(keys_rebuilt(ceremony, true_points_x(ceremony))) == 3

    looked_at = []

    def reader_fails(moment: str) -> None:
        rebuilt = keys_rebuilt(ceremony, candidate_xs(everything_stored(caplog.text)))
        assert rebuilt == [], f"{moment}: a database reader rebuilt the key of {len(rebuilt)} bid(s)"
        looked_at.append(moment)

    reader_fails("after submission")
    with time_machine.travel(ceremony.deadline - dt.timedelta(seconds=1), tick=False):
        ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
        reader_fails("lobby")
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        room = ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
        assert room.phase == CeremonyPhase.SHARES
        reader_fails("share window opened")
        # A bad proof over a good point: refused, but the point itself is the real Z_1.
        custodian_submits(ceremony, 1, tamper=tamper_proof)
        reader_fails("custodian 1 refused")
        custodian_submits(ceremony, 1)
        reader_fails("custodian 1 accepted")
        custodian_submits(ceremony, 2)  # k = 2 accepted points for every bid
        reader_fails("custodians 1 and 2 accepted")
        custodian_submits(ceremony, 3, tamper=tamper_proof)  # three custodians' good points stored
        room = ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
        assert room.phase == CeremonyPhase.SHARES
        reader_fails("custodian 3 refused, window still open")
        assert ShareSubmission.objects.filter(state=ShareState.ACCEPTED).count() == 6
    assert len(looked_at) == 7
    # The points are all still there for the opening: after the window's end the bids open.
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=2), tick=False):
        room = ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
        room.refresh_from_db()
    assert room.phase == CeremonyPhase.CONFIRMATION
    assert {o.state for o in room.bid_openings.all()} == {"opened"}


# ---------------------------------------------------------------- refused submissions: evidence at close


def test_refused_submissions_reach_the_ledger_only_when_the_window_closes_in_the_order_received(demo):
    ceremony = ceremony_make(demo, bids=3)
    sent = []

    def keep(envelope, keys):
        envelope = tamper_proof(envelope, keys)
        sent.append(envelope)
        return envelope

    def refused_in_ledger():
        entries = LedgerEntry.objects.filter(kind="yizhan/share-refused").order_by("index")
        return [e.document["payload"] for e in entries]

    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
        assert {r["state"] for r in custodian_submits(ceremony, 2, tamper=keep)} == {"refused"}
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=3), tick=False):
        assert {r["state"] for r in custodian_submits(ceremony, 1, tamper=keep)} == {"refused"}
        # While the window is open the refusals are the custodian's and the host's to see, and
        # nothing of them is public: no entry, and no point anywhere in the ledger.
        assert refused_in_ledger() == []
        points = {e["submission"]["point"] for e in sent}
        ledger_text = json.dumps([e.document for e in LedgerEntry.objects.all()])
        assert not any(point in ledger_text for point in points)
        custodian_submits(ceremony, 1)
        custodian_submits(ceremony, 2)
        assert refused_in_ledger() == []
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=4), tick=False):
        size_before_close = LedgerEntry.objects.count()
        custodian_submits(ceremony, 3)  # the last answer closes the window
        room = CeremonyRoom.objects.get(tender=ceremony.tender)
        assert room.share_window_closed_at is not None
    published = refused_in_ledger()
    # Every refused submission, whole and as signed (its point included), custodian 2's first as
    # they were received first; the fault and the code beside each.
    assert [p["submission"] for p in published] == sent
    assert [(p["index"], p["code"], p["owner"]) for p in published] == [(2, "dleq", "custodian")] * 3 + [
        (1, "dleq", "custodian")
    ] * 3
    # Appended at the close, after everything logged while the window was open.
    assert LedgerEntry.objects.filter(kind="yizhan/share-refused", index__lt=size_before_close).count() == 0
