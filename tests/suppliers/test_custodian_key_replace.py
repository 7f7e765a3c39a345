"""A custodian replaces a lost opening key: allowed until the tender is published, after which
bidders seal to the notice's keys and a replacement is refused with nothing changed. Replacing keeps
the old registration (table and ledger), never lets its key back, and makes every confirmation stale
so publication waits for all custodians to confirm the new set."""

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import ec
from rest_framework.test import APIClient

from bidding.models import CustodianConfirmation, OpeningKey
from bidding.sb1.custodian import confirmation_build, opening_key_registration_build
from bidding.selectors.keys import confirmation_expected, publication_key_violations
from bidding.services.keys import custodian_confirm
from config import clock
from config.exceptions import NotFound
from ledger.encoding import format_time
from ledger.models import LedgerEntry
from suppliers.exceptions import OpeningKeyReplaceRefused
from suppliers.models import OpeningKeyReplacement
from suppliers.services import opening_key_replace
from tenders import services as tender_services
from tenders.exceptions import TenderRulesViolated
from tests.bidding.submission_factory import ISSUE, _enrolment_on_postgresql
from tests.suppliers.factories import custodian_certificate, opening_keys_ready
from tests.tenders.factories import at, make_tender

pytestmark = pytest.mark.django_db

DEADLINE = at("2026-12-01", "09:30")


@pytest.fixture(autouse=True)
def clock_at():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tender(demo):
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    with _enrolment_on_postgresql():
        opening_keys_ready(tender)
    return tender


def _signing(user):
    with _enrolment_on_postgresql():
        return custodian_certificate(user)


def _new_registration(tender, custodian, signing=None, opening=None):
    key, certificate = signing or _signing(custodian.user)
    return opening_key_registration_build(
        tender=tender.reference,
        index=custodian.index,
        opening_key=opening or ec.generate_private_key(ec.SECP256R1()),
        signing_key=key,
        signer=certificate.fingerprint,
        created=format_time(clock.now()),
    )


def _confirm_all(tender):
    for custodian in tender.custodians.select_related("user").order_by("index"):
        key, certificate = _signing(custodian.user)
        expected = confirmation_expected(tender, signer=certificate.fingerprint)
        custodian_confirm(
            user=custodian.user,
            reference=tender.reference,
            envelope=confirmation_build(
                tender=tender.reference,
                custodians=[(i["index"], i["key_id"]) for i in expected["custodians"]],
                threshold=expected["threshold"],
                deadline=expected["deadline"],
                share_window_s=expected["share_window_s"],
                signer=certificate.fingerprint,
                signing_key=key,
            ),
        )


def _state(tender) -> tuple:
    return (
        list(OpeningKey.objects.filter(tender=tender).order_by("index").values_list("key_id", "envelope")),
        OpeningKeyReplacement.objects.filter(tender=tender).count(),
        CustodianConfirmation.objects.filter(tender=tender).count(),
        LedgerEntry.objects.count(),
    )


def test_replacing_before_publication_keeps_the_old_key_and_resets_every_confirmation(tender):
    first = tender.custodians.get(index=1)
    old = OpeningKey.objects.get(tender=tender, index=1)
    old_key_id, old_envelope = old.key_id, old.envelope
    assert publication_key_violations(tender) == []

    envelope = _new_registration(tender, first)
    ledger_before = LedgerEntry.objects.count()
    replaced = opening_key_replace(
        user=first.user, reference=tender.reference, envelope=envelope, reason="笔记本电脑丢失"
    )

    current = OpeningKey.objects.get(tender=tender, index=1)
    assert current.key_id == envelope["registration"]["key_id"] != old_key_id
    assert current.envelope == envelope
    assert (replaced.key_id, replaced.envelope, replaced.replaced_by_key_id) == (
        old_key_id,
        old_envelope,
        current.key_id,
    )
    # In the ledger now, in the same transaction: the old signed registration and the new key id.
    entry = LedgerEntry.objects.get(index=ledger_before)
    assert entry.kind == "suppliers/opening-key-replacement"
    payload = entry.document["payload"]
    assert payload["replaced"] == old_envelope and payload["key_id"] == current.key_id
    assert payload["tender"] == tender.reference and payload["index"] == 1
    assert "reason" not in payload  # kept on record, not published
    # Every confirmation signed the old set of keys: all stay on record, none counts.
    assert CustodianConfirmation.objects.filter(tender=tender).count() == 3
    assert [v.rule for v in publication_key_violations(tender)] == ["custodian_confirmation_missing"] * 3

    _confirm_all(tender)
    assert publication_key_violations(tender) == []


def test_the_old_key_never_comes_back_and_a_fresh_key_is_required(tender, demo):
    first = tender.custodians.get(index=1)
    signing = _signing(first.user)
    opening = ec.generate_private_key(ec.SECP256R1())
    old_opening_registration = OpeningKey.objects.get(tender=tender, index=1).envelope
    opening_key_replace(
        user=first.user,
        reference=tender.reference,
        envelope=_new_registration(tender, first, signing, opening),
    )
    before = _state(tender)
    # The same new key again, or the key it replaced, or another custodian's key: refused.
    second_key = OpeningKey.objects.get(tender=tender, index=2)
    for envelope in (
        _new_registration(tender, first, signing, opening),
        old_opening_registration,
    ):
        with pytest.raises(OpeningKeyReplaceRefused) as refused:
            opening_key_replace(user=first.user, reference=tender.reference, envelope=envelope)
        assert refused.value.code == "opening_key_reused"
    assert _state(tender) == before
    assert OpeningKey.objects.get(tender=tender, index=2).key_id == second_key.key_id


def test_replacing_needs_a_registered_key_and_a_custodian_of_the_tender(demo):
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    first = tender.custodians.get(index=1)
    with pytest.raises(OpeningKeyReplaceRefused) as refused:
        opening_key_replace(
            user=first.user, reference=tender.reference, envelope=_new_registration(tender, first)
        )
    assert refused.value.code == "opening_key_missing"
    with pytest.raises(NotFound):
        opening_key_replace(
            user=demo.users["supplier1"],
            reference=tender.reference,
            envelope=_new_registration(tender, first),
        )
    assert not OpeningKeyReplacement.objects.filter(tender=tender).exists()


def test_after_publication_replacement_is_refused_and_nothing_changes(tender, demo):
    tender_services.tender_submit(tender_id=tender.pk, by=demo.users["officer"])
    tender_services.tender_publish(tender_id=tender.pk, by=demo.users["director"])
    first = tender.custodians.get(index=1)
    envelope = _new_registration(tender, first)
    before = _state(tender)
    with pytest.raises(OpeningKeyReplaceRefused) as refused:
        opening_key_replace(user=first.user, reference=tender.reference, envelope=envelope)
    assert refused.value.code == "opening_key_published"
    assert "published" in str(refused.value)
    assert _state(tender) == before

    # Through the API: 409 with the reason; and the assignment says the key is no longer replaceable.
    client = APIClient()
    client.force_authenticate(first.user)
    response = client.post(
        f"/api/suppliers/custodian-keys/{tender.reference}/replace/",
        {**envelope, "reason": "lost"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "opening_key_published"
    assert "已发布" in response.json()["message"]
    assert client.get(f"/api/suppliers/custodian-keys/{tender.reference}/").json()["replaceable"] is False
    assert _state(tender) == before


def test_publication_waits_for_every_custodian_to_confirm_the_new_key(tender, demo):
    tender_services.tender_submit(
        tender_id=tender.pk, by=demo.users["officer"]
    )  # in approval: still replaceable
    second = tender.custodians.get(index=2)
    client = APIClient()
    client.force_authenticate(second.user)
    envelope = _new_registration(tender, second)
    response = client.post(
        f"/api/suppliers/custodian-keys/{tender.reference}/replace/",
        {**envelope, "reason": "口令遗忘"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["registration"] == envelope and body["confirmed"] is False and body["replaceable"] is True
    assert [r["replaced_by"] for r in body["replaced"]] == [envelope["registration"]["key_id"]]
    assert OpeningKeyReplacement.objects.get(tender=tender).reason == "口令遗忘"

    with pytest.raises(TenderRulesViolated) as refused:
        tender_services.tender_publish(tender_id=tender.pk, by=demo.users["director"])
    assert set(refused.value.rules) == {"custodian_confirmation_missing"}
    _confirm_all(tender)
    before = LedgerEntry.objects.count()
    tender_services.tender_publish(tender_id=tender.pk, by=demo.users["director"])
    published = LedgerEntry.objects.filter(index__gte=before).order_by("index")
    registrations = [e.document for e in published if e.kind == "SB1/opening-key"]
    assert registrations[1] == envelope  # the notice binds the new key, not the lost one
    notice = next(e for e in published if e.kind == "SB1/notice").document["payload"]
    assert notice["custodians"][1]["key_id"] == envelope["registration"]["key_id"]


def test_a_replaced_key_is_refused_on_another_tender_too(tender, demo):
    """A key given up as lost may be in someone else's hands: no tender accepts it again."""
    from bidding.services.keys import opening_key_register
    from config.exceptions import Conflict

    first = tender.custodians.get(index=1)
    signing = _signing(first.user)
    lost = ec.generate_private_key(ec.SECP256R1())
    opening_key_replace(
        user=first.user, reference=tender.reference, envelope=_new_registration(tender, first, signing, lost)
    )
    opening_key_replace(
        user=first.user, reference=tender.reference, envelope=_new_registration(tender, first)
    )
    other = make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="另一个项目")
    custodian = other.custodians.get(user=first.user)
    with pytest.raises(Conflict) as refused:
        opening_key_register(
            user=first.user,
            reference=other.reference,
            envelope=_new_registration(other, custodian, signing, lost),
        )
    assert refused.value.code == "opening_key_reused"
    assert not OpeningKey.objects.filter(tender=other, custodian=first.user).exists()
