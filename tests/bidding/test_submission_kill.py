"""Kill test: a real Daphne process on the test database is killed with SIGKILL in the middle of an
upload and again between the last acknowledged chunk and the finalize; after each restart the
client resumes (asking the server which chunks it holds), and every acknowledged chunk and the
issued receipt are still there, byte for byte."""

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from bidding.client import bid as client_bid
from bidding.client.cli import Api, ClientError
from bidding.models import BidChunk, BidReceipt, BidVersion
from bidding.storage import bid_storage
from tests.bidding.submission_factory import bidder_make, tender_open_now

REPO = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


class Server:
    """`python -m daphne` in its own process group, so SIGKILL ends it the way a crash would."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "config.asgi:application",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/ledger/keys/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"Daphne did not start: {self.process.stderr.read(2000)!r}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it may be exiting on its own this instant
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.kill()


@pytest.mark.django_db(transaction=True)
def test_killed_server_loses_no_acknowledged_chunk_and_no_receipt(demo, server, tmp_path, monkeypatch):
    # The server process runs on the real clock: the deadline lies ahead of it.
    tender, _ = tender_open_now(demo)
    bidder = bidder_make()
    monkeypatch.setenv("YIZHAN_PASSWORD", "a-long-test-password")

    server.start()
    api = Api(server.url, None, bidder.user.username)
    info = client_bid.tender_for_sealing(api, tender.reference)
    attachment = tmp_path / "technical-offer.bin"
    attachment.write_bytes(os.urandom(6 * 1024 * 1024 + 123))
    directory = tmp_path / "bid"
    state = client_bid.bid_seal(
        info=info,
        lot="1",
        readout={"price": "100.00", "currency": "CNY", "delivery_days": "30", "_supplier": bidder.code},
        attachments=[attachment],
        signing_key=bidder.key,
        signer=bidder.certificate.fingerprint,
        replaces=None,
        out=directory,
    )
    total = 1 + 7

    # 1. Killed mid-upload: SIGKILL lands while the 4th chunk is in flight.
    def kill_soon(message: str) -> None:
        if message.startswith("chunk 3/"):
            threading.Timer(0.02, server.kill).start()

    with pytest.raises(ClientError, match="cannot reach the server"):
        client_bid.bid_submit(api, directory, progress=kill_soon)
    server.kill()
    acknowledged = {(c.file_index, c.index): c for c in BidChunk.objects.filter(upload__bid=state["bid"])}
    assert 3 <= len(acknowledged) < total
    storage = bid_storage()
    for (f, i), chunk in acknowledged.items():
        with storage.open(chunk.name) as fh:
            assert fh.read() == (directory / "chunks" / str(f) / str(i)).read_bytes()

    # 2. Restarted; killed again after the last chunk is acknowledged, before the finalize.
    server.start()
    messages: list[str] = []

    def kill_after_last(message: str) -> None:
        messages.append(message)
        if message.startswith(f"chunk {total}/"):
            server.kill()

    with pytest.raises(ClientError, match="cannot reach the server"):
        client_bid.bid_submit(api, directory, progress=kill_after_last)
    assert messages[0].startswith(f"resuming: the server already holds {len(acknowledged)} of {total}")
    assert BidChunk.objects.filter(upload__bid=state["bid"]).count() == total
    assert not BidVersion.objects.filter(bid=state["bid"]).exists()

    # 3. Restarted: the client finds every chunk there and only finalizes.
    server.start()
    messages.clear()
    receipt = client_bid.bid_submit(api, directory, progress=messages.append)
    assert messages == []  # nothing left to send
    assert receipt["payload"]["manifest_sha256"] == state["manifest_sha256"]

    # 4. Killed right after the receipt was issued: after a restart it is still the same receipt.
    server.kill()
    server.start()
    assert BidReceipt.objects.get().envelope == receipt
    status = api.get(f"/api/bidding/uploads/{state['bid']}/")
    assert status["finalized"] and status["receipt"] == receipt
    assert client_bid.bid_submit(api, directory, progress=messages.append) == receipt
    for chunk in BidChunk.objects.filter(upload__bid=state["bid"]):
        with storage.open(chunk.name) as fh:
            assert (
                hashlib.sha256(fh.read()).digest()
                == hashlib.sha256(
                    (directory / "chunks" / str(chunk.file_index) / str(chunk.index)).read_bytes()
                ).digest()
            )


@pytest.mark.django_db(transaction=True)
def test_the_command_line_seals_submits_shows_withdraws_and_verifies(
    demo, server, tmp_path, monkeypatch, capsys
):
    """`yizhan-client bid …` end to end against a Daphne process, with a key file and a PEM."""
    import json

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from bidding.client import crypto
    from bidding.client.cli import main

    tender, _ = tender_open_now(demo)
    bidder = bidder_make()
    monkeypatch.setenv("YIZHAN_PASSWORD", "a-long-test-password")
    monkeypatch.setenv("YIZHAN_PASSPHRASE", "correct horse battery staple")
    key_file = tmp_path / "signing-key.json"
    key_file.write_text(
        json.dumps(
            crypto.key_file_write(
                bidder.key, kind=crypto.SIGNING_KEY_TYPE, passphrase="correct horse battery staple"
            )
        )
    )
    pem = tmp_path / "certificate.pem"
    pem.write_bytes(
        x509.load_der_x509_certificate(bytes(bidder.certificate.der)).public_bytes(serialization.Encoding.PEM)
    )
    attachment = tmp_path / "商务报价.pdf"
    attachment.write_bytes(b"%PDF-1.7 offer" * 1000)
    server.start()
    common = ["--server", server.url, "--username", bidder.user.username, "bid"]
    signing = ["--tender", tender.reference, "--lot", "1", "--key", str(key_file), "--certificate", str(pem)]

    def seal(price: str, out: str, *extra: str) -> int:
        return main(
            [
                *common,
                "seal",
                *signing,
                "--readout",
                f"price={price}",
                "--readout",
                "delivery_days=15",
                "--attach",
                str(attachment),
                *extra,
                "--out",
                str(tmp_path / out),
            ]
        )

    assert seal("2500.00", "v1") == 0
    assert main([*common, "submit", "--dir", str(tmp_path / "v1")]) == 0
    assert "accepted: receipt #1" in capsys.readouterr().out
    # A second version replaces the first (the client asks for the current one).
    assert seal("2400.00", "v2", "--replace") == 0
    assert main([*common, "submit", "--dir", str(tmp_path / "v2")]) == 0
    capsys.readouterr()
    assert main([*common, "status", "--tender", tender.reference]) == 0
    status = capsys.readouterr().out
    assert status.count("replaced") == 1 and status.count("counting") == 1
    assert main([*common, "verify-receipt", str(tmp_path / "v2" / "receipt.json")]) == 0
    assert "the platform signature verifies" in capsys.readouterr().out
    assert (
        main(
            [
                *common,
                "withdraw",
                *signing,
                "--out",
                str(tmp_path / "withdrawal.json"),
            ]
        )
        == 0
    )
    assert json.loads((tmp_path / "withdrawal.json").read_text())["payload"]["sequence"] == 3
    # A refusal is reported, not raised: the sealed v1 cannot be sent again under a new upload.
    assert main([*common, "submit", "--dir", str(tmp_path / "v1")]) == 0  # resend → its stored receipt
    capsys.readouterr()
    assert (
        main(
            [
                *common,
                "withdraw",
                *signing,
            ]
        )
        == 1
    )
    assert "no counting bid" in capsys.readouterr().err
