"""Procurement: buyers' plans, methods and the legal calendar (working days and holidays)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An administrator's ruling on one date, which overrides the `chinese_calendar` package.

    Used for a year the package does not cover yet (the State Council publishes the schedule each
    November) and for corrections (a local make-up day, a late change)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("For example: Spring Festival, make-up working day."))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The notice this comes from, e.g. 国办发明电〔2025〕7号.")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'working' if self.is_working_day else 'rest'}"
