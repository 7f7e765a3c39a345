"""Appointments (预约) at offices: slots on the office's opening hours of working days only (the legal
calendar, `workdays.calendar`), each slot taking at most the office's capacity; booked and cancelled
by the citizen; a reminder the working day before (Celery beat task `portal.appointment_reminders`).

A weekend that the State Council made a working day (调休) is worked like a Monday unless the office
gives its own hours for that weekday."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.models import User
from config import clock
from config.exceptions import DomainError
from portal.citizen_models import Appointment, AppointmentStatus, Office
from portal.models import Service
from workdays.calendar import is_working_day
from workdays.exceptions import CalendarYearUnknown

WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]
CANCEL_BEFORE = timedelta(hours=2)  # a booking can be cancelled until two hours before it


class AppointmentRefused(DomainError):
    code = "appointment_refused"


@dataclass(frozen=True)
class Slot:
    start: time
    end: time
    free: int

    @property
    def key(self) -> str:
        return self.start.strftime("%H:%M")


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def opening_periods(office: Office, day: date) -> list[tuple[time, time]]:
    """The office's opening periods on `day`: none on a rest day of the legal calendar."""
    if not is_working_day(day):
        return []
    hours = office.opening_hours.get(str(day.isoweekday()))
    if hours is None and day.isoweekday() >= 6:
        hours = office.opening_hours.get("1", [])  # 调休: a weekend working day is worked like a Monday
    return [(_hhmm(a), _hhmm(b)) for a, b in hours or []]


def opening_summary(office: Office) -> list[tuple[str, str]]:
    """(weekday, hours) rows for the office page."""
    rows = []
    for n, name in enumerate(WEEKDAYS, start=1):
        periods = office.opening_hours.get(str(n))
        rows.append(
            (
                str(name),
                "、".join(f"{a}–{b}" for a, b in periods) if periods else pgettext("office hours", "Closed"),
            )
        )
    return rows


def day_problem(office: Office, day: date) -> str | None:
    """Why `office` takes no appointment on `day`, in the user's language; None when it opens."""
    try:
        periods = opening_periods(office, day)
    except CalendarYearUnknown:
        return _("Appointments for %(year)s cannot be booked yet: its holiday schedule is not published.") % {
            "year": day.year
        }
    if periods:
        return None
    weekday = WEEKDAYS[day.weekday()]
    if day.weekday() >= 5 and not is_working_day(day):
        return _(
            "%(office)s is closed on %(weekday)s, %(day)s: it opens on working days only. Choose a working day."
        ) % {"office": office.name, "weekday": weekday, "day": day.isoformat()}
    if not is_working_day(day):
        return _("%(day)s is a public holiday and %(office)s is closed. Choose a working day.") % {
            "office": office.name,
            "day": day.isoformat(),
        }
    return _("%(office)s is closed on %(weekday)s. Choose another day.") % {
        "office": office.name,
        "weekday": weekday,
    }


def office_day_problem(*, office_code: str, day: date) -> str | None:
    """For a form's date field tied to an office field: the office's own rules, or at least the
    legal calendar when the office is not known."""
    office = Office.objects.filter(code=office_code).first()
    if office is not None:
        return day_problem(office, day)
    try:
        if is_working_day(day):
            return None
    except CalendarYearUnknown:
        return None
    return _("%(day)s is not a working day. Choose a working day.") % {"day": day.isoformat()}


def slots(office: Office, day: date) -> list[Slot]:
    """Every slot of `day` with the places left; empty when the office is closed."""
    if day_problem(office, day):
        return []
    taken = dict(
        Appointment.objects.filter(office=office, date=day, status=AppointmentStatus.BOOKED)
        .values("start")
        .annotate(n=Count("id"))
        .values_list("start", "n")
    )
    step = timedelta(minutes=office.slot_minutes)
    out = []
    for opens, closes in opening_periods(office, day):
        at = datetime.combine(day, opens)
        while at + step <= datetime.combine(day, closes):
            out.append(Slot(at.time(), (at + step).time(), office.capacity - taken.get(at.time(), 0)))
            at += step
    return out


def bookable_days(office: Office) -> list[date]:
    """The days from tomorrow within the office's booking window on which it opens."""
    today = clock.today_local()
    days = []
    for offset in range(1, office.booking_days_ahead + 1):
        day = today + timedelta(days=offset)
        try:
            if opening_periods(office, day):
                days.append(day)
        except CalendarYearUnknown:
            break
    return days


def _number() -> str:
    return f"YY{clock.today_local():%Y%m%d}{secrets.randbelow(10**6):06d}"


@transaction.atomic
def appointment_book(
    *, user: User, office: Office, day: date, start: time, service: Service | None = None
) -> Appointment:
    """Book a slot. Before: signed in; `day` within the booking window and a day the office opens
    (never a rest day of the legal calendar); `start` one of its slots with a place left; no other
    booking of this user at the same office that day. After: booked, with a number."""
    office = Office.objects.select_for_update().get(pk=office.pk)  # serialises bookings of an office
    problem = day_problem(office, day)
    if problem:
        raise AppointmentRefused(problem)
    today = clock.today_local()
    if day <= today or day > today + timedelta(days=office.booking_days_ahead):
        raise AppointmentRefused(
            _("Appointments can be booked from tomorrow up to %(n)s days ahead.")
            % {"n": office.booking_days_ahead}
        )
    slot = next((s for s in slots(office, day) if s.start == start), None)
    if slot is None:
        raise AppointmentRefused(_("%(office)s has no appointment at that time.") % {"office": office.name})
    if slot.free <= 0:
        raise AppointmentRefused(_("That time is fully booked. Choose another time."))
    if Appointment.objects.filter(
        user=user, office=office, date=day, status=AppointmentStatus.BOOKED
    ).exists():
        raise AppointmentRefused(_("You already have an appointment at this office on that day."))
    number = _number()
    while Appointment.objects.filter(number=number).exists():
        number = _number()
    appointment = Appointment.objects.create(
        office=office, user=user, service=service, number=number, date=day, start=start, booked_at=clock.now()
    )
    from portal.services.notifications import appointment_notify

    appointment_notify(appointment, "booked")
    return appointment


@transaction.atomic
def appointment_cancel(*, user: User, appointment: Appointment) -> Appointment:
    """Cancel one's own booking up to two hours before it; the place is free again."""
    appointment = Appointment.objects.select_for_update().select_related("office").get(pk=appointment.pk)
    if appointment.user_id != user.pk:
        raise AppointmentRefused(_("This is not your appointment."))
    if appointment.status != AppointmentStatus.BOOKED:
        raise AppointmentRefused(_("This appointment is already cancelled."))
    if clock.now() > _local(appointment) - CANCEL_BEFORE:
        raise AppointmentRefused(_("An appointment can be cancelled until two hours before it."))
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = clock.now()
    appointment.save(update_fields=["status", "cancelled_at"])
    from portal.services.notifications import appointment_notify

    appointment_notify(appointment, "cancelled")
    return appointment


def _local(appointment: Appointment) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(appointment.date, appointment.start))


def appointment_reminders_send(*, today: date | None = None) -> int:
    """Remind everyone booked for the next working day (once each); returns how many were reminded."""
    from portal.services.notifications import appointment_notify
    from workdays.calendar import add_working_days

    today = today or clock.today_local()
    upto = add_working_days(today, 1)
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, reminded_at__isnull=True, date__gt=today, date__lte=upto
    ).select_related("office", "user")
    count = 0
    for appointment in due:
        with transaction.atomic():
            updated = Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(
                reminded_at=clock.now()
            )
            if updated:
                appointment_notify(appointment, "reminder")
                count += 1
    return count
