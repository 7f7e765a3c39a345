"""Every time limit after the award, counted by the legal calendar (`workdays.calendar`): the last
day of each period, whether a day is still within it, and the days left to show each party.

A period starts the day after its trigger (Civil Code Art 201) and ends at 24:00 of its last day;
a calendar-day period whose last day is a rest day ends on the next working day (Art 203)."""

from datetime import date, datetime

from django.utils import timezone

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
