"""The legal calendar: official holidays, make-up working days, administrator overrides, unknown years."""

from datetime import date

import pytest

from tests.conftest import calendar_forget
from workdays.calendar import add_days, add_working_days, is_working_day, last_whole_day, working_days_between
from workdays.constants import YearSource, YearStatus
from workdays.exceptions import CalendarYearUnknown
from workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_national_day_golden_week_2026_is_not_counted():
    # Wednesday 30 September + 3 working days: 1–7 October are the holiday, Saturday 10 October
    # is a make-up working day, so the three days are 8, 9 and 10 October.
    assert all(not is_working_day(date(2026, 10, day)) for day in range(1, 8))
    assert is_working_day(date(2026, 10, 10))  # Saturday, worked in exchange for the holiday
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3


def test_spring_festival_2026_with_its_make_up_weekend_days():
    assert is_working_day(date(2026, 2, 14))  # Saturday before the festival: worked
    assert not is_working_day(date(2026, 2, 16))  # Monday in the festival: rest
    assert not is_working_day(date(2026, 2, 23))
    assert is_working_day(date(2026, 2, 28))  # Saturday after: worked
    # Friday 13 Feb + 2 working days: Sat 14 Feb (make-up), then nothing until Tue 24 Feb.
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 24), -1) == date(2026, 2, 14)
    # 16–27 Feb: 24, 25, 26, 27 are working days, then Saturday 28 Feb.
    assert working_days_between(date(2026, 2, 15), date(2026, 2, 28)) == 5


def _year(year: int, status: str, days: dict[date, bool]) -> CalendarYear:
    record = CalendarYear.objects.create(
        year=year,
        status=status,
        source=YearSource.NOTICE,
        notice_number="test",
        created_at="2026-01-01T00:00Z",
    )
    for day, working in days.items():
        CalendarDay.objects.create(calendar_year=record, date=day, is_working_day=working)
    return record


def test_a_year_nobody_has_published_is_refused_not_guessed():
    calendar_forget(2027)
    with pytest.raises(CalendarYearUnknown) as refused:
        add_working_days(date(2026, 12, 30), 5)
    assert "2027" in str(refused.value)
    with pytest.raises(CalendarYearUnknown):
        is_working_day(date(2027, 3, 1))


def test_one_row_for_an_unknown_year_is_refused_like_no_row():
    """One administrator row is not a schedule: before, it made the whole of 2027 count as
    ordinary weekdays, straight through the Spring Festival."""
    calendar_forget(2027)
    _year(2027, YearStatus.DRAFT, {date(2027, 1, 1): False})
    with pytest.raises(CalendarYearUnknown):
        is_working_day(date(2027, 2, 8))
    with pytest.raises(CalendarYearUnknown):
        add_working_days(date(2026, 12, 31), 1)


def test_a_draft_year_counts_for_nothing_even_over_the_package():
    _year(2026, YearStatus.DRAFT, {date(2026, 10, 9): False})
    assert is_working_day(date(2026, 10, 9))  # the package still rules 2026
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_a_confirmed_year_replaces_the_package_and_opens_a_new_year():
    # A confirmed correction of 2026: its schedule is the whole year's (here: one more closure).
    _year(
        2026,
        YearStatus.CONFIRMED,
        {**{date(2026, 10, d): False for d in range(1, 10)}, date(2026, 10, 10): True},
    )
    assert not is_working_day(date(2026, 10, 9))
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 13)

    calendar_forget(2027)
    _year(2027, YearStatus.CONFIRMED, {date(2027, 1, 1): False})
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # Fri 1 Jan rest, weekend, Monday


def test_calendar_day_periods_end_on_a_working_day():
    # 10 calendar days from 24 Sep ends on 4 Oct, a holiday: the period runs to Thursday 8 Oct.
    assert add_days(date(2026, 9, 24), 10) == date(2026, 10, 8)
    assert add_days(date(2026, 9, 24), 10, extend_past_holiday=False) == date(2026, 10, 4)
    # A minimum period of 20 days from 14 Sep ends on Sunday 4 Oct (National Day): 8 Oct.
    assert add_days(date(2026, 9, 14), 20) == date(2026, 10, 8)


def test_a_period_ending_at_midnight_does_not_include_that_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    assert last_whole_day(datetime(2026, 10, 13, 0, 0, tzinfo=shanghai)) == date(2026, 10, 12)
    assert last_whole_day(datetime(2026, 10, 13, 17, 0, tzinfo=shanghai)) == date(2026, 10, 13)
