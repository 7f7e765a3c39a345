"""The demo: with the publication guard of the custodians' keys in force, bidding's demo registers
and confirms the keys, so the demo tenders reach the states the tenders demo wants; twice is once."""

import pytest

from ledger.models import LedgerEntry
from tenders.demo import DEMO_TENDERS
from tenders.models import Tender

pytestmark = pytest.mark.django_db


def test_demo_tenders_are_published_with_their_keys_and_loading_twice_changes_nothing(demo):
    from accounts.management.commands.load_demo import demo_build

    published = Tender.objects.filter(title__in=[row[0] for row in DEMO_TENDERS], status="published")
    assert published.count() >= 6
    for tender in published:
        assert LedgerEntry.objects.filter(
            kind="SB1/notice", document__payload__tender=tender.reference
        ).exists()
    entries = LedgerEntry.objects.count()
    demo_build()
    assert LedgerEntry.objects.count() == entries


def test_an_installation_that_is_not_a_demo_keeps_no_custodian_key(db, settings, tmp_path):
    """Without DEMO_KEY_FILES_ALLOWED (set by config/settings/local.py only) the demo custodians' keys
    are thrown away: nothing is written and no passphrase printed."""
    from accounts.management.commands.load_demo import demo_build

    settings.PLATFORM_KEY_DIR = tmp_path
    settings.DEMO_KEY_FILES_ALLOWED = False
    assert not any("passphrase" in note for note in demo_build().notes)
    assert not (tmp_path / "demo-custodians").exists()


def test_demo_key_files_open_with_the_printed_passphrase(db, settings, tmp_path):
    """On a demo installation every demo custodian's signing key, certificate and the opening key of
    each demo tender are kept under the key directory and open with the printed passphrase (the
    registered opening key and the certificate's key are the ones in the files)."""
    from accounts.management.commands.load_demo import demo_build
    from bidding.client.crypto import CUSTODIAN_KEY_TYPE, SIGNING_KEY_TYPE, key_file_read, point_of
    from bidding.demo import DEMO_KEY_PASSPHRASE
    from bidding.models import OpeningKey
    from ledger.encoding import b64u_encode
    from suppliers.models import Certificate

    settings.PLATFORM_KEY_DIR = tmp_path
    settings.DEMO_KEY_FILES_ALLOWED = True
    demo = demo_build()
    folder = tmp_path / "demo-custodians"
    assert any(DEMO_KEY_PASSPHRASE in note and str(folder) in note for note in demo.notes)
    keys = list(OpeningKey.objects.select_related("tender", "custodian"))
    assert keys
    for registered in keys:
        mine = folder / registered.custodian.username
        opening = key_file_read(
            (mine / f"{registered.tender.reference}-opening-key.json").read_text(),
            kind=CUSTODIAN_KEY_TYPE,
            passphrase=DEMO_KEY_PASSPHRASE,
            tender=registered.tender.reference,
        )
        assert b64u_encode(point_of(opening)) == registered.key
        signing = key_file_read(
            (mine / "signing-key.json").read_text(), kind=SIGNING_KEY_TYPE, passphrase=DEMO_KEY_PASSPHRASE
        )
        certificate = Certificate.objects.get(holder=registered.custodian, purpose="custodian")
        assert b64u_encode(point_of(signing)) == certificate.public_key
        assert (mine / "certificate.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
