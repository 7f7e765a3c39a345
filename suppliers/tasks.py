"""Daily reminders of expiring qualifications (Celery beat, config/integrations/celery.py)."""

from celery import shared_task
from django.core.mail import send_mail
from django.utils.translation import gettext as _


@shared_task(name="suppliers.qualification_reminders_send")
def qualification_reminders_send() -> int:
    """Mail each supplier's administrators once per expiry date of each qualification that expires within
    the warning window (or has expired). Idempotent: a reminder marked sent is never sent again, so a
    rerun the same day, or a missed day, sends nothing twice. Returns how many reminders went out."""
    from accounts.constants import Role
    from accounts.selectors import members_with_role
    from config import clock
    from suppliers.selectors import qualification_expiry, qualifications_needing_reminder
    from suppliers.services import qualification_reminder_mark

    today = clock.today_local()
    sent = 0
    for qualification in qualifications_needing_reminder(today=today):
        assert qualification.expires_on is not None
        if not qualification_reminder_mark(
            qualification_id=qualification.pk, expires_on=qualification.expires_on
        ):
            continue  # another run marked it between the query and now
        supplier = qualification.supplier
        recipients = [
            u.email
            for u in members_with_role(organisation=supplier.organisation_id, role=Role.SUPPLIER_ADMIN)
            if u.email
        ]
        expiry = qualification_expiry(qualification, today)
        if expiry.state == "expired":
            subject = _("Qualification expired: %(title)s") % {"title": qualification.title}
        else:
            subject = _("Qualification expires in %(days)d days: %(title)s") % {
                "days": expiry.days_left,
                "title": qualification.title,
            }
        body = _(
            "%(supplier)s: the qualification “%(title)s” (%(number)s) expires on %(date)s. Upload the "
            "renewed document on Yizhan before then, or bids requiring it may be rejected."
        ) % {
            "supplier": supplier.name,
            "title": qualification.title,
            "number": qualification.number or "—",
            "date": qualification.expires_on.isoformat(),
        }
        if recipients:
            send_mail(subject, body, None, recipients)
        sent += 1
    return sent
