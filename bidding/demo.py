"""Demo: the custodians' opening keys for the demo tenders waiting in approval, so that the tenders
demo's approvals can publish them (publication needs every custodian's registered key and
confirmation, SEALED_BIDS.md "Keys"). Runs after tenders/demo.py; loading twice changes nothing.

On a demo installation (settings.DEMO_KEY_FILES_ALLOWED, set only by config/settings/local.py) the
demo custodians' keys are kept as the files a custodian would keep, under the platform key
directory (`demo-custodians/<username>/`: signing key file, custodian certificate, one opening key
file a tender), all protected by the printed DEMO_KEY_PASSPHRASE, so a newcomer can open a demo
tender after its deadline. Anywhere else the keys are made and thrown away: the tenders take bids
but can never be opened, and no private key of a custodian exists outside its holder."""

import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction

from accounts.demo import Demo
from bidding.client.crypto import CUSTODIAN_KEY_TYPE, SIGNING_KEY_TYPE, key_file_write
from bidding.sb1 import p256
from bidding.sb1.custodian import confirmation_build, opening_key_registration_build
from bidding.selectors.keys import confirmation_current, confirmation_expected
from bidding.services.keys import custodian_confirm, opening_key_register
from config import clock
from ledger.encoding import b64u_encode, format_time
from suppliers import services as supplier_services
from suppliers.models import Certificate
from tenders.constants import TenderStatus
from tenders.models import Tender

# Published with the demo logins: it protects demo key files only, never a real custodian's key.
DEMO_KEY_PASSPHRASE = "yizhan-demo-keys-2026"  # noqa: S105


def demo_key_dir() -> Path | None:
    """Where the demo custodians' key files are kept, or None when this installation is not a demo
    (the setting is off): then no custodian's private key is ever written anywhere."""
    if not getattr(settings, "DEMO_KEY_FILES_ALLOWED", False):
        return None
    return Path(settings.PLATFORM_KEY_DIR) / "demo-custodians"


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    path.chmod(0o600)


def _keep_signing_key(user, key: ec.EllipticCurvePrivateKey, fingerprint: str) -> None:
    folder = demo_key_dir()
    if folder is None:
        return
    folder = folder / user.username
    _write_json(
        folder / "signing-key.json",
        key_file_write(key, kind=SIGNING_KEY_TYPE, passphrase=DEMO_KEY_PASSPHRASE),
    )
    der = bytes(Certificate.objects.get(fingerprint=fingerprint).der)
    pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
    (folder / "certificate.pem").write_bytes(pem)


def _keep_opening_key(user, reference: str, key: ec.EllipticCurvePrivateKey) -> None:
    folder = demo_key_dir()
    if folder is None:
        return
    _write_json(
        folder / user.username / f"{reference}-opening-key.json",
        key_file_write(key, kind=CUSTODIAN_KEY_TYPE, passphrase=DEMO_KEY_PASSPHRASE, tender=reference),
    )


def key_enrolled(user, purpose: str) -> tuple[ec.EllipticCurvePrivateKey, str]:
    """A fresh signing key and its certificate's fingerprint, enrolled through the real path
    (challenge, proof of possession)."""
    key = ec.generate_private_key(ec.SECP256R1())
    point = b64u_encode(p256.public_key_bytes(key))
    challenge = supplier_services.challenge_object(
        supplier_services.enrolment_challenge_issue(user=user, purpose=purpose)
    )
    signature = p256.ecdsa_sign(
        key, "YZ/enroll", supplier_services.enrolment_message(challenge=challenge, key=point)
    )
    certificate = supplier_services.certificate_enrol(
        user=user, challenge=challenge, key=point, signature=b64u_encode(signature)
    )
    return key, certificate.fingerprint


def custodian_signing_key_make(user) -> tuple[ec.EllipticCurvePrivateKey, str]:
    """A fresh custodian signing key with its certificate, kept as the custodian's file on a demo
    installation."""
    key, fingerprint = key_enrolled(user, "custodian")
    _keep_signing_key(user, key, fingerprint)
    return key, fingerprint


def opening_key_register_kept(
    custodian, tender: Tender, key: ec.EllipticCurvePrivateKey, signer: str
) -> None:
    """The custodian registers a fresh opening key for `tender` (kept as its file on a demo
    installation), unless it has one."""
    if tender.opening_keys.filter(index=custodian.index, custodian=custodian.user).exists():
        return
    opening_key = ec.generate_private_key(ec.SECP256R1())
    _keep_opening_key(custodian.user, tender.reference, opening_key)
    opening_key_register(
        user=custodian.user,
        reference=tender.reference,
        envelope=opening_key_registration_build(
            tender=tender.reference,
            index=custodian.index,
            opening_key=opening_key,
            signing_key=key,
            signer=signer,
            created=format_time(clock.now()),
        ),
    )


def custodian_confirm_kept(custodian, tender: Tender, key: ec.EllipticCurvePrivateKey, signer: str) -> None:
    """The custodian signs the confirmation of `tender` as it stands, unless a current one exists."""
    if confirmation_current(tender, custodian) is not None:
        return
    expected = confirmation_expected(tender, signer=signer)
    custodian_confirm(
        user=custodian.user,
        reference=tender.reference,
        envelope=confirmation_build(
            tender=tender.reference,
            custodians=[(c["index"], c["key_id"]) for c in expected["custodians"]],
            threshold=expected["threshold"],
            deadline=expected["deadline"],
            share_window_s=expected["share_window_s"],
            signer=signer,
            signing_key=key,
        ),
    )


def load(demo: Demo) -> None:
    from tenders.demo import DEMO_TENDERS, publish_waiting

    titles = [row[0] for row in DEMO_TENDERS if row[-1] != "in_approval"]
    folder = demo_key_dir()
    if folder is not None:
        demo.notes.append(
            f"The demo custodians' key files are in {folder} (passphrase {DEMO_KEY_PASSPHRASE}); "
            "after a demo tender's deadline each custodian answers with "
            "`yizhan-client --username custodianN custodian open --tender REF --key signing-key.json "
            "--certificate certificate.pem --opening-key REF-opening-key.json` from its folder."
        )
        demo.notes.append(
            "To watch a whole opening ceremony in three browser windows, run `make demo-opening` (a demo "
            "tender closing in 5 minutes, three bids sealed in it; it prints the steps)."
        )
    waiting = list(Tender.objects.filter(title__in=titles, status=TenderStatus.IN_APPROVAL))
    if not waiting:
        return
    signing: dict[int, tuple[ec.EllipticCurvePrivateKey, str]] = {}
    for tender in waiting:
        with transaction.atomic():
            custodians = list(tender.custodians.select_related("user").order_by("index"))
            for custodian in custodians:
                if custodian.user_id not in signing:
                    signing[custodian.user_id] = custodian_signing_key_make(custodian.user)
                opening_key_register_kept(custodian, tender, *signing[custodian.user_id])
            for custodian in custodians:
                custodian_confirm_kept(custodian, tender, *signing[custodian.user_id])
    publish_waiting(demo)
