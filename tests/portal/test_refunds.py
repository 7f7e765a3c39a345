"""Fee refunds: requested by the fee rules on a refusal or an early withdrawal, for a duplicate
charge, or by staff; settled only by the provider's signed notification (a replay or a bad
signature changes nothing); never more than was paid; a repeated request makes one refund."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ledger.models import LedgerEntry
from portal import services
from portal.exceptions import InvalidFees, NotDepartmentStaff, RefundRefused
from portal.models import Application, ApplicationEvent, Message, Payment, PaymentNotification, Refund
from portal.payments.sandbox import SIGNATURE_HEADER, SandboxProvider, sign
from tests.portal.conftest import pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(demo, complete_marriage_application):
    """A complete marriage registration whose ¥9.00 fee is paid, submitted and awaiting acceptance."""
    citizen = demo.users["citizen1"]
    _payment, body, headers = pay(complete_marriage_application, citizen)
    services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    services.application_submit(user=citizen, application=complete_marriage_application)
    return Application.objects.get(pk=complete_marriage_application.pk)


def _refund_entries() -> list[dict]:
    return [e.document["payload"] for e in LedgerEntry.objects.filter(kind="portal.refund").order_by("index")]


def _notification(refund: Refund, *, succeeded: bool = True) -> tuple[bytes, dict[str, str]]:
    body = SandboxProvider().refund_notification_body(
        refund_id=refund.refund_id,
        order_id=refund.payment.order_id,
        amount=refund.amount,
        succeeded=succeeded,
    )
    return body, {SIGNATURE_HEADER: sign(body)}


def _snapshot(refund: Refund) -> tuple:
    refund.refresh_from_db()
    return (
        refund.status,
        refund.finished_at,
        refund.provider_reference,
        ApplicationEvent.objects.filter(application=refund.payment.application_id).count(),
        Message.objects.count(),
        LedgerEntry.objects.count(),
        PaymentNotification.objects.filter(signature_valid=True).count(),
    )


def test_a_refusal_requests_the_refund_and_the_providers_notification_settles_it(
    demo, paid, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_refuse_acceptance(
            user=demo.users["civil_staff"], application=paid, reasons="双方均未到法定婚龄"
        )
    refund = Refund.objects.get(payment__application=paid)
    assert (refund.status, refund.amount, refund.reason, refund.decided_by) == (
        "requested",
        Decimal("9.00"),
        "refused",
        None,
    )
    assert refund.submitted_at is None  # the provider is asked only once the refusal is committed
    requested = _refund_entries()
    assert [(e["refund_id"], e["status"], e["decided_by"], e["amount"]) for e in requested] == [
        (refund.refund_id, "requested", "fee_rules", "9.00")
    ]
    assert "王小明" not in str(requested)  # the public ledger names no one

    for callback in callbacks:  # after commit: the decision document, and the refund sent to the sandbox
        callback()
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.submitted_at and refund.finished_at
    assert refund.provider_reference.startswith("SBXRT")
    assert [e["status"] for e in _refund_entries()] == ["requested", "succeeded"]
    kinds = list(paid.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["refund_requested", "refunded"] or {"refund_requested", "refunded"} <= set(kinds)
    assert Message.objects.filter(user=paid.applicant, subject__contains=paid.reference).count() >= 2


def test_a_replayed_or_badly_signed_refund_notification_changes_nothing(demo, paid):
    services.application_refuse_acceptance(
        user=demo.users["civil_staff"], application=paid, reasons="不符合条件"
    )
    refund = Refund.objects.get(payment__application=paid)
    body, headers = _notification(refund)
    before = _snapshot(refund)
    forged = body.replace(b'"SUCCESS"', b'"SUCCESS" ')
    payment_body = SandboxProvider().notification_body(
        order_id=refund.payment.order_id, amount=refund.amount, succeeded=True
    )
    attempts = [
        ({SIGNATURE_HEADER: "00" * 32}, body),
        (headers, forged),
        ({}, body),
        ({SIGNATURE_HEADER: sign(payment_body)}, payment_body),  # a payment notification is not a refund one
    ]
    for hdrs, data in attempts:
        result = services.refund_notification_receive(provider_name="sandbox", headers=hdrs, body=data)
        assert (result.accepted, result.changed) == (False, False)
    after_bad = _snapshot(refund)
    assert after_bad == before and before[0] == "requested"

    first = services.refund_notification_receive(provider_name="sandbox", headers=headers, body=body)
    assert (first.accepted, first.changed, first.outcome) == (True, True, "succeeded")
    settled = _snapshot(refund)
    replay = services.refund_notification_receive(provider_name="sandbox", headers=headers, body=body)
    assert (replay.accepted, replay.changed, replay.outcome) == (True, False, "replay")
    assert _snapshot(refund) == settled
    # A later, differently numbered notification cannot turn a refund that succeeded into a failure.
    late = body.replace(b'"SUCCESS"', b'"FAIL"').replace(b'"SBXR-', b'"SBXR-X')
    result = services.refund_notification_receive(
        provider_name="sandbox", headers={SIGNATURE_HEADER: sign(late)}, body=late
    )
    assert (result.changed, result.outcome) == (False, "already_final")
    assert _snapshot(refund)[:3] == settled[:3]


def test_a_refund_notification_for_another_amount_changes_nothing(demo, paid):
    services.application_refuse_acceptance(
        user=demo.users["civil_staff"], application=paid, reasons="不符合条件"
    )
    refund = Refund.objects.get(payment__application=paid)
    body = SandboxProvider().refund_notification_body(
        refund_id=refund.refund_id, order_id=refund.payment.order_id, amount=Decimal("90.00"), succeeded=True
    )
    result = services.refund_notification_receive(
        provider_name="sandbox", headers={SIGNATURE_HEADER: sign(body)}, body=body
    )
    assert result.outcome == "amount_mismatch"
    assert Refund.objects.get(pk=refund.pk).status == "requested"


def test_an_over_refund_is_refused_clearly_and_changes_nothing(demo, paid):
    civil = demo.users["civil_staff"]
    order_id = paid.payments.get().order_id

    def ask(amount, key):
        return services.refund_request(
            user=civil,
            application=paid,
            order_id=order_id,
            amount=amount,
            reason="other",
            note="多收费用退还",
            idempotency_key=key,
        )

    before = (Refund.objects.count(), LedgerEntry.objects.count(), ApplicationEvent.objects.count())
    with pytest.raises(RefundRefused) as refused:
        ask("9.01", "key-too-much-1")
    assert refused.value.code == "refund_exceeds_payment"
    assert "9.01" in str(refused.value) and "9.00" in str(refused.value)
    assert (Refund.objects.count(), LedgerEntry.objects.count(), ApplicationEvent.objects.count()) == before

    # Partial refunds add up to the payment and no further.
    assert ask("5.00", "key-part-one").amount == Decimal("5.00")
    assert ask("4.00", "key-part-two").amount == Decimal("4.00")
    with pytest.raises(RefundRefused, match="0.00"):
        ask("0.01", "key-part-three")
    assert Refund.objects.filter(payment__application=paid).count() == 2
    for bad in ("0", "-1", "1.001", "abc"):
        with pytest.raises(RefundRefused):
            ask(bad, f"key-bad-{bad}")


def test_a_failed_refund_no_longer_holds_the_amount(demo, paid):
    civil = demo.users["civil_staff"]
    order_id = paid.payments.get().order_id
    refund = services.refund_request(
        user=civil,
        application=paid,
        order_id=order_id,
        amount="9.00",
        reason="other",
        note="误收",
        idempotency_key="first-attempt",
    )
    body, headers = _notification(refund, succeeded=False)
    assert services.refund_notification_receive(
        provider_name="sandbox", headers=headers, body=body
    ).outcome == ("failed")
    again = services.refund_request(
        user=civil,
        application=paid,
        order_id=order_id,
        amount="9.00",
        reason="other",
        note="误收，再次退费",
        idempotency_key="second-attempt",
    )
    assert again.pk != refund.pk and again.status == "requested"


def test_a_double_request_makes_one_refund(demo, paid, client):
    civil = demo.users["civil_staff"]
    order_id = paid.payments.get().order_id
    kwargs = dict(
        user=civil,
        application=paid,
        order_id=order_id,
        amount="3.00",
        reason="other",
        note="部分退费",
        idempotency_key="double-click-key",
    )
    first = services.refund_request(**kwargs)
    entries = LedgerEntry.objects.count()
    second = services.refund_request(**kwargs)
    assert first.pk == second.pk
    assert Refund.objects.filter(payment__application=paid).count() == 1
    assert LedgerEntry.objects.count() == entries
    # The same key with other details is refused, not silently taken as the first request.
    with pytest.raises(RefundRefused):
        services.refund_request(**{**kwargs, "amount": "4.00"})

    # The staff page: the form's key makes a double click one refund.
    client.force_login(civil)
    url = reverse("portal:staff_application", args=[paid.reference])
    form = {
        "action": "refund",
        "refund-order_id": order_id,
        "refund-amount": "2.00",
        "refund-reason": "duplicate",
        "refund-note": "重复缴费",
        "refund-request_key": "0123456789abcdef",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert Refund.objects.filter(payment__application=paid, amount=Decimal("2.00")).count() == 1

    # The fee rules applied twice (a repeated trigger) also make one refund.
    paid.refresh_from_db()
    services.refunds_by_rules(application=paid, reason="refused")
    services.refunds_by_rules(application=paid, reason="refused")
    assert Refund.objects.filter(payment__application=paid, reason="refused").count() == 1


def test_only_lead_staff_refund_and_only_with_a_reason(demo, paid):
    order_id = paid.payments.get().order_id
    common = dict(
        application=paid, order_id=order_id, amount="1.00", reason="other", idempotency_key="k" * 16
    )
    with pytest.raises(NotDepartmentStaff):
        services.refund_request(user=demo.users["market_staff"], note="x", **common)
    with pytest.raises(NotDepartmentStaff):
        services.refund_request(user=demo.users["citizen1"], note="x", **common)
    with pytest.raises(RefundRefused):
        services.refund_request(user=demo.users["civil_staff"], note="  ", **common)
    assert not Refund.objects.exists()


def test_withdrawal_before_acceptance_is_refunded_after_acceptance_it_is_not(demo, paid):
    citizen = demo.users["citizen1"]
    services.application_withdraw(user=citizen, application=paid)
    refund = Refund.objects.get(payment__application=paid)
    assert (refund.reason, refund.amount) == ("withdrawn", Decimal("9.00"))


def test_withdrawal_after_acceptance_is_not_refunded_by_the_rules(demo, paid):
    services.application_accept(user=demo.users["civil_staff"], application=paid)
    services.application_withdraw(user=demo.users["citizen1"], application=paid)
    assert not Refund.objects.exists()


def test_a_second_charge_is_given_back_whole(demo, paid):
    first = paid.payments.get()
    second = Payment.objects.create(
        application=paid,
        order_id="PAY-SECOND",
        provider="sandbox",
        amount=first.amount,
        created_at=first.created_at,
    )
    body = SandboxProvider().notification_body(order_id=second.order_id, amount=second.amount, succeeded=True)
    services.payment_notification_receive(
        provider_name="sandbox", headers={SIGNATURE_HEADER: sign(body)}, body=body
    )
    refund = Refund.objects.get()
    assert (refund.payment_id, refund.reason, refund.amount) == (second.pk, "duplicate", second.amount)


def test_fee_rules_name_only_known_refund_reasons(demo, marriage):
    marriage.fee_items = [{"item": "工本费", "amount": "9.00", "basis": "-", "refund_when": ["approved"]}]
    with pytest.raises(InvalidFees):
        services.service_save(user=None, service=marriage)
    marriage.fee_items = [{"item": "工本费", "amount": "9.001"}]
    with pytest.raises(InvalidFees):
        services.service_save(user=None, service=marriage)


def test_the_applicant_sees_the_refund_and_its_state(demo, paid, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_refuse_acceptance(
            user=demo.users["civil_staff"], application=paid, reasons="不符合条件"
        )
    refund = Refund.objects.get(payment__application=paid)
    client.force_login(demo.users["citizen1"])
    page = client.get(reverse("portal:application", args=[paid.reference])).content.decode()
    assert f'data-refund="{refund.refund_id}" data-refund-status="succeeded"' in page
    assert "¥9.00" in page
    centre = client.get(reverse("portal:my_applications")).content.decode()
    assert refund.refund_id in centre
    home = client.get(reverse("portal:my")).content.decode()
    assert f'data-refund="{refund.refund_id}"' in home
    api = client.get(f"/api/portal/applications/{paid.reference}/").json()
    assert [(r["refund_id"], r["amount"], r["status"]) for r in api["refunds"]] == [
        (refund.refund_id, "9.00", "succeeded")
    ]


def test_the_http_refund_callback_answers_and_is_idempotent(demo, paid, client):
    services.application_refuse_acceptance(
        user=demo.users["civil_staff"], application=paid, reasons="不符合条件"
    )
    refund = Refund.objects.get(payment__application=paid)
    body, headers = _notification(refund)
    url = reverse("portal:refund_notify", args=["sandbox"])
    bad = client.post(url, body, content_type="application/json", headers={SIGNATURE_HEADER: "bad"})
    assert bad.status_code == 400 and Refund.objects.get(pk=refund.pk).status == "requested"
    first = client.post(url, body, content_type="application/json", headers=headers)
    again = client.post(url, body, content_type="application/json", headers=headers)
    assert (first.json()["outcome"], again.json()["outcome"]) == ("succeeded", "replay")
    assert Refund.objects.get(pk=refund.pk).status == "succeeded"


def test_the_sandbox_refuses_more_than_it_took(demo, paid):
    """The provider side checks too: a refund it is asked for beyond the order is refused and fails."""
    payment = paid.payments.get()
    refund = Refund.objects.create(
        payment=payment,
        refund_id="RF-TOO-MUCH",
        idempotency_key="test:too-much",
        amount=Decimal("10.00"),
        reason="other",
        requested_at=payment.created_at,
    )
    submission = services.refund_submit(refund_pk=refund.pk)
    assert submission is not None and not submission.accepted
    refund.refresh_from_db()
    assert refund.status == "failed"
    assert services.refund_submit(refund_pk=refund.pk) is None  # settled: not sent again
