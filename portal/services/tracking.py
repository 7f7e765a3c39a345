"""Tracking an application without signing in (办件查询): by its reference plus the applicant's ID
number or mobile phone, as given in the application (or the account's phone).

The answer shows the service, the status and the dates only: no name, form, material, reasons or
document. "No such reference" and "wrong ID or phone" get the same answer, and the comparison takes
the same time either way. Guessing is slowed as sign-in is (accounts.throttling): after a few
failures from one address, or for one reference, each further attempt waits an exponentially
growing delay after the last failure. Failures are kept by a keyed hash of the reference."""

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from config import clock
from config.exceptions import DomainError
from portal.citizen_models import TrackingFailure
from portal.constants import ApplicationStatus
from portal.models import Application

WINDOW = timedelta(hours=1)
FREE_PER_ADDRESS = 5
FREE_PER_REFERENCE = 3
BASE_DELAY_SECONDS = 2
MAX_DELAY_SECONDS = 15 * 60
IDENTITY_FIELDS = ("id_number", "male_id", "female_id", "legal_representative_id", "phone", "contact_phone")


class TrackingThrottled(DomainError):
    status_code = 429
    code = "tracking_throttled"

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(
            _("Too many attempts. Try again in %(n)s seconds.") % {"n": wait_seconds},
            code="tracking_throttled",
        )


@dataclass(frozen=True)
class TrackedApplication:
    """All the look-up shows."""

    reference: str
    service: str
    department: str
    status: str
    submitted_at: datetime | None
    acceptance_due: date | None
    accepted_at: datetime | None
    promised_due: date | None
    decision_due: date | None
    decided_at: datetime | None
    steps: list[tuple[datetime, Any]]  # (when, kind of step) without the text, which may hold reasons


def _reference_key(reference: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"portal/tracking:" + reference.strip().upper().encode(), hashlib.sha256
    ).hexdigest()


def _wait(failures: QuerySet[TrackingFailure], *, free: int) -> int:
    summary = failures.aggregate(count=Count("id"), last=Max("at"))
    over = summary["count"] - free
    if over < 0:
        return 0
    delay = min(BASE_DELAY_SECONDS * 2**over, MAX_DELAY_SECONDS)
    return max(0, math.ceil((summary["last"] + timedelta(seconds=delay) - clock.now()).total_seconds()))


def tracking_throttle_check(*, reference: str, address: str | None) -> None:
    recent = TrackingFailure.objects.filter(at__gte=clock.now() - WINDOW)
    waits = [_wait(recent.filter(reference_key=_reference_key(reference)), free=FREE_PER_REFERENCE)]
    if address:
        waits.append(_wait(recent.filter(address=address), free=FREE_PER_ADDRESS))
    if max(waits):
        raise TrackingThrottled(max(waits))


def _normal(value: str) -> str:
    return "".join(str(value or "").split()).upper()


def _identities(application: Application) -> list[str]:
    values = [application.form_data.get(name) for name in IDENTITY_FIELDS]
    values.append(application.applicant.phone)
    return [_normal(v) for v in values if isinstance(v, str) and _normal(v)]


_NOBODY = ["\x00" * 18]  # compared against when the reference is unknown, so both paths do the same work

STEP_NAMES = {
    "submitted": pgettext_lazy("tracking step", "Submitted"),
    "resubmitted": pgettext_lazy("tracking step", "Corrected and submitted again"),
    "correction": pgettext_lazy("tracking step", "Correction requested"),
    "accepted": pgettext_lazy("tracking step", "Accepted"),
    "step": pgettext_lazy("tracking step", "A department decided its step"),
    "paid": pgettext_lazy("tracking step", "Fee paid"),
    "approved": pgettext_lazy("tracking step", "Approved"),
    "refused": pgettext_lazy("tracking step", "Refused"),
    "document": pgettext_lazy("tracking step", "Decision document issued"),
    "withdrawn": pgettext_lazy("tracking step", "Withdrawn"),
}


def application_track(*, reference: str, identity: str, address: str | None) -> TrackedApplication | None:
    """The application's progress when `identity` (ID number or phone) is the applicant's; None
    otherwise, whether the reference exists or not. Raises `TrackingThrottled` when it comes too soon."""
    reference = reference.strip().upper()
    tracking_throttle_check(reference=reference, address=address)
    application = (
        Application.objects.select_related("service__department", "applicant")
        .filter(reference=reference)
        .exclude(status=ApplicationStatus.DRAFT)
        .first()
    )
    given = _normal(identity)
    candidates = _identities(application) if application is not None else _NOBODY
    matched = False
    for value in candidates:
        matched |= bool(given) and hmac.compare_digest(value.encode(), given.encode())
    if application is None or not matched:
        TrackingFailure.objects.create(
            reference_key=_reference_key(reference), address=address, at=clock.now()
        )
        return None
    return TrackedApplication(
        reference=application.reference,
        service=application.service.title,
        department=application.service.department.name,
        status=application.get_status_display(),
        submitted_at=application.submitted_at,
        acceptance_due=application.acceptance_due,
        accepted_at=application.accepted_at,
        promised_due=application.promised_due,
        decision_due=application.decision_due,
        decided_at=application.decided_at,
        steps=[
            (at, STEP_NAMES.get(kind, kind))
            for at, kind in application.events.order_by("seq").values_list("at", "kind")
        ],
    )
