"""Procurement's domain errors (messages for people, stable codes for clients)."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import DomainError


class CalendarYearUnknown(DomainError):
    """Working days of a year the State Council schedule is not yet known for are never guessed."""

    code = "calendar_year_unknown"

    def __init__(self, year: int) -> None:
        super().__init__(
            _(
                "The official holiday schedule for %(year)s is not known yet, so working days in that year "
                "cannot be counted. An administrator must enter the year's calendar first."
            )
            % {"year": year},
            year=year,
        )
