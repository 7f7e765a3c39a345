"""Mail to the people of suppliers and organisations after the transaction commits."""

from collections.abc import Iterable
from typing import Any

from django.core.mail import send_mail
from django.db import transaction

from accounts.models import Membership


def mail_organisations(organisation_ids: Iterable[int], subject: Any, body: Any) -> None:
    """Mail every active member of the organisations (each address once), after commit."""
    recipients = sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=list(organisation_ids), is_active=True, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if recipients:
        subject_text, body_text = str(subject), str(body)
        transaction.on_commit(lambda: send_mail(subject_text, body_text, None, recipients))
