"""Reads of the legal calendar: each year's state, and what administrators and officers must be
told about the years ahead."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from accounts.constants import Role
from accounts.selectors import user_roles
from workdays.calendar import package_covers, year_known
from workdays.constants import WARN_FROM_MONTH_DAY, YearSource, YearStatus
from workdays.models import CalendarYear


@dataclass(frozen=True)
class YearState:
    year: int
    known: bool
    source: str  # "package", a YearSource value, or "" when unknown
    record: CalendarYear | None


def calendar_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.order_by("-year")


def year_state(year: int) -> YearState:
    record = CalendarYear.objects.filter(year=year).first()
    if record is not None and record.status == YearStatus.CONFIRMED:
        return YearState(year, True, record.source, record)
    if package_covers(year):
        return YearState(year, True, "package", record)
    return YearState(year, False, "", record)


def years_around(today: date, *, before: int = 1, after: int = 2) -> list[YearState]:
    return [year_state(y) for y in range(today.year - before, today.year + after + 1)]


def next_year_unknown(today: date) -> int | None:
    """Next year, when it is 1 November or later and next year's schedule is not known yet."""
    if (today.month, today.day) < WARN_FROM_MONTH_DAY:
        return None
    nxt = today.year + 1
    return None if year_known(nxt) else nxt


def provisional_years() -> list[int]:
    return list(
        CalendarYear.objects.filter(source=YearSource.DEMO_PROVISIONAL, status=YearStatus.CONFIRMED)
        .order_by("year")
        .values_list("year", flat=True)
    )


def is_calendar_administrator(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or Role.PLATFORM_ADMIN in user_roles(user=user)))


def sees_calendar_banners(user) -> bool:
    """Officers and administrators: the people whose periods and deadlines the calendar sets."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(
        user_roles(user=user)
        & {
            Role.PLATFORM_ADMIN,
            Role.PROCUREMENT_OFFICER,
            Role.APPROVER,
            Role.SUPERVISOR,
            Role.DEPARTMENT_STAFF,
        }
    )
