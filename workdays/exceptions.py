"""The legal calendar's domain errors (messages for people, stable codes for clients)."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import Conflict, DomainError


class CalendarYearUnknown(DomainError):
    """Working days of a year whose official schedule is not known are never guessed."""

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
        self.year = year


class NoticeInvalid(DomainError):
    """A pasted State Council notice that cannot be read as a holiday schedule; names the line."""

    code = "calendar_notice_invalid"


class CalendarYearLocked(Conflict):
    code = "calendar_year_locked"


class ProvisionalNotAllowed(DomainError):
    """Provisional (generated) schedules exist only on demo installations."""

    status_code = 403
    code = "calendar_provisional_not_allowed"
