"""Demo: the custodians' opening keys for the demo tenders waiting in approval, so that the tenders
demo's approvals can publish them (publication needs every custodian's registered key and
confirmation, SEALED_BIDS.md "Keys"). Runs after tenders/demo.py; loading twice changes nothing.

The demo custodians' signing and opening keys are made here and thrown away: these tenders can
take bids, but opening them needs custodians who kept their keys (make such a tender through the
custodian pages or `yizhan-client custodian-key`)."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction

from accounts.demo import Demo
from bidding.sb1 import p256
from bidding.sb1.custodian import confirmation_build, opening_key_registration_build
from bidding.selectors.keys import confirmation_current, confirmation_expected
from bidding.services.keys import custodian_confirm, opening_key_register
from config import clock
from ledger.encoding import b64u_encode, format_time
from suppliers import services as supplier_services
from tenders.constants import TenderStatus
from tenders.models import Tender


def _signing_key(user) -> tuple[ec.EllipticCurvePrivateKey, str]:
    """A fresh custodian signing key with its certificate (enrolled through the real path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    point = b64u_encode(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    challenge = supplier_services.challenge_object(
        supplier_services.enrolment_challenge_issue(user=user, purpose="custodian")
    )
    signature = p256.ecdsa_sign(
        key, "YZ/enroll", supplier_services.enrolment_message(challenge=challenge, key=point)
    )
    certificate = supplier_services.certificate_enrol(
        user=user, challenge=challenge, key=point, signature=b64u_encode(signature)
    )
    return key, certificate.fingerprint


def load(demo: Demo) -> None:
    from tenders.demo import DEMO_TENDERS, publish_waiting

    titles = [row[0] for row in DEMO_TENDERS if row[-1] != "in_approval"]
    waiting = list(Tender.objects.filter(title__in=titles, status=TenderStatus.IN_APPROVAL))
    if not waiting:
        return
    signing: dict[int, tuple[ec.EllipticCurvePrivateKey, str]] = {}
    for tender in waiting:
        with transaction.atomic():
            custodians = list(tender.custodians.select_related("user").order_by("index"))
            for custodian in custodians:
                if custodian.user_id not in signing:
                    signing[custodian.user_id] = _signing_key(custodian.user)
                if not tender.opening_keys.filter(index=custodian.index, custodian=custodian.user).exists():
                    key, signer = signing[custodian.user_id]
                    opening_key_register(
                        user=custodian.user,
                        reference=tender.reference,
                        envelope=opening_key_registration_build(
                            tender=tender.reference,
                            index=custodian.index,
                            opening_key=ec.generate_private_key(ec.SECP256R1()),
                            signing_key=key,
                            signer=signer,
                            created=format_time(clock.now()),
                        ),
                    )
            for custodian in custodians:
                if confirmation_current(tender, custodian) is not None:
                    continue
                key, signer = signing[custodian.user_id]
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
    publish_waiting(demo)
