"""`yizhan-client custodian open` against the real API (through WSGI, no network): it checks the
seal and every slot itself, that the seal is the tender's first in the ledger (reading and rehashing
every entry before it), and that its deadline is the one the custodian last confirmed; it answers,
and a second run resends the same answers. Every refusal sends nothing."""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.wsgi import get_wsgi_application
from django.db import transaction

from accounts.services import api_token_issue
from bidding.client import cli
from bidding.client import crypto as client_crypto
from bidding.models import CeremonyRoom, CustodianConfirmation, SealStatement, ShareSubmission
from ledger.encoding import format_time, jcs
from ledger.models import LedgerEntry
from ledger.services import ledger_append
from ledger.signing import platform_sign
from tests.bidding.ceremony_factory import Ceremony, ceremony_make
from tests.suppliers.factories import custodian_certificate

pytestmark = pytest.mark.django_db(transaction=True)
PASSPHRASE = "a-long-custodian-passphrase"
INDEX = 2  # the custodian the client runs as


@dataclass
class Custodian:
    ceremony: Ceremony
    tmp_path: Path
    signing_key: object
    certificate: object

    @property
    def opening(self) -> Path:
        return self.tmp_path / "opening-key.json"

    @property
    def kept_confirmation(self) -> Path:
        return self.tmp_path / "opening-key.json.confirmation.json"

    def argv(self, *extra: str) -> list[str]:
        return [
            "custodian",
            "open",
            "--tender",
            self.ceremony.tender.reference,
            "--key",
            str(self.tmp_path / "signing-key.json"),
            "--certificate",
            str(self.tmp_path / "certificate.pem"),
            "--opening-key",
            str(self.opening),
            *extra,
        ]

    def keep_confirmation(self, *, deadline: str | None = None) -> None:
        """What custodian-confirm keeps: its signed confirmation (here of `deadline` if given)."""
        logged = CustodianConfirmation.objects.get(tender=self.ceremony.tender, index=INDEX).envelope
        c = logged["confirmation"]
        envelope = client_crypto.custodian_confirmation(
            tender=c["tender"],
            custodians=c["custodians"],
            threshold=c["threshold"],
            deadline=deadline or c["deadline"],
            share_window_s=c["share_window_s"],
            signer=c["signer"],
            signing_key=self.signing_key,
        )
        self.kept_confirmation.write_text(json.dumps(envelope))

    def shares_sent(self) -> int:
        return ShareSubmission.objects.filter(room__tender=self.ceremony.tender, index=INDEX).count()


def _custodian(demo, tmp_path, monkeypatch, *, signing=None) -> Custodian:
    ceremony = ceremony_make(demo, bids=3)
    keys = ceremony.custodians[INDEX]
    signing_key, certificate = signing(keys.user) if signing else (keys.signing_key, keys.certificate)
    (tmp_path / "signing-key.json").write_text(
        json.dumps(
            client_crypto.key_file_write(
                signing_key, kind=client_crypto.SIGNING_KEY_TYPE, passphrase=PASSPHRASE
            )
        )
    )
    (tmp_path / "certificate.pem").write_bytes(
        x509.load_der_x509_certificate(bytes(certificate.der)).public_bytes(serialization.Encoding.PEM)
    )
    (tmp_path / "opening-key.json").write_text(
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
    return Custodian(ceremony, tmp_path, signing_key, certificate)


def _in_share_window(custodian: Custodian):
    return time_machine.travel(custodian.ceremony.deadline + dt.timedelta(seconds=5), tick=False)


def test_custodian_open_checks_answers_and_resends_the_same(demo, tmp_path, monkeypatch, capsys):
    custodian = _custodian(demo, tmp_path, monkeypatch)
    custodian.keep_confirmation()
    argv = custodian.argv("--deadline", format_time(custodian.ceremony.deadline))
    with time_machine.travel(custodian.ceremony.deadline - dt.timedelta(minutes=1), tick=False):
        assert cli.main(argv) == 1  # before the deadline the server serves nothing
    assert "(too_early)" in capsys.readouterr().err
    with _in_share_window(custodian):
        assert cli.main(argv) == 0
        assert "3 of 3 shares accepted" in capsys.readouterr().out
        stored = json.loads((tmp_path / "opening-key.json.answers.json").read_text())
        assert cli.main(argv) == 0  # a resend repeats the stored answers
    room = CeremonyRoom.objects.get(tender=custodian.ceremony.tender)
    accepted = ShareSubmission.objects.filter(room=room, index=INDEX, state="accepted")
    assert accepted.count() == 3
    assert {s.envelope["signature"] for s in accepted} == {e["signature"] for e in stored.values()}


def test_without_a_kept_confirmation_the_one_in_the_ledger_signed_by_its_key_is_used(
    demo, tmp_path, monkeypatch, capsys
):
    custodian = _custodian(demo, tmp_path, monkeypatch)
    with _in_share_window(custodian):
        assert cli.main(custodian.argv()) == 0, capsys.readouterr().err
    assert "3 of 3 shares accepted" in capsys.readouterr().out


def test_a_seal_whose_deadline_is_not_the_latest_confirmed_one_is_refused(
    demo, tmp_path, monkeypatch, capsys
):
    custodian = _custodian(demo, tmp_path, monkeypatch)
    confirmed = format_time(custodian.ceremony.deadline - dt.timedelta(days=2))
    custodian.keep_confirmation(deadline=confirmed)  # the custodian's latest: an earlier deadline
    with _in_share_window(custodian):
        assert cli.main(custodian.argv()) == 1
    error = capsys.readouterr().err
    assert f"the seal's deadline {format_time(custodian.ceremony.deadline)}" in error
    assert f"latest confirmation {confirmed}" in error and "nothing was sent" in error
    assert custodian.shares_sent() == 0


def test_a_given_deadline_must_agree_as_well(demo, tmp_path, monkeypatch, capsys):
    custodian = _custodian(demo, tmp_path, monkeypatch)
    other = format_time(custodian.ceremony.deadline + dt.timedelta(hours=1))
    with _in_share_window(custodian):
        assert cli.main(custodian.argv("--deadline", other)) == 1
    assert f"not the one you gave ({other})" in capsys.readouterr().err
    assert custodian.shares_sent() == 0


def test_no_confirmation_by_its_signing_key_is_refused(demo, tmp_path, monkeypatch, capsys):
    # A signing key enrolled after the tender was confirmed: no confirmation anywhere verifies under it.
    custodian = _custodian(demo, tmp_path, monkeypatch, signing=custodian_certificate)
    with _in_share_window(custodian):
        assert cli.main(custodian.argv()) == 1
    assert "no confirmation of tender" in capsys.readouterr().err
    assert custodian.shares_sent() == 0


def test_a_kept_confirmation_not_signed_by_its_key_is_refused(demo, tmp_path, monkeypatch, capsys):
    custodian = _custodian(demo, tmp_path, monkeypatch)
    custodian.keep_confirmation()
    envelope = json.loads(custodian.kept_confirmation.read_text())
    envelope["confirmation"]["deadline"] = format_time(custodian.ceremony.deadline + dt.timedelta(days=1))
    custodian.kept_confirmation.write_text(json.dumps(envelope))
    with _in_share_window(custodian):
        assert cli.main(custodian.argv()) == 1
    assert "is not a confirmation of tender" in capsys.readouterr().err
    assert custodian.shares_sent() == 0


def test_a_seal_that_is_not_the_tenders_first_in_the_ledger_is_refused(demo, tmp_path, monkeypatch, capsys):
    from bidding.services.seal import seal_ensure

    custodian = _custodian(demo, tmp_path, monkeypatch)
    custodian.keep_confirmation()
    with _in_share_window(custodian):
        first = seal_ensure(custodian.ceremony.tender)
        # The platform seals again (the same set, a later time) and serves the second statement.
        again = {
            **first.envelope["payload"],
            "sealed_at": format_time(first.sealed_at + dt.timedelta(seconds=1)),
        }
        with transaction.atomic():
            entry = ledger_append(kind="SB1/seal", payload=platform_sign(again))
            SealStatement.objects.filter(pk=first.pk).update(
                envelope=entry.document, ledger_index=entry.index
            )
        assert cli.main(custodian.argv()) == 1
    error = capsys.readouterr().err
    assert f"ledger entry {first.ledger_index} is an earlier seal statement" in error
    assert f"the served seal (entry {entry.index}) is not the tender's first" in error
    assert custodian.shares_sent() == 0


def test_a_changed_ledger_entry_before_the_seal_fails_the_scan(demo, tmp_path, monkeypatch, capsys):
    from bidding.services.seal import seal_ensure

    custodian = _custodian(demo, tmp_path, monkeypatch)
    custodian.keep_confirmation()
    with _in_share_window(custodian):
        seal = seal_ensure(custodian.ceremony.tender)
        receipt = LedgerEntry.objects.filter(kind="SB1/receipt", index__lt=seal.ledger_index).first()
        changed = json.loads(bytes(receipt.canonical))
        changed["payload"]["sequence"] += 1  # still canonical JSON: only the root can tell
        LedgerEntry.objects.filter(pk=receipt.pk).update(canonical=jcs(changed), document=changed)
        assert cli.main(custodian.argv()) == 1
    error = capsys.readouterr().err
    assert f"the ledger entries 0..{seal.ledger_index} do not give the platform-signed root" in error
    assert custodian.shares_sent() == 0


def test_custodian_confirm_keeps_the_latest_signed_confirmation(demo, tmp_path, monkeypatch, capsys):
    """custodian-confirm keeps what it signs beside the opening key (a later one replaces it), before
    sending it, in the form `custodian open` reads."""
    from bidding.client.custodian_open import _own_confirmation

    custodian = _custodian(demo, tmp_path, monkeypatch)
    expected = dict(CustodianConfirmation.objects.get(tender=custodian.ceremony.tender, index=INDEX).envelope)
    expected = expected["confirmation"]
    sent = []

    class ConfirmApi:
        def __init__(self, *args):
            pass

        def get(self, path):
            return {"index": INDEX, "confirmation_to_sign": expected}

        def post(self, path, body):
            sent.append(body)
            return {}

    monkeypatch.setattr(cli, "Api", ConfirmApi)
    argv = [
        "custodian-confirm",
        "--tender",
        custodian.ceremony.tender.reference,
        "--key",
        str(tmp_path / "signing-key.json"),
        "--certificate",
        str(tmp_path / "certificate.pem"),
        "--opening-key",
        str(custodian.opening),
    ]
    assert cli.main(argv) == 0
    expected = {**expected, "deadline": format_time(custodian.ceremony.deadline + dt.timedelta(days=3))}
    assert cli.main(argv) == 0
    kept = json.loads(custodian.kept_confirmation.read_text())
    assert kept == sent[-1]
    confirmation = _own_confirmation(
        kept,
        tender=custodian.ceremony.tender.reference,
        signing_public_key=custodian.signing_key.public_key(),
    )
    assert confirmation == expected  # the latest wins
    assert str(custodian.kept_confirmation) in capsys.readouterr().out
