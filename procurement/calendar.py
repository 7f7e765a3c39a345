"""The legal calendar: which dates are working days in mainland China, and periods counted in them.

Shared infrastructure rather than a subject app: any app (approvals' time limits, tenders'
periods, portal's statutory deadlines) may import this module. Sources, in order of precedence:
rows an administrator entered (`CalendarDay`), then the `chinese_calendar` package (official
holidays and make-up working days, 调休). A year neither covers is refused, never guessed."""

from datetime import date, timedelta

import chinese_calendar

from procurement.exceptions import CalendarYearUnknown
from procurement.models import CalendarDay


class _Calendar:
    """One computation's view of the calendar: each year's administrator rows are read once."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[date, bool]] = {}

    def _year(self, year: int) -> dict[date, bool]:
        if year not in self._overrides:
            self._overrides[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day")
            )
        return self._overrides[year]

    def is_working_day(self, day: date) -> bool:
        overrides = self._year(day.year)
        if day in overrides:
            return overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            # Rows for the year mean an administrator entered its schedule: the dates not listed
            # are ordinary weekdays and weekends. No rows at all: the schedule is not known.
            if overrides:
                return day.weekday() < 5
            raise CalendarYearUnknown(day.year) from None


def is_working_day(d: date) -> bool:
    return _Calendar().is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (before it when n is negative); `start` itself is not counted.

    A time limit of 3 working days set on a Friday before National Day ends on the third working
    day after the holiday."""
    calendar = _Calendar()
    step = 1 if n >= 0 else -1
    day, remaining = start, abs(n)
    while remaining:
        day += timedelta(days=step)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b` (negative when b is before a).

    The inverse of `add_working_days`: working_days_between(a, add_working_days(a, n)) == n."""
    if b < a:
        return -working_days_between(b, a)
    calendar = _Calendar()
    return sum(
        1 for offset in range(1, (b - a).days + 1) if calendar.is_working_day(a + timedelta(days=offset))
    )


def add_days(start: date, n: int, *, extend_past_holiday: bool = True) -> date:
    """A period of n calendar days from `start`.

    When the last day falls on a rest day the period ends on the next working day
    (Civil Code Art 203; the Administrative Licensing Law counts periods the same way);
    `extend_past_holiday=False` gives the bare date."""
    end = start + timedelta(days=n)
    if not extend_past_holiday:
        return end
    calendar = _Calendar()
    while not calendar.is_working_day(end):
        end += timedelta(days=1)
    return end
