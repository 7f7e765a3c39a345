"""The legal calendar: official holidays, make-up working days, administrator overrides, unknown years."""

from datetime import date

import pytest

from procurement.calendar import add_days, add_working_days, is_working_day, working_days_between
from procurement.exceptions import CalendarYearUnknown
from procurement.models import CalendarDay

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


def test_a_year_nobody_has_published_is_refused_not_guessed():
    with pytest.raises(CalendarYearUnknown) as refused:
        add_working_days(date(2026, 12, 30), 5)
    assert "2027" in str(refused.value)
    with pytest.raises(CalendarYearUnknown):
        is_working_day(date(2027, 3, 1))


def test_administrator_rows_override_the_package_and_open_a_new_year():
    CalendarDay.objects.create(
        date=date(2026, 10, 9), is_working_day=False, note="local closure", source="test"
    )
    assert not is_working_day(date(2026, 10, 9))
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 12)

    # Once the 2027 schedule is entered, the rest of 2027 counts as ordinary weekdays and weekends.
    CalendarDay.objects.create(
        date=date(2027, 1, 1), is_working_day=False, note="New Year's Day", source="test"
    )
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # Fri 1 Jan rest, weekend, Monday


def test_calendar_day_periods_end_on_a_working_day():
    # 10 calendar days from 24 Sep ends on 4 Oct, a holiday: the period runs to Thursday 8 Oct.
    assert add_days(date(2026, 9, 24), 10) == date(2026, 10, 8)
    assert add_days(date(2026, 9, 24), 10, extend_past_holiday=False) == date(2026, 10, 4)
