"""Background work of the portal: issuing the decision document once a decision is committed, and
asking the payment provider for a refund once the refund is committed."""

from celery import shared_task

from config.site import site_address


@shared_task(name="portal.decision_document_issue")
def decision_document_issue_task(application_id: int, site: str | None = None) -> str | None:
    """Render, sign and attach the decision document; does nothing when it already exists. `site`:
    the address of the request that decided (its QR code's link), else SITE_URL (config/site.py)."""
    from portal.services import decision_document_attach

    with site_address(site):
        return decision_document_attach(application_id=application_id)


@shared_task(name="portal.refund_submit")
def refund_submit_task(refund_pk: int) -> bool:
    """Ask the provider for a requested refund; does nothing when it was already asked or is settled.
    Returns whether the provider took it (its notification then settles the refund)."""
    from portal.payments import provider
    from portal.services import refund_submit

    submission = refund_submit(refund_pk=refund_pk)
    if submission is None or not submission.accepted:
        return False
    from portal.models import Refund

    provider(submission.provider_name).after_refund_accepted(
        refund=Refund.objects.select_related("payment").get(pk=refund_pk)
    )
    return True


@shared_task(name="portal.notify")
def notify_task(note: dict) -> None:
    """Mail and text one notification (portal.services.notifications); each channel once."""
    from portal.services.notifications import deliver_task_body

    deliver_task_body(note)


@shared_task(name="portal.application_event_notify")
def application_event_notify_task(application_id: int, seq: int) -> None:
    """Tell the applicant about one step of their application, by mail and text message."""
    from portal.services.notifications import application_event_notify

    application_event_notify(application_id=application_id, seq=seq)


@shared_task(name="portal.appointment_reminders")
def appointment_reminders_task() -> int:
    """Remind everyone booked for the next working day (beat: daily)."""
    from portal.services.appointments import appointment_reminders_send

    return appointment_reminders_send()
