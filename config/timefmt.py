"""One way to show a moment on every page and PDF: Beijing time as `2026-12-08 02:36:07` (the pages
name the zone). A template builtin (settings TEMPLATES "builtins"), so no page needs to load it:
`{{ moment|beijing }}` takes an aware datetime or an SB1/ledger time string ("...Z")."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

register = template.Library()

BEIJING = ZoneInfo("Asia/Shanghai")
FORMAT = "%Y-%m-%d %H:%M:%S"


@register.filter
def beijing(moment: datetime | str | None) -> str:
    """The moment in Beijing time, to the second; "" for nothing, the text itself if unparseable."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        try:
            parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return moment
    else:
        parsed = moment
    if parsed.tzinfo is None:
        return parsed.strftime(FORMAT)
    return parsed.astimezone(BEIJING).strftime(FORMAT)
