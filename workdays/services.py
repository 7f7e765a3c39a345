"""Every write to the legal calendar: drafting a year from the State Council's notice, confirming
it (a ledger entry: a deadline computed from the calendar must be auditable), changing a day of a
confirmed year (another ledger entry), the demo's provisional years, and the warning mail.

Only administrators write; a year is known only once confirmed complete."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from accounts.selectors import administrator_emails
from config import clock
from config.exceptions import NotAllowed
from ledger.services import ledger_append
from workdays.calendar import package_covers
from workdays.constants import YearSource, YearStatus
from workdays.exceptions import CalendarYearLocked, NoticeInvalid, ProvisionalNotAllowed
from workdays.models import CalendarDay, CalendarYear, YearWarning
from workdays.notice import ParsedNotice, notice_parse
from workdays.selectors import is_calendar_administrator, next_year_unknown

LEDGER_YEAR_CONFIRMED = "workdays/year-confirmed"
LEDGER_DAY_CHANGED = "workdays/day-changed"

# Fixed-date statutory holidays (元旦, 劳动节, 国庆节): all a provisional demo year marks. The lunar
# holidays and the make-up days are not guessed; the year is labelled not official everywhere.
_PROVISIONAL_HOLIDAYS = [((1, 1), 1, "元旦"), ((5, 1), 5, "劳动节"), ((10, 1), 7, "国庆节")]


def _require_administrator(user: User) -> None:
    if not is_calendar_administrator(user):
        raise NotAllowed(_("Only a platform administrator may change the legal calendar."))


def _schedule(year: CalendarYear) -> dict[str, Any]:
    days = list(year.days.order_by("date"))
    return {
        "year": year.year,
        "source": year.source,
        "notice_title": year.notice_title,
        "notice_number": year.notice_number,
        "notice_date": year.notice_date.isoformat() if year.notice_date else None,
        "holidays": [d.date.isoformat() for d in days if not d.is_working_day],
        "makeup_working_days": [d.date.isoformat() for d in days if d.is_working_day],
    }


@transaction.atomic
def calendar_year_draft_from_notice(*, text: str, by: User) -> tuple[CalendarYear, ParsedNotice]:
    """Read the pasted notice into a draft year for checking.

    Before: `by` is an administrator; the notice reads cleanly (else `NoticeInvalid`, quoting the
    line, and nothing changes); the year is not confirmed yet (else `CalendarYearLocked`).
    After: a draft `CalendarYear` with exactly the notice's holidays and make-up days (replacing a
    demo's provisional schedule, if any); it counts for nothing until `calendar_year_confirm`."""
    _require_administrator(by)
    parsed = notice_parse(text)
    year = CalendarYear.objects.select_for_update().filter(year=parsed.year).first()
    if year is not None and year.status == YearStatus.CONFIRMED and not year.is_provisional:
        raise CalendarYearLocked(
            _("The calendar of %(year)s is already confirmed; change single days instead.")
            % {"year": parsed.year}
        )
    if year is None:
        year = CalendarYear(year=parsed.year, created_at=clock.now())
    # A demo's provisional schedule gives way to the notice: from here the year is a draft (not
    # counted) until the administrator confirms it.
    year.status = YearStatus.DRAFT
    year.confirmed_at = year.confirmed_by = None
    year.source = YearSource.NOTICE
    year.notice_title = parsed.title or f"国务院办公厅关于{parsed.year}年部分节假日安排的通知"
    year.notice_number = parsed.number
    year.notice_text = text
    year.save()
    year.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(
            calendar_year=year,
            date=day,
            is_working_day=working,
            note=note if not working else f"{note}调休上班",
        )
        for day, working, note in parsed.days()
    )
    return year, parsed


@transaction.atomic
def calendar_year_confirm(
    *, year_id: int, by: User, notice_title: str, notice_number: str, notice_date: date | None
) -> CalendarYear:
    """Confirm a draft year complete, as transcribed from the notice it names.

    Before: `by` is an administrator; the year is a draft with at least one holiday; the notice's
    title and number are given. After: the year is known (it replaces the package for that year);
    its whole schedule is a ledger entry (`workdays/year-confirmed`)."""
    _require_administrator(by)
    year = CalendarYear.objects.select_for_update().get(pk=year_id)
    if year.status == YearStatus.CONFIRMED:
        raise CalendarYearLocked(_("The calendar of %(year)s is already confirmed.") % {"year": year.year})
    if not notice_title.strip() or not notice_number.strip():
        raise NoticeInvalid(_("Name the notice the schedule comes from: its title and its number."))
    if not year.days.filter(is_working_day=False).exists():
        raise NoticeInvalid(_("A year's schedule without any holiday is not complete."))
    year.notice_title, year.notice_number, year.notice_date = (
        notice_title.strip(),
        notice_number.strip(),
        notice_date,
    )
    year.status = YearStatus.CONFIRMED
    year.confirmed_at, year.confirmed_by = clock.now(), by
    year.save()
    ledger_append(kind=LEDGER_YEAR_CONFIRMED, payload=_schedule(year))
    return year


@transaction.atomic
def calendar_day_set(
    *, year_id: int, day: date, is_working_day: bool, note: str, reason: str, by: User
) -> CalendarDay:
    """Set one day of a year (a correction: a late change, a make-up day the notice moved).

    Before: `by` is an administrator; `day` lies in the year; a confirmed year needs a reason.
    After: the day is set; on a confirmed year the change (old and new, with the reason) is a
    ledger entry (`workdays/day-changed`), so every deadline computed before and after is
    explainable."""
    _require_administrator(by)
    year = CalendarYear.objects.select_for_update().get(pk=year_id)
    if day.year != year.year:
        raise NoticeInvalid(_("%(date)s is not in %(year)s.") % {"date": day.isoformat(), "year": year.year})
    confirmed = year.status == YearStatus.CONFIRMED
    if confirmed and not reason.strip():
        raise NoticeInvalid(
            _("Say why a confirmed calendar changes (for example the notice that moved the day).")
        )
    row = CalendarDay.objects.filter(date=day).first()
    before = None if row is None else row.is_working_day
    ordinary = day.weekday() < 5
    if is_working_day == ordinary:
        # An ordinary day needs no row.
        if row is not None:
            row.delete()
        row = CalendarDay(calendar_year=year, date=day, is_working_day=is_working_day, note=note)
    else:
        row, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={"calendar_year": year, "is_working_day": is_working_day, "note": note}
        )
    if confirmed:
        ledger_append(
            kind=LEDGER_DAY_CHANGED,
            payload={
                "year": year.year,
                "date": day.isoformat(),
                "was_working_day": ordinary if before is None else before,
                "is_working_day": is_working_day,
                "reason": reason.strip(),
            },
        )
    return row


@transaction.atomic
def calendar_year_provisional_ensure(*, year: int) -> CalendarYear | None:
    """For a demo installation only: give `year` a provisional schedule when nothing else knows it.

    Before: `settings.WORKDAYS_PROVISIONAL_ALLOWED` (never under production settings; else
    `ProvisionalNotAllowed`). After: when the package and no confirmed year cover `year`, a
    confirmed year of source "demo, provisional, not official" with weekends and the fixed-date
    holidays only; every officer and administrator page then names it in a banner. Idempotent."""
    if not getattr(settings, "WORKDAYS_PROVISIONAL_ALLOWED", False):
        raise ProvisionalNotAllowed(
            _("Provisional calendars are for demo installations only; enter the official notice instead.")
        )
    existing = CalendarYear.objects.select_for_update().filter(year=year).first()
    if (existing is not None and existing.status == YearStatus.CONFIRMED) or package_covers(year):
        return None
    if existing is not None:
        existing.days.all().delete()
        existing.delete()
    with override("zh-hans"):
        record = CalendarYear.objects.create(
            year=year,
            status=YearStatus.CONFIRMED,
            source=YearSource.DEMO_PROVISIONAL,
            notice_title=_("Demo, provisional, not official: %(year)s") % {"year": year},
            created_at=clock.now(),
            confirmed_at=clock.now(),
        )
    days = []
    for (month, first), length, name in _PROVISIONAL_HOLIDAYS:
        start = date(year, month, first)
        days += [
            CalendarDay(calendar_year=record, date=start + timedelta(days=i), is_working_day=False, note=name)
            for i in range(length)
        ]
    CalendarDay.objects.bulk_create(days)
    return record


def calendar_warning_send(*, today: date) -> bool:
    """Mail the administrators once a year, from 1 November, while next year is unknown.

    Idempotent: a `YearWarning` row per year records the one mail. Returns whether it sent now."""
    year = next_year_unknown(today)
    if year is None:
        return False
    with transaction.atomic():
        warning, created = YearWarning.objects.get_or_create(year=year, defaults={"sent_at": clock.now()})
        if not created:
            return False
        recipients = administrator_emails()
        if recipients:
            with override("zh-hans"):
                subject = _("The %(year)s holiday schedule is not entered yet") % {"year": year}
                body = _(
                    "Working days in %(year)s cannot be counted until an administrator enters the State "
                    "Council's notice for %(year)s (legal calendar, “Import a notice”). Until then, periods "
                    "and time limits that reach into %(year)s are refused."
                ) % {"year": year}
            transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))
    return True
