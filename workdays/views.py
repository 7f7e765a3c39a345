"""The legal calendar's pages for administrators: the years and where each comes from, the notice
import (paste, check the calendar, confirm), and one year as a calendar."""

import calendar as month_calendar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from config import clock
from config.exceptions import DomainError
from workdays.constants import YearStatus
from workdays.forms import NoticeImportForm, YearConfirmForm
from workdays.models import CalendarYear
from workdays.selectors import calendar_years, is_calendar_administrator, years_around
from workdays.services import calendar_year_confirm, calendar_year_draft_from_notice

# Column heads of the month tables, Monday first (一 … 日 in Chinese).
_WEEKDAY_HEADS = [
    pgettext_lazy("weekday column", "Mo"),
    pgettext_lazy("weekday column", "Tu"),
    pgettext_lazy("weekday column", "We"),
    pgettext_lazy("weekday column", "Th"),
    pgettext_lazy("weekday column", "Fr"),
    pgettext_lazy("weekday column", "Sa"),
    pgettext_lazy("weekday column", "Su"),
]


def _administrator(request: HttpRequest) -> None:
    if not is_calendar_administrator(request.user):
        raise PermissionDenied


def _months(record: CalendarYear) -> list[dict[str, object]]:
    """The year as 12 month grids; each day says rest/work and whether the schedule set it."""
    set_days = {d.date: d for d in record.days.all()}
    out = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(record.year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                entry = set_days.get(day)
                working = entry.is_working_day if entry else day.weekday() < 5
                row.append(
                    {
                        "date": day,
                        "working": working,
                        "set": entry is not None,
                        "note": entry.note if entry else "",
                    }
                )
            weeks.append(row)
        out.append({"month": month, "weeks": weeks})
    return out


@login_required
def years(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return render(
        request,
        "workdays/years.html",
        {"states": years_around(clock.today_local()), "records": calendar_years()},
    )


@login_required
def notice_import(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    form = NoticeImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record, parsed = calendar_year_draft_from_notice(text=form.cleaned_data["text"], by=request.user)
        except DomainError as error:
            form.add_error("text", str(error))
        else:
            if parsed.outside_year:
                messages.info(
                    request,
                    _("Days outside %(year)s were left out: %(days)s.")
                    % {"year": record.year, "days": ", ".join(d.isoformat() for d in parsed.outside_year)},
                )
            return redirect("workdays:year", year=record.year)
    return render(request, "workdays/import.html", {"form": form})


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    _administrator(request)
    record = get_object_or_404(CalendarYear, year=year)
    form = YearConfirmForm(
        initial={
            "notice_title": record.notice_title,
            "notice_number": record.notice_number,
            "notice_date": record.notice_date,
        }
    )
    days = list(record.days.order_by("date"))
    return render(
        request,
        "workdays/year.html",
        {
            "record": record,
            "months": _months(record),
            "holidays": [d for d in days if not d.is_working_day],
            "makeup_days": [d for d in days if d.is_working_day],
            "form": form,
            "draft": record.status == YearStatus.DRAFT,
            "weekday_names": _WEEKDAY_HEADS,
        },
    )


@login_required
@require_POST
def year_confirm(request: HttpRequest, year: int) -> HttpResponse:
    _administrator(request)
    record = get_object_or_404(CalendarYear, year=year)
    form = YearConfirmForm(request.POST)
    if form.is_valid():
        try:
            calendar_year_confirm(year_id=record.pk, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The calendar of %(year)s is confirmed and counts from now on.") % {"year": year}
            )
    else:
        messages.error(request, _("Name the notice the schedule comes from: its title and its number."))
    return redirect("workdays:year", year=year)
