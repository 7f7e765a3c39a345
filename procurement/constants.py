"""The procurement methods' codes, shared by the models and the statute table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MethodCode(models.TextChoices):
    """The procurement methods of GPL Art 26 and BL Art 10."""

    OPEN_TENDER = "open_tender", _("Open tender")
    INVITATION = "invitation", _("Invitation tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    ENQUIRY = "enquiry", _("Enquiry")
    SINGLE_SOURCE = "single_source", _("Single source")
