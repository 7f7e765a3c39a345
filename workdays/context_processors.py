"""The calendar banners on officers' and administrators' pages: a provisional (demo) year, and
from 1 November a next year whose schedule is not known yet."""

from django.http import HttpRequest

from config import clock
from workdays.selectors import (
    is_calendar_administrator,
    next_year_unknown,
    provisional_years,
    sees_calendar_banners,
)


def calendar_banners(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not sees_calendar_banners(user):
        return {}
    return {
        "calendar_provisional_years": provisional_years(),
        "calendar_next_year_unknown": next_year_unknown(clock.today_local()),
        "calendar_administrator": is_calendar_administrator(user),
    }
