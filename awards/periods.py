"""Every time limit after the award, counted by the legal calendar (`workdays.calendar`): the last
day of each period, whether a day is still within it, and the days left to show each party.

A period starts the day after its trigger (Civil Code Art 201) and ends at 24:00 of its last day;
a calendar-day period whose last day is a rest day ends on the next working day (Art 203)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.remedy_constants import Period
from config import clock
from procurement.statute import language_is_chinese
from workdays import calendar


def last_day(period: Period, trigger: date | datetime) -> date:
    """The last day of `period` started by an event on `trigger` (the trigger day is not counted)."""
    start = timezone.localdate(trigger) if isinstance(trigger, datetime) else trigger
    if period.working_days:
        return calendar.add_working_days(start, period.length)
    return calendar.add_days(start, period.length)


def within(period: Period, trigger: date | datetime, day: date | None = None) -> bool:
    """Whether `day` (default today, Beijing time) is on or before the period's last day."""
    return (day or clock.today_local()) <= last_day(period, trigger)


def article(period: Period) -> str:
    return period.article_zh if language_is_chinese() else period.article_en


@dataclass(frozen=True)
class Deadline:
    """One time limit as a party's page shows it."""

    what: str
    due_on: date
    article: str
    done: bool = False

    @property
    def days_left(self) -> int:
        """Calendar days from today to the last day (0 on the day itself, negative when passed)."""
        return (self.due_on - clock.today_local()).days

    @property
    def working_days_left(self) -> int:
        return calendar.working_days_between(clock.today_local(), self.due_on)

    @property
    def overdue(self) -> bool:
        return not self.done and self.days_left < 0

    @property
    def state(self) -> str:
        if self.done:
            return str(_("done"))
        if self.overdue:
            return str(_("overdue"))
        return str(_("open"))
