"""The legal calendar's data: a calendar year's schedule, its days, and the warning sent about it.

A year counts as known when the `chinese_calendar` package covers it, or when a `CalendarYear`
for it is confirmed complete (it then replaces the package for that year). A draft year, or a
day without a confirmed year, counts for nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workdays.constants import YearSource, YearStatus


class CalendarYear(models.Model):
    """One year's holiday schedule as an administrator entered it (or, on a demo installation,
    as the demo generated it). Its days are the holidays and make-up working days; every other
    date is an ordinary weekday or weekend."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=YearStatus.choices, default=YearStatus.DRAFT
    )
    source = models.CharField(
        _("schedule source"), max_length=24, choices=YearSource.choices, default=YearSource.NOTICE
    )
    notice_title = models.CharField(_("notice title"), max_length=200, blank=True)
    notice_number = models.CharField(
        _("notice number"), max_length=64, blank=True, help_text=_("For example: 国办发明电〔2025〕7号.")
    )
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    notice_text = models.TextField(_("notice text"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"

    @property
    def is_provisional(self) -> bool:
        return self.source == YearSource.DEMO_PROVISIONAL


class CalendarDay(models.Model):
    """A holiday (not a working day) or a make-up working day (调休上班) of a calendar year."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("calendar year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For example: Spring Festival, make-up working day."),
    )

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date"], name="workdays_day_unique")]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'working' if self.is_working_day else 'rest'}"


class YearWarning(models.Model):
    """Administrators were mailed once that `year`'s schedule is still unknown."""

    year = models.PositiveSmallIntegerField(unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.year} warned {self.sent_at:%Y-%m-%d}"
