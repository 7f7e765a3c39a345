"""Award kinds, states and the numbers the rules fix (../shared/RULES.md "Award, contract, records")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardStatus(models.TextChoices):
    # The buyer's choice is in its approval flow.
    IN_APPROVAL = "in_approval", _("Award decision in approval")
    # Approved: the result announcement is due within 2 working days.
    DECIDED = "decided", _("Award decided")
    # The result announcement is published (frozen, ledgered).
    ANNOUNCED = "announced", _("Result announced")
    # Sent back: the approval flow returned it, or an upheld challenge re-opened it.
    REOPENED = "reopened", _("Award decision re-opened")


class AwardReason(models.TextChoices):
    """Why the buyer chose this candidate. Only the first candidate needs no reason; any other
    needs one of the reasons the rules allow (GPLR Art 49, BL Art 55 / BLR Art 55)."""

    FIRST_CANDIDATE = "first", _("First-ranked candidate")
    FIRST_DECLINED = "first_declined", _("The higher-ranked candidate declined")
    DISQUALIFIED = "disqualified", _("The higher-ranked candidate was disqualified")
    CHALLENGE_UPHELD = "challenge_upheld", _("A challenge against the higher-ranked candidate was upheld")
