"""The legal calendar: which dates are working days in mainland China, and periods counted in them.

Shared infrastructure on the ground floor: any app (approvals' time limits, tenders' periods,
the portal's statutory deadlines) may import it. A year's source, in order of precedence: a
`CalendarYear` an administrator confirmed complete (it replaces the package for that year, so a
correction is a confirmed year too), then the `chinese_calendar` package. A year neither covers is
refused with `CalendarYearUnknown`, never guessed; a draft year counts for nothing.

Periods are counted as RULES.md "Counting periods" says: the triggering day is not counted
(Civil Code Art 201), and a period whose last day is a rest day (a statutory holiday or a weekend)
ends on the first working day after it (Civil Code Art 203, MOF87 Art 85)."""

from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.utils import timezone

from workdays.constants import YearStatus
from workdays.exceptions import CalendarYearUnknown
from workdays.models import CalendarYear


def package_covers(year: int) -> bool:
    """Whether the `chinese_calendar` package knows `year`'s official schedule."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class _Calendar:
    """One computation's view of the calendar: each year's confirmed schedule is read once."""

    def __init__(self) -> None:
        self._years: dict[int, dict[date, bool] | None] = {}

    def _confirmed(self, year: int) -> dict[date, bool] | None:
        """The confirmed schedule's days of `year`, or None when no confirmed year exists."""
        if year not in self._years:
            confirmed = CalendarYear.objects.filter(year=year, status=YearStatus.CONFIRMED).first()
            self._years[year] = (
                dict(confirmed.days.values_list("date", "is_working_day")) if confirmed else None
            )
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        schedule = self._confirmed(day.year)
        if schedule is not None:
            return schedule.get(day, day.weekday() < 5)
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarYearUnknown(day.year) from None


def year_known(year: int) -> bool:
    """Whether working days of `year` can be counted (package or a confirmed year)."""
    return _Calendar()._confirmed(year) is not None or package_covers(year)


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
    """The last day of a period of n calendar days from `start` (which is not counted).

    When that day falls on a rest day the period ends on the first working day after it
    (Civil Code Art 203, MOF87 Art 85: a 20-day period from 2026-09-14 would end on Sunday
    2026-10-04, in the National Day holiday, so it ends on 2026-10-08); `extend_past_holiday=False`
    gives the bare date."""
    end = start + timedelta(days=n)
    if not extend_past_holiday:
        return end
    calendar = _Calendar()
    while not calendar.is_working_day(end):
        end += timedelta(days=1)
    return end


def last_whole_day(moment: datetime) -> date:
    """The last local day a period ending at `moment` covers whole: a period ending at 00:00 of a
    day does not include that day (Civil Code Art 203: a day ends at 24:00)."""
    local = timezone.localtime(moment)
    if local.time() == time(0, 0):
        return local.date() - timedelta(days=1)
    return local.date()
