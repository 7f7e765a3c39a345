"""Provider notifications: signed, idempotent; a replay or a bad signature changes nothing."""

import json

import pytest
from django.urls import reverse

from portal import services
from portal.models import ApplicationEvent, Payment, PaymentNotification
from portal.payments.sandbox import SIGNATURE_HEADER, sign
from tests.portal.conftest import pay

pytestmark = pytest.mark.django_db


def _snapshot(payment):
    payment.refresh_from_db()
    return (
        payment.status,
        payment.paid_at,
        payment.provider_reference,
        ApplicationEvent.objects.filter(application=payment.application).count(),
    )


def test_a_valid_notification_marks_the_payment_paid_once(demo, complete_marriage_application):
    payment, body, headers = pay(complete_marriage_application, demo.users["citizen1"])
    result = services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    assert (result.accepted, result.changed, result.outcome) == (True, True, "paid")
    before = _snapshot(payment)
    assert before[0] == "paid"

    replay = services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    assert (replay.accepted, replay.changed, replay.outcome) == (True, False, "replay")
    assert _snapshot(payment) == before
    assert PaymentNotification.objects.filter(payment=payment, signature_valid=True).count() == 1


def test_a_bad_signature_changes_nothing(demo, complete_marriage_application):
    payment, body, headers = pay(complete_marriage_application, demo.users["citizen1"])
    before = _snapshot(payment)
    forged = body.replace(b'"SUCCESS"', b'"SUCCESS" ')
    for hdrs, data in [({SIGNATURE_HEADER: "00" * 32}, body), (headers, forged), ({}, body)]:
        result = services.payment_notification_receive(provider_name="sandbox", headers=hdrs, body=data)
        assert (result.accepted, result.changed) == (False, False)
    assert _snapshot(payment) == before
    assert before[0] == "pending"


def test_a_notification_for_another_amount_changes_nothing(demo, complete_marriage_application):
    payment, _body, _headers = pay(complete_marriage_application, demo.users["citizen1"])
    body = json.dumps(
        {"notification_id": "N1", "order_id": payment.order_id, "amount": "0.01", "result": "SUCCESS"}
    ).encode()
    result = services.payment_notification_receive(
        provider_name="sandbox", headers={SIGNATURE_HEADER: sign(body)}, body=body
    )
    assert result.outcome == "amount_mismatch"
    assert Payment.objects.get(pk=payment.pk).status == "pending"


def test_the_http_callback_answers_and_is_idempotent(client, demo, complete_marriage_application):
    payment, body, headers = pay(complete_marriage_application, demo.users["citizen1"])
    url = reverse("portal:payment_notify", args=["sandbox"])
    bad = client.post(url, body, content_type="application/json", headers={SIGNATURE_HEADER: "bad"})
    assert bad.status_code == 400 and Payment.objects.get(pk=payment.pk).status == "pending"
    first = client.post(url, body, content_type="application/json", headers=headers)
    again = client.post(url, body, content_type="application/json", headers=headers)
    assert first.json()["outcome"] == "paid" and again.json()["outcome"] == "replay"
    assert Payment.objects.get(pk=payment.pk).status == "paid"


def test_submission_needs_the_fee_paid(demo, complete_marriage_application):
    from portal.exceptions import FeeUnpaid

    with pytest.raises(FeeUnpaid):
        services.application_submit(user=demo.users["citizen1"], application=complete_marriage_application)


def test_without_the_sandbox_its_pages_do_not_exist_and_a_fee_cannot_be_marked_paid(
    client, demo, complete_marriage_application, settings
):
    citizen = demo.users["citizen1"]
    payment = services.payment_start(user=citizen, application=complete_marriage_application)
    settings.PAYMENT_SANDBOX_ENABLED = False
    client.force_login(citizen)
    checkout = reverse("portal:sandbox_checkout", args=[payment.order_id])
    assert client.get(checkout).status_code == 404
    assert client.post(checkout, {"result": "ok"}).status_code == 404
    body = json.dumps(
        {
            "notification_id": "N9",
            "order_id": payment.order_id,
            "amount": str(payment.amount),
            "result": "SUCCESS",
        }
    ).encode()
    notify = client.post(
        reverse("portal:payment_notify", args=["sandbox"]),
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body)},
    )
    assert notify.status_code == 404
    payment.refresh_from_db()
    assert payment.status == "pending"
    with pytest.raises(services.PaymentRefused):
        services.payment_start(user=citizen, application=complete_marriage_application)
