"""`yizhan-client custodian open` against the real API (through WSGI, no network): it checks the
seal and every slot itself, answers, and a second run resends the same answers."""

import datetime as dt
import json

import httpx
import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.wsgi import get_wsgi_application

from accounts.services import api_token_issue
from bidding.client import cli
from bidding.client import crypto as client_crypto
from bidding.models import CeremonyRoom, ShareSubmission
from ledger.encoding import format_time
from tests.bidding.ceremony_factory import ceremony_make

pytestmark = pytest.mark.django_db(transaction=True)
PASSPHRASE = "a-long-custodian-passphrase"


def test_custodian_open_checks_answers_and_resends_the_same(demo, tmp_path, monkeypatch, capsys):
    ceremony = ceremony_make(demo, bids=3)
    keys = ceremony.custodians[2]
    signing = tmp_path / "signing-key.json"
    signing.write_text(
        json.dumps(
            client_crypto.key_file_write(
                keys.signing_key, kind=client_crypto.SIGNING_KEY_TYPE, passphrase=PASSPHRASE
            )
        )
    )
    certificate = tmp_path / "certificate.pem"
    certificate.write_bytes(
        x509.load_der_x509_certificate(bytes(keys.certificate.der)).public_bytes(serialization.Encoding.PEM)
    )
    opening = tmp_path / "opening-key.json"
    opening.write_text(
        json.dumps(
            client_crypto.key_file_write(
                keys.opening_key,
                kind=client_crypto.CUSTODIAN_KEY_TYPE,
                passphrase=PASSPHRASE,
                tender=ceremony.tender.reference,
            )
        )
    )
    token = api_token_issue(user=keys.user)
    transport = httpx.WSGITransport(app=get_wsgi_application())

    class LocalApi(cli.Api):
        def __init__(self, server, token_, username):
            self.http = httpx.Client(
                transport=transport,
                base_url="http://testserver",
                headers={"Authorization": f"Bearer {token.key}"},
            )

    monkeypatch.setattr(cli, "Api", LocalApi)
    monkeypatch.setenv("YIZHAN_PASSPHRASE", PASSPHRASE)
    argv = [
        "custodian",
        "open",
        "--tender",
        ceremony.tender.reference,
        "--key",
        str(signing),
        "--certificate",
        str(certificate),
        "--opening-key",
        str(opening),
        "--deadline",
        format_time(ceremony.deadline),
    ]
    with time_machine.travel(ceremony.deadline - dt.timedelta(minutes=1), tick=False):
        assert cli.main(argv) == 1  # before the deadline the server serves nothing
    assert "(too_early)" in capsys.readouterr().err
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=5), tick=False):
        assert cli.main(argv) == 0
        assert "3 of 3 shares accepted" in capsys.readouterr().out
        stored = json.loads((tmp_path / "opening-key.json.answers.json").read_text())
        assert cli.main(argv) == 0  # a resend repeats the stored answers
    room = CeremonyRoom.objects.get(tender=ceremony.tender)
    accepted = ShareSubmission.objects.filter(room=room, index=2, state="accepted")
    assert accepted.count() == 3
    assert {s.envelope["signature"] for s in accepted} == {e["signature"] for e in stored.values()}
