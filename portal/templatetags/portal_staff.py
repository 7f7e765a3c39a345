"""Staff screens: working days left on a time limit (workdays.calendar), material names by key."""

from datetime import date

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config import clock
from workdays.calendar import working_days_between
from workdays.exceptions import CalendarYearUnknown

register = template.Library()


@register.filter
def working_days_left(due: date | None) -> int | None:
    """Working days from today to `due` (0 = due today, negative = overdue); None when unknown."""
    if due is None:
        return None
    try:
        return working_days_between(clock.today_local(), due)
    except CalendarYearUnknown:
        return None


@register.filter
def days_left_text(due: date | None) -> str:
    left = working_days_left(due)
    if left is None:
        return ""
    if left < 0:
        return ngettext("%(n)s working day overdue", "%(n)s working days overdue", -left) % {"n": -left}
    if left == 0:
        return _("due today")
    return ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}


@register.filter
def material_name(key: str, materials) -> str:
    """The material's name for an attachment's key (staff read names, not internal keys)."""
    for material in materials:
        if material.key == key:
            return material.title
    return key
