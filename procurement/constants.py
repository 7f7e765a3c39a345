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


class GovernmentLevel(models.TextChoices):
    """The level of government a budget unit belongs to, which picks its open-tender threshold
    (公开招标数额标准). Read from the buyer's region code (GB/T 2260): none is central; `xx0000` a
    province; `xxxx00` a city; anything else a county."""

    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("County")


class MethodApprovalStatus(models.TextChoices):
    # In the finance department's approval flow.
    IN_APPROVAL = "in_approval", _("In approval")
    # Approved: a tender of this buyer may use the method for this budget.
    APPROVED = "approved", _("Approved")
    # Refused or withdrawn.
    REFUSED = "refused", _("Refused")
