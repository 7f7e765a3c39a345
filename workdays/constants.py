"""Where a calendar year's schedule comes from, and whether it counts yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class YearStatus(models.TextChoices):
    # Being entered or checked: its days count for nothing (RULES.md: one row is not a schedule).
    DRAFT = "draft", _("Draft")
    # Complete and confirmed by an administrator: the year is known.
    CONFIRMED = "confirmed", _("Confirmed")


class YearSource(models.TextChoices):
    # Transcribed from the State Council's notice (《国务院办公厅关于YYYY年部分节假日安排的通知》).
    NOTICE = "notice", _("State Council notice")
    # Generated for a demo installation only; never created under production settings.
    DEMO_PROVISIONAL = "demo_provisional", _("demo, provisional, not official")


# From this day of the year on, administrators are warned while next year's schedule is unknown.
WARN_FROM_MONTH_DAY = (11, 1)
